/*
 * init.c: /sbin/init, the first user process.
 *
 * It mounts devfs on /dev and proc on /proc when they are not there yet,
 * the host's 9P share on /mnt/host when a virtio-serial port exists, puts /dev/console on fds 0-2, sets a minimal environment and then does
 * one of two things:
 *
 *  - normal boot: run /bin/sh (busybox ash) as a session leader with the
 *    console as its controlling terminal, and start a new one whenever it
 *    exits;
 *  - qrun mode (the word `qrun` on the kernel command line, or /etc/qrun
 *    present when /proc/cmdline cannot be read): run the program listed in
 *    /etc/qrun (one argument per line) in /root with stdin empty (/dev/null)
 *    and stdout/stderr on /dev/ttyS0 (COM1; /dev/console if there is no
 *    ttyS0), after a `qrun-output-begin` marker line; wait for it, write
 *    `qrun-exit-status: N` to /dev/kmsg (N = exit code, or 128 + signal)
 *    and power the machine off.  tools/qrun reads that line from the kernel
 *    log (COM2 with console=ttyS1) to learn the program's fate.
 *
 * Like busybox init, it answers the signals busybox halt, poweroff and
 * reboot send to pid 1 (SIGUSR1, SIGUSR2, SIGTERM) by syncing and calling
 * reboot(2) with HALT, POWER_OFF or RESTART.
 *
 * In both modes init reaps every orphan that is reparented to it: a process
 * whose parent died becomes init's child, and only init's wait frees it.
 * The one idea: init must never exit, so every failure here is reported
 * and worked around rather than fatal.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define QRUN_FILE	"/etc/qrun"
#define QRUN_STATUS	"qrun-exit-status:"
#define QRUN_BEGIN	"qrun-output-begin"
#define MAXARGS		256

static char *const init_env[] = {
	"PATH=/sbin:/bin:/usr/sbin:/usr/bin:/tests",
	"HOME=/root",
	"TERM=vt100",
	"SHELL=/bin/sh",
	"USER=root",
	"LOGNAME=root",
	NULL
};

static void
msg(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	n = snprintf(buf, sizeof(buf), "init: ");
	va_start(ap, fmt);
	n += vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(buf) - 1)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	(void)write(2, buf, n);
}

/* Mount the first known of `types` on `dir` unless something is there. */
static void
mount_if_missing(const char *dir, const char *const *types, int quiet_enodev)
{
	struct stat root, st;

	if (stat("/", &root) == 0 && stat(dir, &st) == 0 &&
	    st.st_dev != root.st_dev)
		return;
	(void)mkdir(dir, 0755);
	for (int i = 0; types[i] != NULL; i++) {
		if (mount(types[i], dir, types[i], 0, NULL) == 0)
			return;
		if (errno != ENODEV)
			break;
	}
	if (errno == ENODEV && quiet_enodev)
		return;
	msg("mount %s on %s: %s", types[0], dir, strerror(errno));
}

/*
 * The host share: when a virtio-serial port exists (/dev/vportNpM), mount
 * the 9P server on it at /mnt/host.  The kernel takes the aname from its
 * share=DIR option (tools/qrun --share, make run SHARE=) and refuses with
 * ENODEV under `noshare`; ENODEV (no org.9p.0 port) and ENOTCONN (no
 * server on the host end) are quiet.
 */
static void
mount_share(void)
{
	struct dirent *de;
	DIR *d;
	int found = 0;

	if ((d = opendir("/dev")) == NULL)
		return;
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, "vport", 5) == 0)
			found = 1;
	closedir(d);
	if (!found)
		return;
	(void)mkdir("/mnt", 0755);
	(void)mkdir("/mnt/host", 0755);
	if (mount("host", "/mnt/host", "9p", 0,
	    "trans=virtio-serial,port=org.9p.0,version=9p2000.L,boot") == 0)
		return;
	if (errno != ENODEV && errno != ENOTCONN)
		msg("mount 9p on /mnt/host: %s", strerror(errno));
}

/*
 * fds 0-2 on the console.  init itself takes no controlling terminal
 * (O_NOCTTY): each shell it starts makes its own session and takes the
 * console, so a respawned shell can take it again after the last one died.
 */
static void
setup_console(void)
{
	int fd;

	fd = open("/dev/console", O_RDWR | O_NOCTTY);
	if (fd < 0) {
		/* Keep whatever fds the kernel gave us; report on them. */
		msg("open /dev/console: %s", strerror(errno));
		return;
	}
	for (int i = 0; i < 3; i++)
		if (fd != i)
			dup2(fd, i);
	if (fd > 2)
		close(fd);
}

static const int init_ignored[] = { SIGINT, SIGQUIT, SIGTSTP, SIGHUP, SIGPIPE };

/* SIGUSR1/SIGUSR2/SIGTERM from busybox halt/poweroff/reboot. */
static void
shutdown_signal(int sig)
{
	static const char what[] = "init: shutting down\n";

	(void)write(2, what, sizeof(what) - 1);
	sync();
	reboot(sig == SIGUSR1 ? RB_HALT_SYSTEM : sig == SIGUSR2 ?
	    RB_POWER_OFF : RB_AUTOBOOT);
}

/*
 * In a fresh child: default signal handling (ignored signals would survive
 * exec), new session, console as controlling terminal.
 */
static void
child_session(void)
{
	for (size_t i = 0; i < sizeof(init_ignored) / sizeof(init_ignored[0]);
	    i++)
		signal(init_ignored[i], SIG_DFL);
	(void)setsid();
	(void)ioctl(1, TIOCSCTTY, 0);
	(void)tcsetpgrp(1, getpid());
}

static void
reap_orphans(void)
{
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

/* Wait for `pid`, reaping any other child (orphans) on the way. */
static int
wait_for(pid_t pid)
{
	int status;
	pid_t p;

	for (;;) {
		p = waitpid(-1, &status, 0);
		if (p == pid)
			return (status);
		if (p < 0 && errno != EINTR) {
			msg("wait: %s", strerror(errno));
			return (-1);
		}
	}
}

static void
exec_prog(char **argv)
{
	execvpe(argv[0], argv, init_env);
	msg("exec %s: %s", argv[0], strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

static void
run_shells(void)
{
	char *argv[] = { "-sh", NULL };
	pid_t pid;

	for (;;) {
		pid = fork();
		if (pid < 0) {
			msg("fork: %s", strerror(errno));
			sleep(1);
			continue;
		}
		if (pid == 0) {
			child_session();
			execve("/bin/sh", argv, init_env);
			msg("exec /bin/sh: %s", strerror(errno));
			_exit(127);
		}
		wait_for(pid);
		reap_orphans();
		/* Do not spin if the shell dies at once. */
		sleep(1);
	}
}

/* Does the word `qrun` appear on the kernel command line? -1: unknown. */
static int
cmdline_has_qrun(void)
{
	char buf[1024], *p, *save;
	ssize_t n;
	int fd;

	fd = open("/proc/cmdline", O_RDONLY);
	if (fd < 0)
		return (-1);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return (-1);
	buf[n] = '\0';
	for (p = strtok_r(buf, " \t\n", &save); p != NULL;
	    p = strtok_r(NULL, " \t\n", &save))
		if (strcmp(p, "qrun") == 0)
			return (1);
	return (0);
}

/*
 * /etc/qrun: one argument per line; in an argument "\n" stands for a
 * newline and "\\" for a backslash.  Returns argc, or -1.
 */
static int
read_qrun(char **argv)
{
	static char buf[65536];
	char *p, *line, *d;
	ssize_t n, len = 0;
	int fd, argc = 0;

	fd = open(QRUN_FILE, O_RDONLY);
	if (fd < 0)
		return (-1);
	while ((n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';
	for (p = buf; *p != '\0' && argc < MAXARGS;) {
		line = p;
		while (*p != '\0' && *p != '\n')
			p++;
		if (*p == '\n')
			*p++ = '\0';
		argv[argc++] = line;
		/* Unescape in place. */
		for (d = line; *line != '\0'; line++) {
			if (line[0] == '\\' && line[1] == 'n') {
				*d++ = '\n';
				line++;
			} else if (line[0] == '\\' && line[1] == '\\') {
				*d++ = '\\';
				line++;
			} else
				*d++ = *line;
		}
		*d = '\0';
	}
	return (argc);
}

static void
report_status(int code)
{
	char line[64];
	int fd, n;

	n = snprintf(line, sizeof(line), QRUN_STATUS " %d\n", code);
	fd = open("/dev/kmsg", O_WRONLY | O_NOCTTY);
	if (fd >= 0 && write(fd, line, n) == n) {
		close(fd);
		return;
	}
	/* No kernel log device: tools/qrun also looks on the console. */
	msg("/dev/kmsg: %s; status on the console", strerror(errno));
	(void)write(1, "\n", 1);
	(void)write(1, line, n);
}

static void
run_qrun(void)
{
	char *argv[MAXARGS + 1];
	int argc, status, code, fd;
	pid_t pid;

	argc = read_qrun(argv);
	if (argc <= 0) {
		msg("qrun: cannot read a program from " QRUN_FILE);
		code = 127;
		goto out;
	}
	argv[argc] = NULL;
	/*
	 * The program's output goes to COM1 (/dev/ttyS0) while the kernel
	 * log, console=ttyS1, goes to COM2: take ttyS0 when there is one.
	 * The marker line lets tools/qrun drop anything printed before it.
	 */
	fd = open("/dev/ttyS0", O_RDWR | O_NOCTTY);
	if (fd >= 0) {
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	(void)write(1, QRUN_BEGIN "\n", sizeof(QRUN_BEGIN));
	pid = fork();
	if (pid < 0) {
		msg("fork: %s", strerror(errno));
		code = 125;
		goto out;
	}
	if (pid == 0) {
		child_session();
		/* stdin empty: /dev/null, or a pipe with no writer. */
		fd = open("/dev/null", O_RDONLY);
		if (fd < 0) {
			int p[2];

			if (pipe(p) == 0) {
				close(p[1]);
				fd = p[0];
			}
		}
		if (fd >= 0 && fd != 0) {
			dup2(fd, 0);
			close(fd);
		}
		(void)chdir("/root");
		exec_prog(argv);
	}
	status = wait_for(pid);
	if (status == -1)
		code = 125;
	else if (WIFEXITED(status))
		code = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		code = 128 + WTERMSIG(status);
	else
		code = 125;
out:
	reap_orphans();
	sync();
	report_status(code);
	reboot(RB_POWER_OFF);
	msg("reboot(POWER_OFF): %s", strerror(errno));
	for (;;) {
		/* Keep reaping while qrun's timeout runs out. */
		if (waitpid(-1, NULL, 0) < 0)
			pause();
	}
}

int
main(int argc, char **argv)
{
	static const char *const devfs[] = { "devfs", "devtmpfs", NULL };
	static const char *const procfs[] = { "proc", NULL };
	struct stat st;
	int qrun;

	/* Before anything can print: a console (the kernel may give none). */
	mount_if_missing("/dev", devfs, 0);
	setup_console();
	mount_if_missing("/proc", procfs, 1);
	(void)mkdir("/tmp", 01777);
	mount_share();
	umask(022);
	clearenv();
	for (int i = 0; init_env[i] != NULL; i++)
		putenv(init_env[i]);
	/* init ignores these; child_session restores them in children. */
	for (size_t i = 0; i < sizeof(init_ignored) / sizeof(init_ignored[0]);
	    i++)
		signal(init_ignored[i], SIG_IGN);
	signal(SIGUSR1, shutdown_signal);
	signal(SIGUSR2, shutdown_signal);
	signal(SIGTERM, shutdown_signal);

	qrun = cmdline_has_qrun();
	if (qrun < 0)
		qrun = stat(QRUN_FILE, &st) == 0;
	if (qrun)
		run_qrun();
	run_shells();
	return (0);
}
