/*
 * p9fs_check.c: guest half of the 9P file system tests (tests/stages/
 * 75-9pfs), run in a directory of a mounted host share.
 *
 *   p9fs_check errs DIR        system calls on the share, exact results
 *   p9fs_check conc DIR        four processes write and read at once
 *   p9fs_check bench DIR MIB [KIB]  sequential write then read of MIB
 *                              MiB in KIB-sized calls (64), in MiB/s
 *   p9fs_check mmap FILE       map FILE MAP_SHARED, store, msync, exit
 *   p9fs_check mmapexit FILE   the same stores, then close and exit with
 *                              no msync: exit writes the pages back
 *   p9fs_check mmapclosed FILE map FILE, close it, then store through the
 *                              mapping and munmap: the mapping holds the
 *                              file, the stores reach the host
 *   p9fs_check mmaptwo FILE    two processes map FILE; A stores and
 *                              msyncs, then B stores on the same page and
 *                              exits without msync: B's bytes reach the
 *                              host (msync write-protects B's view too)
 *   p9fs_check shrink FILE OTHER   map FILE (3 pages), touch page 0, cut
 *                              the same host file to 100 bytes through
 *                              OTHER (another mount of it: to this mount
 *                              the host changed it); page 2 is SIGBUS
 *   p9fs_check kq DIR          EVFILT_VNODE and EVFILT_READ on a share file
 *                              (Mica's kqueue; the notes come from the VFS,
 *                              one vnode per host file makes them meet)
 *   p9fs_check readerrs N FILE ERRNO MAXS  the same in N processes at
 *                              once (every waiter must be woken)
 *   p9fs_check writeerrs N FILE ERRNO MAXS  N processes write FILE0..
 *                              FILEn-1 in 64 KiB pieces until one fails:
 *                              errno ERRNO within MAXS seconds
 *   p9fs_check readerr FILE ERRNO MAXS   open and read FILE: the first
 *                              failure must be errno ERRNO (0: no failure)
 *                              and come within MAXS seconds
 *
 * Each check prints "ok NAME" or "FAIL NAME: why"; the last line is
 * "p9fs_check: N passed, M failed" and the exit status is 0 only if
 * nothing failed.  Every check also holds on Linux over v9fs, which is how
 * its expectations were chosen.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/event.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

static int npass, nfail;

static void
result(int ok, const char *name, const char *fmt, long a, long b)
{
	if (ok) {
		npass++;
		printf("ok %s\n", name);
	} else {
		nfail++;
		printf("FAIL %s: ", name);
		printf(fmt, a, b);
		printf("\n");
	}
}

/* expect(name, got, want): a value. */
#define EXPECT(name, got, want) do {					\
	long g_ = (long)(got), w_ = (long)(want);			\
	result(g_ == w_, name, "got %ld, want %ld", g_, w_);		\
} while (0)
/* a call that must fail with errno e */
#define EXPECT_ERR(name, call, e) do {					\
	errno = 0;							\
	long r_ = (long)(call);						\
	result(r_ == -1 && errno == (e), name,				\
	    "returned %ld, errno %ld", r_, (long)errno);		\
} while (0)

static char path_buf[4][512];

static const char *
P(int slot, const char *dir, const char *name)
{
	snprintf(path_buf[slot], sizeof(path_buf[slot]), "%s/%s", dir, name);
	return (path_buf[slot]);
}

static int
count_entries(const char *dir, const char *want_name, int *found)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	*found = 0;
	if (d == NULL)
		return (-1);
	while ((de = readdir(d)) != NULL) {
		n++;
		if (want_name != NULL && strcmp(de->d_name, want_name) == 0)
			*found = 1;
	}
	closedir(d);
	return (n);
}

static int
do_errs(const char *dir)
{
	char buf[256];
	struct stat st;
	struct statfs sf;
	int fd, found, n;

	mkdir(P(0, dir, "e"), 0755);
	EXPECT("mkdir e/ again is EEXIST", mkdir(P(0, dir, "e"), 0755) == -1 &&
	    errno == EEXIST, 1);
	EXPECT_ERR("open missing is ENOENT", open(P(0, dir, "e/none"),
	    O_RDONLY), ENOENT);
	EXPECT_ERR("stat through a missing dir is ENOENT",
	    stat(P(0, dir, "e/none/x"), &st), ENOENT);
	fd = open(P(0, dir, "e/f"), O_RDWR | O_CREAT | O_EXCL, 0640);
	EXPECT("create e/f", fd >= 0, 1);
	EXPECT_ERR("O_EXCL create again is EEXIST", open(P(0, dir, "e/f"),
	    O_RDWR | O_CREAT | O_EXCL, 0640), EEXIST);
	EXPECT("write 10 bytes", write(fd, "0123456789", 10), 10);
	EXPECT("pwrite at 20 extends to 25", pwrite(fd, "abcde", 5, 20), 5);
	EXPECT("fstat size 25", fstat(fd, &st) == 0 ? st.st_size : -1, 25);
	EXPECT("mode 0640 and a regular file", fstat(fd, &st) == 0 ?
	    (long)(st.st_mode & (S_IFMT | 07777)) : -1, S_IFREG | 0640);
	memset(buf, 'x', sizeof(buf));
	EXPECT("pread 15 at 8 crosses the hole", pread(fd, buf, 15, 8), 15);
	EXPECT("hole reads as zeros", buf[2] == 0 && buf[11] == 0 &&
	    buf[0] == '8' && buf[1] == '9' && buf[12] == 'a' ? 1 : 0, 1);
	EXPECT("pread past the end is 0", pread(fd, buf, 10, 100), 0);
	EXPECT("lseek SEEK_END", lseek(fd, 0, SEEK_END), 25);
	EXPECT("ftruncate to 4", ftruncate(fd, 4), 0);
	EXPECT("stat size 4 after ftruncate", stat(P(0, dir, "e/f"), &st) == 0 ?
	    st.st_size : -1, 4);
	EXPECT("fsync", fsync(fd), 0);
	EXPECT("fdatasync", fdatasync(fd), 0);
	close(fd);
	fd = open(P(0, dir, "e/f"), O_WRONLY | O_APPEND);
	EXPECT("O_APPEND write", write(fd, "XY", 2), 2);
	close(fd);
	fd = open(P(0, dir, "e/f"), O_RDONLY);
	n = read(fd, buf, sizeof(buf));
	EXPECT("O_APPEND landed at the end", n == 6 &&
	    memcmp(buf, "0123XY", 6) == 0, 1);
	EXPECT_ERR("write on an O_RDONLY fd is EBADF", write(fd, "z", 1),
	    EBADF);
	close(fd);
	fd = open(P(0, dir, "e"), O_RDONLY | O_DIRECTORY);
	EXPECT_ERR("read of a directory is EISDIR", read(fd, buf, 10), EISDIR);
	close(fd);
	EXPECT_ERR("open a dir for writing is EISDIR", open(P(0, dir, "e"),
	    O_WRONLY), EISDIR);
	EXPECT_ERR("O_DIRECTORY on a file is ENOTDIR", open(P(0, dir, "e/f"),
	    O_RDONLY | O_DIRECTORY), ENOTDIR);
	EXPECT_ERR("rmdir non-empty is ENOTEMPTY", rmdir(P(0, dir, "e")),
	    ENOTEMPTY);
	EXPECT_ERR("unlink a directory is EISDIR", unlink(P(0, dir, "e")),
	    EISDIR);
	EXPECT_ERR("rmdir a file is ENOTDIR", rmdir(P(0, dir, "e/f")),
	    ENOTDIR);
	EXPECT("chmod 0600", chmod(P(0, dir, "e/f"), 0600), 0);
	EXPECT("mode is 0600", stat(P(0, dir, "e/f"), &st) == 0 ?
	    (long)(st.st_mode & 07777) : -1, 0600);
	{
		struct timespec ts[2] = { { 1000000000, 0 },
		    { 1234567890, 0 } };

		EXPECT("utimensat", utimensat(AT_FDCWD, P(0, dir, "e/f"), ts,
		    0), 0);
		EXPECT("mtime 1234567890", stat(P(0, dir, "e/f"), &st) == 0 ?
		    st.st_mtime : -1, 1234567890);
	}
	EXPECT("symlink", symlink("f", P(0, dir, "e/l")), 0);
	n = readlink(P(0, dir, "e/l"), buf, sizeof(buf));
	EXPECT("readlink gives f", n == 1 && buf[0] == 'f', 1);
	EXPECT("stat follows the link (size 6)", stat(P(0, dir, "e/l"), &st) ==
	    0 ? st.st_size : -1, 6);
	EXPECT("lstat sees a link", lstat(P(0, dir, "e/l"), &st) == 0 ?
	    (long)S_ISLNK(st.st_mode) : -1, 1);
	EXPECT("link", link(P(0, dir, "e/f"), P(1, dir, "e/h")), 0);
	EXPECT("nlink 2", stat(P(0, dir, "e/f"), &st) == 0 ? (long)st.st_nlink :
	    -1, 2);
	{
		struct stat st2;

		EXPECT("hard link: same inode", stat(P(0, dir, "e/h"), &st2) ==
		    0 && stat(P(1, dir, "e/f"), &st) == 0 &&
		    st.st_ino == st2.st_ino, 1);
	}
	EXPECT("rename f -> g", rename(P(0, dir, "e/f"), P(1, dir, "e/g")), 0);
	EXPECT_ERR("old name gone", stat(P(0, dir, "e/f"), &st), ENOENT);
	EXPECT("new name has 6 bytes", stat(P(0, dir, "e/g"), &st) == 0 ?
	    st.st_size : -1, 6);
	{
		int rfd = open(P(0, dir, "e/r1"), O_RDWR | O_CREAT, 0644);
		int dfd;

		write(rfd, "abc", 3);
		EXPECT("rename an open file", rename(P(0, dir, "e/r1"),
		    P(1, dir, "e/r2")), 0);
		EXPECT("fstat of the open file after its rename", fstat(rfd,
		    &st) == 0 ? st.st_size : -1, 3);
		write(rfd, "de", 2);
		EXPECT("write after the rename lands in the new name",
		    stat(P(0, dir, "e/r2"), &st) == 0 ? st.st_size : -1, 5);
		close(rfd);
		unlink(P(0, dir, "e/r2"));
		mkdir(P(0, dir, "e/d1"), 0755);
		close(open(P(0, dir, "e/d1/x"), O_WRONLY | O_CREAT, 0644));
		dfd = open(P(0, dir, "e/d1"), O_RDONLY | O_DIRECTORY);
		EXPECT("rename an open directory", rename(P(0, dir, "e/d1"),
		    P(1, dir, "e/d2")), 0);
		EXPECT("its file under the new name", stat(P(0, dir,
		    "e/d2/x"), &st), 0);
		EXPECT("fstat of the open directory after its rename",
		    fstat(dfd, &st) == 0 ? (long)S_ISDIR(st.st_mode) : -1, 1);
		EXPECT_ERR("the old name is gone", stat(P(0, dir, "e/d1"), &st),
		    ENOENT);
		close(dfd);
		unlink(P(0, dir, "e/d2/x"));
		EXPECT("rmdir the renamed directory", rmdir(P(0, dir, "e/d2")),
		    0);
	}
	{
		int ufd = open(P(0, dir, "e/u"), O_RDWR | O_CREAT, 0644);
		char ub[8] = { 0 };

		write(ufd, "hello", 5);
		EXPECT("unlink an open file", unlink(P(0, dir, "e/u")), 0);
		EXPECT("fstat of it: still 5 bytes, a regular file",
		    fstat(ufd, &st) == 0 && S_ISREG(st.st_mode) ?
		    st.st_size : -1, 5);
		EXPECT("fstat of it: no links", (long)st.st_nlink, 0);
		EXPECT("reading it still works", pread(ufd, ub, 5, 0) == 5 &&
		    memcmp(ub, "hello", 5) == 0, 1);
		close(ufd);
	}
	EXPECT_ERR("rename into a missing dir is ENOENT",
	    rename(P(0, dir, "e/g"), P(1, dir, "nodir/g")), ENOENT);
	n = count_entries(P(0, dir, "e"), "g", &found);
	EXPECT("getdents: . .. g h l", n, 5);
	EXPECT("getdents lists g", found, 1);
	EXPECT("statfs", statfs(dir, &sf), 0);
	EXPECT("statfs f_type V9FS_MAGIC", (long)sf.f_type, 0x01021997);
	EXPECT("unlink g", unlink(P(0, dir, "e/g")), 0);
	EXPECT("unlink h", unlink(P(0, dir, "e/h")), 0);
	EXPECT("unlink l", unlink(P(0, dir, "e/l")), 0);
	EXPECT_ERR("unlink again is ENOENT", unlink(P(0, dir, "e/l")), ENOENT);
	EXPECT("rmdir e", rmdir(P(0, dir, "e")), 0);
	EXPECT_ERR("e is gone", stat(P(0, dir, "e"), &st), ENOENT);
	/* Many entries: getdents in several calls. */
	mkdir(P(0, dir, "many"), 0755);
	for (int i = 0; i < 150; i++) {
		char name[64];

		snprintf(name, sizeof(name), "many/file-with-a-long-name-%03d",
		    i);
		fd = open(P(0, dir, name), O_WRONLY | O_CREAT, 0644);
		close(fd);
	}
	n = count_entries(P(0, dir, "many"), "file-with-a-long-name-149",
	    &found);
	EXPECT("getdents of 150 files (+ . ..)", n, 152);
	EXPECT("the last one is there", found, 1);
	for (int i = 0; i < 150; i++) {
		char name[64];

		snprintf(name, sizeof(name), "many/file-with-a-long-name-%03d",
		    i);
		unlink(P(0, dir, name));
	}
	EXPECT("rmdir many", rmdir(P(0, dir, "many")), 0);
	return (0);
}

static unsigned char
pat(int who, long i)
{
	return ((unsigned char)(i * 7 + who * 31 + (i >> 10)));
}

static int
conc_child(const char *dir, int who)
{
	static unsigned char buf[65536];
	char name[64];
	long off;
	int fd;

	snprintf(name, sizeof(name), "conc%d.bin", who);
	fd = open(P(0, dir, name), O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return (1);
	/* 1 MiB in pieces of varying size. */
	for (off = 0; off < (1 << 20);) {
		long n = 1000 + who * 3000 + (off % 7) * 1000;

		if (off + n > (1 << 20))
			n = (1 << 20) - off;
		for (long i = 0; i < n; i++)
			buf[i] = pat(who, off + i);
		if (write(fd, buf, n) != n)
			return (2);
		off += n;
	}
	if (lseek(fd, 0, SEEK_SET) != 0)
		return (3);
	for (off = 0; off < (1 << 20);) {
		long n = read(fd, buf, sizeof(buf));

		if (n <= 0)
			return (4);
		for (long i = 0; i < n; i++)
			if (buf[i] != pat(who, off + i))
				return (5);
		off += n;
	}
	close(fd);
	return (unlink(P(0, dir, name)) == 0 ? 0 : 6);
}

static int
do_conc(const char *dir)
{
	pid_t pids[4];
	int status, ok = 0;

	for (int i = 0; i < 4; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			_exit(conc_child(dir, i));
	}
	for (int i = 0; i < 4; i++) {
		if (waitpid(pids[i], &status, 0) == pids[i] &&
		    WIFEXITED(status) && WEXITSTATUS(status) == 0)
			ok++;
		else
			printf("conc: child %d status %#x\n", i, status);
	}
	EXPECT("four writers and readers complete, every byte right", ok, 4);
	return (0);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec + ts.tv_nsec / 1e9);
}

static int
do_bench(const char *dir, int mib, size_t bs)
{
	static unsigned char buf[1 << 20];
	double t0, tw, tr;
	long total = (long)mib << 20, done = 0, bad = 0;
	int fd;

	if (bs == 0 || bs > sizeof(buf) || (bs & 0xfff) != 0)
		bs = 1 << 16;
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(i * 13);
	fd = open(P(0, dir, "bench.bin"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	EXPECT("bench: create", fd >= 0, 1);
	if (fd < 0)
		return (0);
	t0 = now();
	while (done < total) {
		long n = write(fd, buf, bs);

		if (n <= 0)
			break;
		done += n;
	}
	fsync(fd);
	tw = now() - t0;
	EXPECT("bench: all written", done, total);
	lseek(fd, 0, SEEK_SET);
	done = 0;
	t0 = now();
	for (;;) {
		long n = read(fd, buf, bs);

		if (n <= 0)
			break;
		if (buf[1] != 13 || buf[n - 1] != (unsigned char)((n - 1) * 13))
			bad++;
		done += n;
	}
	tr = now() - t0;
	EXPECT("bench: all read back", done, total);
	EXPECT("bench: contents", bad, 0);
	close(fd);
	unlink(P(0, dir, "bench.bin"));
	printf("bench %s: %d MiB in %zu KiB calls: write %.1f MiB/s read "
	    "%.1f MiB/s\n", dir, mib, bs >> 10, tw > 0 ? mib / tw : 0.0,
	    tr > 0 ? mib / tr : 0.0);
	return (0);
}

static int
do_mmap(const char *file, int noflush)
{
	struct stat st;
	char *p;
	int fd;

	fd = open(file, O_RDWR);
	EXPECT("mmap: open", fd >= 0, 1);
	if (fd < 0 || fstat(fd, &st) != 0 || st.st_size < 8192)
		return (0);
	p = mmap(NULL, st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	EXPECT("mmap: MAP_SHARED", p != MAP_FAILED, 1);
	if (p == MAP_FAILED)
		return (0);
	EXPECT("mmap: sees the host's bytes", p[0] == 'H' && p[4096] == 'P',
	    1);
	memcpy(p + 100, "stored through a mapping", 24);
	memcpy(p + 5000, "second page", 11);
	if (!noflush)
		EXPECT("msync", msync(p, st.st_size, MS_SYNC), 0);
	close(fd);
	return (0);
}

static int
do_mmapclosed(const char *file)
{
	char *p;
	int fd;

	fd = open(file, O_RDWR);
	EXPECT("mmapclosed: open", fd >= 0, 1);
	if (fd < 0)
		return (0);
	p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	EXPECT("mmapclosed: MAP_SHARED", p != MAP_FAILED, 1);
	EXPECT("mmapclosed: close", close(fd), 0);
	if (p == MAP_FAILED)
		return (0);
	/* The vnode's last descriptor is gone; the mapping is not. */
	memcpy(p + 200, "after the last close", 20);
	memcpy(p + 8200, "third page", 10);
	EXPECT("mmapclosed: munmap", munmap(p, 3 * 4096), 0);
	return (0);
}

static int
do_mmaptwo(const char *file)
{
	int fd, go[2], back[2], status;
	pid_t pid;
	char *p, c;

	fd = open(file, O_RDWR);
	EXPECT("mmaptwo: open", fd >= 0, 1);
	if (fd < 0 || pipe(go) != 0 || pipe(back) != 0)
		return (0);
	p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	EXPECT("mmaptwo: A maps", p != MAP_FAILED, 1);
	if (p == MAP_FAILED)
		return (0);
	pid = fork();
	if (pid == 0) {
		/* B maps the file on its own and stores once: writable. */
		int cfd = open(file, O_RDWR);
		char *q = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
		    MAP_SHARED, cfd, 0);

		if (q == MAP_FAILED)
			_exit(1);
		close(cfd);
		memcpy(q + 300, "B before", 8);
		(void)!write(back[1], "1", 1);
		(void)!read(go[0], &c, 1);
		/* After A's msync, on the page it wrote back. */
		memcpy(q + 400, "B after the msync", 17);
		_exit(0);		/* no msync, no munmap */
	}
	EXPECT("mmaptwo: B stored", read(back[0], &c, 1), 1);
	memcpy(p + 500, "A stores", 8);
	EXPECT("mmaptwo: A msync", msync(p, 8192, MS_SYNC), 0);
	EXPECT("mmaptwo: B goes on", write(go[1], "1", 1), 1);
	EXPECT("mmaptwo: B exits", waitpid(pid, &status, 0) == pid &&
	    WIFEXITED(status) ? WEXITSTATUS(status) : -1, 0);
	munmap(p, 8192);
	close(fd);
	return (0);
}

static int
do_shrink(const char *file, const char *other)
{
	volatile char *p;
	int fd, status;
	pid_t pid;

	fd = open(file, O_RDWR);
	EXPECT("shrink: open", fd >= 0, 1);
	if (fd < 0)
		return (0);
	p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	EXPECT("shrink: mmap 3 pages", p != MAP_FAILED, 1);
	if (p == MAP_FAILED)
		return (0);
	EXPECT("shrink: page 0 has the host's byte", p[0], 'H');
	EXPECT("shrink: the other mount cuts the file to 100",
	    truncate(other, 100), 0);
	pid = fork();
	if (pid == 0) {
		(void)p[2 * 4096];	/* past the host's new end */
		_exit(0);
	}
	EXPECT("shrink: touching page 2 is SIGBUS", waitpid(pid, &status, 0)
	    == pid && WIFSIGNALED(status) ? WTERMSIG(status) : -1, SIGBUS);
	{
		struct stat st;
		char buf[200];

		EXPECT("shrink: fstat says 100 bytes", fstat(fd, &st) == 0 ?
		    st.st_size : -1, 100);
		EXPECT("shrink: read(2) gets 100 bytes", pread(fd, buf,
		    sizeof(buf), 0), 100);
	}
	munmap((void *)p, 3 * 4096);
	close(fd);
	return (0);
}

/* The fflags of the one EVFILT_VNODE event pending (0: none). */
static long
kq_fflags(int kq, int filter)
{
	struct timespec zero = { 0, 0 };
	struct kevent ev[2];
	int n = kevent(kq, NULL, 0, ev, 2, &zero);

	if (n == 0)
		return (0);
	if (n != 1 || ev[0].filter != filter)
		return (-1);
	return (filter == EVFILT_VNODE ? (long)ev[0].fflags : ev[0].data);
}

static int
do_kq(const char *dir)
{
	struct kevent ch;
	int kq = kqueue(), fd, fd2;

	unlink(P(0, dir, "kq1"));
	unlink(P(0, dir, "kq3"));
	fd = open(P(0, dir, "kq1"), O_RDWR | O_CREAT | O_TRUNC, 0600);
	EXPECT("kq: kqueue and a share file", kq >= 0 && fd >= 0, 1);
	EV_SET(&ch, fd, EVFILT_VNODE, EV_ADD | EV_CLEAR, NOTE_DELETE |
	    NOTE_WRITE | NOTE_EXTEND | NOTE_ATTRIB | NOTE_LINK | NOTE_RENAME,
	    0, NULL);
	EXPECT("kq: EVFILT_VNODE added", kevent(kq, &ch, 1, NULL, 0, NULL), 0);
	EXPECT("kq: idle", kq_fflags(kq, EVFILT_VNODE), 0);
	write(fd, "0123456789", 10);
	EXPECT("kq: write past the end", kq_fflags(kq, EVFILT_VNODE),
	    NOTE_WRITE | NOTE_EXTEND);
	pwrite(fd, "ab", 2, 0);
	EXPECT("kq: write inside", kq_fflags(kq, EVFILT_VNODE), NOTE_WRITE);
	fchmod(fd, 0644);
	EXPECT("kq: chmod", kq_fflags(kq, EVFILT_VNODE), NOTE_ATTRIB);
	link(P(0, dir, "kq1"), P(1, dir, "kq2"));
	EXPECT("kq: link", kq_fflags(kq, EVFILT_VNODE), NOTE_LINK);
	rename(P(0, dir, "kq2"), P(1, dir, "kq3"));
	EXPECT("kq: rename of the other name", kq_fflags(kq, EVFILT_VNODE),
	    NOTE_RENAME);
	unlink(P(0, dir, "kq3"));
	EXPECT("kq: unlink", kq_fflags(kq, EVFILT_VNODE), NOTE_DELETE);
	EV_SET(&ch, fd, EVFILT_VNODE, EV_DELETE, 0, 0, NULL);
	kevent(kq, &ch, 1, NULL, 0, NULL);
	lseek(fd, 0, SEEK_END);
	EV_SET(&ch, fd, EVFILT_READ, EV_ADD, 0, 0, NULL);
	kevent(kq, &ch, 1, NULL, 0, NULL);
	EXPECT("kq: EVFILT_READ at the end is quiet", kq_fflags(kq,
	    EVFILT_READ), 0);
	fd2 = open(P(0, dir, "kq1"), O_WRONLY | O_APPEND);
	write(fd2, "more", 4);
	EXPECT("kq: EVFILT_READ after an append: 4 bytes", kq_fflags(kq,
	    EVFILT_READ), 4);
	close(fd2);
	close(fd);
	close(kq);
	EXPECT("kq: cleanup", unlink(P(0, dir, "kq1")), 0);
	return (0);
}

static int
do_readerr(const char *file, int want, double maxs)
{
	char buf[4096], name[128];
	double t0 = now(), dt;
	int fd, err = 0;
	long n;

	fd = open(file, O_RDONLY);
	if (fd < 0)
		err = errno;
	else {
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			;
		if (n < 0)
			err = errno;
		close(fd);
	}
	dt = now() - t0;
	snprintf(name, sizeof(name), "%s: errno %d (%s)", file, want,
	    strerror(want));
	EXPECT(name, err, want);
	snprintf(name, sizeof(name), "%s: answered within %.0f s", file, maxs);
	result(dt <= maxs, name, "took %ld ms, limit %ld s", (long)(dt * 1000),
	    (long)maxs);
	return (0);
}

/*
 * N processes open FILE0, FILE1... for writing, then each writes 64 KiB
 * pieces until a write fails: the failure must be errno WANT and come
 * within MAXS s.
 * Against p9fault's `stall` (the server stops reading, QEMU's chardev
 * throttles a transmit chain, then the server hangs up and QEMU drops
 * that chain for good) no writer may wait for ever.
 */
static void
do_writeerrs(int n, const char *file, int want, double maxs)
{
	int status, ok = 0;

	for (int i = 0; i < n; i++)
		if (fork() == 0) {
			static char buf[65536];
			char path[256];
			double t0 = now();
			int fd, err = 0;

			/* One file each: writes to one file go one by one. */
			snprintf(path, sizeof(path), "%s%d", file, i);
			fd = open(path, O_WRONLY);

			memset(buf, 'w', sizeof(buf));
			if (fd < 0)
				err = errno;
			while (fd >= 0 && now() - t0 < maxs + 5) {
				if (write(fd, buf, sizeof(buf)) < 0) {
					err = errno;
					break;
				}
			}
			_exit(err == want && now() - t0 <= maxs ? 0 : 1);
		}
	for (int i = 0; i < n; i++)
		if (wait(&status) > 0 && WIFEXITED(status) &&
		    WEXITSTATUS(status) == 0)
			ok++;
	{
		char name[128];

		snprintf(name, sizeof(name), "%d writers got errno %d within "
		    "%.0f s", n, want, maxs);
		EXPECT(name, ok, n);
	}
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 3 && strcmp(argv[1], "errs") == 0)
		do_errs(argv[2]);
	else if (argc == 3 && strcmp(argv[1], "conc") == 0)
		do_conc(argv[2]);
	else if ((argc == 4 || argc == 5) && strcmp(argv[1], "bench") == 0)
		do_bench(argv[2], atoi(argv[3]), argc == 5 ?
		    (size_t)atoi(argv[4]) << 10 : 0);
	else if (argc == 6 && strcmp(argv[1], "readerrs") == 0) {
		int n = atoi(argv[2]), status, ok = 0;

		/* Each child opens first, then all read at once. */
		for (int i = 0; i < n; i++)
			if (fork() == 0) {
				npass = nfail = 0;
				do_readerr(argv[3], atoi(argv[4]),
				    atof(argv[5]));
				_exit(nfail == 0 ? 0 : 1);
			}
		for (int i = 0; i < n; i++)
			if (wait(&status) > 0 && WIFEXITED(status) &&
			    WEXITSTATUS(status) == 0)
				ok++;
		EXPECT("every concurrent reader got its answer in time", ok, n);
	} else if (argc == 6 && strcmp(argv[1], "writeerrs") == 0)
		do_writeerrs(atoi(argv[2]), argv[3], atoi(argv[4]),
		    atof(argv[5]));
	else if (argc == 5 && strcmp(argv[1], "readerr") == 0)
		do_readerr(argv[2], atoi(argv[3]), atof(argv[4]));
	else if (argc == 3 && strcmp(argv[1], "kq") == 0)
		do_kq(argv[2]);
	else if (argc == 4 && strcmp(argv[1], "shrink") == 0)
		do_shrink(argv[2], argv[3]);
	else if (argc == 3 && strcmp(argv[1], "mmap") == 0)
		do_mmap(argv[2], 0);
	else if (argc == 3 && strcmp(argv[1], "mmapexit") == 0)
		do_mmap(argv[2], 1);
	else if (argc == 3 && strcmp(argv[1], "mmapclosed") == 0)
		do_mmapclosed(argv[2]);
	else if (argc == 3 && strcmp(argv[1], "mmaptwo") == 0)
		do_mmaptwo(argv[2]);
	else {
		fprintf(stderr, "usage: p9fs_check errs|conc|bench|mmap ...\n");
		return (2);
	}
	printf("p9fs_check: %d passed, %d failed\n", npass, nfail);
	return (nfail == 0 ? 0 : 1);
}
