/*
 * pipe_test.c: ktests of pipes and FIFOs on the non-blocking paths (one
 * kernel thread cannot wait for itself): data round trip, EAGAIN, EOF,
 * EPIPE, PIPE_BUF atomicity, the 64 KiB capacity, poll, FIONREAD, lseek.
 */
#include <kmem.h>
#include <ktest.h>

#include "vfs_test.h"

int pipe_nread(struct file *fp);

static int
poll1(int fd, int events)
{
	struct file *fp;
	int r;

	if (fget(fd, &fp) != 0)
		return (-1);
	r = fp->f_ops->fo_poll(fp, events);
	fdrop(fp);
	return (r);
}

static int
nread(int fd)
{
	struct file *fp;
	int n;

	if (fget(fd, &fp) != 0)
		return (-1);
	n = pipe_nread(fp);
	fdrop(fp);
	return (n);
}

KTEST(pipe_write_read_eof)
{
	char buf[16];
	int fds[2];

	KT_EQ(kern_pipe2(fds, O_NONBLOCK), 0);
	KT_ASSERT(fds[0] >= 0 && fds[1] >= 0 && fds[0] != fds[1]);
	KT_EQ(kt_read(fds[0], buf, sizeof(buf)), -EAGAIN);
	KT_EQ(poll1(fds[0], POLLIN), 0);
	KT_EQ(poll1(fds[1], POLLOUT), POLLOUT);
	KT_EQ(kt_write(fds[1], "hello", 5), 5);
	KT_EQ(nread(fds[0]), 5);
	KT_EQ(poll1(fds[0], POLLIN), POLLIN);
	/* The ends are one-way. */
	KT_EQ(kt_write(fds[0], "x", 1), -EBADF);
	KT_EQ(kt_read(fds[1], buf, 1), -EBADF);
	KT_EQ(sys_lseek(fds[0], 0, SEEK_SET), -ESPIPE);
	memset(buf, 0, sizeof(buf));
	KT_EQ(kt_read(fds[0], buf, 3), 3);
	KT_ASSERT(memcmp(buf, "hel", 3) == 0);
	KT_EQ(kt_read(fds[0], buf, sizeof(buf)), 2);
	KT_ASSERT(memcmp(buf, "lo", 2) == 0);
	/* Writer gone: EOF (0) and POLLHUP. */
	KT_EQ(kt_write(fds[1], "z", 1), 1);
	KT_EQ(kern_close(fds[1]), 0);
	KT_EQ(kt_read(fds[0], buf, sizeof(buf)), 1);
	KT_EQ(kt_read(fds[0], buf, sizeof(buf)), 0);
	KT_ASSERT(poll1(fds[0], POLLIN) & POLLHUP);
	KT_EQ(kern_close(fds[0]), 0);
	KT_EQ(kern_pipe2(fds, 0x1), -EINVAL);
}

KTEST(pipe_epipe_capacity_atomic)
{
	char *big;
	int fds[2];

	KT_EQ(kern_pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
	KT_EQ(sys_fcntl(fds[0], F_GETFD, 0), FD_CLOEXEC);
	KT_EQ(sys_fcntl(fds[1], F_GETFL, 0), O_WRONLY | O_NONBLOCK);
	big = kmalloc(65536, M_WAITOK);
	KT_ASSERT(big != NULL);
	memset(big, 'b', 65536);
	/* 64 KiB fit, then the pipe is full. */
	KT_EQ(kt_write(fds[1], big, 65536 - 100), 65536 - 100);
	KT_EQ(poll1(fds[1], POLLOUT), 0);
	/* 200 <= PIPE_BUF bytes do not fit in 100: all or nothing. */
	KT_EQ(kt_write(fds[1], big, 200), -EAGAIN);
	KT_EQ(nread(fds[0]), 65536 - 100);
	/* More than PIPE_BUF: a partial write is allowed. */
	KT_EQ(kt_write(fds[1], big, 5000), 100);
	KT_EQ(kt_write(fds[1], big, 1), -EAGAIN);
	KT_EQ(kt_read(fds[0], big, 65536), 65536);
	/* Reader gone: EPIPE (SIGPIPE goes to the process, if any). */
	KT_EQ(kern_close(fds[0]), 0);
	KT_EQ(kt_write(fds[1], "x", 1), -EPIPE);
	KT_ASSERT(poll1(fds[1], POLLOUT) & POLLERR);
	KT_EQ(kern_close(fds[1]), 0);
	kfree(big);
}

KTEST(pipe_fifo)
{
	char buf[8];
	int r, w;

	KT_EQ(kern_mknodat(AT_FDCWD, "/tmp/kt_fifo", S_IFIFO | 0600, 0), 0);
	/* A non-blocking writer with no reader: ENXIO. */
	KT_EQ(kt_open("/tmp/kt_fifo", O_WRONLY | O_NONBLOCK, 0), -ENXIO);
	r = kt_open("/tmp/kt_fifo", O_RDONLY | O_NONBLOCK, 0);
	KT_ASSERT(r >= 0);
	w = kt_open("/tmp/kt_fifo", O_WRONLY | O_NONBLOCK, 0);
	KT_ASSERT(w >= 0);
	KT_EQ(kt_write(w, "fifo", 4), 4);
	KT_EQ(kt_read(r, buf, sizeof(buf)), 4);
	KT_ASSERT(memcmp(buf, "fifo", 4) == 0);
	KT_EQ(kt_read(r, buf, sizeof(buf)), -EAGAIN);
	KT_EQ(kern_close(w), 0);
	KT_EQ(kt_read(r, buf, sizeof(buf)), 0);
	KT_EQ(kern_close(r), 0);
	KT_EQ(kern_unlinkat(AT_FDCWD, "/tmp/kt_fifo", 0), 0);
}
