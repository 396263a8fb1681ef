/*
 * t_sched.c: preemption, sleeping, sessions and process groups, exec
 * through vfork, posix_spawn and #! scripts, and the small process system
 * calls (uname, sysinfo, rlimits, prctl, arch_prctl, getrandom, futex).
 *
 * The preemption check is the one a cooperative scheduler fails: a child
 * that spins forever must not keep the parent from waking up and finishing
 * its own loop.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <grp.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>

#include "t.h"

extern char **environ;

static long
ms_since(const struct timespec *a)
{
	struct timespec b;

	clock_gettime(CLOCK_MONOTONIC, &b);
	return ((b.tv_sec - a->tv_sec) * 1000 +
	    (b.tv_nsec - a->tv_nsec) / 1000000);
}

static int
wait_status(pid_t pid)
{
	int st = -1;

	if (waitpid(pid, &st, 0) != pid)
		return (-1);
	return (st);
}

static void
check_preemption(void)
{
	struct timespec t0, d = { 0, 100000000 };
	struct rusage ru;
	pid_t pid;
	int st;

	pid = fork();
	if (pid == 0)
		for (volatile long i = 0;; i++)
			;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK("sleep-beside-spinner", nanosleep(&d, NULL) == 0);
	for (volatile long i = 0; i < 20000000; i++)
		;
	CHECK("spinner-does-not-starve", ms_since(&t0) < 20000);
	kill(pid, SIGKILL);
	st = wait_status(pid);
	CHECK("spinner-killed", WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	CHECK("children-cpu-time", getrusage(RUSAGE_CHILDREN, &ru) == 0 &&
	    ru.ru_utime.tv_sec + ru.ru_utime.tv_usec > 0);
}

static void
check_sleep(void)
{
	struct timespec t0, t, req = { 0, 50000000 };

	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK("nanosleep-50ms", nanosleep(&req, NULL) == 0 &&
	    ms_since(&t0) >= 50 && ms_since(&t0) < 2000);
	req.tv_nsec = 1000000000;
	CHECK_ERR("nanosleep-bad-nsec", nanosleep(&req, NULL), EINVAL);
	req.tv_sec = -1;
	req.tv_nsec = 0;
	CHECK_ERR("nanosleep-negative", nanosleep(&req, NULL), EINVAL);
	CHECK_ERR("nanosleep-efault", nanosleep(T_LOW, NULL), EFAULT);
	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_nsec += 30000000;
	if (t.tv_nsec >= 1000000000) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000;
	}
	CHECK_EQ("clock-nanosleep-abstime",
	    clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK("abstime-reached", t0.tv_sec > t.tv_sec ||
	    (t0.tv_sec == t.tv_sec && t0.tv_nsec >= t.tv_nsec));
	CHECK_EQ("clock-nanosleep-thread-cputime",
	    clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &t, NULL), EINVAL);
	CHECK_ERR("clock-gettime-bad-clock", clock_gettime(99, &t), EINVAL);
	CHECK("sched-yield", sched_yield() == 0);
}

static void
check_sessions(void)
{
	pid_t pid;
	int st;

	pid = fork();
	if (pid == 0) {
		int ok = getsid(0) != getpid();
		pid_t s = setsid();

		ok = ok && s == getpid() && getsid(0) == getpid() &&
		    getpgrp() == getpid();
		ok = ok && setsid() == -1 && errno == EPERM;
		ok = ok && setpgid(0, getppid()) == -1 && errno == EPERM;
		_exit(ok ? 0 : 1);
	}
	st = wait_status(pid);
	CHECK("setsid-new-session", WIFEXITED(st) && WEXITSTATUS(st) == 0);
	pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	CHECK("setpgid-child", setpgid(pid, pid) == 0 && getpgid(pid) == pid);
	CHECK_ERR("setpgid-no-group", setpgid(pid, 99999), EPERM);
	CHECK_ERR("setpgid-negative", setpgid(pid, -1), EINVAL);
	CHECK_ERR("setpgid-not-child", setpgid(1, 0), ESRCH);
	CHECK_ERR("getpgid-esrch", getpgid(99999), ESRCH);
	CHECK_ERR("getsid-esrch", getsid(99999), ESRCH);
	kill(pid, SIGTERM);
	st = -1;
	CHECK("wait-by-pgrp", waitpid(-pid, &st, 0) == pid &&
	    WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
}

/* 24 strings of 120 KiB: over the 2 MiB of arguments Linux allows. */
static void
check_e2big(const char *self)
{
	static char *env[25];
	size_t len = 120 * 1024;
	char *argv[] = { (char *)self, "child", NULL };

	for (int i = 0; i < 24; i++) {
		env[i] = malloc(len);
		if (env[i] == NULL)
			return;
		memset(env[i], 'x', len - 1);
		env[i][0] = 'A' + i;
		env[i][1] = '=';
		env[i][len - 1] = '\0';
	}
	env[24] = NULL;
	CHECK_ERR("execve-e2big", execve(self, argv, env), E2BIG);
	for (int i = 0; i < 24; i++)
		free(env[i]);
}

static void
check_spawn(const char *self)
{
	char *argv[] = { (char *)self, "child", NULL };
	char *sh[] = { "sh", "-c", "exit 17", NULL };
	pid_t pid;
	int st;

	pid = vfork();
	if (pid == 0) {
		execv(self, argv);
		_exit(98);
	}
	st = wait_status(pid);
	CHECK("vfork-exec", WIFEXITED(st) && WEXITSTATUS(st) == 42);
	CHECK_EQ("posix-spawn", posix_spawn(&pid, self, NULL, NULL, argv,
	    environ), 0);
	st = wait_status(pid);
	CHECK("posix-spawn-status", WIFEXITED(st) && WEXITSTATUS(st) == 42);
	CHECK_EQ("posix-spawn-enoent", posix_spawn(&pid, "/nonexistent",
	    NULL, NULL, argv, environ), ENOENT);
	pid = fork();
	if (pid == 0) {
		execv("/bin/sh", sh);
		_exit(97);
	}
	st = wait_status(pid);
	CHECK("sh-c-exit-17", WIFEXITED(st) && WEXITSTATUS(st) == 17);
	CHECK_ERR("execve-bad-argv", execve(self, T_LOW, environ), EFAULT);
	CHECK_ERR("execve-bad-path", execve(T_LOW, argv, environ), EFAULT);
	CHECK_ERR("execve-directory", execve("/", argv, environ), EACCES);
	CHECK_ERR("execve-enoent", execve("/nonexistent", argv, environ),
	    ENOENT);
	check_e2big(self);
}

static void
check_misc(void)
{
	struct utsname u;
	struct sysinfo si;
	struct rlimit rl;
	char buf[64], name[16];
	int f = 1;
	struct timespec to = { 0, 20000000 };

	CHECK("uname", uname(&u) == 0 && strcmp(u.machine, "x86_64") == 0);
	CHECK_ERR("uname-efault", uname(T_LOW), EFAULT);
	CHECK("sysinfo", sysinfo(&si) == 0 && si.totalram > 0 &&
	    si.procs >= 1 && si.mem_unit >= 1);
	CHECK("getrlimit-nofile", getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
	    rl.rlim_cur <= rl.rlim_max);
	rl.rlim_cur = 10;
	rl.rlim_max = 5;
	CHECK_ERR("setrlimit-cur-over-max", setrlimit(RLIMIT_NOFILE, &rl),
	    EINVAL);
	CHECK_ERR("getrlimit-bad-resource", getrlimit(99, &rl), EINVAL);
	CHECK("prctl-set-name", prctl(PR_SET_NAME, "newname") == 0);
	CHECK("prctl-get-name", prctl(PR_GET_NAME, name) == 0 &&
	    strcmp(name, "newname") == 0);
	CHECK_ERR("arch-prctl-noncanonical", syscall(SYS_arch_prctl, 0x1002,
	    0x800000000000UL), EPERM);
	CHECK_ERR("arch-prctl-bad-code", syscall(SYS_arch_prctl, 0x9999, 0),
	    EINVAL);
	CHECK_EQ("getrandom", getrandom(buf, sizeof(buf), 0), 64);
	CHECK_ERR("getrandom-efault", getrandom(T_LOW, 64, 0), EFAULT);
	CHECK_ERR("getrandom-bad-flags", getrandom(buf, 8, 0x100), EINVAL);
	CHECK("gettid-is-pid", syscall(SYS_gettid) == getpid());
	CHECK_ERR("futex-wait-value-differs", syscall(SYS_futex, &f, 128, 2,
	    NULL, NULL, 0), EAGAIN);
	CHECK_ERR("futex-wait-timeout", syscall(SYS_futex, &f, 128, 1, &to,
	    NULL, 0), ETIMEDOUT);
	CHECK_EQ("futex-wake-none", syscall(SYS_futex, &f, 129, 1, NULL, NULL,
	    0), 0);
	CHECK_ERR("setuid-minus-one", setuid(-1), EINVAL);
}

/* Credentials: an unprivileged process keeps to the ids it has. */
static void
check_creds(void)
{
	pid_t pid;
	int st;

	if (geteuid() != 0) {
		t_pass("creds-skipped-not-root");
		return;
	}
	pid = fork();
	if (pid == 0) {
		uid_t r, e, s;
		struct rlimit rl;
		gid_t g = 5;
		int bad = 0;

		if (setgroups(1, &g) != 0 || getgroups(0, NULL) != 1)
			bad |= 1;
		if (setresgid(100, 100, 100) != 0 ||
		    setresuid(1000, 1000, 0) != 0)
			bad |= 2;
		if (getresuid(&r, &e, &s) != 0 || r != 1000 || e != 1000 ||
		    s != 0)
			bad |= 4;
		if (seteuid(0) != 0 || geteuid() != 0)	/* the saved uid */
			bad |= 8;
		if (setresuid(-1, 1000, 1000) != 0)
			bad |= 16;
		if (setuid(0) != -1 || errno != EPERM)
			bad |= 32;
		if (setgroups(0, NULL) != -1 || errno != EPERM)
			bad |= 64;
		if (sethostname("x", 1) != -1 || errno != EPERM)
			bad |= 128;
		getrlimit(RLIMIT_NOFILE, &rl);
		rl.rlim_max++;
		if (setrlimit(RLIMIT_NOFILE, &rl) != -1 || errno != EPERM)
			bad |= 256;
		if (setreuid(2000, -1) != -1 || errno != EPERM)
			bad |= 512;
		if (getuid() != 1000 || getgid() != 100 || getegid() != 100)
			bad |= 1024;
		_exit(bad == 0 ? 0 : 1 + (bad & 0x7f) * 2);
	}
	st = wait_status(pid);
	CHECK_EQ("creds-unprivileged", st, 0);
}

/* waitid: siginfo of an exit, WNOHANG with nothing ready, bad options. */
static void
check_waitid(void)
{
	siginfo_t si;
	pid_t pid;

	pid = fork();
	if (pid == 0)
		_exit(3);
	memset(&si, 0xff, sizeof(si));
	CHECK("waitid-exited", waitid(P_PID, pid, &si, WEXITED) == 0 &&
	    si.si_signo == SIGCHLD && si.si_code == CLD_EXITED &&
	    si.si_pid == pid && si.si_status == 3);
	pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	memset(&si, 0xff, sizeof(si));
	CHECK("waitid-wnohang-nothing", waitid(P_PID, pid, &si,
	    WEXITED | WNOHANG) == 0 && si.si_pid == 0);
	CHECK_ERR("waitid-no-options", waitid(P_PID, pid, &si, 0), EINVAL);
	CHECK_ERR("waitid-bad-idtype", waitid(42, pid, &si, WEXITED), EINVAL);
	kill(pid, SIGKILL);
	CHECK("waitid-killed", waitid(P_PID, pid, &si, WEXITED) == 0 &&
	    si.si_code == CLD_KILLED && si.si_status == SIGKILL);
	CHECK_ERR("waitid-echild", waitid(P_ALL, 0, &si, WEXITED), ECHILD);
}

int
main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "child") == 0)
		return (42);
	t_init();
	check_preemption();
	check_sleep();
	check_sessions();
	check_spawn(argv[0]);
	check_misc();
	check_creds();
	check_waitid();
	return (t_done());
}
