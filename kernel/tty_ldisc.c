/*
 * tty_ldisc.c: the terminal line discipline (Linux n_tty, in small).
 *
 * Received bytes go through input mapping (ISTRIP, IGNCR, ICRNL, INLCR),
 * then the signal characters (ISIG), then either canonical editing
 * (ICANON: VERASE, VKILL, VWERASE, VLNEXT, VEOF and line ends commit the
 * line) or straight into the readable part of the buffer (raw mode, where
 * the reader applies VMIN/VTIME).  Echo follows ECHO, ECHOE, ECHOK,
 * ECHOKE, ECHOCTL and ECHONL; output follows OPOST/ONLCR/OCRNL and keeps
 * the column so erasing a tab backs up the right distance.
 *
 * Pure code: no locks, no hardware.  The caller holds t_lock; the world
 * is reached through t_oproc, t_signal and t_wakeup.  Host tests:
 * tests/host/tty.c.
 */
#include <libkern.h>
#include <tty.h>
#include <uapi/errno.h>
#include <uapi/signal.h>

#define CTRL(c)		((c) & 0x1f)
#define L(tp, f)	(((tp)->t_termios.c_lflag & (f)) != 0)
#define I(tp, f)	(((tp)->t_termios.c_iflag & (f)) != 0)
#define O(tp, f)	(((tp)->t_termios.c_oflag & (f)) != 0)
#define CC(tp, i)	((tp)->t_termios.c_cc[(i)])

/* Is c the enabled special character cc[i]? */
static bool
is_cc(const struct tty *tp, int i, int c)
{
	return (CC(tp, i) != _POSIX_VDISABLE && CC(tp, i) == c);
}

static bool
is_ctrl(int c)
{
	return (c < 0x20 || c == 0x7f);
}

void
ttydisc_init(struct tty *tp)
{
	static const cc_t defcc[NCCS] = {
		[VINTR] = CTRL('C'), [VQUIT] = CTRL('\\'), [VERASE] = 0x7f,
		[VKILL] = CTRL('U'), [VEOF] = CTRL('D'), [VTIME] = 0,
		[VMIN] = 1, [VSTART] = CTRL('Q'), [VSTOP] = CTRL('S'),
		[VSUSP] = CTRL('Z'), [VREPRINT] = CTRL('R'),
		[VDISCARD] = CTRL('O'), [VWERASE] = CTRL('W'),
		[VLNEXT] = CTRL('V'),
	};

	tp->t_termios.c_iflag = ICRNL | IXON | IUTF8;
	tp->t_termios.c_oflag = OPOST | ONLCR;
	tp->t_termios.c_cflag = B115200 | CS8 | CREAD | HUPCL | CLOCAL;
	tp->t_termios.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK |
	    ECHOCTL | ECHOKE | IEXTEN;
	tp->t_termios.c_line = 0;
	memcpy(tp->t_termios.c_cc, defcc, sizeof(defcc));
	tp->t_winsize.ws_row = 24;
	tp->t_winsize.ws_col = 80;
	tp->t_winsize.ws_xpixel = tp->t_winsize.ws_ypixel = 0;
	tp->t_len = tp->t_canon = 0;
	tp->t_column = tp->t_canon_column = 0;
	tp->t_lnext = tp->t_stopped = false;
}

/* Put one byte on the device, applying output processing. */
void
ttydisc_output(struct tty *tp, int c)
{
	c &= 0xff;
	if (O(tp, OPOST)) {
		if (c == '\n' && O(tp, ONLCR)) {
			tp->t_oproc(tp, '\r');
			tp->t_column = 0;
		} else if (c == '\r' && O(tp, OCRNL))
			c = '\n';
	}
	tp->t_oproc(tp, c);
	switch (c) {
	case '\n':
		if (O(tp, OPOST) && O(tp, ONLRET))
			tp->t_column = 0;
		break;
	case '\r':
		tp->t_column = 0;
		break;
	case '\t':
		tp->t_column = (tp->t_column | 7) + 1;
		break;
	case '\b':
		if (tp->t_column > 0)
			tp->t_column--;
		break;
	default:
		if (!is_ctrl(c) && (c & 0xc0) != 0x80)	/* not a UTF-8 tail */
			tp->t_column++;
	}
}

void
ttydisc_write(struct tty *tp, const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ttydisc_output(tp, buf[i]);
}

static void
ttydisc_outs(struct tty *tp, const char *s)
{
	while (*s != '\0')
		ttydisc_output(tp, *s++);
}

/* Echo one input byte: control characters as ^X under ECHOCTL. */
static void
ttydisc_echo(struct tty *tp, int c)
{
	if (!L(tp, ECHO))
		return;
	if (L(tp, ECHOCTL) && is_ctrl(c) && c != '\t' && c != '\n' &&
	    c != '\r') {
		ttydisc_output(tp, '^');
		ttydisc_output(tp, c == 0x7f ? '?' : c + '@');
	} else
		ttydisc_output(tp, c);
}

/* The column the edited line would end at, from t_canon_column. */
static int
ttydisc_line_column(const struct tty *tp)
{
	int col = tp->t_canon_column;

	for (int i = tp->t_canon; i < tp->t_len; i++) {
		int c = tp->t_buf[i];

		if (c == '\t')
			col = (col | 7) + 1;
		else if (is_ctrl(c))
			col += L(tp, ECHOCTL) ? 2 : 0;
		else if ((c & 0xc0) != 0x80)
			col++;
	}
	return (col);
}

/*
 * Take back the last byte of the edited line (a whole UTF-8 character
 * under IUTF8) and, with ECHOE, wipe it from the screen.
 */
static void
ttydisc_rubout(struct tty *tp)
{
	int c, n;

	if (tp->t_len == tp->t_canon)
		return;
	do {
		c = tp->t_buf[--tp->t_len];
	} while (I(tp, IUTF8) && (c & 0xc0) == 0x80 &&
	    tp->t_len > tp->t_canon);
	if (!L(tp, ECHO))
		return;
	if (!L(tp, ECHOE)) {
		ttydisc_echo(tp, CC(tp, VERASE));
		return;
	}
	if (c == '\t') {
		n = tp->t_column - ttydisc_line_column(tp);
		while (n-- > 0)
			ttydisc_output(tp, '\b');
		return;
	}
	n = (is_ctrl(c) && L(tp, ECHOCTL)) ? 2 : 1;
	if (is_ctrl(c) && !L(tp, ECHOCTL))
		n = 0;
	while (n-- > 0)
		ttydisc_outs(tp, "\b \b");
}

static bool
is_word_space(int c)
{
	return (c == ' ' || c == '\t');
}

/* Commit the edited line: it becomes readable. */
static void
ttydisc_commit(struct tty *tp)
{
	tp->t_canon = tp->t_len;
	tp->t_canon_column = tp->t_column;
	if (tp->t_wakeup != NULL)
		tp->t_wakeup(tp);
}

/* Append a byte; false when the buffer is full (the byte is dropped). */
static bool
ttydisc_store(struct tty *tp, int c, int flag)
{
	int limit = TTY_BUFSIZE;

	/* Canonical: keep the last slot for the byte that ends the line. */
	if (L(tp, ICANON) && flag == 0)
		limit--;
	if (tp->t_len >= limit) {
		tp->t_dropped++;
		if (I(tp, IMAXBEL) && L(tp, ECHO))
			ttydisc_output(tp, '\a');
		return (false);
	}
	tp->t_buf[tp->t_len] = (uint8_t)c;
	tp->t_flag[tp->t_len] = (uint8_t)flag;
	tp->t_len++;
	return (true);
}

void
ttydisc_flush(struct tty *tp, int which)
{
	if (which == TCIFLUSH || which == TCIOFLUSH) {
		tp->t_len = tp->t_canon = 0;
		tp->t_lnext = false;
	}
	/* Output is written through at once: there is no queue to flush. */
}

/* VINTR, VQUIT, VSUSP: flush unless NOFLSH, echo, signal. */
static void
ttydisc_isig(struct tty *tp, int c, int sig)
{
	if (!L(tp, NOFLSH))
		ttydisc_flush(tp, TCIOFLUSH);
	ttydisc_echo(tp, c);
	if (tp->t_signal != NULL)
		tp->t_signal(tp, sig);
}

void
ttydisc_rint(struct tty *tp, int c)
{
	c &= 0xff;
	if (I(tp, ISTRIP))
		c &= 0x7f;
	if (tp->t_lnext) {
		tp->t_lnext = false;
		if (L(tp, ECHO) && L(tp, ECHOCTL))
			ttydisc_outs(tp, "\b\b");
		goto literal;
	}
	if (L(tp, ISIG)) {
		if (is_cc(tp, VINTR, c)) {
			ttydisc_isig(tp, c, SIGINT);
			return;
		}
		if (is_cc(tp, VQUIT, c)) {
			ttydisc_isig(tp, c, SIGQUIT);
			return;
		}
		if (is_cc(tp, VSUSP, c)) {
			ttydisc_isig(tp, c, SIGTSTP);
			return;
		}
	}
	if (I(tp, IXON)) {
		if (is_cc(tp, VSTOP, c)) {
			tp->t_stopped = true;
			return;
		}
		if (is_cc(tp, VSTART, c)) {
			tp->t_stopped = false;
			return;
		}
	}
	if (c == '\r') {
		if (I(tp, IGNCR))
			return;
		if (I(tp, ICRNL))
			c = '\n';
	} else if (c == '\n' && I(tp, INLCR))
		c = '\r';

	if (!L(tp, ICANON)) {
		if (ttydisc_store(tp, c, 0))
			ttydisc_echo(tp, c);
		ttydisc_commit(tp);
		return;
	}
	if (L(tp, IEXTEN) && is_cc(tp, VLNEXT, c)) {
		tp->t_lnext = true;
		if (L(tp, ECHO) && L(tp, ECHOCTL))
			ttydisc_outs(tp, "^\b");
		return;
	}
	if (is_cc(tp, VERASE, c)) {
		ttydisc_rubout(tp);
		return;
	}
	if (is_cc(tp, VKILL, c)) {
		if (L(tp, ECHO) && L(tp, ECHOKE) && L(tp, ECHOE)) {
			while (tp->t_len > tp->t_canon)
				ttydisc_rubout(tp);
			return;
		}
		tp->t_len = tp->t_canon;
		ttydisc_echo(tp, c);
		if (L(tp, ECHOK) && L(tp, ECHO))
			ttydisc_output(tp, '\n');
		tp->t_column = tp->t_canon_column = 0;
		return;
	}
	if (L(tp, IEXTEN) && is_cc(tp, VWERASE, c)) {
		while (tp->t_len > tp->t_canon &&
		    is_word_space(tp->t_buf[tp->t_len - 1]))
			ttydisc_rubout(tp);
		while (tp->t_len > tp->t_canon &&
		    !is_word_space(tp->t_buf[tp->t_len - 1]))
			ttydisc_rubout(tp);
		return;
	}
	if (L(tp, IEXTEN) && is_cc(tp, VREPRINT, c)) {
		ttydisc_echo(tp, c);
		ttydisc_output(tp, '\n');
		for (int i = tp->t_canon; i < tp->t_len; i++)
			ttydisc_echo(tp, tp->t_buf[i]);
		return;
	}
	if (is_cc(tp, VEOF, c)) {
		if (ttydisc_store(tp, c, TTYF_EOF))
			ttydisc_commit(tp);
		return;
	}
	if (c == '\n' || is_cc(tp, VEOL, c) ||
	    (L(tp, IEXTEN) && is_cc(tp, VEOL2, c))) {
		if (!ttydisc_store(tp, c, TTYF_EOL))
			return;
		if (L(tp, ECHO))
			ttydisc_echo(tp, c);
		else if (c == '\n' && L(tp, ECHONL))
			ttydisc_output(tp, c);
		ttydisc_commit(tp);
		return;
	}
literal:
	if (ttydisc_store(tp, c, 0)) {
		ttydisc_echo(tp, c);
		if (!L(tp, ICANON))
			ttydisc_commit(tp);
	}
}

/* Remove the first n bytes of input. */
static void
ttydisc_consume(struct tty *tp, int n)
{
	memmove(tp->t_buf, tp->t_buf + n, tp->t_len - n);
	memmove(tp->t_flag, tp->t_flag + n, tp->t_len - n);
	tp->t_len -= n;
	tp->t_canon -= n;
}

bool
ttydisc_canread(const struct tty *tp)
{
	return (tp->t_canon > 0);
}

/* Bytes a read would return now (FIONREAD): EOF marks do not count. */
int
ttydisc_readable(const struct tty *tp)
{
	int n = 0;

	for (int i = 0; i < tp->t_canon; i++)
		if (!(tp->t_flag[i] & TTYF_EOF))
			n++;
	return (n);
}

/*
 * Canonical: up to one line, including its end byte but not an EOF mark;
 * 0 for an EOF mark at the start of a line.  Raw: what is there.
 */
int
ttydisc_read(struct tty *tp, char *buf, size_t n)
{
	int i, got = 0;

	if (tp->t_canon == 0)
		return (-EAGAIN);
	if (!L(tp, ICANON)) {
		got = MIN((int)n, tp->t_canon);
		memcpy(buf, tp->t_buf, got);
		ttydisc_consume(tp, got);
		return (got);
	}
	for (i = 0; i < tp->t_canon && got < (int)n; i++) {
		if (tp->t_flag[i] & TTYF_EOF) {
			i++;		/* consume the mark */
			break;
		}
		buf[got++] = (char)tp->t_buf[i];
		if (tp->t_flag[i] & TTYF_EOL) {
			i++;
			break;
		}
	}
	ttydisc_consume(tp, i);
	return (got);
}

/*
 * New settings.  Leaving canonical mode makes the edited line readable;
 * entering it keeps what is readable readable.
 */
void
ttydisc_setattr(struct tty *tp, const struct termios *t)
{
	bool wascanon = L(tp, ICANON);

	tp->t_termios = *t;
	if (wascanon && !L(tp, ICANON)) {
		/* EOF marks mean nothing in raw mode: drop them. */
		int j = 0;

		for (int i = 0; i < tp->t_len; i++) {
			if (tp->t_flag[i] & TTYF_EOF)
				continue;
			tp->t_buf[j] = tp->t_buf[i];
			tp->t_flag[j++] = 0;
		}
		tp->t_len = tp->t_canon = j;
	}
	if (!L(tp, ICANON))
		tp->t_canon = tp->t_len;
	if (tp->t_canon > 0 && tp->t_wakeup != NULL)
		tp->t_wakeup(tp);
}
