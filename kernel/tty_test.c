/*
 * tty_test.c: self tests of the tty layer on a private terminal whose
 * output is captured: input through tty_input, reads through uios with
 * O_NONBLOCK, poll, and the ioctl errors a wrong kernel would not give.
 */
#include <cdev.h>
#include <kernel.h>
#include <ktest.h>
#include <libkern.h>
#include <tty.h>
#include <uapi/errno.h>
#include <uio.h>

static struct tty ktt;
static char ktt_out[256];
static int ktt_outlen;

static void
ktt_oproc(struct tty *tp, int c)
{
	if (ktt_outlen < (int)sizeof(ktt_out) - 1)
		ktt_out[ktt_outlen++] = (char)c;
	ktt_out[ktt_outlen] = '\0';
}

static void
ktt_setup(void)
{
	memset(&ktt, 0, sizeof(ktt));
	spin_init(&ktt.t_lock, "ktesttty");
	ttydisc_init(&ktt);
	ktt.t_oproc = ktt_oproc;
	ktt_outlen = 0;
	ktt_out[0] = '\0';
}

static void
ktt_type(const char *s)
{
	while (*s != '\0')
		tty_input(&ktt, (unsigned char)*s++);
}

/* read(2) with O_NONBLOCK into buf: bytes or a negative errno. */
static int
ktt_read(char *buf, size_t n)
{
	struct iovec iov = { buf, n };
	struct uio uio = { &iov, 1, 0, (ssize_t)n, UIO_SYSSPACE, UIO_READ };
	int error;

	error = tty_read(&ktt, &uio, IO_NDELAY);
	return (error != 0 ? error : (int)(n - uio.uio_resid));
}

KTEST(tty_read_lines)
{
	char buf[64];

	ktt_setup();
	KT_EQ(ktt_read(buf, sizeof(buf)), -EAGAIN);
	ktt_type("ls -l\177\177-a\r");
	KT_EQ(tty_poll(&ktt, 0x1 | 0x4), 0x1 | 0x4);
	memset(buf, 0, sizeof(buf));
	KT_EQ(ktt_read(buf, sizeof(buf)), 6);
	KT_ASSERT(memcmp(buf, "ls -a\n", 6) == 0);
	KT_EQ(tty_poll(&ktt, 0x1 | 0x4), 0x4);
	KT_EQ(ktt_read(buf, sizeof(buf)), -EAGAIN);
	KT_ASSERT(strcmp(ktt_out, "ls -l\b \b\b \b-a\r\n") == 0);
	ktt_type("\004");
	KT_EQ(ktt_read(buf, sizeof(buf)), 0);	/* EOF */
}

KTEST(tty_read_raw_vmin0)
{
	struct termios t;
	char buf[16];

	ktt_setup();
	t = ktt.t_termios;
	t.c_lflag &= ~(ICANON | ECHO);
	t.c_cc[VMIN] = 0;
	t.c_cc[VTIME] = 0;
	ttydisc_setattr(&ktt, &t);
	KT_EQ(ktt_read(buf, sizeof(buf)), 0);	/* polling read: 0, no wait */
	ktt_type("xyz");
	KT_EQ(ktt_read(buf, 2), 2);
	KT_ASSERT(buf[0] == 'x' && buf[1] == 'y');
	KT_EQ(ktt_read(buf, sizeof(buf)), 1);
	KT_EQ(ktt_outlen, 0);
}

KTEST(tty_ioctl_errors)
{
	ktt_setup();
	/* Kernel addresses are not user memory. */
	KT_EQ(tty_ioctl(&ktt, TCGETS, &ktt, 0), -EFAULT);
	KT_EQ(tty_ioctl(&ktt, TIOCGWINSZ, (void *)0xffff800000001000, 0),
	    -EFAULT);
	KT_EQ(tty_ioctl(&ktt, 0x5499, NULL, 0), -ENOTTY);
	KT_EQ(tty_ioctl(&ktt, TCFLSH, (void *)7, 0), -EINVAL);
	KT_EQ(tty_ioctl(&ktt, TCXONC, (void *)4, 0), -EINVAL);
	KT_EQ(tty_ioctl(&ktt, TCXONC, (void *)TCOON, 0), 0);
	/* No process: no controlling terminal. */
	KT_EQ(tty_ioctl(&ktt, TIOCGPGRP, NULL, 0), -ENOTTY);
	KT_EQ(tty_ioctl(&ktt, TIOCGSID, NULL, 0), -ENOTTY);
	KT_EQ(tty_ioctl(&ktt, TIOCNOTTY, NULL, 0), -ENOTTY);
	ktt_type("abc\n");
	KT_EQ(tty_ioctl(&ktt, TCFLSH, (void *)TCIFLUSH, 0), 0);
	KT_EQ(ktt.t_len, 0);
}

KTEST(tty_console_exists)
{
	KT_ASSERT(constty != NULL);
	KT_EQ(constty->t_winsize.ws_col, 80);
	KT_ASSERT(constty->t_termios.c_lflag & ICANON);
}
