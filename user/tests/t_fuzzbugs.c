/*
 * t_fuzzbugs.c: one regression test for each kernel bug the system call
 * fuzzer (user/fuzz, `make fuzz`) found, named after the seed that found
 * it.  The leak checks read /dev/kstat, Mica's counters; on Linux, which
 * has no such device, only the errno and survival checks run.  Last, the
 * counters the fuzzer's checkpoints compare (kstat_counters): every name
 * is there once, the size classes add up, a kqueue with a knote on a
 * pipe moves exactly kqueues, knotes and pipes and gives them back, and a
 * page-cache object is exactly the one heap object the fuzzer allows for.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>

#include "kq.h"
#include "t.h"

/* /dev/kstat's text in b, NUL-terminated; its length or -1 (Linux). */
static int
kstat_text(char *b, size_t size)
{
	int f, n;

	if ((f = open("/dev/kstat", O_RDONLY)) < 0)
		return (-1);
	n = (int)pread(f, b, size - 1, 0);
	close(f);
	if (n <= 0)
		return (-1);
	b[n] = '\0';
	return (n);
}

/* Counter name in text b (a whole line "name value"), or -1. */
static long
kstat_in(const char *b, const char *name)
{
	size_t len = strlen(name);

	for (const char *p = b; *p != '\0'; p++) {
		if ((p == b || p[-1] == '\n') && strncmp(p, name, len) == 0 &&
		    p[len] == ' ')
			return (strtol(p + len + 1, NULL, 10));
	}
	return (-1);
}

/* A /dev/kstat counter, or -1 when there is no /dev/kstat (Linux). */
static long
kstat(const char *name)
{
	char b[4096];

	if (kstat_text(b, sizeof(b)) < 0)
		return (-1);
	return (kstat_in(b, name));
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

/*
 * Seed 5: umount of a file system with another mounted inside it (not on
 * its root) succeeded and freed it, leaving the inner mount unreachable
 * on a vnode of the freed file system: leaked vnodes and mounts.  Linux
 * answers EBUSY.
 */
static void
umount_with_submount(void)
{
	long before = kstat("vnodes"), after;

	mkdir("/tmp/t_fb_outer", 0755);
	if (mount("none", "/tmp/t_fb_outer", "tmpfs", 0, NULL) != 0) {
		CHECK("mount tmpfs (needs root)", 0);
		return;
	}
	CHECK("mkdir inside", mkdir("/tmp/t_fb_outer/in", 0755) == 0);
	/* Relative: /proc/mounts must still say where it is (seed 5). */
	CHECK("chdir outer", chdir("/tmp/t_fb_outer") == 0);
	CHECK("mount inside, relative path", mount("none", "in", "tmpfs", 0,
	    NULL) == 0);
	CHECK("chdir back", chdir("/") == 0);
	{
		char b[4096];
		int f = open("/proc/mounts", O_RDONLY);
		ssize_t n = f >= 0 ? read(f, b, sizeof(b) - 1) : -1;

		if (f >= 0)
			close(f);
		b[n > 0 ? n : 0] = '\0';
		CHECK("/proc/mounts names the mount from the root",
		    strstr(b, " /tmp/t_fb_outer/in tmpfs ") != NULL);
	}
	CHECK_ERR("umount outer with a mount inside", umount(
	    "/tmp/t_fb_outer"), EBUSY);
	CHECK("umount inner", umount("/tmp/t_fb_outer/in") == 0);
	CHECK("umount outer", umount("/tmp/t_fb_outer") == 0);
	rmdir("/tmp/t_fb_outer");
	after = kstat("vnodes");
	if (before >= 0)
		CHECK_EQ("no vnodes left by the mounts", after, before);
}

/*
 * Seed 31: writev's check that the lengths' sum does not overflow was a
 * signed overflow test, which the compiler may drop: writev returned a
 * huge negative count (a "kernel address").  Linux cuts any transfer at
 * MAX_RW_COUNT and refuses only a length that is negative as ssize_t.
 */
static void
writev_huge_total(void)
{
	char b[16] = "x";
	struct iovec v[3];
	int f = open("/dev/null", O_WRONLY);

	for (int i = 0; i < 3; i++)
		v[i] = (struct iovec){ b, 0x3000000000000000UL };
	CHECK_EQ("writev, lengths overflow a long: cut at MAX_RW_COUNT",
	    writev(f, v, 3), 0x7ffff000L);
	v[1].iov_len = (size_t)-5;
	CHECK_ERR("writev, a negative length", writev(f, v, 3), EINVAL);
	CHECK_EQ("write of 2^63-1 bytes to /dev/null: MAX_RW_COUNT",
	    write(f, b, 0x7fffffffffffffffUL), 0x7ffff000L);
	CHECK_ERR("write of a negative count", write(f, b, (size_t)-1),
	    EINVAL);
	close(f);
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

/*
 * The fuzzer's one allowance: a vnode that gets its page-cache object
 * (here a ramfs file's first write) adds one vnode_objects, one
 * vm_objects and one heap object, in class vnode_object_class, and
 * nothing else on the heap.
 */
static void
vnode_object_allowance(void)
{
	static const char *path = "/tmp/t_fuzzbugs.vobj";
	long vo, ko, vm, kc, vc;
	char b[4096], name[32];
	int f;

	if (kstat_text(b, sizeof(b)) < 0)
		return;		/* Linux */
	(void)unlink(path);
	f = open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
	CHECK("create an empty file", f >= 0);
	if (f < 0 || kstat_text(b, sizeof(b)) < 0)
		return;
	snprintf(name, sizeof(name), "kmem_class_%ld",
	    kstat_in(b, "vnode_object_class"));
	vo = kstat_in(b, "vnode_objects");
	ko = kstat_in(b, "kmem_objects");
	vm = kstat_in(b, "vm_objects");
	kc = kstat_in(b, name);
	CHECK("its first write", write(f, "x", 1) == 1);
	kstat_text(b, sizeof(b));
	CHECK_EQ("the file got a page-cache object",
	    kstat_in(b, "vnode_objects"), vo + 1);
	CHECK_EQ("one vm_object", kstat_in(b, "vm_objects"), vm + 1);
	CHECK_EQ("one heap object", kstat_in(b, "kmem_objects"), ko + 1);
	vc = kstat_in(b, name);
	CHECK_EQ("in class vnode_object_class", vc, kc + 1);
	close(f);
	unlink(path);
	CHECK_EQ("unlinked: the object goes with the vnode",
	    kstat("vnode_objects"), vo);
}

/*
 * The counters the fuzzer checks after every round (docs/security.md):
 * all there, each once; the size classes and large objects add up to
 * kmem_objects within one snapshot (one read is one snapshot, taken
 * without sleeping); a kqueue, a knote and a pipe count one each, and
 * closing gives them back.  Skipped on Linux (no /dev/kstat, no kqueue).
 */
static void
kstat_counters(void)
{
	static const char *names[] = { "free_pages", "total_pages",
		"kmem_objects", "kmem_bytes", "procs", "vnodes", "files",
		"vm_check", "kmem_pages", "vnode_objects", "kmem_class_16",
		"kmem_class_32", "kmem_class_64", "kmem_class_128",
		"kmem_class_256", "kmem_class_512", "kmem_class_1024",
		"kmem_class_2048", "kmem_large", "vnode_object_class",
		"vm_objects", "pipes", "kqueues", "knotes", "p9_mounts",
		"p9_fids", "p9_tags" };
	long kq0, kn0, pi0, sum = 0;
	char b[4096], name[32];
	int missing = 0, lines = 0, kq, p[2];

	if (kstat_text(b, sizeof(b)) < 0)
		return;		/* Linux */
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (kstat_in(b, names[i]) < 0) {
			printf("  /dev/kstat has no %s line\n", names[i]);
			missing++;
		}
	for (char *c = b; *c != '\0'; c++)
		lines += *c == '\n';
	CHECK_EQ("/dev/kstat has every counter", missing, 0);
	CHECK_EQ("/dev/kstat has one line per counter", lines,
	    (int)(sizeof(names) / sizeof(names[0])));
	for (int size = 16; size <= 2048; size *= 2) {
		snprintf(name, sizeof(name), "kmem_class_%d", size);
		sum += kstat_in(b, name);
	}
	sum += kstat_in(b, "kmem_large");
	CHECK_EQ("size classes + large = kmem_objects", sum,
	    kstat_in(b, "kmem_objects"));
	CHECK("each 9P mount holds its root fid at least",
	    kstat_in(b, "p9_fids") >= kstat_in(b, "p9_mounts"));
	CHECK_EQ("no 9P request in flight", kstat_in(b, "p9_tags"), 0);

	kq0 = kstat("kqueues");
	kn0 = kstat("knotes");
	pi0 = kstat("pipes");
	kq = kqueue();
	CHECK("kqueue", kq >= 0);
	CHECK_EQ("kqueues + 1", kstat("kqueues"), kq0 + 1);
	CHECK("pipe", pipe(p) == 0);
	CHECK_EQ("pipes + 1", kstat("pipes"), pi0 + 1);
	CHECK("EV_ADD EVFILT_READ", kq_change(kq, p[0], EVFILT_READ, EV_ADD,
	    0, 0, NULL) == 0);
	CHECK_EQ("knotes + 1", kstat("knotes"), kn0 + 1);
	close(kq);
	CHECK_EQ("close(kq): kqueues back", kstat("kqueues"), kq0);
	CHECK_EQ("close(kq): knotes back", kstat("knotes"), kn0);
	kq = kqueue();
	CHECK("EV_ADD on the write end", kq_change(kq, p[1], EVFILT_WRITE,
	    EV_ADD, 0, 0, NULL) == 0);
	CHECK_EQ("knotes + 1 again", kstat("knotes"), kn0 + 1);
	close(p[1]);
	CHECK_EQ("close(fd): its knote goes", kstat("knotes"), kn0);
	close(p[0]);
	CHECK_EQ("close both ends: pipes back", kstat("pipes"), pi0);
	close(kq);
	CHECK_EQ("kqueues back", kstat("kqueues"), kq0);
	vnode_object_allowance();
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
	umount_with_submount();
	writev_huge_total();
	kstat_eof();
	kstat_counters();
	return (t_done());
}
