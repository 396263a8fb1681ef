/*
 * fuzz_9p.c: the fuzzer's 9P share (issue 9: "the fault-injection server
 * run in a loop under fuzzing of the client's operations").
 *
 * With `-9 ANAME` the parent mounts the host's 9P export ANAME at
 * P9_MNT (virtio-serial port org.9p.0; tools/fuzz puts tools/p9fault.py
 * in proxy mode between the port and diod, so a seeded fraction of the
 * replies is wrong, late, lost or fatal).  Workers add paths under
 * P9_MNT/wN to their pool and open descriptors there, so their file
 * calls run through the 9P client while it is being lied to.
 *
 * The one idea: the share dies and comes back in a loop.  Now and then
 * (p9_tend) the parent asks statfs of the mountpoint; a dead channel
 * (EIO) or a mount that is gone means: kill every worker (their files
 * and working directories keep the mount busy), unmount what is mounted
 * below and the share itself, mount again.  Before each checkpoint the
 * share is unmounted the same way (p9_quiesce: every fid clunked, every
 * vnode gone), so the counters compare with a baseline read in the same
 * unmounted state, and mounted again after it (p9_resume).
 */
#include "fuzz.h"
#include <sys/statfs.h>

#define V9FS_MAGIC	0x01021997
#define P9_TIMEOUT	3	/* timeout= of the mount: seconds */

char p9_aname[256];		/* -9: the export; "" = no 9P */
int p9_mounted;			/* the share is mounted at P9_MNT */
static unsigned long p9_nmounts, p9_nremounts, p9_nfailed, p9_ndead;
static unsigned long p9_nbusy;
static uint64_t p9_last;	/* when p9_tend last looked */

/* Kill every process but init and us, and reap our children. */
static void
p9_killall(void)
{
	pid_t p;

	kill(-1, SIGKILL);
	while ((p = waitpid(-1, NULL, WNOHANG)) > 0)
		for (int i = 0; i < nworkers; i++)
			if (slots[i].pid == p)
				slots[i].pid = 0;
}

/*
 * Unmount the share: the workers die first (their descriptors and
 * working directories hold it).  0, or -1 when it stays busy for 10 s.
 */
static int
p9_umount(void)
{
	uint64_t end = now_ms() + 10000;

	if (!p9_mounted)
		return (0);
	for (;;) {
		p9_killall();
		umount_under(P9_MNT, 0);	/* what workers mounted there */
		if (umount2(P9_MNT, 0) == 0 || errno == EINVAL ||
		    errno == ENOENT) {
			p9_mounted = 0;
			return (0);
		}
		if (now_ms() > end) {
			p9_nbusy++;
			printf("fuzz: 9p: cannot unmount %s: %s\n", P9_MNT,
			    strerror(errno));
			{
				/* Who holds it: the kernel's ps, console. */
				int f = open("/dev/kstat", O_WRONLY);

				if (f >= 0) {
					(void)write(f, "ps", 2);
					close(f);
				}
			}
			return (-1);
		}
		usleep(50000);
	}
}

static int
p9_mount(void)
{
	char opts[400];

	mkdir(P9_MNT, 0777);
	snprintf(opts, sizeof(opts), "trans=virtio-serial,port=org.9p.0,"
	    "version=9p2000.L,aname=%s,timeout=%d,wait=5", p9_aname,
	    P9_TIMEOUT);
	if (mount("fuzz9p", P9_MNT, "9p", 0, opts) != 0) {
		p9_nfailed++;
		if (verbose)
			printf("fuzz: 9p: mount: %s\n", strerror(errno));
		return (-1);
	}
	p9_nmounts++;
	p9_mounted = 1;
	return (0);
}

/* The share answers (statfs of the mountpoint is 9P's). */
static int
p9_alive(void)
{
	struct statfs sf;

	return (statfs(P9_MNT, &sf) == 0 && sf.f_type == V9FS_MAGIC);
}

/* Mount the share for the first time (before the workers start). */
void
p9_start(void)
{
	if (p9_aname[0] == '\0')
		return;
	for (int i = 0; i < 20 && p9_mount() != 0; i++)
		usleep(250000);
	printf("fuzz: 9p: %s at %s%s\n", p9_aname, P9_MNT,
	    p9_mounted ? "" : " (mount failed, will retry)");
	p9_last = now_ms();
}

/* Called in the parent's loop: remount a dead share, about once a second. */
void
p9_tend(void)
{
	uint64_t t = now_ms();

	if (p9_aname[0] == '\0' || t - p9_last < 1000)
		return;
	p9_last = t;
	if (p9_mounted && p9_alive())
		return;
	if (p9_mounted) {
		p9_ndead++;
		if (p9_umount() != 0)
			return;
	}
	if (p9_mount() == 0 && p9_ndead > 0)
		p9_nremounts++;
	p9_last = now_ms();
}

/* Before a checkpoint: the share unmounted, nothing of it left. */
void
p9_quiesce(void)
{
	if (p9_aname[0] != '\0')
		(void)p9_umount();
}

/* After a checkpoint: the share back. */
void
p9_resume(void)
{
	if (p9_aname[0] == '\0')
		return;
	(void)p9_mount();
	p9_last = now_ms();
}

void
p9_report(void)
{
	if (p9_aname[0] == '\0')
		return;
	printf("fuzz: 9p: %lu mounts, %lu remounts after %lu dead channels, "
	    "%lu failed mounts, %lu unmounts refused\n", p9_nmounts,
	    p9_nremounts, p9_ndead, p9_nfailed, p9_nbusy);
}

/*
 * In a worker: its directory on the share and the paths and descriptors
 * there.  A generation before may have made it unreadable: chmod first.
 */
void
p9_worker_paths(int w, char (*paths)[128], int *npaths, int maxpaths,
    int *fds, int *nfds)
{
	static const char *rel[] = { "", "/f0", "/d0", "/d0/f2", "/d0/d1",
		"/l0", "/f1", "/d0/d1/f3" };
	char d[64];

	if (p9_aname[0] == '\0' || !p9_mounted)
		return;
	snprintf(d, sizeof(d), "%s/w%d", P9_MNT, w);
	mkdir(d, 0777);
	chmod(d, 0777);
	for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]) &&
	    *npaths < maxpaths; i++)
		snprintf(paths[(*npaths)++], 128, "%s%s", d, rel[i]);
	{
		char p[128];

		snprintf(p, sizeof(p), "%s/d0", d);
		mkdir(p, 0777);
		chmod(p, 0777);
		snprintf(p, sizeof(p), "%s/d0/d1", d);
		mkdir(p, 0777);
		snprintf(p, sizeof(p), "%s/l0", d);
		symlink("f0", p);
		snprintf(p, sizeof(p), "%s/f0", d);
		fds[(*nfds)++] = open(p, O_RDWR | O_CREAT, 0666);
		fds[(*nfds)++] = open(d, O_RDONLY | O_DIRECTORY);
		snprintf(p, sizeof(p), "%s/d0/f2", d);
		fds[(*nfds)++] = open(p, O_RDWR | O_CREAT | O_APPEND, 0666);
	}
}
