/*
 * vfs_weak.c: weak stand-ins for services of other subsystems, so the
 * file layer links (and its ktests run) before those are merged.
 *
 * Each is overridden by the real, strong definition: proc (curthread,
 * sleep/wakeup, psignal), cpu (copyin/copyout), clock (nanotime), mm
 * (kmalloc -- a bump allocator over a static arena that never frees;
 * delete it once mm is in main).  With no scheduler, a sleep cannot end
 * by wakeup, so tsleep answers at once as if it had timed out.
 */
#include <clock.h>
#include <kmem.h>
#include <libkern.h>
#include <proc.h>
#include <trap.h>
#include <uapi/errno.h>

__attribute__((weak)) struct thread *curthread;

__attribute__((weak)) int
tsleep(const void *chan, int flags, const char *wmesg, uint64_t timo_ns)
{
	return (-EWOULDBLOCK);
}

__attribute__((weak)) int
msleep(const void *chan, struct spinlock *lk, int flags, const char *wmesg,
    uint64_t timo_ns)
{
	return (-EWOULDBLOCK);
}

__attribute__((weak)) void
wakeup(const void *chan)
{
}

__attribute__((weak)) void
psignal(struct proc *p, int sig)
{
}

__attribute__((weak)) uint64_t
nanotime(void)
{
	static uint64_t fake = 1700000000ULL * NSEC_PER_SEC;

	return (fake += 1000);	/* strictly increasing, for tests */
}

__attribute__((weak)) int
copyin(const void *uaddr, void *kaddr, size_t len)
{
	return (-EFAULT);
}

__attribute__((weak)) int
copyout(const void *kaddr, void *uaddr, size_t len)
{
	return (-EFAULT);
}

__attribute__((weak)) int
copyinstr(const void *uaddr, char *kaddr, size_t len, size_t *done)
{
	return (-EFAULT);
}

/* Temporary: until mm lands, a never-freeing bump allocator. */
static char weak_arena[8 << 20] __aligned(PAGE_SIZE);
static size_t weak_used;

__attribute__((weak)) void *
kmalloc(size_t size, int flags)
{
	void *p;

	size = roundup2(size + 16, 16);
	if (size >= PAGE_SIZE)
		weak_used = roundup2(weak_used, PAGE_SIZE);
	if (weak_used + size > sizeof(weak_arena))
		return (NULL);
	p = weak_arena + weak_used;
	weak_used += size;
	memset(p, 0, size);
	return (p);
}

__attribute__((weak)) void *
kcalloc(size_t n, size_t size, int flags)
{
	if (size != 0 && n > SIZE_MAX / size)
		return (NULL);
	return (kmalloc(n * size, flags | M_ZERO));
}

__attribute__((weak)) void
kfree(void *p)
{
}

__attribute__((weak)) uint64_t
nanouptime(void)
{
	return (nanotime());
}
