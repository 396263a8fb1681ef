/*
 * t_signal.c: signal delivery, handlers, masks, interrupted system calls.
 *
 * Handlers only record what they saw in globals; the checks compare those
 * with exact expectations (signal number, siginfo fields, fault address,
 * how many times a handler ran).  Timing comes from child processes that
 * sleep briefly and then signal or write, never from a race the test can
 * lose by being slow: a blocked read only returns when the child acts.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>

#include "t.h"

static volatile sig_atomic_t hits, last_sig, blocked_inside;
static volatile siginfo_t last_info;
static sigjmp_buf segv_jmp;

static void
handler(int sig)
{
	sigset_t cur;

	hits++;
	last_sig = sig;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	blocked_inside = sigismember(&cur, sig) &&
	    sigismember(&cur, SIGUSR2);
}

static void
info_handler(int sig, siginfo_t *si, void *uc)
{
	hits++;
	last_sig = sig;
	memcpy((void *)&last_info, si, sizeof(*si));
}

static void
segv_handler(int sig, siginfo_t *si, void *uc)
{
	memcpy((void *)&last_info, si, sizeof(*si));
	siglongjmp(segv_jmp, 1);
}

static void
set_handler(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	sigaction(sig, &sa, NULL);
}

static void
set_info_handler(int sig, void (*fn)(int, siginfo_t *, void *))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fn;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

static void
msleep(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* A child that signals us after `ms`, then writes a byte to `wfd` (if >= 0). */
static pid_t
poke(int sig, int ms, int wfd)
{
	pid_t parent = getpid(), pid = fork();

	if (pid == 0) {
		msleep(ms);
		kill(parent, sig);
		if (wfd >= 0) {
			msleep(ms);
			write(wfd, "x", 1);
		}
		_exit(0);
	}
	return (pid);
}

static void
check_interrupted_read(const char *name, int restart)
{
	int p[2];
	char c = 0;
	ssize_t n;
	pid_t pid;

	set_handler(SIGUSR1, handler, restart ? SA_RESTART : 0);
	hits = 0;
	if (pipe(p) < 0) {
		t_fail(name, "pipe: %s", strerror(errno));
		return;
	}
	pid = poke(SIGUSR1, 100, p[1]);
	errno = 0;
	n = read(p[0], &c, 1);
	if (restart) {
		if (n == 1 && c == 'x' && hits == 1)
			t_pass(name);
		else
			t_fail(name, "read %zd errno %d, handler ran %d times",
			    n, errno, (int)hits);
	} else {
		if (n == -1 && errno == EINTR && hits == 1)
			t_pass(name);
		else
			t_fail(name, "read %zd errno %d (%s), handler ran %d "
			    "times; expected -1 EINTR", n, errno,
			    strerror(errno), (int)hits);
	}
	waitpid(pid, NULL, 0);
	close(p[0]);
	close(p[1]);
}

static int *volatile segv_ptr = (int *)0x1234;

/*
 * kill(-pgid, sig) reaches every member of a large group, however many
 * (Linux walks the whole group): KM_NCHILD children in one new group, one
 * SIGTERM to the group, every child dies of it.  A kernel that stops after
 * a fixed number of targets leaves some alive: counted, then killed.
 */
#define KM_NCHILD	200

static volatile sig_atomic_t km_timed_out;

static void
km_on_alarm(int sig)
{
	km_timed_out = 1;
}

static void
killmany(void)
{
	pid_t pids[KM_NCHILD], pgid = 0, w;
	struct sigaction sa;
	int n, st, termed = 0, reaped = 0, other = 0;

	for (n = 0; n < KM_NCHILD; n++) {
		pid_t pid = fork();

		if (pid < 0)
			break;
		if (pid == 0) {
			setpgid(0, pgid);
			for (;;)
				pause();
		}
		/* The parent too, so the child is a member before kill. */
		if (setpgid(pid, pgid == 0 ? pid : pgid) != 0) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			break;
		}
		if (pgid == 0)
			pgid = pid;
		pids[n] = pid;
	}
	CHECK_EQ("killmany-forked", n, KM_NCHILD);
	CHECK_EQ("killmany-leader", n > 0 ? getpgid(pids[n - 1]) : -1, pgid);

	CHECK_EQ("killmany-kill-group", n > 0 ? kill(-pgid, SIGTERM) : -1, 0);

	/* Reap what dies within a few seconds; no SA_RESTART, so EINTR. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = km_on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	alarm(10);
	while (reaped < n && !km_timed_out) {
		w = waitpid(-pgid, &st, 0);
		if (w < 0)
			break;
		reaped++;
		if (WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM)
			termed++;
		else
			other++;
	}
	alarm(0);
	CHECK_EQ("killmany-all-died", reaped, n);
	CHECK_EQ("killmany-all-sigterm", termed, n);
	CHECK_EQ("killmany-no-other-status", other, 0);

	/* Leftovers of a broken kernel: one by one, then reap. */
	if (reaped < n) {
		for (int i = 0; i < n; i++)
			kill(pids[i], SIGKILL);
		while (waitpid(-pgid, NULL, 0) > 0)
			;
	}
	/* The group is gone with its last member. */
	CHECK_ERR("killmany-group-gone", kill(-pgid, 0), ESRCH);
}

int
main(void)
{
	sigset_t set, old, pend;
	struct sigaction sa;
	int status;
	pid_t pid;

	t_init();

	/* A handler runs with its signal number, and blocked inside. */
	set_handler(SIGUSR1, handler, 0);
	hits = 0;
	kill(getpid(), SIGUSR1);
	CHECK("handler-runs", hits == 1 && last_sig == SIGUSR1);
	CHECK("handler-mask-inside", blocked_inside);

	/* siginfo for kill(): SI_USER, our pid and uid. */
	set_info_handler(SIGUSR2, info_handler);
	hits = 0;
	kill(getpid(), SIGUSR2);
	CHECK("siginfo-kill", hits == 1 && last_info.si_signo == SIGUSR2 &&
	    last_info.si_code == SI_USER && last_info.si_pid == getpid() &&
	    last_info.si_uid == getuid());

	/* A blocked signal waits in sigpending and arrives on unblock, once. */
	set_handler(SIGUSR1, handler, 0);
	hits = 0;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, &old);
	kill(getpid(), SIGUSR1);
	kill(getpid(), SIGUSR1);
	sigpending(&pend);
	CHECK("mask-blocks", hits == 0 && sigismember(&pend, SIGUSR1));
	sigprocmask(SIG_SETMASK, &old, NULL);
	CHECK_EQ("unblock-delivers-once", hits, 1);

	/* SIGKILL and SIGSTOP cannot be caught or blocked. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	CHECK_ERR("sigaction-sigkill", sigaction(SIGKILL, &sa, NULL), EINVAL);
	CHECK_ERR("sigaction-sigstop", sigaction(SIGSTOP, &sa, NULL), EINVAL);
	CHECK_ERR("sigaction-bad-signo", syscall(13, 65, NULL, NULL, 8),
	    EINVAL);
	sigfillset(&set);
	sigprocmask(SIG_BLOCK, &set, &old);
	sigprocmask(SIG_BLOCK, NULL, &set);
	sigprocmask(SIG_SETMASK, &old, NULL);
	CHECK("cannot-block-kill-stop", !sigismember(&set, SIGKILL) &&
	    !sigismember(&set, SIGSTOP) && sigismember(&set, SIGUSR1));

	/* SA_RESETHAND: the handler runs once, then the default is back. */
	set_handler(SIGUSR1, handler, SA_RESETHAND);
	hits = 0;
	kill(getpid(), SIGUSR1);
	sigaction(SIGUSR1, NULL, &sa);
	CHECK("sa-resethand", hits == 1 && sa.sa_handler == SIG_DFL);

	/* A blocking pipe read: EINTR without SA_RESTART, restarted with. */
	check_interrupted_read("eintr-pipe-read", 0);
	check_interrupted_read("sa-restart-pipe-read", 1);

	/* SIGCHLD with the child's pid and exit status. */
	set_info_handler(SIGCHLD, info_handler);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, &old);
	hits = 0;
	pid = fork();
	if (pid == 0)
		_exit(5);
	{
		sigset_t wait_mask = old;

		sigdelset(&wait_mask, SIGCHLD);
		while (hits == 0)
			sigsuspend(&wait_mask);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	CHECK("sigchld-info", last_sig == SIGCHLD &&
	    last_info.si_pid == pid && last_info.si_code == CLD_EXITED &&
	    last_info.si_status == 5);
	waitpid(pid, NULL, 0);
	signal(SIGCHLD, SIG_DFL);

	/* sigsuspend: EINTR after the handler, old mask back afterwards. */
	set_handler(SIGUSR1, handler, 0);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, &old);
	hits = 0;
	pid = poke(SIGUSR1, 50, -1);
	{
		sigset_t none;
		int r;

		sigemptyset(&none);
		errno = 0;
		r = sigsuspend(&none);
		sigprocmask(SIG_BLOCK, NULL, &set);
		CHECK("sigsuspend", r == -1 && errno == EINTR && hits == 1 &&
		    sigismember(&set, SIGUSR1));
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	waitpid(pid, NULL, 0);

	/* SIGSEGV handler: si_addr is the faulting address. */
	set_info_handler(SIGSEGV, segv_handler);
	memset((void *)&last_info, 0, sizeof(last_info));
	if (sigsetjmp(segv_jmp, 1) == 0)
		*segv_ptr = 1;
	CHECK("sigsegv-si-addr", last_info.si_signo == SIGSEGV &&
	    last_info.si_addr == (void *)0x1234 &&
	    last_info.si_code == SEGV_MAPERR);
	{
		static char *ro, *volatile rop;

		ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		    -1, 0);
		rop = ro;

		memset((void *)&last_info, 0, sizeof(last_info));
		if (ro != MAP_FAILED && sigsetjmp(segv_jmp, 1) == 0)
			rop[10] = 1;
		CHECK("sigsegv-accerr", ro != MAP_FAILED &&
		    last_info.si_addr == ro + 10 &&
		    last_info.si_code == SEGV_ACCERR);
		if (ro != MAP_FAILED)
			munmap(ro, 4096);
	}
	signal(SIGSEGV, SIG_DFL);

	/* alarm: SIGALRM arrives; alarm() returns the seconds left. */
	set_handler(SIGALRM, handler, 0);
	hits = 0;
	alarm(1);
	while (hits == 0)
		pause();
	CHECK_EQ("alarm-fires", last_sig, SIGALRM);
	alarm(5);
	{
		unsigned left = alarm(0);

		CHECK("alarm-returns-remaining", left >= 4 && left <= 5);
	}

	/* kill: sig 0 probes; bad signals and pids fail. */
	CHECK_EQ("kill-self-0", kill(getpid(), 0), 0);
	CHECK_EQ("kill-all-0", kill(-1, 0), 0);
	CHECK_ERR("kill-bad-signal", kill(getpid(), 65), EINVAL);
	CHECK_ERR("kill-esrch", kill(99999999, 0), ESRCH);
	/* kill(0, sig) reaches our own process group. */
	pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		set_handler(SIGUSR1, handler, 0);
		hits = 0;
		kill(0, SIGUSR1);
		_exit(hits == 1 ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	CHECK("kill-pgrp-0", WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* An unprivileged user cannot signal root's processes. */
	pid = fork();
	if (pid == 0) {
		if (setuid(65534) < 0)
			_exit(2);
		_exit(kill(1, 0) == -1 && errno == EPERM ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	CHECK("kill-eperm", WIFEXITED(status) && WEXITSTATUS(status) == 0);

	/* Default actions: SIGTERM kills; an ignored one does not. */
	pid = fork();
	if (pid == 0) {
		signal(SIGTERM, SIG_IGN);
		kill(getpid(), SIGTERM);
		signal(SIGTERM, SIG_DFL);
		kill(getpid(), SIGTERM);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	CHECK("default-terminate", WIFSIGNALED(status) &&
	    WTERMSIG(status) == SIGTERM);

	/* Stop and continue: WUNTRACED and WCONTINUED report both. */
	pid = fork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	kill(pid, SIGSTOP);
	CHECK("stop-wuntraced", waitpid(pid, &status, WUNTRACED) == pid &&
	    WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP);
	kill(pid, SIGCONT);
	CHECK("cont-wcontinued", waitpid(pid, &status, WCONTINUED) == pid &&
	    WIFCONTINUED(status));
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	killmany();
	return (t_done());
}
