/*
 * fuzz_worker.c: the fuzzer's workers (see fuzz.c for the whole design).
 *
 * A worker runs one generation: a sequence of random system calls from
 * include/uapi/syscalls.def, its arguments drawn by letter (gen_arg) from
 * hostile pools of pointers, lengths, numbers, flags, descriptors, pids and
 * paths, some calls shaped by hand (special) so that the run cannot end
 * itself.  Every call goes to the worker's ring in the shared log before it
 * is made, its result after.  Randomness comes only from the seed, the
 * worker number and the generation, so a generation replays (-r W:G).
 */
#include <sys/ioctl.h>

#include "fuzz.h"

static struct slot *me;		/* this worker's slot in the shared log */
static int vfd = -1;		/* replay: console for the trace */

struct sc calls[] = {
#define SYSCALL(nr, name) { nr, #name, NULL },
#include "../../include/uapi/syscalls.def"
#undef SYSCALL
};
const size_t ncalls = sizeof(calls) / sizeof(calls[0]);
#define NCALLS	ncalls

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

/* Give each call of the list its argument letters (specs above). */
void
fuzz_init_calls(void)
{
	for (size_t i = 0; i < NCALLS; i++)
		for (size_t j = 0; j < sizeof(specs) / sizeof(specs[0]); j++)
			if (strcmp(calls[i].name, specs[j].name) == 0)
				calls[i].args = specs[j].args;
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
void *
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
static int ptyfds[2] = { -1, -1 };	/* this worker's pty master, slave */
static char paths[40][128];
static int npaths;
static char longpath[5000];
static volatile int sigcount;
char self_path[128] = "/proc/self/exe";

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
	if (r < 56 && ptyfds[0] >= 0)		/* the pty: tty code */
		return (ptyfds[ptyfds[1] >= 0 && pct(50)]);
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
		"/dev/urandom", "/dev/kstat", "/dev/ptmx" };
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
	if (depth == 0)
		me->wseq = me->seq;	/* the worker's own call (poke) */
	if (verbose && vfd >= 0) {
		char line[256];
		int n = snprintf(line, sizeof(line),
		    "call %u nr %d (%#lx, %#lx, %#lx, %#lx, %#lx, %#lx)\n",
		    me->seq, nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		(void)raw6(1, vfd, (long)line, n, 0, 0, 0);
	}
}

/*
 * Options for a ramfs or tmpfs the worker mounts: always a small size=,
 * sometimes followed by junk (or `fixed' instead of the size).  Without one a mount may hold 128 MiB, and
 * two full ones take the whole guest: a root-only denial of service Linux
 * allows as well (docs/security.md), which would end the run -- the OOM
 * killer cannot get file memory back.
 */
static uint64_t
ram_opts(const char *fixed)
{
	static char o[96];
	int n = fixed != NULL ? snprintf(o, sizeof(o), "%s", fixed) :
	    snprintf(o, sizeof(o), "size=%luk", 4 + rn(2048));

	if (pct(50)) {
		o[n++] = ',';
		for (int k = (int)rn(64); k > 0 && n < (int)sizeof(o) - 1; k--)
			o[n++] = (char)(1 + rn(255));
		o[n] = '\0';
	}
	return ((uint64_t)o);
}

static void fuzz_loop(int ncalls);
static void on_sig(int s);

static void
keep_poke(void)
{
	struct sigaction sa;
	sigset_t set;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sig;
	sigaction(POKE_SIG, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, POKE_SIG);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

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
		/*
		 * Never over the 9P share, nor relative to a working
		 * directory on it: once the channel is dead a mount on one
		 * of its directories cannot be reached to unmount, and the
		 * share stays busy for good (docs/9p.md).
		 */
		{
			char cwd[256];
			int on9p = raw6(79, (long)cwd, sizeof(cwd), 0, 0, 0,
			    0) < 0 || strncmp(cwd, P9_MNT, strlen(P9_MNT)) == 0;

			for (int i = 0; i < npaths; i++)
				if (a[1] == (uint64_t)paths[i] &&
				    ((paths[i][0] != '/' && on9p) ||
				    strncmp(paths[i], P9_MNT,
				    strlen(P9_MNT)) == 0))
					a[1] = (uint64_t)paths[2];
		}
		a[2] = pct(80) ? (uint64_t)fs[rn(7)] : ptr(0);
		a[3] = flags();
		a[4] = pct(50) ? 0 : ptr(0);
		if (a[2] == (uint64_t)fs[0] || a[2] == (uint64_t)fs[1])
			a[4] = ram_opts(NULL);
		/* 9P: short waits, or one mount holds a killed worker 30 s. */
		if (a[2] == (uint64_t)fs[4])
			a[4] = ram_opts("timeout=2,wait=1");
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
		/* Terminal and pty requests (tty_ioctl(4), pty(7)). */
		static const uint64_t cmds[] = { 0x5401, 0x5402, 0x5403,
			0x5404, 0x540b, 0x540e, 0x540f, 0x5410, 0x5413,
			0x5414, 0x541b, 0x5421, 0x5451, 0x5450, 0x5422,
			0x80045430, 0x40045431, 0x80045439, 0x5441, 0x5409,
			0x540a, 0x540c, 0x540d, 0x5411, 0x5412, 0x5429 };
		/* Requests whose argument is an integer, not a pointer. */
		int intarg;

		a[0] = fd();
		if (ptyfds[0] >= 0 && pct(60))	/* the pty, often */
			a[0] = ptyfds[pct(50) && ptyfds[1] >= 0];
		a[1] = pct(80) ? cmds[rn(sizeof(cmds) / sizeof(cmds[0]))] :
		    num();
		intarg = a[1] == 0x540b || a[1] == 0x540a || a[1] == 0x5409 ||
		    a[1] == 0x540e || a[1] == 0x5441;
		a[2] = intarg && pct(70) ? rn(4) : pct(80) ? ptr(1) : num();
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
		/*
		 * MAP_POPULATE of hundreds of megabytes fills memory until
		 * the OOM killer steps in: a fine test, but at this rate
		 * it would take most of the run's time.  Rarely, then.
		 */
		if ((a[3] & MAP_POPULATE) && a[1] > 64 * PG && !pct(2))
			a[1] = PG * (1 + rn(64));
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

int only[NCALLS_MAX], nonly;

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
	if (depth == 0)
		me->wseq = 0;
	/*
	 * Keep the parent's poke working: whatever the call did to the
	 * poke signal's handler or mask is undone (a worker that cannot be
	 * poked sleeps until its generation's deadline).
	 */
	if (c->nr == 13 || c->nr == 14 || c->nr == 15)
		keep_poke();
	/* A result in the kernel half is a kernel address leaking out. */
	if ((uint64_t)r >= 0xffff800000000000ULL &&
	    (uint64_t)r < 0xfffffffff0000000ULL && me->kleak == 0) {
		me->kleak_ret = (uint64_t)r;
		me->kleak = c->nr + 1;
	}
	track(c, r);
}

uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

static void
fuzz_loop(int n)
{
	uint64_t end = now_ms() + GEN_MS;

	for (int i = 0; i < n; i++) {
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

/*
 * A pty pair in the pool (master mostly non-blocking, the slave not), so
 * random reads, writes, ioctls and polls reach the tty layer; the
 * console stays the parent's.
 */
static void
pty_open(void)
{
	char name[32];
	int n = -1, unlock = 0;

	ptyfds[0] = ptyfds[1] = -1;
	ptyfds[0] = open("/dev/ptmx", O_RDWR | O_NOCTTY |
	    (pct(80) ? O_NONBLOCK : 0));
	if (ptyfds[0] < 0)
		return;
	fds[nfds++] = ptyfds[0];
	if (ioctl(ptyfds[0], TIOCSPTLCK, &unlock) != 0 ||
	    ioctl(ptyfds[0], TIOCGPTN, &n) != 0)
		return;
	snprintf(name, sizeof(name), "/dev/pts/%d", n);
	if ((ptyfds[1] = open(name, O_RDWR | O_NOCTTY)) >= 0)
		fds[nfds++] = ptyfds[1];
}

void
worker(int w, uint32_t gen)
{
	struct sigaction sa;
	/* SIGINT, SIGQUIT, SIGTSTP: ^C, ^\, ^Z written to the pty. */
	int sigs[] = { SIGUSR1, SIGUSR2, SIGALRM, SIGCHLD, SIGWINCH, SIGHUP,
		SIGTERM, SIGINT, SIGQUIT, SIGTSTP };
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
	/* f0 may be a FIFO by now (mknod): do not wait for a peer. */
	fds[nfds++] = open("f0", O_RDWR | O_CREAT | O_NONBLOCK, 0666);
	fds[nfds++] = open(".", O_RDONLY | O_DIRECTORY);
	{
		int p[2];

		/*
		 * Mostly non-blocking: reads of the empty pipe are frequent
		 * and each blocking one costs a clock tick or more before
		 * the parent's poke (fcntl and pipe2 still make blocking
		 * ones).
		 */
		if (pipe2(p, pct(80) ? O_NONBLOCK : 0) == 0) {
			fds[nfds++] = p[0];
			fds[nfds++] = p[1];
		}
	}
	fds[nfds++] = open("/dev/zero", O_RDONLY);
	pty_open();
	/* With -9: files, directories and descriptors on the 9P share. */
	p9_worker_paths(w, paths, &npaths, 40, fds, &nfds);
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
	keep_poke();	/* never SA_RESTART: a poke must end the call */
	signal(SIGPIPE, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);
	signal(SIGTTIN, SIG_IGN);
	fuzz_loop(GEN_CALLS);
	_exit(0);
}
