/*
 * tty_pty.c: pseudo-terminals, Linux's Unix 98 ptys (pty(7), pts(4)).
 *
 * Opening /dev/ptmx (5,2) makes a pty: a master file and a slave
 * terminal /dev/pts/N (136,N).  The slave is an ordinary struct tty with
 * the line discipline, termios, window size and job control of
 * kernel/tty.c; its "device" is the master.  Master writes are received
 * bytes of the slave (ttydisc_rint: editing, echo, ^C), and the slave's
 * processed output (ONLCR...) and echo go through t_oproc into pt_out,
 * which the master reads.  Both directions are bounded: the slave's input
 * buffer (TTY_BUFSIZE) and pt_out; a writer finding no room sleeps
 * (PCATCH) or gets EAGAIN.  Closing the master hangs the slave up (reads
 * EOF, writes and ioctls EIO, SIGHUP+SIGCONT to the session leader, the
 * session loses its terminal); closing the last slave makes master reads
 * EIO once pt_out is empty.  The pty is freed, /dev/pts/N removed, when
 * both sides are closed.
 *
 * Locks: pty_mtx guards the unit table and each pty's open state
 * (pt_master, pt_nslave, pt_locked, pt_refs: one per open file, the
 * last release frees); the slave's t_lock guards the buffers.  Sleep
 * channels: the slave tty (slave readers, as tty.c), &pt_out (slave
 * writers waiting for room), &pt_master (master readers and writers);
 * tty_unlock calls t_done, which wakes the master side.  poll, kqueue
 * and fstat are in kernel/tty_pty_event.c, struct pty in include/pty.h.
 */
#include <cdev.h>
#include <file.h>
#include <kernel.h>
#include <kmem.h>
#include <libkern.h>
#include <printf.h>
#include <proc.h>
#include <pty.h>
#include <signal.h>
#include <trap.h>
#include <tty.h>
#include <uapi/errno.h>
#include <uio.h>

static struct spinlock pty_mtx = SPINLOCK_INIT("pty");
static struct pty *pty_units[PTY_MAX];	/* pty_mtx */

static const struct fileops ptm_ops, pts_ops;
static const struct cdevsw pts_cdevsw;

/* Discipline output: into the ring; dropped when full or hung up. */
static void
pty_oproc(struct tty *tp, int c)
{
	struct pty *pt = tp->t_sc;

	if (pt->pt_outlen == PTY_OUTSIZE || tp->t_hup)
		return;
	pt->pt_out[(pt->pt_outhead + pt->pt_outlen) % PTY_OUTSIZE] = c;
	pt->pt_outlen++;
}

/* After every t_lock release: output may have come, input gone. */
static void
pty_done(struct tty *tp)
{
	struct pty *pt = tp->t_sc;

	wakeup(&pt->pt_master);
	selwakeup(&pt->pt_msel);
}


/* Forget every session's claim on tp (proc_lock held). */
static void
pty_forget_sessions(struct tty *tp)
{
	struct proc *p;

	LIST_FOREACH(p, &allproc, p_list)
		if (p->p_pgrp != NULL && p->p_pgrp->pg_session->s_ttyp == tp)
			p->p_pgrp->pg_session->s_ttyp = NULL;
	tp->t_session = NULL;
	tp->t_sid = 0;
	tp->t_pgid = 0;
}

/* Drop an open file's reference; the last one frees the pty. */
static void
pty_rele(struct pty *pt)
{
	bool last;

	spin_lock(&pty_mtx);
	if ((last = --pt->pt_refs == 0))
		pty_units[pt->pt_unit] = NULL;
	spin_unlock(&pty_mtx);
	if (!last)
		return;
	if (pt->pt_dev != NULL)
		destroy_dev(pt->pt_dev);
	spin_lock(&proc_lock);
	pty_forget_sessions(&pt->pt_tty);
	spin_unlock(&proc_lock);
	KASSERT(knlist_empty(&pt->pt_msel.si_note) &&
	    knlist_empty(&pt->pt_ssel.si_note), "pty_rele: knotes left");
	kfree(pt);
}

/*
 * Master close: hang the slave up.  As Linux's tty_vhangup the session
 * leader gets SIGHUP and SIGCONT and the session loses its terminal.
 */
static void
pty_hangup(struct pty *pt)
{
	struct tty *tp = &pt->pt_tty;
	struct session *s;
	struct proc *leader = NULL;

	spin_lock(&tp->t_lock);
	tp->t_hup = true;
	ttydisc_flush(tp, TCIOFLUSH);
	pt->pt_outlen = 0;
	spin_unlock(&tp->t_lock);
	wakeup(tp);
	wakeup(&pt->pt_out);
	selwakeup(&pt->pt_ssel);
	spin_lock(&proc_lock);
	if ((s = tp->t_session) != NULL) {
		leader = pfind(tp->t_sid);
		if (leader != NULL && (leader->p_state == PRS_ZOMBIE ||
		    leader->p_pgrp == NULL || leader->p_pgrp->pg_session != s))
			leader = NULL;
		pty_forget_sessions(tp);
	}
	spin_unlock(&proc_lock);
	if (leader != NULL) {
		psignal(leader, SIGHUP);
		psignal(leader, SIGCONT);
	}
}

/* Open the slave of pt on fp (a /dev/pts/N open, or TIOCGPTPEER). */
static int
pts_openfile(struct pty *pt, int oflags, struct file *fp)
{
	struct tty *tp = &pt->pt_tty;
	int error = 0;

	spin_lock(&pty_mtx);
	if (!pt->pt_master || pt->pt_locked)
		error = -EIO;		/* as Linux: locked, or hung up */
	else {
		pt->pt_nslave++;
		pt->pt_refs++;
	}
	spin_unlock(&pty_mtx);
	if (error != 0)
		return (error);
	spin_lock(&tp->t_lock);
	pt->pt_slavegone = false;
	spin_unlock(&tp->t_lock);
	(void)tty_open(tp, oflags);	/* may become the controlling tty */
	fp->f_ops = &pts_ops;
	fp->f_data = pt;
	fp->f_type = DTYPE_DEV;
	return (0);
}

static int
pts_fdopen(struct cdev *dev, int oflags, struct file *fp)
{
	if (dev->si_drv1 == NULL)	/* ptmx_fdopen not done with it */
		return (-EIO);
	return (pts_openfile(dev->si_drv1, oflags, fp));
}

/*
 * /dev/ptmx: a new pty, locked until TIOCSPTLCK 0 (unlockpt).  ENOSPC:
 * all PTY_MAX in use (Linux: kernel.pty.max reached); ENOMEM.
 */
static int
ptmx_fdopen(struct cdev *dev, int oflags, struct file *fp)
{
	struct pty *pt;
	struct tty *tp;
	int unit;

	if ((pt = kmalloc(sizeof(*pt), M_WAITOK | M_ZERO)) == NULL)
		return (-ENOMEM);
	spin_lock(&pty_mtx);
	for (unit = 0; unit < PTY_MAX && pty_units[unit] != NULL; unit++)
		;
	if (unit == PTY_MAX) {
		spin_unlock(&pty_mtx);
		kfree(pt);
		return (-ENOSPC);
	}
	pty_units[unit] = pt;
	pt->pt_unit = unit;
	pt->pt_master = true;
	pt->pt_locked = true;
	pt->pt_refs = 1;
	spin_unlock(&pty_mtx);

	tp = &pt->pt_tty;
	spin_init(&tp->t_lock, "pty");
	ttydisc_init(tp);
	/* Linux's tty_std_termios for a pty: 38400 baud, no window size. */
	tp->t_termios.c_iflag = ICRNL | IXON;
	tp->t_termios.c_cflag = B38400 | CS8 | CREAD | HUPCL;
	memset(&tp->t_winsize, 0, sizeof(tp->t_winsize));
	tp->t_oproc = pty_oproc;
	tp->t_signal = tty_note_signal;
	tp->t_wakeup = tty_note_wakeup;
	tp->t_done = pty_done;
	tp->t_sel = &pt->pt_ssel;
	tp->t_sc = pt;
	snprintf(pt->pt_name, sizeof(pt->pt_name), "pts/%d", unit);
	tp->t_name = pt->pt_name;
	pt->pt_dev = make_dev(&pts_cdevsw, unit, makedev(PTS_MAJOR, unit),
	    0620, pt->pt_name);
	if (pt->pt_dev == NULL) {
		pty_rele(pt);
		return (-ENOMEM);
	}
	pt->pt_dev->si_drv1 = pt;
	fp->f_ops = &ptm_ops;
	fp->f_data = pt;
	fp->f_type = DTYPE_DEV;
	return (0);
}

/* Master ------------------------------------------------------------- */

/*
 * read(2) on the master: the slave's output.  EIO once the slave was
 * opened and all its files closed and nothing is left; EAGAIN with
 * O_NONBLOCK; EINTR/restart on a signal.
 */
static int
ptm_read(struct file *fp, struct uio *uio, int flags)
{
	struct pty *pt = fp->f_data;
	struct tty *tp = &pt->pt_tty;
	char buf[256];
	int n, error = 0;

	if (uio->uio_resid == 0)
		return (0);
	spin_lock(&tp->t_lock);
	while (pt->pt_outlen == 0) {
		if (pt->pt_slavegone)
			error = -EIO;
		else if (fp->f_flag & O_NONBLOCK)
			error = -EAGAIN;
		else
			error = msleep(&pt->pt_master, &tp->t_lock, PCATCH,
			    "ptmin", 0);
		if (error != 0) {
			spin_unlock(&tp->t_lock);
			return (error);
		}
	}
	while (uio->uio_resid > 0 && pt->pt_outlen > 0) {
		n = MIN((int)sizeof(buf), pt->pt_outlen);
		n = (int)MIN((size_t)n, (size_t)uio->uio_resid);
		for (int i = 0; i < n; i++)
			buf[i] = pt->pt_out[(pt->pt_outhead + i) % PTY_OUTSIZE];
		pt->pt_outhead = (pt->pt_outhead + n) % PTY_OUTSIZE;
		pt->pt_outlen -= n;
		spin_unlock(&tp->t_lock);
		error = uiomove(buf, n, uio);
		spin_lock(&tp->t_lock);
		if (error != 0)
			break;
	}
	spin_unlock(&tp->t_lock);
	wakeup(&pt->pt_out);
	selwakeup(&pt->pt_ssel);
	return (error);
}

/*
 * write(2) on the master: bytes received by the slave, through the line
 * discipline (echo comes back on the master, ^C signals the slave's
 * foreground group).  Blocks while the slave's input is full; EAGAIN with
 * O_NONBLOCK; EFAULT for a bad buffer.
 */
static int
ptm_write(struct file *fp, struct uio *uio, int flags)
{
	struct pty *pt = fp->f_data;
	struct tty *tp = &pt->pt_tty;
	char buf[256];
	int room, error;
	size_t n;

	for (bool some = false; uio->uio_resid > 0; some = true) {
		/* A signal ends a long write after some progress. */
		if (some && sig_pending_unblocked(curthread))
			return (0);
		spin_lock(&tp->t_lock);
		while (!pty_inroom(tp)) {
			if (fp->f_flag & O_NONBLOCK)
				error = -EAGAIN;
			else
				error = msleep(&pt->pt_master, &tp->t_lock,
				    PCATCH, "ptmout", 0);
			if (error != 0) {
				spin_unlock(&tp->t_lock);
				return (error);
			}
		}
		/* A full canonical line drops bytes: take them by the buffer. */
		room = tp->t_len >= TTY_BUFSIZE - 1 ? (int)sizeof(buf) :
		    TTY_BUFSIZE - tp->t_len;
		spin_unlock(&tp->t_lock);
		n = MIN(sizeof(buf), MIN((size_t)uio->uio_resid, (size_t)room));
		if ((error = uiomove(buf, n, uio)) != 0)
			return (error);
		spin_lock(&tp->t_lock);
		for (size_t i = 0; i < n; i++)
			ttydisc_rint(tp, (uint8_t)buf[i]);
		tty_unlock(tp);
	}
	return (0);
}

static int
ptm_copyout_int(int v, void *data)
{
	return (copyout(&v, data, sizeof(v)) != 0 ? -EFAULT : 0);
}

/* TIOCGPTPEER: open the slave as a new descriptor; the result is it. */
static int
ptm_peer(struct pty *pt, int oflags)
{
	struct file *fp;
	int error, fd;

	if (oflags & ~(O_ACCMODE | O_NOCTTY | O_NONBLOCK | O_CLOEXEC))
		return (-EINVAL);
	if ((error = falloc(&fp)) != 0)
		return (error);
	fp->f_flag = oflags & (O_ACCMODE | O_NONBLOCK);
	if ((error = pts_openfile(pt, oflags, fp)) != 0) {
		ffree(fp);
		return (error);
	}
	if ((error = finstall(NULL, fp, oflags & O_CLOEXEC, &fd)) != 0) {
		fdrop(fp);
		return (error);
	}
	return (fd);
}

/*
 * Master ioctls: TIOCGPTN, TIOC[GS]PTLCK, TIOCGPTPEER, FIONREAD (bytes
 * to read on the master), TCFLSH (TCIFLUSH: the slave's output, TCOFLUSH:
 * its input); settings, window size and the others act on the slave, as
 * in Linux.  The master never becomes a controlling terminal: TIOCSCTTY
 * and TIOCNOTTY are ENOTTY.  EFAULT: a bad pointer.
 */
static int
ptm_ioctl(struct file *fp, unsigned long cmd, void *data)
{
	struct pty *pt = fp->f_data;
	struct tty *tp = &pt->pt_tty;
	long arg = (long)data;
	int v;

	switch (cmd) {
	case TIOCGPTN:
		return (ptm_copyout_int(pt->pt_unit, data));
	case TIOCSPTLCK:
		if (copyin(data, &v, sizeof(v)) != 0)
			return (-EFAULT);
		spin_lock(&pty_mtx);
		pt->pt_locked = v != 0;
		spin_unlock(&pty_mtx);
		return (0);
	case TIOCGPTLCK:
		return (ptm_copyout_int(pt->pt_locked, data));
	case TIOCGPTPEER:
		return (ptm_peer(pt, (int)arg));
	case FIONREAD:
		return (ptm_copyout_int(pt->pt_outlen, data));
	case TCFLSH:
		if (arg != TCIFLUSH && arg != TCOFLUSH && arg != TCIOFLUSH)
			return (-EINVAL);
		spin_lock(&tp->t_lock);
		if (arg != TCOFLUSH)
			pt->pt_outlen = 0;
		if (arg != TCIFLUSH)
			ttydisc_flush(tp, TCIFLUSH);
		tty_unlock(tp);
		wakeup(&pt->pt_out);
		selwakeup(&pt->pt_ssel);
		return (0);
	case TIOCGPGRP:
		return (ptm_copyout_int(tp->t_pgid, data));
	case TIOCGSID:
		if (tp->t_sid == 0)
			return (-ENOTTY);
		return (ptm_copyout_int(tp->t_sid, data));
	case TIOCSCTTY:
	case TIOCNOTTY:
		return (-ENOTTY);
	default:
		return (tty_ioctl(tp, cmd, data, fp->f_flag));
	}
}

static int
ptm_close(struct file *fp)
{
	struct pty *pt = fp->f_data;

	spin_lock(&pty_mtx);
	pt->pt_master = false;
	spin_unlock(&pty_mtx);
	pty_hangup(pt);
	pty_rele(pt);
	return (0);
}

/* Slave -------------------------------------------------------------- */

/* read(2): tty_read; EOF once hung up. */
static int
pts_read(struct file *fp, struct uio *uio, int flags)
{
	struct pty *pt = fp->f_data;

	return (tty_read(&pt->pt_tty, uio,
	    (fp->f_flag & O_NONBLOCK) ? IO_NDELAY : 0));
}

/*
 * write(2): through output processing into pt_out.  EIO when hung up;
 * EAGAIN with O_NONBLOCK and no room; SIGTTOU/EIO from the background
 * with TOSTOP; EFAULT for a bad buffer.
 */
static int
pts_write(struct file *fp, struct uio *uio, int flags)
{
	struct pty *pt = fp->f_data;
	struct tty *tp = &pt->pt_tty;
	char buf[128];
	int room = 0, error;
	size_t n;

	if (tp->t_hup)
		return (-EIO);
	if ((tp->t_termios.c_lflag & TOSTOP) &&
	    (error = tty_check_bg(tp, SIGTTOU)) != 0)
		return (error);
	for (bool some = false; uio->uio_resid > 0; some = true) {
		if (some && sig_pending_unblocked(curthread))
			return (0);
		spin_lock(&tp->t_lock);
		/* ONLCR may double every byte: wait for twice the room. */
		while (!tp->t_hup && (room = pty_outroom(pt)) < 2) {
			if (fp->f_flag & O_NONBLOCK)
				error = -EAGAIN;
			else
				error = msleep(&pt->pt_out, &tp->t_lock,
				    PCATCH, "ptsout", 0);
			if (error != 0) {
				spin_unlock(&tp->t_lock);
				return (error);
			}
		}
		spin_unlock(&tp->t_lock);
		if (tp->t_hup)
			return (-EIO);
		n = MIN(sizeof(buf), MIN((size_t)uio->uio_resid,
		    (size_t)room / 2));
		if ((error = uiomove(buf, n, uio)) != 0)
			return (error);
		spin_lock(&tp->t_lock);
		ttydisc_write(tp, buf, n);
		tty_unlock(tp);
	}
	return (0);
}

/* ioctl(2): the tty ioctls; EIO once hung up (Linux hung_up_tty_ioctl). */
static int
pts_ioctl(struct file *fp, unsigned long cmd, void *data)
{
	struct pty *pt = fp->f_data;

	if (pt->pt_tty.t_hup)
		return (cmd == TIOCSPGRP ? -ENOTTY : -EIO);
	return (tty_ioctl(&pt->pt_tty, cmd, data, fp->f_flag));
}

static int
pts_close(struct file *fp)
{
	struct pty *pt = fp->f_data;
	struct tty *tp = &pt->pt_tty;
	bool last;

	spin_lock(&pty_mtx);
	last = --pt->pt_nslave == 0;
	spin_unlock(&pty_mtx);
	spin_lock(&tp->t_lock);
	if (tp->t_opencount > 0)
		tp->t_opencount--;
	if (last)
		pt->pt_slavegone = true;
	spin_unlock(&tp->t_lock);
	wakeup(&pt->pt_master);
	selwakeup(&pt->pt_msel);
	pty_rele(pt);
	return (0);
}

static const struct fileops ptm_ops = {
	.fo_read = ptm_read,
	.fo_write = ptm_write,
	.fo_ioctl = ptm_ioctl,
	.fo_poll = ptm_poll,
	.fo_kqfilter = ptm_kqfilter,
	.fo_stat = pty_stat,
	.fo_close = ptm_close,
};

static const struct fileops pts_ops = {
	.fo_read = pts_read,
	.fo_write = pts_write,
	.fo_ioctl = pts_ioctl,
	.fo_poll = pts_poll,
	.fo_kqfilter = pts_kqfilter,
	.fo_stat = pty_stat,
	.fo_close = pts_close,
};

static const struct cdevsw pts_cdevsw = {
	.d_name = "pts",
	.d_fdopen = pts_fdopen,
};

static const struct cdevsw ptmx_cdevsw = {
	.d_name = "ptmx",
	.d_fdopen = ptmx_fdopen,
};

/*
 * The controlling terminal's slave for /dev/tty (tty.c): opening
 * /dev/tty in a session whose terminal is a pty opens that pty's slave.
 */
int
pty_open_ctty(struct tty *tp, int oflags, struct file *fp)
{
	return (pts_openfile(tp->t_sc, oflags | O_NOCTTY, fp));
}

void
pty_init(void)
{
	make_dev_dir("pts");
	if (make_dev(&ptmx_cdevsw, 2, makedev(5, 2), 0666, "ptmx") == NULL)
		printk(KERN_WARNING "pty: cannot create /dev/ptmx\n");
}
