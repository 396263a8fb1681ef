/*
 * p9_virtio_test.c: self tests of the 9P client over virtio-9p, against
 * QEMU's own server (`-fsdev local,... -device virtio-9p-pci,mount_tag=T`).
 *
 * tests/stages/70-9p boots with `ktest=v9p p9v=TAG` and an export holding
 * hello.txt and sub/{alpha,beta,gamma}; the tests share one channel and
 * root fid made by whichever runs first.  They write v9p-out.bin, which
 * the stage checks byte for byte.  Without p9v= they are skipped.
 */
#include <clock.h>
#include <kernel.h>
#include <kmem.h>
#include <ktest.h>
#include <libkern.h>
#include <p9.h>
#include <p9_trans.h>
#include <uapi/errno.h>

#define V9P_HELLO	"Hello from the host, over diod and virtio-serial.\n"
#define V9P_OUTSIZE	100000

static struct mnt *v9p_mnt;
static uint32_t v9p_root = P9_NOFID;

static bool
v9p_wanted(const char *name)
{
	char tag[64];

	if (!cmdline_value("p9v", tag, sizeof(tag))) {
		printk("%s: no p9v= on the command line: skipped\n", name);
		return (false);
	}
	return (true);
}

static bool
v9p_setup(void)
{
	static bool tried;
	struct p9_qid qid;
	char tag[64];
	int error;

	if (tried)
		return (v9p_root != P9_NOFID);
	tried = true;
	if (!cmdline_value("p9v", tag, sizeof(tag)))
		return (false);
	v9p_mnt = p9_virtio_connect(tag, 65536, &error);
	if (v9p_mnt == NULL) {
		printk("v9p_setup: connect %s: error %d\n", tag, error);
		return (false);
	}
	error = p9_attach(v9p_mnt, "root", 0, "", &v9p_root, &qid);
	if (error != 0) {
		printk("v9p_setup: attach: error %d\n", error);
		v9p_root = P9_NOFID;
	}
	return (error == 0);
}

static int64_t
v9p_walk(const char *name)
{
	const char *names[1] = { name };
	uint32_t fid;
	int error = p9_walk(v9p_mnt, v9p_root, 1, names, &fid, NULL);

	return (error != 0 ? error : (int64_t)fid);
}

KTEST(v9p_1_version_attach)
{
	struct p9_attr a;

	if (!v9p_wanted("v9p_1_version_attach"))
		return;
	KT_ASSERT(v9p_setup());
	KT_ASSERT(v9p_mnt->m_msize >= P9_MINMSIZE);
	KT_ASSERT(v9p_mnt->m_msize <= 65536);
	KT_EQ(v9p_mnt->m_iounit, v9p_mnt->m_msize - P9_IOHDRSZ);
	KT_EQ(p9_getattr(v9p_mnt, v9p_root, P9_GETATTR_BASIC, &a), 0);
	KT_EQ(a.qid.type & P9_QTDIR, P9_QTDIR);
	/* One channel per device. */
	{
		char tag[64];
		int error;

		cmdline_value("p9v", tag, sizeof(tag));
		KT_ASSERT(p9_virtio_connect(tag, 65536, &error) == NULL);
		KT_EQ(error, -EBUSY);
		KT_ASSERT(p9_virtio_connect("no-such-tag", 65536, &error) ==
		    NULL);
		KT_EQ(error, -ENODEV);
	}
}

KTEST(v9p_2_read)
{
	char buf[128];
	struct p9_qid qid;
	uint32_t iounit;
	int64_t fid;

	if (!v9p_wanted("v9p_2_read"))
		return;
	KT_ASSERT(v9p_setup());
	fid = v9p_walk("hello.txt");
	KT_ASSERT(fid >= 0);
	KT_EQ(p9_lopen(v9p_mnt, fid, 0, &qid, &iounit), 0);
	memset(buf, 0, sizeof(buf));
	KT_EQ(p9_read(v9p_mnt, fid, 0, buf, sizeof(buf)),
	    (ssize_t)strlen(V9P_HELLO));
	KT_EQ(strcmp(buf, V9P_HELLO), 0);
	KT_EQ(p9_clunk(v9p_mnt, fid), 0);
	KT_EQ(v9p_walk("no-such-file"), -ENOENT);
}

KTEST(v9p_3_create_write)
{
	struct p9_qid qid;
	uint32_t iounit, fid;
	struct p9_attr a;
	uint8_t *buf;
	uint64_t t0, t1;
	ssize_t n;

	if (!v9p_wanted("v9p_3_create_write"))
		return;
	KT_ASSERT(v9p_setup());
	buf = kmalloc(V9P_OUTSIZE, 0);
	KT_ASSERT(buf != NULL);
	for (size_t i = 0; i < V9P_OUTSIZE; i++)
		buf[i] = (i * 29 + (i >> 10)) & 0xff;
	KT_EQ(p9_walk(v9p_mnt, v9p_root, 0, NULL, &fid, NULL), 0);
	KT_EQ(p9_lcreate(v9p_mnt, fid, "v9p-out.bin", 01 | 0100, 0644, 0,
	    &qid, &iounit), 0);
	t0 = nanouptime();
	n = p9_write(v9p_mnt, fid, 0, buf, V9P_OUTSIZE);
	t1 = nanouptime();
	kfree(buf);
	KT_EQ(n, V9P_OUTSIZE);
	KT_EQ(p9_getattr(v9p_mnt, fid, P9_GETATTR_BASIC, &a), 0);
	KT_EQ(a.size, V9P_OUTSIZE);
	KT_EQ(p9_clunk(v9p_mnt, fid), 0);
	printk("v9p: wrote %d bytes in %lu us\n", V9P_OUTSIZE,
	    (unsigned long)(t1 - t0) / 1000);
}

KTEST(v9p_4_readdir)
{
	struct p9_dirent de;
	struct p9_qid qid;
	uint32_t iounit;
	uint8_t buf[512];
	uint64_t off = 0;
	int64_t fid;
	int seen = 0, r;
	ssize_t n;

	if (!v9p_wanted("v9p_4_readdir"))
		return;
	KT_ASSERT(v9p_setup());
	fid = v9p_walk("sub");
	KT_ASSERT(fid >= 0);
	KT_EQ(p9_lopen(v9p_mnt, fid, 0, &qid, &iounit), 0);
	while ((n = p9_readdir(v9p_mnt, fid, off, buf, sizeof(buf))) > 0) {
		size_t pos = 0;

		while ((r = p9_dirent_next(buf, n, &pos, &de)) == 1) {
			if (strcmp(de.name, "alpha") == 0)
				seen |= 1;
			else if (strcmp(de.name, "beta") == 0)
				seen |= 2;
			else if (strcmp(de.name, "gamma") == 0)
				seen |= 4;
			else if (strcmp(de.name, ".") != 0 &&
			    strcmp(de.name, "..") != 0)
				seen |= 8;
			off = de.offset;
		}
		KT_EQ(r, 0);
	}
	KT_EQ(n, 0);
	KT_EQ(seen, 7);
	KT_EQ(p9_clunk(v9p_mnt, fid), 0);
	KT_EQ(mnt_fids_inuse(v9p_mnt), 1);
	KT_EQ(mnt_tags_inuse(v9p_mnt), 0);
}
