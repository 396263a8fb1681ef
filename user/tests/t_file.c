/*
 * t_file.c: regular files: read, write, lseek, pread/pwrite, readv/writev,
 * truncate, O_APPEND, O_EXCL, O_TRUNC and the fields of stat.
 *
 * Contents are patterned so that a misplaced byte, a lost write or a hole
 * that is not zero-filled is caught, not just a wrong length.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>

#include "t.h"

static char dir[64];

int
main(void)
{
	static char big[100000], back[100000];
	char path[128], buf[64];
	struct stat st, st2;
	time_t before;
	int fd, fd2, ok;
	ssize_t n;

	t_init();
	umask(022);
	strcpy(dir, "/tmp/t_file.XXXXXX");
	if (mkdtemp(dir) == NULL) {
		t_fail("setup", "mkdtemp: %s", strerror(errno));
		return (1);
	}
	snprintf(path, sizeof(path), "%s/f", dir);
	before = time(NULL);

	/* Create exclusively; a second O_EXCL create fails. */
	fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0666);
	CHECK("o-excl-create", fd >= 0);
	CHECK_ERR("o-excl-eexist", open(path, O_RDWR | O_CREAT | O_EXCL, 0666),
	    EEXIST);
	CHECK_EQ("write", write(fd, "0123456789", 10), 10);
	CHECK_EQ("write-zero", write(fd, "", 0), 0);

	/* stat fields. */
	CHECK("fstat-size-mode", fstat(fd, &st) == 0 && st.st_size == 10 &&
	    S_ISREG(st.st_mode) && (st.st_mode & 07777) == 0644);
	CHECK("fstat-owner-links", st.st_uid == getuid() &&
	    st.st_gid == getgid() && st.st_nlink == 1);
	CHECK("stat-matches-fstat", stat(path, &st2) == 0 &&
	    st2.st_ino == st.st_ino && st2.st_dev == st.st_dev &&
	    st2.st_size == 10);
	CHECK("stat-times", st.st_mtime >= before - 1 &&
	    st.st_mtime <= time(NULL) + 1 && st.st_blksize > 0);

	/* lseek. */
	CHECK_EQ("lseek-cur", lseek(fd, 0, SEEK_CUR), 10);
	CHECK_EQ("lseek-set", lseek(fd, 3, SEEK_SET), 3);
	n = read(fd, buf, 4);
	CHECK("read-after-lseek", n == 4 && memcmp(buf, "3456", 4) == 0);
	CHECK_EQ("lseek-cur-after-read", lseek(fd, 0, SEEK_CUR), 7);
	CHECK_EQ("lseek-end", lseek(fd, -2, SEEK_END), 8);
	n = read(fd, buf, sizeof(buf));
	CHECK("read-short-at-end", n == 2 && memcmp(buf, "89", 2) == 0);
	CHECK_EQ("read-eof", read(fd, buf, sizeof(buf)), 0);
	CHECK_ERR("lseek-negative", lseek(fd, -100, SEEK_SET), EINVAL);
	CHECK_ERR("lseek-bad-whence", lseek(fd, 0, 42), EINVAL);

	/* A hole past the end reads as zeros. */
	lseek(fd, 20, SEEK_SET);
	write(fd, "X", 1);
	memset(buf, 'q', sizeof(buf));
	n = pread(fd, buf, 21, 0);
	ok = n == 21 && memcmp(buf, "0123456789", 10) == 0 && buf[20] == 'X';
	for (int i = 10; i < 20; i++)
		ok &= buf[i] == 0;
	CHECK("hole-zero-filled", ok);

	/* pread/pwrite leave the offset alone. */
	lseek(fd, 5, SEEK_SET);
	CHECK_EQ("pwrite", pwrite(fd, "ab", 2, 1), 2);
	n = pread(fd, buf, 4, 0);
	CHECK("pread", n == 4 && memcmp(buf, "0ab3", 4) == 0);
	CHECK_EQ("pread-pwrite-keep-offset", lseek(fd, 0, SEEK_CUR), 5);
	CHECK_ERR("pread-negative", pread(fd, buf, 1, -1), EINVAL);

	/* readv/writev. */
	{
		struct iovec w[2] = { { "hello ", 6 }, { "world", 5 } };
		char a[3], b[8];
		struct iovec r[2] = { { a, 3 }, { b, 8 } };

		lseek(fd, 0, SEEK_SET);
		CHECK_EQ("writev", writev(fd, w, 2), 11);
		lseek(fd, 0, SEEK_SET);
		n = readv(fd, r, 2);
		CHECK("readv", n == 11 && memcmp(a, "hel", 3) == 0 &&
		    memcmp(b, "lo world", 8) == 0);
	}

	/* ftruncate: shrink, then grow with zeros. */
	CHECK_EQ("ftruncate-shrink", ftruncate(fd, 4), 0);
	CHECK("ftruncate-size", fstat(fd, &st) == 0 && st.st_size == 4);
	ftruncate(fd, 8);
	n = pread(fd, buf, sizeof(buf), 0);
	CHECK("ftruncate-grow-zeros", n == 8 && memcmp(buf, "hell", 4) == 0 &&
	    buf[4] == 0 && buf[7] == 0);
	CHECK_EQ("truncate-path", truncate(path, 2) == 0 &&
	    stat(path, &st) == 0 && st.st_size == 2, 1);
	CHECK_ERR("ftruncate-negative", ftruncate(fd, -1), EINVAL);
	fd2 = open(path, O_RDONLY);
	CHECK_ERR("ftruncate-rdonly", ftruncate(fd2, 0), EINVAL);
	close(fd2);
	close(fd);

	/* O_APPEND: every write lands at the end, whatever the offset. */
	fd = open(path, O_WRONLY | O_APPEND);
	lseek(fd, 0, SEEK_SET);
	write(fd, "AB", 2);
	lseek(fd, 0, SEEK_SET);
	write(fd, "CD", 2);
	close(fd);
	fd = open(path, O_RDONLY);
	n = read(fd, buf, sizeof(buf));
	CHECK("o-append", n == 6 && memcmp(buf, "heABCD", 6) == 0);
	close(fd);

	/* O_TRUNC empties; O_CREAT on an existing file keeps it. */
	fd = open(path, O_RDWR | O_CREAT, 0600);
	CHECK("o-creat-existing", fstat(fd, &st) == 0 && st.st_size == 6 &&
	    (st.st_mode & 0777) == 0644);
	close(fd);
	fd = open(path, O_RDWR | O_TRUNC);
	CHECK("o-trunc", fstat(fd, &st) == 0 && st.st_size == 0);

	/* A large write across many pages reads back exactly. */
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 31 + (i >> 8));
	CHECK_EQ("write-large", write(fd, big, sizeof(big)), sizeof(big));
	lseek(fd, 0, SEEK_SET);
	{
		size_t got = 0;

		while (got < sizeof(back) &&
		    (n = read(fd, back + got, sizeof(back) - got)) > 0)
			got += n;
		CHECK("read-large", got == sizeof(big) &&
		    memcmp(big, back, sizeof(big)) == 0);
	}
	CHECK_EQ("fsync", fsync(fd), 0);
	close(fd);

	/* chmod and access. */
	CHECK("chmod", chmod(path, 0600) == 0 && stat(path, &st) == 0 &&
	    (st.st_mode & 07777) == 0600);
	CHECK_EQ("access-exists", access(path, R_OK | W_OK), 0);
	CHECK_ERR("creat-in-missing-dir", open("/tmp/nonexistent-dir/x",
	    O_WRONLY | O_CREAT, 0644), ENOENT);

	unlink(path);
	rmdir(dir);
	return (t_done());
}
