/*
 * runtests.c: /tests/runtests, the guest test runner.
 *
 *   runtests [-t SECONDS] [-d DIR] [TEST...]
 *
 * Runs every DIR/t_* program (DIR defaults to the directory runtests lives
 * in, else /tests), or only the TESTs named, one after another.  Each runs
 * in its own process group with stdout and stderr on a pipe; its lines are
 * copied out prefixed by the program's name.  A test that outlives its time
 * (alarm) is killed with its whole group.  One line per program follows its
 * checks: `ok NAME` or `FAIL NAME: why`.  The last line counts checks:
 * `runtests: N passed, N failed`, where a program that crashed, timed out or
 * exited non-zero without saying FAIL counts as one more failure.  The exit
 * status is 0 only if nothing failed.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAXTESTS	128

static volatile sig_atomic_t timed_out;

static void
on_alarm(int sig)
{
	timed_out = 1;
}

static int
cmp(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/*
 * Run one test; add its PASS/FAIL lines to *pass and *fail.
 */
static void
run_one(const char *dir, const char *name, int secs, int *pass, int *fail)
{
	char path[1024], line[1024], buf[4096];
	int p[2], status, npass = 0, nfail = 0, len = 0;
	struct sigaction sa;
	ssize_t n;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (pipe(p) < 0) {
		printf("FAIL %s: pipe: %s\n", name, strerror(errno));
		(*fail)++;
		return;
	}
	pid = fork();
	if (pid < 0) {
		printf("FAIL %s: fork: %s\n", name, strerror(errno));
		close(p[0]);
		close(p[1]);
		(*fail)++;
		return;
	}
	if (pid == 0) {
		char *argv[] = { path, NULL };

		/*
		 * A session of its own: the test has no controlling tty, so
		 * termios calls on the console are not job-control stops
		 * (a background group doing TCSETS on its ctty gets SIGTTOU).
		 * Its pgid is its pid, so kill(-pid) still reaches it all.
		 */
		setsid();
		close(p[0]);
		dup2(p[1], 1);
		dup2(p[1], 2);
		if (p[1] > 2)
			close(p[1]);
		signal(SIGALRM, SIG_DFL);
		/*
		 * The test runs in its own (background) group of the session
		 * that owns the console: ignoring SIGTTOU lets it change the
		 * console's settings instead of being stopped (as on Linux).
		 */
		signal(SIGTTOU, SIG_IGN);
		execv(path, argv);
		printf("FAIL exec: %s\n", strerror(errno));
		_exit(127);
	}
	close(p[1]);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;	/* no SA_RESTART: read gets EINTR */
	sigaction(SIGALRM, &sa, NULL);
	timed_out = 0;
	alarm(secs);
	for (;;) {
		n = read(p[0], buf, sizeof(buf));
		if (n < 0 && errno == EINTR) {
			if (timed_out) {
				kill(-pid, SIGKILL);
				kill(pid, SIGKILL);
			}
			continue;
		}
		if (n <= 0)
			break;
		/* Split into lines; print each with the test's name. */
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] != '\n' && len < (int)sizeof(line) - 1) {
				line[len++] = buf[i];
				continue;
			}
			if (buf[i] != '\n')
				continue;	/* overlong: truncated */
			line[len] = '\0';
			printf("%s: %s\n", name, line);
			if (strncmp(line, "PASS ", 5) == 0)
				npass++;
			else if (strncmp(line, "FAIL ", 5) == 0)
				nfail++;
			len = 0;
		}
	}
	if (len > 0) {
		line[len] = '\0';
		printf("%s: %s\n", name, line);
		if (strncmp(line, "FAIL ", 5) == 0)
			nfail++;
	}
	close(p[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	alarm(0);
	/* Leftovers of the test's group go too. */
	kill(-pid, SIGKILL);

	if (timed_out) {
		printf("FAIL %s: timed out after %d s\n", name, secs);
		nfail++;
	} else if (WIFSIGNALED(status)) {
		printf("FAIL %s: killed by signal %d\n", name,
		    WTERMSIG(status));
		nfail++;
	} else if (WEXITSTATUS(status) != 0 && nfail == 0) {
		printf("FAIL %s: exit status %d without a FAIL line\n", name,
		    WEXITSTATUS(status));
		nfail++;
	} else if (WEXITSTATUS(status) == 0 && nfail != 0) {
		printf("FAIL %s: exit status 0 after FAIL lines\n", name);
	} else if (nfail != 0) {
		printf("FAIL %s: %d of %d checks failed\n", name, nfail,
		    npass + nfail);
	} else if (npass == 0) {
		printf("FAIL %s: no checks ran\n", name);
		nfail++;
	} else
		printf("ok %s (%d checks)\n", name, npass);
	*pass += npass;
	*fail += nfail;
}

int
main(int argc, char **argv)
{
	char *names[MAXTESTS], dirbuf[512];
	const char *dir = NULL;
	int opt, secs = 60, n = 0, pass = 0, fail = 0;
	struct dirent *de;
	DIR *d;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((opt = getopt(argc, argv, "t:d:")) != -1) {
		switch (opt) {
		case 't':
			secs = atoi(optarg);
			break;
		case 'd':
			dir = optarg;
			break;
		default:
			fprintf(stderr,
			    "usage: runtests [-t SECONDS] [-d DIR] [TEST...]\n");
			return (2);
		}
	}
	if (dir == NULL) {
		char *slash = strrchr(argv[0], '/');

		if (slash != NULL && slash != argv[0]) {
			snprintf(dirbuf, sizeof(dirbuf), "%.*s",
			    (int)(slash - argv[0]), argv[0]);
			dir = dirbuf;
		} else
			dir = "/tests";
	}
	if (optind < argc) {
		for (int i = optind; i < argc && n < MAXTESTS; i++)
			names[n++] = argv[i];
	} else {
		d = opendir(dir);
		if (d == NULL) {
			printf("FAIL runtests: opendir %s: %s\n", dir,
			    strerror(errno));
			printf("runtests: 0 passed, 1 failed\n");
			return (1);
		}
		while ((de = readdir(d)) != NULL && n < MAXTESTS)
			if (strncmp(de->d_name, "t_", 2) == 0 &&
			    strchr(de->d_name, '.') == NULL)
				names[n++] = strdup(de->d_name);
		closedir(d);
		qsort(names, n, sizeof(names[0]), cmp);
	}
	if (n == 0) {
		printf("FAIL runtests: no t_* programs in %s\n", dir);
		fail++;
	}
	for (int i = 0; i < n; i++)
		run_one(dir, names[i], secs, &pass, &fail);
	printf("runtests: %d passed, %d failed\n", pass, fail);
	return (fail == 0 ? 0 : 1);
}
