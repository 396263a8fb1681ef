/*
 * sys_sig.c: the signal system calls and the ITIMER_REAL timer.
 *
 * Each handler copies its arguments in, calls a kern_* form that works on
 * kernel structures (so the ktests can drive it without user space), and
 * copies results out; errors follow the Linux man pages in the order
 * Linux checks them.  ITIMER_REAL (and alarm) keeps a due tick in the
 * process's sigacts; the armed ones sit on a list that itimer_tick walks
 * on every clock tick.
 */
#include <clock.h>
#include <kernel.h>
#include <libkern.h>
#include <proc.h>
#include <signal.h>
#include <spinlock.h>
#include <trap.h>
#include <uapi/errno.h>

#define USEC_PER_TICK	(1000000 / HZ)

static struct spinlock itimer_lock = SPINLOCK_INIT("itimer");
static LIST_HEAD(, sigacts) itimer_armed =	/* itimer_lock */
    LIST_HEAD_INITIALIZER(itimer_armed);

int
kern_sigaction(struct proc *p, int sig, const struct k_sigaction *act,
    struct k_sigaction *oact)
{
	struct sigacts *ps = p->p_sigacts;
	struct thread *td = p->p_thread;
	bool discard;

	if (sig <= 0 || sig > _NSIG || ps == NULL)
		return (-EINVAL);
	if (act != NULL && (sig == SIGKILL || sig == SIGSTOP))
		return (-EINVAL);
	spin_lock(&p->p_lock);
	if (oact != NULL)
		*oact = ps->ps_act[sig];
	if (act != NULL) {
		ps->ps_act[sig] = *act;
		ps->ps_act[sig].sa_mask &= ~CANTMASK;
		/* POSIX: setting an ignoring action drops a pending one. */
		discard = act->sa_handler == SIG_IGN ||
		    (act->sa_handler == SIG_DFL &&
		    (sigprop(sig) & SP_IGNORE));
		if (discard) {
			p->p_sigpend &= ~sigmask(sig);
			if (td != NULL)
				td->td_sigpend &= ~sigmask(sig);
		}
		if (sig == SIGCHLD) {
			if (act->sa_flags & SA_NOCLDSTOP)
				ps->ps_flags |= PS_NOCLDSTOP;
			else
				ps->ps_flags &= ~PS_NOCLDSTOP;
		}
	}
	spin_unlock(&p->p_lock);
	return (0);
}

/*
 * rt_sigaction(2).  EINVAL: sigsetsize is not 8, sig is out of 1..64, or
 * an action is given for SIGKILL or SIGSTOP.  EFAULT: act or oact points
 * outside the caller's memory.  SA_ONSTACK is accepted and has no effect
 * (there is no alternate stack).
 */
long
sys_rt_sigaction(int sig, const struct k_sigaction *act,
    struct k_sigaction *oact, size_t sigsetsize)
{
	struct k_sigaction kact, koact;
	int error;

	if (sigsetsize != sizeof(k_sigset_t))
		return (-EINVAL);
	if (act != NULL && copyin(act, &kact, sizeof(kact)) != 0)
		return (-EFAULT);
	error = kern_sigaction(curproc, sig, act != NULL ? &kact : NULL,
	    oact != NULL ? &koact : NULL);
	if (error != 0)
		return (error);
	if (oact != NULL && copyout(&koact, oact, sizeof(koact)) != 0)
		return (-EFAULT);
	return (0);
}

int
kern_sigprocmask(struct thread *td, int how, const k_sigset_t *set,
    k_sigset_t *oset)
{
	struct proc *p = td->td_proc;
	int error = 0;

	spin_lock(&p->p_lock);
	if (oset != NULL)
		*oset = td->td_sigmask;
	if (set != NULL) {
		switch (how) {
		case SIG_BLOCK:
			td->td_sigmask |= *set;
			break;
		case SIG_UNBLOCK:
			td->td_sigmask &= ~*set;
			break;
		case SIG_SETMASK:
			td->td_sigmask = *set;
			break;
		default:
			error = -EINVAL;
		}
		td->td_sigmask &= ~CANTMASK;
	}
	spin_unlock(&p->p_lock);
	return (error);
}

/*
 * rt_sigprocmask(2).  EINVAL: sigsetsize is not 8, or set is given and
 * how is not SIG_BLOCK, SIG_UNBLOCK or SIG_SETMASK.  EFAULT: bad set or
 * oset.  SIGKILL and SIGSTOP are silently never blocked.
 */
long
sys_rt_sigprocmask(int how, const k_sigset_t *set, k_sigset_t *oset,
    size_t sigsetsize)
{
	k_sigset_t kset, koset;
	int error;

	if (sigsetsize != sizeof(k_sigset_t))
		return (-EINVAL);
	if (set != NULL && copyin(set, &kset, sizeof(kset)) != 0)
		return (-EFAULT);
	error = kern_sigprocmask(curthread, how, set != NULL ? &kset : NULL,
	    &koset);
	if (error != 0)
		return (error);
	if (oset != NULL && copyout(&koset, oset, sizeof(koset)) != 0)
		return (-EFAULT);
	return (0);
}

/*
 * rt_sigpending(2): the blocked signals that are pending.  EINVAL:
 * sigsetsize larger than 8; EFAULT: bad set.
 */
long
sys_rt_sigpending(k_sigset_t *set, size_t sigsetsize)
{
	struct thread *td = curthread;
	k_sigset_t pend;

	if (sigsetsize > sizeof(k_sigset_t))
		return (-EINVAL);
	spin_lock(&td->td_proc->p_lock);
	pend = (td->td_proc->p_sigpend | td->td_sigpend) & td->td_sigmask;
	spin_unlock(&td->td_proc->p_lock);
	if (copyout(&pend, set, sigsetsize) != 0)
		return (-EFAULT);
	return (0);
}

/* Sleep until a signal that is not blocked is pending. */
static void
sig_wait_unblocked(struct thread *td, const char *wmesg)
{
	while (!sig_pending_unblocked(td)) {
		if (tsleep(td->td_proc->p_sigacts, PCATCH, wmesg, 0) != 0)
			break;
	}
}

/*
 * rt_sigsuspend(2): wait for a signal with mask in place; the old mask
 * comes back when the handler returns (it is saved in the frame).  Always
 * -EINTR.  EINVAL: sigsetsize is not 8; EFAULT: bad mask.
 */
long
sys_rt_sigsuspend(const k_sigset_t *mask, size_t sigsetsize)
{
	struct thread *td = curthread;
	struct proc *p = td->td_proc;
	k_sigset_t kmask;

	if (sigsetsize != sizeof(k_sigset_t))
		return (-EINVAL);
	if (copyin(mask, &kmask, sizeof(kmask)) != 0)
		return (-EFAULT);
	spin_lock(&p->p_lock);
	p->p_sigacts->ps_oldmask = td->td_sigmask;
	p->p_sigacts->ps_flags |= PS_OLDMASK;
	td->td_sigmask = kmask & ~CANTMASK;
	spin_unlock(&p->p_lock);
	sig_wait_unblocked(td, "sigsusp");
	return (-EINTR);
}

/* pause(2): wait for any signal; -EINTR once a handler has run. */
long
sys_pause(void)
{
	sig_wait_unblocked(curthread, "pause");
	return (-EINTR);
}

/*
 * rt_sigtimedwait(2): take a pending signal of set (unblocking set while
 * waiting).  Returns the signal number.  EAGAIN: the timeout passed;
 * EINTR: another signal arrived; EINVAL: sigsetsize is not 8 or a bad
 * timeout; EFAULT: bad pointers.
 */
long
sys_rt_sigtimedwait(const k_sigset_t *uset, k_siginfo_t *uinfo,
    const struct k_timespec *utimeout, size_t sigsetsize)
{
	struct thread *td = curthread;
	struct proc *p = td->td_proc;
	struct sigacts *ps = p->p_sigacts;
	struct k_timespec ts;
	uint64_t deadline = 0, now, saved;
	k_siginfo_t info;
	k_sigset_t set, pend;
	int sig, error;

	if (sigsetsize != sizeof(k_sigset_t))
		return (-EINVAL);
	if (copyin(uset, &set, sizeof(set)) != 0)
		return (-EFAULT);
	set &= ~CANTMASK;
	if (utimeout != NULL) {
		if (copyin(utimeout, &ts, sizeof(ts)) != 0)
			return (-EFAULT);
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 ||
		    ts.tv_nsec >= (int64_t)NSEC_PER_SEC)
			return (-EINVAL);
		deadline = nanouptime() + (uint64_t)ts.tv_sec * NSEC_PER_SEC +
		    (uint64_t)ts.tv_nsec;
	}
	for (;;) {
		spin_lock(&p->p_lock);
		pend = (p->p_sigpend | td->td_sigpend) & set;
		if (pend != 0) {
			sig = __builtin_ctzll(pend) + 1;
			p->p_sigpend &= ~sigmask(sig);
			td->td_sigpend &= ~sigmask(sig);
			info = ps->ps_info[sig];
			info.si_signo = sig;
			spin_unlock(&p->p_lock);
			if (uinfo != NULL &&
			    copyout(&info, uinfo, sizeof(info)) != 0)
				return (-EFAULT);
			return (sig);
		}
		now = nanouptime();
		if (utimeout != NULL && now >= deadline) {
			spin_unlock(&p->p_lock);
			return (-EAGAIN);
		}
		saved = td->td_sigmask;
		td->td_sigmask &= ~set;
		spin_unlock(&p->p_lock);
		error = tsleep(ps, PCATCH, "sigwait",
		    utimeout != NULL ? deadline - now : 0);
		spin_lock(&p->p_lock);
		td->td_sigmask = saved;
		pend = (p->p_sigpend | td->td_sigpend) & set;
		spin_unlock(&p->p_lock);
		if (error != 0 && error != -EWOULDBLOCK && pend == 0)
			return (-EINTR);
	}
}

/* May self send sig to p?  Linux kill_ok_by_cred, and SIGCONT in-session. */
static bool
sig_cansignal(struct proc *self, struct proc *p, int sig)
{
	const struct ucred *s = &self->p_ucred, *t = &p->p_ucred;

	if (s->cr_euid == 0 || self == p)
		return (true);
	if (sig == SIGCONT && self->p_pgrp != NULL && p->p_pgrp != NULL &&
	    self->p_pgrp->pg_session == p->p_pgrp->pg_session)
		return (true);
	return (s->cr_euid == t->cr_uid || s->cr_euid == t->cr_suid ||
	    s->cr_uid == t->cr_uid || s->cr_uid == t->cr_suid);
}

static void
sig_user_info(k_siginfo_t *info, struct proc *self, int sig, int code)
{
	memset(info, 0, sizeof(*info));
	info->si_signo = sig;
	info->si_code = code;
	info->si_pid = self->p_pid;
	info->si_uid = self->p_ucred.cr_uid;
}

/*
 * kill(2) for the process self.  pid > 0: that process; 0: self's group;
 * -1: every process but init and self; < -1: group -pid.  sig 0 only
 * checks.  EINVAL: bad sig; ESRCH: no such process or group; EPERM: none
 * of the targets may be signalled by self.
 */
int
kern_kill(struct proc *self, pid_t pid, int sig)
{
	struct proc *list[SIG_BATCH], *p;
	k_siginfo_t info;
	pid_t pgid, after = 0;
	int n, found = 0, ok = 0, nok;
	bool can;

	if (sig < 0 || sig > _NSIG)
		return (-EINVAL);
	sig_user_info(&info, self, sig, SI_USER);
	if (pid == INT32_MIN)
		return (-ESRCH);
	if (pid > 0) {
		spin_lock(&proc_lock);
		p = pfind(pid);
		can = p != NULL && sig_cansignal(self, p, sig);
		spin_unlock(&proc_lock);
		if (p == NULL)
			return (-ESRCH);
		if (!can)
			return (-EPERM);
		if (sig != 0)
			psignal_info(p, &info);
		return (0);
	}
	/* Kernel threads count for kill(-1), as in Linux: they ignore. */
	spin_lock(&proc_lock);
	pgid = pid == -1 ? -1 : pid < 0 ? -pid :
	    self->p_pgrp != NULL ? self->p_pgrp->pg_id : 0;
	spin_unlock(&proc_lock);
	if (pgid == 0)
		return (-ESRCH);
	do {
		spin_lock(&proc_lock);
		n = sig_targets(self, pgid, after, list, (int)nitems(list));
		if (n > 0)
			after = list[n - 1]->p_pid;
		/* Keep the permitted ones. */
		nok = 0;
		for (int i = 0; i < n; i++)
			if (sig_cansignal(self, list[i], sig))
				list[nok++] = list[i];
		spin_unlock(&proc_lock);
		found += n;
		ok += nok;
		if (sig != 0)
			for (int i = 0; i < nok; i++)
				psignal_info(list[i], &info);
	} while (n == (int)nitems(list));
	if (found == 0)
		return (-ESRCH);
	if (ok == 0)
		return (-EPERM);
	return (0);
}

/* kill(2): as kern_kill for the calling process. */
long
sys_kill(pid_t pid, int sig)
{
	return (kern_kill(curproc, pid, sig));
}

/*
 * tgkill(2), tkill(2): one thread (a thread id is its process id today).
 * EINVAL: bad sig or id <= 0; ESRCH: no such thread (or not in tgid);
 * EPERM: not permitted.
 */
long
sys_tgkill(pid_t tgid, pid_t tid, int sig)
{
	struct proc *self = curproc, *p;
	k_siginfo_t info;
	bool ok;

	if (sig < 0 || sig > _NSIG || tid <= 0 || (tgid <= 0 && tgid != -1))
		return (-EINVAL);
	spin_lock(&proc_lock);
	p = pfind(tid);
	if (p == NULL || (tgid != -1 && p->p_pid != tgid)) {
		spin_unlock(&proc_lock);
		return (-ESRCH);
	}
	ok = sig_cansignal(self, p, sig);
	spin_unlock(&proc_lock);
	if (!ok)
		return (-EPERM);
	if (sig != 0) {
		sig_user_info(&info, self, sig, SI_TKILL);
		psignal_info(p, &info);
	}
	return (0);
}

long
sys_tkill(pid_t tid, int sig)
{
	return (sys_tgkill(-1, tid, sig));
}

/* ITIMER_REAL ------------------------------------------------------- */

static uint64_t
tv_to_ticks(const struct k_timeval *tv)
{
	uint64_t sec = (uint64_t)tv->tv_sec, us;

	if (sec > 100000000)		/* about three years: plenty */
		sec = 100000000;
	us = sec * 1000000 + (uint64_t)tv->tv_usec;
	return (howmany(us, USEC_PER_TICK));
}

static void
ticks_to_tv(uint64_t t, struct k_timeval *tv)
{
	tv->tv_sec = (int64_t)(t / HZ);
	tv->tv_usec = (int64_t)((t % HZ) * USEC_PER_TICK);
}

/* itimer_lock held */
static void
itimer_get(struct sigacts *ps, struct k_itimerval *out)
{
	memset(out, 0, sizeof(*out));
	if (ps->ps_itvalue != 0)
		ticks_to_tv(ps->ps_itvalue > ticks ? ps->ps_itvalue - ticks :
		    1, &out->it_value);
	ticks_to_tv(ps->ps_itinterval, &out->it_interval);
}

void
itimer_disarm(struct sigacts *ps)
{
	spin_lock(&itimer_lock);
	if (ps->ps_itvalue != 0)
		LIST_REMOVE(ps, ps_itlink);
	ps->ps_itvalue = 0;
	ps->ps_itinterval = 0;
	spin_unlock(&itimer_lock);
}

/*
 * Set (in != NULL) and/or read (out != NULL) an interval timer.  Only
 * ITIMER_REAL exists: ITIMER_VIRTUAL and ITIMER_PROF give EINVAL, as does
 * a tv_usec outside 0..999999 or a negative time.
 */
int
kern_setitimer(struct proc *p, int which, const struct k_itimerval *in,
    struct k_itimerval *out)
{
	struct sigacts *ps = p->p_sigacts;

	if (which != ITIMER_REAL || ps == NULL)
		return (-EINVAL);
	if (in != NULL &&
	    (in->it_value.tv_sec < 0 || in->it_value.tv_usec < 0 ||
	    in->it_value.tv_usec >= 1000000 || in->it_interval.tv_sec < 0 ||
	    in->it_interval.tv_usec < 0 ||
	    in->it_interval.tv_usec >= 1000000))
		return (-EINVAL);
	spin_lock(&itimer_lock);
	if (out != NULL)
		itimer_get(ps, out);
	if (in != NULL) {
		if (ps->ps_itvalue != 0)
			LIST_REMOVE(ps, ps_itlink);
		ps->ps_itvalue = 0;
		ps->ps_itinterval = tv_to_ticks(&in->it_interval);
		if (in->it_value.tv_sec != 0 || in->it_value.tv_usec != 0) {
			ps->ps_itvalue = ticks + tv_to_ticks(&in->it_value);
			LIST_INSERT_HEAD(&itimer_armed, ps, ps_itlink);
		}
	}
	spin_unlock(&itimer_lock);
	return (0);
}

/* On every tick: send SIGALRM for each ITIMER_REAL that is due. */
void
itimer_tick(void)
{
	struct sigacts *ps, *next;
	struct proc *due[16];
	int n = 0;

	spin_lock(&itimer_lock);
	for (ps = LIST_FIRST(&itimer_armed); ps != NULL; ps = next) {
		next = LIST_NEXT(ps, ps_itlink);
		if (ps->ps_itvalue > ticks || n == (int)nitems(due))
			continue;
		due[n++] = ps->ps_proc;
		LIST_REMOVE(ps, ps_itlink);
		ps->ps_itvalue = 0;
		if (ps->ps_itinterval != 0) {
			ps->ps_itvalue = ticks + ps->ps_itinterval;
			LIST_INSERT_HEAD(&itimer_armed, ps, ps_itlink);
		}
	}
	spin_unlock(&itimer_lock);
	for (int i = 0; i < n; i++)
		psignal(due[i], SIGALRM);
}

/*
 * setitimer(2), getitimer(2).  EINVAL: which is not ITIMER_REAL or a
 * bad time; EFAULT: bad pointers.  A NULL value disarms (as Linux).
 */
long
sys_setitimer(int which, const struct k_itimerval *value,
    struct k_itimerval *ovalue)
{
	struct k_itimerval in, out;
	int error;

	memset(&in, 0, sizeof(in));
	if (value != NULL && copyin(value, &in, sizeof(in)) != 0)
		return (-EFAULT);
	error = kern_setitimer(curproc, which, &in, &out);
	if (error != 0)
		return (error);
	if (ovalue != NULL && copyout(&out, ovalue, sizeof(out)) != 0)
		return (-EFAULT);
	return (0);
}

long
sys_getitimer(int which, struct k_itimerval *value)
{
	struct k_itimerval out;
	int error;

	error = kern_setitimer(curproc, which, NULL, &out);
	if (error != 0)
		return (error);
	if (copyout(&out, value, sizeof(out)) != 0)
		return (-EFAULT);
	return (0);
}

/* alarm(2): seconds left on the old alarm (rounded as Linux); no errors. */
long
sys_alarm(unsigned int seconds)
{
	struct k_itimerval in, out;
	long left;

	memset(&in, 0, sizeof(in));
	in.it_value.tv_sec = seconds;
	if (kern_setitimer(curproc, ITIMER_REAL, &in, &out) != 0)
		return (0);
	left = out.it_value.tv_sec;
	if ((left == 0 && out.it_value.tv_usec != 0) ||
	    out.it_value.tv_usec >= 500000)
		left++;
	return (left);
}
