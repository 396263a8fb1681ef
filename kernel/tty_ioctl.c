/*
 * tty_ioctl.c: the terminal ioctls (Linux tty_ioctl(4) and termios(3)).
 *
 * Settings (TCGETS/TCSETS*), window size (TIOC[GS]WINSZ, SIGWINCH on a
 * change), job control (TIOC[GS]PGRP, TIOCSCTTY, TIOCNOTTY, TIOCGSID),
 * queue sizes and flushing.  `data` is the user pointer, or for the
 * integer-argument requests (TCFLSH, TCXONC, TCSBRK, TIOCSCTTY) the
 * integer itself.  Unknown requests are ENOTTY.
 */
#include <kernel.h>
#include <libkern.h>
#include <proc.h>
#include <signal.h>
#include <trap.h>
#include <tty.h>
#include <uapi/errno.h>

/* Changing settings from the background: SIGTTOU regardless of TOSTOP. */
static int
tty_set_check(struct tty *tp)
{
	return (tty_check_bg(tp, SIGTTOU));
}

static int
tty_setattr(struct tty *tp, unsigned long cmd, void *data)
{
	struct termios t;
	int error;

	if ((error = tty_set_check(tp)) != 0)
		return (error);
	if (copyin(data, &t, sizeof(t)) != 0)
		return (-EFAULT);
	/* TCSETSW/TCSETSF wait for output to drain: it never queues. */
	spin_lock(&tp->t_lock);
	if (cmd == TCSETSF)
		ttydisc_flush(tp, TCIFLUSH);
	ttydisc_setattr(tp, &t);
	tty_unlock(tp);
	return (0);
}

static int
tty_setwinsz(struct tty *tp, void *data)
{
	struct winsize ws;
	bool changed;

	if (copyin(data, &ws, sizeof(ws)) != 0)
		return (-EFAULT);
	spin_lock(&tp->t_lock);
	changed = memcmp(&ws, &tp->t_winsize, sizeof(ws)) != 0;
	tp->t_winsize = ws;
	spin_unlock(&tp->t_lock);
	if (changed)
		tty_signal_pgrp(tp, sigmask(SIGWINCH));
	return (0);
}

/*
 * TIOCSPGRP: EPERM when the group is in another session, ESRCH when it
 * does not exist, EINVAL for a negative id, ENOTTY when tp is not the
 * caller's controlling terminal.
 */
static int
tty_setpgrp(struct tty *tp, void *data)
{
	struct pgrp *pg;
	pid_t pgid;
	int error;

	if (!tty_is_ctty(tp))
		return (-ENOTTY);
	if ((error = tty_set_check(tp)) != 0)
		return (error);
	if (copyin(data, &pgid, sizeof(pgid)) != 0)
		return (-EFAULT);
	if (pgid < 0)
		return (-EINVAL);
	spin_lock(&proc_lock);
	pg = pgfind(pgid);
	if (pg == NULL)
		error = -ESRCH;
	else if (pg->pg_session != curproc->p_pgrp->pg_session)
		error = -EPERM;
	else
		tp->t_pgid = pgid;
	spin_unlock(&proc_lock);
	return (error);
}

/*
 * TIOCSCTTY: make tp the controlling terminal of the caller's session.
 * EPERM: not a session leader, or the session already has one, or tp
 * controls another live session (unless arg is 1 and the caller is root,
 * which steals it).
 */
static int
tty_sctty(struct tty *tp, long arg)
{
	struct proc *p = curproc;
	struct session *s;
	int error = 0;

	if (p->p_pgrp == NULL)
		return (-EPERM);
	s = p->p_pgrp->pg_session;
	spin_lock(&proc_lock);
	if (s->s_sid == p->p_pid && s->s_ttyp == tp)
		error = 0;		/* already ours */
	else if (s->s_sid != p->p_pid || s->s_ttyp != NULL)
		error = -EPERM;
	else if (tty_session_alive(tp) &&
	    (arg != 1 || p->p_ucred.cr_euid != 0))
		error = -EPERM;
	else {
		if (tty_session_alive(tp))
			tp->t_session->s_ttyp = NULL;
		tty_setctty(tp, s);
	}
	spin_unlock(&proc_lock);
	return (error);
}

/* TIOCNOTTY: a session leader gives up its terminal (SIGHUP, SIGCONT). */
static int
tty_notty(struct tty *tp)
{
	struct session *s;
	pid_t fg;

	if (!tty_is_ctty(tp))
		return (-ENOTTY);
	s = curproc->p_pgrp->pg_session;
	if (s->s_sid != curproc->p_pid)
		return (0);	/* only the leader's giving up detaches */
	fg = tp->t_pgid;
	if (fg != 0)
		tty_signal_pgrp(tp, sigmask(SIGHUP) | sigmask(SIGCONT));
	spin_lock(&proc_lock);
	tty_session_gone(s);
	spin_unlock(&proc_lock);
	return (0);
}

static int
tty_copyout_int(int v, void *data)
{
	return (copyout(&v, data, sizeof(v)) != 0 ? -EFAULT : 0);
}

int
tty_ioctl(struct tty *tp, unsigned long cmd, void *data, int fflag)
{
	struct termios t;
	struct winsize ws;
	long arg = (long)data;
	int n;

	switch (cmd) {
	case TCGETS:
		spin_lock(&tp->t_lock);
		t = tp->t_termios;
		spin_unlock(&tp->t_lock);
		return (copyout(&t, data, sizeof(t)) != 0 ? -EFAULT : 0);
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		return (tty_setattr(tp, cmd, data));
	case TIOCGWINSZ:
		spin_lock(&tp->t_lock);
		ws = tp->t_winsize;
		spin_unlock(&tp->t_lock);
		return (copyout(&ws, data, sizeof(ws)) != 0 ? -EFAULT : 0);
	case TIOCSWINSZ:
		return (tty_setwinsz(tp, data));
	case TIOCGPGRP:
		if (!tty_is_ctty(tp))
			return (-ENOTTY);
		return (tty_copyout_int(tp->t_pgid, data));
	case TIOCSPGRP:
		return (tty_setpgrp(tp, data));
	case TIOCGSID:
		if (!tty_is_ctty(tp) || tp->t_session == NULL)
			return (-ENOTTY);
		return (tty_copyout_int(tp->t_sid, data));
	case TIOCSCTTY:
		return (tty_sctty(tp, arg));
	case TIOCNOTTY:
		return (tty_notty(tp));
	case FIONREAD:
		spin_lock(&tp->t_lock);
		n = ttydisc_readable(tp);
		spin_unlock(&tp->t_lock);
		return (tty_copyout_int(n, data));
	case TIOCOUTQ:
		return (tty_copyout_int(0, data));	/* written through */
	case TCFLSH:
		if (arg != TCIFLUSH && arg != TCOFLUSH && arg != TCIOFLUSH)
			return (-EINVAL);
		spin_lock(&tp->t_lock);
		ttydisc_flush(tp, (int)arg);
		tty_unlock(tp);		/* a pty master may write again */
		return (0);
	case TCXONC:
		if (arg < TCOOFF || arg > TCION)
			return (-EINVAL);
		return (0);		/* accepted: output never stops */
	case TCSBRK:
		return (0);		/* tcdrain: nothing is queued */
	default:
		return (-ENOTTY);
	}
}
