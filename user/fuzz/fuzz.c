/*
 * fuzz.c: the system call fuzzer (issue 9): the parent and its checks;
 * the workers are in fuzz_worker.c, what both share in fuzz.h.
 *
 *   fuzz run [-s SEED] [-t SECONDS] [-w WORKERS] [-c CHECK_SECONDS]
 *   fuzz run -s SEED -r W:G [-v]  replay generation G of worker W alone
 *   ... -o NAME,NAME...           only these calls (to narrow a failure)
 *   ... -9 ANAME                  also fuzz a 9P share (fuzz_9p.c)
 *   fuzz ANYTHING-ELSE            exit 0 at once (the execve target)
 *
 * The parent forks WORKERS workers.  Each worker runs one "generation": a
 * seeded random sequence of every system call in include/uapi/syscalls.def
 * with hostile arguments (NULL, unmapped, kernel-half, non-canonical,
 * misaligned and just-unmapped pointers, huge and negative lengths, random
 * flags, closed and recycled descriptors), forking children that fuzz a
 * little and exit, and dying when it hurts itself (a bad rt_sigreturn, a
 * random signal handler) -- that is expected.  The sequence depends only on
 * (SEED, worker, generation), so a generation replays with -r.  Meanwhile
 * the parent sends signals at random moments, kills workers that outlive
 * their generation (a worker SIGKILL cannot remove within 10 s is a kernel
 * hang), and every CHECK seconds stops everything and checks the kernel's
 * counters in /dev/kstat against the baseline read after a 4 s warm-up
 * round (kstat_compare): processes, open files, vnodes, pipes, kqueues,
 * knotes, 9P channels, fids and tags, heap objects in all and per size
 * class, free pages, and the vm_map and page-table checker (vm_check);
 * read_kstat takes every line, so a new counter needs only a name in
 * kstat_compare's lists; a call that returns a
 * kernel-half address fails the run too.  It prints a heartbeat line every
 * 5 s; tools/fuzz on the host turns a panic, a hang (qrun's timeout, a
 * missing final line) or an invariant failure into a report naming the seed.
 *
 * Each worker logs its calls to a ring in shared memory; the parent prints
 * the tail of the rings when something goes wrong.  What is left out by
 * design, so that the run cannot end itself (docs/security.md): reboot only
 * with wrong magic numbers; exit only in workers and their children;
 * kill/tkill/tgkill/setpgid/prlimit64/wait only on the caller, its own
 * children, its own group or pids that do not exist (never 1, -1 or the
 * parent); execve only of bad pointers, missing files and this program in
 * its harmless --exec-target mode; paths that create, change or remove
 * files only under the worker's scratch directory /tmp/fuzz/wN (read-only
 * calls also look at /, /etc, /dev); no tty devices (the console is the
 * parent's); clone and vfork children exit at once; mknod never makes a
 * tty or /dev/kmsg node.  setuid games are allowed: the parent stays root.
 */#include "fuzz.h"

struct slot *slots;
uint64_t seed = 1;
int nworkers = 4;
int verbose;
uint64_t rs;
static unsigned long pokes;	/* signals sent to blocked workers */

/* ---- the parent ---- */

/*
 * A /dev/kstat snapshot: every "name value" line, in e[] (the kernel's
 * order), and the first ten also in v[] by their historical index (v[4]
 * procs, v[1] total_pages: 0 means "no baseline yet", ...).
 */
#define KSTAT_MAX	64
struct kstat {
	long v[10];
	int n;
	struct {
		char name[32];
		long val;
	} e[KSTAT_MAX];
};
static const char *kstat_names[] = { "free_pages", "total_pages",
	"kmem_objects", "kmem_bytes", "procs", "vnodes", "files",
	"vm_check", "kmem_pages", "vnode_objects" };

/* The value of counter name, or -1 with *found 0 when k has no such line. */
static long
kstat_get(const struct kstat *k, const char *name, int *found)
{
	for (int i = 0; i < k->n; i++)
		if (strcmp(k->e[i].name, name) == 0) {
			if (found != NULL)
				*found = 1;
			return (k->e[i].val);
		}
	if (found != NULL)
		*found = 0;
	return (-1);
}

static int
read_kstat(struct kstat *k)
{
	char b[4096], *p, *nl, *sp;
	int f, n;

	memset(k, 0, sizeof(*k));
	f = open("/dev/kstat", O_RDONLY);
	if (f < 0)
		return (-1);
	n = (int)pread(f, b, sizeof(b) - 1, 0);
	close(f);
	if (n <= 0)
		return (-1);
	b[n] = '\0';
	for (p = b; *p != '\0' && k->n < KSTAT_MAX; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			break;		/* a cut line: not a value */
		*nl = '\0';
		if ((sp = strchr(p, ' ')) == NULL ||
		    (size_t)(sp - p) >= sizeof(k->e[0].name))
			continue;
		memcpy(k->e[k->n].name, p, (size_t)(sp - p));
		k->e[k->n].name[sp - p] = '\0';
		k->e[k->n].val = strtol(sp + 1, NULL, 10);
		k->n++;
	}
	for (int i = 0; i < 10; i++)
		k->v[i] = kstat_get(k, kstat_names[i], NULL);
	return (0);
}

/* Ask the kernel to print its live heap objects by caller (console). */
static void
kmem_dump(const char *why)
{
	int f = open("/dev/kstat", O_WRONLY);

	if (f >= 0) {
		(void)write(f, why, strlen(why));
		close(f);
	}
}

static void
dump_ring(int w, int last)
{
	struct slot *s = &slots[w];

	printf("fuzz: worker %d generation %u pid %d: last calls\n", w,
	    s->gen, s->pid);
	for (uint32_t q = s->seq > (uint32_t)last ? s->seq - last + 1 : 1;
	    q <= s->seq; q++) {
		struct rec *r = &s->ring[q % RING];
		const char *name = "?";

		if (r->seq != q)
			continue;
		for (size_t i = 0; i < ncalls; i++)
			if (calls[i].nr == r->nr)
				name = calls[i].name;
		printf("fuzz:   #%u pid %d %s(%#lx, %#lx, %#lx, %#lx, %#lx, "
		    "%#lx) = ", r->seq, r->pid, name, r->a[0], r->a[1],
		    r->a[2], r->a[3], r->a[4], r->a[5]);
		if (r->ret == PENDING)
			printf("(in the call)\n");
		else
			printf("%ld\n", (long)r->ret);
	}
}

/* Print a small text file (what was mounted when a check failed). */
static void
show_file(const char *path)
{
	char b[4096];
	int f, n;

	if ((f = open(path, O_RDONLY)) < 0)
		return;
	n = (int)read(f, b, sizeof(b) - 1);
	close(f);
	if (n > 0) {
		b[n] = '\0';
		printf("fuzz: %s:\n%s", path, b);
	}
}

/* What /proc says of a process that will not die (state, wchan). */
static void
show_proc(pid_t pid)
{
	static const char *files[] = { "stat", "status" };
	char path[64], b[4096];

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		int f, n;

		snprintf(path, sizeof(path), "/proc/%d/%s", pid, files[i]);
		if ((f = open(path, O_RDONLY)) < 0)
			continue;
		n = (int)read(f, b, sizeof(b) - 1);
		close(f);
		if (n > 0) {
			b[n] = '\0';
			printf("fuzz: %s:\n%s\n", path, b);
		}
	}
	kmem_dump("ps");	/* the kernel's view, on the console */
	for (int fd = 0; fd < 32; fd++) {
		ssize_t n;

		snprintf(path, sizeof(path), "/proc/%d/fd/%d", pid, fd);
		if ((n = readlink(path, b, sizeof(b) - 1)) > 0) {
			b[n] = '\0';
			printf("fuzz: fd %d -> %s\n", fd, b);
		}
	}
}

static void rmtree(const char *p, int lvl);

/* Remove the entries of one getdents64 buffer of directory p. */
static void
rm_entries(const char *p, char *db, long n, int lvl)
{
	char sub[4096];

	for (long off = 0; off < n;) {
		unsigned short reclen = *(unsigned short *)(db + off + 16);
		char *name = db + off + 19;

		if (reclen == 0)
			break;
		if (strcmp(name, ".") != 0 && strcmp(name, "..") != 0) {
			snprintf(sub, sizeof(sub), "%s/%s", p, name);
			rmtree(sub, lvl + 1);
		}
		off += reclen;
	}
}

static void
rmtree(const char *p, int lvl)
{
	/* Depth-first removal with getdents through busybox-free code. */
	struct stat st;
	int d;

	if (lstat(p, &st) != 0)
		return;
	if (!S_ISDIR(st.st_mode) || lvl > 16) {
		unlink(p);
		return;
	}
	/*
	 * A mount inside a file system keeps it busy: once the inner ones
	 * are gone (below) an outer one may come off too, showing what it
	 * hid, which is removed on the next round.
	 */
	for (int round = 0; round < 8; round++) {
		chmod(p, 0777);
		while (umount2(p, 0) == 0)
			;
		d = open(p, O_RDONLY | O_DIRECTORY);
		if (d >= 0) {
			char db[4096];
			long n;

			while ((n = syscall(217, d, db, sizeof(db))) > 0)
				rm_entries(p, db, n, lvl);
			close(d);
		}
		if (rmdir(p) == 0 || umount2(p, 0) != 0)
			return;
	}
}

/*
 * Unmount every mount below dir (and dir itself when self is set),
 * innermost first (an outer file system with a mount inside is busy),
 * until nothing is left or nothing more comes off.  /proc/mounts is read
 * into a static buffer: no stdio, no malloc -- the parent's own memory
 * must not change between checks.  Used for /tmp/fuzz and the 9P share.
 */
void
umount_under(const char *dir, int self)
{
	static char b[16384], *mp[64];
	size_t dl = strlen(dir);
	int changed = 1;

	for (int round = 0; round < 16 && changed; round++) {
		int f = open("/proc/mounts", O_RDONLY), n = 0, total = 0, r;

		changed = 0;
		if (f < 0)
			return;
		while (total < (int)sizeof(b) - 1 && (r = (int)read(f,
		    b + total, sizeof(b) - 1 - total)) > 0)
			total += r;
		close(f);
		b[total] = '\0';
		for (char *l = strtok(b, "\n"); l != NULL && n < 64;
		    l = strtok(NULL, "\n")) {
			char *p = strchr(l, ' '), *e;

			if (p == NULL || strncmp(p + 1, dir, dl) != 0)
				continue;
			if ((e = strchr(p + 1, ' ')) != NULL)
				*e = '\0';
			/* dir/..., or dir itself; not dir9p (a sibling). */
			if (p[1 + dl] == '/' || (self && p[1 + dl] == '\0'))
				mp[n++] = p + 1;
		}
		/* Longest path first: inner mounts before outer ones. */
		for (int i = 0; i < n; i++)
			for (int j = i + 1; j < n; j++)
				if (strlen(mp[j]) > strlen(mp[i])) {
					char *t = mp[i];

					mp[i] = mp[j];
					mp[j] = t;
				}
		for (int i = 0; i < n; i++)
			if (umount2(mp[i], 0) == 0)
				changed = 1;
	}
}

/*
 * Remove /tmp/fuzz in a child: the recursion grows the stack, and the
 * parent's own memory must not change between checks.
 */
static void
clean_scratch(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		/* Again while it helps: mounts hide what is below them. */
		for (int i = 0; i < 4 && access("/tmp/fuzz", F_OK) == 0; i++) {
			umount_under("/tmp/fuzz", 1);
			rmtree("/tmp/fuzz", 0);
		}
		if (access("/tmp/fuzz", F_OK) == 0) {
			printf("fuzz: cannot remove /tmp/fuzz\n");
			show_file("/proc/mounts");
		}
		/*
		 * The workers' files live in a small file system of their
		 * own: /tmp could take half the guest's memory, which the
		 * OOM killer cannot get back from files.
		 */
		if (mkdir("/tmp/fuzz", 0777) != 0 || mount("fuzz",
		    "/tmp/fuzz", "tmpfs", 0, "size=32m") != 0)
			printf("fuzz: cannot mount /tmp/fuzz (%s)\n",
			    strerror(errno));
		_exit(0);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

static void
usage(void)
{
	fprintf(stderr, "usage: fuzz run [-s SEED] [-t SECONDS] [-w WORKERS] "
	    "[-c CHECK] [-9 ANAME] | fuzz run -s SEED -r W:G [-v]\n");
	exit(2);
}

/*
 * A worker still in the same call of its own (not its children's: they
 * log to the same slot) a loop later, about POKE_US, is most likely
 * blocked: pause, a read of an empty pipe, a FIFO open, a wait.  POKE_SIG
 * to its group (after SIGCONT, in case it is stopped) breaks the call with
 * EINTR: the worker keeps that signal handled, unblocked and without
 * SA_RESTART (keep_poke).  The blocking path has been tested by then; only
 * the waiting is cut short, so the run spends its time calling.
 */
static void
poke_stuck(void)
{
	static uint32_t last_seq[NWORKERS_MAX];
	static uint64_t poked[NWORKERS_MAX];	/* when, 0: not this call */
	uint64_t t = now_ms();

	for (int i = 0; i < nworkers; i++) {
		struct slot *s = &slots[i];
		uint32_t q = s->wseq;

		if (s->pid <= 0 || q == 0 || q != last_seq[i]) {
			last_seq[i] = q;
			poked[i] = 0;
			continue;
		}
		/* Once per call, again only if that did not end it. */
		if (poked[i] != 0 && t - poked[i] < 20)
			continue;
		poked[i] = t;
		kill(-s->pid, SIGCONT);
		kill(-s->pid, POKE_SIG);
		pokes++;
	}
}

/*
 * Wait about POKE_US.  A sleep would last a whole clock tick (10 ms), and
 * the workers' blocking calls with it; yielding in a loop gives the CPU to
 * any worker that can run and catches a blocked one within POKE_US.
 */
static void
pause_briefly(void)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		sched_yield();
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while ((t.tv_sec - t0.tv_sec) * 1000000000L + t.tv_nsec -
	    t0.tv_nsec < POKE_US * 1000L);
}

static uint64_t total_calls(void)
{
	uint64_t t = 0;

	for (int i = 0; i < nworkers; i++)
		t += slots[i].calls;
	return (t);
}

/*
 * One counter against the baseline: equal, or, with less, grown by exactly
 * as much as less grew.  A counter neither snapshot has is skipped (an
 * older kernel); one that only one has fails.  1 if it moved (printed
 * with print).
 */
static int
kstat_check1(const struct kstat *base, const struct kstat *k,
    const char *name, const char *less, int print)
{
	int fb, fk, lb = 1, lk = 1;
	long b = kstat_get(base, name, &fb), v = kstat_get(k, name, &fk);
	long bl = 0, vl = 0;

	if (!fb && !fk)
		return (0);
	if (less != NULL) {
		bl = kstat_get(base, less, &lb);
		vl = kstat_get(k, less, &lk);
	}
	if (fb && fk && lb && lk && v - vl == b - bl)
		return (0);
	if (print && less != NULL)
		printf("fuzz: INVARIANT %s - %s: %ld - %ld, baseline %ld - "
		    "%ld\n", name, less, v, vl, b, bl);
	else if (print)
		printf("fuzz: INVARIANT %s: %ld, baseline %ld\n", name, v, b);
	return (1);
}

/*
 * The invariants (docs/security.md): processes, open files, vnodes, pipes,
 * kqueues, knotes, 9P channels, fids and tags, large heap objects and
 * every heap size class exactly as in the baseline; heap objects in all,
 * vm_objects and the size class of struct vm_object (vnode_object_class)
 * may have grown by exactly as many page-cache objects as vnodes got
 * (vnode_objects: made on first use and kept, one vm_object each); free
 * pages plus the heap's pages (slabs stay while one object in them lives)
 * within PAGE_SLACK below, for the parent's own page tables and stack.
 * How many failed; with print, each one with its values.
 */
static int
kstat_compare(const struct kstat *base, const struct kstat *k, int print)
{
	static const char *exact[] = { "procs", "files", "vnodes", "pipes",
		"kqueues", "knotes", "p9_mounts", "p9_fids", "p9_tags",
		"kmem_large" };
	static const char *minus_vobj[] = { "kmem_objects", "vm_objects" };
	char vclass[32];
	int bad = 0;

	for (size_t i = 0; i < sizeof(exact) / sizeof(exact[0]); i++)
		bad += kstat_check1(base, k, exact[i], NULL, print);
	for (size_t i = 0; i < sizeof(minus_vobj) / sizeof(minus_vobj[0]); i++)
		bad += kstat_check1(base, k, minus_vobj[i], "vnode_objects",
		    print);
	snprintf(vclass, sizeof(vclass), "kmem_class_%ld",
	    kstat_get(base, "vnode_object_class", NULL));
	for (int i = 0; i < base->n; i++)
		if (strncmp(base->e[i].name, "kmem_class_", 11) == 0)
			bad += kstat_check1(base, k, base->e[i].name,
			    strcmp(base->e[i].name, vclass) == 0 ?
			    "vnode_objects" : NULL, print);
	if (k->v[0] + k->v[8] < base->v[0] + base->v[8] - PAGE_SLACK) {
		bad++;
		if (print)
			printf("fuzz: INVARIANT free_pages + kmem_pages: "
			    "%ld + %ld, baseline %ld + %ld\n", k->v[0],
			    k->v[8], base->v[0], base->v[8]);
	}
	return (bad);
}

/*
 * Stop everything the workers left behind and compare the counters with
 * the baseline.  0: all back; 1: an invariant failed (printed).
 */
static int
checkpoint(struct kstat *base, int final)
{
	struct kstat k;
	int bad = 0;

	for (int tries = 0; tries < 200; tries++) {
		kill(-1, SIGKILL);
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		usleep(50000);
		read_kstat(&k);
		if (k.v[4] <= base->v[4])
			break;
	}
	if (base->v[1] != 0 && k.v[4] > base->v[4]) {
		/* Something outlived SIGKILL for 10 s: say what it waits on. */
		printf("fuzz: %ld processes outlived SIGKILL for 10 s (kernel "
		    "console: ps)\n", k.v[4] - base->v[4]);
		kmem_dump("ps");
	}
	for (int i = 0; i < nworkers; i++)
		slots[i].pid = 0;
	clean_scratch();
	usleep(100000);
	read_kstat(&k);
	if (base->v[1] == 0) {
		/*
		 * The warm-up round: its end is the baseline, read after
		 * the first dump (opening /dev/kstat to write gives its
		 * vnode a page-cache object for good).
		 */
		kmem_dump("baseline");
		read_kstat(&k);
		*base = k;
		printf("fuzz: baseline after warm-up: procs %ld files %ld "
		    "vnodes %ld kmem_objects %ld free_pages %ld\n", k.v[4],
		    k.v[6], k.v[5], k.v[2], k.v[0]);
		return (0);
	}
	/*
	 * What is still in flight (init reaping the last orphan) settles
	 * within a second: only a difference that stays is a leak.
	 */
	for (int tries = 0; tries < 10; tries++) {
		if ((bad = kstat_compare(base, &k, 0)) == 0)
			break;
		usleep(200000);
		read_kstat(&k);
	}
	if (bad)
		(void)kstat_compare(base, &k, 1);
	if (k.v[7] != 0) {
		printf("fuzz: INVARIANT vm_check: %ld problems (console)\n",
		    k.v[7]);
		bad = 1;
	}
	if (bad) {
		kmem_dump("failed check");
		show_file("/proc/mounts");
	}
	if (bad || final)
		printf("fuzz: check %s: procs %ld files %ld vnodes %ld "
		    "kmem_objects %ld free_pages %ld\n", bad ? "FAILED" : "ok",
		    k.v[4], k.v[6], k.v[5], k.v[2], k.v[0]);
	return (bad);
}

int
main(int argc, char **argv)
{
	int tsec = 30, check = 20, replay_w = -1, opt;
	uint32_t replay_g = 0;
	struct kstat base;
	uint64_t start, last_hb, next_check;
	uint32_t gens[NWORKERS_MAX] = { 0 };
	uint64_t deadline[NWORKERS_MAX] = { 0 }, killed[NWORKERS_MAX] = { 0 };
	unsigned long deaths = 0, checks = 0, failures = 0;
	int slot_bad[NWORKERS_MAX] = { 0 };
	uint64_t sigseed;

	/*
	 * Without the word "run" first this is the harmless execve target:
	 * a worker may exec this program with any argv, and it must not
	 * start a second fuzzer (which would kill(-1) at its checkpoints).
	 */
	if (argc < 2 || argv == NULL || argv[1] == NULL ||
	    strcmp(argv[1], "run") != 0)
		return (0);
	if (argv[0] != NULL && argv[0][0] == '/')
		snprintf(self_path, sizeof(self_path), "%s", argv[0]);
	argc--;
	argv++;
	while ((opt = getopt(argc, argv, "s:t:w:c:r:vo:9:")) != -1) {
		switch (opt) {
		case 'o':
			for (char *t = strtok(optarg, ","); t != NULL;
			    t = strtok(NULL, ","))
				for (size_t i = 0; i < ncalls; i++)
					if (strcmp(calls[i].name, t) == 0)
						only[nonly++] = (int)i;
			if (nonly == 0)
				usage();
			break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 't': tsec = atoi(optarg); break;
		case 'w': nworkers = atoi(optarg); break;
		case 'c': check = atoi(optarg); break;
		case 'r':
			if (sscanf(optarg, "%d:%u", &replay_w, &replay_g) != 2)
				usage();
			break;
		case 'v': verbose = 1; break;
		case '9':
			snprintf(p9_aname, sizeof(p9_aname), "%s", optarg);
			break;
		default: usage();
		}
	}
	if (nworkers < 1 || nworkers > NWORKERS_MAX || check < 1)
		usage();
	setvbuf(stdout, NULL, _IONBF, 0);
	slots = guarded((sizeof(struct slot) * NWORKERS_MAX + PG - 1) &
	    ~(PG - 1), 1);
	if (slots == MAP_FAILED) {
		perror("fuzz: mmap");
		return (1);
	}
	fuzz_init_calls();
	signal(SIGPIPE, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);
	if (replay_w >= 0) {
		/* One generation, in the foreground; the trace goes on fd 2. */
		pid_t p = fork();
		int st;

		if (p == 0)
			worker(replay_w, replay_g);
		waitpid(p, &st, 0);
		dump_ring(replay_w, RING);
		printf("fuzz: replay %d:%u ended with status %#x\n", replay_w,
		    replay_g, st);
		return (0);
	}
	clean_scratch();
	read_kstat(&base);
	printf("fuzz: seed %lu, %d workers, %d s, %zu calls in the list; "
	    "before: procs %ld files %ld vnodes %ld kmem_objects %ld "
	    "free_pages %ld\n", (unsigned long)seed, nworkers, tsec, ncalls,
	    base.v[4], base.v[6], base.v[5], base.v[2], base.v[0]);
	/*
	 * The baseline is read after a warm-up round instead: the first
	 * calls grow a few things for good (heap slabs of new sizes, the
	 * parent's own stack and tables), which is not a leak.
	 */
	base.v[1] = 0;
	p9_start();
	sigseed = splitmix(seed ^ 0x5157);
	rs = sigseed;
	start = last_hb = now_ms();
	next_check = start + WARMUP_MS;
	for (;;) {
		uint64_t t = now_ms();
		int status;
		pid_t p;

		while ((p = waitpid(-1, &status, WNOHANG)) > 0) {
			for (int i = 0; i < nworkers; i++)
				if (slots[i].pid == p) {
					slots[i].pid = 0;
					killed[i] = 0;
					if (WIFSIGNALED(status))
						deaths++;
				}
		}
		if (t - start >= (uint64_t)tsec * 1000 || t >= next_check) {
			int final = t - start >= (uint64_t)tsec * 1000;

			if (base.v[1] != 0)
				checks++;
			p9_quiesce();	/* unmounted, as for the baseline */
			if (checkpoint(&base, final)) {
				failures++;
				printf("fuzz: invariant failure after "
				    "generations up to:");
				for (int i = 0; i < nworkers; i++)
					printf(" %d:%u", i, gens[i]);
				printf(" (seed %lu)\n", (unsigned long)seed);
				for (int i = 0; i < nworkers; i++)
					dump_ring(i, 8);
				/* Go on from the new state. */
				read_kstat(&base);
			}
			if (final)
				break;
			p9_resume();
			next_check = now_ms() + (uint64_t)check * 1000;
			continue;
		}
		for (int i = 0; i < nworkers; i++) {
			if (slots[i].pid == 0) {
				uint32_t g = gens[i]++;

				p = fork();
				if (p == 0)
					worker(i, g);
				if (p < 0) {
					gens[i]--;
					continue;
				}
				slots[i].pid = p;
				deadline[i] = now_ms() + GEN_MS + 2000;
				killed[i] = 0;
			} else if (killed[i] == 0 && t > deadline[i]) {
				kill(-slots[i].pid, SIGKILL);
				kill(slots[i].pid, SIGKILL);
				killed[i] = t;
			} else if (killed[i] != 0 && t - killed[i] > 10000) {
				printf("fuzz: HANG: worker %d (pid %d) not "
				    "gone 10 s after SIGKILL (seed %lu, "
				    "replay: -r %d:%u)\n", i, slots[i].pid,
				    (unsigned long)seed, i, slots[i].gen);
				dump_ring(i, 16);
				show_proc(slots[i].pid);
				printf("fuzz: FAIL seed %lu\n",
				    (unsigned long)seed);
				return (3);
			}
		}
		p9_tend();	/* a dead 9P share is mounted again */
		poke_stuck();
		/* Signals at random moments. */
		if (pct(3)) {
			static const int sg[] = { SIGUSR1, SIGUSR2, SIGALRM,
				SIGCHLD, SIGCONT, SIGWINCH, SIGSTOP, SIGURG };
			int i = (int)rn(nworkers);

			if (slots[i].pid > 0)
				kill(pct(50) ? slots[i].pid : -slots[i].pid,
				    sg[rn(8)]);
			if (pct(20))
				for (int j = 0; j < nworkers; j++)
					if (slots[j].pid > 0)
						kill(-slots[j].pid, SIGCONT);
		}
		for (int i = 0; i < nworkers; i++) {
			if (slots[i].kleak != 0 && slot_bad[i] != 2) {
				slot_bad[i] = 2;
				failures++;
				printf("fuzz: INVARIANT call %d returned a kernel"
				    " address %#lx (worker %d)\n",
				    slots[i].kleak - 1,
				    (unsigned long)slots[i].kleak_ret, i);
				dump_ring(i, 8);
			}
			/* Only the workers write their slots, and sanely. */
			if (slots[i].calls > (1ULL << 40) && !slot_bad[i]) {
				slot_bad[i] = 1;
				failures++;
				printf("fuzz: INVARIANT worker %d's shared log "
				    "was overwritten (calls %#lx)\n", i,
				    (unsigned long)slots[i].calls);
				dump_ring(i, 16);
			}
		}
		if (t - last_hb >= 5000) {
			last_hb = t;
			printf("fuzz: heartbeat %lus calls %lu deaths %lu "
			    "pokes %lu\n", (unsigned long)((t - start) / 1000),
			    (unsigned long)total_calls(), deaths, pokes);
			p9_report();
		}
		pause_briefly();
	}
	{
		uint64_t el = now_ms() - start, tc = total_calls();

		printf("fuzz: done seed %lu: %lu calls in %lu ms (%lu/s), "
		    "%lu worker deaths by signal, %lu pokes, %lu checks, "
		    "%lu failed\n", (unsigned long)seed, (unsigned long)tc,
		    (unsigned long)el, (unsigned long)(el ? tc * 1000 / el : 0),
		    deaths, pokes, checks, failures);
		p9_report();
	}
	if (failures) {
		printf("fuzz: FAIL seed %lu\n", (unsigned long)seed);
		return (1);
	}
	printf("fuzz: PASS seed %lu\n", (unsigned long)seed);
	return (0);
}
