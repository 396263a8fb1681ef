/*
 * kern_futex.c: futex(2), FUTEX_WAIT and FUTEX_WAKE (Linux futex(2)).
 *
 * A waiter is keyed by its address space and user address; waiters sit on
 * one list under futex_lock and each sleeps on its own waiter record.
 * FUTEX_WAIT compares the user word with the expected value under
 * futex_lock, so a FUTEX_WAKE that follows the user's store cannot slip in
 * between the check and the sleep.  Private and shared futexes are the
 * same today: processes share no memory (fork copies).
 */
#include <kernel.h>
#include <libkern.h>
#include <proc.h>
#include <procsys.h>
#include <trap.h>
#include <uapi/errno.h>
#include <uapi/resource.h>

#define FUTEX_WAIT		0
#define FUTEX_WAKE		1
#define FUTEX_WAIT_BITSET	9
#define FUTEX_WAKE_BITSET	10
#define FUTEX_PRIVATE_FLAG	128
#define FUTEX_CLOCK_REALTIME	256

struct futex_waiter {
	TAILQ_ENTRY(futex_waiter) fw_link;	/* futex_lock */
	struct vmspace *fw_vm;
	uint64_t fw_uaddr;
	bool fw_woken;				/* futex_lock */
};

static struct spinlock futex_lock = SPINLOCK_INIT("futex");
static TAILQ_HEAD(, futex_waiter) futex_waiters =	/* futex_lock */
    TAILQ_HEAD_INITIALIZER(futex_waiters);

int
futex_wake(uint64_t uaddr, int n)
{
	struct futex_waiter *fw, *next;
	struct vmspace *vm = curproc->p_vmspace;
	int woken = 0;

	spin_lock(&futex_lock);
	TAILQ_FOREACH_SAFE(fw, &futex_waiters, fw_link, next) {
		if (woken >= n)
			break;
		if (fw->fw_vm != vm || fw->fw_uaddr != uaddr)
			continue;
		TAILQ_REMOVE(&futex_waiters, fw, fw_link);
		fw->fw_woken = true;
		wakeup(fw);
		woken++;
	}
	spin_unlock(&futex_lock);
	return (woken);
}

static int
futex_wait(uint64_t uaddr, uint32_t val, const struct l_timespec *uts,
    bool absolute)
{
	struct futex_waiter fw;
	struct l_timespec ts;
	uint64_t timo = 0, now;
	uint32_t cur;
	int error;

	if (uaddr & 3)
		return (-EINVAL);
	if (uts != NULL) {
		if ((error = copyin(uts, &ts, sizeof(ts))) != 0)
			return (error);
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 ||
		    ts.tv_nsec >= 1000000000)
			return (-EINVAL);
		timo = ts.tv_sec * 1000000000ULL + ts.tv_nsec;
		if (absolute) {
			now = kern_uptime_ns();
			if (timo <= now)
				return (-ETIMEDOUT);
			timo -= now;
		}
		if (timo == 0)
			return (-ETIMEDOUT);
	}
	fw.fw_vm = curproc->p_vmspace;
	fw.fw_uaddr = uaddr;
	fw.fw_woken = false;
	/*
	 * Read the word before taking the lock (copyin may fault and sleep):
	 * on one CPU with no kernel preemption no waker can run in between.
	 */
	if ((error = copyin((void *)uaddr, &cur, sizeof(cur))) != 0)
		return (error);
	if (cur != val)
		return (-EAGAIN);
	spin_lock(&futex_lock);
	TAILQ_INSERT_TAIL(&futex_waiters, &fw, fw_link);
	error = msleep(&fw, &futex_lock, PCATCH, "futex", timo);
	if (!fw.fw_woken)
		TAILQ_REMOVE(&futex_waiters, &fw, fw_link);
	spin_unlock(&futex_lock);
	if (fw.fw_woken)
		return (0);
	if (error == -EWOULDBLOCK)
		return (-ETIMEDOUT);
	return (error != 0 ? error : -EINTR);
}

/*
 * futex(2): FUTEX_WAIT (and _BITSET with a full mask) sleeps while *uaddr
 * == val: 0 when woken, EAGAIN: the value differs, ETIMEDOUT, EINTR,
 * EINVAL: unaligned address or bad timeout.  FUTEX_WAKE wakes up to val
 * waiters and returns how many.  The _PRIVATE forms are the same.  Other
 * operations: ENOSYS.  EFAULT: bad uaddr or timeout pointer.
 */
long
sys_futex(uint32_t *uaddr, int op, uint32_t val, const struct l_timespec *ts,
    uint32_t *uaddr2, uint32_t val3)
{
	int cmd = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);

	switch (cmd) {
	case FUTEX_WAIT:
		return (futex_wait((uint64_t)uaddr, val, ts, false));
	case FUTEX_WAIT_BITSET:
		if (val3 == 0)
			return (-EINVAL);
		return (futex_wait((uint64_t)uaddr, val, ts, true));
	case FUTEX_WAKE:
	case FUTEX_WAKE_BITSET:
		if ((uint64_t)uaddr & 3)
			return (-EINVAL);
		return (futex_wake((uint64_t)uaddr, (int)MIN(val, INT32_MAX)));
	}
	return (-ENOSYS);
}
