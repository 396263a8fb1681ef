/*
 * t_stress_stack.c: deep recursion hits the stack limit.
 *
 * With RLIMIT_STACK at 1 MiB a child recurses without end; the stack
 * cannot grow past the limit and the child dies of SIGSEGV (not a hang,
 * not a panic).  With a SIGSEGV handler but no alternate stack (Mica has
 * no sigaltstack, docs/signals.md) the handler's frame cannot be written
 * on the full stack, so the child still dies of SIGSEGV, as on Linux.
 */
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "t.h"

static volatile unsigned long depth;

static unsigned long __attribute__((noinline))
recurse(unsigned long n)
{
	volatile char pad[256];

	pad[0] = (char)n;
	depth = n;
	if (n == ~0UL)		/* never: keeps the compiler quiet */
		return (0);
	return (recurse(n + 1) + pad[0]);
}

static void
on_segv(int sig)
{
	_exit(depth > 1000 ? 0 : 3);
}

static int
child(int handler)
{
	struct rlimit rl = { 1 << 20, 1 << 20 };
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		setrlimit(RLIMIT_STACK, &rl);
		if (handler) {
			struct sigaction sa;

			memset(&sa, 0, sizeof(sa));
			sa.sa_handler = on_segv;
			if (sigaction(SIGSEGV, &sa, NULL) != 0)
				_exit(4);
		}
		recurse(0);
		_exit(5);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return (-1);
	return (st);
}

int
main(void)
{
	int st;

	t_init();
	st = child(0);
	CHECK("endless recursion dies of SIGSEGV", st != -1 &&
	    WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
	st = child(1);
	CHECK("with a handler and no alternate stack: still SIGSEGV",
	    st != -1 && WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
	return (t_done());
}
