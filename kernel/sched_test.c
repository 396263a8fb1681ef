/*
 * sched_test.c: self tests of kernel threads, the run queue, sleep and
 * wakeup, and pid allocation.  They need no user space, only the
 * scheduler (and, for the timeout test, the clock tick).
 */
#include <callout.h>
#include <clock.h>
#include <kernel.h>
#include <ktest.h>
#include <proc.h>
#include <uapi/errno.h>

#pragma weak clock_init
#pragma weak delay_us


/* Yield until *flag reaches want, at most n times. */
static bool
yield_until(volatile int *flag, int want, int n)
{
	while (*flag < want && n-- > 0)
		sched_yield_td();
	return (*flag >= want);
}

/* Ping-pong: two threads hand a token back and forth by sleep/wakeup. */
#define PP_ROUNDS 100
static volatile int pp_turn, pp_count, pp_done;
static uint64_t pp_nvcsw[2];

static void
pp_thread(void *arg)
{
	int me = (int)(uint64_t)arg;

	for (int i = 0; i < PP_ROUNDS; i++) {
		while (pp_turn != me)
			tsleep((void *)&pp_turn, 0, "pp", 0);
		pp_count++;
		pp_turn = 1 - me;
		wakeup((void *)&pp_turn);
	}
	pp_nvcsw[me] = curthread->td_nvcsw;
	pp_done++;
}

KTEST(sched_pingpong)
{
	pp_turn = 0;
	pp_count = pp_done = 0;
	KT_ASSERT(kthread_create(pp_thread, (void *)0, "ping") != NULL);
	KT_ASSERT(kthread_create(pp_thread, (void *)1, "pong") != NULL);
	KT_ASSERT(yield_until(&pp_done, 2, 100000));
	KT_EQ(pp_count, 2 * PP_ROUNDS);
	/* Each round blocks each thread at least once. */
	KT_ASSERT(pp_nvcsw[0] >= PP_ROUNDS - 1);
	KT_ASSERT(pp_nvcsw[1] >= PP_ROUNDS - 1);
	sched_yield_td();	/* let them exit */
}

/* wakeup_one wakes exactly one of two sleepers, wakeup the rest. */
static volatile int wo_asleep, wo_woken;
static const char wo_chan;

static void
wo_thread(void *arg)
{
	wo_asleep++;
	tsleep(&wo_chan, 0, "wo", 0);
	wo_woken++;
}

KTEST(sched_wakeup_one)
{
	wo_asleep = wo_woken = 0;
	KT_ASSERT(kthread_create(wo_thread, NULL, "wo1") != NULL);
	KT_ASSERT(kthread_create(wo_thread, NULL, "wo2") != NULL);
	KT_ASSERT(yield_until(&wo_asleep, 2, 100));
	for (int i = 0; i < 10; i++)
		sched_yield_td();
	KT_EQ(wo_woken, 0);
	wakeup_one(&wo_chan);
	for (int i = 0; i < 10; i++)
		sched_yield_td();
	KT_EQ(wo_woken, 1);
	wakeup_one(&wo_chan);
	KT_ASSERT(yield_until(&wo_woken, 2, 100));
	wakeup_one(&wo_chan);		/* nobody left: harmless */
	KT_EQ(wo_woken, 2);
}

/* Three threads that yield run strictly in turn. */
#define RR_LOOPS 5
static volatile int rr_seq[3 * RR_LOOPS], rr_n, rr_done;

static void
rr_thread(void *arg)
{
	for (int i = 0; i < RR_LOOPS; i++) {
		rr_seq[rr_n++] = (int)(uint64_t)arg;
		sched_yield_td();
	}
	rr_done++;
}

KTEST(sched_round_robin)
{
	rr_n = rr_done = 0;
	for (uint64_t i = 0; i < 3; i++)
		KT_ASSERT(kthread_create(rr_thread, (void *)i, "rr") != NULL);
	KT_ASSERT(yield_until(&rr_done, 3, 1000));
	KT_EQ(rr_n, 3 * RR_LOOPS);
	for (int i = 0; i < 3 * RR_LOOPS; i++)
		KT_EQ(rr_seq[i], i % 3);
}

/* A sleep with a timeout and no wakeup ends with EWOULDBLOCK in time. */
KTEST(sched_tsleep_timeout)
{
	static const char chan;
	uint64_t t0, t1, ms;
	int error;

	if (clock_init == NULL) {
		printk("ktest:   no clock linked in: timeout not tested\n");
		return;
	}
	t0 = ticks;
	if (delay_us != NULL)
		delay_us(50000);
	KT_ASSERT(ticks > t0);		/* the tick must be running */
	t0 = kern_uptime_ns();
	error = tsleep(&chan, 0, "timo", 20 * 1000000ULL);
	t1 = kern_uptime_ns();
	KT_EQ(error, -EWOULDBLOCK);
	ms = (t1 - t0) / 1000000;
	KT_ASSERT(ms >= 10);
	KT_ASSERT(ms < 2000);
	/* A wakeup before the timeout wins: 0. */
	KT_EQ(ns_to_ticks(1), 2);
	KT_EQ(ns_to_ticks(10000000), 2);
}

/* Pids are unique among live processes, also across the wrap. */
KTEST(proc_pid_unique)
{
	struct proc *p[4], *q;
	pid_t first;

	for (int i = 0; i < 4; i++) {
		p[i] = proc_alloc();
		KT_ASSERT(p[i] != NULL);
		KT_ASSERT(p[i]->p_pid >= 2 && p[i]->p_pid < 32768);
		for (int j = 0; j < i; j++)
			KT_ASSERT(p[j]->p_pid != p[i]->p_pid);
	}
	/* Restart the search just below a live pid: it must be skipped. */
	first = p[0]->p_pid;
	pid_set_last(first - 1);
	q = proc_alloc();
	KT_ASSERT(q != NULL);
	KT_ASSERT(q->p_pid != first);
	for (int j = 0; j < 4; j++)
		KT_ASSERT(q->p_pid != p[j]->p_pid);
	spin_lock(&proc_lock);
	proc_unhash(q);
	spin_unlock(&proc_lock);
	proc_free(q);
	/* Wrap: after 32767 comes the lowest free pid >= 2. */
	pid_set_last(32767);
	q = proc_alloc();
	KT_ASSERT(q != NULL);
	KT_ASSERT(q->p_pid >= 2 && q->p_pid < first + 8);
	spin_lock(&proc_lock);
	KT_ASSERT(pfind(q->p_pid) == q);
	proc_unhash(q);
	KT_ASSERT(pfind(q->p_pid) == NULL);
	spin_unlock(&proc_lock);
	proc_free(q);
	for (int i = 0; i < 4; i++) {
		spin_lock(&proc_lock);
		proc_unhash(p[i]);
		spin_unlock(&proc_lock);
		proc_free(p[i]);
	}
	pid_set_last(first + 4);
}
