/*
 * t_vm.c: the memory-mapping system calls from user space: anonymous
 * mmap, munmap, mprotect, brk, madvise, mincore, msync, mlock, and the
 * copy-on-write and sharing rules of fork.  Accesses that must fault are
 * made in a child, which has to die of SIGSEGV.  Expectations are Linux's
 * (the program passes on the host Linux too).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "t.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef MADV_WIPEONFORK
#define MADV_WIPEONFORK 18
#endif
#ifndef MLOCK_ONFAULT
#define MLOCK_ONFAULT 1
#endif

static long pg;

static char *
map(size_t len, int prot, int flags)
{
	return (mmap(NULL, len, prot, flags | MAP_ANONYMOUS, -1, 0));
}

/* Run fn(arg) in a child: its exit status, or 128 + the killing signal. */
static int
in_child(void (*fn)(volatile char *), volatile char *arg)
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		fn(arg);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return (-1);
	return (WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st));
}

static void
do_write(volatile char *p)
{
	p[0] = 1;
}

static void
do_read(volatile char *p)
{
	_exit(p[0] == 0 ? 7 : 8);
}

static void
cow_child(volatile char *p)
{
	if (p[0] != 'A')
		_exit(2);
	p[0] = 'B';
	_exit(p[0] == 'B' ? 0 : 3);
}

static void
test_mmap(void)
{
	char *p, *q;
	int zero = 1;

	p = map(3 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	CHECK("mmap anon", p != MAP_FAILED);
	for (long i = 0; i < 3 * pg; i++)
		zero &= p[i] == 0;
	CHECK("mmap zero filled", zero);
	p[pg + 5] = 42;
	CHECK_EQ("mmap write read", p[pg + 5], 42);
	CHECK_ERR("mmap len 0", map(0, PROT_READ, MAP_PRIVATE), EINVAL);
	CHECK_ERR("mmap offset unaligned", mmap(NULL, pg, PROT_READ,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 1), EINVAL);
	CHECK_ERR("mmap no type", map(pg, PROT_READ, 0), EINVAL);
	CHECK_ERR("mmap fixed unaligned", mmap(p + 1, pg, PROT_READ,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), EINVAL);
	CHECK_ERR("mmap fixed noreplace", mmap(p + pg, pg, PROT_READ,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0), EEXIST);
	CHECK_EQ("mmap noreplace kept data", p[pg + 5], 42);
	CHECK_ERR("mmap huge", map(SIZE_MAX - 2 * pg, PROT_READ, MAP_PRIVATE),
	    ENOMEM);
	q = mmap(p + pg, pg, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK("mmap fixed replaces", q == p + pg && q[5] == 0);
	CHECK_EQ("munmap", munmap(p, 3 * pg), 0);
	CHECK_EQ("munmap twice", munmap(p, 3 * pg), 0);
	CHECK_EQ("touch unmapped: SIGSEGV", in_child(do_write, p),
	    128 + SIGSEGV);
	CHECK_ERR("munmap unaligned", munmap(p + 1, pg), EINVAL);
	CHECK_ERR("munmap len 0", munmap(p, 0), EINVAL);

	/* A large sparse mapping costs only what is touched. */
	p = map(256UL << 20, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_NORESERVE);
	CHECK("mmap 256 MiB", p != MAP_FAILED);
	if (p != MAP_FAILED) {
		p[0] = 1;
		p[(128UL << 20) + 3] = 2;
		p[(256UL << 20) - 1] = 3;
		CHECK("sparse touches", p[0] == 1 && p[(128UL << 20) + 3] == 2 &&
		    p[(256UL << 20) - 1] == 3);
		CHECK_EQ("munmap 256 MiB", munmap(p, 256UL << 20), 0);
	}
}

static void
test_mprotect(void)
{
	char *p = map(4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE);

	p[0] = 1;
	CHECK_EQ("mprotect read-only", mprotect(p + pg, 2 * pg, PROT_READ), 0);
	CHECK_EQ("write read-only: SIGSEGV", in_child(do_write, p + pg),
	    128 + SIGSEGV);
	CHECK_EQ("write outside stays ok", in_child(do_write, p + 3 * pg), 0);
	CHECK_EQ("mprotect none", mprotect(p, pg, PROT_NONE), 0);
	CHECK_EQ("read PROT_NONE: SIGSEGV", in_child(do_read, p),
	    128 + SIGSEGV);
	CHECK_EQ("mprotect back", mprotect(p, 4 * pg, PROT_READ | PROT_WRITE),
	    0);
	CHECK_EQ("data kept through PROT_NONE", p[0], 1);
	CHECK_ERR("mprotect unaligned", syscall(SYS_mprotect, p + 1, pg, PROT_READ),
	    EINVAL);
	CHECK_ERR("mprotect bad prot", mprotect(p, pg, 0x100), EINVAL);
	munmap(p + pg, pg);
	CHECK_ERR("mprotect hole", mprotect(p, 4 * pg, PROT_READ), ENOMEM);
	munmap(p, 4 * pg);
}

static void
test_fork(void)
{
	char *priv = map(pg, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	char *shared = map(pg, PROT_READ | PROT_WRITE, MAP_SHARED);
	char *wipe = map(pg, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	char *nofork = map(pg, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	int i, st, ok = 1;

	priv[0] = 'A';
	CHECK_EQ("fork: child sees, then copies", in_child(cow_child, priv),
	    0);
	CHECK_EQ("fork: parent keeps its copy", priv[0], 'A');
	CHECK_EQ("fork: shared write", in_child(do_write, shared), 0);
	CHECK_EQ("fork: shared seen by parent", shared[0], 1);
	wipe[0] = 5;
	nofork[0] = 6;
	CHECK_EQ("madvise wipeonfork", madvise(wipe, pg, MADV_WIPEONFORK), 0);
	CHECK_EQ("madvise dontfork", madvise(nofork, pg, MADV_DONTFORK), 0);
	CHECK_EQ("wipeonfork: child reads 0", in_child(do_read, wipe), 7);
	CHECK_EQ("dontfork: child faults", in_child(do_read, nofork),
	    128 + SIGSEGV);
	CHECK("parent keeps both", wipe[0] == 5 && nofork[0] == 6);
	CHECK_ERR("wipeonfork on shared", madvise(shared, pg,
	    MADV_WIPEONFORK), EINVAL);
	/* Many forks, each writing: the parent's data never changes. */
	for (i = 0; i < 20; i++) {
		pid_t pid = fork();

		if (pid == 0) {
			priv[0] = (char)i;
			_exit(priv[0] == (char)i ? 0 : 1);
		}
		priv[1] = (char)i;
		ok &= waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
		    WEXITSTATUS(st) == 0;
	}
	CHECK("20 forks", ok && priv[0] == 'A' && priv[1] == 19);
}

static void
test_madvise(void)
{
	char *p = map(2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	char *s = map(pg, PROT_READ | PROT_WRITE, MAP_SHARED);

	p[0] = 1;
	p[pg] = 2;
	s[0] = 3;
	CHECK_EQ("madvise dontneed", madvise(p, pg, MADV_DONTNEED), 0);
	CHECK("private reads zero after dontneed", p[0] == 0 && p[pg] == 2);
	CHECK_EQ("madvise dontneed shared", madvise(s, pg, MADV_DONTNEED), 0);
	CHECK_EQ("shared keeps data", s[0], 3);
	CHECK_ERR("madvise bad advice", madvise(p, pg, 12345), EINVAL);
	CHECK_ERR("madvise unaligned", madvise(p + 1, pg, MADV_NORMAL),
	    EINVAL);
	CHECK_EQ("madvise random", madvise(p, 2 * pg, MADV_RANDOM), 0);
	munmap(p + pg, pg);
	CHECK_ERR("madvise hole", madvise(p, 2 * pg, MADV_NORMAL), ENOMEM);
	munmap(p, pg);
	munmap(s, pg);
}

static void
test_mincore_msync(void)
{
	char *p = map(3 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	unsigned char vec[3] = { 9, 9, 9 };

	p[pg] = 1;
	CHECK_EQ("mincore", mincore(p, 3 * pg, vec), 0);
	CHECK("mincore vector", vec[0] == 0 && (vec[1] & 1) && vec[2] == 0);
	CHECK_ERR("mincore unaligned", mincore(p + 1, pg, vec), EINVAL);
	CHECK_ERR("mincore bad vec", mincore(p, pg, T_KERNEL), EFAULT);
	CHECK_EQ("msync", msync(p, 3 * pg, MS_SYNC), 0);
	CHECK_ERR("msync bad flags", msync(p, pg, 99), EINVAL);
	CHECK_ERR("msync sync+async", msync(p, pg, MS_SYNC | MS_ASYNC),
	    EINVAL);
	munmap(p + 2 * pg, pg);
	CHECK_ERR("mincore hole", mincore(p, 3 * pg, vec), ENOMEM);
	CHECK_ERR("msync hole", msync(p, 3 * pg, MS_ASYNC), ENOMEM);
	munmap(p, 2 * pg);
}

static void
test_brk(void)
{
	long b0 = syscall(SYS_brk, 0), b;
	volatile char *p;

	CHECK("brk query", b0 > 0);
	b = syscall(SYS_brk, b0 + 3 * pg + 5);
	CHECK_EQ("brk grow", b, b0 + 3 * pg + 5);
	p = (volatile char *)b0;
	p[0] = 1;
	p[3 * pg] = 2;
	CHECK("brk memory", p[0] == 1 && p[3 * pg] == 2);
	CHECK_EQ("brk shrink", syscall(SYS_brk, b0), b0);
	CHECK_EQ("brk below start", syscall(SYS_brk, 4096), b0);
}

static void
test_mlock(void)
{
	char *p = map(4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	unsigned char vec[4];

	CHECK_EQ("mlock", mlock(p + 1, 2 * pg), 0);
	CHECK_EQ("mlock faults in", mincore(p, 4 * pg, vec) == 0 &&
	    (vec[0] & 1) && (vec[2] & 1) && !(vec[3] & 1), 1);
	CHECK_ERR("madvise dontneed locked", madvise(p, pg, MADV_DONTNEED),
	    EINVAL);
	CHECK_EQ("munlock", munlock(p, 4 * pg), 0);
	CHECK_ERR("mlock2 bad flags", syscall(SYS_mlock2, p, pg, 4), EINVAL);
	CHECK_ERR("mlockall 0", mlockall(0), EINVAL);
	CHECK_EQ("munlockall", munlockall(), 0);
	munmap(p + pg, pg);
	CHECK_ERR("mlock hole", mlock(p, 4 * pg), ENOMEM);
	munmap(p, 4 * pg);
}

static void
test_mremap(void)
{
	char *p = map(3 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE), *q, *r;

	p[0] = 1;
	p[pg] = 2;
	/* A different mapping right after: growing must move. */
	q = p + 2 * pg;
	CHECK_EQ("mremap: neighbour", mprotect(q, pg, PROT_READ), 0);
	CHECK_ERR("mremap no room", mremap(p, 2 * pg, 3 * pg, 0), ENOMEM);
	r = mremap(p, 2 * pg, 3 * pg, MREMAP_MAYMOVE);
	CHECK("mremap moved", r != MAP_FAILED && r != p);
	CHECK("mremap kept data", r[0] == 1 && r[pg] == 2 && r[2 * pg] == 0);
	CHECK_EQ("mremap old gone: SIGSEGV", in_child(do_read, p),
	    128 + SIGSEGV);
	r[2 * pg] = 3;
	CHECK("mremap shrink", mremap(r, 3 * pg, pg, 0) == r);
	CHECK_EQ("mremap shrunk tail: SIGSEGV", in_child(do_read, r + pg),
	    128 + SIGSEGV);
	CHECK_ERR("mremap bad flags", mremap(r, pg, pg, 8), EINVAL);
	CHECK_ERR("mremap unmapped", mremap(p, pg, 2 * pg, MREMAP_MAYMOVE),
	    EFAULT);
	munmap(r, pg);
	munmap(q, pg);
}

static void
rlimit_child(volatile char *unused)
{
	struct rlimit rl = { 64UL << 20, 64UL << 20 };
	char *p;

	if (setrlimit(RLIMIT_AS, &rl) != 0)
		_exit(2);
	p = map(128UL << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	if (p != MAP_FAILED || errno != ENOMEM)
		_exit(3);
	p = map(1UL << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	if (p == MAP_FAILED)
		_exit(4);
	_exit(0);
}

int
main(void)
{
	t_init();
	pg = sysconf(_SC_PAGESIZE);
	test_mmap();
	test_mprotect();
	test_fork();
	test_madvise();
	test_mincore_msync();
	test_brk();
	test_mlock();
	test_mremap();
	CHECK_EQ("rlimit-as", in_child(rlimit_child, NULL), 0);
	return (t_done());
}
