/*
 * t_fuzzbugs.c: one regression test for each kernel bug the system call
 * fuzzer (user/fuzz, `make fuzz`) found, named after the seed that found
 * it.  The leak checks read /dev/kstat, Mica's counters; on Linux, which
 * has no such device, only the errno and survival checks run.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "t.h"

/* A /dev/kstat counter, or -1 when there is no /dev/kstat (Linux). */
static long
kstat(const char *name)
{
	char b[1024], *p;
	int f, n;

	if ((f = open("/dev/kstat", O_RDONLY)) < 0)
		return (-1);
	n = (int)pread(f, b, sizeof(b) - 1, 0);
	close(f);
	if (n <= 0)
		return (-1);
	b[n] = '\0';
	if ((p = strstr(b, name)) == NULL)
		return (-1);
	return (strtol(p + strlen(name), NULL, 10));
}

/* Seed 1: pfind(negative pid) indexed before the pid hash: a panic. */
static void
negative_pids(void)
{
	struct rlimit rl;

	CHECK_ERR("prlimit64 pid -5", syscall(SYS_prlimit64, -5,
	    RLIMIT_NOFILE, NULL, &rl), ESRCH);
	CHECK_ERR("prlimit64 pid INT_MIN+1", syscall(SYS_prlimit64,
	    -0x7fffffff, RLIMIT_NOFILE, NULL, &rl), ESRCH);
	CHECK_ERR("getpgid -5", getpgid(-5), ESRCH);
	CHECK_ERR("getsid -7", getsid(-7), ESRCH);
	CHECK_ERR("kill -2147483647", kill(-0x7fffffff, 0), ESRCH);
}

/*
 * Seed 1: an orphan kept its clone(2) exit signal, so its exit sent
 * SIGUSR1 to init, which died of it (a panic).  Linux resets the exit
 * signal to SIGCHLD when the child is reparented.
 */
static void
orphan_exit_signal(void)
{
	pid_t mid;
	int st;

	mid = fork();
	if (mid == 0) {
		/* The grandchild outlives us by 100 ms. */
		long c = syscall(SYS_clone, SIGUSR1, 0, NULL, NULL, 0);

		if (c == 0) {
			struct timespec ts = { 0, 100000000 };

			nanosleep(&ts, NULL);
			_exit(0);
		}
		_exit(c > 0 ? 0 : 1);
	}
	CHECK("fork middle", mid > 0);
	CHECK("middle made the orphan", waitpid(mid, &st, 0) == mid &&
	    WIFEXITED(st) && WEXITSTATUS(st) == 0);
	{
		struct timespec ts = { 0, 300000000 };

		nanosleep(&ts, NULL);
	}
	/* Still here, so init is too (else the kernel would have panicked). */
	t_pass("system alive after the orphan's exit");
}

/*
 * Seed 3: a clone that failed after copying the signal actions leaked them.
 * Writing this test found the next bug: the same failure path moved the
 * caller onto the kernel's page tables (proc_vm_exit of the child), so the
 * caller's next instruction faulted forever -- the second clone hung.
 */
static void
clone_fail_leak(void)
{
	long before = kstat("kmem_objects"), after;
	int ok = 1;

	for (int i = 0; i < 20; i++) {
		long c = syscall(SYS_clone, SIGCHLD | CLONE_PARENT_SETTID, 0,
		    (void *)8, NULL, 0);

		if (c == 0)
			_exit(0);
		if (c > 0)
			waitpid((pid_t)c, NULL, 0);	/* Linux ignores ptid */
		else if (errno != EFAULT)
			ok = 0;
	}
	CHECK("clone with a bad parent_tid: EFAULT or a child", ok);
	after = kstat("kmem_objects");
	if (before >= 0)
		CHECK_EQ("no heap objects leaked by failed clones", after,
		    before);
}

/*
 * Seed 21: a reader queued behind another reader of the same pipe (which
 * waits for a writer for ever) slept on the pipe's read lock where no
 * signal could reach it: SIGKILL left it there (an unkillable process).
 */
static void
pipe_second_reader_killable(void)
{
	int p[2], st;
	pid_t a, b;
	char c;

	if (pipe(p) != 0) {
		t_fail("pipe", "%s", strerror(errno));
		return;
	}
	a = fork();
	if (a == 0) {
		(void)read(p[0], &c, 1);	/* first reader: waits */
		_exit(0);
	}
	{
		struct timespec ts = { 0, 100000000 };

		nanosleep(&ts, NULL);
	}
	b = fork();
	if (b == 0) {
		(void)read(p[0], &c, 1);	/* second: behind the first */
		_exit(0);
	}
	{
		struct timespec ts = { 0, 100000000 };

		nanosleep(&ts, NULL);
	}
	kill(b, SIGKILL);
	{
		int i, done = 0;

		for (i = 0; i < 40 && !done; i++) {
			struct timespec ts = { 0, 50000000 };

			if (waitpid(b, &st, WNOHANG) == b)
				done = 1;
			else
				nanosleep(&ts, NULL);
		}
		CHECK("second pipe reader dies of SIGKILL within 2 s", done &&
		    WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
		if (!done)
			kill(a, SIGKILL);	/* lets b go too */
	}
	kill(a, SIGKILL);
	waitpid(a, NULL, 0);
	waitpid(b, NULL, 0);
	close(p[0]);
	close(p[1]);
}

static void
on_alarm(int sig)
{
}

/*
 * Seed 21 again: sendfile from /dev/zero to /dev/null with a count of
 * 2^64-2 copied for ever inside the kernel, which is not preempted: the
 * whole machine stopped.  Now the count is capped (MAX_RW_COUNT, as Linux)
 * and a signal ends the copy early.
 */
static void
sendfile_huge(void)
{
	struct sigaction sa;
	struct timespec t0, t1;
	int in = open("/dev/zero", O_RDONLY), out = open("/dev/null", O_WRONLY);
	long r;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;	/* no SA_RESTART */
	sigaction(SIGALRM, &sa, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	alarm(1);
	r = syscall(SYS_sendfile, out, in, NULL, (size_t)-2);
	alarm(0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	CHECK("sendfile of 2^64 bytes ends (a signal or the cap)",
	    t1.tv_sec - t0.tv_sec < 10 && (r > 0 ||
	    (r == -1 && (errno == EINVAL || errno == EINTR))));
	if (r > 0)
		CHECK("and copied at most MAX_RW_COUNT", r <= 0x7ffff000L);
	close(in);
	close(out);
	signal(SIGALRM, SIG_DFL);
}

/*
 * Seed 33: open(FIFO, O_WRONLY | O_NONBLOCK) with no reader fails with
 * ENXIO, but the pipe it had just hung off the vnode stayed there with no
 * reader and no writer; unlinking the FIFO then lost it (one heap object
 * per try).
 */
static void
fifo_enxio_leak(void)
{
	const char *path = "/tmp/t_fuzzbugs.fifo";
	long before, after;
	int ok = 1;

	unlink(path);
	before = kstat("kmem_objects");
	for (int i = 0; i < 10; i++) {
		if (mkfifo(path, 0600) != 0) {
			ok = 0;
			break;
		}
		if (open(path, O_WRONLY | O_NONBLOCK) != -1 || errno != ENXIO)
			ok = 0;
		unlink(path);
	}
	CHECK("FIFO writer without a reader: ENXIO", ok);
	after = kstat("kmem_objects");
	if (before >= 0)
		CHECK_EQ("no heap objects left by ENXIO FIFO opens", after,
		    before);
	/* A reader after a refused writer still meets the next writer. */
	if (mkfifo(path, 0600) == 0) {
		int w, r;

		CHECK_ERR("writer refused", open(path, O_WRONLY | O_NONBLOCK),
		    ENXIO);
		r = open(path, O_RDONLY | O_NONBLOCK);
		w = open(path, O_WRONLY | O_NONBLOCK);
		CHECK("reader then writer open", r >= 0 && w >= 0);
		CHECK_EQ("data crosses", write(w, "x", 1), 1);
		{
			char c = 0;

			CHECK("reader reads it", read(r, &c, 1) == 1 &&
			    c == 'x');
		}
		close(w);
		close(r);
		unlink(path);
	}
}

/* /dev/kstat reads to an end (devfs ignored the offset: endless cat). */
static void
kstat_eof(void)
{
	char b[4096];
	long total = 0, n;
	int f = open("/dev/kstat", O_RDONLY);

	if (f < 0)
		return;		/* Linux */
	while ((n = read(f, b, 7)) > 0 && total < 100000)
		total += n;
	close(f);
	CHECK("/dev/kstat read reaches EOF", n == 0 && total > 50 &&
	    total < 4096);
}

int
main(void)
{
	t_init();
	negative_pids();
	orphan_exit_signal();
	clone_fail_leak();
	pipe_second_reader_killable();
	sendfile_huge();
	fifo_enxio_leak();
	kstat_eof();
	return (t_done());
}
