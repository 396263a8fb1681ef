/*
 * callout.h: functions run at a later tick (FreeBSD callout(9)).
 *
 * A callout is a function and an argument due at an absolute tick.  The
 * pending callouts sit on one list sorted by due tick; sched_clock runs the
 * due ones on every tick, with interrupts off and no lock held, so a
 * callout function must be short and may only take spin locks.
 */
#ifndef _CALLOUT_H_
#define _CALLOUT_H_

#include <sys/queue.h>
#include <types.h>

struct callout {
	TAILQ_ENTRY(callout) c_link;	/* callout_lock */
	uint64_t c_time;		/* callout_lock: due tick */
	void (*c_func)(void *);
	void *c_arg;
	bool c_pending;			/* callout_lock: on the list */
};

void callout_init(struct callout *c);
/* (Re)arm c to run fn(arg) in `nticks` ticks (at least one). */
void callout_reset(struct callout *c, uint64_t nticks, void (*fn)(void *),
    void *arg);
/* Disarm; true when it was pending (and so will not run). */
bool callout_stop(struct callout *c);
void callout_tick(void);		/* sched_clock: run due callouts */
/* Ticks covering at least ns nanoseconds, plus one for the partial tick. */
uint64_t ns_to_ticks(uint64_t ns);

#endif /* !_CALLOUT_H_ */
