/*
 * vfs_weak.c: weak stand-ins for services of other subsystems, so the
 * file layer links (and its ktests run) before those are merged.
 *
 * Each is overridden by the real, strong definition in proc (curthread,
 * sleep/wakeup, psignal).  With no scheduler, a sleep cannot end by
 * wakeup, so tsleep answers at once as if it had timed out.
 */
#include <proc.h>
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
