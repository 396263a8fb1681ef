/*
 * kern_synch.c: sleeping on a channel and waking up (FreeBSD kern_synch.c
 * and subr_sleepqueue.c, simplified).
 *
 * A channel is any kernel address.  Sleeping threads hang on one of
 * SLPQ_HASH queues chosen by hashing the channel; wakeup(chan) makes every
 * thread sleeping on chan runnable, wakeup_one the longest sleeper.  A
 * sleep ends for one of three reasons, left in td_slpret: a wakeup (0), the
 * timeout callout (-EWOULDBLOCK) or, with PCATCH, a signal: the signal
 * code's sig_sleep_intr decides between -EINTR and -ERESTART (SA_RESTART).
 * Everything here runs under sched_lock; msleep drops the caller's lock
 * only once sched_lock is held, so a wakeup between the caller's check and
 * the sleep cannot be lost.
 */
#include <callout.h>
#include <kernel.h>
#include <kmem.h>
#include <proc.h>
#include <uapi/errno.h>

#define SLPQ_HASH	64
static TAILQ_HEAD(slpq, thread) slpq[SLPQ_HASH];	/* sched_lock */
static bool slpq_ready;

static struct slpq *
slpq_lookup(const void *chan)
{
	uint64_t h = (uint64_t)chan;

	if (!slpq_ready) {
		for (int i = 0; i < SLPQ_HASH; i++)
			TAILQ_INIT(&slpq[i]);
		slpq_ready = true;
	}
	h ^= h >> 17;
	h ^= h >> 7;
	return (&slpq[h % SLPQ_HASH]);
}

/* Take a sleeping thread off its queue and run it; sched_lock held. */
static void
sleepq_resume(struct thread *td, int ret)
{
	KASSERT(td->td_state == TDS_SLEEPING, "sleepq_resume: not asleep");
	TAILQ_REMOVE(slpq_lookup(td->td_wchan), td, td_slpq);
	td->td_wchan = NULL;
	td->td_slpret = ret;
	sched_add(td);
}

void
setrunnable(struct thread *td)
{
	KASSERT(spin_owned(&sched_lock), "setrunnable without sched_lock");
	if (td->td_state == TDS_SLEEPING)
		sleepq_resume(td, 0);
	else if (td->td_state == TDS_INACTIVE || td->td_state == TDS_STOPPED)
		sched_add(td);
}

/*
 * The timeout callout.  Ticks can arrive in a burst when the host (or
 * QEMU) falls behind, so the tick count alone may run ahead of time: the
 * sleep ends only once the monotonic clock reached the deadline, and the
 * callout is re-armed for the rest otherwise.
 */
static void
sleep_timeout(void *arg)
{
	struct thread *td = arg;
	uint64_t now = kern_uptime_ns();

	spin_lock(&sched_lock);
	if (td->td_state == TDS_SLEEPING && td->td_wchan != NULL &&
	    now < td->td_slpdeadline) {
		callout_reset(td->td_slpcallout,
		    ns_to_ticks(td->td_slpdeadline - now), sleep_timeout, td);
	} else if (td->td_state == TDS_SLEEPING && td->td_wchan != NULL) {
		td->td_slptimo_fired = 1;
		sleepq_resume(td, -EWOULDBLOCK);
	}
	spin_unlock(&sched_lock);
}

void
sleepq_abort(struct thread *td, int intrval)
{
	spin_lock(&sched_lock);
	if (td->td_state == TDS_SLEEPING && (td->td_flags & TDF_SINTR))
		sleepq_resume(td, intrval);
	spin_unlock(&sched_lock);
}

int
msleep(const void *chan, struct spinlock *lk, int flags, const char *wmesg,
    uint64_t timo_ns)
{
	struct thread *td = curthread;
	struct callout *co = td->td_slpcallout;
	int ret;

	KASSERT(chan != NULL, "msleep on a NULL channel");
	KASSERT(!(td->td_flags & TDF_IDLE), "the idle thread may not sleep");
	spin_lock(&sched_lock);
	if (lk != NULL)
		spin_unlock(lk);
	/* A signal already pending ends a PCATCH sleep before it starts. */
	if ((flags & PCATCH) && (ret = sig_sleep_intr(td)) != 0)
		goto out;
	td->td_wchan = chan;
	td->td_wmesg = wmesg;
	td->td_slptimo_fired = 0;
	td->td_slpret = 0;
	if (flags & PCATCH)
		td->td_flags |= TDF_SINTR;
	else
		td->td_flags &= ~TDF_SINTR;
	td->td_state = TDS_SLEEPING;
	TAILQ_INSERT_TAIL(slpq_lookup(chan), td, td_slpq);
	if (timo_ns != 0 && co != NULL) {
		td->td_slpdeadline = kern_uptime_ns() + timo_ns;
		callout_reset(co, ns_to_ticks(timo_ns), sleep_timeout, td);
	}
	mi_switch(SW_VOL);
	ret = td->td_slpret;
	td->td_flags &= ~TDF_SINTR;
	/* Aborted by a signal: -EINTR, or -ERESTART under SA_RESTART. */
	if (ret != 0 && ret != -EWOULDBLOCK) {
		int r = sig_sleep_intr(td);

		if (r != 0)
			ret = r;
	}
	td->td_wmesg = NULL;
	if (timo_ns != 0 && co != NULL)
		callout_stop(co);
out:
	spin_unlock(&sched_lock);
	if (lk != NULL)
		spin_lock(lk);
	return (ret);
}

int
tsleep(const void *chan, int flags, const char *wmesg, uint64_t timo_ns)
{
	return (msleep(chan, NULL, flags, wmesg, timo_ns));
}

void
wakeup(const void *chan)
{
	struct slpq *q;
	struct thread *td, *next;

	spin_lock(&sched_lock);
	q = slpq_lookup(chan);
	TAILQ_FOREACH_SAFE(td, q, td_slpq, next)
		if (td->td_wchan == chan)
			sleepq_resume(td, 0);
	spin_unlock(&sched_lock);
}

void
wakeup_one(const void *chan)
{
	struct slpq *q;
	struct thread *td;

	spin_lock(&sched_lock);
	q = slpq_lookup(chan);
	TAILQ_FOREACH(td, q, td_slpq)
		if (td->td_wchan == chan) {
			sleepq_resume(td, 0);
			break;
		}
	spin_unlock(&sched_lock);
}
