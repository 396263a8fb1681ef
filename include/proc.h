/*
 * proc.h: processes, threads, sleeping and waking.
 *
 * A struct proc is an address space, a file table, credentials and signal
 * state shared by its threads; a struct thread is a kernel stack, saved
 * registers and a scheduling state (one thread per process today).
 * Sleeping is on a channel, any kernel address: tsleep/msleep block the
 * current thread until wakeup(chan), a signal (with PCATCH) or a timeout.
 *
 * Lock order: proc_lock (the process tree and pid table) before a proc's
 * p_lock before sched_lock.  Fields say which lock guards them.
 */
#ifndef _PROC_H_
#define _PROC_H_

#include <spinlock.h>
#include <sys/queue.h>
#include <types.h>
#include <uapi/resource.h>

struct filedesc;
struct vnode;
struct vmspace;
struct trapframe;
struct pgrp;
struct session;
struct sigacts;

struct ucred {
	uid_t cr_uid, cr_euid, cr_suid;
	gid_t cr_gid, cr_egid, cr_sgid;
	int cr_ngroups;
	gid_t cr_groups[16];
};

enum td_state { TDS_INACTIVE, TDS_RUNQ, TDS_RUNNING, TDS_SLEEPING,
	TDS_STOPPED, TDS_ZOMBIE };

struct thread {
	struct proc *td_proc;
	TAILQ_ENTRY(thread) td_runq;	/* sched_lock */
	TAILQ_ENTRY(thread) td_slpq;	/* sched_lock */
	enum td_state td_state;		/* sched_lock */
	const void *td_wchan;		/* sched_lock: sleep channel */
	const char *td_wmesg;		/* sched_lock */
	int td_tid;
	uint64_t td_kstack;		/* base of the kernel stack */
	uint64_t td_kstack_size;
	struct trapframe *td_frame;	/* user registers at kernel entry */
	uint64_t td_ctx_rsp;		/* saved kernel rsp while switched out */
	uint64_t td_fsbase;		/* arch_prctl(ARCH_SET_FS) */
	void *td_onfault;		/* copyin/copyout recovery point */
	uint64_t td_sigmask;		/* p_lock: blocked signals */
	uint64_t td_sigpend;		/* p_lock: pending for this thread */
	uint64_t td_clear_tid;		/* set_tid_address / CLONE_CHILD_CLEARTID */
	uint64_t td_nvcsw, td_nivcsw;	/* voluntary, involuntary switches */
	int td_slptimo_fired;
	/* Added by the process/scheduler code (kernel/sched.c). */
	int td_flags;			/* sched_lock: TDF_* */
	int td_slice;			/* sched_lock: ticks left in the slice */
	int td_slpret;			/* sched_lock: why the sleep ended */
	uint64_t td_slpdeadline;	/* sched_lock: uptime ns the sleep ends */
	struct callout *td_slpcallout;	/* sleep timeout */
	uint64_t td_start_ticks;
	uint64_t td_cputicks;		/* ticks spent running */
	void *td_fpu;			/* struct savefpu: user FPU/SSE state */
	uint64_t td_child_settid;	/* CLONE_CHILD_SETTID, done by the child */
};

#define TDF_SINTR	0x0001	/* sleep may be interrupted (PCATCH) */
#define TDF_OWEPREEMPT	0x0002	/* slice used up: switch at userret */
#define TDF_KTHREAD	0x0004	/* kernel thread, no user half */
#define TDF_IDLE	0x0008	/* the idle thread */

struct proc {
	LIST_ENTRY(proc) p_list;	/* proc_lock: allproc */
	LIST_ENTRY(proc) p_sibling;	/* proc_lock */
	LIST_HEAD(, proc) p_children;	/* proc_lock */
	LIST_ENTRY(proc) p_pglist;	/* proc_lock: members of p_pgrp */
	struct proc *p_pptr;		/* proc_lock: parent */
	struct spinlock p_lock;
	pid_t p_pid;
	enum { PRS_NEW, PRS_NORMAL, PRS_ZOMBIE } p_state; /* proc_lock */
	struct thread *p_thread;	/* the only thread, today */
	struct vmspace *p_vmspace;
	struct filedesc *p_fd;		/* open files */
	struct vnode *p_cwd;		/* current directory */
	struct vnode *p_textvp;		/* the executable (/proc/self/exe) */
	struct ucred p_ucred;
	mode_t p_umask;
	struct pgrp *p_pgrp;		/* proc_lock */
	struct sigacts *p_sigacts;
	uint64_t p_sigpend;		/* p_lock: pending for the process */
	int p_xstat;			/* proc_lock: wait status once zombie */
	int p_stops;			/* p_lock: stopped by a signal */
	char p_comm[16];		/* command name */
	char p_args[128];		/* argv, NUL separated (/proc cmdline) */
	uint64_t p_start_ticks;		/* ticks at fork */
	uint64_t p_uticks, p_sticks;	/* user, system time in ticks */
	uint64_t p_rlimit[16][2];	/* RLIMIT_* current, max */
	struct knlist *p_klist;		/* kqueue EVFILT_PROC */
	/* Added by the process code (kernel/kern_proc.c, kern_exit.c). */
	LIST_ENTRY(proc) p_hash;	/* proc_lock: pid hash */
	int p_flag;			/* proc_lock: P_* */
	int p_xsig;			/* proc_lock: stop signal to report */
	int p_exitsig;			/* signal to the parent at exit */
	uint64_t p_cuticks, p_csticks;	/* reaped children's times */
	/* Set by exec: where argv and envp strings and the stack start in
	 * user memory (/proc/PID/cmdline, environ, stat). */
	uint64_t p_arg_start, p_arg_end, p_env_start, p_env_end;
	uint64_t p_start_stack;
	uint64_t p_minflt, p_majflt;	/* page faults (kernel/trap.c) */
};

/* p_flag */
#define P_KPROC		0x0001	/* a kernel thread's process */
#define P_STOPPED	0x0002	/* stopped by a signal */
#define P_WAITED	0x0004	/* the stop was reported by wait */
#define P_CONTINUED	0x0008	/* continued, not yet reported by wait */
#define P_PPWAIT	0x0010	/* vfork: the parent waits for exec/exit */
#define P_EXEC		0x0020	/* has exec'd since fork */
#define P_WEXIT		0x0040	/* exiting */

struct pgrp {
	LIST_ENTRY(pgrp) pg_hash;	/* proc_lock */
	LIST_HEAD(, proc) pg_members;	/* proc_lock */
	struct session *pg_session;
	pid_t pg_id;
};

struct session {
	int s_count;			/* proc_lock */
	struct proc *s_leader;
	struct tty *s_ttyp;		/* controlling terminal */
	pid_t s_sid;
};

extern struct thread *curthread;	/* the running thread */
#define curproc (curthread->td_proc)

/* Sleep flags. */
#define PCATCH		0x100	/* a signal ends the sleep */

/*
 * Sleep on chan until wakeup(chan).  Returns 0 when woken, -EWOULDBLOCK
 * when timo_ns (0 = forever) passed, -EINTR or -ERESTART when a signal
 * arrived and PCATCH was given.  msleep releases lk while asleep and holds
 * it again on return.
 */
int tsleep(const void *chan, int flags, const char *wmesg, uint64_t timo_ns);
int msleep(const void *chan, struct spinlock *lk, int flags,
    const char *wmesg, uint64_t timo_ns);
void wakeup(const void *chan);

/* Out of user memory (kern_oom.c): SIGKILL the biggest process. */
bool oom_kill(struct proc *self);
void wakeup_one(const void *chan);

/* Signals to a process, a process group, or from a trap. */
void psignal(struct proc *p, int sig);
void pgsignal(struct pgrp *pg, int sig);
void trapsignal(struct thread *td, int sig, int code, uint64_t addr);

struct proc *pfind(pid_t pid);		/* NULL if none; proc_lock held */
extern struct spinlock proc_lock;
extern struct spinlock sched_lock;
extern LIST_HEAD(proclist, proc) allproc;	/* proc_lock */
extern struct proc proc0;		/* the kernel: pid 0, kthreads' parent */
extern struct thread thread0;		/* the boot thread, then idle */
extern struct proc *initproc;		/* pid 1 */
extern int nprocs;			/* proc_lock */
struct pgrp *pgfind(pid_t pgid);	/* proc_lock held */

/*
 * Scheduler (kernel/sched.c).  One run queue, round robin, a slice of
 * SCHED_SLICE ticks; sched_clock marks the running thread TDF_OWEPREEMPT
 * when its slice is used up and userret switches.
 */
#define SCHED_SLICE	3
#define SW_VOL		0x0001	/* the thread blocks or yields */
#define SW_INVOL	0x0002	/* preempted */
void sched_init(void);			/* thread0/proc0 become curthread */
void sched_add(struct thread *td);	/* sched_lock held: make runnable */
void setrunnable(struct thread *td);	/* sched_lock held: wake td */
void mi_switch(int flags);		/* sched_lock held, state already set */
void sched_yield_td(void);		/* give up the CPU, stay runnable */
void sched_idle_loop(void) __noreturn;	/* the boot thread ends here */
int sched_runq_len(void);
void userret(struct trapframe *tf);	/* preempt, then deliver signals */
void sched_clock(struct trapframe *tf);	/* every tick */
/* Abort an interruptible sleep (signal code): it returns intrval. */
void sleepq_abort(struct thread *td, int intrval);

/* Kernel threads (kernel/kern_kthread.c). */
struct thread *kthread_create(void (*fn)(void *), void *arg,
    const char *name);
void kthread_exit(void) __noreturn;

/* Process life cycle (kern_proc.c, kern_fork.c, kern_exit.c). */
int proc_count_uid(uid_t uid);		/* RLIMIT_NPROC */
struct proc *proc_alloc(void);		/* pid, thread, kstack; PRS_NEW */
void proc_free(struct proc *p);		/* after reaping */
struct proc *proc_alloc_init(void);	/* the same, with pid 1 */
void proc_unhash(struct proc *p);	/* proc_lock held */
void proc_defer_free(struct proc *p);	/* sched_lock held */
void pgrp_join(struct proc *p, struct pgrp *pg);	/* proc_lock held */
void pgrp_remove(struct proc *p);			/* proc_lock held */
bool pgrp_orphaned(struct pgrp *pg, struct proc *gone); /* proc_lock held */
void *proc_zalloc_pub(size_t size);	/* kmalloc(M_ZERO | M_NOWAIT) */
void proc_zfree_pub(void *p);
/* kernel/proc_glue.c: the vfs and vm halves of fork, exec and exit. */
int proc_vfs_fork(struct proc *p1, struct proc *p2);
void proc_vfs_exit(struct proc *p);
void proc_vfs_exec(struct proc *p, struct vnode *textvp);
int proc_vm_fork(struct proc *p1, struct proc *p2);
void proc_vm_exit(struct proc *p);
int proc_vfs_init(struct proc *p);	/* init: fds 0-2 on /dev/console, cwd / */
void exit1(struct thread *td, int xstat) __noreturn;
/* Job control, called by the signal code on the current process. */
void proc_stop(struct proc *p, int sig);	/* blocks until continued */
void proc_continue(struct proc *p);		/* SIGCONT */
int enterpgrp(struct proc *p, pid_t pgid, struct pgrp *pgrp,
    struct session *sess);
void proc_start_init(void);
void vfork_release(struct proc *p);	/* exec/exit: wake a vfork parent */
int futex_wake(uint64_t uaddr, int n);	/* kernel/kern_futex.c */
/* The user FPU state (the cpu code's fpu_*; no-ops until linked). */
void td_fpu_save(struct thread *td);
void td_fpu_restore(struct thread *td);
void td_fpu_init(struct thread *td);
#define TD_FPU_SIZE	512		/* fxsave area, bottom of the kstack */
uint64_t kern_uptime_ns(void);		/* kernel/kern_time.c */
void arc4random_buf(void *buf, size_t n);	/* kernel/kern_random.c */
/* Exec from the kernel (init): kernel argv/envp; 0 or a negative errno. */
int kern_execve(const char *path, const char *const *argv,
    const char *const *envp);
void proc0_init(void);			/* sched_init */
void proc_reap_kthreads(void);		/* sched_lock held: free dead kthreads */
void thread_init_frame(struct thread *td, void (*fn)(void *), void *arg);		/* kmain: create pid 1, exec init */

/*
 * What the process code uses from the signal code (kernel/kern_sig.c,
 * declared again in signal.h).
 */
bool sig_pending_unblocked(struct thread *td);	/* PCATCH: wake up? */
int sig_sleep_intr(struct thread *td);	/* -EINTR, -ERESTART or 0 */
void itimer_tick(void);			/* every tick */
int sigacts_copy(struct proc *dst, struct proc *src);	/* fork; -ENOMEM */
void sigacts_free(struct proc *p);			/* reap */
void execsigs(struct proc *p);		/* exec: caught -> default */
void ast_signals(struct trapframe *tf);	/* userret: deliver signals */

void pid_set_last(pid_t pid);		/* self tests */
pid_t proc_lastpid(void);		/* the last pid handed out */
void kern_gethostname(char *buf, size_t len);	/* kern_misc.c */

#endif /* !_PROC_H_ */
