/*
 * t_kqueue_proc.c: the kqueue filters that watch no descriptor --
 * EVFILT_PROC, EVFILT_SIGNAL, EVFILT_TIMER, EVFILT_USER -- and kevent's
 * timeout and EINTR.
 *
 * Expected values are FreeBSD's kqueue(2): NOTE_EXIT puts "the exit status
 * ... in data in the same format as the status returned by wait(2)";
 * NOTE_TRACK makes the child "signal an event with NOTE_CHILD set in
 * fflags and the parent PID in data"; a signal event's data is "the
 * number of times the signal has occurred since the last call to
 * kevent()", counted "even if the signal is ignored"; a timer's data is
 * "the number of times the timeout has expired since the last call";
 * EVFILT_USER's fflags follow NOTE_FFAND/FFOR/FFCOPY.
 */
#include <fcntl.h>
#include <signal.h>
#include <sys/time.h>
#include <sys/wait.h>

#include "kq.h"

static void
test_proc_exit(void)
{
	struct kevent ev[4];
	int kq = kqueue(), go[2], n, status;
	pid_t pid;
	char c;

	pipe(go);
	pid = fork();
	if (pid == 0) {
		read(go[0], &c, 1);
		_exit(7);
	}
	CHECK_EQ("proc-add", kq_change(kq, pid, EVFILT_PROC, EV_ADD,
	    NOTE_EXIT, 0, (void *)0x99), 0);
	CHECK_EQ("proc-idle", kq_poll(kq, ev, 4), 0);
	write(go[1], "g", 1);
	n = kevent(kq, NULL, 0, ev, 4, NULL);
	CHECK("proc-exit-event", n == 1 && ev[0].ident == (uintptr_t)pid &&
	    ev[0].filter == EVFILT_PROC && (ev[0].fflags & NOTE_EXIT));
	CHECK_EQ("proc-exit-status", ev[0].data, 7 << 8);
	CHECK("proc-exit-eof", (ev[0].flags & EV_EOF) != 0);
	CHECK("proc-exit-udata", ev[0].udata == (void *)0x99);
	/* Reported once: the knote is gone after NOTE_EXIT. */
	CHECK_EQ("proc-exit-once", kq_poll(kq, ev, 4), 0);
	CHECK_EQ("proc-waitpid-still", waitpid(pid, &status, 0), pid);
	CHECK("proc-wait-agrees", WIFEXITED(status) &&
	    WEXITSTATUS(status) == 7);
	/* A reaped process: ESRCH. */
	CHECK_ERR("proc-esrch", kq_change(kq, pid, EVFILT_PROC, EV_ADD,
	    NOTE_EXIT, 0, NULL), ESRCH);
	CHECK_ERR("proc-esrch-huge", kq_change(kq, 999999, EVFILT_PROC,
	    EV_ADD, NOTE_EXIT, 0, NULL), ESRCH);
	/*
	 * Exited but not reaped: NOTE_EXIT is reported at once (FreeBSD);
	 * without NOTE_EXIT there is nothing left to watch: ESRCH.
	 */
	pid = fork();
	if (pid == 0)
		_exit(9);
	kq_msleep(100);		/* the child is a zombie by now */
	CHECK_ERR("proc-zombie-no-exit", kq_change(kq, pid, EVFILT_PROC,
	    EV_ADD, NOTE_FORK, 0, NULL), ESRCH);
	CHECK_EQ("proc-zombie-add", kq_change(kq, pid, EVFILT_PROC, EV_ADD,
	    NOTE_EXIT, 0, NULL), 0);
	n = kq_poll(kq, ev, 4);
	CHECK("proc-zombie-exit-now", n == 1 && (ev[0].fflags & NOTE_EXIT) &&
	    ev[0].data == (9 << 8) && (ev[0].flags & EV_EOF));
	CHECK_EQ("proc-zombie-once", kq_poll(kq, ev, 4), 0);
	waitpid(pid, NULL, 0);
	close(go[0]);
	close(go[1]);
	close(kq);
}

static void
test_proc_fork_exec(const char *self)
{
	struct kevent ev[8];
	int kq = kqueue(), go[2], n, gotfork = 0, gotexec = 0, gotexit = 0;
	pid_t pid;
	char c;

	pipe(go);
	pid = fork();
	if (pid == 0) {
		read(go[0], &c, 1);
		if (fork() == 0)
			_exit(0);
		wait(NULL);
		read(go[0], &c, 1);
		execl(self, self, "--exit3", (char *)NULL);
		_exit(99);
	}
	kq_change(kq, pid, EVFILT_PROC, EV_ADD, NOTE_FORK | NOTE_EXEC |
	    NOTE_EXIT, 0, NULL);
	write(go[1], "f", 1);
	n = kevent(kq, NULL, 0, ev, 8, NULL);
	gotfork = (n == 1 && (ev[0].fflags & NOTE_FORK));
	CHECK("proc-note-fork", gotfork);
	write(go[1], "e", 1);
	/* NOTE_EXEC, then NOTE_EXIT with status 3 (maybe in one event). */
	for (int tries = 0; tries < 4 && !gotexit; tries++) {
		n = kevent(kq, NULL, 0, ev, 8, NULL);
		for (int i = 0; i < n; i++) {
			if (ev[i].fflags & NOTE_EXEC)
				gotexec = 1;
			if (ev[i].fflags & NOTE_EXIT)
				gotexit = (ev[i].data == (3 << 8)) ? 1 : -1;
		}
	}
	CHECK("proc-note-exec", gotexec);
	CHECK_EQ("proc-exec-then-exit", gotexit, 1);
	waitpid(pid, NULL, 0);
	close(go[0]);
	close(go[1]);
	close(kq);
}

static void
test_proc_track(void)
{
	struct kevent ev[8];
	int kq = kqueue(), go[2], back[2], n, child = 0, gcexit = 0, cexit = 0;
	pid_t pid, gc = -1;
	char c;

	pipe(go);
	pipe(back);
	pid = fork();
	if (pid == 0) {
		pid_t g;

		read(go[0], &c, 1);
		g = fork();
		if (g == 0)
			_exit(5);
		write(back[1], &g, sizeof(g));
		waitpid(g, NULL, 0);
		_exit(6);
	}
	kq_change(kq, pid, EVFILT_PROC, EV_ADD, NOTE_TRACK | NOTE_EXIT |
	    NOTE_FORK, 0, (void *)0x5);
	write(go[1], "t", 1);
	read(back[0], &gc, sizeof(gc));
	for (int tries = 0; tries < 6 && !(cexit && gcexit); tries++) {
		n = kevent(kq, NULL, 0, ev, 8, NULL);
		for (int i = 0; i < n; i++) {
			if (ev[i].ident == (uintptr_t)gc &&
			    (ev[i].fflags & NOTE_CHILD) && ev[i].data == pid)
				child = 1;
			if (ev[i].ident == (uintptr_t)gc &&
			    (ev[i].fflags & NOTE_EXIT))
				gcexit = (ev[i].data == (5 << 8)) ? 1 : -1;
			if (ev[i].ident == (uintptr_t)pid &&
			    (ev[i].fflags & NOTE_EXIT))
				cexit = (ev[i].data == (6 << 8)) ? 1 : -1;
			if (ev[i].fflags & NOTE_TRACKERR)
				child = -1;
		}
	}
	CHECK_EQ("track-note-child", child, 1);
	CHECK_EQ("track-child-exit", gcexit, 1);
	CHECK_EQ("track-parent-exit", cexit, 1);
	waitpid(pid, NULL, 0);
	close(go[0]);
	close(go[1]);
	close(back[0]);
	close(back[1]);
	close(kq);
}

static void
test_signal(void)
{
	struct kevent ev[2];
	int kq = kqueue(), n;

	signal(SIGUSR1, SIG_IGN);
	CHECK_EQ("signal-add", kq_change(kq, SIGUSR1, EVFILT_SIGNAL, EV_ADD, 0,
	    0, NULL), 0);
	kill(getpid(), SIGUSR1);
	kill(getpid(), SIGUSR1);
	kill(getpid(), SIGUSR1);
	n = kq_poll(kq, ev, 2);
	CHECK("signal-ignored-counted", n == 1 && ev[0].ident == SIGUSR1 &&
	    ev[0].filter == EVFILT_SIGNAL && ev[0].data == 3);
	CHECK_EQ("signal-count-cleared", kq_poll(kq, ev, 2), 0);
	kill(getpid(), SIGCHLD);	/* another signal, ignored */
	CHECK_EQ("signal-other-ignored", kq_poll(kq, ev, 2), 0);
	kill(getpid(), SIGUSR1);
	n = kq_poll(kq, ev, 2);
	CHECK("signal-again", n == 1 && ev[0].data == 1);
	CHECK_ERR("signal-bad-number", kq_change(kq, 0, EVFILT_SIGNAL, EV_ADD,
	    0, 0, NULL), EINVAL);
	signal(SIGUSR1, SIG_DFL);
	close(kq);
}

static volatile sig_atomic_t alarms;

static void
on_alarm(int sig)
{
	alarms++;
}

static void
test_timeout_eintr(void)
{
	struct sigaction sa;
	struct itimerval it = { { 0, 0 }, { 0, 50000 } };
	struct kevent ev[2];
	struct timespec ts = { 0, 100000000 };	/* 100 ms */
	int kq = kqueue(), n;
	uint64_t t0, dt;

	t0 = kq_now_ns();
	n = kevent(kq, NULL, 0, ev, 2, &ts);
	dt = kq_now_ns() - t0;
	CHECK("timeout-expires", n == 0 && dt >= 90000000ULL &&
	    dt < 2000000000ULL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;	/* no SA_RESTART */
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	CHECK_ERR("signal-eintr", kevent(kq, NULL, 0, ev, 2, NULL), EINTR);
	CHECK_EQ("signal-handler-ran", alarms, 1);
	/* kevent is never restarted, even with SA_RESTART (FreeBSD). */
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	CHECK_ERR("signal-eintr-sa-restart", kevent(kq, NULL, 0, ev, 2, NULL),
	    EINTR);
	CHECK_EQ("signal-handler-ran-2", alarms, 2);
	signal(SIGALRM, SIG_DFL);
	close(kq);
}

static void
test_timer(void)
{
	struct kevent ev[4], ch[2];
	struct timeval tv;
	int kq = kqueue(), n;
	uint64_t t0, dt, expect;

	/* One-shot, 30 ms: fires once with data 1, then is gone. */
	t0 = kq_now_ns();
	CHECK_EQ("timer-oneshot-add", kq_change(kq, 1, EVFILT_TIMER,
	    EV_ADD | EV_ONESHOT, 0, 30, NULL), 0);
	n = kevent(kq, NULL, 0, ev, 4, NULL);
	dt = kq_now_ns() - t0;
	CHECK("timer-oneshot-fires", n == 1 && ev[0].ident == 1 &&
	    ev[0].filter == EVFILT_TIMER && ev[0].data == 1);
	CHECK("timer-oneshot-not-early", dt >= 29000000ULL);
	CHECK_ERR("timer-oneshot-gone", kq_change(kq, 1, EVFILT_TIMER,
	    EV_DELETE, 0, 0, NULL), ENOENT);

	/* Periodic, 20 ms: data counts expirations since the last call. */
	t0 = kq_now_ns();
	kq_change(kq, 2, EVFILT_TIMER, EV_ADD, NOTE_MSECONDS, 20, NULL);
	kq_msleep(200);
	n = kq_poll(kq, ev, 4);
	dt = kq_now_ns() - t0;
	expect = dt / 20000000ULL;
	CHECK("timer-periodic-count", n == 1 && ev[0].data >= 5 &&
	    (uint64_t)ev[0].data <= expect);
	CHECK_EQ("timer-periodic-cleared", kq_poll(kq, ev, 4), 0);
	n = kevent(kq, NULL, 0, ev, 4, NULL);
	CHECK("timer-periodic-again", n == 1 && ev[0].data >= 1);
	kq_change(kq, 2, EVFILT_TIMER, EV_DELETE, 0, 0, NULL);

	/* Units: 40000 us beats 1 s; NOTE_NSECONDS too. */
	EV_SET(&ch[0], 3, EVFILT_TIMER, EV_ADD | EV_ONESHOT, NOTE_SECONDS, 1,
	    NULL);
	EV_SET(&ch[1], 4, EVFILT_TIMER, EV_ADD | EV_ONESHOT, NOTE_USECONDS,
	    40000, NULL);
	kevent(kq, ch, 2, NULL, 0, NULL);
	n = kevent(kq, NULL, 0, ev, 4, NULL);
	CHECK("timer-useconds-first", n == 1 && ev[0].ident == 4);
	t0 = kq_now_ns();
	n = kevent(kq, NULL, 0, ev, 4, NULL);
	CHECK("timer-seconds-later", n == 1 && ev[0].ident == 3);
	kq_change(kq, 5, EVFILT_TIMER, EV_ADD | EV_ONESHOT, NOTE_NSECONDS,
	    30000000, NULL);
	n = kevent(kq, NULL, 0, ev, 4, NULL);
	CHECK("timer-nseconds", n == 1 && ev[0].ident == 5 && ev[0].data == 1);

	/* NOTE_ABSTIME: an epoch time 50 ms from now, in microseconds. */
	gettimeofday(&tv, NULL);
	t0 = kq_now_ns();
	kq_change(kq, 6, EVFILT_TIMER, EV_ADD, NOTE_ABSTIME | NOTE_USECONDS,
	    (int64_t)tv.tv_sec * 1000000 + tv.tv_usec + 50000, NULL);
	n = kevent(kq, NULL, 0, ev, 4, NULL);
	dt = kq_now_ns() - t0;
	CHECK("timer-abstime", n == 1 && ev[0].ident == 6 && ev[0].data == 1 &&
	    dt >= 40000000ULL);
	kq_msleep(60);
	CHECK_EQ("timer-abstime-once", kq_poll(kq, ev, 4), 0);
	/* Re-adding restarts the timer with the new period... */
	t0 = kq_now_ns();
	kq_change(kq, 8, EVFILT_TIMER, EV_ADD, NOTE_SECONDS, 5, NULL);
	kq_change(kq, 8, EVFILT_TIMER, EV_ADD | EV_ONESHOT, 0, 30, NULL);
	n = kevent(kq, NULL, 0, ev, 4, NULL);
	dt = kq_now_ns() - t0;
	CHECK("timer-readd-restarts", n == 1 && ev[0].ident == 8 &&
	    ev[0].data == 1 && dt < 2000000000ULL);
	/* ... and throws away expirations not yet collected. */
	kq_change(kq, 9, EVFILT_TIMER, EV_ADD, 0, 10, NULL);
	kq_msleep(50);
	kq_change(kq, 9, EVFILT_TIMER, EV_ADD, NOTE_SECONDS, 10, NULL);
	CHECK_EQ("timer-readd-drops-pending", kq_poll(kq, ev, 4), 0);
	CHECK_ERR("timer-readd-bad", kq_change(kq, 9, EVFILT_TIMER, EV_ADD, 0,
	    0, NULL), EINVAL);
	kq_change(kq, 9, EVFILT_TIMER, EV_DELETE, 0, 0, NULL);
	CHECK_ERR("timer-two-units", kq_change(kq, 7, EVFILT_TIMER, EV_ADD,
	    NOTE_SECONDS | NOTE_MSECONDS, 1, NULL), EINVAL);
	close(kq);
}

static void
test_user(void)
{
	struct kevent ev[2];
	int kq = kqueue(), n;

	CHECK_EQ("user-add", kq_change(kq, 42, EVFILT_USER, EV_ADD | EV_CLEAR,
	    NOTE_FFNOP, 0, (void *)0x42), 0);
	CHECK_EQ("user-idle", kq_poll(kq, ev, 2), 0);
	kq_change(kq, 42, EVFILT_USER, 0, NOTE_TRIGGER | NOTE_FFCOPY | 0x5,
	    17, NULL);
	n = kq_poll(kq, ev, 2);
	CHECK("user-trigger-ffcopy", n == 1 && ev[0].ident == 42 &&
	    ev[0].filter == EVFILT_USER && ev[0].fflags == 0x5 &&
	    ev[0].data == 17 && ev[0].udata == (void *)0x42);
	CHECK_EQ("user-cleared", kq_poll(kq, ev, 2), 0);
	kq_change(kq, 42, EVFILT_USER, 0, NOTE_FFOR | 0x2, 0, NULL);
	CHECK_EQ("user-ffor-no-trigger", kq_poll(kq, ev, 2), 0);
	kq_change(kq, 42, EVFILT_USER, 0, NOTE_TRIGGER, 0, NULL);
	n = kq_poll(kq, ev, 2);
	CHECK("user-ffor", n == 1 && ev[0].fflags == 0x7);
	kq_change(kq, 42, EVFILT_USER, 0, NOTE_TRIGGER | NOTE_FFAND | 0x3, 0,
	    NULL);
	n = kq_poll(kq, ev, 2);
	CHECK("user-ffand", n == 1 && ev[0].fflags == 0x3);
	/* Without EV_CLEAR a triggered user event stays triggered. */
	kq_change(kq, 43, EVFILT_USER, EV_ADD, 0, 0, NULL);
	kq_change(kq, 43, EVFILT_USER, 0, NOTE_TRIGGER, 0, NULL);
	CHECK_EQ("user-level-1", kq_poll(kq, ev, 2), 1);
	CHECK_EQ("user-level-2", kq_poll(kq, ev, 2), 1);
	CHECK_ERR("user-trigger-missing", kq_change(kq, 44, EVFILT_USER, 0,
	    NOTE_TRIGGER, 0, NULL), ENOENT);
	close(kq);
}

int
main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--exit3") == 0)
		_exit(3);
	t_init();
	kq_require("kqueue-proc");
	test_proc_exit();
	test_proc_fork_exec(argv[0]);
	test_proc_track();
	test_signal();
	test_timeout_eintr();
	test_timer();
	test_user();
	return (t_done());
}
