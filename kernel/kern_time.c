/*
 * kern_time.c: clocks and sleeping for user programs: clock_gettime,
 * clock_getres, gettimeofday, time, nanosleep, clock_nanosleep
 * (FreeBSD kern_time.c; semantics of Linux clock_gettime(2) and
 * nanosleep(2)).
 *
 * CLOCK_MONOTONIC and CLOCK_BOOTTIME are nanouptime(), the TSC since boot;
 * CLOCK_REALTIME is nanotime(), the RTC at boot plus uptime.  A sleep is a
 * tsleep with a timeout on a channel nobody wakes, so it ends by timeout
 * (done) or by a signal (EINTR, with the time left).
 */
#include <clock.h>
#include <kernel.h>
#include <libkern.h>
#include <proc.h>
#include <procsys.h>
#include <trap.h>
#include <uapi/errno.h>
#include <uapi/resource.h>

#define CLOCK_REALTIME			0
#define CLOCK_MONOTONIC			1
#define CLOCK_PROCESS_CPUTIME_ID	2
#define CLOCK_THREAD_CPUTIME_ID		3
#define CLOCK_MONOTONIC_RAW		4
#define CLOCK_REALTIME_COARSE		5
#define CLOCK_MONOTONIC_COARSE		6
#define CLOCK_BOOTTIME			7
#define TIMER_ABSTIME			1
#define TICK_NS				(NSEC_PER_SEC / HZ)

uint64_t
kern_uptime_ns(void)
{
	return (nanouptime());
}

static uint64_t
kern_realtime_ns(void)
{
	return (nanotime());
}

/* ns on `clock`, or -EINVAL for an unknown clock. */
static int
clock_read(int clock, uint64_t *ns)
{
	struct thread *td = curthread;

	switch (clock) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		*ns = kern_realtime_ns();
		return (0);
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		*ns = kern_uptime_ns();
		return (0);
	case CLOCK_PROCESS_CPUTIME_ID:
		*ns = (td->td_proc->p_uticks + td->td_proc->p_sticks) *
		    TICK_NS;
		return (0);
	case CLOCK_THREAD_CPUTIME_ID:
		*ns = td->td_cputicks * TICK_NS;
		return (0);
	}
	return (-EINVAL);
}

static void
ns_to_ts(uint64_t ns, struct l_timespec *ts)
{
	ts->tv_sec = ns / NSEC_PER_SEC;
	ts->tv_nsec = ns % NSEC_PER_SEC;
}

/*
 * clock_gettime(2): REALTIME, MONOTONIC (and _RAW, _COARSE), BOOTTIME,
 * PROCESS_CPUTIME_ID and THREAD_CPUTIME_ID (tick resolution).  EINVAL:
 * unknown clock; EFAULT: bad tp.
 */
long
sys_clock_gettime(int clock, struct l_timespec *tp)
{
	struct l_timespec ts;
	uint64_t ns;
	int error;

	if ((error = clock_read(clock, &ns)) != 0)
		return (error);
	ns_to_ts(ns, &ts);
	return (copyout(&ts, tp, sizeof(ts)));
}

/*
 * clock_getres(2): 1 ns for the TSC clocks, a tick for the coarse and
 * CPU-time ones.  EINVAL: unknown clock; EFAULT: bad res (NULL is fine).
 */
long
sys_clock_getres(int clock, struct l_timespec *res)
{
	struct l_timespec ts = { 0, 1 };
	uint64_t ns;
	int error;

	if ((error = clock_read(clock, &ns)) != 0)
		return (error);
	if (clock == CLOCK_REALTIME_COARSE ||
	    clock == CLOCK_MONOTONIC_COARSE ||
	    clock == CLOCK_PROCESS_CPUTIME_ID ||
	    clock == CLOCK_THREAD_CPUTIME_ID)
		ts.tv_nsec = TICK_NS;
	if (res == NULL)
		return (0);
	return (copyout(&ts, res, sizeof(ts)));
}

/*
 * gettimeofday(2): the wall clock in microseconds; tz (obsolete) is
 * zeroed when given.  EFAULT: bad pointer.
 */
long
sys_gettimeofday(struct l_timeval *tv, void *tz)
{
	uint64_t ns = kern_realtime_ns();
	struct l_timeval t = { ns / NSEC_PER_SEC, (ns % NSEC_PER_SEC) / 1000 };
	int32_t zone[2] = { 0, 0 };
	int error;

	if (tv != NULL && (error = copyout(&t, tv, sizeof(t))) != 0)
		return (error);
	if (tz != NULL && (error = copyout(zone, tz, sizeof(zone))) != 0)
		return (error);
	return (0);
}

/* time(2): seconds since the epoch, also stored at *t.  EFAULT. */
long
sys_time(int64_t *t)
{
	int64_t now = kern_realtime_ns() / NSEC_PER_SEC;
	int error;

	if (t != NULL && (error = copyout(&now, t, sizeof(now))) != 0)
		return (error);
	return (now);
}

/*
 * Sleep until uptime `deadline` (ns).  0 when it passed; -EINTR (after a
 * signal) with *left set to the time remaining.
 */
static int
sleep_until(uint64_t deadline, uint64_t *left)
{
	static const char sleep_chan;
	uint64_t now;
	int error;

	for (;;) {
		now = kern_uptime_ns();
		if (now >= deadline)
			return (0);
		error = tsleep(&sleep_chan, PCATCH, "nanslp", deadline - now);
		if (error != 0 && error != -EWOULDBLOCK) {
			now = kern_uptime_ns();
			*left = deadline > now ? deadline - now : 0;
			return (-EINTR);
		}
	}
}

static int
kern_nanosleep(int clock, int flags, const struct l_timespec *rqtp,
    struct l_timespec *rmtp)
{
	struct l_timespec ts;
	uint64_t req, now, deadline, left = 0;
	int error;

	if ((error = copyin(rqtp, &ts, sizeof(ts))) != 0)
		return (error);
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
		return (-EINVAL);
	req = (uint64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
	if (req / NSEC_PER_SEC != (uint64_t)ts.tv_sec)
		req = UINT64_MAX / 2;
	if ((error = clock_read(clock, &now)) != 0)
		return (error);
	if (flags & TIMER_ABSTIME) {
		/* Convert a deadline on `clock` to one on uptime. */
		if (req <= now)
			return (0);
		deadline = kern_uptime_ns() + (req - now);
	} else {
		deadline = kern_uptime_ns() + req;
	}
	if (deadline < req)
		deadline = UINT64_MAX / 2;
	error = sleep_until(deadline, &left);
	if (error == -EINTR && rmtp != NULL && !(flags & TIMER_ABSTIME)) {
		ns_to_ts(left, &ts);
		if (copyout(&ts, rmtp, sizeof(ts)) != 0)
			return (-EFAULT);
	}
	return (error);
}

/*
 * nanosleep(2): sleep for *rqtp.  EINTR: a signal arrived (the time left
 * in *rmtp when given); EINVAL: tv_nsec outside [0, 999999999] or a
 * negative tv_sec; EFAULT: bad pointer.
 */
long
sys_nanosleep(const struct l_timespec *rqtp, struct l_timespec *rmtp)
{
	return (kern_nanosleep(CLOCK_MONOTONIC, 0, rqtp, rmtp));
}

/*
 * clock_nanosleep(2): as nanosleep on REALTIME, MONOTONIC or BOOTTIME,
 * with TIMER_ABSTIME for a deadline.  Returns the error as a positive
 * value would in libc: here, as every handler, negated.  EINVAL: bad clock
 * (CLOCK_THREAD_CPUTIME_ID included), flags or tv_nsec; ENOTSUP:
 * CLOCK_PROCESS_CPUTIME_ID (Linux sleeps until the process has used that
 * much CPU; not supported here); EINTR; EFAULT.
 */
long
sys_clock_nanosleep(int clock, int flags, const struct l_timespec *rqtp,
    struct l_timespec *rmtp)
{
	if (clock == CLOCK_PROCESS_CPUTIME_ID)
		return (-ENOTSUP);
	if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC &&
	    clock != CLOCK_BOOTTIME)
		return (-EINVAL);
	if (flags & ~TIMER_ABSTIME)
		return (-EINVAL);
	return (kern_nanosleep(clock, flags, rqtp, rmtp));
}
