/*
 * t_stress_fork.c: a fork bomb limited by RLIMIT_NPROC.
 *
 * A child becomes uid 54321 (no process of its own yet), sets
 * RLIMIT_NPROC to 16 and forks until fork fails: the 15 children it can
 * have plus itself make 16, so the 16th fork must fail with EAGAIN (the
 * limit counts the processes of the real uid, as in Linux).  The children
 * wait on a pipe; closing it ends them.  Afterwards the system is usable:
 * fork works again, and the uid's count is back so the same bomb is
 * stopped at the same place a second time.
 */
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "t.h"

#define LIMIT	16

/* In a child: fork until EAGAIN; exit code = forks that worked (or 99). */
static int
bomb(void)
{
	struct rlimit rl = { LIMIT, LIMIT };
	int p[2], n = 0, err = 0;
	pid_t pid;

	if (pipe(p) != 0 || setgid(54321) != 0 || setuid(54321) != 0 ||
	    setrlimit(RLIMIT_NPROC, &rl) != 0)
		return (99);
	for (int i = 0; i < 4 * LIMIT; i++) {
		pid = fork();
		if (pid == 0) {
			char c;

			close(p[1]);
			(void)read(p[0], &c, 1);	/* until the bomb ends */
			_exit(0);
		}
		if (pid < 0) {
			err = errno;
			break;
		}
		n++;
	}
	close(p[1]);
	while (wait(NULL) > 0)
		;
	if (err != EAGAIN)
		return (98);
	return (n);
}

static int
run_bomb(void)
{
	int st;
	pid_t pid = fork();

	if (pid == 0)
		_exit(bomb());
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return (-1);
	return (WEXITSTATUS(st));
}

int
main(void)
{
	pid_t pid;
	int st;

	t_init();
	CHECK_EQ("bomb stopped by EAGAIN after LIMIT-1 forks", run_bomb(),
	    LIMIT - 1);
	pid = fork();
	if (pid == 0)
		_exit(7);
	CHECK("fork works after the bomb", pid > 0 &&
	    waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	    WEXITSTATUS(st) == 7);
	CHECK_EQ("second bomb stopped at the same place", run_bomb(),
	    LIMIT - 1);
	return (t_done());
}
