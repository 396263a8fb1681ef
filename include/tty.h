/*
 * tty.h: terminals: the line discipline and the tty device layer.
 *
 * A struct tty holds the termios settings, the window size, the input
 * buffer and the job-control state of one terminal.  The line discipline
 * (kernel/tty_ldisc.c, pure code tested on the host) turns received bytes
 * into input lines, echo and signals, and written bytes into device
 * output; it reaches the hardware and the process layer only through the
 * three hooks t_oproc, t_signal and t_wakeup.  kernel/tty.c is the device
 * side: read/write/ioctl/poll, the controlling terminal and job control,
 * and the serial console (COM1) as /dev/console, /dev/ttyS0 and /dev/tty.
 *
 * Input buffer: t_buf[0, t_len) in arrival order; [0, t_canon) may be
 * read (complete lines in canonical mode, everything otherwise) and
 * [t_canon, t_len) is the line still being edited.  t_flag marks line
 * ends and the EOF mark (a ^D, which occupies a slot but is never read).
 * All fields are guarded by t_lock.
 */
#ifndef _TTY_H_
#define _TTY_H_

#include <spinlock.h>
#include <types.h>
#include <uapi/termios.h>

#define TTY_BUFSIZE	4096	/* input bytes, as Linux N_TTY_BUF_SIZE */

#define TTYF_EOL	0x01	/* '\n', VEOL or VEOL2: ends a line */
#define TTYF_EOF	0x02	/* VEOF: ends a line, not read */

struct selinfo;
struct session;
struct uio;

struct tty {
	struct spinlock t_lock;
	struct termios t_termios;
	struct winsize t_winsize;
	uint8_t t_buf[TTY_BUFSIZE];	/* input */
	uint8_t t_flag[TTY_BUFSIZE];	/* TTYF_* per input byte */
	int t_len;			/* bytes in t_buf */
	int t_canon;			/* readable prefix */
	int t_column;			/* output column, for erasing */
	int t_canon_column;		/* column where the edited line began */
	bool t_lnext;			/* VLNEXT: take the next byte as is */
	bool t_stopped;			/* VSTOP seen (output is not held) */
	int t_dropped;			/* bytes dropped on a full buffer */
	/* Hooks: device output, ISIG signals, input became readable. */
	void (*t_oproc)(struct tty *tp, int c);
	void (*t_signal)(struct tty *tp, int sig);
	void (*t_wakeup)(struct tty *tp);
	void *t_sc;			/* the device's softc */
	/* Device layer (kernel/tty.c): what tty_unlock does after t_lock. */
	struct selinfo *t_sel;		/* poll/kqueue readers of the tty */
	void (*t_done)(struct tty *tp);	/* after every unlock (ptys) */
	uint64_t t_pendsig;		/* signals the discipline raised */
	bool t_needwake;		/* input became readable */
	bool t_hup;			/* hung up: read EOF, write EIO */
	/* Job control (kernel/tty.c). */
	struct session *t_session;	/* the session it controls, or NULL */
	pid_t t_sid;			/* that session's id */
	pid_t t_pgid;			/* foreground process group id, or 0 */
	int t_opencount;
	const char *t_name;
};

/* Line discipline (pure). */
void ttydisc_init(struct tty *tp);	/* Linux's default termios, 80x24 */
void ttydisc_rint(struct tty *tp, int c);	/* one received byte */
/* Copy readable input to buf: bytes (0 = EOF), or -EAGAIN if none. */
int ttydisc_read(struct tty *tp, char *buf, size_t n);
int ttydisc_readable(const struct tty *tp);	/* bytes read may return */
bool ttydisc_canread(const struct tty *tp);	/* read would not block */
void ttydisc_write(struct tty *tp, const char *buf, size_t n);
void ttydisc_output(struct tty *tp, int c);	/* one byte, OPOST rules */
void ttydisc_flush(struct tty *tp, int which);	/* TCIFLUSH... */
void ttydisc_setattr(struct tty *tp, const struct termios *t);

/* Device layer (kernel/tty.c). */
void tty_init(void);			/* COM1 as the console tty */
void tty_tick(void);			/* poll COM1 if it has no interrupt */
void tty_session_gone(struct session *s);	/* session freed */
extern struct tty *constty;		/* the console tty */
int tty_read(struct tty *tp, struct uio *uio, int ioflag);
int tty_write(struct tty *tp, struct uio *uio, int ioflag);
int tty_ioctl(struct tty *tp, unsigned long cmd, void *data, int fflag);
int tty_poll(struct tty *tp, int events);
int tty_open(struct tty *tp, int oflags);
void tty_input(struct tty *tp, int c);	/* a received byte */

/* Shared by kernel/tty.c and kernel/tty_ioctl.c. */
bool tty_is_ctty(struct tty *tp);	/* the caller's controlling tty? */
bool tty_session_alive(struct tty *tp);	/* proc_lock held */
void tty_setctty(struct tty *tp, struct session *s);	/* proc_lock */
int tty_check_bg(struct tty *tp, int sig);	/* SIGTTIN / SIGTTOU */
void tty_unlock(struct tty *tp);	/* drop t_lock, send signals */
void tty_signal_pgrp(struct tty *tp, uint64_t sigs);
void tty_note_signal(struct tty *tp, int sig);	/* t_signal hook */
void tty_note_wakeup(struct tty *tp);		/* t_wakeup hook */

/* Pseudo-terminals (kernel/tty_pty.c). */
struct file;
void pty_init(void);			/* /dev/ptmx */
/* /dev/tty naming a pty: open its slave on fp. */
int pty_open_ctty(struct tty *tp, int oflags, struct file *fp);

#endif /* !_TTY_H_ */
