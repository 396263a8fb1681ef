/*
 * t_stress_mem.c: memory exhaustion.
 *
 * A child maps and touches memory 1 MiB at a time until it cannot: on a
 * small machine (Mica's guest) the kernel runs out of pages and kills it
 * (SIGKILL, the OOM policy: kern_oom.c); where memory is plentiful (the
 * host Linux) RLIMIT_AS stops it first and mmap fails with ENOMEM.  Either
 * way the system stays usable: fork, exec-free work and a second, smaller
 * allocation succeed, and the free memory comes back once it is gone.
 */
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <unistd.h>

#include "t.h"

#define MB	(1UL << 20)

static unsigned long
freemem(void)
{
	struct sysinfo si;

	if (sysinfo(&si) != 0)
		return (0);
	return (si.freeram * si.mem_unit);
}

/*
 * The memory is held by a process that never touched it: P fills a big
 * MAP_SHARED region, forks H (which only sleeps) and exits.  When G then
 * runs out of memory, the OOM killer must pick H, whose page tables map
 * almost nothing, and G must get its memory (fuzz seed 32: the killer
 * counted mapped pages only and killed small innocents for ever).
 */
static void
hidden_holder(void)
{
	unsigned long big = freemem() - 24 * MB;
	pid_t p, g, h = 0;
	int fd[2], st;

	if (freemem() < 64 * MB || pipe(fd) != 0)
		return;
	p = fork();
	if (p == 0) {
		char *r = mmap(NULL, big, PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);

		if (r == MAP_FAILED)
			_exit(1);
		for (unsigned long o = 0; o < big; o += 4096)
			r[o] = 1;
		h = fork();
		if (h == 0) {
			for (;;)
				pause();
		}
		(void)write(fd[1], &h, sizeof(h));
		_exit(0);
	}
	CHECK("filler ran", p > 0 && waitpid(p, &st, 0) == p &&
	    WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK("holder pid", read(fd[0], &h, sizeof(h)) == sizeof(h) && h > 0);
	close(fd[0]);
	close(fd[1]);
	g = fork();
	if (g == 0) {
		char *q = mmap(NULL, 48 * MB, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (q == MAP_FAILED)
			_exit(1);
		memset(q, 0x33, 48 * MB);
		_exit(q[48 * MB - 1] == 0x33 ? 0 : 1);
	}
	CHECK("OOM: the process that needed memory got it", g > 0 &&
	    waitpid(g, &st, 0) == g && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	for (int i = 0; i < 100 && kill(h, 0) == 0; i++)
		usleep(20000);
	CHECK("OOM: the hidden holder was the victim", h > 0 &&
	    kill(h, 0) != 0);
	if (h > 0)
		kill(h, SIGKILL);
}

int
main(void)
{
	struct sysinfo si;
	unsigned long before, after;
	pid_t pid;
	int st;

	t_init();
	CHECK("sysinfo", sysinfo(&si) == 0);
	before = freemem();
	pid = fork();
	if (pid == 0) {
		unsigned long total = si.totalram * si.mem_unit;
		struct rlimit rl;

		/* Plenty of RAM: let RLIMIT_AS end it instead of the host. */
		rl.rlim_cur = rl.rlim_max = total > 1024 * MB ? 256 * MB :
		    RLIM_INFINITY;
		setrlimit(RLIMIT_AS, &rl);
		for (unsigned long i = 0; i < 4096; i++) {
			char *p = mmap(NULL, MB, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			if (p == MAP_FAILED)
				_exit(errno == ENOMEM ? 0 : 1);
			for (unsigned long o = 0; o < MB; o += 4096)
				p[o] = 1;
		}
		_exit(2);	/* 4 GiB and still alive: no limit worked */
	}
	CHECK("hog forked", pid > 0);
	CHECK("hog ended", waitpid(pid, &st, 0) == pid);
	CHECK("hog killed by SIGKILL or stopped by ENOMEM",
	    (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL) ||
	    (WIFEXITED(st) && WEXITSTATUS(st) == 0));
	pid = fork();
	if (pid == 0) {
		char *p = mmap(NULL, 8 * MB, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			_exit(1);
		memset(p, 0x5a, 8 * MB);
		_exit(p[8 * MB - 1] == 0x5a ? 0 : 1);
	}
	CHECK("system usable: a child uses 8 MiB", pid > 0 &&
	    waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	    WEXITSTATUS(st) == 0);
	after = freemem();
	/* Only on a machine the hog emptied: elsewhere others use memory. */
	if (si.totalram * si.mem_unit <= 1024 * MB) {
		CHECK("free memory came back (within 4 MiB)",
		    after + 4 * MB >= before);
		hidden_holder();
	}
	return (t_done());
}
