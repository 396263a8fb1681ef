/*
 * tty_pty_event.c: readiness of a pty's two sides -- poll, kqueue -- and
 * fstat (kernel/tty_pty.c is the driver).
 *
 * The master is readable when pt_out holds bytes and writable while the
 * slave's input has room (pty_inroom); the slave as a tty (a line ready)
 * and writable while pt_out has room for a byte after ONLCR.  A gone
 * peer is POLLHUP / EV_EOF; a hung-up slave is always ready, as Linux's
 * hung_up_tty_poll.  Wakeups come from tty_unlock (slave side, t_sel)
 * and pty_done / ptm_read (pt_msel, pt_ssel).
 */
#include <cdev.h>
#include <event.h>
#include <file.h>
#include <kernel.h>
#include <libkern.h>
#include <pty.h>
#include <tty.h>
#include <uapi/errno.h>
#include <uapi/event.h>
#include <vnode.h>

int
ptm_poll(struct file *fp, int events)
{
	struct pty *pt = fp->f_data;
	struct tty *tp = &pt->pt_tty;
	int revents = 0;

	spin_lock(&tp->t_lock);
	if (pt->pt_outlen > 0)
		revents |= events & (POLLIN | POLLRDNORM);
	if (pt->pt_slavegone)
		revents |= POLLHUP;
	if (pty_inroom(tp))
		revents |= events & (POLLOUT | POLLWRNORM);
	spin_unlock(&tp->t_lock);
	return (revents);
}

int
pts_poll(struct file *fp, int events)
{
	struct pty *pt = fp->f_data;
	struct tty *tp = &pt->pt_tty;
	int revents = 0;

	spin_lock(&tp->t_lock);
	if (tp->t_hup)		/* as Linux's hung_up_tty_poll */
		revents = POLLERR | POLLHUP | (events & (POLLIN | POLLRDNORM |
		    POLLOUT | POLLWRNORM));
	else {
		if (ttydisc_canread(tp))
			revents |= events & (POLLIN | POLLRDNORM);
		if (pty_outroom(pt) >= 2)
			revents |= events & (POLLOUT | POLLWRNORM);
	}
	spin_unlock(&tp->t_lock);
	return (revents);
}

/* Both sides: the node's attributes, or for a TIOCGPTPEER file made up. */
int
pty_stat(struct file *fp, struct stat *sb)
{
	struct pty *pt = fp->f_data;

	if (fp->f_vnode != NULL) {
		vn_stat(fp->f_vnode, sb);
		return (0);
	}
	memset(sb, 0, sizeof(*sb));
	sb->st_mode = S_IFCHR | 0620;
	sb->st_rdev = makedev(PTS_MAJOR, pt->pt_unit);
	return (0);
}

/* kqueue ------------------------------------------------------------- */

/*
 * EVFILT_READ: data = bytes to read (master) or readable input (slave),
 * EV_EOF when the other side is gone.  EVFILT_WRITE: data = room.  The
 * filters run under kqueue_mtx without t_lock (one CPU, as tty.c).
 */
static void
filt_ptmdetach(struct knote *kn)
{
	struct pty *pt = kn->kn_ptr.p_obj;

	knlist_remove(&pt->pt_msel.si_note, kn);
}

static void
filt_ptsdetach(struct knote *kn)
{
	struct pty *pt = kn->kn_ptr.p_obj;

	knlist_remove(&pt->pt_ssel.si_note, kn);
}

static int
filt_ptmread(struct knote *kn, long hint)
{
	struct pty *pt = kn->kn_ptr.p_obj;

	kn->kn_data = pt->pt_outlen;
	if (pt->pt_slavegone)
		kn->kn_flags |= EV_EOF;
	else
		kn->kn_flags &= ~EV_EOF;
	return (kn->kn_data > 0 || pt->pt_slavegone);
}

static int
filt_ptmwrite(struct knote *kn, long hint)
{
	struct pty *pt = kn->kn_ptr.p_obj;
	struct tty *tp = &pt->pt_tty;

	kn->kn_data = MAX(0, TTY_BUFSIZE - tp->t_len);
	return (pty_inroom(tp));
}

static int
filt_ptsread(struct knote *kn, long hint)
{
	struct pty *pt = kn->kn_ptr.p_obj;
	struct tty *tp = &pt->pt_tty;

	kn->kn_data = ttydisc_readable(tp);
	if (tp->t_hup)
		kn->kn_flags |= EV_EOF;
	return (ttydisc_canread(tp) || tp->t_hup);
}

static int
filt_ptswrite(struct knote *kn, long hint)
{
	struct pty *pt = kn->kn_ptr.p_obj;

	kn->kn_data = pty_outroom(pt);
	if (pt->pt_tty.t_hup) {
		kn->kn_flags |= EV_EOF;
		return (1);
	}
	return (kn->kn_data >= 2);
}

static const struct filterops ptm_rfiltops = {
	.f_isfd = 1, .f_detach = filt_ptmdetach, .f_event = filt_ptmread,
};
static const struct filterops ptm_wfiltops = {
	.f_isfd = 1, .f_detach = filt_ptmdetach, .f_event = filt_ptmwrite,
};
static const struct filterops pts_rfiltops = {
	.f_isfd = 1, .f_detach = filt_ptsdetach, .f_event = filt_ptsread,
};
static const struct filterops pts_wfiltops = {
	.f_isfd = 1, .f_detach = filt_ptsdetach, .f_event = filt_ptswrite,
};

static int
pty_kqfilter(struct file *fp, struct knote *kn, bool master)
{
	struct pty *pt = fp->f_data;

	switch (kn->kn_filter) {
	case EVFILT_READ:
		kn->kn_fop = master ? &ptm_rfiltops : &pts_rfiltops;
		break;
	case EVFILT_WRITE:
		kn->kn_fop = master ? &ptm_wfiltops : &pts_wfiltops;
		break;
	default:
		return (-EINVAL);
	}
	kn->kn_ptr.p_obj = pt;
	knlist_add(master ? &pt->pt_msel.si_note : &pt->pt_ssel.si_note, kn);
	return (0);
}

int
ptm_kqfilter(struct file *fp, struct knote *kn)
{
	return (pty_kqfilter(fp, kn, true));
}

int
pts_kqfilter(struct file *fp, struct knote *kn)
{
	return (pty_kqfilter(fp, kn, false));
}
