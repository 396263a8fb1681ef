/*
 * tty.c: host tests of the line discipline (kernel/tty_ldisc.c).
 *
 * Each test types bytes into a fresh tty with Linux's default settings
 * and checks exactly what a reader gets, what was echoed (after ONLCR)
 * and which signals went to the foreground group.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include <tty.h>
#include <uapi/errno.h>
#include <uapi/signal.h>

static struct tty tt;
static char outbuf[8192];
static int outlen;
static int sigs[16], nsigs, nwakeups;

static void
t_oproc(struct tty *tp, int c)
{
	if (outlen < (int)sizeof(outbuf) - 1)
		outbuf[outlen++] = (char)c;
	outbuf[outlen] = '\0';
}

static void
t_signal(struct tty *tp, int sig)
{
	if (nsigs < 16)
		sigs[nsigs++] = sig;
}

static void
t_wakeup(struct tty *tp)
{
	nwakeups++;
}

static int
setup(void **state)
{
	memset(&tt, 0, sizeof(tt));
	ttydisc_init(&tt);
	tt.t_oproc = t_oproc;
	tt.t_signal = t_signal;
	tt.t_wakeup = t_wakeup;
	outlen = 0;
	outbuf[0] = '\0';
	nsigs = nwakeups = 0;
	return (0);
}

static void
type(const char *s)
{
	while (*s != '\0')
		ttydisc_rint(&tt, (unsigned char)*s++);
}

static void
type_n(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ttydisc_rint(&tt, (unsigned char)s[i]);
}

static void
expect_read(const char *want, size_t n)
{
	char buf[TTY_BUFSIZE + 16];
	int got;

	memset(buf, 0, sizeof(buf));
	got = ttydisc_read(&tt, buf, n);
	assert_int_equal(got, (int)strlen(want));
	assert_memory_equal(buf, want, strlen(want));
}

static void
test_defaults(void **state)
{
	assert_int_equal(tt.t_termios.c_iflag & (ICRNL | IXON), ICRNL | IXON);
	assert_int_equal(tt.t_termios.c_oflag, OPOST | ONLCR);
	assert_true(tt.t_termios.c_lflag & ICANON);
	assert_int_equal(tt.t_termios.c_cc[VINTR], 3);
	assert_int_equal(tt.t_termios.c_cc[VERASE], 0x7f);
	assert_int_equal(tt.t_termios.c_cc[VEOF], 4);
	assert_int_equal(tt.t_termios.c_cc[VMIN], 1);
	assert_int_equal(tt.t_winsize.ws_row, 24);
	assert_int_equal(tt.t_winsize.ws_col, 80);
	assert_int_equal(sizeof(struct termios), 36);
	assert_int_equal(ttydisc_read(&tt, outbuf, 10), -EAGAIN);
}

/* A line is not readable until its end; CR becomes NL; echo uses ONLCR. */
static void
test_canonical_line(void **state)
{
	type("hello");
	assert_false(ttydisc_canread(&tt));
	assert_int_equal(ttydisc_read(&tt, outbuf, 100), -EAGAIN);
	assert_int_equal(nwakeups, 0);
	type("\r");
	assert_true(ttydisc_canread(&tt));
	assert_int_equal(nwakeups, 1);
	assert_string_equal(outbuf, "hello\r\n");
	expect_read("hello\n", 100);
	assert_int_equal(tt.t_len, 0);
}

/* One read returns one line; a short read leaves the rest of the line. */
static void
test_line_at_a_time(void **state)
{
	type("ab\ncd\n");
	assert_int_equal(ttydisc_readable(&tt), 6);
	expect_read("ab\n", 100);
	expect_read("c", 1);
	expect_read("d\n", 100);
	assert_int_equal(ttydisc_read(&tt, outbuf, 100), -EAGAIN);
}

static void
test_erase(void **state)
{
	type("abc\177\177x\n");
	expect_read("ax\n", 100);
	assert_string_equal(outbuf, "abc\b \b\b \bx\r\n");
	/* Erasing at the start of a line does nothing. */
	outlen = 0;
	type("\177\177q\n");
	expect_read("q\n", 100);
	assert_string_equal(outbuf, "q\r\n");
}

/* A control character echoed as ^X takes two columns to erase. */
static void
test_erase_ctrl_and_tab(void **state)
{
	type("a\001");
	assert_string_equal(outbuf, "a^A");
	outlen = 0;
	type("\177");
	assert_string_equal(outbuf, "\b \b\b \b");
	outlen = 0;
	type("\tb\177\177");	/* "a" then tab to column 8 */
	assert_string_equal(outbuf, "\tb\b \b\b\b\b\b\b\b\b");
	assert_int_equal(tt.t_column, 1);
	type("\n");
	expect_read("a\n", 100);
}

static void
test_kill_and_werase(void **state)
{
	type("one two  \027");		/* ^W: "two  " goes */
	type("\n");
	expect_read("one \n", 100);
	type("garbage\025fine\n");	/* ^U: the whole line goes */
	expect_read("fine\n", 100);
	/* Without ECHOKE: echo ^U and a newline (ECHOK). */
	tt.t_termios.c_lflag &= ~ECHOKE;
	outlen = 0;
	type("xy\025");
	assert_string_equal(outbuf, "xy^U\r\n");
	type("z\n");
	expect_read("z\n", 100);
}

/* ^D pushes a partial line without the ^D; at a line start it is EOF. */
static void
test_eof(void **state)
{
	type("abc\004");
	assert_true(ttydisc_canread(&tt));
	assert_int_equal(ttydisc_readable(&tt), 3);
	expect_read("abc", 100);
	assert_int_equal(ttydisc_read(&tt, outbuf, 100), -EAGAIN);
	type("\004");
	assert_int_equal(ttydisc_read(&tt, outbuf, 100), 0);
	assert_int_equal(tt.t_len, 0);
	/* ^D after a full line: the line, then EOF. */
	type("x\n\004");
	expect_read("x\n", 100);
	assert_int_equal(ttydisc_read(&tt, outbuf, 100), 0);
	assert_string_equal(outbuf, "abcx\r\n");	/* ^D not echoed */
}

static void
test_signals(void **state)
{
	type("partial\003");
	assert_int_equal(nsigs, 1);
	assert_int_equal(sigs[0], SIGINT);
	assert_int_equal(tt.t_len, 0);		/* flushed */
	assert_string_equal(outbuf, "partial^C");
	type("\034\032");
	assert_int_equal(nsigs, 3);
	assert_int_equal(sigs[1], SIGQUIT);
	assert_int_equal(sigs[2], SIGTSTP);
	/* NOFLSH keeps the input; without ISIG ^C is a plain byte. */
	tt.t_termios.c_lflag |= NOFLSH;
	type("ab\003");
	assert_int_equal(tt.t_len, 2);
	assert_int_equal(nsigs, 4);
	tt.t_termios.c_lflag &= ~ISIG;
	type("\003\n");
	assert_int_equal(nsigs, 4);
	expect_read("ab\003\n", 100);
}

/* Raw mode: every byte readable at once, no editing, no CR mapping. */
static void
test_raw_mode(void **state)
{
	struct termios t = tt.t_termios;

	t.c_lflag &= ~(ICANON | ECHO | ISIG);
	t.c_iflag &= ~ICRNL;
	ttydisc_setattr(&tt, &t);
	type("a\177\r\004\003");
	assert_int_equal(nsigs, 0);
	assert_int_equal(outlen, 0);
	assert_int_equal(ttydisc_readable(&tt), 5);
	expect_read("a\177", 2);
	expect_read("\r\004\003", 100);
}

/* Switching to raw makes the edited line readable. */
static void
test_canon_to_raw(void **state)
{
	struct termios t = tt.t_termios;

	type("done\npend");
	t.c_lflag &= ~ICANON;
	ttydisc_setattr(&tt, &t);
	assert_int_equal(ttydisc_readable(&tt), 9);
	expect_read("done\npend", 100);
}

/* A full canonical buffer drops bytes but still takes the line end. */
static void
test_buffer_limit(void **state)
{
	static char big[TTY_BUFSIZE + 100];

	memset(big, 'x', sizeof(big));
	tt.t_termios.c_lflag &= ~ECHO;
	type_n(big, sizeof(big));
	assert_int_equal(tt.t_len, TTY_BUFSIZE - 1);
	assert_int_equal(tt.t_dropped, 101);
	type("\n");
	assert_int_equal(tt.t_len, TTY_BUFSIZE);
	assert_int_equal(ttydisc_readable(&tt), TTY_BUFSIZE);
	memset(big, 0, sizeof(big));
	assert_int_equal(ttydisc_read(&tt, big, sizeof(big)), TTY_BUFSIZE);
	assert_int_equal(big[TTY_BUFSIZE - 1], '\n');
	assert_int_equal(big[0], 'x');
}

static void
test_output_mapping(void **state)
{
	ttydisc_write(&tt, "a\nb\r", 4);
	assert_string_equal(outbuf, "a\r\nb\r");
	outlen = 0;
	tt.t_termios.c_oflag &= ~OPOST;
	ttydisc_write(&tt, "a\nb", 3);
	assert_string_equal(outbuf, "a\nb");
	outlen = 0;
	tt.t_termios.c_oflag = OPOST | OCRNL;
	ttydisc_write(&tt, "\r", 1);
	assert_string_equal(outbuf, "\n");
}

static void
test_echo_flags(void **state)
{
	/* ECHO off, ECHONL on: only the newline shows. */
	tt.t_termios.c_lflag &= ~ECHO;
	tt.t_termios.c_lflag |= ECHONL;
	type("secret\n");
	assert_string_equal(outbuf, "\r\n");
	expect_read("secret\n", 100);
	/* Without ECHOCTL, control characters echo as themselves. */
	tt.t_termios.c_lflag |= ECHO;
	tt.t_termios.c_lflag &= ~ECHOCTL;
	outlen = 0;
	type("\001");
	assert_int_equal(outlen, 1);
	assert_int_equal(outbuf[0], 1);
	/* Without ECHOE, erase echoes the erase character. */
	tt.t_termios.c_lflag |= ECHOCTL;
	tt.t_termios.c_lflag &= ~ECHOE;
	outlen = 0;
	type("\177");
	assert_string_equal(outbuf, "^?");
}

static void
test_lnext_and_ixon(void **state)
{
	type("\026\003\026\177x\n");	/* ^V^C ^V DEL, taken literally */
	assert_int_equal(nsigs, 0);
	expect_read("\003\177x\n", 100);
	type("\023");			/* ^S: swallowed, output stopped */
	assert_true(tt.t_stopped);
	type("\021");
	assert_false(tt.t_stopped);
	assert_int_equal(tt.t_len, 0);
	/* IGNCR drops CR; INLCR maps NL to CR (no line end then). */
	tt.t_termios.c_iflag |= IGNCR;
	type("a\rb\n");
	expect_read("ab\n", 100);
}

static void
test_utf8_erase(void **state)
{
	type("a\xc3\xa9\177\n");	/* erase takes the whole e-acute */
	expect_read("a\n", 100);
	assert_string_equal(outbuf, "a\xc3\xa9\b \b\r\n");
}

static void
test_flush(void **state)
{
	type("abc\ndef");
	ttydisc_flush(&tt, TCOFLUSH);
	assert_int_equal(tt.t_len, 7);
	ttydisc_flush(&tt, TCIFLUSH);
	assert_int_equal(tt.t_len, 0);
	assert_int_equal(ttydisc_read(&tt, outbuf, 10), -EAGAIN);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_defaults, setup),
		cmocka_unit_test_setup(test_canonical_line, setup),
		cmocka_unit_test_setup(test_line_at_a_time, setup),
		cmocka_unit_test_setup(test_erase, setup),
		cmocka_unit_test_setup(test_erase_ctrl_and_tab, setup),
		cmocka_unit_test_setup(test_kill_and_werase, setup),
		cmocka_unit_test_setup(test_eof, setup),
		cmocka_unit_test_setup(test_signals, setup),
		cmocka_unit_test_setup(test_raw_mode, setup),
		cmocka_unit_test_setup(test_canon_to_raw, setup),
		cmocka_unit_test_setup(test_buffer_limit, setup),
		cmocka_unit_test_setup(test_output_mapping, setup),
		cmocka_unit_test_setup(test_echo_flags, setup),
		cmocka_unit_test_setup(test_lnext_and_ixon, setup),
		cmocka_unit_test_setup(test_utf8_erase, setup),
		cmocka_unit_test_setup(test_flush, setup),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
