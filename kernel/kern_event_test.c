/*
 * kern_event_test.c: ktests of kevent's bookkeeping, run in the kernel
 * with kernel buffers (kern_kevent(..., user = false)): every knote and
 * kqueue made is counted in kq_nknotes / kq_nkqueues, and each way a
 * knote can go -- EV_DELETE, EV_ONESHOT, descriptor close, kqueue close,
 * a failed registration -- brings the counts back to where they started.
 */
#include <event.h>
#include <file.h>
#include <kernel.h>
#include <ktest.h>
#include <libkern.h>
#include <proc.h>
#include <uapi/errno.h>
#include <uio.h>

static int
kt_change(int kq, uint64_t ident, int filter, int flags, uint32_t fflags,
    int64_t data)
{
	struct kevent kev;

	EV_SET(&kev, ident, filter, flags, fflags, data, NULL);
	return (kern_kevent(kq, &kev, 1, NULL, 0, 0, false));
}

static int
kt_collect(int kq, struct kevent *ev, int n)
{
	return (kern_kevent(kq, NULL, 0, ev, n, 0, false));
}

static ssize_t
kt_put(int fd, const char *s, size_t n)
{
	struct iovec iov = { (void *)s, n };
	struct uio uio = { &iov, 1, 0, (ssize_t)n, UIO_SYSSPACE, UIO_WRITE };

	return (kern_writev(fd, &uio, 0));
}

KTEST(kevent_counts_pipe)
{
	int kn0 = kq_nknotes, kq0 = kq_nkqueues, kq, fds[2];
	struct kevent ev[4];

	kq = kern_kqueue(0);
	KT_ASSERT(kq >= 0);
	KT_EQ(kq_nkqueues, kq0 + 1);
	KT_EQ(kern_pipe2(fds, 0), 0);
	KT_EQ(kt_change(kq, fds[0], EVFILT_READ, EV_ADD, 0, 0), 0);
	KT_EQ(kt_change(kq, fds[1], EVFILT_WRITE, EV_ADD, 0, 0), 0);
	KT_EQ(kq_nknotes, kn0 + 2);
	/* Re-adding updates in place: no new knote. */
	KT_EQ(kt_change(kq, fds[0], EVFILT_READ, EV_ADD, 0, 0), 0);
	KT_EQ(kq_nknotes, kn0 + 2);
	KT_EQ(kt_collect(kq, ev, 4), 1);		/* writable only */
	KT_EQ(ev[0].filter, EVFILT_WRITE);
	KT_EQ(ev[0].data, 65536);
	KT_EQ(kt_put(fds[1], "abc", 3), 3);
	KT_EQ(kt_collect(kq, ev, 4), 2);
	KT_ASSERT((ev[0].filter == EVFILT_READ && ev[0].data == 3) ||
	    (ev[1].filter == EVFILT_READ && ev[1].data == 3));
	/* Closing a descriptor drops its knote. */
	KT_EQ(kern_close(fds[0]), 0);
	KT_EQ(kq_nknotes, kn0 + 1);
	KT_EQ(kt_change(kq, fds[1], EVFILT_WRITE, EV_DELETE, 0, 0), 0);
	KT_EQ(kq_nknotes, kn0);
	KT_EQ(kt_change(kq, fds[1], EVFILT_WRITE, EV_DELETE, 0, 0), -ENOENT);
	KT_EQ(kern_close(fds[1]), 0);
	KT_EQ(kern_close(kq), 0);
	KT_EQ(kq_nkqueues, kq0);
	KT_EQ(kq_nknotes, kn0);
}

KTEST(kevent_counts_nonfd)
{
	int kn0 = kq_nknotes, kq0 = kq_nkqueues, kq;
	struct kevent ev[4];

	kq = kern_kqueue(0);
	KT_ASSERT(kq >= 0);
	/* Failed registrations leave nothing behind. */
	KT_EQ(kt_change(kq, 1, -99, EV_ADD, 0, 0), -EINVAL);
	KT_EQ(kt_change(kq, 1, EVFILT_TIMER, EV_ADD, 0, 0), -EINVAL);
	KT_EQ(kt_change(kq, 1, EVFILT_TIMER, EV_ADD, 0, -1), -EINVAL);
	KT_EQ(kt_change(kq, 12345, EVFILT_READ, EV_ADD, 0, 0), -EBADF);
	KT_EQ(kt_change(kq, kq, EVFILT_READ, EV_ADD, 0, 0), -EINVAL);
	KT_EQ(kt_change(kq, 999999, EVFILT_PROC, EV_ADD, NOTE_EXIT, 0),
	    -ESRCH);
	KT_EQ(kq_nknotes, kn0);
	/* A long timer, user events, one of them one-shot. */
	KT_EQ(kt_change(kq, 1, EVFILT_TIMER, EV_ADD, NOTE_SECONDS, 100), 0);
	KT_EQ(kt_change(kq, 2, EVFILT_USER, EV_ADD, 0, 0), 0);
	KT_EQ(kt_change(kq, 3, EVFILT_USER, EV_ADD | EV_ONESHOT,
	    NOTE_TRIGGER, 0), 0);
	/* Many identifiers in the hash, a chain longer than one. */
	for (int i = 100; i < 400; i++)
		KT_EQ(kt_change(kq, i, EVFILT_USER, EV_ADD, 0, 0), 0);
	KT_EQ(kq_nknotes, kn0 + 303);
	KT_EQ(kt_change(kq, 250, EVFILT_USER, 0, NOTE_TRIGGER, 0), 0);
	KT_EQ(kt_collect(kq, ev, 4), 2);	/* 3 (one-shot) and 250 */
	KT_EQ(kq_nknotes, kn0 + 302);		/* the one-shot went */
	KT_EQ(kt_change(kq, 3, EVFILT_USER, EV_DELETE, 0, 0), -ENOENT);
	for (int i = 100; i < 200; i++)
		KT_EQ(kt_change(kq, i, EVFILT_USER, EV_DELETE, 0, 0), 0);
	KT_EQ(kq_nknotes, kn0 + 202);
	/* Closing the kqueue frees the rest, and stops the timer. */
	KT_EQ(kern_close(kq), 0);
	KT_EQ(kq_nknotes, kn0);
	KT_EQ(kq_nkqueues, kq0);
}

KTEST(kevent_kqueue_cycle)
{
	int kn0 = kq_nknotes, kq0 = kq_nkqueues, a, b, fds[2];
	struct kevent ev[4];

	a = kern_kqueue(0);
	b = kern_kqueue(0);
	KT_EQ(kern_pipe2(fds, 0), 0);
	KT_EQ(kt_change(a, fds[0], EVFILT_READ, EV_ADD, 0, 0), 0);
	KT_EQ(kt_change(b, a, EVFILT_READ, EV_ADD, 0, 0), 0);
	KT_EQ(kt_change(a, b, EVFILT_READ, EV_ADD, 0, 0), 0);
	KT_EQ(kt_put(fds[1], "x", 1), 1);	/* fires round the cycle */
	KT_EQ(kt_collect(a, ev, 4), 2);
	KT_EQ(kt_collect(b, ev, 4), 1);
	KT_EQ(ev[0].data, 2);			/* a has two pending */
	KT_EQ(kq_nknotes, kn0 + 3);
	/* Closing a drops a's two knotes and b's knote on a. */
	KT_EQ(kern_close(a), 0);
	KT_EQ(kq_nknotes, kn0);
	KT_EQ(kq_nkqueues, kq0 + 1);
	KT_EQ(kern_close(b), 0);
	KT_EQ(kern_close(fds[0]), 0);
	KT_EQ(kern_close(fds[1]), 0);
	KT_EQ(kq_nknotes, kn0);
	KT_EQ(kq_nkqueues, kq0);
}

KTEST(kevent_receipt_and_errors)
{
	int kq = kern_kqueue(0), kn0 = kq_nknotes;
	struct kevent ch[2], ev[2];

	EV_SET(&ch[0], 7, EVFILT_USER, EV_ADD | EV_RECEIPT, 0, 0, NULL);
	EV_SET(&ch[1], 8, EVFILT_USER, EV_DELETE, 0, 0, NULL);
	KT_EQ(kern_kevent(kq, ch, 2, ev, 2, 0, false), 2);
	KT_EQ(ev[0].flags, EV_ERROR);
	KT_EQ(ev[0].data, 0);
	KT_EQ(ev[1].flags, EV_ERROR);
	KT_EQ(ev[1].data, ENOENT);
	/* No room: the first error fails the call. */
	KT_EQ(kern_kevent(kq, &ch[1], 1, NULL, 0, 0, false), -ENOENT);
	KT_EQ(kern_kevent(kq, NULL, -1, NULL, 0, 0, false), -EINVAL);
	KT_EQ(kern_kevent(kq, NULL, 0, NULL, -1, 0, false), -EINVAL);
	KT_EQ(kq_nknotes, kn0 + 1);
	KT_EQ(kern_close(kq), 0);
	KT_EQ(kq_nknotes, kn0);
}

/*
 * Exit: fdfree of a table still holding kqueues (with knotes on pipes,
 * on each other, timers and user events) releases every one of them.
 * The test runs on a private table installed as the current process's.
 */
KTEST(kevent_fdfree_releases_all)
{
	int kn0 = kq_nknotes, kq0 = kq_nkqueues, a, b, fds[2];
	struct proc *p = curthread->td_proc;
	struct filedesc *saved = p->p_fd, *fdp = fdinit();

	KT_ASSERT(fdp != NULL);
	p->p_fd = fdp;
	a = kern_kqueue(0);
	b = kern_kqueue(O_CLOEXEC);
	KT_EQ(kern_pipe2(fds, 0), 0);
	KT_EQ(kt_change(a, fds[0], EVFILT_READ, EV_ADD, 0, 0), 0);
	KT_EQ(kt_change(a, fds[1], EVFILT_WRITE, EV_ADD, 0, 0), 0);
	KT_EQ(kt_change(b, a, EVFILT_READ, EV_ADD, 0, 0), 0);
	KT_EQ(kt_change(a, b, EVFILT_READ, EV_ADD, 0, 0), 0);
	KT_EQ(kt_change(b, 1, EVFILT_TIMER, EV_ADD, 0, 5), 0);
	KT_EQ(kt_change(b, 2, EVFILT_USER, EV_ADD, NOTE_TRIGGER, 0), 0);
	KT_EQ(kq_nknotes, kn0 + 6);
	KT_EQ(kq_nkqueues, kq0 + 2);
	p->p_fd = saved;
	fdfree(fdp);
	KT_EQ(kq_nknotes, kn0);
	KT_EQ(kq_nkqueues, kq0);
}
