/*
 * signal.h: posting, blocking and delivering signals (kernel/kern_sig.c).
 *
 * A signal is posted by setting its bit in p_sigpend (to the process) or
 * td_sigpend (to one thread) under p_lock; nothing else happens until the
 * target thread is on its way back to user mode, where userret calls
 * ast_signals (also named sigdeliver).  There the lowest pending unblocked
 * signal takes its action: ignore, stop, terminate (exit1 with the signal
 * as wait status), or run the handler on the user stack in the Linux
 * rt_sigframe layout.  The model is FreeBSD kern_sig.c (psignal, issignal,
 * postsig, sendsig) with Linux semantics and ABI.
 *
 * Contract with the other subsystems:
 *  - userret calls ast_signals(tf) last, with interrupts enabled.
 *  - The system call dispatcher restarts a call that returns -ERESTART
 *    (rip back over `syscall`, rax = number) and leaves the frame alone
 *    on -EJUSTRETURN (rt_sigreturn).  After a handler is set up or
 *    rt_sigreturn ran, every register must be restored (iretq, not
 *    sysret: rcx and r11 matter).
 *  - tsleep(PCATCH) asks sig_pending_unblocked(td) before and after
 *    sleeping and returns sig_sleep_intr(td) (-EINTR or -ERESTART);
 *    psignal wakes such a sleep with sleepq_abort(td, -EINTR).
 *  - exit1 tells the parent with psignal_child(parent, child, exitsig)
 *    (siginfo with si_pid, si_status, CLD_*).
 *  - The process code provides exit1(td, wait_status), proc_stop(p, sig)
 *    (marks P_STOPPED, wakes wait4, blocks until continued) and
 *    proc_continue(p); this file sends the parent SIGCHLD for stop and
 *    continue (unless SA_NOCLDSTOP).
 *  - itimer_tick() is called on every tick (sched_clock / hardclock).
 */
#ifndef _SIGNAL_H_
#define _SIGNAL_H_

#include <proc.h>
#include <sys/queue.h>
#include <types.h>
#include <uapi/signal.h>

struct trapframe;

/*
 * Per-process signal state.  Guarded by the owning process's p_lock
 * (itimer fields by itimer_lock).  One thread per process today, so the
 * sigsuspend saved mask lives here too.
 */
struct sigacts {
	struct k_sigaction ps_act[_NSIG + 1];	/* indexed by signal */
	k_sigset_t ps_oldmask;		/* mask to restore after sigsuspend */
	int ps_flags;			/* PS_* */
	k_siginfo_t ps_info[_NSIG + 1];	/* why each pending signal came */
	/* ITIMER_REAL (itimer_lock) */
	struct proc *ps_proc;
	LIST_ENTRY(sigacts) ps_itlink;	/* on the armed list */
	uint64_t ps_itvalue;		/* tick it fires; 0 = disarmed */
	uint64_t ps_itinterval;		/* reload in ticks; 0 = one shot */
};

#define PS_OLDMASK	0x0001	/* restore ps_oldmask at return to user */
#define PS_NOCLDSTOP	0x0002	/* SIGCHLD has SA_NOCLDSTOP */

/* Signal properties (default actions). */
#define SP_KILL		0x01	/* terminate */
#define SP_CORE		0x02	/* terminate with the core flag */
#define SP_STOP		0x04	/* stop */
#define SP_TTYSTOP	0x08	/* a tty stop: SIGTSTP, SIGTTIN, SIGTTOU */
#define SP_IGNORE	0x10	/* ignored by default */
#define SP_CONT		0x20	/* continue */
int sigprop(int sig);

#define WCOREFLAG	0x80	/* in a wait status killed by a signal */

/* The signals no mask may hold and no handler may catch. */
#define CANTMASK	(sigmask(SIGKILL) | sigmask(SIGSTOP))

/* Bookkeeping (fork, exec, exit). */
struct sigacts *sigacts_alloc(struct proc *p);
int sigacts_copy(struct proc *dst, struct proc *src);	/* fork; -ENOMEM */
void sigacts_free(struct proc *p);			/* reap */
void execsigs(struct proc *p);		/* exec: caught -> default */

/* Posting. */
void psignal(struct proc *p, int sig);
void psignal_info(struct proc *p, const k_siginfo_t *info);
/* exit1: the exit signal with CLD_EXITED/KILLED/DUMPED from p_xstat. */
void psignal_child(struct proc *parent, struct proc *child, int sig);
void tdsignal(struct thread *td, int sig);
void pgsignal(struct pgrp *pg, int sig);	/* takes proc_lock */
/* Targets of kill(-1) / a group signal, SIG_BATCH at a time (proc_lock). */
#define SIG_BATCH	32
int sig_targets(struct proc *self, pid_t pgid, pid_t after,
    struct proc **list, int max);
void trapsignal(struct thread *td, int sig, int code, uint64_t addr);
bool sig_ignored(struct proc *p, int sig);	/* SIG_IGN or default-ignore */
bool sig_blocked(struct thread *td, int sig);

/* Sleeping and delivery. */
bool sig_pending_unblocked(struct thread *td);
int sig_sleep_intr(struct thread *td);	/* -EINTR, -ERESTART or 0 */
void ast_signals(struct trapframe *tf);
void sigdeliver(struct trapframe *tf);	/* the same as ast_signals */
void itimer_tick(void);
void itimer_disarm(struct sigacts *ps);

/* Delivery internals (kern_sig.c, kern_sigframe.c). */
void postsig(struct thread *td, struct trapframe *tf, int sig,
    const k_siginfo_t *info);
int sendsig(struct thread *td, struct trapframe *tf, int sig,
    const struct k_sigaction *act, const k_siginfo_t *info,
    k_sigset_t oldmask);

/* Kernel-internal forms of the system calls (no user pointers). */
int kern_sigaction(struct proc *p, int sig, const struct k_sigaction *act,
    struct k_sigaction *oact);
int kern_sigprocmask(struct thread *td, int how, const k_sigset_t *set,
    k_sigset_t *oset);
int kern_kill(struct proc *self, pid_t pid, int sig);
int kern_setitimer(struct proc *p, int which, const struct k_itimerval *in,
    struct k_itimerval *out);
int sig_build_frame(const struct trapframe *tf, int sig,
    const struct k_sigaction *act, const k_siginfo_t *info,
    k_sigset_t oldmask, uint64_t sp, uint64_t fpstate,
    struct k_rt_sigframe *frame, uint64_t *framep);

/* System calls. */
long sys_rt_sigaction(int sig, const struct k_sigaction *act,
    struct k_sigaction *oact, size_t sigsetsize);
long sys_rt_sigprocmask(int how, const k_sigset_t *set, k_sigset_t *oset,
    size_t sigsetsize);
long sys_rt_sigpending(k_sigset_t *set, size_t sigsetsize);
long sys_rt_sigsuspend(const k_sigset_t *mask, size_t sigsetsize);
long sys_rt_sigreturn(void);
long sys_rt_sigtimedwait(const k_sigset_t *set, k_siginfo_t *info,
    const struct k_timespec *timeout, size_t sigsetsize);
long sys_sigaltstack(const k_stack_t *ss, k_stack_t *oss);
long sys_kill(pid_t pid, int sig);
long sys_tkill(pid_t tid, int sig);
long sys_tgkill(pid_t tgid, pid_t tid, int sig);
long sys_pause(void);
long sys_alarm(unsigned int seconds);
long sys_setitimer(int which, const struct k_itimerval *value,
    struct k_itimerval *ovalue);
long sys_getitimer(int which, struct k_itimerval *value);

/*
 * What this file needs from the process code (kernel/kern_*.c).  Declared
 * here until the process code's proc.h (which names them) is merged.
 */
#ifdef P_STOPPED
#define SIG_P_STOPPED(p)	(((p)->p_flag & P_STOPPED) != 0)
#else
#define SIG_P_STOPPED(p)	((p)->p_stops != 0)
void exit1(struct thread *td, int xstat) __noreturn;
void proc_stop(struct proc *p, int sig);
void proc_continue(struct proc *p);
void sleepq_abort(struct thread *td, int intrval);
struct pgrp *pgfind(pid_t pgid);
extern LIST_HEAD(proclist, proc) allproc;
#endif

#endif /* !_SIGNAL_H_ */
