/*
 * pty.h: the pseudo-terminal pair shared by kernel/tty_pty.c (the driver)
 * and kernel/tty_pty_event.c (poll, kqueue, fstat).  Private to those two.
 *
 * A pty is the slave's struct tty plus the ring the master reads; see
 * kernel/tty_pty.c for the model and the locks.
 */
#ifndef _PTY_H_
#define _PTY_H_

#include <file.h>
#include <tty.h>

#define PTY_MAX		64	/* as a small kernel.pty.max */
#define PTY_OUTSIZE	4096	/* slave output waiting for the master */
#define PTS_MAJOR	136

struct pty {
	struct tty pt_tty;		/* the slave; t_lock guards pt_out* */
	uint8_t pt_out[PTY_OUTSIZE];	/* ring: slave output, echo */
	int pt_outhead;			/* t_lock */
	int pt_outlen;			/* t_lock */
	bool pt_slavegone;		/* t_lock: slave open once, now not */
	int pt_unit;			/* N of /dev/pts/N */
	bool pt_master;			/* pty_mtx: master open */
	int pt_nslave;			/* pty_mtx: open slave files */
	bool pt_locked;			/* pty_mtx: TIOCSPTLCK */
	int pt_refs;			/* pty_mtx: open files */
	struct selinfo pt_msel;		/* master poll/kqueue */
	struct selinfo pt_ssel;		/* slave poll/kqueue */
	struct cdev *pt_dev;		/* /dev/pts/N */
	char pt_name[16];		/* "pts/N" */
};

/*
 * The slave can take master writes: below the full mark, or a canonical
 * line with nothing readable (its bytes are dropped, as Linux).
 */
static inline bool
pty_inroom(const struct tty *tp)
{
	return (tp->t_len < TTY_BUFSIZE - 1 || tp->t_canon == 0);
}

static inline int
pty_outroom(const struct pty *pt)
{
	return (PTY_OUTSIZE - pt->pt_outlen);
}

struct knote;
int ptm_poll(struct file *fp, int events);
int pts_poll(struct file *fp, int events);
int pty_stat(struct file *fp, struct stat *sb);
int ptm_kqfilter(struct file *fp, struct knote *kn);
int pts_kqfilter(struct file *fp, struct knote *kn);

#endif /* !_PTY_H_ */
