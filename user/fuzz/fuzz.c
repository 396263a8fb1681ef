/*
 * fuzz.c: /bin/fuzz, the system call fuzzer (issue 9).
 *
 *   fuzz run [-s SEED] [-t SECONDS] [-w WORKERS] [-c CHECK_SECONDS]
 *   fuzz run -s SEED -r W:G [-v]  replay generation G of worker W alone
 *   ... -o NAME,NAME...           only these calls (to narrow a failure)
 *   fuzz ANYTHING-ELSE            exit 0 at once (the execve target)
 *
 * The parent forks WORKERS workers.  Each worker runs one "generation": a
 * seeded random sequence of every system call in include/uapi/syscalls.def
 * with hostile arguments (NULL, unmapped, kernel-half, non-canonical,
 * misaligned and just-unmapped pointers, huge and negative lengths, random
 * flags, closed and recycled descriptors), forking children that fuzz a
 * little and exit, and dying when it hurts itself (a bad rt_sigreturn, a
 * random signal handler) -- that is expected.  The sequence depends only on
 * (SEED, worker, generation), so a generation replays with -r.  Meanwhile
 * the parent sends signals at random moments, kills workers that outlive
 * their generation (a worker SIGKILL cannot remove within 10 s is a kernel
 * hang), and every CHECK seconds stops everything and checks the kernel's
 * counters in /dev/kstat against the baseline read after a 4 s warm-up
 * round: processes, open files, vnodes, heap objects, free pages, and the
 * vm_map and page-table checker (vm_check); a call that returns a
 * kernel-half address fails the run too.  It prints a heartbeat line every
 * 5 s; tools/fuzz on the host turns a panic, a hang (qrun's timeout, a
 * missing final line) or an invariant failure into a report naming the seed.
 *
 * Each worker logs its calls to a ring in shared memory; the parent prints
 * the tail of the rings when something goes wrong.  What is left out by
 * design, so that the run cannot end itself (docs/security.md): reboot only
 * with wrong magic numbers; exit only in workers and their children;
 * kill/tkill/tgkill/setpgid/prlimit64/wait only on the caller, its own
 * children, its own group or pids that do not exist (never 1, -1 or the
 * parent); execve only of bad pointers, missing files and this program in
 * its harmless --exec-target mode; paths that create, change or remove
 * files only under the worker's scratch directory /tmp/fuzz/wN (read-only
 * calls also look at /, /etc, /dev); no tty devices (the console is the
 * parent's); clone and vfork children exit at once; mknod never makes a
 * tty or /dev/kmsg node.  setuid games are allowed: the parent stays root.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NWORKERS_MAX	16
#define RING		64
#define GEN_CALLS	4000	/* calls per generation at most */
#define GEN_MS		3000	/* and milliseconds */
#define CHILD_CALLS	24	/* calls a forked child makes */
#define BUFSZ		65536
#define ARENA_PAGES	256
#define PG		4096UL
#define PAGE_SLACK	16	/* free pages a check may find missing */
#define WARMUP_MS	4000	/* fuzzing before the baseline is read */
#define PENDING		((int64_t)0x7eadbeefcafe0000LL)

/* ---- the list of calls ---- */

struct sc {
	int nr;
	const char *name;
	const char *args;	/* one letter per argument, see gen_arg */
};

static struct sc calls[] = {
#define SYSCALL(nr, name) { nr, #name, NULL },
#include "../../include/uapi/syscalls.def"
#undef SYSCALL
};
#define NCALLS	(sizeof(calls) / sizeof(calls[0]))
#define NCALLS_MAX	512

/*
 * Argument letters.  f fd, k dirfd, i buffer the kernel reads, o buffer
 * it writes, l length, n int, F flags, m mode, u uid/gid, s signal,
 * d pid (sanitized), a address in the arena, t timespec pointer, v iovec
 * pointer, z sigset size, T small seconds, P path that may be changed,
 * p path only looked at, O path opened, x anything.  '!' = special case.
 */
static const struct { const char *name, *args; } specs[] = {
	{ "read", "fol" }, { "write", "fil" }, { "open", "OFm" },
	{ "close", "f" }, { "stat", "po" }, { "fstat", "fo" },
	{ "lstat", "po" }, { "poll", "onT" }, { "lseek", "fxn" },
	{ "mmap", "!" }, { "mprotect", "alF" }, { "munmap", "al" },
	{ "brk", "x" }, { "rt_sigaction", "sooz" },
	{ "rt_sigprocmask", "nooz" }, { "rt_sigreturn", "!" },
	{ "ioctl", "!" }, { "pread64", "folx" }, { "pwrite64", "filx" },
	{ "readv", "fvn" }, { "writev", "fvn" }, { "access", "pn" },
	{ "pipe", "o" }, { "select", "noooo" }, { "sched_yield", "" },
	{ "mremap", "allFa" }, { "msync", "alF" }, { "mincore", "alo" },
	{ "madvise", "aln" }, { "dup", "f" }, { "dup2", "ff" },
	{ "pause", "" }, { "nanosleep", "to" }, { "getitimer", "no" },
	{ "alarm", "T" }, { "setitimer", "nio" }, { "getpid", "" },
	{ "sendfile", "ffol" }, { "clone", "!" }, { "fork", "!" },
	{ "vfork", "!" }, { "execve", "!" }, { "exit", "!" },
	{ "wait4", "dono" }, { "kill", "!" }, { "uname", "o" },
	{ "fcntl", "fnx" }, { "flock", "fn" }, { "fsync", "f" },
	{ "fdatasync", "f" }, { "truncate", "Px" }, { "ftruncate", "fx" },
	{ "getdents", "fol" }, { "getcwd", "ol" }, { "chdir", "P" },
	{ "fchdir", "f" }, { "rename", "PP" }, { "mkdir", "Pm" },
	{ "rmdir", "P" }, { "creat", "Pm" }, { "link", "PP" },
	{ "unlink", "P" }, { "symlink", "!" }, { "readlink", "pol" },
	{ "chmod", "Pm" }, { "fchmod", "fm" }, { "chown", "Puu" },
	{ "fchown", "fuu" }, { "lchown", "Puu" }, { "umask", "m" },
	{ "gettimeofday", "oo" }, { "getrlimit", "no" },
	{ "getrusage", "no" }, { "sysinfo", "o" }, { "times", "o" },
	{ "setuid", "u" }, { "setgid", "u" }, { "setpgid", "!" },
	{ "setreuid", "uu" }, { "setregid", "uu" }, { "getgroups", "no" },
	{ "setgroups", "ni" }, { "setresuid", "uuu" },
	{ "getresuid", "ooo" }, { "setresgid", "uuu" },
	{ "getresgid", "ooo" }, { "getpgid", "d" }, { "getsid", "d" },
	{ "rt_sigpending", "oz" }, { "rt_sigtimedwait", "iotz" },
	{ "rt_sigsuspend", "iz" }, { "sigaltstack", "io" },
	{ "utime", "Pi" }, { "mknod", "!" }, { "statfs", "po" },
	{ "fstatfs", "fo" }, { "mlock", "al" }, { "munlock", "al" },
	{ "mlockall", "F" }, { "munlockall", "" }, { "prctl", "nxxxx" },
	{ "arch_prctl", "!" }, { "setrlimit", "ni" }, { "chroot", "P" },
	{ "sync", "" }, { "mount", "!" }, { "umount2", "!" },
	{ "reboot", "!" }, { "sethostname", "il" }, { "tkill", "!" },
	{ "time", "o" }, { "futex", "onntoan" }, { "getdents64", "fol" },
	{ "set_tid_address", "o" }, { "clock_gettime", "no" },
	{ "clock_getres", "no" }, { "clock_nanosleep", "nFto" },
	{ "exit_group", "!" }, { "tgkill", "!" }, { "utimes", "Pi" },
	{ "waitid", "ndono" }, { "openat", "kOFm" }, { "mkdirat", "kPm" },
	{ "mknodat", "!" }, { "fchownat", "kPuuF" },
	{ "newfstatat", "kpoF" }, { "unlinkat", "kPF" },
	{ "renameat", "kPkP" }, { "linkat", "kPkPF" },
	{ "symlinkat", "!" }, { "readlinkat", "kpol" },
	{ "fchmodat", "kPmF" }, { "faccessat", "kpn" },
	{ "pselect6", "noooto" }, { "ppoll", "ontoz" },
	{ "utimensat", "kPiF" }, { "dup3", "ffF" }, { "pipe2", "oF" },
	{ "prlimit64", "!" }, { "renameat2", "kPkPF" },
	{ "getrandom", "olF" }, { "mlock2", "alF" },
	{ "statx", "kpFno" }, { "faccessat2", "kpnF" },
	{ "minherit", "aln" },
};

/* ---- shared log ---- */

struct rec {
	uint32_t seq;
	int32_t pid;
	int32_t nr;
	uint64_t a[6];
	int64_t ret;
};

struct slot {
	volatile pid_t pid;
	volatile uint32_t gen;
	volatile uint64_t calls;	/* total over generations */
	volatile uint32_t seq;
	volatile int32_t kleak;		/* 1 + nr of a call that returned a
					 * kernel-half address, or 0 */
	volatile uint64_t kleak_ret;
	struct rec ring[RING];
};

static struct slot *slots;
static struct slot *me;
static uint64_t seed = 1;
static int nworkers = 4;
static int verbose;
static int vfd = -1;		/* replay: console for the trace */

/* ---- random numbers (xorshift64*, seeded by splitmix64) ---- */

static uint64_t rs;

static uint64_t
splitmix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return (x ^ (x >> 31));
}

static uint64_t
rnd(void)
{
	rs ^= rs >> 12;
	rs ^= rs << 25;
	rs ^= rs >> 27;
	return (rs * 2685821657736338717ULL);
}

static uint64_t
rn(uint64_t n)
{
	return (n == 0 ? 0 : rnd() % n);
}

static int
pct(int p)
{
	return ((int)rn(100) < p);
}

/* ---- raw system calls: the negative errno, no libc state ---- */

static long
raw6(long nr, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b),
	    "d"(c), "r"(r10), "r"(r8), "r"(r9) : "rcx", "r11", "memory");
	return (ret);
}

/*
 * clone/vfork/fork whose child exits at once without touching memory: any
 * flags and stack pointer are then safe for the worker.
 */
static long
raw_fork_exit(long nr, long a, long b, long c, long d, long e)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	long ret;

	__asm__ volatile("syscall\n\t"
	    "test %%rax, %%rax\n\t"
	    "jnz 1f\n\t"
	    "mov $60, %%eax\n\t"
	    "xor %%edi, %%edi\n\t"
	    "syscall\n\t"
	    "1:"
	    : "=a"(ret) : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8)
	    : "rcx", "r11", "memory");
	return (ret);
}

/*
 * size bytes (page multiple) with an inaccessible page on each side, so a
 * call that writes past the end of one region (getrandom into the arena
 * with a huge length) faults instead of landing in the next mapping --
 * the kernel does that rightly, and the shared log must survive it.
 */
static void *
guarded(size_t size, int shared)
{
	char *p = mmap(NULL, size + 2 * PG, PROT_NONE, MAP_ANONYMOUS |
	    (shared ? MAP_SHARED : MAP_PRIVATE), -1, 0);

	if (p == MAP_FAILED ||
	    mprotect(p + PG, size, PROT_READ | PROT_WRITE) != 0)
		return (MAP_FAILED);
	return (p + PG);
}

/* ---- the worker's world ---- */

static unsigned char *buf;	/* BUFSZ bytes between guard pages */
static char *arena;		/* ARENA_PAGES pages the fuzz may remap */
static char *hole;		/* a page just unmapped */
static char *ropage;		/* a read-only page */
static char *edge;		/* a rw page with the hole after it */
static char scratch[64];	/* /tmp/fuzz/wN */
static int widx, depth, nchildren;
static pid_t children[32];
static int fds[32], nfds;
static char paths[24][128];
static int npaths;
static char longpath[5000];
static volatile int sigcount;
static char self_path[128] = "/proc/self/exe";

static uint64_t
kptr(void)
{
	static const uint64_t k[] = { 0xffff800000000000ULL,
		0xffffffff80000000ULL, 0xffffffff80100000ULL,
		0xffff800000001000ULL, 0xfffffffffffff000ULL };

	return (k[rn(5)] + (pct(50) ? 0 : rn(1 << 20)));
}

static uint64_t
ptr(int out)
{
	int r = (int)rn(100);

	if (r < 45)
		return ((uint64_t)buf + (pct(85) ? rn(BUFSZ / 2) & ~7UL :
		    rn(BUFSZ)));
	if (r < 52)
		return (0);
	if (r < 55)
		return (1 + rn(4095));
	if (r < 62)
		return (kptr());
	if (r < 66)
		return (pct(50) ? 0x0000800000000000ULL :
		    0x8000000000000000ULL + rn(1 << 20));
	if (r < 72)
		return ((uint64_t)hole + rn(PG));
	if (r < 78)
		return ((uint64_t)ropage + (out ? rn(PG) : 0));
	if (r < 84)
		return ((uint64_t)edge + PG - 1 - rn(64));
	if (r < 90)
		return ((uint64_t)arena + rn(ARENA_PAGES * PG));
	if (r < 93)
		return ((uint64_t)-1 - rn(16));
	return (rnd() & (pct(50) ? 0x7fffffffffffULL : ~0ULL));
}

static uint64_t
len(void)
{
	int r = (int)rn(100);

	if (r < 30)
		return (rn(65));
	if (r < 50)
		return (rn(4097));
	if (r < 60)
		return (rn(BUFSZ / 2));
	if (r < 65)
		return (0);
	if (r < 70)
		return (1ULL << (32 + rn(31)));
	if (r < 75)
		return ((uint64_t)-1 - rn(2));
	if (r < 80)
		return (0x7fffffff + rn(2));
	if (r < 85)
		return (PG + 1);
	return (rnd() & 0xffffffff);
}

static uint64_t
num(void)
{
	static const uint64_t v[] = { 0, 1, 2, 3, (uint64_t)-1, 0x7fffffff,
		0x80000000, 0xffffffff, 0x7fffffffffffffffULL,
		0x8000000000000000ULL, 4096, 64, 65 };
	int r = (int)rn(100);

	if (r < 35)
		return (rn(9));
	if (r < 55)
		return (v[rn(sizeof(v) / sizeof(v[0]))]);
	if (r < 70)
		return (rn(65));
	if (r < 85)
		return (rnd() & 0xffffffff);
	return (rnd());
}

static uint64_t
flags(void)
{
	int r = (int)rn(100);

	if (r < 20)
		return (0);
	if (r < 50)
		return (1ULL << rn(32));
	if (r < 70)
		return ((1ULL << rn(32)) | (1ULL << rn(32)) | rn(8));
	if (r < 85)
		return (rnd() & 0xffffffff);
	return (rn(256));
}

static uint64_t
fd(void)
{
	int r = (int)rn(100);

	if (r < 50)
		return (rn(24));
	if (r < 70 && nfds > 0)
		return (fds[rn(nfds)]);
	if (r < 78)
		return ((uint64_t)-1);
	if (r < 83)
		return (pct(50) ? 0x7fffffff : 1 << 20);
	if (r < 88)
		return ((uint64_t)(int64_t)-100);	/* AT_FDCWD */
	if (r < 93)
		return (rnd() & 0xffffffff);
	return (rn(3));
}

static pid_t
pid(void)
{
	int r = (int)rn(100);

	if (r < 25)
		return (0);
	if (r < 45)
		return (getpid());
	if (r < 65 && nchildren > 0)
		return (children[rn(nchildren)]);
	if (r < 75)
		return (-getpid());		/* our own group (setsid) */
	if (r < 85)
		return (0x3ffffff0 + (pid_t)rn(8));	/* no such process */
	if (r < 92)
		return (INT32_MIN);
	return (-(0x3ffffff0 + (pid_t)rn(8)));
}

static uint64_t
path(int kind)		/* 'P' changed, 'p' looked at, 'O' opened */
{
	static const char *ro[] = { "/", "/etc/passwd", "/bin/busybox",
		"/dev/null", "/proc/self/stat", "..", "/tmp", "/dev",
		"/nonexistent/x", "/etc/../etc/./passwd", "/proc" };
	static const char *dev[] = { "/dev/null", "/dev/zero", "/dev/full",
		"/dev/urandom", "/dev/kstat" };
	int r = (int)rn(100);

	if (r < 8) {
		/*
		 * Bad pointers, but never into memory the kernel or stir()
		 * fills with random bytes: a random "/x" or "../x" there
		 * would create files outside the scratch directory.
		 */
		uint64_t v[] = { 0, 1 + rn(4095), kptr(),
			0x0000800000000000ULL, (uint64_t)hole + rn(PG),
			(uint64_t)ropage + rn(PG), (uint64_t)-1,
			(uint64_t)paths[rn(npaths)] + 1 };

		return (kind == 'p' ? ptr(0) : v[rn(8)]);
	}
	if (r < 10)
		return ((uint64_t)longpath);
	if (kind == 'p' && r < 30)
		return ((uint64_t)ro[rn(sizeof(ro) / sizeof(ro[0]))]);
	if (kind == 'O' && r < 22)
		return ((uint64_t)dev[rn(sizeof(dev) / sizeof(dev[0]))]);
	return ((uint64_t)paths[rn(npaths)]);
}

/* A small timespec (0 .. 10 ms) in buf, or any pointer. */
static uint64_t
tspec(void)
{
	uint64_t *t;

	if (pct(30))
		return (ptr(0));
	t = (uint64_t *)(buf + BUFSZ - 64);
	t[0] = pct(95) ? 0 : rn(3);
	t[1] = pct(90) ? rn(10000000) : num();
	return ((uint64_t)t);
}

static uint64_t
iov(void)
{
	uint64_t *v = (uint64_t *)(buf + BUFSZ - 4096);

	if (pct(20))
		return (ptr(0));
	for (int i = 0; i < 16; i++) {
		v[2 * i] = pct(80) ? (uint64_t)buf + rn(BUFSZ / 2) : ptr(1);
		v[2 * i + 1] = pct(80) ? rn(512) : len();
	}
	return ((uint64_t)v);
}

static uint64_t
gen_arg(int c)
{
	switch (c) {
	case 'f':
		return (fd());
	case 'k':
		return (pct(50) ? (uint64_t)(int64_t)-100 : fd());
	case 'i':
		return (ptr(0));
	case 'o':
		return (ptr(1));
	case 'l':
		return (len());
	case 'n':
		return (num());
	case 'F':
		return (flags());
	case 'm':
		return (pct(80) ? rn(07777) : rnd() & 0xffffffff);
	case 'u': {
		static const uint64_t u[] = { 0, 1000, (uint64_t)-1,
			0xffffffff, 65534, 1 };
		return (pct(80) ? u[rn(6)] : rnd() & 0xffffffff);
	}
	case 's':
		return (pct(85) ? rn(65) : num());
	case 'd':
		return ((uint64_t)(int64_t)pid());
	case 'a':
		if (pct(80))
			return ((uint64_t)arena + rn(ARENA_PAGES) * PG +
			    (pct(95) ? 0 : rn(PG)));
		return (ptr(0));
	case 't':
		return (tspec());
	case 'v':
		return (iov());
	case 'z':
		return (pct(80) ? 8 : len());
	case 'T':
		return (pct(90) ? rn(2) : num());
	case 'P':
	case 'p':
	case 'O':
		return (path(c));
	default:
		return (pct(40) ? ptr(0) : num());
	}
}

/* Refill part of buf with words a kernel might half-believe. */
static void
stir(void)
{
	uint64_t *w = (uint64_t *)buf;
	size_t n = BUFSZ / 8 - 1024;	/* the top is tspec/iov space */

	for (int i = 0; i < 64; i++) {
		size_t k = rn(n);

		switch (rn(6)) {
		case 0: w[k] = rn(64); break;
		case 1: w[k] = (uint64_t)buf + rn(BUFSZ / 2); break;
		case 2: w[k] = num(); break;
		case 3: w[k] = rnd(); break;
		case 4: w[k] = 0; break;
		default: w[k] = ptr(0); break;
		}
	}
}

/* ---- one call ---- */

static void
record(int nr, const uint64_t *a)
{
	struct rec *r;

	me->seq++;
	me->calls++;
	r = &me->ring[me->seq % RING];
	r->seq = me->seq;
	r->pid = getpid();
	r->nr = nr;
	memcpy(r->a, a, sizeof(r->a));
	r->ret = PENDING;
	if (verbose && vfd >= 0) {
		char line[256];
		int n = snprintf(line, sizeof(line),
		    "call %u nr %d (%#lx, %#lx, %#lx, %#lx, %#lx, %#lx)\n",
		    me->seq, nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		(void)raw6(1, vfd, (long)line, n, 0, 0, 0);
	}
}

static void fuzz_loop(int ncalls);

static int
killable_sig(int s)
{
	/* Stopping ourselves is fine: the parent continues or kills us. */
	return (s);
}

static long
special(const struct sc *c, uint64_t *a)
{
	const char *n = c->name;
	long r;

	if (strcmp(n, "fork") == 0) {
		if (depth >= 2 || nchildren >= 32)
			return (raw6(39, 0, 0, 0, 0, 0, 0));
		record(c->nr, a);
		r = raw6(c->nr, 0, 0, 0, 0, 0, 0);
		if (r == 0) {
			depth++;
			nchildren = 0;
			rs = splitmix(rs ^ 0xc0ffee);
			fuzz_loop(CHILD_CALLS);
			_exit(0);
		}
		if (r > 0)
			children[nchildren++] = (pid_t)r;
		return (r);
	}
	if (strcmp(n, "clone") == 0 || strcmp(n, "vfork") == 0) {
		for (int i = 0; i < 5; i++)
			a[i] = gen_arg(i == 0 ? 'F' : 'x');
		if (pct(60))
			a[0] = (a[0] & ~0xffUL) | SIGCHLD;
		record(c->nr, a);
		r = raw_fork_exit(c->nr, a[0], a[1], a[2], a[3], a[4]);
		if (r > 0 && nchildren < 32)
			children[nchildren++] = (pid_t)r;
		return (r);
	}
	if (strcmp(n, "execve") == 0) {
		static char *argv[] = { self_path, "--exec-target", NULL };
		static const char *bad[] = { "/nonexistent", "/dev/null",
			"/tmp", "/etc/passwd" };
		int r2 = (int)rn(100);

		a[0] = r2 < 30 ? ptr(0) : r2 < 70 ?
		    (uint64_t)bad[rn(4)] : (uint64_t)self_path;
		a[1] = a[0] == (uint64_t)self_path && pct(70) ?
		    (uint64_t)argv : ptr(0);
		a[2] = pct(50) ? 0 : ptr(0);
		record(c->nr, a);
		if (a[0] == (uint64_t)self_path && a[1] == (uint64_t)argv &&
		    depth == 0)
			return (-1);	/* the worker itself stays */
		return (raw6(c->nr, a[0], a[1], a[2], 0, 0, 0));
	}
	if (strcmp(n, "exit") == 0 || strcmp(n, "exit_group") == 0) {
		if (pct(90))
			return (raw6(39, 0, 0, 0, 0, 0, 0));
		a[0] = num();
		record(c->nr, a);
		return (raw6(c->nr, a[0], 0, 0, 0, 0, 0));
	}
	if (strcmp(n, "kill") == 0) {
		a[0] = (uint64_t)(int64_t)pid();
		a[1] = gen_arg('s');
		record(c->nr, a);
		return (raw6(c->nr, a[0], killable_sig((int)a[1]), 0, 0, 0,
		    0));
	}
	if (strcmp(n, "tkill") == 0 || strcmp(n, "tgkill") == 0) {
		pid_t p = pid();

		a[0] = (uint64_t)(int64_t)(p == 0 ? getpid() : p);
		a[1] = c->nr == 234 ? a[0] : gen_arg('s');
		a[2] = gen_arg('s');
		if (c->nr == 200)
			a[2] = 0;
		record(c->nr, a);
		return (raw6(c->nr, a[0], a[1], a[2], 0, 0, 0));
	}
	if (strcmp(n, "setpgid") == 0) {
		a[0] = pct(50) ? 0 : (uint64_t)(int64_t)pid();
		a[1] = pct(50) ? 0 : a[0];
		if ((int64_t)a[1] < 0)
			a[1] = 0;
		record(c->nr, a);
		return (raw6(c->nr, a[0], a[1], 0, 0, 0, 0));
	}
	if (strcmp(n, "prlimit64") == 0) {
		a[0] = pct(60) ? 0 : (uint64_t)(int64_t)pid();
		a[1] = num();
		a[2] = ptr(0);
		a[3] = ptr(1);
		record(c->nr, a);
		return (raw6(c->nr, a[0], a[1], a[2], a[3], 0, 0));
	}
	if (strcmp(n, "reboot") == 0) {
		a[0] = pct(50) ? 0xfee1deadUL ^ (1UL << rn(32)) : num();
		if ((uint32_t)a[0] == 0xfee1dead)
			a[0] = 0;
		a[1] = num();
		a[2] = num();
		a[3] = ptr(0);
		record(c->nr, a);
		return (raw6(c->nr, a[0], a[1], a[2], a[3], 0, 0));
	}
	if (strcmp(n, "mount") == 0) {
		static const char *fs[] = { "ramfs", "tmpfs", "devfs", "proc",
			"9p", "bogus", "" };
		a[0] = path('P');
		a[1] = pct(70) ? (uint64_t)paths[2] : path('P'); /* d0 */
		a[2] = pct(80) ? (uint64_t)fs[rn(7)] : ptr(0);
		a[3] = flags();
		a[4] = pct(50) ? 0 : ptr(0);
		record(c->nr, a);
		return (raw6(c->nr, a[0], a[1], a[2], a[3], a[4], 0));
	}
	if (strcmp(n, "umount2") == 0) {
		a[0] = pct(60) ? (uint64_t)paths[2] : path('P');
		a[1] = pct(50) ? 0 : flags();
		record(c->nr, a);
		return (raw6(c->nr, a[0], a[1], 0, 0, 0, 0));
	}
	if (strcmp(n, "symlink") == 0 || strcmp(n, "symlinkat") == 0) {
		static const char *tg[] = { "f0", "d0", "l0", "nonexistent",
			"../w0x", "/dev/null", "" };
		int at = c->nr == 266;

		/* A random target could point anywhere: not from buf. */
		a[0] = pct(85) ? (uint64_t)tg[rn(7)] : path('P');
		if (at) {
			a[1] = gen_arg('k');
			a[2] = path('P');
		} else
			a[1] = path('P');
		record(c->nr, a);
		return (raw6(c->nr, a[0], a[1], a[2], 0, 0, 0));
	}
	if (strcmp(n, "mknod") == 0 || strcmp(n, "mknodat") == 0) {
		int at = c->nr == 259, i = 0;
		uint64_t dev = pct(50) ? 0 : num();
		unsigned ma = major(dev);

		if (ma == 4 || ma == 5 || dev == makedev(1, 11))
			dev = makedev(1, 3);
		if (at)
			a[i++] = gen_arg('k');
		a[i++] = path('P');
		a[i++] = pct(70) ? (uint64_t)(rn(2) ? S_IFIFO : S_IFREG) |
		    rn(0777) : (S_IFCHR | 0600) ^ (pct(30) ? flags() : 0);
		a[i++] = dev;
		record(c->nr, a);
		return (raw6(c->nr, a[0], a[1], a[2], a[3], 0, 0));
	}
	if (strcmp(n, "ioctl") == 0) {
		static const uint64_t cmds[] = { 0x5401, 0x5402, 0x5403,
			0x5404, 0x540b, 0x540e, 0x540f, 0x5410, 0x5413,
			0x5414, 0x541b, 0x5421, 0x5451, 0x5450, 0x5422,
			0x80045430, 0x40045431 };

		a[0] = fd();
		a[1] = pct(70) ? cmds[rn(17)] : num();
		a[2] = pct(80) ? ptr(1) : num();
		/* No tty is open here, but the console's fds are not ours. */
		if (a[0] <= 2)
			a[0] = 3 + rn(8);
		record(c->nr, a);
		return (raw6(c->nr, a[0], a[1], a[2], 0, 0, 0));
	}
	if (strcmp(n, "mmap") == 0) {
		a[0] = pct(50) ? 0 : gen_arg('a');
		a[1] = pct(70) ? PG * (1 + rn(16)) : len();
		a[2] = pct(70) ? rn(8) : flags();
		a[3] = pct(70) ? (rn(2) ? MAP_PRIVATE : MAP_SHARED) |
		    (pct(60) ? MAP_ANONYMOUS : 0) | (pct(30) ? MAP_FIXED : 0) |
		    (pct(10) ? MAP_POPULATE : 0) : flags();
		/* MAP_FIXED only inside the arena, unless rarely. */
		if ((a[3] & MAP_FIXED) && !pct(2))
			a[0] = (uint64_t)arena + rn(ARENA_PAGES - 16) * PG;
		a[4] = fd();
		a[5] = pct(70) ? rn(4) * PG : num();
		record(c->nr, a);
		return (raw6(c->nr, a[0], a[1], a[2], a[3], a[4], a[5]));
	}
	if (strcmp(n, "rt_sigreturn") == 0) {
		if (!pct(10))
			return (raw6(39, 0, 0, 0, 0, 0, 0));
		record(c->nr, a);
		return (raw6(c->nr, 0, 0, 0, 0, 0, 0));	/* likely fatal */
	}
	if (strcmp(n, "arch_prctl") == 0) {
		a[0] = pct(50) ? 0x1001 + rn(4) : num();
		a[1] = pct(50) ? ptr(1) : kptr();
		/* ARCH_SET_FS/GS to anything is fatal to musl: rarely. */
		if ((a[0] == 0x1002 || a[0] == 0x1001) && !pct(5))
			a[0] = 0x1003 + rn(2);
		record(c->nr, a);
		return (raw6(c->nr, a[0], a[1], 0, 0, 0, 0));
	}
	return (-ENOSYS);
}

static void
track(const struct sc *c, long r)
{
	const char *n = c->name;

	if (r < 0 || r > 1000000)
		return;
	if (strcmp(n, "open") == 0 || strcmp(n, "openat") == 0 ||
	    strcmp(n, "creat") == 0 || strncmp(n, "dup", 3) == 0 ||
	    strcmp(n, "fcntl") == 0 || strncmp(n, "kqueue", 6) == 0) {
		if (nfds < 32)
			fds[nfds++] = (int)r;
		else
			fds[rn(32)] = (int)r;
	}
}

static int only[NCALLS_MAX], nonly;	/* -o: these calls only */

static void
one_call(void)
{
	const struct sc *c = &calls[nonly > 0 ? only[rn(nonly)] :
	    (int)rn(NCALLS)];
	uint64_t a[6] = { 0 };
	long r;

	if (pct(5))
		stir();
	if (c->args != NULL && c->args[0] == '!') {
		r = special(c, a);
	} else {
		const char *s = c->args != NULL ? c->args : "xxxxxx";

		for (int i = 0; s[i] != '\0' && i < 6; i++)
			a[i] = gen_arg(s[i]);
		/* Sometimes garbage in the unused registers too. */
		if (pct(10))
			for (int i = (int)strlen(s); i < 6; i++)
				a[i] = rnd();
		record(c->nr, a);
		r = raw6(c->nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	}
	me->ring[me->seq % RING].ret = r;
	/* A result in the kernel half is a kernel address leaking out. */
	if ((uint64_t)r >= 0xffff800000000000ULL &&
	    (uint64_t)r < 0xfffffffff0000000ULL && me->kleak == 0) {
		me->kleak_ret = (uint64_t)r;
		me->kleak = c->nr + 1;
	}
	track(c, r);
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

static void
fuzz_loop(int ncalls)
{
	uint64_t end = now_ms() + GEN_MS;

	for (int i = 0; i < ncalls; i++) {
		one_call();
		if ((i & 31) == 31 && now_ms() > end)
			break;
		/* Reap our children now and then (they also die with us). */
		if ((i & 15) == 15)
			while (raw6(61, -1, 0, 1 /* WNOHANG */, 0, 0, 0) > 0)
				;
	}
}

static void
on_sig(int s)
{
	sigcount++;
}

static void
worker(int w, uint32_t gen)
{
	struct sigaction sa;
	int sigs[] = { SIGUSR1, SIGUSR2, SIGALRM, SIGCHLD, SIGWINCH, SIGHUP,
		SIGTERM, SIGURG };
	int d;

	rs = splitmix(seed ^ splitmix(((uint64_t)w << 32) | gen));
	widx = w;
	me = &slots[w];
	me->gen = gen;
	if (!verbose)
		setsid();
	/* The console belongs to the parent. */
	d = open("/dev/null", O_RDWR);
	if (verbose)
		vfd = dup2(2, 200);
	dup2(d, 0);
	dup2(d, 1);
	dup2(d, 2);
	if (d > 2)
		close(d);
	snprintf(scratch, sizeof(scratch), "/tmp/fuzz/w%d", w);
	mkdir("/tmp/fuzz", 0777);
	mkdir(scratch, 0777);
	if (chdir(scratch) != 0)
		_exit(2);
	npaths = 0;
	{
		static const char *rel[] = { "f0", "d0", "d0/f2", "d0/d1",
			"p0", "l0", "f1", "d0/d1/f3", "nonexistent/x", ".",
			"", "f0/", "d0/../f1", "l0/x" };

		snprintf(paths[npaths++], 128, "%s/f0", scratch);
		snprintf(paths[npaths++], 128, "%s/f1", scratch);
		snprintf(paths[npaths++], 128, "%s/d0", scratch);
		snprintf(paths[npaths++], 128, "%s/d0/d1", scratch);
		snprintf(paths[npaths++], 128, "%s/l0", scratch);
		snprintf(paths[npaths++], 128, "%s/p0", scratch);
		snprintf(paths[npaths++], 128, "%s", scratch);
		for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++)
			snprintf(paths[npaths++], 128, "%s", rel[i]);
	}
	memset(longpath, 'a', sizeof(longpath) - 1);
	mkdir("d0", 0777);
	mkfifo("p0", 0666);
	symlink("f0", "l0");
	nfds = 0;
	fds[nfds++] = open("f0", O_RDWR | O_CREAT, 0666);
	fds[nfds++] = open(".", O_RDONLY | O_DIRECTORY);
	{
		int p[2];

		if (pipe(p) == 0) {
			fds[nfds++] = p[0];
			fds[nfds++] = p[1];
		}
	}
	fds[nfds++] = open("/dev/zero", O_RDONLY);
	arena = guarded(ARENA_PAGES * PG, 0);
	hole = guarded(3 * PG, 0);
	buf = guarded(BUFSZ, 0);
	if (arena == MAP_FAILED || hole == MAP_FAILED || buf == MAP_FAILED)
		_exit(3);
	edge = hole;
	ropage = hole + 2 * PG;
	hole += PG;
	munmap(hole, PG);
	mprotect(ropage, PG, PROT_READ);
	for (size_t i = 0; i < BUFSZ / 8; i++)
		((uint64_t *)buf)[i] = 0;
	for (int i = 0; i < 64; i++)
		stir();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sig;
	sa.sa_flags = pct(50) ? SA_RESTART : 0;
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);
	signal(SIGTTIN, SIG_IGN);
	fuzz_loop(GEN_CALLS);
	_exit(0);
}

/* ---- the parent ---- */

struct kstat {
	long v[10];
};
static const char *kstat_names[] = { "free_pages", "total_pages",
	"kmem_objects", "kmem_bytes", "procs", "vnodes", "files",
	"vm_check", "kmem_pages", "vnode_objects" };

static int
read_kstat(struct kstat *k)
{
	char b[1024], *p;
	int f, n;

	memset(k, 0, sizeof(*k));
	f = open("/dev/kstat", O_RDONLY);
	if (f < 0)
		return (-1);
	n = (int)pread(f, b, sizeof(b) - 1, 0);
	close(f);
	if (n <= 0)
		return (-1);
	b[n] = '\0';
	for (int i = 0; i < 10; i++) {
		p = strstr(b, kstat_names[i]);
		if (p != NULL)
			k->v[i] = strtol(p + strlen(kstat_names[i]), NULL, 10);
	}
	return (0);
}

/* Ask the kernel to print its live heap objects by caller (console). */
static void
kmem_dump(const char *why)
{
	int f = open("/dev/kstat", O_WRONLY);

	if (f >= 0) {
		(void)write(f, why, strlen(why));
		close(f);
	}
}

static void
dump_ring(int w, int last)
{
	struct slot *s = &slots[w];

	printf("fuzz: worker %d generation %u pid %d: last calls\n", w,
	    s->gen, s->pid);
	for (uint32_t q = s->seq > (uint32_t)last ? s->seq - last + 1 : 1;
	    q <= s->seq; q++) {
		struct rec *r = &s->ring[q % RING];
		const char *name = "?";

		if (r->seq != q)
			continue;
		for (size_t i = 0; i < NCALLS; i++)
			if (calls[i].nr == r->nr)
				name = calls[i].name;
		printf("fuzz:   #%u pid %d %s(%#lx, %#lx, %#lx, %#lx, %#lx, "
		    "%#lx) = ", r->seq, r->pid, name, r->a[0], r->a[1],
		    r->a[2], r->a[3], r->a[4], r->a[5]);
		if (r->ret == PENDING)
			printf("(in the call)\n");
		else
			printf("%ld\n", (long)r->ret);
	}
}

static void
rmtree(const char *p, int lvl)
{
	/* Depth-first removal with getdents through busybox-free code. */
	char sub[4096];
	struct stat st;
	int d;

	if (lstat(p, &st) != 0)
		return;
	if (!S_ISDIR(st.st_mode) || lvl > 16) {
		unlink(p);
		return;
	}
	chmod(p, 0777);
	while (umount2(p, 0) == 0)
		;
	d = open(p, O_RDONLY | O_DIRECTORY);
	if (d >= 0) {
		char db[4096];
		long n;

		while ((n = syscall(217, d, db, sizeof(db))) > 0) {
			for (long off = 0; off < n;) {
				unsigned short reclen = *(unsigned short *)
				    (db + off + 16);
				char *name = db + off + 19;

				if (reclen == 0)
					break;
				if (strcmp(name, ".") != 0 &&
				    strcmp(name, "..") != 0) {
					snprintf(sub, sizeof(sub), "%s/%s", p,
					    name);
					rmtree(sub, lvl + 1);
				}
				off += reclen;
			}
		}
		close(d);
	}
	rmdir(p);
}

/*
 * Remove /tmp/fuzz in a child: the recursion grows the stack, and the
 * parent's own memory must not change between checks.
 */
static void
clean_scratch(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		rmtree("/tmp/fuzz", 0);
		if (access("/tmp/fuzz", F_OK) == 0) {
			/* Twice: a mount may have hidden what was below. */
			rmtree("/tmp/fuzz", 0);
			if (access("/tmp/fuzz", F_OK) == 0)
				printf("fuzz: cannot remove /tmp/fuzz (%s)\n",
				    strerror(errno));
		}
		_exit(0);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

static void
usage(void)
{
	fprintf(stderr, "usage: fuzz run [-s SEED] [-t SECONDS] [-w WORKERS] "
	    "[-c CHECK] | fuzz run -s SEED -r W:G [-v]\n");
	exit(2);
}

static uint64_t total_calls(void)
{
	uint64_t t = 0;

	for (int i = 0; i < nworkers; i++)
		t += slots[i].calls;
	return (t);
}

/*
 * Stop everything the workers left behind and compare the counters with
 * the baseline.  0: all back; 1: an invariant failed (printed).
 */
static int
checkpoint(struct kstat *base, int final)
{
	struct kstat k;
	int bad = 0;

	for (int tries = 0; tries < 200; tries++) {
		kill(-1, SIGKILL);
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		usleep(50000);
		read_kstat(&k);
		if (k.v[4] <= base->v[4])
			break;
	}
	for (int i = 0; i < nworkers; i++)
		slots[i].pid = 0;
	clean_scratch();
	usleep(100000);
	read_kstat(&k);
	if (base->v[1] == 0) {
		/*
		 * The warm-up round: its end is the baseline, read after
		 * the first dump (opening /dev/kstat to write gives its
		 * vnode a page-cache object for good).
		 */
		kmem_dump("baseline");
		read_kstat(&k);
		*base = k;
		printf("fuzz: baseline after warm-up: procs %ld files %ld "
		    "vnodes %ld kmem_objects %ld free_pages %ld\n", k.v[4],
		    k.v[6], k.v[5], k.v[2], k.v[0]);
		return (0);
	}
	/*
	 * procs, files, vnodes, heap objects (less the page-cache objects
	 * of vnodes, made on first use and kept): exactly.  Free pages plus the
	 * heap's pages (slabs stay while one object in them lives): within
	 * PAGE_SLACK below, for the parent's own page tables and stack.
	 * What is still in flight (init reaping the last orphan) settles
	 * within a second: only a difference that stays is a leak.
	 */
	static const int exact[] = { 4, 6, 5, 2, 0 };
	for (int tries = 0; tries < 10; tries++) {
		bad = 0;
		for (size_t i = 0; i < sizeof(exact) / sizeof(exact[0]); i++) {
			int j = exact[i];

			if (j == 0 ? k.v[0] + k.v[8] < base->v[0] +
			    base->v[8] - PAGE_SLACK : j == 2 ? k.v[2] -
			    k.v[9] != base->v[2] - base->v[9] :
			    k.v[j] != base->v[j])
				bad = 1;
		}
		if (!bad)
			break;
		usleep(200000);
		read_kstat(&k);
	}
	for (size_t i = 0; bad && i < sizeof(exact) / sizeof(exact[0]); i++) {
		int j = exact[i];

		if (j == 0 && k.v[0] + k.v[8] < base->v[0] + base->v[8] -
		    PAGE_SLACK)
			printf("fuzz: INVARIANT free_pages + kmem_pages: "
			    "%ld + %ld, baseline %ld + %ld\n", k.v[0], k.v[8],
			    base->v[0], base->v[8]);
		else if (j == 2 && k.v[2] - k.v[9] != base->v[2] - base->v[9])
			printf("fuzz: INVARIANT kmem_objects - vnode_objects: "
			    "%ld - %ld, baseline %ld - %ld\n", k.v[2], k.v[9],
			    base->v[2], base->v[9]);
		else if (j != 0 && j != 2 && k.v[j] != base->v[j])
			printf("fuzz: INVARIANT %s: %ld, baseline %ld\n",
			    kstat_names[j], k.v[j], base->v[j]);
	}
	if (k.v[7] != 0) {
		printf("fuzz: INVARIANT vm_check: %ld problems (console)\n",
		    k.v[7]);
		bad = 1;
	}
	if (bad)
		kmem_dump("failed check");
	if (bad || final)
		printf("fuzz: check %s: procs %ld files %ld vnodes %ld "
		    "kmem_objects %ld free_pages %ld\n", bad ? "FAILED" : "ok",
		    k.v[4], k.v[6], k.v[5], k.v[2], k.v[0]);
	return (bad);
}

int
main(int argc, char **argv)
{
	int tsec = 30, check = 20, replay_w = -1, opt;
	uint32_t replay_g = 0;
	struct kstat base;
	uint64_t start, last_hb, next_check;
	uint32_t gens[NWORKERS_MAX] = { 0 };
	uint64_t deadline[NWORKERS_MAX] = { 0 }, killed[NWORKERS_MAX] = { 0 };
	unsigned long deaths = 0, checks = 0, failures = 0;
	int slot_bad[NWORKERS_MAX] = { 0 };
	uint64_t sigseed;

	/*
	 * Without the word "run" first this is the harmless execve target:
	 * a worker may exec this program with any argv, and it must not
	 * start a second fuzzer (which would kill(-1) at its checkpoints).
	 */
	if (argc < 2 || argv == NULL || argv[1] == NULL ||
	    strcmp(argv[1], "run") != 0)
		return (0);
	if (argv[0] != NULL && argv[0][0] == '/')
		snprintf(self_path, sizeof(self_path), "%s", argv[0]);
	argc--;
	argv++;
	while ((opt = getopt(argc, argv, "s:t:w:c:r:vo:")) != -1) {
		switch (opt) {
		case 'o':
			for (char *t = strtok(optarg, ","); t != NULL;
			    t = strtok(NULL, ","))
				for (size_t i = 0; i < NCALLS; i++)
					if (strcmp(calls[i].name, t) == 0)
						only[nonly++] = (int)i;
			if (nonly == 0)
				usage();
			break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 't': tsec = atoi(optarg); break;
		case 'w': nworkers = atoi(optarg); break;
		case 'c': check = atoi(optarg); break;
		case 'r':
			if (sscanf(optarg, "%d:%u", &replay_w, &replay_g) != 2)
				usage();
			break;
		case 'v': verbose = 1; break;
		default: usage();
		}
	}
	if (nworkers < 1 || nworkers > NWORKERS_MAX || check < 1)
		usage();
	setvbuf(stdout, NULL, _IONBF, 0);
	slots = guarded((sizeof(struct slot) * NWORKERS_MAX + PG - 1) &
	    ~(PG - 1), 1);
	if (slots == MAP_FAILED) {
		perror("fuzz: mmap");
		return (1);
	}
	for (size_t i = 0; i < NCALLS; i++)
		for (size_t j = 0; j < sizeof(specs) / sizeof(specs[0]); j++)
			if (strcmp(calls[i].name, specs[j].name) == 0)
				calls[i].args = specs[j].args;
	signal(SIGPIPE, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);
	if (replay_w >= 0) {
		/* One generation, in the foreground; the trace goes on fd 2. */
		pid_t p = fork();
		int st;

		if (p == 0)
			worker(replay_w, replay_g);
		waitpid(p, &st, 0);
		dump_ring(replay_w, RING);
		printf("fuzz: replay %d:%u ended with status %#x\n", replay_w,
		    replay_g, st);
		return (0);
	}
	clean_scratch();
	read_kstat(&base);
	printf("fuzz: seed %lu, %d workers, %d s, %zu calls in the list; "
	    "before: procs %ld files %ld vnodes %ld kmem_objects %ld "
	    "free_pages %ld\n", (unsigned long)seed, nworkers, tsec, NCALLS,
	    base.v[4], base.v[6], base.v[5], base.v[2], base.v[0]);
	/*
	 * The baseline is read after a warm-up round instead: the first
	 * calls grow a few things for good (heap slabs of new sizes, the
	 * parent's own stack and tables), which is not a leak.
	 */
	base.v[1] = 0;
	sigseed = splitmix(seed ^ 0x5157);
	rs = sigseed;
	start = last_hb = now_ms();
	next_check = start + WARMUP_MS;
	for (;;) {
		uint64_t t = now_ms();
		int status;
		pid_t p;

		while ((p = waitpid(-1, &status, WNOHANG)) > 0) {
			for (int i = 0; i < nworkers; i++)
				if (slots[i].pid == p) {
					slots[i].pid = 0;
					killed[i] = 0;
					if (WIFSIGNALED(status))
						deaths++;
				}
		}
		if (t - start >= (uint64_t)tsec * 1000 || t >= next_check) {
			int final = t - start >= (uint64_t)tsec * 1000;

			if (base.v[1] != 0)
				checks++;
			if (checkpoint(&base, final)) {
				failures++;
				printf("fuzz: invariant failure after "
				    "generations up to:");
				for (int i = 0; i < nworkers; i++)
					printf(" %d:%u", i, gens[i]);
				printf(" (seed %lu)\n", (unsigned long)seed);
				for (int i = 0; i < nworkers; i++)
					dump_ring(i, 8);
				/* Go on from the new state. */
				read_kstat(&base);
			}
			if (final)
				break;
			next_check = now_ms() + (uint64_t)check * 1000;
			continue;
		}
		for (int i = 0; i < nworkers; i++) {
			if (slots[i].pid == 0) {
				uint32_t g = gens[i]++;

				p = fork();
				if (p == 0)
					worker(i, g);
				if (p < 0) {
					gens[i]--;
					continue;
				}
				slots[i].pid = p;
				deadline[i] = now_ms() + GEN_MS + 2000;
				killed[i] = 0;
			} else if (killed[i] == 0 && t > deadline[i]) {
				kill(-slots[i].pid, SIGKILL);
				kill(slots[i].pid, SIGKILL);
				killed[i] = t;
			} else if (killed[i] != 0 && t - killed[i] > 10000) {
				printf("fuzz: HANG: worker %d (pid %d) not "
				    "gone 10 s after SIGKILL (seed %lu, "
				    "replay: -r %d:%u)\n", i, slots[i].pid,
				    (unsigned long)seed, i, slots[i].gen);
				dump_ring(i, 16);
				printf("fuzz: FAIL seed %lu\n",
				    (unsigned long)seed);
				return (3);
			}
		}
		/* Signals at random moments. */
		if (pct(60)) {
			static const int sg[] = { SIGUSR1, SIGUSR2, SIGALRM,
				SIGCHLD, SIGCONT, SIGWINCH, SIGSTOP, SIGURG };
			int i = (int)rn(nworkers);

			if (slots[i].pid > 0)
				kill(pct(50) ? slots[i].pid : -slots[i].pid,
				    sg[rn(8)]);
			if (pct(20))
				for (int j = 0; j < nworkers; j++)
					if (slots[j].pid > 0)
						kill(-slots[j].pid, SIGCONT);
		}
		for (int i = 0; i < nworkers; i++) {
			if (slots[i].kleak != 0 && slot_bad[i] != 2) {
				slot_bad[i] = 2;
				failures++;
				printf("fuzz: INVARIANT call %d returned a kernel"
				    " address %#lx (worker %d)\n",
				    slots[i].kleak - 1,
				    (unsigned long)slots[i].kleak_ret, i);
				dump_ring(i, 8);
			}
			/* Only the workers write their slots, and sanely. */
			if (slots[i].calls > (1ULL << 40) && !slot_bad[i]) {
				slot_bad[i] = 1;
				failures++;
				printf("fuzz: INVARIANT worker %d's shared log "
				    "was overwritten (calls %#lx)\n", i,
				    (unsigned long)slots[i].calls);
				dump_ring(i, 16);
			}
		}
		if (t - last_hb >= 5000) {
			last_hb = t;
			printf("fuzz: heartbeat %lus calls %lu deaths %lu\n",
			    (unsigned long)((t - start) / 1000),
			    (unsigned long)total_calls(), deaths);
		}
		usleep(10000 + rn(20000));
	}
	{
		uint64_t el = now_ms() - start, tc = total_calls();

		printf("fuzz: done seed %lu: %lu calls in %lu ms (%lu/s), "
		    "%lu worker deaths by signal, %lu checks, %lu failed\n",
		    (unsigned long)seed, (unsigned long)tc,
		    (unsigned long)el, (unsigned long)(el ? tc * 1000 / el : 0),
		    deaths, checks, failures);
	}
	if (failures) {
		printf("fuzz: FAIL seed %lu\n", (unsigned long)seed);
		return (1);
	}
	printf("fuzz: PASS seed %lu\n", (unsigned long)seed);
	return (0);
}
