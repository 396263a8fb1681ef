/*
 * kern_timeout.c: callouts, functions run at a later tick (FreeBSD
 * kern_timeout.c, much simplified).
 *
 * One list sorted by due tick, guarded by callout_lock.  callout_tick runs
 * from sched_clock on every tick: it takes the first due callout off the
 * list, drops the lock and calls it, until none is due.  Because the lock
 * is not held during the call, a callout may re-arm itself or take
 * sched_lock (the sleep timeout does) without a lock-order problem.
 */
#include <callout.h>
#include <clock.h>
#include <kernel.h>
#include <spinlock.h>

static struct spinlock callout_lock = SPINLOCK_INIT("callout");
static TAILQ_HEAD(, callout) callout_list =	/* callout_lock */
    TAILQ_HEAD_INITIALIZER(callout_list);

void
callout_init(struct callout *c)
{
	c->c_pending = false;
	c->c_func = NULL;
	c->c_arg = NULL;
	c->c_time = 0;
}

uint64_t
ns_to_ticks(uint64_t ns)
{
	uint64_t tick_ns = NSEC_PER_SEC / HZ;

	return (ns / tick_ns + (ns % tick_ns != 0) + 1);
}

void
callout_reset(struct callout *c, uint64_t nticks, void (*fn)(void *),
    void *arg)
{
	struct callout *it;

	if (nticks == 0)
		nticks = 1;
	spin_lock(&callout_lock);
	if (c->c_pending)
		TAILQ_REMOVE(&callout_list, c, c_link);
	c->c_func = fn;
	c->c_arg = arg;
	c->c_time = ticks + nticks;
	c->c_pending = true;
	TAILQ_FOREACH(it, &callout_list, c_link)
		if (it->c_time > c->c_time)
			break;
	if (it != NULL)
		TAILQ_INSERT_BEFORE(it, c, c_link);
	else
		TAILQ_INSERT_TAIL(&callout_list, c, c_link);
	spin_unlock(&callout_lock);
}

bool
callout_stop(struct callout *c)
{
	bool was;

	spin_lock(&callout_lock);
	was = c->c_pending;
	if (was)
		TAILQ_REMOVE(&callout_list, c, c_link);
	c->c_pending = false;
	spin_unlock(&callout_lock);
	return (was);
}

void
callout_tick(void)
{
	struct callout *c;
	void (*fn)(void *);
	void *arg;

	for (;;) {
		spin_lock(&callout_lock);
		c = TAILQ_FIRST(&callout_list);
		if (c == NULL || c->c_time > ticks) {
			spin_unlock(&callout_lock);
			return;
		}
		TAILQ_REMOVE(&callout_list, c, c_link);
		c->c_pending = false;
		fn = c->c_func;
		arg = c->c_arg;
		spin_unlock(&callout_lock);
		fn(arg);
	}
}
