/*
 * p9_test.c: end-to-end self tests of the 9P client over virtio-serial.
 *
 * tests/stages/70-9p starts diod exporting a fresh folder that holds
 * hello.txt (P9T_HELLO), big.bin (P9T_BIGSIZE bytes of p9t_pattern) and
 * sub/{alpha,beta,gamma}, and boots with `ktest=p9 p9=EXPORT`.  The tests
 * share one channel and root fid, made by whichever runs first (the
 * runner's order is the linker's), and do not depend on each other; they
 * write out.txt, wbig.bin, moved.bin, newdir/ and lnk, which the stage
 * then checks on the host byte for byte.  Without p9= on the command line
 * they are skipped.
 */
#include <clock.h>
#include <kernel.h>
#include <kmem.h>
#include <ktest.h>
#include <libkern.h>
#include <p9.h>
#include <p9_trans.h>
#include <proc.h>
#include <spinlock.h>
#include <uapi/errno.h>
#include <virtio_console.h>

#define P9T_HELLO	"Hello from the host, over diod and virtio-serial.\n"
#define P9T_OUT		"written by Mica over 9P2000.L\n"
#define P9T_BIGSIZE	300000
#define P9T_WBIGSIZE	200000
#define O_WRONLY	01
#define O_CREAT		0100
#define O_TRUNC		01000
#define S_IFMT		0170000
#define S_IFREG		0100000
#define S_IFDIR		0040000

static struct mnt *p9t_mnt;
static uint32_t p9t_root = P9_NOFID;
static char p9t_export[128];

static uint8_t
p9t_pattern(size_t i, int which)
{
	return (which == 0 ? (i * 131 + (i >> 8)) & 0xff :
	    (i * 17 + (i >> 9)) & 0xff);
}

/* false: skip (no p9= given); the test then passes without checking. */
static bool
p9t_wanted(const char *name)
{
	if (!cmdline_value("p9", p9t_export, sizeof(p9t_export))) {
		printk("%s: no p9= on the command line: skipped\n", name);
		return (false);
	}
	return (true);
}

/* The shared channel and root fid: made once, by the first test. */
static bool
p9t_setup(void)
{
	static bool tried;
	struct p9_qid qid;
	int error = 0;

	if (tried)
		return (p9t_root != P9_NOFID);
	tried = true;
	/* Ask for more than diod gives: the server lowers it to 65536. */
	p9t_mnt = p9_vserial_connect(P9_VSERIAL_PORT, 128 * 1024,
	    10 * NSEC_PER_SEC, &error);
	if (p9t_mnt == NULL) {
		printk("p9t_setup: connect: error %d\n", error);
		return (false);
	}
	error = p9_attach(p9t_mnt, "root", 0, p9t_export, &p9t_root, &qid);
	if (error != 0) {
		printk("p9t_setup: attach %s: error %d\n", p9t_export, error);
		p9t_root = P9_NOFID;
	}
	return (error == 0);
}

/* Walk from the root to one name; the new fid or a negative errno. */
static int64_t
p9t_walk(const char *name)
{
	const char *names[1] = { name };
	uint32_t fid;
	int error = p9_walk(p9t_mnt, p9t_root, 1, names, &fid, NULL);

	return (error != 0 ? error : (int64_t)fid);
}

/* Tunlinkat, or walk + Tremove where the server lacks it (diod). */
static int
p9t_unlink(const char *name)
{
	int64_t fid;
	int error = p9_unlinkat(p9t_mnt, p9t_root, name, 0);

	if (error != -EOPNOTSUPP)
		return (error);
	if ((fid = p9t_walk(name)) < 0)
		return ((int)fid);
	return (p9_remove(p9t_mnt, fid));
}

KTEST(p9_1_version)
{
	if (!p9t_wanted("p9_1_version"))
		return;
	p9t_setup();
	KT_ASSERT(p9t_mnt != NULL);
	KT_EQ(p9t_mnt->m_msize, 65536);
	KT_EQ(p9t_mnt->m_iounit, 65536 - 24);
	KT_EQ(mnt_tags_inuse(p9t_mnt), 0);
}

KTEST(p9_2_attach)
{
	struct p9_qid qid;
	uint32_t fid;

	if (!p9t_wanted("p9_2_attach"))
		return;
	KT_ASSERT(p9t_setup());
	/* The aname must be the exported path. */
	KT_EQ(p9_attach(p9t_mnt, "root", 0, "/no/such/export", &fid, &qid) <
	    0, true);
	KT_EQ(mnt_fids_inuse(p9t_mnt), 1);	/* the shared root only */
	KT_EQ(p9_attach(p9t_mnt, "root", 0, p9t_export, &fid, &qid), 0);
	KT_EQ(qid.type & P9_QTDIR, P9_QTDIR);
	KT_EQ(mnt_fids_inuse(p9t_mnt), 2);
	KT_EQ(p9_clunk(p9t_mnt, fid), 0);
	KT_EQ(mnt_fids_inuse(p9t_mnt), 1);
}

KTEST(p9_3_walk_read)
{
	char buf[128];
	uint8_t *big;
	struct p9_qid qid;
	uint32_t iounit;
	int64_t fid;
	ssize_t n;
	uint64_t t0, t1;
	size_t bad = 0;

	if (!p9t_wanted("p9_3_walk_read"))
		return;
	KT_ASSERT(p9t_setup());
	fid = p9t_walk("hello.txt");
	KT_ASSERT(fid >= 0);
	KT_EQ(p9_lopen(p9t_mnt, fid, 0, &qid, &iounit), 0);
	KT_EQ(qid.type & P9_QTDIR, 0);
	KT_EQ(iounit, 65536 - 24);	/* diod says 0: msize - IOHDRSZ */
	memset(buf, 0, sizeof(buf));
	n = p9_read(p9t_mnt, fid, 0, buf, sizeof(buf));
	KT_EQ(n, (ssize_t)strlen(P9T_HELLO));
	KT_EQ(memcmp(buf, P9T_HELLO, n), 0);
	/* At an offset, and past the end. */
	KT_EQ(p9_read(p9t_mnt, fid, 6, buf, 4), 4);
	KT_EQ(memcmp(buf, "from", 4), 0);
	KT_EQ(p9_read(p9t_mnt, fid, 1000, buf, 4), 0);
	KT_EQ(p9_clunk(p9t_mnt, fid), 0);

	/* 300000 bytes: five Treads of one iounit. */
	big = kmalloc(P9T_BIGSIZE + 4096, 0);
	KT_ASSERT(big != NULL);
	fid = p9t_walk("big.bin");
	KT_ASSERT(fid >= 0);
	KT_EQ(p9_lopen(p9t_mnt, fid, 0, &qid, &iounit), 0);
	t0 = nanouptime();
	n = p9_read(p9t_mnt, fid, 0, big, P9T_BIGSIZE + 4096);
	t1 = nanouptime();
	KT_EQ(p9_clunk(p9t_mnt, fid), 0);
	for (size_t i = 0; i < P9T_BIGSIZE; i++)
		bad += big[i] != p9t_pattern(i, 0);
	kfree(big);
	KT_EQ(n, P9T_BIGSIZE);
	KT_EQ(bad, 0);
	printk("p9: read %d bytes in %lu us (%lu KiB/s)\n", P9T_BIGSIZE,
	    (unsigned long)(t1 - t0) / 1000, (unsigned long)(P9T_BIGSIZE *
	    (NSEC_PER_SEC / 1024) / MAX(t1 - t0, 1)));
}

KTEST(p9_4_create_write)
{
	struct p9_qid qid;
	uint32_t iounit;
	uint8_t *big;
	int64_t fid;
	uint64_t t0, t1;
	ssize_t n;

	if (!p9t_wanted("p9_4_create_write"))
		return;
	KT_ASSERT(p9t_setup());
	fid = p9t_walk(NULL);
	KT_EQ(fid, -EINVAL);		/* a NULL name does not go out */
	{
		uint32_t f;

		KT_EQ(p9_walk(p9t_mnt, p9t_root, 0, NULL, &f, NULL), 0);
		fid = f;		/* a clone of the root */
	}
	KT_EQ(p9_lcreate(p9t_mnt, fid, "out.txt", O_WRONLY | O_CREAT |
	    O_TRUNC, 0644, 0, &qid, &iounit), 0);
	n = p9_write(p9t_mnt, fid, 0, P9T_OUT, strlen(P9T_OUT));
	KT_EQ(n, (ssize_t)strlen(P9T_OUT));
	KT_EQ(p9_fsync(p9t_mnt, fid, 0), 0);
	KT_EQ(p9_clunk(p9t_mnt, fid), 0);
	/* Creating it again exclusively fails with EEXIST. */
	{
		uint32_t f;

		KT_EQ(p9_walk(p9t_mnt, p9t_root, 0, NULL, &f, NULL), 0);
		KT_EQ(p9_lcreate(p9t_mnt, f, "out.txt", O_WRONLY | O_CREAT |
		    0200, 0644, 0, &qid, &iounit), -EEXIST);
		KT_EQ(p9_clunk(p9t_mnt, f), 0);
	}

	big = kmalloc(P9T_WBIGSIZE, 0);
	KT_ASSERT(big != NULL);
	for (size_t i = 0; i < P9T_WBIGSIZE; i++)
		big[i] = p9t_pattern(i, 1);
	{
		uint32_t f;

		KT_EQ(p9_walk(p9t_mnt, p9t_root, 0, NULL, &f, NULL), 0);
		fid = f;
	}
	KT_EQ(p9_lcreate(p9t_mnt, fid, "wbig.bin", O_WRONLY | O_CREAT, 0600,
	    0, &qid, &iounit), 0);
	t0 = nanouptime();
	n = p9_write(p9t_mnt, fid, 0, big, P9T_WBIGSIZE);
	t1 = nanouptime();
	kfree(big);
	KT_EQ(p9_clunk(p9t_mnt, fid), 0);
	KT_EQ(n, P9T_WBIGSIZE);
	{
		struct p9_attr a;

		fid = p9t_walk("wbig.bin");
		KT_ASSERT(fid >= 0);
		KT_EQ(p9_getattr(p9t_mnt, fid, P9_GETATTR_BASIC, &a), 0);
		KT_EQ(p9_clunk(p9t_mnt, fid), 0);
		KT_EQ(a.size, P9T_WBIGSIZE);
		KT_EQ(a.mode & 0777, 0600);
	}
	printk("p9: wrote %d bytes in %lu us (%lu KiB/s)\n", P9T_WBIGSIZE,
	    (unsigned long)(t1 - t0) / 1000, (unsigned long)(P9T_WBIGSIZE *
	    (NSEC_PER_SEC / 1024) / MAX(t1 - t0, 1)));
}

KTEST(p9_5_getattr)
{
	struct p9_attr a;
	int64_t fid;

	if (!p9t_wanted("p9_5_getattr"))
		return;
	KT_ASSERT(p9t_setup());
	fid = p9t_walk("hello.txt");
	KT_ASSERT(fid >= 0);
	KT_EQ(p9_getattr(p9t_mnt, fid, P9_GETATTR_BASIC, &a), 0);
	KT_EQ(a.size, strlen(P9T_HELLO));
	KT_EQ(a.mode & S_IFMT, S_IFREG);
	KT_EQ(p9_clunk(p9t_mnt, fid), 0);
	fid = p9t_walk("big.bin");
	KT_ASSERT(fid >= 0);
	KT_EQ(p9_getattr(p9t_mnt, fid, P9_GETATTR_BASIC, &a), 0);
	KT_EQ(a.size, P9T_BIGSIZE);
	KT_EQ(a.mode & 0777, 0640);	/* the stage's chmod */
	KT_EQ(p9_clunk(p9t_mnt, fid), 0);
	KT_EQ(p9_getattr(p9t_mnt, p9t_root, P9_GETATTR_BASIC, &a), 0);
	KT_EQ(a.mode & S_IFMT, S_IFDIR);
}

KTEST(p9_6_readdir)
{
	static const char *const want[] = { ".", "..", "alpha", "beta",
		"gamma" };
	struct p9_dirent de;
	struct p9_qid qid;
	uint32_t iounit;
	uint8_t *buf;
	uint64_t off = 0;
	int64_t fid;
	int seen = 0, other = 0, r;
	ssize_t n;

	if (!p9t_wanted("p9_6_readdir"))
		return;
	KT_ASSERT(p9t_setup());
	fid = p9t_walk("sub");
	KT_ASSERT(fid >= 0);
	KT_EQ(p9_lopen(p9t_mnt, fid, 0, &qid, &iounit), 0);
	KT_EQ(qid.type & P9_QTDIR, P9_QTDIR);
	buf = kmalloc(512, 0);
	KT_ASSERT(buf != NULL);
	/* A small buffer: several Treaddirs, continuing at the offsets. */
	while ((n = p9_readdir(p9t_mnt, fid, off, buf, 80)) > 0) {
		size_t pos = 0;

		while ((r = p9_dirent_next(buf, n, &pos, &de)) == 1) {
			bool found = false;

			for (size_t i = 0; i < nitems(want); i++)
				if (strcmp(de.name, want[i]) == 0) {
					seen |= 1 << i;
					found = true;
				}
			other += !found;
			off = de.offset;
		}
		if (r < 0)
			break;
	}
	kfree(buf);
	KT_EQ(n, 0);
	KT_EQ(seen, 0x1f);
	KT_EQ(other, 0);
	KT_EQ(p9_clunk(p9t_mnt, fid), 0);
}

KTEST(p9_7_errors)
{
	const char *names[2] = { "sub", "nonexistent" };
	uint64_t heap;
	int inuse;
	uint32_t fid;

	if (!p9t_wanted("p9_7_errors"))
		return;
	KT_ASSERT(p9t_setup());
	inuse = mnt_fids_inuse(p9t_mnt);
	heap = kmem_inuse();
	KT_EQ(p9t_walk("no-such-file"), -ENOENT);
	/* The second name is missing: partial Rwalk, still ENOENT. */
	KT_EQ(p9_walk(p9t_mnt, p9t_root, 2, names, &fid, NULL), -ENOENT);
	KT_EQ(mnt_fids_inuse(p9t_mnt), inuse);
	/* A fid the server never saw. */
	KT_EQ(p9_lopen(p9t_mnt, 999, 0, &(struct p9_qid){ 0 }, NULL) < 0,
	    true);
	KT_EQ(mnt_tags_inuse(p9t_mnt), 0);
	/* Requests, buffers and replies were all freed. */
	KT_EQ(kmem_inuse(), heap);
}

KTEST(p9_8_namespace)
{
	struct p9_statfs st;
	struct p9_qid qid;
	char target[64];
	int64_t fid;

	if (!p9t_wanted("p9_8_namespace"))
		return;
	KT_ASSERT(p9t_setup());
	KT_EQ(p9_mkdir(p9t_mnt, p9t_root, "newdir", 0755, 0, &qid), 0);
	KT_EQ(qid.type & P9_QTDIR, P9_QTDIR);
	KT_EQ(p9_mkdir(p9t_mnt, p9t_root, "newdir", 0755, 0, &qid), -EEXIST);
	KT_EQ(p9_symlink(p9t_mnt, p9t_root, "lnk", "hello.txt", 0, &qid), 0);
	fid = p9t_walk("lnk");
	KT_ASSERT(fid >= 0);
	KT_EQ(p9_readlink(p9t_mnt, fid, target, sizeof(target)), 9);
	KT_EQ(strcmp(target, "hello.txt"), 0);
	KT_EQ(p9_clunk(p9t_mnt, fid), 0);
	/* hello.txt -> link hard.txt; rename wbig.bin -> moved.bin. */
	fid = p9t_walk("hello.txt");
	KT_ASSERT(fid >= 0);
	KT_EQ(p9_link(p9t_mnt, p9t_root, fid, "hard.txt"), 0);
	KT_EQ(p9_clunk(p9t_mnt, fid), 0);
	/* tmp.bin, written, renamed to moved.bin, cut to 10 bytes. */
	{
		uint32_t f, io;

		KT_EQ(p9_walk(p9t_mnt, p9t_root, 0, NULL, &f, NULL), 0);
		KT_EQ(p9_lcreate(p9t_mnt, f, "tmp.bin", O_WRONLY | O_CREAT,
		    0644, 0, &qid, &io), 0);
		KT_EQ(p9_write(p9t_mnt, f, 0, "0123456789abcdef", 16), 16);
		KT_EQ(p9_clunk(p9t_mnt, f), 0);
	}
	{
		/* diod 1.0.24 has no Trenameat: fall back to Trename. */
		int e = p9_renameat(p9t_mnt, p9t_root, "tmp.bin", p9t_root,
		    "moved.bin");

		KT_ASSERT(e == 0 || e == -EOPNOTSUPP);
		if (e == -EOPNOTSUPP) {
			fid = p9t_walk("tmp.bin");
			KT_ASSERT(fid >= 0);
			KT_EQ(p9_rename(p9t_mnt, fid, p9t_root, "moved.bin"),
			    0);
			KT_EQ(p9_clunk(p9t_mnt, fid), 0);
		}
	}
	KT_EQ(p9t_walk("tmp.bin"), -ENOENT);
	KT_EQ(p9t_unlink("hard.txt"), 0);
	KT_EQ(p9t_unlink("hard.txt"), -ENOENT);
	KT_EQ(p9t_unlink("sub"), -ENOTEMPTY);	/* not empty */
	KT_EQ(p9_statfs(p9t_mnt, p9t_root, &st), 0);
	KT_ASSERT(st.bsize > 0 && st.blocks > 0 && st.namelen >= 255);
	{
		struct p9_iattr ia = { .valid = P9_SETATTR_SIZE, .size = 10 };
		struct p9_attr a;

		fid = p9t_walk("moved.bin");
		KT_ASSERT(fid >= 0);
		KT_EQ(p9_setattr(p9t_mnt, fid, &ia), 0);
		KT_EQ(p9_getattr(p9t_mnt, fid, P9_GETATTR_BASIC, &a), 0);
		KT_EQ(a.size, 10);
		KT_EQ(p9_clunk(p9t_mnt, fid), 0);
	}
	KT_EQ(mnt_fids_inuse(p9t_mnt), 1);	/* only the root */
}

/*
 * Several kernel threads read big.bin through the one channel at once:
 * their requests are in flight together, whoever waits reads for all
 * (mountio), replies are filed by tag (mountmux), the rest sleep.
 */
#define P9T_NTHREADS	3
static volatile int p9t_done, p9t_good;

static void
p9t_reader(void *arg)
{
	uintptr_t id = (uintptr_t)arg;
	size_t off = id * 1000, len = P9T_BIGSIZE - off, bad = 0;
	struct p9_qid qid;
	uint32_t iounit;
	uint8_t *buf = kmalloc(len, 0);
	int64_t fid = p9t_walk("big.bin");
	ssize_t n = -1;

	if (buf != NULL && fid >= 0 &&
	    p9_lopen(p9t_mnt, fid, 0, &qid, &iounit) == 0) {
		/* Small pieces: many round trips interleave. */
		for (n = 0; (size_t)n < len;) {
			ssize_t k = p9_read(p9t_mnt, fid, off + n, buf + n,
			    MIN(len - n, 7000));

			if (k <= 0)
				break;
			n += k;
		}
		for (size_t i = 0; i < len && (size_t)n == len; i++)
			bad += buf[i] != p9t_pattern(off + i, 0);
	}
	if (fid >= 0)
		p9_clunk(p9t_mnt, fid);
	kfree(buf);
	intr_disable_push();
	if ((size_t)n == len && bad == 0)
		p9t_good++;
	p9t_done++;
	intr_disable_pop();
	wakeup((void *)&p9t_done);
	kthread_exit();
}

KTEST(p9_9_concurrent)
{
	uint64_t end, rpc0, wait0;
	char buf[64];

	if (!p9t_wanted("p9_9_concurrent"))
		return;
	KT_ASSERT(p9t_setup());
	rpc0 = p9t_mnt->m_nrpc;
	wait0 = p9t_mnt->m_nwait;
	KT_ASSERT(p9t_mnt->m_sleep != NULL);	/* the scheduler is in */
	p9t_done = p9t_good = 0;
	for (uintptr_t i = 0; i < P9T_NTHREADS; i++)
		KT_ASSERT(kthread_create(p9t_reader, (void *)i, "p9t") !=
		    NULL);
	/* This thread takes part too. */
	for (int i = 0; i < 20; i++) {
		int64_t fid = p9t_walk("hello.txt");

		KT_ASSERT(fid >= 0);
		KT_EQ(p9_lopen(p9t_mnt, fid, 0, &(struct p9_qid){ 0 }, NULL),
		    0);
		KT_EQ(p9_read(p9t_mnt, fid, 0, buf, sizeof(buf)),
		    (ssize_t)strlen(P9T_HELLO));
		KT_EQ(memcmp(buf, P9T_HELLO, strlen(P9T_HELLO)), 0);
		KT_EQ(p9_clunk(p9t_mnt, fid), 0);
	}
	end = nanouptime() + 30 * NSEC_PER_SEC;
	while (p9t_done < P9T_NTHREADS && nanouptime() < end)
		tsleep((void *)&p9t_done, 0, "p9tjoin", NSEC_PER_SEC / 10);
	KT_EQ(p9t_done, P9T_NTHREADS);
	KT_EQ(p9t_good, P9T_NTHREADS);
	KT_EQ(mnt_tags_inuse(p9t_mnt), 0);
	KT_EQ(mnt_fids_inuse(p9t_mnt), 1);
	printk("p9_9_concurrent: %lu rpcs, %lu waits for another reader\n",
	    (unsigned long)(p9t_mnt->m_nrpc - rpc0),
	    (unsigned long)(p9t_mnt->m_nwait - wait0));
	/*
	 * Whether some thread slept while another read its reply depends on
	 * how the host schedules QEMU, so it is reported, not asserted; the
	 * reader hand-off itself is tested deterministically on the host
	 * (tests/host/p9_mnt.c).
	 */
}

/*
 * Hang-up: booted alone (`ktest=hangup_p9 p9=EXPORT p9hup`), it prints a
 * line on which the stage kills diod; QEMU then sends PORT_OPEN 0 and the
 * channel must die cleanly: calls fail with -EIO, no fid or tag is left,
 * and a new connection is refused while the host end is closed.
 */
KTEST(hangup_p9)
{
	struct vcons_port *port;
	uint64_t end;
	char buf[16];
	int64_t fid;
	int error;

	if (!cmdline_has("p9hup")) {
		printk("hangup_p9: no p9hup on the command line: skipped\n");
		return;
	}
	KT_ASSERT(p9t_wanted("hangup_p9"));
	KT_ASSERT(p9t_setup());
	fid = p9t_walk("hello.txt");
	KT_ASSERT(fid >= 0);
	KT_EQ(p9_lopen(p9t_mnt, fid, 0, &(struct p9_qid){ 0 }, NULL), 0);
	port = vcons_port_lookup(P9_VSERIAL_PORT);
	KT_ASSERT(port != NULL && vcons_port_connected(port));
	printk("hangup_p9: kill the server now\n");
	end = nanouptime() + 20 * NSEC_PER_SEC;
	while (vcons_port_connected(port) && nanouptime() < end)
		tsleep(&end, 0, "p9hup", NSEC_PER_SEC / 20);
	KT_ASSERT(!vcons_port_connected(port));	/* PORT_OPEN 0 came */
	KT_EQ(p9_read(p9t_mnt, fid, 0, buf, sizeof(buf)), -EIO);
	KT_ASSERT(p9t_mnt->m_dead);
	KT_EQ(mnt_fids_inuse(p9t_mnt), 0);
	KT_EQ(mnt_tags_inuse(p9t_mnt), 0);
	KT_EQ(p9_walk(p9t_mnt, p9t_root, 0, NULL, &(uint32_t){ 0 }, NULL),
	    -EIO);
	KT_EQ(vcons_port_write(port, "x", 1), -ENOTCONN);
	KT_ASSERT(p9_vserial_connect(P9_VSERIAL_PORT, 65536,
	    NSEC_PER_SEC / 2, &error) == NULL);
	KT_EQ(error, -ENOTCONN);
}

/*
 * Four 64 KiB Treads in flight before anyone reads: the replies (256 KiB)
 * overflow the port's 128 KiB byte ring, so receive buffers are parked
 * (flow control) and must come back in order.  Every byte is checked.
 */
KTEST(p9_10_ringfull)
{
	struct p9_req *r[4];
	struct p9_rbuf rb;
	struct vcons_port *port;
	uint64_t parked0, end;
	uint32_t iounit;
	int64_t fid;
	size_t bad = 0;

	if (!p9t_wanted("p9_10_ringfull"))
		return;
	KT_ASSERT(p9t_setup());
	port = vcons_port_lookup(P9_VSERIAL_PORT);
	KT_ASSERT(port != NULL);
	parked0 = vcons_port_nparked(port);
	fid = p9t_walk("big.bin");
	KT_ASSERT(fid >= 0);
	KT_EQ(p9_lopen(p9t_mnt, fid, 0, &(struct p9_qid){ 0 }, &iounit), 0);
	for (int i = 0; i < 4; i++) {
		struct p9_buf b;

		r[i] = mnt_request(p9t_mnt);
		KT_ASSERT(r[i] != NULL);
		b.data = r[i]->r_tbuf;
		b.cap = p9t_mnt->m_msize;
		r[i]->r_tlen = p9_tread(&b, r[i]->r_tag, fid,
		    (uint64_t)i * iounit, iounit);
		KT_EQ(mountio_send(p9t_mnt, r[i]), 0);
	}
	/* Let the replies pile up in the port. */
	end = nanouptime() + NSEC_PER_SEC / 2;
	while (nanouptime() < end)
		tsleep(&end, 0, "p9ring", NSEC_PER_SEC / 50);
	/* Collect them last first: the reader files the others by tag. */
	for (int i = 3; i >= 0; i--) {
		uint32_t count;
		const uint8_t *data;

		KT_EQ(mountio_wait(p9t_mnt, r[i]), 0);
		KT_EQ(p9_reply(&rb, r[i]->r_rbuf, r[i]->r_rlen, P9_TREAD,
		    r[i]->r_tag), 0);
		KT_EQ(p9_rread(&rb, &count, (const void **)&data), 0);
		KT_EQ(count, iounit);
		for (uint32_t k = 0; k < count; k++)
			bad += data[k] != p9t_pattern((size_t)i * iounit + k,
			    0);
	}
	for (int i = 0; i < 4; i++)
		mnt_request_free(p9t_mnt, r[i]);
	KT_EQ(bad, 0);
	KT_EQ(p9_clunk(p9t_mnt, fid), 0);
	printk("p9_10_ringfull: %lu receive buffers parked\n",
	    (unsigned long)(vcons_port_nparked(port) - parked0));
	KT_ASSERT(vcons_port_nparked(port) > parked0);
	KT_EQ(mnt_tags_inuse(p9t_mnt), 0);
}
