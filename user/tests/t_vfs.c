/*
 * t_vfs.c: guest checks of the file layer beyond t_file/t_path/t_fd/t_pipe:
 * FIFOs (a blocking open meets its writer), select/ppoll, the memory
 * devices and mknod'd device nodes, mount/umount/statfs of a tmpfs with
 * its size limit, renameat2(RENAME_NOREPLACE), utimensat, chown, umask,
 * statx, fchdir, the generic ioctls, sendfile, O_CREAT through a dangling
 * symlink, directory link counts.  Runs as root, like the guest.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/select.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <stdint.h>
#include <time.h>

#include "t.h"

#define D	"/tmp/t_vfs"

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE 1
#endif
#define T_STATX_SIZE	0x200

/* The start of Linux's struct statx (musl may not declare it). */
struct t_statx {
	uint32_t mask, blksize;
	uint64_t attributes;
	uint32_t nlink, uid, gid;
	uint16_t mode, spare0;
	uint64_t ino, size, blocks, attributes_mask;
	char rest[256 - 64];
};

static long
ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return ((t1.tv_sec - t0->tv_sec) * 1000 +
	    (t1.tv_nsec - t0->tv_nsec) / 1000000);
}

static void
fifos(void)
{
	struct stat st;
	char buf[8];
	pid_t pid;
	int fd, status;

	CHECK_EQ("fifo-mkfifo", mkfifo(D "/fifo", 0600), 0);
	CHECK("fifo-stat", stat(D "/fifo", &st) == 0 && S_ISFIFO(st.st_mode));
	CHECK_ERR("fifo-nonblock-writer-enxio",
	    open(D "/fifo", O_WRONLY | O_NONBLOCK), ENXIO);
	pid = fork();
	if (pid == 0) {
		usleep(100000);
		fd = open(D "/fifo", O_WRONLY);
		write(fd, "ping", 4);
		_exit(0);
	}
	/* Blocks until the child opens the other end. */
	fd = open(D "/fifo", O_RDONLY);
	CHECK("fifo-open-blocks-for-writer", fd >= 0);
	CHECK("fifo-read", read(fd, buf, sizeof(buf)) == 4 &&
	    memcmp(buf, "ping", 4) == 0);
	CHECK_EQ("fifo-eof", read(fd, buf, sizeof(buf)), 0);
	close(fd);
	waitpid(pid, &status, 0);
	unlink(D "/fifo");
}

static void
selects(void)
{
	struct timespec t0, ts = { 0, 50 * 1000000 };
	struct timeval tv = { 0, 0 };
	struct pollfd pf;
	fd_set rd;
	int p[2];

	pipe(p);
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	CHECK_EQ("select-empty", select(p[0] + 1, &rd, NULL, NULL, &tv), 0);
	write(p[1], "x", 1);
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	tv.tv_usec = 0;
	CHECK("select-readable", select(p[0] + 1, &rd, NULL, NULL, &tv) == 1 &&
	    FD_ISSET(p[0], &rd));
	read(p[0], &t0, 1);
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	tv.tv_sec = 0;
	tv.tv_usec = 100000;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK("select-timeout", select(p[0] + 1, &rd, NULL, NULL, &tv) == 0 &&
	    ms_since(&t0) >= 90);
	pf.fd = p[0];
	pf.events = POLLIN;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK("ppoll-timeout", ppoll(&pf, 1, &ts, NULL) == 0 &&
	    ms_since(&t0) >= 40);
	close(p[1]);
	FD_ZERO(&rd);
	FD_SET(p[1], &rd);
	tv.tv_usec = 0;
	CHECK_ERR("select-ebadf", select(p[1] + 1, &rd, NULL, NULL, &tv),
	    EBADF);
	close(p[0]);
}

static void
devices(void)
{
	unsigned char a[16], b[16];
	struct stat st;
	int fd;

	fd = open("/dev/full", O_WRONLY);
	CHECK_ERR("dev-full-enospc", write(fd, "x", 1), ENOSPC);
	close(fd);
	fd = open("/dev/urandom", O_RDONLY);
	CHECK("dev-urandom-differs", read(fd, a, 16) == 16 &&
	    read(fd, b, 16) == 16 && memcmp(a, b, 16) != 0);
	close(fd);
	CHECK("dev-null-numbers", stat("/dev/null", &st) == 0 &&
	    S_ISCHR(st.st_mode) && major(st.st_rdev) == 1 &&
	    minor(st.st_rdev) == 3);
	CHECK("dev-zero-numbers", stat("/dev/zero", &st) == 0 &&
	    major(st.st_rdev) == 1 && minor(st.st_rdev) == 5);
	CHECK_EQ("mknod-chardev", mknod(D "/mynull", S_IFCHR | 0666,
	    makedev(1, 3)), 0);
	fd = open(D "/mynull", O_RDWR);
	CHECK("mknod-chardev-works", fd >= 0 && write(fd, "abc", 3) == 3 &&
	    read(fd, a, 1) == 0);
	close(fd);
	unlink(D "/mynull");
	CHECK_ERR("mknod-dir-eperm", mknod(D "/d", S_IFDIR | 0755, 0), EPERM);
}

static void
mounts(void)
{
	static char page[4096];
	struct statfs sf;
	int fd, r = 0;

	mkdir(D "/m", 0755);
	CHECK_ERR("mount-enodev", mount("none", D "/m", "nosuchfs", 0, NULL),
	    ENODEV);
	CHECK_EQ("mount-tmpfs", mount("none", D "/m", "tmpfs", 0, "size=64k"),
	    0);
	CHECK("statfs-tmpfs", statfs(D "/m", &sf) == 0 &&
	    sf.f_type == 0x01021994 && sf.f_blocks == 16);
	fd = open(D "/m/big", O_CREAT | O_WRONLY, 0644);
	for (int i = 0; i < 32 && r >= 0; i++)
		r = write(fd, page, sizeof(page));
	CHECK("tmpfs-size-enospc", r == -1 && errno == ENOSPC);
	CHECK_ERR("umount-busy", umount(D "/m"), EBUSY);
	close(fd);
	CHECK_ERR("rmdir-mountpoint-ebusy", rmdir(D "/m"), EBUSY);
	CHECK_EQ("umount", umount(D "/m"), 0);
	CHECK_ERR("umount-not-mounted", umount(D "/m"), EINVAL);
	CHECK_ERR("umount-gone-file", access(D "/m/big", F_OK), ENOENT);
	rmdir(D "/m");
}

static void
attrs(void)
{
	struct timespec ts[2] = { { 1000, 0 }, { 2000, 0 } };
	struct t_statx sx;
	struct stat st;
	char cwd[256];
	mode_t old;
	int fd;

	fd = open(D "/f", O_CREAT | O_WRONLY | O_TRUNC, 0644);
	write(fd, "hello", 5);
	close(fd);
	CHECK_EQ("utimensat", utimensat(AT_FDCWD, D "/f", ts, 0), 0);
	CHECK("utimensat-stat", stat(D "/f", &st) == 0 &&
	    st.st_atim.tv_sec == 1000 && st.st_mtim.tv_sec == 2000);
	ts[0].tv_nsec = UTIME_OMIT;
	ts[1].tv_sec = 3000;
	CHECK("utimensat-omit", utimensat(AT_FDCWD, D "/f", ts, 0) == 0 &&
	    stat(D "/f", &st) == 0 && st.st_atim.tv_sec == 1000 &&
	    st.st_mtim.tv_sec == 3000);
	ts[1].tv_nsec = 1000000000;
	CHECK_ERR("utimensat-einval", utimensat(AT_FDCWD, D "/f", ts, 0),
	    EINVAL);
	CHECK("chown", chown(D "/f", 1234, 5678) == 0 &&
	    stat(D "/f", &st) == 0 && st.st_uid == 1234 && st.st_gid == 5678);
	CHECK("fchmodat", fchmodat(AT_FDCWD, D "/f", 0604, 0) == 0 &&
	    stat(D "/f", &st) == 0 && (st.st_mode & 07777) == 0604);
	old = umask(077);
	CHECK_EQ("umask-returns-previous", umask(old), 077);
	CHECK("statx-size", syscall(SYS_statx, AT_FDCWD, D "/f", 0,
	    T_STATX_SIZE, &sx) == 0 && sx.size == 5 &&
	    S_ISREG(sx.mode));
	CHECK_EQ("renameat2-noreplace-ok", syscall(SYS_renameat2, AT_FDCWD,
	    D "/f", AT_FDCWD, D "/g", RENAME_NOREPLACE), 0);
	close(open(D "/f", O_CREAT | O_WRONLY, 0644));
	CHECK_ERR("renameat2-noreplace-eexist", syscall(SYS_renameat2,
	    AT_FDCWD, D "/f", AT_FDCWD, D "/g", RENAME_NOREPLACE), EEXIST);
	mkdir(D "/dir", 0755);
	mkdir(D "/dir/sub1", 0755);
	mkdir(D "/dir/sub2", 0755);
	CHECK("dir-nlink", stat(D "/dir", &st) == 0 && st.st_nlink == 4);
	fd = open(D "/dir", O_RDONLY | O_DIRECTORY);
	CHECK("fchdir-getcwd", fchdir(fd) == 0 &&
	    getcwd(cwd, sizeof(cwd)) != NULL && strcmp(cwd, D "/dir") == 0);
	close(fd);
	chdir("/");
	symlink("made", D "/dangling");
	fd = open(D "/dangling", O_CREAT | O_WRONLY, 0644);
	CHECK("creat-through-dangling-symlink", fd >= 0 &&
	    lstat(D "/made", &st) == 0 && S_ISREG(st.st_mode));
	close(fd);
}

static void
ioctls_sendfile(void)
{
	char buf[16];
	off_t off = 1;
	int p[2], fd, n = 0, on = 1;

	pipe(p);
	write(p[1], "abcdef", 6);
	CHECK("fionread", ioctl(p[0], FIONREAD, &n) == 0 && n == 6);
	read(p[0], buf, 6);
	CHECK_EQ("fionbio", ioctl(p[0], FIONBIO, &on), 0);
	CHECK_ERR("fionbio-eagain", read(p[0], buf, 1), EAGAIN);
	CHECK("fioclex", ioctl(p[0], FIOCLEX) == 0 &&
	    fcntl(p[0], F_GETFD) == FD_CLOEXEC);
	CHECK("fionclex", ioctl(p[0], FIONCLEX) == 0 &&
	    fcntl(p[0], F_GETFD) == 0);
	fd = open(D "/g", O_RDONLY);
	CHECK("sendfile", sendfile(p[1], fd, &off, 4) == 4 && off == 5 &&
	    read(p[0], buf, sizeof(buf)) == 4 && memcmp(buf, "ello", 4) == 0);
	CHECK_EQ("sendfile-keeps-file-offset", lseek(fd, 0, SEEK_CUR), 0);
	CHECK_ERR("ioctl-regular-enotty", ioctl(fd, TIOCGWINSZ, buf), ENOTTY);
	close(fd);
	close(p[0]);
	close(p[1]);
}

/* Leave no trace (and start clean when run twice on a host). */
static void
cleanup(void)
{
	static const char *files[] = { "fifo", "mynull", "m/big", "f", "g",
		"made", "dangling" };
	static const char *dirs[] = { "dir/sub1", "dir/sub2", "dir", "m", "" };
	char path[128];

	umount(D "/m");
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", D, files[i]);
		unlink(path);
	}
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", D, dirs[i]);
		rmdir(path);
	}
}

int
main(void)
{
	t_init();
	cleanup();
	mkdir(D, 0755);
	fifos();
	selects();
	devices();
	mounts();
	attrs();
	ioctls_sendfile();
	cleanup();
	return (t_done());
}
