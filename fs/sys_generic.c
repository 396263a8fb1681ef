/*
 * sys_generic.c: the system calls that work on any open file -- read,
 * write and their vector and positioned forms, lseek, ioctl, poll and
 * select (FreeBSD kern/sys_generic.c).
 *
 * Each builds a uio and hands it to the file's fileops; none knows what
 * kind of file it has.  poll and select ask every file fo_poll "ready
 * now?" and, if none is, sleep on one global channel, selwait, until some
 * object calls selwakeup or the timeout passes.  A generation counter
 * taken under sel_mtx before the scan closes the window between the scan
 * and the sleep: a wakeup in between makes the sleeper scan again.
 * A driver that forgets selwakeup is still noticed: a sleeper rescans at
 * least every SEL_RESCAN_NS.
 */
#include <clock.h>
#include <file.h>
#include <kernel.h>
#include <kmem.h>
#include <libkern.h>
#include <proc.h>
#include <signal.h>
#include <trap.h>
#include <vnode.h>

static struct spinlock sel_mtx = SPINLOCK_INIT("select");
static uint64_t selgen;		/* sel_mtx: bumped by every selwakeup */
static int selwait;		/* the sleep channel */

#define SEL_RESCAN_NS	(50ULL * 1000000)	/* 50 ms */

void
selwakeup_poll(void)
{
	spin_lock(&sel_mtx);
	selgen++;
	spin_unlock(&sel_mtx);
	wakeup(&selwait);
}

void
selwakeup(struct selinfo *sip)
{
	selwakeup_poll();
	if (sip != NULL)
		knote(&sip->si_note, 0);
}

/*
 * The common half of read and write (FreeBSD dofileread/dofilewrite):
 * check the descriptor suits the direction, run fo_read or fo_write, and
 * report a partial transfer as the bytes moved rather than the error.
 */
static ssize_t
dofileio(int fd, struct uio *uio, int flags, enum uio_rw rw)
{
	int (*fo_io)(struct file *, struct uio *, int);
	struct file *fp;
	bool held;
	ssize_t start = uio->uio_resid;
	int error;

	if ((error = fget_light(fd, &fp, &held)) != 0)
		return (error);
	fo_io = rw == UIO_READ ? fp->f_ops->fo_read : fp->f_ops->fo_write;
	if (!(rw == UIO_READ ? FREAD(fp) : FWRITE(fp)) ||
	    (fp->f_flag & O_PATH) || fo_io == NULL) {
		fdrop_light(fp, held);
		return (-EBADF);
	}
	if ((flags & FOF_OFFSET) && fp->f_ops->fo_seek == NULL) {
		fdrop_light(fp, held);
		return (-ESPIPE);
	}
	uio->uio_rw = rw;
	error = fo_io(fp, uio, flags);
	fdrop_light(fp, held);
	if (uio->uio_resid != start)
		return (start - uio->uio_resid);
	return (error);
}

ssize_t
kern_readv(int fd, struct uio *uio, int flags)
{
	return (dofileio(fd, uio, flags, UIO_READ));
}

ssize_t
kern_writev(int fd, struct uio *uio, int flags)
{
	return (dofileio(fd, uio, flags, UIO_WRITE));
}

/* One user buffer: read, write, pread64, pwrite64. */
static long
rw1(int fd, void *buf, size_t count, off_t off, int flags, enum uio_rw rw)
{
	struct iovec iov = { buf, count };
	struct uio uio = { &iov, 1, off, (ssize_t)count, UIO_USERSPACE, rw };

	if ((ssize_t)count < 0)
		return (-EINVAL);
	if ((flags & FOF_OFFSET) && off < 0)
		return (-EINVAL);
	if (count > MAX_RW_COUNT)
		iov.iov_len = uio.uio_resid = MAX_RW_COUNT;
	return (dofileio(fd, &uio, flags, rw));
}

/* read(2): EBADF fd not open for reading; EFAULT bad buf; EINVAL count
 * too large; EISDIR a directory; EAGAIN non-blocking and nothing ready;
 * EINTR a signal before any data. */
long
sys_read(int fd, void *buf, size_t count)
{
	return (rw1(fd, buf, count, 0, 0, UIO_READ));
}

/* write(2): EBADF not open for writing; EFAULT; EINVAL; EAGAIN; EPIPE
 * (with SIGPIPE) no reader; ENOSPC / EFBIG the file system is full. */
long
sys_write(int fd, const void *buf, size_t count)
{
	return (rw1(fd, (void *)buf, count, 0, 0, UIO_WRITE));
}

/* pread64(2): as read at offset off; EINVAL off < 0; ESPIPE pipe/tty. */
long
sys_pread64(int fd, void *buf, size_t count, off_t off)
{
	return (rw1(fd, buf, count, off, FOF_OFFSET, UIO_READ));
}

/* pwrite64(2): as write at offset off; EINVAL off < 0; ESPIPE. */
long
sys_pwrite64(int fd, const void *buf, size_t count, off_t off)
{
	return (rw1(fd, (void *)buf, count, off, FOF_OFFSET, UIO_WRITE));
}

/*
 * Copy in and check an iovec array: EINVAL bad count or a length that is
 * negative as an ssize_t.  As on Linux the total is cut at MAX_RW_COUNT
 * by shortening the vector (the check is in unsigned arithmetic: a signed
 * overflow test is undefined and was compiled away -- fuzz seed 31 saw
 * writev return a huge negative count).
 */
static int
iov_copyin(const struct iovec *uiov, int iovcnt, struct iovec **iovp,
    ssize_t *total)
{
	struct iovec *iov;
	ssize_t sum = 0;
	int error;

	if (iovcnt < 0 || iovcnt > UIO_MAXIOV)
		return (-EINVAL);
	iov = kmalloc(MAX(iovcnt, 1) * sizeof(*iov), M_WAITOK);
	if (iov == NULL)
		return (-ENOMEM);
	if ((error = copyin(uiov, iov, iovcnt * sizeof(*iov))) != 0) {
		kfree(iov);
		return (error);
	}
	for (int i = 0; i < iovcnt; i++) {
		if ((ssize_t)iov[i].iov_len < 0) {
			kfree(iov);
			return (-EINVAL);
		}
		if (iov[i].iov_len > (size_t)(MAX_RW_COUNT - sum))
			iov[i].iov_len = (size_t)(MAX_RW_COUNT - sum);
		sum += (ssize_t)iov[i].iov_len;
	}
	*iovp = iov;
	*total = sum;
	return (0);
}

/* A user iovec array: readv, writev. */
static long
rwv(int fd, const struct iovec *uiov, int iovcnt, enum uio_rw rw)
{
	struct iovec *iov;
	struct uio uio;
	ssize_t total;
	long r;

	if ((r = iov_copyin(uiov, iovcnt, &iov, &total)) != 0)
		return (r);
	uio = (struct uio){ iov, iovcnt, 0, total, UIO_USERSPACE, rw };
	r = dofileio(fd, &uio, 0, rw);
	kfree(iov);
	return (r);
}

/* readv(2): as read; EINVAL iovcnt < 0 or > 1024 or lengths overflow. */
long
sys_readv(int fd, const struct iovec *iov, int iovcnt)
{
	return (rwv(fd, iov, iovcnt, UIO_READ));
}

/* writev(2): as write; EINVAL as readv. */
long
sys_writev(int fd, const struct iovec *iov, int iovcnt)
{
	return (rwv(fd, iov, iovcnt, UIO_WRITE));
}

/* lseek(2): EBADF; ESPIPE pipe, FIFO or tty; EINVAL bad whence or a
 * negative resulting offset. */
long
sys_lseek(int fd, off_t off, int whence)
{
	struct file *fp;
	off_t n;
	int error;

	if ((error = fget(fd, &fp)) != 0)
		return (error);
	if (fp->f_ops->fo_seek == NULL)
		n = -ESPIPE;
	else if (whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END)
		n = -EINVAL;
	else {
		n = fp->f_ops->fo_seek(fp, off, whence);
		if (n < 0 && n != -ESPIPE)
			n = -EINVAL;
		if (n >= 0)
			fp->f_offset = n;
	}
	fdrop(fp);
	return (n);
}

/*
 * ioctl(2): FIOCLEX / FIONCLEX set / clear close-on-exec; FIONBIO sets or
 * clears O_NONBLOCK from an int; FIONREAD on a regular file gives the
 * bytes left after the offset; everything else goes to the file's
 * fo_ioctl.  EBADF; EFAULT bad arg; ENOTTY not a request this file knows.
 */
long
sys_ioctl(int fd, unsigned long cmd, unsigned long arg)
{
	struct file *fp;
	int error, v;

	/* Linux's request is an unsigned int: musl passes it as an int,
	 * so _IOR requests (bit 31) arrive sign-extended. */
	cmd = (unsigned int)cmd;
	if ((error = fget(fd, &fp)) != 0)
		return (error);
	switch (cmd) {
	case FIOCLEX:
	case FIONCLEX:
		fdrop(fp);
		return (sys_fcntl(fd, F_SETFD, cmd == FIOCLEX ? FD_CLOEXEC : 0));
	case FIONBIO:
		if ((error = copyin((void *)arg, &v, sizeof(v))) != 0)
			break;
		spin_lock(&fp->f_lock);
		if (v)
			fp->f_flag |= O_NONBLOCK;
		else
			fp->f_flag &= ~O_NONBLOCK;
		spin_unlock(&fp->f_lock);
		break;
	case FIOASYNC:
		break;
	case FIONREAD:
		if (fp->f_type == DTYPE_VNODE && fp->f_vnode->v_type == VREG) {
			v = (int)MAX(0, MIN(fp->f_vnode->v_size - fp->f_offset,
			    (off_t)INT32_MAX));
			error = copyout(&v, (void *)arg, sizeof(v));
			break;
		}
		/* FALLTHROUGH */
	default:
		error = fp->f_ops->fo_ioctl != NULL ?
		    fp->f_ops->fo_ioctl(fp, cmd, (void *)arg) : -ENOTTY;
	}
	fdrop(fp);
	return (error);
}

/*
 * Sleep until something may have become ready: returns 0 to rescan,
 * -EWOULDBLOCK when the deadline (0: none) passed, -EINTR on a signal.
 */
static int
sel_wait(uint64_t gen, uint64_t deadline)
{
	uint64_t now, timo = 0;
	int error = 0;

	if (deadline != 0) {
		now = nanouptime();
		if (now >= deadline)
			return (-EWOULDBLOCK);
		timo = deadline - now;
	}
	if (timo == 0 || timo > SEL_RESCAN_NS)
		timo = SEL_RESCAN_NS;
	spin_lock(&sel_mtx);
	if (selgen == gen)
		error = msleep(&selwait, &sel_mtx, PCATCH, "select", timo);
	spin_unlock(&sel_mtx);
	if (error == -EWOULDBLOCK && (deadline == 0 || nanouptime() < deadline))
		error = 0;		/* only the rescan slice ran out */
	if (error == -ERESTART)
		error = -EINTR;		/* poll and select are not restarted */
	return (error);
}

static uint64_t
sel_gen(void)
{
	uint64_t g;

	spin_lock(&sel_mtx);
	g = selgen;
	spin_unlock(&sel_mtx);
	return (g);
}

/* One pass over the pollfds; the number with events. */
static int
poll_scan(struct pollfd *pfd, unsigned nfds)
{
	struct file *fp;
	bool held;
	int n = 0;

	for (unsigned i = 0; i < nfds; i++) {
		pfd[i].revents = 0;
		if (pfd[i].fd < 0)
			continue;
		if (fget_light(pfd[i].fd, &fp, &held) != 0)
			pfd[i].revents = POLLNVAL;
		else {
			int want = pfd[i].events | POLLERR | POLLHUP;

			if (fp->f_ops->fo_poll != NULL)
				pfd[i].revents = fp->f_ops->fo_poll(fp, want) &
				    want;
			fdrop_light(fp, held);
		}
		if (pfd[i].revents != 0)
			n++;
	}
	return (n);
}

#define POLL_STACK	32	/* pollfds kept on the stack (256 bytes) */

/*
 * timeout_ns < 0: forever.  Small arrays stay on the stack; on the way out
 * only the revents that differ from what the caller passed in are written
 * back (writing an equal value is not observable), so a loop polling the
 * same set costs one copyin and almost no copyout.
 */
static long
kern_poll(struct pollfd *ufds, unsigned nfds, int64_t timeout_ns)
{
	struct pollfd stk[POLL_STACK], *pfd;
	short ostk[POLL_STACK], *old;
	uint64_t deadline = 0, gen = 0;
	long n;
	int error;

	if (nfds > 65536)
		return (-EINVAL);
	if (nfds <= POLL_STACK) {
		pfd = stk;
		old = ostk;
	} else {
		pfd = kmalloc(nfds * (sizeof(*pfd) + sizeof(*old)), M_WAITOK);
		if (pfd == NULL)
			return (-ENOMEM);
		old = (short *)(pfd + nfds);
	}
	if ((error = copyin(ufds, pfd, nfds * sizeof(*pfd))) != 0) {
		n = error;
		goto out;
	}
	for (unsigned i = 0; i < nfds; i++)
		old[i] = pfd[i].revents;
	if (timeout_ns > 0)
		deadline = nanouptime() + timeout_ns;
	for (;;) {
		if (timeout_ns != 0)
			gen = sel_gen();
		n = poll_scan(pfd, nfds);
		if (n > 0 || timeout_ns == 0)
			break;
		error = sel_wait(gen, deadline);
		if (error == -EWOULDBLOCK) {
			n = poll_scan(pfd, nfds);
			break;
		}
		if (error != 0) {
			n = error;
			break;
		}
	}
	if (n >= 0)
		for (unsigned i = 0; i < nfds && error != -EFAULT; i++)
			if (pfd[i].revents != old[i])
				error = copyout(&pfd[i].revents,
				    &ufds[i].revents, sizeof(short));
out:
	if (pfd != stk)
		kfree(pfd);
	if (error == -EFAULT)
		return (error);
	return (n);
}

/* poll(2): EFAULT bad fds; EINVAL nfds too large; EINTR a signal;
 * EBADF never (a bad fd gives POLLNVAL). timeout < 0: forever. */
long
sys_poll(struct pollfd *fds, unsigned nfds, int timeout)
{
	return (kern_poll(fds, nfds, timeout < 0 ? -1 :
	    (int64_t)timeout * 1000000));
}

static int
ts_to_ns(const struct timespec *uts, int64_t *ns)
{
	struct timespec ts;
	int error;

	if (uts == NULL) {
		*ns = -1;
		return (0);
	}
	if ((error = copyin(uts, &ts, sizeof(ts))) != 0)
		return (error);
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
		return (-EINVAL);
	*ns = ts.tv_sec > INT64_MAX / 1000000000 - 1 ? INT64_MAX :
	    ts.tv_sec * 1000000000 + ts.tv_nsec;
	return (0);
}

/* Replace the thread's signal mask by *usigmask (if given); 1 if swapped. */
static int
swap_sigmask(const uint64_t *usigmask, size_t size, uint64_t *old)
{
	uint64_t m;
	int error;

	if (usigmask == NULL || curthread == NULL)
		return (0);
	if (size != sizeof(uint64_t))
		return (-EINVAL);
	if ((error = copyin(usigmask, &m, sizeof(m))) != 0)
		return (error);
	*old = curthread->td_sigmask;
	curthread->td_sigmask = m & ~(sigmask(SIGKILL) | sigmask(SIGSTOP));
	return (1);
}

/* ppoll(2): as poll with a timespec (EINVAL if malformed) and a signal
 * mask held while waiting (restored on return, see docs/vfs.md). */
long
sys_ppoll(struct pollfd *fds, unsigned nfds, const struct timespec *ts,
    const uint64_t *sigmask, size_t sigsetsize)
{
	uint64_t old = 0;
	int64_t ns;
	long r;
	int swapped;

	if ((r = ts_to_ns(ts, &ns)) != 0)
		return (r);
	if ((swapped = swap_sigmask(sigmask, sigsetsize, &old)) < 0)
		return (swapped);
	r = kern_poll(fds, nfds, ns);
	if (swapped)
		curthread->td_sigmask = old;
	return (r);
}

/* One pass of select: fills out[3] from in[3]; count or -EBADF. */
static int
select_scan(int nfds, const uint64_t *in, uint64_t *out, int nw)
{
	static const int ev[3] = { POLLIN | POLLRDNORM, POLLOUT | POLLWRNORM,
		POLLPRI };
	static const int hit[3] = { POLLIN | POLLRDNORM | POLLHUP | POLLERR,
		POLLOUT | POLLWRNORM | POLLERR, POLLPRI };
	struct file *fp;
	int n = 0;

	memset(out, 0, 3 * nw * sizeof(uint64_t));
	for (int fd = 0; fd < nfds; fd++) {
		int want = 0, r = 0, w = fd / 64;
		uint64_t bit = 1ULL << (fd % 64);

		for (int k = 0; k < 3; k++)
			if (in[k * nw + w] & bit)
				want |= ev[k];
		if (want == 0)
			continue;
		if (fget(fd, &fp) != 0)
			return (-EBADF);
		if (fp->f_ops->fo_poll != NULL)
			r = fp->f_ops->fo_poll(fp, want | POLLERR | POLLHUP);
		fdrop(fp);
		for (int k = 0; k < 3; k++)
			if ((in[k * nw + w] & bit) && (r & hit[k])) {
				out[k * nw + w] |= bit;
				n++;
			}
	}
	return (n);
}

static long
kern_select(int nfds, linux_fd_set *u[3], int64_t timeout_ns,
    int64_t *left_ns)
{
	uint64_t in[3 * FD_SETSIZE / 64], out[3 * FD_SETSIZE / 64];
	uint64_t deadline = 0, gen, start = nanouptime();
	int nw, error;
	long n;

	if (nfds < 0)
		return (-EINVAL);
	nfds = MIN(nfds, FD_SETSIZE);
	nw = howmany(nfds, 64);
	memset(in, 0, sizeof(in));
	for (int k = 0; k < 3; k++)
		if (u[k] != NULL && nw > 0 && (error = copyin(u[k],
		    &in[k * nw], nw * sizeof(uint64_t))) != 0)
			return (error);
	if (timeout_ns > 0)
		deadline = start + timeout_ns;
	for (;;) {
		gen = sel_gen();
		n = select_scan(nfds, in, out, nw);
		if (n != 0 || timeout_ns == 0)
			break;
		error = sel_wait(gen, deadline);
		if (error == -EWOULDBLOCK) {
			n = select_scan(nfds, in, out, nw);
			break;
		}
		if (error != 0)
			return (error);
	}
	if (n < 0)
		return (n);
	for (int k = 0; k < 3; k++)
		if (u[k] != NULL && nw > 0 && (error = copyout(&out[k * nw],
		    u[k], nw * sizeof(uint64_t))) != 0)
			return (error);
	if (left_ns != NULL && timeout_ns > 0) {
		uint64_t used = nanouptime() - start;
		*left_ns = used >= (uint64_t)timeout_ns ? 0 :
		    timeout_ns - used;
	}
	return (n);
}

/* select(2): EBADF a set names a closed fd; EINVAL nfds < 0 or a bad
 * timeval; EFAULT; EINTR.  The timeval is updated with the time left. */
long
sys_select(int nfds, linux_fd_set *rd, linux_fd_set *wr, linux_fd_set *ex,
    struct timeval *utv)
{
	linux_fd_set *u[3] = { rd, wr, ex };
	struct timeval tv;
	int64_t ns = -1, left = 0;
	long r;
	int error;

	if (utv != NULL) {
		if ((error = copyin(utv, &tv, sizeof(tv))) != 0)
			return (error);
		if (tv.tv_sec < 0 || tv.tv_usec < 0 || tv.tv_usec >= 1000000)
			return (-EINVAL);
		ns = tv.tv_sec * 1000000000LL + tv.tv_usec * 1000;
	}
	r = kern_select(nfds, u, ns, &left);
	if (utv != NULL && r >= 0 && ns > 0) {
		tv.tv_sec = left / 1000000000;
		tv.tv_usec = (left % 1000000000) / 1000;
		(void)copyout(&tv, utv, sizeof(tv));
	}
	return (r);
}

/* pselect6(2): as select with a timespec and {sigset *, size} in sig. */
long
sys_pselect6(int nfds, linux_fd_set *rd, linux_fd_set *wr, linux_fd_set *ex,
    struct timespec *ts, void *sig)
{
	linux_fd_set *u[3] = { rd, wr, ex };
	struct { const uint64_t *ss; size_t len; } sd = { NULL, 0 };
	uint64_t old = 0;
	int64_t ns;
	long r;
	int swapped;

	if ((r = ts_to_ns(ts, &ns)) != 0)
		return (r);
	if (sig != NULL && (r = copyin(sig, &sd, sizeof(sd))) != 0)
		return (r);
	if ((swapped = swap_sigmask(sd.ss, sd.len, &old)) < 0)
		return (swapped);
	r = kern_select(nfds, u, ns, NULL);
	if (swapped)
		curthread->td_sigmask = old;
	return (r);
}
