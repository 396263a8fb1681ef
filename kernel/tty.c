/*
 * tty.c: the tty device layer and the serial console as a terminal.
 *
 * COM1 is the one terminal: its receive interrupt (IRQ 4, or tty_tick
 * polling when there is no interrupt) feeds the line discipline, and
 * output goes through the discipline to the UART.  It appears as
 * /dev/console (5,1) and /dev/ttyS0 (4,64); /dev/tty (5,0) is whatever
 * the caller's session controls.
 *
 * Job control follows POSIX as Linux implements it: a session leader
 * opening a terminal without O_NOCTTY (or using TIOCSCTTY) makes it the
 * session's controlling terminal; a background process group reading it
 * gets SIGTTIN, writing it with TOSTOP (or changing its settings) gets
 * SIGTTOU, and an orphaned or signal-ignoring group gets EIO instead.
 *
 * Locks: t_lock guards the tty; it is never held while taking proc_lock
 * or posting signals (signals and wakeups raised by the discipline are
 * collected in t_pendsig/t_needwake and sent after t_lock is dropped).
 * The session fields (s_ttyp) are read under proc_lock.
 */
#include <cdev.h>
#include <event.h>
#include <file.h>
#include <kernel.h>
#include <lapic.h>
#include <libkern.h>
#include <proc.h>
#include <signal.h>
#include <trap.h>
#include <tty.h>
#include <uapi/errno.h>
#include <uart.h>
#include <uio.h>

#define COM1_IRQ	4

static struct tty com1_tty;
static struct selinfo tty_sel;		/* poll/select sleepers and knotes */
struct tty *constty;			/* written once by tty_init */
static bool tty_intr_ok;		/* COM1 receive interrupt works */

/* Discipline hooks: only note what to do once t_lock is dropped. */
static void
com_oproc(struct tty *tp, int c)
{
	uart_putc(COM1_PORT, c);
	cons_screen_putc(c);	/* a PC without COM1 shows it on screen */
}

void
tty_note_signal(struct tty *tp, int sig)
{
	tp->t_pendsig |= sigmask(sig);
}

void
tty_note_wakeup(struct tty *tp)
{
	tp->t_needwake = true;
}

/* Send the foreground group the signals the discipline raised. */
void
tty_signal_pgrp(struct tty *tp, uint64_t sigs)
{
	struct pgrp *pg;
	pid_t pgid = tp->t_pgid;	/* racy read: an int */

	if (pgid == 0)
		return;
	spin_lock(&proc_lock);
	pg = pgfind(pgid);
	spin_unlock(&proc_lock);
	while (sigs != 0) {
		int sig = __builtin_ctzll(sigs) + 1;

		sigs &= ~sigmask(sig);
		if (pg != NULL)
			pgsignal(pg, sig);
	}
}

/* Drop t_lock, then send what the discipline asked for. */
void
tty_unlock(struct tty *tp)
{
	uint64_t sigs = tp->t_pendsig;
	bool wake = tp->t_needwake;

	tp->t_pendsig = 0;
	tp->t_needwake = false;
	spin_unlock(&tp->t_lock);
	if (wake) {
		wakeup(tp);
		if (tp->t_sel != NULL)
			selwakeup(tp->t_sel);
	}
	if (tp->t_done != NULL)
		tp->t_done(tp);
	if (sigs != 0)
		tty_signal_pgrp(tp, sigs);
}

/* One received byte, from a device (or a test). */
void
tty_input(struct tty *tp, int c)
{
	spin_lock(&tp->t_lock);
	ttydisc_rint(tp, c);
	tty_unlock(tp);
}

static void
tty_rxdrain(struct tty *tp)
{
	int c;

	spin_lock(&tp->t_lock);
	while ((c = uart_getc(COM1_PORT)) >= 0)
		ttydisc_rint(tp, c);
	tty_unlock(tp);
}

static void
tty_rxintr(struct trapframe *tf, void *arg)
{
	tty_rxdrain(arg);
}

/* Every tick: poll COM1 when its interrupt is not available. */
void
tty_tick(void)
{
	if (constty != NULL && !tty_intr_ok)
		tty_rxdrain(constty);
}

/* The session of the current process, or NULL (kernel, early boot). */
static struct session *
tty_cursession(void)
{
	struct proc *p;

	if (curthread == NULL || (p = curthread->td_proc) == NULL ||
	    p->p_pgrp == NULL)
		return (NULL);
	return (p->p_pgrp->pg_session);
}

bool
tty_is_ctty(struct tty *tp)
{
	struct session *s = tty_cursession();

	return (s != NULL && s->s_ttyp == tp);
}

/*
 * Does the session tp records still own tp?  A session may have gone
 * without telling the tty, and as in Linux a session whose leader has
 * exited loses its terminal (the next session leader may take it); that
 * is noticed here, lazily.  proc_lock held.
 */
bool
tty_session_alive(struct tty *tp)
{
	struct session *s = tp->t_session;
	struct proc *p;
	bool member = false;

	if (s == NULL)
		return (false);
	LIST_FOREACH(p, &allproc, p_list) {
		if (p->p_pgrp == NULL || p->p_pgrp->pg_session != s)
			continue;
		member = true;
		if (p->p_pid == tp->t_sid && p->p_state != PRS_ZOMBIE)
			return (s->s_ttyp == tp);
	}
	if (member && s->s_ttyp == tp)
		s->s_ttyp = NULL;	/* the leader is gone */
	tp->t_session = NULL;
	tp->t_sid = 0;
	tp->t_pgid = 0;
	return (false);
}

void
tty_session_gone(struct session *s)
{
	struct tty *tp = s->s_ttyp;

	if (tp != NULL && tp->t_session == s) {
		tp->t_session = NULL;
		tp->t_sid = 0;
		tp->t_pgid = 0;
	}
	s->s_ttyp = NULL;
}

/* Make tp the controlling terminal of the current session.  proc_lock. */
void
tty_setctty(struct tty *tp, struct session *s)
{
	s->s_ttyp = tp;
	tp->t_session = s;
	tp->t_sid = s->s_sid;
	tp->t_pgid = curproc->p_pgrp->pg_id;
}

/* An orphaned group: no member has a parent elsewhere in the session. */
static bool
pg_orphaned(struct pgrp *pg)
{
	bool orphaned;

	spin_lock(&proc_lock);
	orphaned = pgrp_orphaned(pg, NULL);
	spin_unlock(&proc_lock);
	return (orphaned);
}

/*
 * Job control for a background access to the controlling terminal: 0 to
 * go ahead, -ERESTART after sending sig (SIGTTIN or SIGTTOU) to the
 * caller's group, -EIO when that cannot stop it.  For SIGTTOU a group
 * that ignores or blocks it may go ahead (Linux tty_check_change).
 */
int
tty_check_bg(struct tty *tp, int sig)
{
	struct proc *p;
	bool ign;

	if (!tty_is_ctty(tp))
		return (0);
	p = curproc;
	if (tp->t_pgid == 0 || p->p_pgrp->pg_id == tp->t_pgid)
		return (0);
	ign = sig_ignored(p, sig) || sig_blocked(curthread, sig);
	if (sig == SIGTTOU && ign)
		return (0);
	if (ign || pg_orphaned(p->p_pgrp))
		return (-EIO);
	pgsignal(p->p_pgrp, sig);
	return (-ERESTART);
}

int
tty_open(struct tty *tp, int oflags)
{
	struct session *s = tty_cursession();

	if (s == NULL)
		return (0);
	spin_lock(&proc_lock);
	if (!(oflags & O_NOCTTY) && s->s_sid == curproc->p_pid &&
	    s->s_ttyp == NULL && !tty_session_alive(tp))
		tty_setctty(tp, s);
	spin_unlock(&proc_lock);
	spin_lock(&tp->t_lock);
	tp->t_opencount++;
	spin_unlock(&tp->t_lock);
	return (0);
}

/* Raw-mode read: VMIN bytes, VTIME deciseconds (termios(3)). */
static int
tty_read_raw(struct tty *tp, char *buf, size_t n, int ioflag)
{
	int vmin = tp->t_termios.c_cc[VMIN], vtime = tp->t_termios.c_cc[VTIME];
	int want = vmin == 0 ? 1 : (int)MIN((size_t)vmin, n), error;
	bool timedout = false;
	uint64_t timo;

	for (;;) {
		if (tp->t_canon >= want || (tp->t_canon > 0 &&
		    (timedout || (ioflag & IO_NDELAY))))
			return (ttydisc_read(tp, buf, n));
		if (tp->t_hup)		/* hung up: what is left, EOF */
			return (tp->t_canon > 0 ? ttydisc_read(tp, buf, n) : 0);
		if (vmin == 0 && (vtime == 0 || timedout))
			return (0);
		if (ioflag & IO_NDELAY)
			return (-EAGAIN);
		/* VTIME times the first byte (VMIN 0) or the gap between. */
		timo = (vtime > 0 && (vmin == 0 || tp->t_canon > 0)) ?
		    (uint64_t)vtime * 100000000ULL : 0;
		error = msleep(tp, &tp->t_lock, PCATCH, "ttyin", timo);
		if (error == -EWOULDBLOCK)
			timedout = true;
		else if (error != 0)
			return (error);
	}
}

/*
 * read(2) on a terminal.  Canonical: one line (a line longer than 1 KiB
 * comes in pieces), 0 at EOF.  EAGAIN: O_NONBLOCK and nothing to read;
 * EINTR/restart: a signal; EIO: a background group that cannot be
 * stopped (SIGTTIN ignored, blocked or orphaned).
 */
int
tty_read(struct tty *tp, struct uio *uio, int ioflag)
{
	char buf[1024];
	int error, got;

	if (uio->uio_resid == 0)
		return (0);
	if ((error = tty_check_bg(tp, SIGTTIN)) != 0)
		return (error);
	spin_lock(&tp->t_lock);
	if (!(tp->t_termios.c_lflag & ICANON)) {
		got = tty_read_raw(tp, buf, MIN(sizeof(buf),
		    (size_t)uio->uio_resid), ioflag);
	} else {
		for (;;) {
			got = ttydisc_read(tp, buf, MIN(sizeof(buf),
			    (size_t)uio->uio_resid));
			if (got != -EAGAIN)
				break;
			if (tp->t_hup) {
				got = 0;	/* hung up: EOF */
				break;
			}
			if (ioflag & IO_NDELAY)
				break;
			error = msleep(tp, &tp->t_lock, PCATCH, "ttyin", 0);
			if (error != 0) {
				got = error;
				break;
			}
		}
	}
	tty_unlock(tp);
	if (got <= 0)
		return (got);
	return (uiomove(buf, got, uio));
}

/*
 * write(2): through output processing to the device.  EIO / SIGTTOU for
 * a background group when TOSTOP is set; EFAULT for a bad buffer.
 */
int
tty_write(struct tty *tp, struct uio *uio, int ioflag)
{
	char buf[256];
	size_t n;
	int error;

	if ((tp->t_termios.c_lflag & TOSTOP) &&
	    (error = tty_check_bg(tp, SIGTTOU)) != 0)
		return (error);
	while (uio->uio_resid > 0) {
		n = MIN(sizeof(buf), (size_t)uio->uio_resid);
		if ((error = uiomove(buf, n, uio)) != 0)
			return (error);
		spin_lock(&tp->t_lock);
		ttydisc_write(tp, buf, n);
		tty_unlock(tp);
	}
	return (0);
}

int
tty_poll(struct tty *tp, int events)
{
	int revents = events & (POLLOUT | POLLWRNORM);

	spin_lock(&tp->t_lock);
	if (ttydisc_canread(tp))
		revents |= events & (POLLIN | POLLRDNORM);
	spin_unlock(&tp->t_lock);
	return (revents);
}


/* Devices ---------------------------------------------------------- */

/*
 * The terminal behind dev: its own, or for /dev/tty the caller's
 * controlling terminal.  Linux binds /dev/tty to the terminal at open:
 * an open of /dev/tty naming a pty becomes a file of the pty's slave
 * (ctty_fdopen), so a /dev/tty devfs file always means the console, even
 * when its caller has since changed terminals.
 */
static struct tty *
tty_fromdev(struct cdev *dev, bool opening)
{
	struct session *s;

	if (dev->si_drv1 != NULL)
		return (dev->si_drv1);
	if (!opening)
		return (constty);	/* ctty_fdopen sent ptys elsewhere */
	s = tty_cursession();
	if (s != NULL && s->s_ttyp != NULL)
		return (s->s_ttyp);
	return (NULL);
}

/*
 * ENXIO: /dev/tty opened without a controlling terminal.  As in
 * Linux, opening /dev/console or /dev/tty never acquires a controlling
 * terminal (init's console must stay free for the shell's session);
 * /dev/ttyS0 does, or TIOCSCTTY on any of them.
 */
static int
ttydev_open(struct cdev *dev, int oflags)
{
	struct tty *tp = tty_fromdev(dev, true);

	if (tp == NULL)
		return (-ENXIO);
	if (dev->si_rdev == makedev(5, 1) || dev->si_rdev == makedev(5, 0))
		oflags |= O_NOCTTY;
	return (tty_open(tp, oflags));
}

static int
ttydev_close(struct cdev *dev, int fflag)
{
	struct tty *tp = tty_fromdev(dev, false);

	if (tp != NULL) {
		spin_lock(&tp->t_lock);
		if (tp->t_opencount > 0)
			tp->t_opencount--;
		spin_unlock(&tp->t_lock);
	}
	return (0);
}

static int
ttydev_read(struct cdev *dev, struct uio *uio, int ioflag)
{
	struct tty *tp = tty_fromdev(dev, false);

	return (tp == NULL ? -ENXIO : tty_read(tp, uio, ioflag));
}

static int
ttydev_write(struct cdev *dev, struct uio *uio, int ioflag)
{
	struct tty *tp = tty_fromdev(dev, false);

	return (tp == NULL ? -ENXIO : tty_write(tp, uio, ioflag));
}

static int
ttydev_ioctl(struct cdev *dev, unsigned long cmd, void *data, int fflag)
{
	struct tty *tp = tty_fromdev(dev, false);

	return (tp == NULL ? -ENXIO : tty_ioctl(tp, cmd, data, fflag));
}

static int
ttydev_poll(struct cdev *dev, int events)
{
	struct tty *tp = tty_fromdev(dev, false);

	return (tp == NULL ? POLLERR : tty_poll(tp, events));
}

static int
filt_true_tty(struct knote *kn, long hint)
{
	return (1);
}

/*
 * kqueue: EVFILT_READ fires when a read would not block (the same test
 * as poll, ttydisc_canread; data 1 then -- the discipline keeps no byte
 * count to report), EVFILT_WRITE always (output never blocks).  The
 * knotes hang on tty_sel, fired by selwakeup(&tty_sel).  The filter
 * reads the discipline without t_lock: it runs under kqueue_mtx with
 * interrupts off, on one CPU.
 */
static void
filt_ttydetach(struct knote *kn)
{
	knlist_remove(&tty_sel.si_note, kn);
}

static int
filt_ttyread(struct knote *kn, long hint)
{
	kn->kn_data = ttydisc_canread(kn->kn_ptr.p_obj) ? 1 : 0;
	return (kn->kn_data > 0);
}

static const struct filterops tty_rfiltops = {
	.f_isfd = 1,
	.f_detach = filt_ttydetach,
	.f_event = filt_ttyread,
};

static const struct filterops tty_wfiltops = {
	.f_isfd = 1,
	.f_detach = filt_ttydetach,
	.f_event = filt_true_tty,
};

static int
ttydev_kqfilter(struct cdev *dev, struct knote *kn)
{
	struct tty *tp = tty_fromdev(dev, false);

	if (tp == NULL)
		return (-ENXIO);
	switch (kn->kn_filter) {
	case EVFILT_READ:
		kn->kn_fop = &tty_rfiltops;
		break;
	case EVFILT_WRITE:
		kn->kn_fop = &tty_wfiltops;
		break;
	default:
		return (-EINVAL);
	}
	kn->kn_ptr.p_obj = tp;
	knlist_add(&tty_sel.si_note, kn);
	return (0);
}

static const struct cdevsw tty_cdevsw = {
	.d_name = "tty",
	.d_open = ttydev_open,
	.d_close = ttydev_close,
	.d_read = ttydev_read,
	.d_write = ttydev_write,
	.d_ioctl = ttydev_ioctl,
	.d_poll = ttydev_poll,
	.d_kqfilter = ttydev_kqfilter,
};

/*
 * /dev/tty: as in Linux, an open of the controlling terminal's device.
 * For a pty that is an open of its slave (the file is then the slave's
 * and outlives the session's claim); the console stays a devfs file.
 */
static int
ctty_fdopen(struct cdev *dev, int oflags, struct file *fp)
{
	struct tty *tp = tty_fromdev(dev, true);

	if (tp == NULL)
		return (-ENXIO);
	if (tp != &com1_tty)
		return (pty_open_ctty(tp, oflags, fp));
	fp->f_ops = &devfs_ops;
	fp->f_data = dev;
	fp->f_type = DTYPE_DEV;
	return (tty_open(tp, oflags | O_NOCTTY));
}

static const struct cdevsw ctty_cdevsw = {
	.d_name = "tty",
	.d_close = ttydev_close,
	.d_read = ttydev_read,
	.d_write = ttydev_write,
	.d_ioctl = ttydev_ioctl,
	.d_poll = ttydev_poll,
	.d_kqfilter = ttydev_kqfilter,
	.d_fdopen = ctty_fdopen,
};

static void
tty_make_dev(int unit, dev_t rdev, mode_t mode, const char *name, void *drv)
{
	struct cdev *dev;

	dev = make_dev(drv == NULL ? &ctty_cdevsw : &tty_cdevsw, unit, rdev,
	    mode, name);
	if (dev == NULL) {
		printk(KERN_WARNING "tty: cannot create /dev/%s\n", name);
		return;
	}
	dev->si_drv1 = drv;
}

/*
 * Make COM1 the console terminal: the discipline, the device nodes (devfs
 * must be up) and the receive interrupt (the IOAPIC must be up), else
 * tty_tick polls.
 */
void
tty_init(void)
{
	struct tty *tp = &com1_tty;

	spin_init(&tp->t_lock, "tty");
	ttydisc_init(tp);
	tp->t_oproc = com_oproc;
	tp->t_signal = tty_note_signal;
	tp->t_wakeup = tty_note_wakeup;
	tp->t_name = "ttyS0";
	tp->t_sel = &tty_sel;
	constty = tp;
	tty_make_dev(1, makedev(5, 1), 0600, "console", tp);
	tty_make_dev(64, makedev(4, 64), 0620, "ttyS0", tp);
	tty_make_dev(0, makedev(5, 0), 0666, "tty", NULL);
	pty_init();
	if (!uart_present(COM1_PORT))
		return;
	intr_establish(IRQ_VECTOR(COM1_IRQ), tty_rxintr, tp);
	if (ioapic_route_irq(COM1_IRQ, IRQ_VECTOR(COM1_IRQ)) == 0) {
		uart_intr_enable(COM1_PORT, true);
		tty_intr_ok = true;
	}
	printk("tty: ttyS0 on COM1, input by %s\n",
	    tty_intr_ok ? "IRQ 4" : "polling");
}
