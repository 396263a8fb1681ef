/*
 * sched_test.c: self tests of kernel threads, the run queue, sleep and
 * wakeup, and pid allocation.  They need no user space, only the
 * scheduler (and, for the timeout test, the clock tick).
 */
#include <callout.h>
#include <clock.h>
#include <kernel.h>
#include <kmem.h>
#include <ktest.h>
#include <proc.h>
#include <uapi/errno.h>
#include <vm_phys.h>


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

	t0 = ticks;
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

/* Kernel threads that end give back their stacks and structures. */
static volatile int leak_ran;

static void
leak_thread(void *arg)
{
	leak_ran++;
}

KTEST(sched_kthread_no_leak)
{
	uint64_t objs, pages;

	sched_yield_td();	/* reap anything earlier tests left */
	/* One round first: the heap's slabs for these sizes then exist. */
	leak_ran = 0;
	for (int i = 0; i < 8; i++)
		KT_ASSERT(kthread_create(leak_thread, NULL, "leak") != NULL);
	KT_ASSERT(yield_until(&leak_ran, 8, 100));
	for (int i = 0; i < 4; i++)
		sched_yield_td();
	objs = kmem_inuse();
	pages = vm_phys_free_count();
	leak_ran = 0;
	for (int i = 0; i < 8; i++)
		KT_ASSERT(kthread_create(leak_thread, NULL, "leak") != NULL);
	KT_ASSERT(kmem_inuse() > objs);
	KT_ASSERT(vm_phys_free_count() < pages);
	KT_ASSERT(yield_until(&leak_ran, 8, 100));
	for (int i = 0; i < 4; i++)
		sched_yield_td();
	KT_EQ(kmem_inuse(), objs);
	KT_EQ(vm_phys_free_count(), pages);
}

/* sleepq_abort ends a PCATCH sleep with its value, and only such a sleep. */
static volatile int ab_ret[2], ab_done;
static const char ab_chan;

static void
ab_thread(void *arg)
{
	int i = (int)(uint64_t)arg;

	ab_ret[i] = tsleep(&ab_chan, i == 0 ? PCATCH : 0, "abort", 0);
	ab_done++;
}

KTEST(sched_sleepq_abort)
{
	struct thread *td[2];

	ab_done = 0;
	ab_ret[0] = ab_ret[1] = 1;
	for (uint64_t i = 0; i < 2; i++) {
		td[i] = kthread_create(ab_thread, (void *)i, "abort");
		KT_ASSERT(td[i] != NULL);
	}
	for (int i = 0; i < 5; i++)
		sched_yield_td();
	KT_EQ(td[0]->td_state, TDS_SLEEPING);
	KT_EQ(td[1]->td_state, TDS_SLEEPING);
	sleepq_abort(td[1], -EINTR);	/* not PCATCH: no effect */
	sleepq_abort(td[0], -EINTR);
	KT_ASSERT(yield_until(&ab_done, 1, 100));
	KT_EQ(ab_ret[0], -EINTR);
	KT_EQ(ab_done, 1);
	wakeup(&ab_chan);
	KT_ASSERT(yield_until(&ab_done, 2, 100));
	KT_EQ(ab_ret[1], 0);
}

/* Callouts run in due order; a stopped one does not run. */
static int co_order[3], co_n;

static void
co_fn(void *arg)
{
	if (co_n < 3)
		co_order[co_n++] = (int)(uint64_t)arg;
}

KTEST(callout_order_and_stop)
{
	static struct callout c[3];	/* outlives an early failure */
	uint64_t t0;

	co_n = 0;
	for (int i = 0; i < 3; i++)
		callout_init(&c[i]);
	callout_reset(&c[0], 3, co_fn, (void *)1);
	callout_reset(&c[1], 1, co_fn, (void *)2);
	callout_reset(&c[2], 2, co_fn, (void *)3);
	KT_ASSERT(callout_stop(&c[2]));
	KT_ASSERT(!callout_stop(&c[2]));
	t0 = ticks;
	while (co_n < 2 && ticks < t0 + 100)
		tsleep(&co_n, 0, "co", 10 * 1000000ULL);
	KT_EQ(co_n, 2);
	KT_EQ(co_order[0], 2);
	KT_EQ(co_order[1], 1);
	KT_ASSERT(!callout_stop(&c[0]));	/* already ran */
}
