/*
 * t_isolation.c: what one user may not do to another's files and
 * processes, and no kernel address in what a process gets back.
 *
 * As root the test makes a private directory (0700), a private file
 * (0600) and a world-readable one (0644) in /tmp (mode 1777).  A child
 * then drops to uid/gid 1000 (setgroups, setgid, setuid) and checks the
 * Linux answers: EACCES to open, search or create without permission,
 * EPERM to chmod/chown/unlink (sticky /tmp) another's file, to signal a
 * root process, to become root again or change its groups -- while a
 * process of its own uid can be signalled.  A data page is not
 * executable until mprotect says so (NX).  On Mica, a kernel read of user
 * memory outside copyin (/dev/kstat's SMAP test hook) kills only the
 * caller.  Then the kernel-address
 * checks: a signal frame (siginfo and ucontext) and the registers after a
 * failing system call hold no kernel-half address, and the registers the
 * ABI preserves come back unchanged.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <ucontext.h>

#include "t.h"

#define D	"/tmp/t_iso_dir"
#define FPRIV	"/tmp/t_iso_priv"
#define FPUB	"/tmp/t_iso_pub"

static int
kaddr(uint64_t v)
{
	return (v >= 0xffff800000000000ULL && v < 0xfffffffff0000000ULL);
}

static void
as_user(void)
{
	pid_t root = getppid(), mate;
	int st;

	CHECK_EQ("drop groups", setgroups(0, NULL), 0);
	CHECK_EQ("setgid 1000", setgid(1000), 0);
	CHECK_EQ("setuid 1000", setuid(1000), 0);
	CHECK_ERR("setuid 0 again", setuid(0), EPERM);
	CHECK_ERR("setresuid euid 0", setresuid(-1, 0, -1), EPERM);
	CHECK_ERR("setgid 0", setgid(0), EPERM);
	CHECK_ERR("setgroups", setgroups(0, NULL), EPERM);
	CHECK_ERR("open 0600 root file", open(FPRIV, O_RDONLY), EACCES);
	CHECK_ERR("open 0644 root file for writing", open(FPUB, O_WRONLY),
	    EACCES);
	{
		int fd = open(FPUB, O_RDONLY);

		CHECK("open 0644 root file for reading", fd >= 0);
		close(fd);
	}
	CHECK_ERR("truncate 0644 root file", truncate(FPUB, 0), EACCES);
	CHECK_ERR("chmod root's file", chmod(FPUB, 0666), EPERM);
	CHECK_ERR("chown root's file", chown(FPUB, 1000, 1000), EPERM);
	CHECK_ERR("unlink root's file in sticky /tmp", unlink(FPUB), EPERM);
	CHECK_ERR("search a 0700 root directory", access(D "/x", F_OK),
	    EACCES);
	CHECK_ERR("create in a 0700 root directory", mkdir(D "/y", 0755),
	    EACCES);
	CHECK_ERR("list a 0700 root directory", open(D, O_RDONLY), EACCES);
	CHECK_ERR("signal a root process", kill(root, 0), EPERM);
	CHECK_ERR("SIGKILL a root process", kill(root, SIGKILL), EPERM);
	mate = fork();
	if (mate == 0) {
		pause();
		_exit(0);
	}
	CHECK_EQ("signal a process of the same uid", kill(mate, SIGTERM), 0);
	CHECK("it died of it", waitpid(mate, &st, 0) == mate &&
	    WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
}

static volatile int frame_bad = -1;

static void
on_usr1(int sig, siginfo_t *si, void *uc)
{
	const uint64_t *w;
	int bad = 0;

	w = (const uint64_t *)si;
	for (size_t i = 0; i < sizeof(*si) / 8; i++)
		bad += kaddr(w[i]);
	w = (const uint64_t *)uc;
	for (size_t i = 0; i < sizeof(ucontext_t) / 8; i++)
		bad += kaddr(w[i]);
	frame_bad = bad;
}

static void
signal_frame(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_usr1;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	CHECK_EQ("no kernel address in a signal frame", frame_bad, 0);
}

/* read(-1, 0, 0) by hand: every register before and after. */
static void
syscall_registers(void)
{
	uint64_t out[16];

	uint64_t *o = out;

	__asm__ volatile(
	    "sub $128, %%rsp\n\t"	/* keep off the red zone */
	    "push %%rbx\n\t"
	    "push %%rbp\n\t"
	    "push %%r12\n\t"
	    "push %%r13\n\t"
	    "push %%r14\n\t"
	    "push %%r15\n\t"
	    "push %0\n\t"
	    "mov $0x1111, %%rbx\n\t"
	    "mov $0x2222, %%rbp\n\t"
	    "mov $0x3333, %%r12\n\t"
	    "mov $0x4444, %%r13\n\t"
	    "mov $0x5555, %%r14\n\t"
	    "mov $0x6666, %%r15\n\t"
	    "mov $0x7777, %%r10\n\t"
	    "mov $0x8888, %%r8\n\t"
	    "mov $0x9999, %%r9\n\t"
	    "mov $-1, %%rdi\n\t"
	    "xor %%esi, %%esi\n\t"
	    "xor %%edx, %%edx\n\t"
	    "xor %%eax, %%eax\n\t"
	    "syscall\n\t"
	    "xchg %%rdi, (%%rsp)\n\t"	/* rdi = out, saved rdi on stack */
	    "mov %%rax, 0(%%rdi)\n\t"
	    "mov %%rbx, 8(%%rdi)\n\t"
	    "mov %%rcx, 16(%%rdi)\n\t"
	    "mov %%rdx, 24(%%rdi)\n\t"
	    "mov %%rsi, 32(%%rdi)\n\t"
	    "pop %%rax\n\t"
	    "mov %%rax, 40(%%rdi)\n\t"
	    "mov %%rbp, 48(%%rdi)\n\t"
	    "mov %%r8, 56(%%rdi)\n\t"
	    "mov %%r9, 64(%%rdi)\n\t"
	    "mov %%r10, 72(%%rdi)\n\t"
	    "mov %%r11, 80(%%rdi)\n\t"
	    "mov %%r12, 88(%%rdi)\n\t"
	    "mov %%r13, 96(%%rdi)\n\t"
	    "mov %%r14, 104(%%rdi)\n\t"
	    "mov %%r15, 112(%%rdi)\n\t"
	    "pop %%r15\n\t"
	    "pop %%r14\n\t"
	    "pop %%r13\n\t"
	    "pop %%r12\n\t"
	    "pop %%rbp\n\t"
	    "pop %%rbx\n\t"
	    "add $128, %%rsp\n\t"
	    : "+D"(o) : : "rax", "rcx", "rdx", "rsi", "r8", "r9", "r10",
	    "r11", "memory");
	CHECK_EQ("read(-1) = -EBADF", (int64_t)out[0], -EBADF);
	{
		int bad = 0;

		for (int i = 0; i < 15; i++)
			bad += kaddr(out[i]);
		CHECK_EQ("no kernel address in the registers", bad, 0);
	}
	CHECK("preserved: rbx rbp r12-r15", out[1] == 0x1111 &&
	    out[6] == 0x2222 && out[11] == 0x3333 && out[12] == 0x4444 &&
	    out[13] == 0x5555 && out[14] == 0x6666);
	CHECK("preserved: rdi rsi rdx r8 r9 r10", out[5] == (uint64_t)-1 &&
	    out[4] == 0 && out[3] == 0 && out[7] == 0x8888 &&
	    out[8] == 0x9999 && out[9] == 0x7777);
}

/* NX: a data page holding code still cannot run. */
static void
nx_data(void)
{
	unsigned char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pid_t pid;
	int st;

	CHECK("mmap a data page", p != MAP_FAILED);
	if (p == MAP_FAILED)
		return;
	p[0] = 0xc3;		/* ret */
	pid = fork();
	if (pid == 0) {
		((void (*)(void))p)();
		_exit(0);
	}
	CHECK("calling into a data page: SIGSEGV", pid > 0 &&
	    waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) &&
	    WTERMSIG(st) == SIGSEGV);
	CHECK_EQ("mprotect PROT_EXEC makes it run", mprotect(p, 4096,
	    PROT_READ | PROT_EXEC), 0);
	((void (*)(void))p)();
	t_pass("it ran");
	munmap(p, 4096);
}

/* Does the CPU have SMAP (/proc/cpuinfo flags)? */
static int
have_smap(void)
{
	char b[8192];
	int f = open("/proc/cpuinfo", O_RDONLY), n;

	if (f < 0)
		return (0);
	n = (int)read(f, b, sizeof(b) - 1);
	close(f);
	b[n > 0 ? n : 0] = '\0';
	return (strstr(b, " smap") != NULL);
}

/*
 * Mica only: /dev/kstat's "smap-test" makes the kernel read the writer's
 * buffer without copyin.  SMAP stops it; the kernel reports the bug, kills
 * only the writer (SIGKILL) and goes on.
 */
static void
smap_kill(void)
{
	pid_t pid;
	int st, f;

	if (access("/dev/kstat", F_OK) != 0 || !have_smap())
		return;		/* Linux, or no SMAP */
	pid = fork();
	if (pid == 0) {
		f = open("/dev/kstat", O_WRONLY);
		(void)write(f, "smap-test", 9);
		_exit(3);
	}
	CHECK("a kernel read of user memory without copyin kills the caller",
	    pid > 0 && waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) &&
	    WTERMSIG(st) == SIGKILL);
	f = open("/dev/kstat", O_RDONLY);
	CHECK("and the kernel goes on (/dev/kstat still reads)", f >= 0 &&
	    read(f, (char[64]){ 0 }, 64) == 64);
	close(f);
}

int
main(void)
{
	pid_t pid;
	int fd, st;

	t_init();
	umask(022);
	mkdir(D, 0700);
	chmod(D, 0700);
	fd = open(FPRIV, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	close(fd);
	fd = open(FPUB, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	(void)write(fd, "x", 1);
	close(fd);
	chmod(FPRIV, 0600);
	chmod(FPUB, 0644);
	pid = fork();
	if (pid == 0) {
		as_user();
		_exit(t_done());
	}
	CHECK("the unprivileged child passed", pid > 0 &&
	    waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	    WEXITSTATUS(st) == 0);
	nx_data();
	smap_kill();
	signal_frame();
	syscall_registers();
	unlink(FPRIV);
	unlink(FPUB);
	rmdir(D);
	return (t_done());
}
