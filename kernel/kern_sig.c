/*
 * kern_sig.c: posting signals and acting on them at the return to user.
 *
 * Posting (psignal, tdsignal, trapsignal) only sets a pending bit under
 * p_lock and wakes an interruptible sleep; the action happens on the
 * target's own way out of the kernel, in ast_signals: issignal picks the
 * lowest pending unblocked signal and carries out default actions (ignore,
 * stop, terminate), and postsig runs a handler by building a Linux
 * rt_sigframe on the user stack (sendsig, in kern_sigframe.c).  That keeps
 * every process-state change in the context of the process itself, as in
 * FreeBSD kern_sig.c, whose names this follows.
 *
 * Mica is one CPU with a non-preemptive kernel: a p_lock holder has
 * interrupts off and so excludes everyone else.  psignal must be called
 * without proc_lock held (it may continue a stopped process).
 */
#include <event.h>
#include <kernel.h>
#include <kmem.h>
#include <libkern.h>
#include <proc.h>
#include <signal.h>
#include <trap.h>
#include <uapi/errno.h>

#define STOPMASK	(sigmask(SIGSTOP) | sigmask(SIGTSTP) | \
			 sigmask(SIGTTIN) | sigmask(SIGTTOU))

static const uint8_t sigproptbl[SIGRTMIN] = {
	[SIGHUP] = SP_KILL,
	[SIGINT] = SP_KILL,
	[SIGQUIT] = SP_KILL | SP_CORE,
	[SIGILL] = SP_KILL | SP_CORE,
	[SIGTRAP] = SP_KILL | SP_CORE,
	[SIGABRT] = SP_KILL | SP_CORE,
	[SIGBUS] = SP_KILL | SP_CORE,
	[SIGFPE] = SP_KILL | SP_CORE,
	[SIGKILL] = SP_KILL,
	[SIGUSR1] = SP_KILL,
	[SIGSEGV] = SP_KILL | SP_CORE,
	[SIGUSR2] = SP_KILL,
	[SIGPIPE] = SP_KILL,
	[SIGALRM] = SP_KILL,
	[SIGTERM] = SP_KILL,
	[SIGSTKFLT] = SP_KILL,
	[SIGCHLD] = SP_IGNORE,
	[SIGCONT] = SP_IGNORE | SP_CONT,
	[SIGSTOP] = SP_STOP,
	[SIGTSTP] = SP_STOP | SP_TTYSTOP,
	[SIGTTIN] = SP_STOP | SP_TTYSTOP,
	[SIGTTOU] = SP_STOP | SP_TTYSTOP,
	[SIGURG] = SP_IGNORE,
	[SIGXCPU] = SP_KILL | SP_CORE,
	[SIGXFSZ] = SP_KILL | SP_CORE,
	[SIGVTALRM] = SP_KILL,
	[SIGPROF] = SP_KILL,
	[SIGWINCH] = SP_IGNORE,
	[SIGIO] = SP_KILL,
	[SIGPWR] = SP_KILL,
	[SIGSYS] = SP_KILL | SP_CORE,
};

/* Default action of sig; real-time signals terminate. */
int
sigprop(int sig)
{
	if (sig <= 0 || sig > _NSIG)
		return (0);
	if (sig >= SIGRTMIN)
		return (SP_KILL);
	return (sigproptbl[sig]);
}

static int
sig_ffs(uint64_t set)
{
	return (set == 0 ? 0 : __builtin_ctzll(set) + 1);
}

struct sigacts *
sigacts_alloc(struct proc *p)
{
	struct sigacts *ps;

	ps = kmalloc(sizeof(*ps), M_NOWAIT | M_ZERO);	/* fork may fail */
	if (ps == NULL)
		return (NULL);
	ps->ps_proc = p;
	return (ps);
}

/*
 * fork: the child gets the parent's actions and mask, nothing pending.
 * -ENOMEM (dst untouched) when there is no memory for them.
 */
int
sigacts_copy(struct proc *dst, struct proc *src)
{
	struct sigacts *ps;

	ps = sigacts_alloc(dst);
	if (ps == NULL)
		return (-ENOMEM);
	if (src != NULL && src->p_sigacts != NULL) {
		spin_lock(&src->p_lock);
		memcpy(ps->ps_act, src->p_sigacts->ps_act,
		    sizeof(ps->ps_act));
		ps->ps_flags = src->p_sigacts->ps_flags & PS_NOCLDSTOP;
		spin_unlock(&src->p_lock);
	}
	dst->p_sigacts = ps;
	dst->p_sigpend = 0;
	if (dst->p_thread != NULL) {
		dst->p_thread->td_sigpend = 0;
		if (src != NULL && src->p_thread != NULL)
			dst->p_thread->td_sigmask =
			    src->p_thread->td_sigmask;
	}
	return (0);
}

void
sigacts_free(struct proc *p)
{
	struct sigacts *ps = p->p_sigacts;

	if (ps == NULL)
		return;
	itimer_disarm(ps);
	p->p_sigacts = NULL;
	kfree(ps);
}

/* exec: caught signals revert to the default; ignored stay ignored. */
void
execsigs(struct proc *p)
{
	struct sigacts *ps = p->p_sigacts;

	if (ps == NULL)
		return;
	spin_lock(&p->p_lock);
	for (int sig = 1; sig <= _NSIG; sig++) {
		if (ps->ps_act[sig].sa_handler != SIG_IGN)
			ps->ps_act[sig].sa_handler = SIG_DFL;
		ps->ps_act[sig].sa_flags = 0;
		ps->ps_act[sig].sa_restorer = 0;
		ps->ps_act[sig].sa_mask = 0;
	}
	ps->ps_flags &= ~(PS_OLDMASK | PS_NOCLDSTOP);
	spin_unlock(&p->p_lock);
}

/* SIG_IGN, or SIG_DFL with an ignoring default.  p_lock held or racy. */
bool
sig_ignored(struct proc *p, int sig)
{
	uint64_t h;

	if (p->p_sigacts == NULL)
		return (true);
	h = p->p_sigacts->ps_act[sig].sa_handler;
	return (h == SIG_IGN || (h == SIG_DFL && (sigprop(sig) & SP_IGNORE)));
}

bool
sig_blocked(struct thread *td, int sig)
{
	return ((td->td_sigmask & sigmask(sig)) != 0);
}

/* -ERESTART if a syscall interrupted by sig should restart, else -EINTR. */
static int
sig_intrval(struct proc *p, int sig)
{
	const struct k_sigaction *sa = &p->p_sigacts->ps_act[sig];

	if (sa->sa_handler == SIG_DFL || sa->sa_handler == SIG_IGN ||
	    (sa->sa_flags & SA_RESTART))
		return (-ERESTART);
	return (-EINTR);
}

/*
 * Tell the parent that p stopped or continued (SIGCHLD with CLD_STOPPED
 * or CLD_CONTINUED), unless its SIGCHLD action has SA_NOCLDSTOP.
 */
static void
sig_notify_parent(struct proc *p, int code, int sig)
{
	struct proc *pp = p->p_pptr;	/* UP: stable while we run */
	k_siginfo_t info;

	if (pp == NULL || pp->p_sigacts == NULL ||
	    (pp->p_sigacts->ps_act[SIGCHLD].sa_flags & SA_NOCLDSTOP))
		return;
	memset(&info, 0, sizeof(info));
	info.si_signo = SIGCHLD;
	info.si_code = code;
	info.si_pid = p->p_pid;
	info.si_uid = p->p_ucred.cr_uid;
	info.si_status = sig;
	psignal_info(pp, &info);
}

/*
 * Post a signal to thread td (tdpend) or to its process.  The common part
 * of psignal, tdsignal and trapsignal.
 */
static void
sig_post(struct proc *p, struct thread *td, bool tdpend,
    const k_siginfo_t *info)
{
	int sig = info->si_signo, prop = sigprop(sig);
	bool wasstopped, posted = false;
	struct sigacts *ps;

	if (sig <= 0 || sig > _NSIG || p == NULL || p->p_sigacts == NULL)
		return;
	spin_lock(&p->p_lock);
	if (p->p_state == PRS_ZOMBIE) {
		spin_unlock(&p->p_lock);
		return;
	}
	ps = p->p_sigacts;
	if (td == NULL)
		td = p->p_thread;
	wasstopped = SIG_P_STOPPED(p);
	if (prop & SP_CONT) {
		p->p_sigpend &= ~STOPMASK;
		if (td != NULL)
			td->td_sigpend &= ~STOPMASK;
	}
	if (prop & SP_STOP) {
		p->p_sigpend &= ~sigmask(SIGCONT);
		if (td != NULL)
			td->td_sigpend &= ~sigmask(SIGCONT);
	}
	/* An ignored signal is dropped now, unless it is blocked. */
	if (td == NULL || !sig_ignored(p, sig) || sig_blocked(td, sig)) {
		if (tdpend && td != NULL)
			td->td_sigpend |= sigmask(sig);
		else
			p->p_sigpend |= sigmask(sig);
		ps->ps_info[sig] = *info;
		posted = true;
	}
	spin_unlock(&p->p_lock);
	knote_signal(p, sig);		/* EVFILT_SIGNAL counts even ignored */

	if (wasstopped && (sig == SIGKILL || (prop & SP_CONT))) {
		proc_continue(p);
		if (prop & SP_CONT)
			sig_notify_parent(p, CLD_CONTINUED, SIGCONT);
	}
	if (posted && td != NULL && !sig_blocked(td, sig))
		sleepq_abort(td, sig_intrval(p, sig));
}

void
psignal_info(struct proc *p, const k_siginfo_t *info)
{
	sig_post(p, NULL, false, info);
}

/*
 * SIGCHLD (or the child's exit signal) to parent for a child that exited,
 * with the siginfo wait(2) would give: CLD_EXITED and the exit code, or
 * CLD_KILLED / CLD_DUMPED and the signal.  For the exit code (exit1).
 */
void
psignal_child(struct proc *parent, struct proc *child, int sig)
{
	k_siginfo_t info;
	int xstat = child->p_xstat;

	memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	info.si_pid = child->p_pid;
	info.si_uid = child->p_ucred.cr_uid;
	if ((xstat & 0x7f) == 0) {
		info.si_code = CLD_EXITED;
		info.si_status = (xstat >> 8) & 0xff;
	} else {
		info.si_code = (xstat & WCOREFLAG) ? CLD_DUMPED : CLD_KILLED;
		info.si_status = xstat & 0x7f;
	}
	info.si_utime = (int64_t)child->p_uticks;
	info.si_stime = (int64_t)child->p_sticks;
	psignal_info(parent, &info);
}

void
psignal(struct proc *p, int sig)
{
	k_siginfo_t info;

	memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	info.si_code = SI_KERNEL;
	sig_post(p, NULL, false, &info);
}

void
tdsignal(struct thread *td, int sig)
{
	k_siginfo_t info;

	memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	info.si_code = SI_KERNEL;
	sig_post(td->td_proc, td, true, &info);
}

/*
 * A signal caused by the thread itself (a fault).  As in Linux
 * force_sig_info: if the signal is blocked or ignored, the action is reset
 * to the default and the signal unblocked, so the process dies rather
 * than loop on the faulting instruction.
 */
void
trapsignal(struct thread *td, int sig, int code, uint64_t addr)
{
	struct proc *p = td->td_proc;
	k_siginfo_t info;

	if (p == NULL || p->p_sigacts == NULL)
		panic("trapsignal: signal %d to a thread without signals",
		    sig);
	spin_lock(&p->p_lock);
	if (sig_blocked(td, sig) ||
	    p->p_sigacts->ps_act[sig].sa_handler == SIG_IGN) {
		p->p_sigacts->ps_act[sig].sa_handler = SIG_DFL;
		td->td_sigmask &= ~sigmask(sig);
	}
	spin_unlock(&p->p_lock);
	memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	info.si_code = code;
	info.si_addr = addr;
	sig_post(p, td, true, &info);
}

/* Keep pids[0..n) sorted: the n lowest-pid processes above after so far. */
static int
sig_target_insert(struct proc **list, int n, int max, struct proc *p,
    pid_t after)
{
	int i;

	if (p->p_pid <= after || (n == max && p->p_pid >= list[n - 1]->p_pid))
		return (n);
	if (n < max)
		n++;
	for (i = n - 1; i > 0 && list[i - 1]->p_pid > p->p_pid; i--)
		list[i] = list[i - 1];
	list[i] = p;
	return (n);
}

/*
 * One batch of the targets of a signal to many processes: up to max of
 * them, lowest pid first, all with a pid above after -- the members of
 * process group pgid (pgid > 0), or every process but init and self
 * (pgid == -1, for kill(-1)).  Returns how many.  The caller holds
 * proc_lock, posts the batch after dropping it (psignal may continue a
 * stopped process) and asks again after the batch's last pid until a
 * batch comes back short, so a group of any size is covered; a process
 * that exits in between is simply not found again.
 */
int
sig_targets(struct proc *self, pid_t pgid, pid_t after, struct proc **list,
    int max)
{
	struct pgrp *pg;
	struct proc *p;
	int n = 0;

	KASSERT(spin_owned(&proc_lock), "sig_targets without proc_lock");
	if (pgid == -1) {
		LIST_FOREACH(p, &allproc, p_list)
			if (p->p_pid > 1 && p != self)
				n = sig_target_insert(list, n, max, p, after);
	} else if ((pg = pgfind(pgid)) != NULL) {
		LIST_FOREACH(p, &pg->pg_members, p_pglist)
			n = sig_target_insert(list, n, max, p, after);
	}
	return (n);
}

/*
 * Send sig to every member of pg, in batches (sig_targets).  A batch is
 * collected under proc_lock and signalled after it is dropped; the kernel
 * does not preempt, so its members stay valid until then.
 */
void
pgsignal(struct pgrp *pg, int sig)
{
	struct proc *list[SIG_BATCH];
	pid_t pgid, after = 0;
	int n;

	if (pg == NULL)
		return;
	spin_lock(&proc_lock);
	pgid = pg->pg_id;
	spin_unlock(&proc_lock);
	do {
		spin_lock(&proc_lock);
		n = sig_targets(NULL, pgid, after, list, (int)nitems(list));
		spin_unlock(&proc_lock);
		if (n > 0)
			after = list[n - 1]->p_pid;
		for (int i = 0; i < n; i++)
			psignal(list[i], sig);
	} while (n == (int)nitems(list));
}

static k_sigset_t
sig_pending_set(struct thread *td)
{
	return ((td->td_proc->p_sigpend | td->td_sigpend) & ~td->td_sigmask);
}

bool
sig_pending_unblocked(struct thread *td)
{
	if (td == NULL || td->td_proc == NULL ||
	    td->td_proc->p_sigacts == NULL)
		return (false);
	return (sig_pending_set(td) != 0);
}

/* What an interrupted PCATCH sleep returns: 0 if no signal is pending. */
int
sig_sleep_intr(struct thread *td)
{
	int sig;

	if (!sig_pending_unblocked(td))
		return (0);
	sig = sig_ffs(sig_pending_set(td));
	return (sig_intrval(td->td_proc, sig));
}

/*
 * Take the next signal that needs the process's attention and carry out
 * default actions on the way: ignored ones are dropped, stops stop here
 * until continued, terminating ones call exit1 and never return.  Returns
 * a signal with a handler (its siginfo in *info), or 0.
 */
static int
issignal(struct thread *td, k_siginfo_t *info)
{
	struct proc *p = td->td_proc;
	struct sigacts *ps = p->p_sigacts;
	uint64_t handler;
	int sig, prop;

	for (;;) {
		spin_lock(&p->p_lock);
		sig = sig_ffs(sig_pending_set(td));
		if (sig == 0) {
			spin_unlock(&p->p_lock);
			return (0);
		}
		p->p_sigpend &= ~sigmask(sig);
		td->td_sigpend &= ~sigmask(sig);
		*info = ps->ps_info[sig];
		handler = ps->ps_act[sig].sa_handler;
		spin_unlock(&p->p_lock);
		prop = sigprop(sig);
		if (handler == SIG_IGN)
			continue;
		if (handler != SIG_DFL)
			return (sig);
		if (prop & SP_STOP) {
			sig_notify_parent(p, CLD_STOPPED, sig);
			proc_stop(p, sig);
			continue;
		}
		if (prop & SP_IGNORE)
			continue;
		exit1(td, sig | ((prop & SP_CORE) ? WCOREFLAG : 0));
	}
}

/*
 * The last thing before a return to user mode (userret): act on pending
 * signals and run at most one handler.  An interrupted system call was
 * settled already: the sleep that a signal broke returned
 * sig_sleep_intr's -EINTR (a handler without SA_RESTART) or -ERESTART,
 * which the system call dispatcher turns into a restart.
 */
void
ast_signals(struct trapframe *tf)
{
	struct thread *td = curthread;
	struct proc *p;
	k_siginfo_t info;
	int sig;

	if (td == NULL || (p = td->td_proc) == NULL || p->p_sigacts == NULL ||
	    !TRAPF_USERMODE(tf))
		return;
	sig = issignal(td, &info);
	if (sig != 0) {
		postsig(td, tf, sig, &info);
		return;
	}
	spin_lock(&p->p_lock);
	if (p->p_sigacts->ps_flags & PS_OLDMASK) {
		p->p_sigacts->ps_flags &= ~PS_OLDMASK;
		td->td_sigmask = p->p_sigacts->ps_oldmask;
	}
	spin_unlock(&p->p_lock);
}

void
sigdeliver(struct trapframe *tf)
{
	ast_signals(tf);
}

/*
 * Run the handler for sig: block the handler's mask, reset the action for SA_RESETHAND and build the frame.  A frame
 * that cannot be written kills the process with SIGSEGV.
 */
void
postsig(struct thread *td, struct trapframe *tf, int sig,
    const k_siginfo_t *info)
{
	struct proc *p = td->td_proc;
	struct sigacts *ps = p->p_sigacts;
	struct k_sigaction act;
	k_sigset_t oldmask;

	spin_lock(&p->p_lock);
	act = ps->ps_act[sig];
	if (ps->ps_flags & PS_OLDMASK) {
		ps->ps_flags &= ~PS_OLDMASK;
		oldmask = ps->ps_oldmask;
	} else
		oldmask = td->td_sigmask;
	if (act.sa_flags & SA_RESETHAND) {
		ps->ps_act[sig].sa_handler = SIG_DFL;
		ps->ps_act[sig].sa_flags &= ~SA_SIGINFO;
	}
	spin_unlock(&p->p_lock);

	if (sendsig(td, tf, sig, &act, info, oldmask) != 0) {
		printk(KERN_INFO "pid %d (%s): cannot deliver signal %d, "
		    "killed by SIGSEGV\n", p->p_pid, p->p_comm, sig);
		exit1(td, SIGSEGV | WCOREFLAG);
	}
	spin_lock(&p->p_lock);
	td->td_sigmask |= act.sa_mask;
	if (!(act.sa_flags & SA_NODEFER))
		td->td_sigmask |= sigmask(sig);
	td->td_sigmask &= ~CANTMASK;
	spin_unlock(&p->p_lock);
}
