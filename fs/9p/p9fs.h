/*
 * p9fs.h: private to the 9P file system (fs/9p/p9_vfsops.c, p9_vnops.c).
 *
 * A p9fs mount is one Mnt (one channel to one server) and the root's fid.
 * Each vnode's node holds a walked, unopened fid (n_fid) for the calls
 * that name a file (getattr, setattr, walk, create, remove...) and, opened
 * on demand, at most two I/O fids per vnode -- one opened O_RDONLY, one
 * O_WRONLY (or O_RDWR when it came from Tlcreate) -- shared by every open
 * file of that vnode and by the kernel's own vn_rdwr (exec).  They are
 * clunked when the last reference to the vnode goes (VOP_INACTIVE).  A fid
 * per vnode rather than per open file because VOP_READ/VOP_WRITE see the
 * vnode only, as in FreeBSD; reads and writes carry explicit offsets, so
 * sharing an open fid is safe.
 *
 * The mount keeps its live vnodes on pm_nodes, keyed by qid.path, so one
 * host file is one vnode (one page cache, one st_ino) however it is
 * reached.  A vnode whose use count dropped to 0 is never revived from
 * that list (its VOP_INACTIVE is on the way); a lookup then makes a fresh
 * vnode for the same file.
 */
#ifndef _P9FS_H_
#define _P9FS_H_

#include <p9.h>
#include <sx.h>
#include <sys/queue.h>
#include <vnode.h>

/* The vnode pager (mm/vnode_pager.c) is used once it is linked in. */
#if __has_include(<vnode_pager.h>)
#define P9FS_PAGER	1
#endif

struct p9_node {
	LIST_ENTRY(p9_node) n_link;	/* pm_lock */
	struct vnode *n_vp;		/* constant */
	uint64_t n_qpath;		/* constant: qid.path */
	uint32_t n_fid;			/* walked, never opened; n_lock to
					 * change (rename), read unlocked */
	struct sx n_lock;		/* guards the fids */
	uint32_t n_rfid;		/* n_lock: opened O_RDONLY, or NOFID */
	uint32_t n_wfid;		/* n_lock: opened to write, or NOFID */
	bool n_wrdwr;			/* n_lock: n_wfid can read too */
};

struct p9_mount {
	struct mnt *pm_mnt;		/* constant */
	uint32_t pm_rootfid;		/* constant */
	uint32_t pm_uid;		/* constant: n_uname of the attach */
	struct spinlock pm_lock;
	LIST_HEAD(, p9_node) pm_nodes;	/* pm_lock */
	char pm_trans[16];		/* "virtio-serial" or "virtio" */
	char pm_aname[128];
};

#define VTOP9(vp)	((struct p9_node *)(vp)->v_data)
#define VTOP9M(vp)	((struct p9_mount *)(vp)->v_mount->mnt_data)
#define VTOMNT(vp)	(VTOP9M(vp)->pm_mnt)

extern const struct vnodeops p9fs_vnodeops;
/*
 * The vnode of a walked fid: the live one for qid.path (fid is clunked),
 * or a new one owning fid with attributes from a Tgetattr.  Referenced.
 */
int p9fs_nget(struct mount *mp, uint32_t fid, const struct p9_qid *qid,
    struct vnode **vpp);
/* Copy a Tgetattr answer into the vnode's attribute fields. */
void p9fs_attr_load(struct vnode *vp, const struct p9_attr *a);
/* Tgetattr + p9fs_attr_load. */
int p9fs_refresh(struct vnode *vp);
/* v_size = size, the page cache following (p9_io.c). */
void p9fs_setsize(struct vnode *vp, off_t size);

/* p9_io.c: open fids and the data path (raw: -EPROTO not yet EIO). */
int p9fs_iofid(struct vnode *vp, bool write, uint32_t *fidp);
int p9fs_read(struct vnode *vp, struct uio *uio, int ioflag);
int p9fs_write(struct vnode *vp, struct uio *uio, int ioflag);
int p9fs_readdir(struct vnode *vp, struct uio *uio);
#ifdef P9FS_PAGER
struct vm_page;
int p9fs_getpages(struct vnode *vp, struct vm_page *m);
int p9fs_putpages(struct vnode *vp, struct vm_page **ma, int count,
    bool sync);
#endif

#endif /* !_P9FS_H_ */
