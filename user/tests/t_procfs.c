/*
 * t_procfs.c: /proc as Linux lays it out, checked against values this
 * test sets up itself.
 *
 * Its own pid, parent and process group in stat and status; a mapping it
 * makes with mmap appearing in maps with the right address and
 * permissions; memory it touches raising VmRSS and statm's resident
 * count; its argv (a long one, through a re-exec) in cmdline and its
 * environment in environ; /proc/self/exe naming itself; fd/ links for a
 * pipe and a file it opened; the system files parsing and agreeing with
 * sysinfo(2); and the bad cases: missing pids, writes to read-only files,
 * another user's environ, a process that dies between open and read.
 * It passes on the host Linux (as root) too.
 */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/sysmacros.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>

#include "t.h"

extern char **environ;

static char fbuf[1 << 16];

/* The whole file into fbuf (NUL-terminated); the length or -1. */
static ssize_t
slurp(const char *path)
{
	ssize_t n, len = 0;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return (-1);
	while ((n = read(fd, fbuf + len, sizeof(fbuf) - 1 - len)) > 0)
		len += n;
	close(fd);
	if (n < 0)
		return (-1);
	fbuf[len] = '\0';
	return (len);
}

/* The number after "key:" in a status-like file, or -1. */
static long
field(const char *path, const char *key)
{
	char *p;

	if (slurp(path) < 0)
		return (-1);
	for (p = fbuf; p != NULL && *p; p = strchr(p, '\n'), p = p ? p + 1 : p)
		if (strncmp(p, key, strlen(key)) == 0 &&
		    p[strlen(key)] == ':')
			return (strtol(p + strlen(key) + 1, NULL, 10));
	return (-1);
}

/* Field k (1-based, Linux numbering) of /proc/PATH/stat into out. */
static int
stat_field(const char *path, int k, char *out, size_t len)
{
	char *p, *q;
	int i;

	if (slurp(path) < 0)
		return (-1);
	if (k == 2) {
		p = strchr(fbuf, '(');
		q = strrchr(fbuf, ')');
		snprintf(out, len, "%.*s", (int)(q - p - 1), p + 1);
		return (0);
	}
	if (k == 1) {
		snprintf(out, len, "%ld", strtol(fbuf, NULL, 10));
		return (0);
	}
	p = strrchr(fbuf, ')') + 2;
	for (i = 3; i < k && p != NULL; i++) {
		p = strchr(p, ' ');
		if (p != NULL)
			p++;
	}
	if (p == NULL)
		return (-1);
	snprintf(out, len, "%.*s", (int)strcspn(p, " \n"), p);
	return (0);
}

static long
stat_num(const char *path, int k)
{
	char v[64];

	if (stat_field(path, k, v, sizeof(v)) != 0)
		return (-1);
	return (strtol(v, NULL, 10));
}

static int
count_stat_fields(void)
{
	char *p = strrchr(fbuf, ')');
	int n = 2;

	for (p++; *p && *p != '\n'; p++)
		if (*p == ' ')
			n++;
	return (n);
}

static void
test_self(char **argv)
{
	char want[64], got[256], v[64];
	ssize_t n;

	snprintf(want, sizeof(want), "%d", getpid());
	n = readlink("/proc/self", got, sizeof(got) - 1);
	got[n > 0 ? n : 0] = '\0';
	CHECK("self-link", n > 0 && strcmp(got, want) == 0);
	snprintf(want, sizeof(want), "%d/task/%d", getpid(), getpid());
	n = readlink("/proc/thread-self", got, sizeof(got) - 1);
	got[n > 0 ? n : 0] = '\0';
	CHECK("thread-self-link", n > 0 && strcmp(got, want) == 0);

	CHECK_EQ("stat-pid", stat_num("/proc/self/stat", 1), getpid());
	CHECK("stat-52-fields", slurp("/proc/self/stat") > 0 &&
	    count_stat_fields() == 52);
	CHECK("stat-comm", stat_field("/proc/self/stat", 2, v,
	    sizeof(v)) == 0 && strcmp(v, "t_procfs") == 0);
	CHECK("stat-state-running", stat_field("/proc/self/stat", 3, v,
	    sizeof(v)) == 0 && strcmp(v, "R") == 0);
	CHECK_EQ("stat-ppid", stat_num("/proc/self/stat", 4), getppid());
	CHECK_EQ("stat-pgrp", stat_num("/proc/self/stat", 5), getpgrp());
	CHECK_EQ("stat-session", stat_num("/proc/self/stat", 6), getsid(0));
	CHECK_EQ("stat-threads", stat_num("/proc/self/stat", 20), 1);
	CHECK_EQ("stat-wchan-zero", stat_num("/proc/self/stat", 35), 0);
	CHECK_EQ("stat-exit-signal", stat_num("/proc/self/stat", 38),
	    SIGCHLD);
	CHECK("stat-vsize-bytes", stat_num("/proc/self/stat", 23) >
	    stat_num("/proc/self/stat", 24) * 4096 / 8);
	CHECK_EQ("status-pid", field("/proc/self/status", "Pid"), getpid());
	CHECK_EQ("status-tgid", field("/proc/self/status", "Tgid"), getpid());
	CHECK_EQ("status-ppid", field("/proc/self/status", "PPid"),
	    getppid());
	CHECK_EQ("status-uid", field("/proc/self/status", "Uid"), getuid());
	CHECK_EQ("status-gid", field("/proc/self/status", "Gid"), getgid());
	CHECK_EQ("status-threads", field("/proc/self/status", "Threads"), 1);
	/* The program's text is paged in from its file. */
	CHECK("status-rssfile", field("/proc/self/status", "RssFile") > 0 &&
	    field("/proc/self/status", "RssFile") <
	    field("/proc/self/status", "VmRSS"));
	CHECK("status-name", slurp("/proc/self/status") > 0 &&
	    strncmp(fbuf, "Name:\tt_procfs\n", 15) == 0);
	CHECK("status-state", strstr(fbuf, "\nState:\tR (running)\n") != NULL);
	CHECK("status-fields", strstr(fbuf, "\nVmPeak:") && strstr(fbuf,
	    "\nVmSize:") && strstr(fbuf, "\nVmRSS:") && strstr(fbuf,
	    "\nVmData:") && strstr(fbuf, "\nVmStk:") && strstr(fbuf,
	    "\nVmExe:") && strstr(fbuf, "\nVmLib:") && strstr(fbuf,
	    "\nSigQ:") && strstr(fbuf, "\nSigPnd:") && strstr(fbuf,
	    "\nSigBlk:") && strstr(fbuf, "\nSigIgn:") && strstr(fbuf,
	    "\nSigCgt:") && strstr(fbuf, "\nFDSize:") &&
	    strstr(fbuf, "\nvoluntary_ctxt_switches:") &&
	    strstr(fbuf, "\nnonvoluntary_ctxt_switches:"));
	CHECK("comm", slurp("/proc/self/comm") == 9 &&
	    strcmp(fbuf, "t_procfs\n") == 0);
	snprintf(got, sizeof(got), "/proc/%d/task/%d/stat", getpid(),
	    getpid());
	CHECK_EQ("task-stat-pid", stat_num(got, 1), getpid());
}

static void
test_signals(void)
{
	sigset_t set;
	char *p;

	/* SIGUSR1 (10) blocked, SIGUSR2 (12) ignored, SIGTERM caught. */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGUSR2, SIG_IGN);
	signal(SIGTERM, (void (*)(int))test_signals);
	slurp("/proc/self/status");
	/* Bit N-1 for signal N (the runner may block or ignore others). */
	p = strstr(fbuf, "SigBlk:\t");
	CHECK("status-sigblk", p && strlen(p) > 24 && p[24] == '\n' &&
	    (strtoull(p + 8, NULL, 16) & 0x200));
	p = strstr(fbuf, "SigIgn:\t");
	CHECK("status-sigign", p && strlen(p) > 24 && p[24] == '\n' &&
	    (strtoull(p + 8, NULL, 16) & 0x800));
	p = strstr(fbuf, "SigCgt:\t");
	CHECK("status-sigcgt", p && (strtoull(p + 8, NULL, 16) & 0x4000));
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	signal(SIGUSR2, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
}

/* The maps line starting at addr, or NULL. */
static char *
maps_line(void *addr)
{
	char key[32];
	char *p;

	snprintf(key, sizeof(key), "%08lx-", (unsigned long)addr);
	if (slurp("/proc/self/maps") < 0)
		return (NULL);
	for (p = fbuf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p)
		if (strncmp(p, key, strlen(key)) == 0) {
			p[strcspn(p, "\n")] = '\0';
			return (p);
		}
	return (NULL);
}

/* A file mapping: offset, device, inode and path as Linux prints them. */
static void
test_file_map(void)
{
	char want[128], tail[64], buf[8192], *l;
	struct stat sb;
	void *a;
	int fd;

	memset(buf, 'q', sizeof(buf));
	fd = open("/tmp/t_procfs.map", O_RDWR | O_CREAT | O_TRUNC, 0600);
	write(fd, buf, sizeof(buf));
	fstat(fd, &sb);
	a = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 4096);
	CHECK("file-mmap", a != MAP_FAILED);
	snprintf(want, sizeof(want), "%08lx-%08lx r--p 00001000 %02x:%02x %lu ",
	    (unsigned long)a, (unsigned long)a + 4096,
	    (unsigned)major(sb.st_dev), (unsigned)minor(sb.st_dev),
	    (unsigned long)sb.st_ino);
	snprintf(tail, sizeof(tail), " /tmp/t_procfs.map");
	l = a != MAP_FAILED ? maps_line(a) : NULL;
	CHECK("maps-file-line", l && strncmp(l, want, strlen(want)) == 0 &&
	    strlen(l) > strlen(tail) &&
	    strcmp(l + strlen(l) - strlen(tail), tail) == 0);
	if (l && strncmp(l, want, strlen(want)) != 0)
		printf("  got '%s'\n  want '%s...'\n", l, want);
	/* Written (copy on write): still the file, now rw-p. */
	mprotect(a, 4096, PROT_READ | PROT_WRITE);
	((char *)a)[0] = 'w';
	strchr(want, ' ')[2] = 'w';		/* "r--p" -> "rw-p" */
	l = a != MAP_FAILED ? maps_line(a) : NULL;
	CHECK("maps-file-after-cow", l && strncmp(l, want, strlen(want)) == 0
	    && strcmp(l + strlen(l) - strlen(tail), tail) == 0);
	if (l && strncmp(l, want, strlen(want)) != 0)
		printf("  got '%s'\n  want '%s...'\n", l, want);
	munmap(a, 4096);
	close(fd);
	unlink("/tmp/t_procfs.map");
}

static void
test_maps(void)
{
	char want[128], *l;
	void *a, *b;

	a = mmap(NULL, 3 * 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	snprintf(want, sizeof(want), "%08lx-%08lx r--p 00000000 00:00 0 ",
	    (unsigned long)a, (unsigned long)a + 3 * 4096);
	l = maps_line(a);
	CHECK("maps-anon-ro", l != NULL && strcmp(l, want) == 0);
	if (l != NULL && strcmp(l, want) != 0)
		printf("  got '%s'\n  want '%s'\n", l, want);
	mprotect(a, 4096, PROT_READ | PROT_WRITE);
	snprintf(want, sizeof(want), "%08lx-%08lx rw-p ", (unsigned long)a,
	    (unsigned long)a + 4096);
	l = maps_line(a);
	CHECK("maps-split-by-mprotect", l && strncmp(l, want,
	    strlen(want)) == 0);
	snprintf(want, sizeof(want), "%08lx-%08lx r--p ",
	    (unsigned long)a + 4096, (unsigned long)a + 3 * 4096);
	l = maps_line((char *)a + 4096);
	CHECK("maps-split-rest", l && strncmp(l, want, strlen(want)) == 0);
	munmap(a, 3 * 4096);
	CHECK("maps-unmapped-gone", maps_line(a) == NULL);
	b = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	snprintf(want, sizeof(want), "%08lx-%08lx rwxs ", (unsigned long)b,
	    (unsigned long)b + 4096);
	l = maps_line(b);
	CHECK("maps-shared-rwx", l && strncmp(l, want, strlen(want)) == 0);
	munmap(b, 4096);
	test_file_map();
	slurp("/proc/self/maps");
	CHECK("maps-stack", strstr(fbuf, "[stack]\n") != NULL);
	l = strstr(fbuf, "[stack]");
	CHECK("maps-name-column-73", l != NULL && l - 73 >= fbuf &&
	    (l == fbuf + 73 || l[-74] == '\n'));
	CHECK("maps-exe-named", strstr(fbuf, "/t_procfs\n") != NULL);
}

/* 3000 mappings (alternating protections, so none merge): maps is far
 * larger than a page and lists every one. */
static void
test_many_maps(void)
{
	enum { N = 3000 };
	char *base, buf[4096];
	long lines = 0, bytes = 0;
	ssize_t n;
	int fd;

	base = mmap(NULL, N * 4096UL, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
	    -1, 0);
	for (int i = 0; i < N; i += 2)
		mprotect(base + i * 4096UL, 4096, PROT_READ | PROT_WRITE);
	fd = open("/proc/self/maps", O_RDONLY);
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		bytes += n;
		for (ssize_t i = 0; i < n; i++)
			lines += buf[i] == '\n';
	}
	close(fd);
	CHECK("maps-3000-entries", lines >= N && bytes > 100000);
	if (lines < N)
		printf("  %ld lines, %ld bytes\n", lines, bytes);
	munmap(base, N * 4096UL);
}

static void
test_rss(void)
{
	long rss0, rss1, res0, res1;
	size_t len = 4 << 20;
	char *m;
	FILE *f;

	long flt0 = stat_num("/proc/self/stat", 10), flt1;

	rss0 = field("/proc/self/status", "VmRSS");
	f = fopen("/proc/self/statm", "r");
	if (f == NULL || fscanf(f, "%*d %ld", &res0) != 1)
		res0 = -1;
	if (f)
		fclose(f);
	m = mmap(NULL, len, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (size_t i = 0; i < len; i += 4096)
		m[i] = 1;
	flt1 = stat_num("/proc/self/stat", 10);
	rss1 = field("/proc/self/status", "VmRSS");
	f = fopen("/proc/self/statm", "r");
	if (f == NULL || fscanf(f, "%*d %ld", &res1) != 1)
		res1 = -1;
	if (f)
		fclose(f);
	CHECK("vmrss-grows-4mb", rss0 > 0 && rss1 - rss0 >= 4000 &&
	    rss1 - rss0 < 4400);
	if (!(rss1 - rss0 >= 4000 && rss1 - rss0 < 4400))
		printf("  VmRSS %ld -> %ld kB\n", rss0, rss1);
	CHECK("statm-resident-grows", res0 > 0 && res1 - res0 >= 1000 &&
	    res1 - res0 < 1100);
	/* Linux batches its RSS counters per CPU: allow a little skew. */
	CHECK("stat-rss-pages", labs(stat_num("/proc/self/stat", 24) - res1)
	    <= 64);
	/* smaps: the record of the mapping says all 4 MiB are resident. */
	{
		char key[32], *r;

		snprintf(key, sizeof(key), "%08lx-", (unsigned long)m);
		slurp("/proc/self/smaps");
		r = strstr(fbuf, key);
		r = r ? strstr(r, "\nRss:") : NULL;
		CHECK("smaps-rss-4mb", r && strtol(r + 5, NULL, 10) == 4096);
		r = strstr(fbuf, key);
		r = r ? strstr(r, "\nSize:") : NULL;
		CHECK("smaps-size", r && strtol(r + 6, NULL, 10) == 4096);
	}
	/* Linux may use huge pages (a few faults); Mica takes one per page. */
	CHECK("stat-minflt-grows", flt0 >= 0 && flt1 > flt0);
	munmap(m, len);
	rss1 = field("/proc/self/status", "VmRSS");
	CHECK("vmrss-shrinks", rss1 - rss0 < 400);
}

static void
test_exe(char **argv)
{
	char got[512];
	struct stat a, b;
	ssize_t n;

	n = readlink("/proc/self/exe", got, sizeof(got) - 1);
	got[n > 0 ? n : 0] = '\0';
	CHECK("exe-absolute", n > 0 && got[0] == '/');
	CHECK("exe-names-self", n > 9 && strcmp(got + n - 9, "/t_procfs") == 0);
	CHECK("exe-same-file", stat(got, &a) == 0 && stat(argv[0], &b) == 0 &&
	    a.st_ino == b.st_ino && a.st_dev == b.st_dev);
	CHECK("exe-stat-follows", stat("/proc/self/exe", &a) == 0 &&
	    a.st_ino == b.st_ino);
	n = readlink("/proc/self/cwd", got, sizeof(got) - 1);
	got[n > 0 ? n : 0] = '\0';
	CHECK("cwd-link", n > 0 && chdir("/tmp") == 0 &&
	    (n = readlink("/proc/self/cwd", got, sizeof(got) - 1)) == 4 &&
	    strncmp(got, "/tmp", 4) == 0);
	n = readlink("/proc/self/root", got, sizeof(got) - 1);
	CHECK("root-link", n == 1 && got[0] == '/');
}

static void
test_fds(void)
{
	char path[64], got[256], want[64];
	int p[2], fd;
	struct stat sb;
	ssize_t n;
	DIR *d;
	struct dirent *de;
	int seen = 0;

	CHECK_EQ("pipe", pipe(p), 0);
	fstat(p[0], &sb);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", p[0]);
	n = readlink(path, got, sizeof(got) - 1);
	got[n > 0 ? n : 0] = '\0';
	snprintf(want, sizeof(want), "pipe:[%lu]", (unsigned long)sb.st_ino);
	CHECK("fd-pipe-link", n > 0 && strcmp(got, want) == 0);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", p[1]);
	n = readlink(path, got, sizeof(got) - 1);
	got[n > 0 ? n : 0] = '\0';
	CHECK("fd-pipe-same-inode", n > 0 && strcmp(got, want) == 0);
	CHECK("fd-write-end-mode", lstat(path, &sb) == 0 &&
	    S_ISLNK(sb.st_mode) && (sb.st_mode & 0777) == 0300);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", p[0]);
	CHECK("fd-read-end-mode", lstat(path, &sb) == 0 &&
	    (sb.st_mode & 0777) == 0500);

	fd = open("/tmp/t_procfs.file", O_RDWR | O_CREAT | O_TRUNC, 0600);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, got, sizeof(got) - 1);
	got[n > 0 ? n : 0] = '\0';
	CHECK("fd-file-link", fd >= 0 && strcmp(got,
	    "/tmp/t_procfs.file") == 0);
	write(fd, "abcdef", 6);
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	CHECK_EQ("fdinfo-pos", field(path, "pos"), 6);
	d = opendir("/proc/self/fd");
	while (d && (de = readdir(d)) != NULL)
		if (atoi(de->d_name) == fd || atoi(de->d_name) == p[0])
			seen++;
	if (d)
		closedir(d);
	CHECK_EQ("fd-dir-lists", seen, 2);
	close(fd);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	CHECK_ERR("fd-closed-enoent", readlink(path, got, sizeof(got)), ENOENT);
	unlink("/tmp/t_procfs.file");
	close(p[0]);
	close(p[1]);
}

static void
test_cmdline(int argc, char **argv, char **env0)
{
	char want[4096];
	size_t len = 0;
	ssize_t n;

	for (int i = 0; i < argc; i++) {
		memcpy(want + len, argv[i], strlen(argv[i]) + 1);
		len += strlen(argv[i]) + 1;
	}
	n = slurp("/proc/self/cmdline");
	CHECK("cmdline-argv", n == (ssize_t)len &&
	    memcmp(fbuf, want, len) == 0);
	len = 0;
	for (int i = 0; env0[i] != NULL && len < 3000; i++) {
		memcpy(want + len, env0[i], strlen(env0[i]) + 1);
		len += strlen(env0[i]) + 1;
	}
	n = slurp("/proc/self/environ");
	CHECK("environ-initial", n == (ssize_t)len &&
	    memcmp(fbuf, want, len) == 0);
}

/* Re-exec with a 300-byte argument: cmdline is read from the process's
 * memory, not a short kernel copy. */
static void
test_long_cmdline(char **argv)
{
	char arg[301];
	int status;
	pid_t pid;

	memset(arg, 'x', 300);
	arg[300] = '\0';
	pid = fork();
	if (pid == 0) {
		char *const av[] = { argv[0], "--long-cmdline", arg, NULL };
		char *const ev[] = { "T_PROCFS=1", NULL };

		execve(argv[0], av, ev);
		_exit(99);
	}
	waitpid(pid, &status, 0);
	CHECK("cmdline-long-and-environ", WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0);
}

static int
long_cmdline_child(int argc, char **argv)
{
	ssize_t n = slurp("/proc/self/cmdline");
	size_t l0 = strlen(argv[0]) + 1;

	if (argc != 3 || n != (ssize_t)(l0 + 15 + 301))
		return (1);
	if (memcmp(fbuf + l0, "--long-cmdline\0", 15) != 0 ||
	    fbuf[l0 + 15 + 299] != 'x' || fbuf[n - 1] != '\0')
		return (2);
	n = slurp("/proc/self/environ");
	if (n != 11 || memcmp(fbuf, "T_PROCFS=1\0", 11) != 0)
		return (3);
	return (0);
}

static void
test_bad(void)
{
	char buf[16];
	int fd, status;
	pid_t pid;

	CHECK_ERR("enoent-pid0", open("/proc/0/stat", O_RDONLY), ENOENT);
	CHECK_ERR("enoent-abc", open("/proc/abc", O_RDONLY), ENOENT);
	CHECK_ERR("enoent-minus1", open("/proc/-1/stat", O_RDONLY), ENOENT);
	CHECK_ERR("enoent-leading-zero", open("/proc/01/stat", O_RDONLY),
	    ENOENT);
	CHECK_ERR("enoent-huge-pid", open("/proc/999999999/stat", O_RDONLY),
	    ENOENT);
	CHECK_ERR("enoent-no-file", open("/proc/self/nonexistent", O_RDONLY),
	    ENOENT);
	CHECK_ERR("enoent-self-fd-999", open("/proc/self/fd/999", O_RDONLY),
	    ENOENT);
	CHECK_ERR("creat-in-proc", open("/proc/newfile", O_CREAT | O_WRONLY,
	    0644), ENOENT);
	/* Writing a read-only file: EACCES at open (Mica, and Linux for
	 * non-root), or the write fails (Linux root: EIO/EINVAL). */
	fd = open("/proc/self/stat", O_WRONLY);
	CHECK("write-ro-refused", (fd < 0 && errno == EACCES) ||
	    (fd >= 0 && write(fd, "x", 1) < 0 && (errno == EINVAL ||
	    errno == EIO || errno == EACCES)));
	if (fd >= 0)
		close(fd);
	fd = open("/proc/meminfo", O_WRONLY);
	CHECK("write-meminfo-refused", (fd < 0 && errno == EACCES) ||
	    (fd >= 0 && write(fd, "x", 1) < 0));
	if (fd >= 0)
		close(fd);
	/* As another user: no write access to 0444 files, no environ of a
	 * root process. */
	pid = fork();
	if (pid == 0) {
		int bad = 0;

		if (setuid(65534) != 0)
			_exit(10);
		if (open("/proc/self/status", O_WRONLY) != -1 ||
		    errno != EACCES)
			bad |= 1;
		if (open("/proc/1/environ", O_RDONLY) != -1 ||
		    errno != EACCES)
			bad |= 2;
		_exit(bad);
	}
	waitpid(pid, &status, 0);
	CHECK_EQ("other-uid-rules", WIFEXITED(status) ?
	    WEXITSTATUS(status) : 100 + WTERMSIG(status), 0);
	/* A short write to comm renames, as prctl(PR_SET_NAME) does (the
	 * bytes as written: Linux keeps a newline). */
	fd = open("/proc/self/comm", O_WRONLY);
	CHECK("comm-write", fd >= 0 && write(fd, "renamed", 7) == 7);
	close(fd);
	CHECK("comm-renamed", slurp("/proc/self/comm") > 0 &&
	    strcmp(fbuf, "renamed\n") == 0);
	fd = open("/proc/self/comm", O_WRONLY);
	write(fd, "t_procfs", 8);
	close(fd);
	(void)buf;
}

/* A process that dies between open and read: its snapshot or ESRCH. */
static void
test_exit_race(void)
{
	char path[64], want[32], buf[4096];
	int fd, status;
	ssize_t n;
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	fd = open(path, O_RDONLY);
	CHECK("race-open", fd >= 0);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	snprintf(want, sizeof(want), "\nPid:\t%d\n", pid);
	n = read(fd, buf, sizeof(buf) - 1);
	if (n > 0)
		buf[n] = '\0';
	CHECK("race-snapshot-or-esrch", (n > 0 && strstr(buf, want)) ||
	    (n < 0 && errno == ESRCH));
	lseek(fd, 0, SEEK_SET);
	n = read(fd, buf, sizeof(buf));
	CHECK("race-reread-esrch", n == 0 || (n < 0 && errno == ESRCH));
	close(fd);
	CHECK_ERR("race-reopen-enoent", open(path, O_RDONLY), ENOENT);
}

static void
test_system(void)
{
	struct sysinfo si;
	double up, idle, l1, l5, l15;
	int running, total, last;
	unsigned long long c[10];
	long long btime;
	char *p;
	FILE *f;
	int n;

	f = fopen("/proc/uptime", "r");
	n = f ? fscanf(f, "%lf %lf", &up, &idle) : 0;
	if (f)
		fclose(f);
	CHECK("uptime-parses", n == 2 && up > 0 && idle >= 0);
	f = fopen("/proc/loadavg", "r");
	n = f ? fscanf(f, "%lf %lf %lf %d/%d %d", &l1, &l5, &l15, &running,
	    &total, &last) : 0;
	if (f)
		fclose(f);
	CHECK("loadavg-parses", n == 6 && running >= 1 && total >= running &&
	    last > 0 && l1 >= 0 && l5 >= 0 && l15 >= 0);
	sysinfo(&si);
	CHECK_EQ("meminfo-total-is-sysinfo", field("/proc/meminfo",
	    "MemTotal"), (long)(si.totalram * si.mem_unit / 1024));
	CHECK("meminfo-free-sane", field("/proc/meminfo", "MemFree") > 0 &&
	    field("/proc/meminfo", "MemFree") < field("/proc/meminfo",
	    "MemTotal"));
	slurp("/proc/meminfo");
	CHECK("meminfo-fields", strstr(fbuf, "\nMemAvailable:") &&
	    strstr(fbuf, "\nBuffers:") && strstr(fbuf, "\nCached:") &&
	    strstr(fbuf, "\nSwapCached:") && strstr(fbuf, "\nActive:") &&
	    strstr(fbuf, "\nInactive:") && strstr(fbuf, "\nSwapTotal:") &&
	    strstr(fbuf, "\nSwapFree:") && strstr(fbuf, "\nDirty:") &&
	    strstr(fbuf, "\nWriteback:") && strstr(fbuf, "\nAnonPages:") &&
	    strstr(fbuf, "\nMapped:") && strstr(fbuf, "\nShmem:") &&
	    strstr(fbuf, "\nSlab:") && strstr(fbuf, "\nSReclaimable:") &&
	    strstr(fbuf, "\nSUnreclaim:") && strstr(fbuf, "\nKernelStack:") &&
	    strstr(fbuf, "\nPageTables:") && strstr(fbuf, "\nCommitLimit:") &&
	    strstr(fbuf, "\nCommitted_AS:") && strstr(fbuf,
	    "\nVmallocTotal:") && strstr(fbuf, "\nMlocked:"));
	slurp("/proc/stat");
	n = sscanf(fbuf, "cpu  %llu %llu %llu %llu %llu %llu %llu %llu %llu "
	    "%llu", &c[0], &c[1], &c[2], &c[3], &c[4], &c[5], &c[6], &c[7],
	    &c[8], &c[9]);
	CHECK_EQ("stat-cpu-10-columns", n, 10);
	CHECK("stat-cpu0", strstr(fbuf, "\ncpu0 ") != NULL);
	p = strstr(fbuf, "\nbtime ");
	btime = p ? atoll(p + 7) : 0;
	CHECK("stat-btime-plus-uptime-is-now",
	    llabs(btime + (long long)up - (long long)time(NULL)) <= 3);
	CHECK("stat-lines", strstr(fbuf, "\nintr ") && strstr(fbuf,
	    "\nctxt ") && strstr(fbuf, "\nprocesses ") && strstr(fbuf,
	    "\nprocs_running ") && strstr(fbuf, "\nprocs_blocked "));
	/* Ticks add up to about the uptime (one CPU on Mica: all of it). */
	CHECK("stat-ticks-nonzero", c[0] + c[2] + c[3] > 0);
	slurp("/proc/cpuinfo");
	CHECK("cpuinfo-fields", strstr(fbuf, "vendor_id\t: ") &&
	    strstr(fbuf, "\ncpu family\t: ") && strstr(fbuf, "\nmodel\t\t: ")
	    && strstr(fbuf, "\nmodel name\t: ") && strstr(fbuf,
	    "\nstepping\t: ") && strstr(fbuf, "\ncpu MHz\t\t: ") &&
	    strstr(fbuf, "\nflags\t\t: ") && strstr(fbuf, "\nbogomips\t: ") &&
	    strstr(fbuf, "\naddress sizes\t: "));
	CHECK("cpuinfo-flags-linux-names", strstr(fbuf, " sse2 ") != NULL &&
	    strstr(fbuf, " tsc ") != NULL);
	CHECK("filesystems-proc", slurp("/proc/filesystems") > 0 &&
	    strstr(fbuf, "nodev\tproc\n") != NULL);
	CHECK("mounts-proc", slurp("/proc/mounts") > 0 &&
	    strstr(fbuf, " /proc proc ") != NULL);
	CHECK("self-mountinfo", slurp("/proc/self/mountinfo") > 0 &&
	    strstr(fbuf, " /proc ") != NULL && strstr(fbuf, " - proc ") !=
	    NULL);
	CHECK("version", slurp("/proc/version") > 0 &&
	    strncmp(fbuf, "Linux version ", 14) == 0);
	CHECK("vmstat", slurp("/proc/vmstat") > 0 &&
	    strstr(fbuf, "\npgfault ") && strstr(fbuf, "\npgmajfault ") &&
	    strstr(fbuf, "\npswpin 0\n"));
	CHECK("sys-ostype", slurp("/proc/sys/kernel/ostype") == 6 &&
	    strcmp(fbuf, "Linux\n") == 0);
	CHECK("sys-pid_max", slurp("/proc/sys/kernel/pid_max") > 0 &&
	    atoi(fbuf) >= 32768);
	CHECK("sys-hostname", slurp("/proc/sys/kernel/hostname") > 1);
	CHECK("cmdline", slurp("/proc/cmdline") > 0);
}

static void
test_dir_and_reads(void)
{
	char name[16], whole[65536];
	int fd, found = 0, self = 0;
	ssize_t n, len = 0, wl;
	struct dirent *de;
	struct stat sb;
	DIR *d;

	snprintf(name, sizeof(name), "%d", getpid());
	d = opendir("/proc");
	while (d && (de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, name) == 0 && de->d_type == DT_DIR)
			found = 1;
		if (strcmp(de->d_name, "self") == 0 && de->d_type == DT_LNK)
			self = 1;
	}
	if (d)
		closedir(d);
	CHECK("readdir-own-pid", found);
	CHECK("readdir-self", self);
	CHECK("stat-file-size-0", stat("/proc/self/status", &sb) == 0 &&
	    S_ISREG(sb.st_mode) && sb.st_size == 0 &&
	    (sb.st_mode & 0777) == 0444);
	CHECK("stat-dir", stat("/proc/self", &sb) == 0 &&
	    S_ISDIR(sb.st_mode) && sb.st_uid == getuid());
	/* Byte-at-a-time reads give the same text as one big read. */
	wl = slurp("/proc/self/maps");
	memcpy(whole, fbuf, wl);
	fd = open("/proc/self/maps", O_RDONLY);
	while ((n = read(fd, fbuf + len, 1)) == 1)
		len++;
	CHECK("short-reads-consistent", wl > 0 && len == wl &&
	    memcmp(whole, fbuf, wl) == 0);
	/* pread at an offset; lseek back to 0 reads it again. */
	n = pread(fd, fbuf, 8, 9);
	CHECK("pread-offset", n == 8 && memcmp(fbuf, whole + 9, 8) == 0);
	lseek(fd, 0, SEEK_SET);
	n = read(fd, fbuf, 8);
	CHECK("lseek-reread", n == 8 && memcmp(fbuf, whole, 8) == 0);
	close(fd);
}

/* Reading every kind of file many times leaves the kernel heap as it was
 * (Slab is kmem's bytes in use on Mica; Linux's moves on its own, so the
 * check is Mica's only). */
static void
test_no_leak(void)
{
	static const char *const files[] = { "/proc/self/stat",
		"/proc/self/status", "/proc/self/statm", "/proc/self/maps",
		"/proc/self/smaps", "/proc/self/smaps_rollup",
		"/proc/self/cmdline", "/proc/self/environ", "/proc/self/limits",
		"/proc/self/mountinfo", "/proc/self/fdinfo/0", "/proc/stat",
		"/proc/cpuinfo", "/proc/mounts", "/proc/1/status" };
	struct utsname u;
	long before, after;
	char buf[256];

	uname(&u);
	if (strcmp(u.sysname, "Mica") != 0) {
		t_pass("no-leak-skipped-on-linux");
		return;
	}
	for (int round = 0; round < 2; round++) {
		before = field("/proc/meminfo", "Slab");
		for (int i = 0; i < 50; i++) {
			for (size_t f = 0; f < sizeof(files) / sizeof(*files);
			    f++)
				slurp(files[f]);
			readlink("/proc/self/exe", buf, sizeof(buf));
			readlink("/proc/self/fd/0", buf, sizeof(buf));
			readlink("/proc/self/cwd", buf, sizeof(buf));
			closedir(opendir("/proc/self/fd"));
		}
		after = field("/proc/meminfo", "Slab");
	}
	CHECK("no-leak", before > 0 && after - before <= 8);
	if (after - before > 8)
		printf("  Slab %ld -> %ld kB\n", before, after);
}

int
main(int argc, char **argv)
{
	char **env0 = environ;

	if (argc > 1 && strcmp(argv[1], "--long-cmdline") == 0)
		return (long_cmdline_child(argc, argv));
	t_init();
	test_self(argv);
	test_signals();
	test_cmdline(argc, argv, env0);
	test_long_cmdline(argv);
	test_maps();
	test_rss();
	test_many_maps();
	test_exe(argv);
	test_fds();
	test_bad();
	test_exit_race();
	test_system();
	test_dir_and_reads();
	test_no_leak();
	return (t_done());
}
