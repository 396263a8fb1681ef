/*
 * t_fd.c: the file descriptor table: dup, dup2, dup3, fcntl flags,
 * close-on-exec bookkeeping, EBADF and EMFILE.
 *
 * Shared open file descriptions are detected through their shared offset:
 * two fds from dup move together, two separate opens do not.  (Close-on-
 * exec across a real exec is checked in t_exec.)
 */
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "t.h"

int
main(void)
{
	char path[64], buf[16];
	struct rlimit rl, old;
	int fd, fd2, fd3, lowest;

	t_init();
	strcpy(path, "/tmp/t_fd.XXXXXX");
	fd = mkstemp(path);
	if (fd < 0) {
		t_fail("setup", "mkstemp: %s", strerror(errno));
		return (1);
	}
	write(fd, "0123456789", 10);
	lseek(fd, 0, SEEK_SET);

	/* dup: lowest free fd, shared offset and status flags. */
	lowest = fcntl(0, F_DUPFD, 0);
	close(lowest);
	fd2 = dup(fd);
	CHECK_EQ("dup-lowest-free", fd2, lowest);
	read(fd, buf, 3);
	CHECK_EQ("dup-shares-offset", lseek(fd2, 0, SEEK_CUR), 3);
	CHECK_EQ("dup-no-cloexec", fcntl(fd2, F_GETFD), 0);

	/* dup2: onto a given fd (closing what was there); same fd is a no-op. */
	fd3 = open("/", O_RDONLY);
	CHECK_EQ("dup2-target", dup2(fd, fd3), fd3);
	CHECK_EQ("dup2-replaced-shares", lseek(fd3, 0, SEEK_CUR), 3);
	CHECK_EQ("dup2-same-fd", dup2(fd, fd), fd);
	CHECK_ERR("dup2-bad-old", dup2(999, fd3), EBADF);
	CHECK_EQ("dup2-bad-old-keeps-new", fcntl(fd3, F_GETFD), 0);
	CHECK_ERR("dup2-new-too-big", dup2(fd, 1 << 30), EBADF);

	/* dup3: O_CLOEXEC; the same fd is EINVAL; bad flags EINVAL. */
	CHECK_EQ("dup3-cloexec", dup3(fd, fd3, O_CLOEXEC) == fd3 &&
	    fcntl(fd3, F_GETFD) == FD_CLOEXEC, 1);
	/* Raw calls: musl answers some dup3 cases itself. */
	CHECK_ERR("dup3-same-fd", syscall(SYS_dup3, fd, fd, 0), EINVAL);
	CHECK_ERR("dup3-bad-flags", syscall(SYS_dup3, fd, fd3, 0x1), EINVAL);

	/* F_DUPFD / F_DUPFD_CLOEXEC: at or above the minimum. */
	{
		int d = fcntl(fd, F_DUPFD, 50);
		int e = fcntl(fd, F_DUPFD_CLOEXEC, 50);

		CHECK("fcntl-dupfd", d == 50 && fcntl(d, F_GETFD) == 0);
		CHECK("fcntl-dupfd-cloexec", e == 51 &&
		    fcntl(e, F_GETFD) == FD_CLOEXEC);
		close(d);
		close(e);
	}

	/* F_SETFD is per fd; F_SETFL is per open file (shared by dups). */
	fcntl(fd2, F_SETFD, FD_CLOEXEC);
	CHECK("setfd-per-fd", fcntl(fd2, F_GETFD) == FD_CLOEXEC &&
	    fcntl(fd, F_GETFD) == 0);
	CHECK_EQ("getfl-accmode", fcntl(fd, F_GETFL) & O_ACCMODE, O_RDWR);
	fcntl(fd, F_SETFL, O_APPEND | O_NONBLOCK);
	CHECK("setfl-shared", (fcntl(fd2, F_GETFL) & (O_APPEND | O_NONBLOCK)) ==
	    (O_APPEND | O_NONBLOCK));
	/* F_SETFL cannot change the access mode. */
	fcntl(fd, F_SETFL, O_WRONLY);
	CHECK("setfl-keeps-accmode", (fcntl(fd, F_GETFL) & O_ACCMODE) ==
	    O_RDWR && (fcntl(fd, F_GETFL) & O_APPEND) == 0);

	/* A separate open has its own offset. */
	{
		int o = open(path, O_RDONLY);

		CHECK_EQ("open-own-offset", lseek(o, 0, SEEK_CUR), 0);
		close(o);
	}

	/* Closed and bad fds: EBADF everywhere. */
	close(fd2);
	CHECK_ERR("closed-fd-read", read(fd2, buf, 1), EBADF);
	CHECK_ERR("close-twice", close(fd2), EBADF);
	CHECK_ERR("bad-fd-write", write(-1, "x", 1), EBADF);
	CHECK_ERR("bad-fd-huge", read(1 << 30, buf, 1), EBADF);
	CHECK_ERR("bad-fd-fcntl", fcntl(999, F_GETFD), EBADF);
	CHECK_ERR("bad-fd-dup", dup(999), EBADF);
	{
		struct stat st;

		CHECK_ERR("bad-fd-fstat", fstat(999, &st), EBADF);
	}
	/* Write on a read-only fd, read on a write-only one. */
	{
		int r = open(path, O_RDONLY), w = open(path, O_WRONLY);

		CHECK_ERR("write-rdonly-fd", write(r, "x", 1), EBADF);
		CHECK_ERR("read-wronly-fd", read(w, buf, 1), EBADF);
		close(r);
		close(w);
	}
	CHECK_ERR("fcntl-bad-cmd", fcntl(fd, 9999), EINVAL);

	/* EMFILE at RLIMIT_NOFILE; the fd after the limit is never given. */
	getrlimit(RLIMIT_NOFILE, &old);
	rl = old;
	rl.rlim_cur = 32;
	CHECK_EQ("setrlimit-nofile", setrlimit(RLIMIT_NOFILE, &rl), 0);
	{
		int last = -1, n = 0;

		for (;;) {
			int d = dup(0);

			if (d < 0)
				break;
			last = d;
			n++;
		}
		CHECK("emfile-at-limit", errno == EMFILE && last == 31);
		CHECK_ERR("emfile-open", open("/", O_RDONLY), EMFILE);
		CHECK_ERR("dupfd-beyond-limit", fcntl(0, F_DUPFD, 40), EINVAL);
		CHECK_ERR("dup2-beyond-limit", dup2(0, 40), EBADF);
		for (int i = 3; i <= 31; i++)
			if (i != fd)
				close(i);
	}
	setrlimit(RLIMIT_NOFILE, &old);
	unlink(path);
	close(fd);
	return (t_done());
}
