/*
 * sched.c: the run queue, context switches and the idle thread
 * (FreeBSD sched_4bsd.c and kern_synch.c's mi_switch, much simplified).
 *
 * One CPU, one run queue, round robin.  A thread runs until it blocks
 * (tsleep), yields, or uses up its slice of SCHED_SLICE ticks: sched_clock
 * then sets TDF_OWEPREEMPT and the switch happens at the next return to
 * user mode (userret), never inside an interrupt handler.  Kernel threads
 * are not preempted; they block or call sched_yield_td.
 *
 * mi_switch is always called with sched_lock held and nothing else, after
 * the caller set curthread's new state (TDS_SLEEPING, TDS_ZOMBIE, or still
 * TDS_RUNNING to be put back at the tail of the queue).  The thread that
 * switches in releases sched_lock: either on its way back out of its own
 * mi_switch or, for a thread that never ran, in fork_exit.
 */
#include <callout.h>
#include <cpu.h>
#include <clock.h>
#include <kernel.h>
#include <kmem.h>
#include <libkern.h>
#include <pmap.h>
#include <proc.h>
#include <procsys.h>
#include <sysstat.h>
#include <trap.h>
#include <tty.h>
#include <vm_map.h>
#include <x86.h>

struct spinlock sched_lock = SPINLOCK_INIT("sched");
struct thread *curthread;
static TAILQ_HEAD(, thread) runq =		/* sched_lock */
    TAILQ_HEAD_INITIALIZER(runq);
static int runq_len;				/* sched_lock */
static struct thread *idlethread;

void cpu_switch(uint64_t *oldrsp, uint64_t newrsp);
void fork_trampoline(void);
void fork_exit(void (*fn)(void *), void *arg) __noreturn;

/*
 * The kernel never touches the FPU/SSE registers (it is built without
 * them), so they always hold the state of the last user thread that ran:
 * saved when it is switched out, restored when a user thread comes in.
 */
void
td_fpu_save(struct thread *td)
{
	if (td->td_fpu != NULL)
		fpu_save(td->td_fpu);
}

void
td_fpu_restore(struct thread *td)
{
	if (td->td_fpu != NULL)
		fpu_restore(td->td_fpu);
}

void
td_fpu_init(struct thread *td)
{
	if (td->td_fpu != NULL)
		fpu_init_state(td->td_fpu);
}

void
sched_add(struct thread *td)
{
	KASSERT(spin_owned(&sched_lock), "sched_add without sched_lock");
	KASSERT(td->td_state != TDS_RUNQ, "sched_add: already queued");
	td->td_state = TDS_RUNQ;
	TAILQ_INSERT_TAIL(&runq, td, td_runq);
	runq_len++;
}

int
sched_runq_len(void)
{
	return (runq_len);
}

/* Load what the hardware needs to run `td`: stacks, FS base, page tables. */
static void
cpu_switch_md(struct thread *td)
{
	struct proc *p = td->td_proc;
	uint64_t top = td->td_kstack + td->td_kstack_size;

	tss_set_rsp0(top);
	syscall_kstack_top = top;
	if (p->p_vmspace != NULL) {
		pmap_activate(vmspace_pmap(p->p_vmspace));
		wrmsr(MSR_FSBASE, td->td_fsbase);
	} else {
		pmap_activate(kernel_pmap);
	}
}

void
mi_switch(int flags)
{
	struct thread *old = curthread, *new;
	bool intr;

	KASSERT(spin_owned(&sched_lock), "mi_switch without sched_lock");
	KASSERT(intr_nesting() == 1, "mi_switch with another lock held");
	if (flags & SW_VOL)
		old->td_nvcsw++;
	else
		old->td_nivcsw++;
	old->td_flags &= ~TDF_OWEPREEMPT;
	if (old->td_state == TDS_RUNNING && !(old->td_flags & TDF_IDLE))
		sched_add(old);
	new = TAILQ_FIRST(&runq);
	if (new != NULL) {
		TAILQ_REMOVE(&runq, new, td_runq);
		runq_len--;
	} else {
		KASSERT(idlethread != NULL, "nothing to run, no idle thread");
		new = idlethread;
	}
	new->td_state = TDS_RUNNING;
	new->td_slice = SCHED_SLICE;
	if (new == old)
		return;
	sysstat.swtch++;
	if (!(old->td_flags & TDF_KTHREAD))
		td_fpu_save(old);
	if (!(new->td_flags & TDF_KTHREAD))
		td_fpu_restore(new);
	cpu_switch_md(new);
	curthread = new;
	intr = intr_state_save();
	cpu_switch(&old->td_ctx_rsp, new->td_ctx_rsp);
	/* Running as `old` again, sched_lock held by whoever switched here. */
	intr_state_restore(intr);
	proc_reap_kthreads();
}

void
sched_yield_td(void)
{
	spin_lock(&sched_lock);
	mi_switch(SW_VOL);
	spin_unlock(&sched_lock);
}

/*
 * sched_yield(2): move to the back of the run queue.  Always 0.
 */
long
sys_sched_yield(void)
{
	sched_yield_td();
	return (0);
}

/* Build the stack of a thread that has never run: cpu_switch's pops. */
void
thread_init_frame(struct thread *td, void (*fn)(void *), void *arg)
{
	uint64_t *sp = (uint64_t *)td->td_frame;

	*--sp = (uint64_t)fork_trampoline;	/* ret */
	*--sp = 0;				/* rbp */
	*--sp = (uint64_t)arg;			/* rbx */
	*--sp = (uint64_t)fn;			/* r12 */
	*--sp = 0;				/* r13 */
	*--sp = 0;				/* r14 */
	*--sp = 0;				/* r15 */
	td->td_ctx_rsp = (uint64_t)sp;
}

/* Every new thread's first C code, from fork_trampoline. */
void
fork_exit(void (*fn)(void *), void *arg)
{
	intr_state_restore(true);	/* interrupts on once unlocked */
	proc_reap_kthreads();
	spin_unlock(&sched_lock);
	fn(arg);
	kthread_exit();
}

static void
idle_loop(void *arg)
{
	for (;;) {
		spin_lock(&sched_lock);
		if (!TAILQ_EMPTY(&runq)) {
			mi_switch(SW_VOL);
			spin_unlock(&sched_lock);
			continue;
		}
		spin_unlock(&sched_lock);
		/* sti's one-instruction shadow: no wakeup is lost. */
		disable_intr();
		if (TAILQ_EMPTY(&runq))
			__asm__ volatile("sti; hlt" ::: "memory");
		else
			enable_intr();
	}
}

/*
 * Make the boot thread proc0's thread0 and start the idle thread.  Needs
 * kmalloc and vm_phys.
 */
void
sched_init(void)
{
	struct thread *td;

	proc0_init();
	curthread = &thread0;
	td = kthread_create(idle_loop, NULL, "idle");
	if (td == NULL)
		panic("sched_init: cannot create the idle thread");
	/* The idle thread only runs when the queue is empty. */
	spin_lock(&sched_lock);
	TAILQ_REMOVE(&runq, td, td_runq);
	runq_len--;
	td->td_state = TDS_INACTIVE;
	td->td_flags |= TDF_IDLE;
	idlethread = td;
	spin_unlock(&sched_lock);
}

/*
 * The boot thread's last job: proc0 sleeps forever (FreeBSD's proc0 ran
 * the swapper here).
 */
void
sched_idle_loop(void)
{
	for (;;)
		tsleep(&proc0, 0, "swapper", 0);
}

/*
 * Return to user mode (called by the trap and syscall exit path with the
 * user frame): switch if the slice is used up, then deliver signals.
 */
void
userret(struct trapframe *tf)
{
	struct thread *td = curthread;

	if (td->td_flags & TDF_OWEPREEMPT) {
		spin_lock(&sched_lock);
		mi_switch(SW_INVOL);
		spin_unlock(&sched_lock);
	}
	enable_intr();		/* signal delivery runs with interrupts on */
	ast_signals(tf);
}

/* Every tick, interrupts off: charge time, run callouts, end slices. */
void
sched_clock(struct trapframe *tf)
{
	struct thread *td = curthread;

	if (td == NULL)
		return;
	td->td_cputicks++;
	if (tf != NULL && TRAPF_USERMODE(tf))
		td->td_proc->p_uticks++;
	else if (!(td->td_flags & TDF_IDLE))
		td->td_proc->p_sticks++;
	callout_tick();
	itimer_tick();
	tty_tick();		/* COM1 input when it has no IRQ */
	spin_lock(&sched_lock);
	sysstat_tick(tf != NULL && TRAPF_USERMODE(tf),
	    (td->td_flags & TDF_IDLE) != 0,
	    runq_len + !(td->td_flags & TDF_IDLE));
	if (td->td_flags & TDF_IDLE) {
		if (!TAILQ_EMPTY(&runq))
			td->td_flags |= TDF_OWEPREEMPT;
	} else if (--td->td_slice <= 0) {
		td->td_flags |= TDF_OWEPREEMPT;
	}
	spin_unlock(&sched_lock);
}
