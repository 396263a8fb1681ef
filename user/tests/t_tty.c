/*
 * t_tty.c: the console tty and the simple devices.
 *
 * /dev/console must be a terminal: isatty, TCGETS/TCSETS round trip and
 * TIOCGWINSZ succeed on it, while the same calls on a pipe or a regular
 * file fail with ENOTTY.  The console is opened with O_NOCTTY and its
 * settings are put back as they were.  /dev/null and /dev/zero behave as
 * in Linux.
 */
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>

#include "t.h"

int
main(void)
{
	struct termios t, t2, saved;
	struct winsize ws;
	struct stat st;
	char buf[64];
	int fd, p[2];

	t_init();
	fd = open("/dev/console", O_RDWR | O_NOCTTY);
	CHECK("console-open", fd >= 0);
	CHECK("console-chardev", fstat(fd, &st) == 0 && S_ISCHR(st.st_mode));
	CHECK_EQ("console-isatty", isatty(fd), 1);
	CHECK_EQ("console-tcgets", ioctl(fd, TCGETS, &t), 0);
	CHECK("console-termios-sane", (t.c_lflag & ICANON) &&
	    (t.c_cflag & CREAD) && t.c_cc[VINTR] == 3);
	saved = t;
	t.c_lflag &= ~ECHO;
	ioctl(fd, TCSETS, &t);
	CHECK("console-tcsets-roundtrip", ioctl(fd, TCGETS, &t2) == 0 &&
	    !(t2.c_lflag & ECHO) && (t2.c_lflag & ICANON));
	CHECK_EQ("console-tcsets-restore", ioctl(fd, TCSETS, &saved), 0);
	memset(&ws, 0xff, sizeof(ws));
	CHECK("console-tiocgwinsz", ioctl(fd, TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_row < 10000 && ws.ws_col < 10000);
	CHECK_ERR("console-bad-ioctl", ioctl(fd, 0x5401ff, 0), ENOTTY);
	CHECK_ERR("console-tcgets-efault", ioctl(fd, TCGETS, T_LOW), EFAULT);
	close(fd);

	/* Not terminals. */
	pipe(p);
	errno = 0;
	CHECK("pipe-not-tty", isatty(p[0]) == 0 && errno == ENOTTY);
	CHECK_ERR("pipe-tcgets", ioctl(p[0], TCGETS, &t), ENOTTY);
	close(p[0]);
	close(p[1]);
	fd = open("/dev/null", O_RDWR);
	CHECK("devnull-not-tty", fd >= 0 && isatty(fd) == 0 && errno == ENOTTY);
	CHECK_EQ("devnull-read-eof", read(fd, buf, sizeof(buf)), 0);
	CHECK_EQ("devnull-write", write(fd, buf, sizeof(buf)), sizeof(buf));
	close(fd);
	fd = open("/dev/zero", O_RDONLY);
	memset(buf, 'x', sizeof(buf));
	CHECK("devzero-read", fd >= 0 && read(fd, buf, sizeof(buf)) ==
	    sizeof(buf) && buf[0] == 0 && buf[sizeof(buf) - 1] == 0);
	close(fd);
	CHECK_ERR("badfd-isatty", ioctl(999, TCGETS, &t), EBADF);
	return (t_done());
}
