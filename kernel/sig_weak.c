/*
 * sig_weak.c: weak stand-ins for what the signal and tty code use from
 * other subsystems (processes and sleep, traps and interrupts, copyin,
 * devfs, the heap), so that this branch links and its self tests run
 * before those subsystems are merged.  Each real definition overrides its
 * stand-in; once all are merged this file can go.
 */
#include <cdev.h>
#include <clock.h>
#include <kernel.h>
#include <kmem.h>
#include <libkern.h>
#include <proc.h>
#include <signal.h>
#include <trap.h>
#include <uapi/errno.h>
#include <uio.h>

#define WEAK __attribute__((weak))

WEAK struct thread *curthread;
WEAK struct spinlock proc_lock = SPINLOCK_INIT("proc");
WEAK struct proclist allproc;
WEAK volatile uint64_t ticks;

WEAK struct proc *
pfind(pid_t pid)
{
	return (NULL);
}

WEAK struct pgrp *
pgfind(pid_t pgid)
{
	return (NULL);
}

WEAK void
exit1(struct thread *td, int xstat)
{
	panic("exit1(%d): no process code linked", xstat);
}

WEAK void
proc_stop(struct proc *p, int sig)
{
}

WEAK void
proc_continue(struct proc *p)
{
}

WEAK void
sleepq_abort(struct thread *td, int intrval)
{
}

WEAK int
tsleep(const void *chan, int flags, const char *wmesg, uint64_t timo_ns)
{
	return (-EWOULDBLOCK);
}

WEAK int
msleep(const void *chan, struct spinlock *lk, int flags, const char *wmesg,
    uint64_t timo_ns)
{
	return (-EWOULDBLOCK);
}

WEAK void
wakeup(const void *chan)
{
}

WEAK int
copyin(const void *uaddr, void *kaddr, size_t len)
{
	return (-EFAULT);
}

WEAK int
copyout(const void *kaddr, void *uaddr, size_t len)
{
	return (-EFAULT);
}

WEAK uint64_t
nanouptime(void)
{
	return (ticks * (NSEC_PER_SEC / HZ));
}

/* A bump allocator, enough for the self tests of this branch. */
static uint8_t weak_heap[256 * 1024] __aligned(16);
static size_t weak_heap_used;

WEAK void *
kmalloc(size_t size, int flags)
{
	void *p;

	size = roundup2(size, 16);
	if (weak_heap_used + size > sizeof(weak_heap))
		return (NULL);
	p = weak_heap + weak_heap_used;
	weak_heap_used += size;
	memset(p, 0, size);
	return (p);
}

WEAK void
kfree(void *p)
{
}

WEAK struct cdev *
make_dev(const struct cdevsw *devsw, int unit, dev_t rdev, mode_t mode,
    const char *name)
{
	return (NULL);
}

WEAK void
intr_establish(int vector, intr_handler_t fn, void *arg)
{
}

WEAK int
ioapic_route_irq(int irq, int vector)
{
	return (-ENODEV);
}

WEAK int
uiomove(void *cp, size_t n, struct uio *uio)
{
	size_t len;

	/* Kernel-space uios only (self tests). */
	while (n > 0 && uio->uio_resid > 0 && uio->uio_iovcnt > 0) {
		len = MIN(n, uio->uio_iov->iov_len);
		if (uio->uio_segflg != UIO_SYSSPACE)
			return (-EFAULT);
		if (uio->uio_rw == UIO_READ)
			memcpy(uio->uio_iov->iov_base, cp, len);
		else
			memcpy(cp, uio->uio_iov->iov_base, len);
		uio->uio_iov->iov_base = (char *)uio->uio_iov->iov_base + len;
		uio->uio_iov->iov_len -= len;
		if (uio->uio_iov->iov_len == 0) {
			uio->uio_iov++;
			uio->uio_iovcnt--;
		}
		uio->uio_resid -= len;
		uio->uio_offset += len;
		cp = (char *)cp + len;
		n -= len;
	}
	return (0);
}
