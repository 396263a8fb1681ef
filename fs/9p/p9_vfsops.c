/*
 * p9_vfsops.c: mounting a 9P2000.L server as file system type "9p"
 * (FreeBSD p9fs_vfsops.c; options as Linux's v9fs takes them).
 *
 *   mount -t 9p -o trans=virtio-serial,port=org.9p.0,version=9p2000.L,\
 *       aname=/export host /mnt/host
 *   mount -t 9p -o trans=virtio,version=9p2000.L hostshare /mnt/v9p
 *
 * Options (comma separated, unknown ones ignored as Linux does):
 *   trans=virtio-serial (default) | virtio   the channel
 *   port=NAME        virtio-serial port name (default org.9p.0)
 *   tag=TAG          virtio-9p mount tag (default: the mount source)
 *   version=9p2000.L the only dialect (anything else: EINVAL)
 *   aname=PATH       what to attach to (diod: the export path); default the
 *                    kernel's share=DIR option
 *   uname=NAME, n_uname=N   who attaches (default root, 0)
 *   msize=N          largest message (default 65536; the server may lower)
 *   timeout=S        a request with no reply for S seconds kills the
 *                    channel: every caller gets EIO (default 30)
 *   wait=S           how long to wait for the port or the host end (2)
 *   boot             init's mount of the share: ENODEV with `noshare`
 *
 * The one idea: a mount is a Mnt and a root fid; everything else is in
 * p9_vnops.c.  Unmounting (umount2 once nothing is busy) clunks the root
 * fid and frees the Mnt, which closes the port, so a later mount starts a
 * fresh channel -- also after the server died.
 */
#include <clock.h>
#include <kernel.h>
#include <kmem.h>
#include <libkern.h>
#include <p9_trans.h>
#include <printf.h>

#include "p9_opts.h"
#include "p9fs.h"

#define V9FS_MAGIC	0x01021997

static int
p9fs_mount(struct mount *mp, const char *data)
{
	struct p9fs_args a;
	struct p9_mount *pm;
	struct p9_qid qid;
	struct mnt *m;
	int error;

	if ((error = p9fs_parse_opts(data, &a)) != 0)
		return (error);
	if (a.boot && cmdline_has("noshare"))
		return (-ENODEV);
	if (a.aname[0] == '\0')
		(void)cmdline_value("share", a.aname, sizeof(a.aname));
	if (a.tag[0] == '\0')
		strlcpy(a.tag, mp->mnt_from, sizeof(a.tag));
	if (strcmp(a.trans, "virtio-serial") == 0) {
		/*
		 * A Tversion sent just as the host end went away is lost
		 * (QEMU drops guest data while disconnected) and ends in a
		 * hang-up: try once more, which waits for the host end to be
		 * back (QEMU's reconnect=) within wait=.
		 */
		m = p9_vserial_connect(a.port, a.msize,
		    (uint64_t)a.wait_s * NSEC_PER_SEC, &error);
		if (m == NULL && error == -EIO)
			m = p9_vserial_connect(a.port, a.msize,
			    (uint64_t)a.wait_s * NSEC_PER_SEC, &error);
	} else if (strcmp(a.trans, "virtio") == 0)
		m = p9_virtio_connect(a.tag, a.msize, &error);
	else
		return (-EINVAL);
	if (m == NULL)
		return (error);
	m->m_timo_ns = (uint64_t)a.timeout_s * NSEC_PER_SEC;
	pm = kmalloc(sizeof(*pm), M_WAITOK | M_ZERO);
	if (pm == NULL) {
		mnt_free(m);
		return (-ENOMEM);
	}
	pm->pm_mnt = m;
	pm->pm_uid = a.n_uname;
	spin_init(&pm->pm_lock, "p9mount");
	LIST_INIT(&pm->pm_nodes);
	strlcpy(pm->pm_trans, a.trans, sizeof(pm->pm_trans));
	strlcpy(pm->pm_aname, a.aname, sizeof(pm->pm_aname));
	error = p9_attach(m, a.uname, a.n_uname, a.aname, &pm->pm_rootfid,
	    &qid);
	if (error == 0) {
		mp->mnt_data = pm;
		error = p9fs_nget(mp, pm->pm_rootfid, &qid, &mp->mnt_root);
		if (error == 0 && mp->mnt_root->v_type != VDIR) {
			vrele(mp->mnt_root);
			error = -ENOTDIR;
		}
	}
	if (error != 0) {
		mp->mnt_data = NULL;
		mnt_free(m);
		kfree(pm);
		return (error == -EPROTO ? -EIO : error);
	}
	return (0);
}

static int
p9fs_unmount(struct mount *mp, int flags)
{
	struct p9_mount *pm = mp->mnt_data;

	vrele(mp->mnt_root);		/* clunks the root fid */
	mp->mnt_root = NULL;
	KASSERT(LIST_EMPTY(&pm->pm_nodes), "p9fs: vnodes left at unmount");
	/* What the fault tests read from the kernel log: nothing leaked. */
	printk("9p: unmount %s: %d tags, %d fids in use%s\n", mp->mnt_path,
	    mnt_tags_inuse(pm->pm_mnt), mnt_fids_inuse(pm->pm_mnt),
	    pm->pm_mnt->m_dead ? " (channel dead)" : "");
	mnt_free(pm->pm_mnt);
	kfree(pm);
	mp->mnt_data = NULL;
	return (0);
}

static int
p9fs_statfs(struct mount *mp, struct statfs *sfp)
{
	struct p9_mount *pm = mp->mnt_data;
	struct p9_statfs st;
	int error;

	if ((error = p9_statfs(pm->pm_mnt, pm->pm_rootfid, &st)) != 0)
		return (error);
	sfp->f_type = V9FS_MAGIC;
	sfp->f_bsize = sfp->f_frsize = st.bsize;
	sfp->f_blocks = st.blocks;
	sfp->f_bfree = st.bfree;
	sfp->f_bavail = st.bavail;
	sfp->f_files = st.files;
	sfp->f_ffree = st.ffree;
	sfp->f_namelen = st.namelen;
	return (0);
}

const struct vfsops p9fs_vfsops = {
	.vfs_name = "9p",
	.vfs_mount = p9fs_mount,
	.vfs_unmount = p9fs_unmount,
	.vfs_statfs = p9fs_statfs,
};
