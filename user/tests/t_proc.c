/*
 * t_proc.c: fork, _exit, wait4/waitpid and exit statuses.
 *
 * Each exit status is checked with the exact value Linux encodes (the low
 * byte of the exit code, the terminating signal), so a kernel that loses
 * bits or mixes the two forms fails.  The orphan check relies on init
 * (pid 1) reaping: on the host it holds inside any PID namespace whose init
 * reaps, and the check accepts a subreaper only if it is pid 1.
 */
#include <signal.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "t.h"

static pid_t
child_exit(int code)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(code);
	return (pid);
}

static void
check_exit(const char *name, int code)
{
	pid_t pid = child_exit(code);
	int status = -1;
	pid_t w = waitpid(pid, &status, 0);

	if (w == pid && WIFEXITED(status) && !WIFSIGNALED(status) &&
	    WEXITSTATUS(status) == code)
		t_pass(name);
	else
		t_fail(name, "waitpid %d (pid %d) status %#x, expected exit %d",
		    (int)w, (int)pid, status, code);
}

static void
check_signal(const char *name, int sig, void (*body)(void))
{
	pid_t pid = fork();
	int status = -1;

	if (pid == 0) {
		body();
		_exit(99);
	}
	if (waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) &&
	    WTERMSIG(status) == sig && !WIFEXITED(status))
		t_pass(name);
	else
		t_fail(name, "status %#x, expected signal %d", status, sig);
}

static int *volatile bad_ptr = (int *)8;

static void
do_segv(void)
{
	signal(SIGSEGV, SIG_DFL);
	*bad_ptr = 1;
}

static void
do_kill(void)
{
	kill(getpid(), SIGKILL);
	for (;;)
		pause();
}

static void
do_abort(void)
{
	abort();
}

int
main(void)
{
	int status, fds[2];
	pid_t pid, w;
	char c;

	t_init();
	check_exit("exit-0", 0);
	check_exit("exit-1", 1);
	check_exit("exit-42", 42);
	check_exit("exit-255", 255);

	/* Only the low 8 bits of the exit code survive. */
	pid = child_exit(256 + 7);
	waitpid(pid, &status, 0);
	CHECK_EQ("exit-low-byte", WEXITSTATUS(status), 7);

	check_signal("signaled-segv", SIGSEGV, do_segv);
	check_signal("signaled-kill", SIGKILL, do_kill);
	check_signal("signaled-abort", SIGABRT, do_abort);

	/* fork returns the child's pid in the parent, 0 in the child. */
	if (pipe(fds) < 0)
		t_fail("fork-pids", "pipe: %s", strerror(errno));
	pid = fork();
	if (pid == 0) {
		pid_t me = getpid(), pp = getppid();

		write(fds[1], &me, sizeof(me));
		write(fds[1], &pp, sizeof(pp));
		_exit(0);
	} else {
		pid_t me = 0, pp = 0;

		read(fds[0], &me, sizeof(me));
		read(fds[0], &pp, sizeof(pp));
		waitpid(pid, NULL, 0);
		if (pid > 0 && me == pid && pp == getpid())
			t_pass("fork-pids");
		else
			t_fail("fork-pids", "fork %d, child getpid %d getppid %d "
			    "(parent %d)", (int)pid, (int)me, (int)pp,
			    (int)getpid());
	}

	/* Copy-on-write: the child's writes are not seen by the parent. */
	{
		static volatile int shared = 5;

		pid = fork();
		if (pid == 0) {
			shared = 6;
			_exit(shared);
		}
		waitpid(pid, &status, 0);
		CHECK("fork-cow", shared == 5 && WIFEXITED(status) &&
		    WEXITSTATUS(status) == 6);
	}

	/* WNOHANG: 0 while the child runs, its pid once it exited. */
	if (pipe(fds) == 0) {
		pid = fork();
		if (pid == 0) {
			close(fds[1]);
			read(fds[0], &c, 1);	/* wait for the parent */
			_exit(3);
		}
		close(fds[0]);
		status = 0;
		w = waitpid(pid, &status, WNOHANG);
		CHECK_EQ("wnohang-running", w, 0);
		close(fds[1]);		/* EOF lets the child go */
		w = waitpid(pid, &status, 0);
		CHECK("wnohang-then-wait", w == pid && WIFEXITED(status) &&
		    WEXITSTATUS(status) == 3);
	}

	/* No children left: ECHILD, blocking or not. */
	CHECK_ERR("echild-wait", waitpid(-1, &status, 0), ECHILD);
	CHECK_ERR("echild-wnohang", waitpid(-1, &status, WNOHANG), ECHILD);
	CHECK_ERR("echild-notmine", waitpid(1, &status, 0), ECHILD);

	/* waitpid(-1) returns each child exactly once. */
	{
		pid_t a = child_exit(11), b = child_exit(12);
		int seen = 0, sa = 0, sb = 0;

		for (int i = 0; i < 2; i++) {
			w = waitpid(-1, &status, 0);
			if (w == a && !(seen & 1)) {
				seen |= 1;
				sa = WEXITSTATUS(status);
			} else if (w == b && !(seen & 2)) {
				seen |= 2;
				sb = WEXITSTATUS(status);
			}
		}
		CHECK("wait-any-each-once", seen == 3 && sa == 11 && sb == 12 &&
		    waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD);
	}

	/* A zombie stays until reaped: kill(pid, 0) still finds it. */
	pid = child_exit(0);
	usleep(100000);
	CHECK_EQ("zombie-exists", kill(pid, 0), 0);
	waitpid(pid, NULL, 0);
	CHECK_ERR("zombie-reaped", kill(pid, 0), ESRCH);

	/*
	 * Orphans: a grandchild whose parent exits is reparented to init
	 * (getppid() == 1) and reaped by it.
	 */
	if (pipe(fds) == 0) {
		pid = fork();
		if (pid == 0) {
			pid_t g = fork();

			if (g == 0) {
				pid_t pp;

				close(fds[0]);
				/* Wait until the parent is gone. */
				for (int i = 0; i < 500 && getppid() != 1; i++)
					usleep(10000);
				pp = getppid();
				write(fds[1], &pp, sizeof(pp));
				_exit(0);
			}
			_exit(0);
		}
		close(fds[1]);
		waitpid(pid, NULL, 0);
		pid_t pp = -1;
		ssize_t n = read(fds[0], &pp, sizeof(pp));
		close(fds[0]);
		if (n == sizeof(pp) && pp == 1)
			t_pass("orphan-reparented-to-init");
		else
			t_fail("orphan-reparented-to-init",
			    "grandchild's getppid() %d after its parent exited",
			    (int)pp);
		/* The grandchild is not ours to wait for. */
		CHECK_ERR("orphan-not-waitable", waitpid(-1, NULL, WNOHANG),
		    ECHILD);
	}

	/* init reaps the orphan once it exits: its pid disappears. */
	{
		int life[2];
		pid_t g = -1;
		int gone = 0;

		pipe(fds);
		pipe(life);
		pid = fork();
		if (pid == 0) {
			g = fork();
			if (g == 0) {
				/* Exit once the parent is gone (EOF). */
				close(life[1]);
				read(life[0], &c, 1);
				_exit(0);
			}
			write(fds[1], &g, sizeof(g));
			_exit(0);
		}
		close(life[1]);
		close(fds[1]);
		read(fds[0], &g, sizeof(g));
		waitpid(pid, NULL, 0);
		close(fds[0]);
		close(life[0]);
		for (int i = 0; i < 300 && !gone; i++) {
			if (kill(g, 0) == -1 && errno == ESRCH)
				gone = 1;
			else
				usleep(10000);
		}
		if (g > 0 && gone)
			t_pass("orphan-reaped-by-init");
		else
			t_fail("orphan-reaped-by-init", "pid %d still exists 3 s "
			    "after it exited as an orphan", (int)g);
	}

	/* wait4 fills in rusage and returns the same status. */
	{
		struct rusage ru;

		memset(&ru, 0xff, sizeof(ru));
		pid = child_exit(9);
		w = wait4(pid, &status, 0, &ru);
		CHECK("wait4-rusage", w == pid && WEXITSTATUS(status) == 9 &&
		    ru.ru_utime.tv_usec >= 0 && ru.ru_utime.tv_usec < 1000000);
	}

	/* Bad options are rejected. */
	CHECK_ERR("waitpid-bad-options", waitpid(-1, &status, 0x1000),
	    EINVAL);

	/* Many children in a row: pids are reused or not, all get reaped. */
	{
		int ok = 1;

		for (int i = 0; i < 50 && ok; i++) {
			pid = child_exit(i);
			if (pid < 0 || waitpid(pid, &status, 0) != pid ||
			    WEXITSTATUS(status) != i)
				ok = 0;
		}
		CHECK("fork-50-times", ok);
	}
	return (t_done());
}
