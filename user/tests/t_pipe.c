/*
 * t_pipe.c: pipes: blocking, EOF, EPIPE/SIGPIPE, O_NONBLOCK, PIPE_BUF
 * atomicity, poll, and a pipe's owner and mode (fchmod, fchown).
 *
 * A writer blocked on a full pipe and a reader blocked on an empty one are
 * woken by a child acting later; the checks look at exact byte counts and
 * contents, so lost or duplicated data fails.
 */
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "t.h"

static volatile sig_atomic_t got_pipe;

static void
on_sigpipe(int sig)
{
	got_pipe++;
}

static void
msleep(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/*
 * fchmod and fchown on a pipe.  A pipe has no name but, as in Linux, an
 * inode with an owner (its creator), a group and mode 0600, shared by both
 * ends: fchmod/fchown on either end change what fstat shows on both, under
 * the usual rules (the owner or root may chmod, only root gives it away).
 * Run as root, as in the guest.
 */
static void
pipe_attr(void)
{
	struct stat sb;
	int fds[2], st;
	char c = 0;
	pid_t pid;

	CHECK_EQ("pipe-attr-pipe", pipe(fds), 0);
	CHECK_EQ("pipe-attr-fstat", fstat(fds[0], &sb), 0);
	CHECK("pipe-attr-isfifo", S_ISFIFO(sb.st_mode));
	CHECK_EQ("pipe-attr-mode-0600", sb.st_mode & 07777, 0600);
	CHECK_EQ("pipe-attr-uid-creator", sb.st_uid, geteuid());
	CHECK_EQ("pipe-attr-gid-creator", sb.st_gid, getegid());

	/* One end changes, the other end sees it. */
	CHECK_EQ("pipe-attr-fchmod", fchmod(fds[1], 0640), 0);
	CHECK_EQ("pipe-attr-fstat-other-end", fstat(fds[0], &sb), 0);
	CHECK("pipe-attr-still-fifo", S_ISFIFO(sb.st_mode));
	CHECK_EQ("pipe-attr-mode-0640", sb.st_mode & 07777, 0640);
	CHECK_EQ("pipe-attr-fchmod-0", fchmod(fds[0], 0), 0);
	CHECK_EQ("pipe-attr-fstat-0", fstat(fds[1], &sb), 0);
	CHECK_EQ("pipe-attr-mode-0", sb.st_mode & 07777, 0);
	/* The mode is not checked on an open descriptor. */
	CHECK_EQ("pipe-attr-write-mode-0", write(fds[1], "x", 1), 1);
	CHECK_EQ("pipe-attr-read-mode-0", read(fds[0], &c, 1), 1);
	CHECK_EQ("pipe-attr-read-byte", c, 'x');

	CHECK_EQ("pipe-attr-fchown", fchown(fds[0], 1234, 5678), 0);
	CHECK_EQ("pipe-attr-fstat-chown", fstat(fds[1], &sb), 0);
	CHECK_EQ("pipe-attr-uid", sb.st_uid, 1234);
	CHECK_EQ("pipe-attr-gid", sb.st_gid, 5678);
	CHECK_EQ("pipe-attr-fchown-nochange", fchown(fds[1], -1, -1), 0);
	CHECK_EQ("pipe-attr-fstat-nochange", fstat(fds[0], &sb), 0);
	CHECK_EQ("pipe-attr-uid-kept", sb.st_uid, 1234);
	CHECK_EQ("pipe-attr-gid-kept", sb.st_gid, 5678);

	/* Neither the owner (now 1234) nor root: EPERM for both. */
	pid = fork();
	if (pid == 0) {
		int bad = 0;

		if (setgid(4321) != 0 || setuid(4321) != 0)
			_exit(10);
		errno = 0;
		if (fchmod(fds[0], 0666) != -1 || errno != EPERM)
			bad |= 1;
		errno = 0;
		if (fchown(fds[0], 4321, -1) != -1 || errno != EPERM)
			bad |= 2;
		_exit(bad);
	}
	CHECK_EQ("pipe-attr-wait", waitpid(pid, &st, 0), pid);
	CHECK_EQ("pipe-attr-nonowner-eperm", WIFEXITED(st) ?
	    WEXITSTATUS(st) : 100 + WTERMSIG(st), 0);
	/* The owner may chmod its pipe without being root. */
	pid = fork();
	if (pid == 0) {
		if (setgid(5678) != 0 || setuid(1234) != 0)
			_exit(10);
		_exit(fchmod(fds[1], 0604) == 0 ? 0 : 1);
	}
	CHECK_EQ("pipe-attr-wait-owner", waitpid(pid, &st, 0), pid);
	CHECK_EQ("pipe-attr-owner-chmod", WIFEXITED(st) ?
	    WEXITSTATUS(st) : 100 + WTERMSIG(st), 0);
	CHECK_EQ("pipe-attr-fstat-owner", fstat(fds[0], &sb), 0);
	CHECK_EQ("pipe-attr-mode-0604", sb.st_mode & 07777, 0604);

	close(fds[0]);
	CHECK_ERR("pipe-attr-fchmod-closed", fchmod(fds[0], 0600), EBADF);
	CHECK_ERR("pipe-attr-fchown-closed", fchown(fds[0], 0, 0), EBADF);
	CHECK_ERR("pipe-attr-fchmod-badfd", fchmod(-1, 0600), EBADF);
	close(fds[1]);
}

int
main(void)
{
	int p[2], status;
	char buf[65536];
	ssize_t n;
	pid_t pid;

	t_init();

	/* Bytes come out in order; read returns what is there. */
	CHECK_EQ("pipe-create", pipe(p), 0);
	CHECK("pipe-fds-distinct", p[0] >= 0 && p[1] >= 0 && p[0] != p[1]);
	write(p[1], "hello", 5);
	n = read(p[0], buf, sizeof(buf));
	CHECK("pipe-read-available", n == 5 && memcmp(buf, "hello", 5) == 0);

	/* A read on an empty pipe blocks until a writer writes. */
	pid = fork();
	if (pid == 0) {
		msleep(100);
		write(p[1], "late", 4);
		_exit(0);
	}
	n = read(p[0], buf, sizeof(buf));
	CHECK("pipe-blocking-read", n == 4 && memcmp(buf, "late", 4) == 0);
	waitpid(pid, NULL, 0);

	/* EOF only after the last writer closes (the child holds one too). */
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		msleep(100);
		write(p[1], "z", 1);
		_exit(0);
	}
	close(p[1]);
	n = read(p[0], buf, sizeof(buf));
	CHECK("pipe-data-before-eof", n == 1 && buf[0] == 'z');
	n = read(p[0], buf, sizeof(buf));
	CHECK_EQ("pipe-eof", n, 0);
	waitpid(pid, NULL, 0);
	close(p[0]);

	/* Writing with no reader: SIGPIPE, and EPIPE when it is handled. */
	pipe(p);
	close(p[0]);
	signal(SIGPIPE, on_sigpipe);
	got_pipe = 0;
	CHECK_ERR("pipe-epipe", write(p[1], "x", 1), EPIPE);
	CHECK_EQ("pipe-sigpipe-handled", got_pipe, 1);
	signal(SIGPIPE, SIG_DFL);
	pid = fork();
	if (pid == 0) {
		write(p[1], "x", 1);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	CHECK("pipe-sigpipe-kills", WIFSIGNALED(status) &&
	    WTERMSIG(status) == SIGPIPE);
	close(p[1]);

	/* O_NONBLOCK: EAGAIN on empty, and on full. */
	CHECK_EQ("pipe2-nonblock", pipe2(p, O_NONBLOCK), 0);
	CHECK_ERR("pipe-eagain-read", read(p[0], buf, 1), EAGAIN);
	{
		size_t total = 0;

		memset(buf, 'a', sizeof(buf));
		while ((n = write(p[1], buf, 4096)) > 0)
			total += n;
		CHECK("pipe-eagain-write-full", n == -1 && errno == EAGAIN &&
		    total >= 4096);
		/* A full pipe gives its bytes back exactly. */
		size_t got = 0;

		while ((n = read(p[0], buf, sizeof(buf))) > 0)
			got += n;
		CHECK("pipe-drain-exact", got == total && n == -1 &&
		    errno == EAGAIN);
	}
	CHECK("pipe-fl-nonblock", (fcntl(p[0], F_GETFL) & O_NONBLOCK) != 0 &&
	    (fcntl(p[0], F_GETFL) & O_ACCMODE) == O_RDONLY &&
	    (fcntl(p[1], F_GETFL) & O_ACCMODE) == O_WRONLY);
	close(p[0]);
	close(p[1]);

	/* Wrong direction: the read end is not writable and vice versa. */
	pipe(p);
	CHECK_ERR("pipe-write-read-end", write(p[0], "x", 1), EBADF);
	CHECK_ERR("pipe-read-write-end", read(p[1], buf, 1), EBADF);
	CHECK_ERR("pipe-lseek", lseek(p[0], 0, SEEK_SET), ESPIPE);
	close(p[0]);
	close(p[1]);

	/*
	 * PIPE_BUF atomicity: two writers each write records of PIPE_BUF
	 * bytes of one letter; every record read back is one letter only.
	 */
	pipe(p);
	for (int w = 0; w < 2; w++) {
		if (fork() == 0) {
			char rec[PIPE_BUF];

			close(p[0]);
			memset(rec, w ? 'B' : 'A', sizeof(rec));
			for (int i = 0; i < 32; i++)
				write(p[1], rec, sizeof(rec));
			_exit(0);
		}
	}
	close(p[1]);
	{
		static char all[2 * 32 * PIPE_BUF + 1];
		size_t got = 0;
		int ok = 1;

		while ((n = read(p[0], all + got, sizeof(all) - got)) > 0)
			got += n;
		if (got != 2 * 32 * PIPE_BUF)
			ok = 0;
		for (size_t r = 0; ok && r < got; r += PIPE_BUF)
			for (size_t i = 1; i < PIPE_BUF; i++)
				if (all[r + i] != all[r]) {
					ok = 0;
					break;
				}
		CHECK("pipe-buf-atomic", ok);
	}
	while (wait(NULL) > 0)
		;
	close(p[0]);

	/* A big write (more than the pipe holds) completes once read. */
	pipe(p);
	pid = fork();
	if (pid == 0) {
		static char big[256 * 1024];

		close(p[0]);
		for (size_t i = 0; i < sizeof(big); i++)
			big[i] = (char)(i * 7);
		_exit(write(p[1], big, sizeof(big)) == sizeof(big) ? 0 : 1);
	}
	close(p[1]);
	{
		size_t got = 0;
		int ok = 1;

		while ((n = read(p[0], buf, sizeof(buf))) > 0) {
			for (ssize_t i = 0; i < n; i++)
				if (buf[i] != (char)((got + i) * 7))
					ok = 0;
			got += n;
		}
		waitpid(pid, &status, 0);
		CHECK("pipe-big-write", ok && got == 256 * 1024 &&
		    WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	close(p[0]);

	/* poll: readable when data is there, POLLHUP after the writer goes. */
	pipe(p);
	{
		struct pollfd pf[2] = { { p[0], POLLIN, 0 },
			{ p[1], POLLOUT, 0 } };

		CHECK("poll-empty", poll(pf, 1, 0) == 0 && pf[0].revents == 0);
		CHECK("poll-writable", poll(&pf[1], 1, 0) == 1 &&
		    pf[1].revents == POLLOUT);
		write(p[1], "q", 1);
		CHECK("poll-readable", poll(pf, 1, 0) == 1 &&
		    (pf[0].revents & POLLIN));
		read(p[0], buf, 1);
		pid = fork();
		if (pid == 0) {
			msleep(100);
			write(p[1], "r", 1);
			_exit(0);
		}
		pf[0].revents = 0;
		CHECK("poll-blocks-until-data", poll(pf, 1, 5000) == 1 &&
		    (pf[0].revents & POLLIN));
		waitpid(pid, NULL, 0);
		read(p[0], buf, 1);
		close(p[1]);
		CHECK("poll-hup", poll(pf, 1, 0) == 1 &&
		    (pf[0].revents & POLLHUP));
		{
			struct pollfd bad = { 999, POLLIN, 0 };

			CHECK("poll-nval", poll(&bad, 1, 0) == 1 &&
			    bad.revents == POLLNVAL);
		}
		struct timespec t0, t1;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		pf[0].fd = -1;
		poll(pf, 1, 100);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		long ms = (t1.tv_sec - t0.tv_sec) * 1000 +
		    (t1.tv_nsec - t0.tv_nsec) / 1000000;
		CHECK("poll-timeout", ms >= 90 && ms < 2000);
	}
	close(p[0]);
	CHECK_ERR("pipe-efault", pipe(T_LOW), EFAULT);
	pipe_attr();
	return (t_done());
}
