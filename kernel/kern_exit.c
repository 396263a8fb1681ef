/*
 * kern_exit.c: process exit, zombies, wait4/waitid, stop and continue
 * (FreeBSD kern_exit.c).
 *
 * exit1 releases everything a process owns except its proc structure,
 * kernel stack and pid, hands its children to init, becomes a zombie
 * holding the wait status and wakes the parent, which sleeps on its own
 * proc in wait.  The zombie is freed when the parent reaps it -- the
 * parent can only run after the zombie switched away for good, since one
 * CPU runs one thread and kernel code is not preempted.  A kernel thread
 * has no parent waiting: it is freed by the next thread to switch in.
 * A process group the exit orphans (no member keeps a parent in another
 * group of the session) gets SIGHUP and SIGCONT if a member is stopped,
 * as POSIX asks: nobody else could continue it.
 *
 * Status words are Linux's: exit code << 8, or the killing signal | 0x80
 * for a core dump, 0x7f | sig << 8 for a stop, 0xffff for a continue.
 */
#include <event.h>
#include <clock.h>
#include <kernel.h>
#include <libkern.h>
#include <proc.h>
#include <procsys.h>
#include <signal.h>
#include <trap.h>
#include <uapi/errno.h>
#include <uapi/wait.h>

#define ORPHANS_MAX	8	/* groups one exit may orphan, at most
				 * this many signalled (more: left alone) */

static bool
pg_has_stopped(struct pgrp *pg)
{
	struct proc *q;

	LIST_FOREACH(q, &pg->pg_members, p_pglist)
		if (q->p_flag & P_STOPPED)
			return (true);
	return (false);
}

static int
orphan_add(struct pgrp **v, int n, struct pgrp *pg)
{
	for (int i = 0; i < n; i++)
		if (v[i] == pg)
			return (n);
	if (n < ORPHANS_MAX)
		v[n++] = pg;
	return (n);
}

/*
 * The groups p's exit orphans that have a stopped member: POSIX wants
 * them sent SIGHUP and SIGCONT, as nobody is left to continue them.  p's
 * own group, if p linked it to the session, and its children's groups
 * (cand, collected as they went to init), which p linked.  proc_lock
 * held.
 */
static int
orphan_groups(struct proc *p, struct pgrp **cand, int ncand, struct pgrp **v)
{
	struct pgrp *pg = p->p_pgrp, *cg;
	struct proc *pp = p->p_pptr;
	int n = 0;

	if (pg == NULL)
		return (0);
	if (pp != NULL && pp->p_pgrp != pg && pp->p_pgrp != NULL &&
	    pp->p_pgrp->pg_session == pg->pg_session &&
	    pgrp_orphaned(pg, p) && pg_has_stopped(pg))
		n = orphan_add(v, n, pg);
	for (int i = 0; i < ncand; i++) {
		cg = cand[i];
		if (cg != pg && cg->pg_session == pg->pg_session &&
		    pgrp_orphaned(cg, p) && pg_has_stopped(cg))
			n = orphan_add(v, n, cg);
	}
	return (n);
}

void
exit1(struct thread *td, int xstat)
{
	struct proc *p = td->td_proc, *c, *next, *parent;
	struct pgrp *orphans[ORPHANS_MAX], *cand[ORPHANS_MAX];
	int norphans, ncand = 0;
	bool kproc = (p->p_flag & P_KPROC) != 0;
	bool init_gets_zombie = false;

	if (p == initproc)
		panic("init (pid 1) exited with status %#x", xstat);
	KASSERT(p != &proc0, "proc0 may not exit");
	p->p_flag |= P_WEXIT;
	if (td->td_clear_tid != 0) {
		uint32_t zero = 0;

		if (copyout(&zero, (void *)td->td_clear_tid, 4) == 0)
			futex_wake(td->td_clear_tid, 1);
		td->td_clear_tid = 0;
	}
	proc_vfs_exit(p);
	proc_vm_exit(p);

	spin_lock(&proc_lock);
	LIST_FOREACH_SAFE(c, &p->p_children, p_sibling, next) {
		LIST_REMOVE(c, p_sibling);
		if (c->p_flag & P_KPROC) {
			c->p_pptr = &proc0;
			LIST_INSERT_HEAD(&proc0.p_children, c, p_sibling);
			continue;
		}
		if (c->p_pgrp != NULL)
			ncand = orphan_add(cand, ncand, c->p_pgrp);
		c->p_pptr = initproc;
		/* As Linux: an orphan's exit signal is SIGCHLD, never a
		 * clone(2) exit signal that would kill init. */
		c->p_exitsig = SIGCHLD;
		LIST_INSERT_HEAD(&initproc->p_children, c, p_sibling);
		if (c->p_state == PRS_ZOMBIE)
			init_gets_zombie = true;
	}
	norphans = orphan_groups(p, cand, ncand, orphans);
	p->p_xstat = xstat;
	p->p_flag &= ~(P_STOPPED | P_PPWAIT);
	parent = p->p_pptr;
	if (kproc) {
		proc_unhash(p);
		LIST_REMOVE(p, p_sibling);
		pgrp_remove(p);
	}
	p->p_state = PRS_ZOMBIE;
	spin_unlock(&proc_lock);
	for (int i = 0; i < norphans; i++) {
		/* Still valid: the kernel does not preempt. */
		pgsignal(orphans[i], SIGHUP);
		pgsignal(orphans[i], SIGCONT);
	}
	knote_exit(p);			/* EVFILT_PROC NOTE_EXIT watchers */

	wakeup(p);			/* a vfork parent */
	if (init_gets_zombie)
		wakeup(initproc);
	if (!kproc) {
		if (p->p_exitsig != 0)
			psignal_child(parent, p, p->p_exitsig);
		wakeup(parent);
	}
	spin_lock(&sched_lock);
	td->td_state = TDS_ZOMBIE;
	if (kproc)
		proc_defer_free(p);
	mi_switch(SW_VOL);
	panic("exit1: a zombie ran again");
}

/*
 * exit(2) and exit_group(2): end the process with status (code & 0xff).
 * With one thread per process the two are the same.  Never returns.
 */
long
sys_exit(int code)
{
	exit1(curthread, W_EXITCODE(code, 0));
}

long
sys_exit_group(int code)
{
	exit1(curthread, W_EXITCODE(code, 0));
}

/* Does child c match wait's (idtype, id) for parent p? */
static bool
wait_match(struct proc *p, struct proc *c, int idtype, pid_t id)
{
	switch (idtype) {
	case P_ALL:
		return (true);
	case P_PID:
		return (c->p_pid == id);
	case P_PGID:
		return (c->p_pgrp != NULL &&
		    c->p_pgrp->pg_id == (id == 0 ? p->p_pgrp->pg_id : id));
	}
	return (false);
}

struct wait_result {
	pid_t pid;
	int status;		/* wait4 status word */
	int code;		/* CLD_* for waitid */
	int sigstat;		/* si_status for waitid */
	uid_t uid;
	uint64_t uticks, sticks;
};

/* Free a zombie child; proc_lock held and released. */
static void
proc_reap(struct proc *p, struct proc *c)
{
	p->p_cuticks += c->p_uticks + c->p_cuticks;
	p->p_csticks += c->p_sticks + c->p_csticks;
	proc_unhash(c);
	LIST_REMOVE(c, p_sibling);
	pgrp_remove(c);
	spin_unlock(&proc_lock);
	sigacts_free(c);
	proc_free(c);
}

static void
wait_fill(struct wait_result *wr, struct proc *c, int status)
{
	wr->pid = c->p_pid;
	wr->status = status;
	wr->uid = c->p_ucred.cr_uid;
	wr->uticks = c->p_uticks;
	wr->sticks = c->p_sticks;
	if ((status & 0x7f) == 0) {
		wr->code = CLD_EXITED;
		wr->sigstat = (status >> 8) & 0xff;
	} else if ((status & 0xff) == 0x7f) {
		wr->code = CLD_STOPPED;
		wr->sigstat = (status >> 8) & 0xff;
	} else if (status == W_CONTINUED) {
		wr->code = CLD_CONTINUED;
		wr->sigstat = 18;	/* SIGCONT */
	} else {
		wr->code = (status & WCOREFLAG) ? CLD_DUMPED : CLD_KILLED;
		wr->sigstat = status & 0x7f;
	}
}

/* The SIGCHLD part of a Linux siginfo_t (128 bytes). */
struct l_siginfo_chld {
	int si_signo, si_errno, si_code, pad;
	int si_pid;
	uint32_t si_uid;
	int si_status;
	int pad2;
	int64_t si_utime, si_stime;
	char rest[128 - 48];
};

/*
 * The common part of wait4 and waitid: 0 with wr->pid == 0 for WNOHANG
 * and nothing ready, the child's pid, -ECHILD, -EINTR.
 */
static int
kern_wait(int idtype, pid_t id, int options, struct wait_result *wr)
{
	struct proc *p = curproc, *c;
	int nfound, error;

	memset(wr, 0, sizeof(*wr));
	spin_lock(&proc_lock);
	for (;;) {
		nfound = 0;
		LIST_FOREACH(c, &p->p_children, p_sibling) {
			if (!wait_match(p, c, idtype, id) ||
			    c->p_state == PRS_NEW)
				continue;
			nfound++;
			if (c->p_state == PRS_ZOMBIE && (options & WEXITED)) {
				KASSERT(c->p_thread->td_state == TDS_ZOMBIE,
				    "reaping a zombie still on the CPU");
				wait_fill(wr, c, c->p_xstat);
				if (options & WNOWAIT) {
					spin_unlock(&proc_lock);
					return (wr->pid);
				}
				proc_reap(p, c);
				return (wr->pid);
			}
			if ((c->p_flag & P_STOPPED) &&
			    !(c->p_flag & P_WAITED) &&
			    (options & WUNTRACED)) {
				wait_fill(wr, c, W_STOPCODE(c->p_xsig));
				if (!(options & WNOWAIT))
					c->p_flag |= P_WAITED;
				spin_unlock(&proc_lock);
				return (wr->pid);
			}
			if ((c->p_flag & P_CONTINUED) &&
			    (options & WCONTINUED)) {
				wait_fill(wr, c, W_CONTINUED);
				if (!(options & WNOWAIT))
					c->p_flag &= ~P_CONTINUED;
				spin_unlock(&proc_lock);
				return (wr->pid);
			}
		}
		if (nfound == 0) {
			spin_unlock(&proc_lock);
			return (-ECHILD);
		}
		if (options & WNOHANG) {
			spin_unlock(&proc_lock);
			return (0);
		}
		error = msleep(p, &proc_lock, PCATCH, "wait", 0);
		if (error != 0) {
			spin_unlock(&proc_lock);
			return (error);		/* -EINTR or -ERESTART */
		}
	}
}

static void
ticks_to_timeval(uint64_t t, struct l_timeval *tv)
{
	tv->tv_sec = t / HZ;
	tv->tv_usec = (t % HZ) * (1000000 / HZ);
}

static int
rusage_out(struct rusage *uru, const struct wait_result *wr)
{
	struct rusage ru;

	if (uru == NULL)
		return (0);
	memset(&ru, 0, sizeof(ru));
	ticks_to_timeval(wr->uticks, &ru.ru_utime);
	ticks_to_timeval(wr->sticks, &ru.ru_stime);
	return (copyout(&ru, uru, sizeof(ru)));
}

/*
 * wait4(2): wait for a child to change state.  pid > 0: that child; -1:
 * any; 0: any in the caller's group; < -1: any in group -pid.  Options
 * WNOHANG, WUNTRACED, WCONTINUED (__WALL, __WCLONE accepted, ignored).
 * Returns the child's pid (0 with WNOHANG and nothing ready); ECHILD: no
 * such child; EINTR: a signal arrived; EINVAL: bad options; EFAULT: bad
 * status or rusage pointer.
 */
long
sys_wait4(pid_t pid, int *status, int options, struct rusage *ru)
{
	struct wait_result wr;
	int idtype, ret, error;
	pid_t id;

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD |
	    __WALL | __WCLONE))
		return (-EINVAL);
	if (pid == -1) {
		idtype = P_ALL;
		id = 0;
	} else if (pid < 0) {
		if (pid == INT32_MIN)
			return (-ESRCH);
		idtype = P_PGID;
		id = -pid;
	} else if (pid == 0) {
		idtype = P_PGID;
		id = 0;
	} else {
		idtype = P_PID;
		id = pid;
	}
	ret = kern_wait(idtype, id, options | WEXITED, &wr);
	if (ret <= 0)
		return (ret);
	if (status != NULL &&
	    (error = copyout(&wr.status, status, sizeof(int))) != 0)
		return (error);
	if ((error = rusage_out(ru, &wr)) != 0)
		return (error);
	return (ret);
}


/*
 * waitid(2): idtype P_ALL, P_PID or P_PGID (id 0: the caller's group);
 * options must include WEXITED, WSTOPPED or WCONTINUED, plus WNOHANG,
 * WNOWAIT.  Fills *infop (SIGCHLD, CLD_*, pid, uid, status), zeroed when
 * WNOHANG found nothing.  Returns 0; ECHILD, EINTR, EINVAL (bad idtype or
 * options), EFAULT.
 */
long
sys_waitid(int idtype, pid_t id, void *infop, int options, struct rusage *ru)
{
	struct wait_result wr;
	struct l_siginfo_chld si;
	int ret, error;

	if (options & ~(WNOHANG | WNOWAIT | WEXITED | WSTOPPED |
	    WCONTINUED | __WNOTHREAD | __WALL | __WCLONE))
		return (-EINVAL);
	if (!(options & (WEXITED | WSTOPPED | WCONTINUED)))
		return (-EINVAL);
	if (idtype != P_ALL && idtype != P_PID && idtype != P_PGID)
		return (-EINVAL);
	if (idtype == P_PID && id <= 0)
		return (-EINVAL);
	if (idtype == P_PGID && id < 0)
		return (-EINVAL);
	ret = kern_wait(idtype, id, options, &wr);
	if (ret < 0)
		return (ret);
	memset(&si, 0, sizeof(si));
	if (ret > 0) {
		si.si_signo = SIGCHLD;
		si.si_code = wr.code;
		si.si_pid = wr.pid;
		si.si_uid = wr.uid;
		si.si_status = wr.sigstat;
		si.si_utime = wr.uticks;
		si.si_stime = wr.sticks;
	}
	if (infop != NULL && (error = copyout(&si, infop, sizeof(si))) != 0)
		return (error);
	if ((error = rusage_out(ru, &wr)) != 0)
		return (error);
	return (0);
}

/*
 * Job control, for the signal code.  proc_stop runs in the process being
 * stopped (from signal delivery at userret): it records the stop for wait,
 * wakes a waiting parent (the signal code sends SIGCHLD unless
 * SA_NOCLDSTOP) and sleeps until proc_continue.
 */
void
proc_stop(struct proc *p, int sig)
{
	struct proc *parent;

	spin_lock(&proc_lock);
	p->p_flag |= P_STOPPED;
	p->p_flag &= ~(P_WAITED | P_CONTINUED);
	p->p_xsig = sig;
	parent = p->p_pptr;
	spin_unlock(&proc_lock);
	wakeup(parent);		/* the signal code sends SIGCHLD */
	spin_lock(&proc_lock);
	while ((p->p_flag & P_STOPPED) && !(p->p_flag & P_WEXIT))
		msleep(&p->p_xsig, &proc_lock, 0, "stopped", 0);
	spin_unlock(&proc_lock);
}

void
proc_continue(struct proc *p)
{
	struct proc *parent;
	bool was;

	spin_lock(&proc_lock);
	was = (p->p_flag & P_STOPPED) != 0;
	if (was) {
		p->p_flag &= ~(P_STOPPED | P_WAITED);
		p->p_flag |= P_CONTINUED;
	}
	parent = p->p_pptr;
	spin_unlock(&proc_lock);
	if (was) {
		wakeup(&p->p_xsig);
		wakeup(parent);
	}
}
