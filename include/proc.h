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
};

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
};

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
void wakeup_one(const void *chan);

/* Signals to a process, a process group, or from a trap. */
void psignal(struct proc *p, int sig);
void pgsignal(struct pgrp *pg, int sig);
void trapsignal(struct thread *td, int sig, int code, uint64_t addr);

struct proc *pfind(pid_t pid);		/* NULL if none; proc_lock held */
extern struct spinlock proc_lock;

#endif /* !_PROC_H_ */
