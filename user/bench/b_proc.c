/*
 * user/bench/b_proc.c: process creation.
 *
 *   pipe_rtt  one byte to a child and back over two pipes (two context
 *             switches and four pipe operations per round trip)
 *   fork      fork, the child _exits at once, the parent waits
 *   exec      fork, the child execs b_true (a tiny static program), wait
 *
 * b_true is looked for next to this program (argv[0]'s directory).
 */
#include <limits.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

static int p2c[2], c2p[2];
static char truepath[PATH_MAX];

static int
b_pipe(void *arg, long n)
{
	char c = 'x';

	while (n-- > 0) {
		if (write(p2c[1], &c, 1) != 1 || read(c2p[0], &c, 1) != 1) {
			bench_fail("pipe_rtt", "write/read");
			return (-1);
		}
	}
	return (0);
}

static int
b_fork(void *arg, long n)
{
	pid_t pid;
	int st;

	while (n-- > 0) {
		pid = fork();
		if (pid < 0) {
			bench_fail("fork", "fork");
			return (-1);
		}
		if (pid == 0)
			_exit(0);
		if (waitpid(pid, &st, 0) != pid || st != 0) {
			bench_fail("fork", "waitpid");
			return (-1);
		}
	}
	return (0);
}

static int
b_exec(void *arg, long n)
{
	char *av[] = { truepath, NULL }, *ev[] = { NULL };
	pid_t pid;
	int st;

	while (n-- > 0) {
		pid = fork();
		if (pid < 0) {
			bench_fail("exec", "fork");
			return (-1);
		}
		if (pid == 0) {
			execve(truepath, av, ev);
			_exit(127);
		}
		if (waitpid(pid, &st, 0) != pid || st != 0) {
			errno = 0;
			bench_fail("exec", "child status");
			return (-1);
		}
	}
	return (0);
}

int
main(int argc, char **argv)
{
	char *slash, c;
	pid_t pid;

	bench_init(argc, argv);
	if (pipe(p2c) != 0 || pipe(c2p) != 0) {
		bench_fail("pipe_rtt", "pipe");
	} else if ((pid = fork()) == 0) {
		close(p2c[1]);
		close(c2p[0]);
		while (read(p2c[0], &c, 1) == 1)
			if (write(c2p[1], &c, 1) != 1)
				break;
		_exit(0);
	} else if (pid > 0) {
		close(p2c[0]);
		close(c2p[1]);
		bench_latency("pipe_rtt", b_pipe, NULL);
		close(p2c[1]);
		waitpid(pid, NULL, 0);
		close(c2p[0]);
	} else {
		bench_fail("pipe_rtt", "fork");
	}

	bench_latency("fork", b_fork, NULL);

	snprintf(truepath, sizeof(truepath), "%s", argv[0]);
	slash = strrchr(truepath, '/');
	snprintf(slash ? slash + 1 : truepath,
	    sizeof(truepath) - (slash ? slash + 1 - truepath : 0), "b_true");
	if (access(truepath, X_OK) != 0)
		bench_fail("exec", truepath);
	else
		bench_latency("exec", b_exec, NULL);
	return (bench_failed);
}
