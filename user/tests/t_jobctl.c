/*
 * t_jobctl.c: job control on the controlling terminal.
 *
 * Needs a controlling terminal: /dev/tty, or (as a session leader
 * without one, which runtests makes every test) the console taken with
 * TIOCSCTTY as root; without either the checks are skipped with a note.  The tested processes are children put into their own process
 * group, which is therefore a background group of the session: reading
 * the terminal stops them with SIGTTIN (EIO when SIGTTIN is ignored),
 * writing with TOSTOP stops them with SIGTTOU.  Also the ioctls that
 * name groups and sessions, with their Linux errors.
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>

#include "t.h"

/*
 * Run fn in a child, in a new (background) process group when newpg;
 * returns the wait status (a stopped child is killed after).
 */
static int
in_child(void (*fn)(int), int fd, int options, int newpg)
{
	pid_t pid = fork();
	int status = -1;

	if (pid == 0) {
		if (newpg)
			setpgid(0, 0);
		fn(fd);
		_exit(0);
	}
	if (newpg)
		setpgid(pid, pid);
	if (waitpid(pid, &status, options) != pid)
		return (-1);
	if (WIFSTOPPED(status)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	return (status);
}

static void
bg_read(int fd)
{
	char c;

	signal(SIGTTIN, SIG_DFL);
	read(fd, &c, 1);
	_exit(1);		/* must not get here */
}

static void
bg_read_ignored(int fd)
{
	char c;

	signal(SIGTTIN, SIG_IGN);
	_exit(read(fd, &c, 1) == -1 && errno == EIO ? 7 : 8);
}

static void
bg_write_tostop(int fd)
{
	signal(SIGTTOU, SIG_DFL);
	write(fd, "x\b \b", 4);
	_exit(1);
}

static void
bg_setpgrp_nonexistent(int fd)
{
	pid_t pg = 999999;

	signal(SIGTTOU, SIG_IGN);
	_exit(ioctl(fd, TIOCSPGRP, &pg) == -1 && errno == ESRCH ? 7 : 8);
}

static void
sctty_not_leader(int fd)
{
	_exit(ioctl(fd, TIOCSCTTY, 0) == -1 && errno == EPERM ? 7 : 8);
}

static void
new_session_no_tty(int fd)
{
	if (setsid() < 0)
		_exit(2);
	/* No controlling terminal now: /dev/tty is ENXIO, TIOCGPGRP ENOTTY. */
	if (open("/dev/tty", O_RDWR) != -1 || errno != ENXIO)
		_exit(3);
	if (tcgetpgrp(fd) != -1 || errno != ENOTTY)
		_exit(4);
	_exit(7);
}

static int hup_fd = -1;

static void
on_hup(int s)
{
	(void)write(hup_fd, "H", 1);
	_exit(0);
}

/*
 * POSIX: when a process group becomes orphaned (its last member with a
 * parent in another group of the session exits) and a member is
 * stopped, the group gets SIGHUP then SIGCONT -- nobody is left to
 * continue it.  P makes a group, its child C stops itself, P exits: C
 * must wake up with SIGHUP.  (Mica left such orphans stopped for ever.)
 */
static void
orphaned_stopped_group(void)
{
	int fd[2], st;
	char c = 0;
	pid_t p;
	struct pollfd pfd;

	CHECK("orphan: pipe", pipe(fd) == 0);
	p = fork();
	if (p == 0) {
		pid_t k;

		setpgid(0, 0);
		k = fork();
		if (k == 0) {
			hup_fd = fd[1];
			signal(SIGHUP, on_hup);
			kill(getpid(), SIGSTOP);
			_exit(9);	/* continued without SIGHUP */
		}
		/* Exit once the child is stopped. */
		if (k < 0 || waitpid(k, &st, WUNTRACED) != k ||
		    !WIFSTOPPED(st))
			_exit(1);
		_exit(0);
	}
	close(fd[1]);
	CHECK("orphan: the middle process saw its child stop", p > 0 &&
	    waitpid(p, &st, 0) == p && WIFEXITED(st) &&
	    WEXITSTATUS(st) == 0);
	pfd.fd = fd[0];
	pfd.events = POLLIN;
	CHECK("orphan: the stopped child got SIGHUP and SIGCONT",
	    poll(&pfd, 1, 3000) == 1 && read(fd[0], &c, 1) == 1 && c == 'H');
	close(fd[0]);
}

int
main(void)
{
	struct termios t, saved;
	pid_t fg, sid = -1;
	int fd, status, n;

	t_init();
	orphaned_stopped_group();
	signal(SIGTTOU, SIG_IGN);	/* we may be in the background too */
	fd = open("/dev/tty", O_RDWR);
	if (fd < 0 && getsid(0) == getpid()) {
		/*
		 * A session leader without a terminal (runtests gives each
		 * test its own session): take the console, as root may.
		 */
		fd = open("/dev/console", O_RDWR | O_NOCTTY);
		if (fd >= 0 && (ioctl(fd, TIOCSCTTY, 1) != 0 ||
		    tcsetpgrp(fd, getpgrp()) != 0)) {
			close(fd);
			fd = -1;
		}
	}
	if (fd < 0 || (fg = tcgetpgrp(fd)) < 0) {
		printf("PASS jobctl-skipped: no controlling terminal (%s)\n",
		    strerror(errno));
		return (0);
	}
	CHECK("tty-isatty", isatty(fd));
	CHECK_EQ("tiocgsid", ioctl(fd, TIOCGSID, &sid), 0);
	CHECK_EQ("tiocgsid-is-getsid", sid, getsid(0));
	status = in_child(sctty_not_leader, fd, 0, 0);
	CHECK("tiocsctty-not-leader", status != -1 && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 7);
	n = -1;
	CHECK("fionread", ioctl(fd, FIONREAD, &n) == 0 && n >= 0);
	{
		pid_t bad = -3;

		CHECK_ERR("tiocspgrp-negative", ioctl(fd, TIOCSPGRP, &bad),
		    EINVAL);
	}

	status = in_child(bg_read, fd, WUNTRACED, 1);
	CHECK("bg-read-sigttin", status != -1 && WIFSTOPPED(status) &&
	    WSTOPSIG(status) == SIGTTIN);
	status = in_child(bg_read_ignored, fd, 0, 1);
	CHECK("bg-read-ignored-eio", status != -1 && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 7);
	status = in_child(bg_setpgrp_nonexistent, fd, 0, 1);
	CHECK("tiocspgrp-esrch", status != -1 && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 7);
	status = in_child(new_session_no_tty, fd, 0, 0);
	CHECK_EQ("setsid-loses-tty", WIFEXITED(status) ? WEXITSTATUS(status) :
	    -1, 7);

	/* TOSTOP: a background write stops with SIGTTOU. */
	if (tcgetattr(fd, &saved) == 0) {
		t = saved;
		t.c_lflag |= TOSTOP;
		tcsetattr(fd, TCSANOW, &t);
		status = in_child(bg_write_tostop, fd, WUNTRACED, 1);
		tcsetattr(fd, TCSANOW, &saved);
		CHECK("bg-write-tostop-sigttou", status != -1 &&
		    WIFSTOPPED(status) && WSTOPSIG(status) == SIGTTOU);
	}
	CHECK_EQ("foreground-unchanged", tcgetpgrp(fd), fg);
	close(fd);
	return (t_done());
}
