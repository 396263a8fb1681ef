/*
 * t_exec.c: execve, its errors and what survives it.
 *
 * Failing execve calls are made by this process itself: each must return
 * -1 with the Linux errno and leave the caller running with its memory
 * intact.  Successful ones re-execute this program (argv[0]) in a helper
 * mode that checks, from the inside, what exec preserved or reset and
 * answers through its exit status.  Needs a writable /tmp.
 */
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "t.h"

static const char *self;
static char dir[64];
static char *const empty_env[] = { "T_EXEC=yes", NULL };

/* Helper modes, run after exec: exit 0 when what they see is right. */
static int
helper(int argc, char **argv)
{
	const char *mode = argv[1];

	if (strcmp(mode, "args") == 0) {
		const char *e = getenv("T_EXEC");

		return (argc == 5 && strcmp(argv[2], "one") == 0 &&
		    strcmp(argv[3], "") == 0 && strcmp(argv[4], "three") == 0 &&
		    e != NULL && strcmp(e, "yes") == 0 &&
		    getenv("PATH") == NULL ? 0 : 1);
	}
	if (strcmp(mode, "fds") == 0) {
		int keep = atoi(argv[2]), cloexec = atoi(argv[3]);

		if (fcntl(keep, F_GETFD) != 0)
			return (1);
		if (fcntl(cloexec, F_GETFD) != -1 || errno != EBADF)
			return (2);
		return (0);
	}
	if (strcmp(mode, "signals") == 0) {
		struct sigaction sa;
		sigset_t mask;

		sigaction(SIGUSR1, NULL, &sa);
		if (sa.sa_handler != SIG_DFL)
			return (1);	/* caught: reset to default */
		sigaction(SIGUSR2, NULL, &sa);
		if (sa.sa_handler != SIG_IGN)
			return (2);	/* ignored: stays ignored */
		sigprocmask(SIG_BLOCK, NULL, &mask);
		if (!sigismember(&mask, SIGTERM))
			return (3);	/* the mask survives */
		return (0);
	}
	if (strcmp(mode, "pid") == 0)
		return (atoi(argv[2]) == getpid() && atoi(argv[3]) ==
		    getppid() ? 0 : 1);
	return (100);
}

/* fork, exec self with argv, return the exit status (or -1). */
static int
run_self(char **argv, char *const *envp)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execve(self, argv, envp);
		_exit(120);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return (-1);
	return (WIFEXITED(status) ? WEXITSTATUS(status) :
	    128 + WTERMSIG(status));
}

static void
make_file(const char *path, const void *data, size_t len, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	if (fd >= 0) {
		write(fd, data, len);
		close(fd);
	}
	chmod(path, mode);
}

static void
sigusr1(int sig)
{
}

int
main(int argc, char **argv)
{
	char path[128], buf[512], pidbuf[16], ppidbuf[16];
	char *av[8];
	int fd, n;

	if (argc > 1)
		return (helper(argc, argv));
	t_init();
	self = argv[0];
	strcpy(dir, "/tmp/t_exec.XXXXXX");
	if (mkdtemp(dir) == NULL) {
		t_fail("setup", "mkdtemp: %s", strerror(errno));
		return (1);
	}

	/* argv and envp arrive intact; the environment is replaced. */
	av[0] = (char *)self; av[1] = "args"; av[2] = "one"; av[3] = "";
	av[4] = "three"; av[5] = NULL;
	CHECK_EQ("exec-args-env", run_self(av, empty_env), 0);

	/* exec keeps the pid and the parent. */
	{
		pid_t pid = fork();
		int status = -1;

		if (pid == 0) {
			snprintf(pidbuf, sizeof(pidbuf), "%d", getpid());
			snprintf(ppidbuf, sizeof(ppidbuf), "%d", getppid());
			av[0] = (char *)self; av[1] = "pid"; av[2] = pidbuf;
			av[3] = ppidbuf; av[4] = NULL;
			execve(self, av, empty_env);
			_exit(120);
		}
		waitpid(pid, &status, 0);
		CHECK("exec-same-pid", WIFEXITED(status) &&
		    WEXITSTATUS(status) == 0);
	}

	/* O_CLOEXEC fds close on exec, the others stay open. */
	{
		int keep = open("/", O_RDONLY);
		int ce = open("/", O_RDONLY | O_CLOEXEC);
		char k[16], c[16];

		snprintf(k, sizeof(k), "%d", keep);
		snprintf(c, sizeof(c), "%d", ce);
		av[0] = (char *)self; av[1] = "fds"; av[2] = k; av[3] = c;
		av[4] = NULL;
		CHECK_EQ("exec-cloexec", run_self(av, empty_env), 0);
		close(keep);
		close(ce);
	}

	/* Caught signals reset to default, ignored stay ignored, mask kept. */
	{
		sigset_t mask, old;

		signal(SIGUSR1, sigusr1);
		signal(SIGUSR2, SIG_IGN);
		sigemptyset(&mask);
		sigaddset(&mask, SIGTERM);
		sigprocmask(SIG_BLOCK, &mask, &old);
		av[0] = (char *)self; av[1] = "signals"; av[2] = NULL;
		CHECK_EQ("exec-signal-dispositions", run_self(av, empty_env),
		    0);
		sigprocmask(SIG_SETMASK, &old, NULL);
		signal(SIGUSR1, SIG_DFL);
		signal(SIGUSR2, SIG_DFL);
	}

	/* Errors: each leaves this process running. */
	av[0] = "x"; av[1] = NULL;
	CHECK_ERR("execve-enoent", execve("/nonexistent/prog", av, empty_env),
	    ENOENT);
	CHECK_ERR("execve-empty-path", execve("", av, empty_env), ENOENT);
	snprintf(path, sizeof(path), "%s/noexec", dir);
	make_file(path, "#!/bin/sh\nexit 0\n", 17, 0644);
	CHECK_ERR("execve-eacces-mode", execve(path, av, empty_env), EACCES);
	CHECK_ERR("execve-eacces-dir", execve(dir, av, empty_env), EACCES);
	snprintf(path, sizeof(path), "%s/file", dir);
	make_file(path, "", 0, 0755);
	snprintf(path, sizeof(path), "%s/file/x", dir);
	CHECK_ERR("execve-enotdir", execve(path, av, empty_env), ENOTDIR);

	snprintf(path, sizeof(path), "%s/garbage", dir);
	make_file(path, "this is not a program\n", 22, 0755);
	CHECK_ERR("execve-enoexec-garbage", execve(path, av, empty_env),
	    ENOEXEC);

	/* The first 100 bytes of a real ELF: the header table is cut. */
	fd = open(self, O_RDONLY);
	n = fd >= 0 ? read(fd, buf, 100) : -1;
	if (fd >= 0)
		close(fd);
	snprintf(path, sizeof(path), "%s/truncated", dir);
	make_file(path, buf, n > 0 ? n : 0, 0755);
	CHECK_ERR("execve-enoexec-truncated-elf", execve(path, av, empty_env),
	    ENOEXEC);
	/* An ELF header for another machine (i386). */
	if (n == 100) {
		buf[18] = 3;
		buf[19] = 0;
		snprintf(path, sizeof(path), "%s/i386", dir);
		make_file(path, buf, 100, 0755);
		CHECK_ERR("execve-enoexec-wrong-machine",
		    execve(path, av, empty_env), ENOEXEC);
	}

	/* #! scripts run through their interpreter. */
	{
		pid_t pid;
		int status = -1;

		snprintf(path, sizeof(path), "%s/script", dir);
		make_file(path, "#!/bin/sh\nexit 7\n", 17, 0755);
		pid = fork();
		if (pid == 0) {
			execve(path, av, empty_env);
			_exit(120);
		}
		waitpid(pid, &status, 0);
		CHECK("execve-script", WIFEXITED(status) &&
		    WEXITSTATUS(status) == 7);
	}

	/* Too much argument space: E2BIG (64 x 100000 bytes > 2 MiB). */
	{
		static char big[100001];
		static char *bav[66];

		memset(big, 'a', sizeof(big) - 1);
		bav[0] = (char *)self;
		for (int i = 1; i <= 64; i++)
			bav[i] = big;
		bav[65] = NULL;
		CHECK_ERR("execve-e2big", execve(self, bav, empty_env), E2BIG);
	}

	/* Bad pointers: EFAULT, and we keep running. */
	CHECK_ERR("execve-efault-argv", execve(self, T_LOW, empty_env),
	    EFAULT);
	av[0] = (char *)self; av[1] = (char *)1; av[2] = NULL;
	CHECK_ERR("execve-efault-argv-string", execve(self, av, empty_env),
	    EFAULT);
	av[1] = NULL;
	CHECK_ERR("execve-efault-envp", execve(self, av, T_LOW), EFAULT);
	CHECK_ERR("execve-efault-path", execve(T_LOW, av, empty_env),
	    EFAULT);
	CHECK_ERR("execve-efault-kernel-path",
	    execve(T_KERNEL, av, empty_env), EFAULT);

	/* Still alive with our memory intact after all that. */
	CHECK("execve-caller-survives", strncmp(dir, "/tmp/t_exec.", 12) == 0);

	snprintf(buf, sizeof(buf), "rm -rf %s", dir);
	system(buf);
	return (t_done());
}
