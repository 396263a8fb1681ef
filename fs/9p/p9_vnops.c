/*
 * p9_vnops.c: the name space and attributes of the 9P file system -- the
 * vnode operations over 9P2000.L (FreeBSD's p9fs_vnops.c and Linux's v9fs
 * vfs_inode_dotl.c do the same job; this one is much smaller).  The data
 * path (read, write, getdents, mmap) is in p9_io.c; fids: see p9fs.h.
 *
 * Every operation is one or a few RPCs on the mount's channel; nothing is
 * cached but the attributes in the vnode, and those are honest in the
 * simple way: getattr, open and lookup ask the server (Tgetattr) and load
 * the answer, a write moves v_size forward by what the server
 * acknowledged.
 *
 * diod 1.0.24 answers Tunlinkat and Trenameat with EOPNOTSUPP, so remove
 * and rename fall back to walk + Tremove and to the older Trename on a
 * freshly walked fid.  diod remembers each fid's path, so afterwards a
 * live vnode of the renamed file whose fid no longer resolves gets a new
 * fid walked to the new name (p9fs_refid) -- not blindly: with hard links
 * its fid may name another link, which did not move.
 */
#include <kernel.h>
#include <kmem.h>
#include <libkern.h>
#include <proc.h>
#include <trap.h>

#include "p9fs.h"

#ifdef P9FS_PAGER
#include <vm_object.h>
#endif

void
p9fs_attr_load(struct vnode *vp, const struct p9_attr *a)
{
	p9fs_setsize(vp, (off_t)a->size);
	vp->v_mode = a->mode;
	vp->v_uid = a->uid;
	vp->v_gid = a->gid;
	vp->v_nlink = (uint32_t)a->nlink;
	vp->v_rdev = (dev_t)a->rdev;
	vp->v_ino = (ino_t)a->qid.path;
	vp->v_atime.tv_sec = a->atime_sec;
	vp->v_atime.tv_nsec = a->atime_nsec;
	vp->v_mtime.tv_sec = a->mtime_sec;
	vp->v_mtime.tv_nsec = a->mtime_nsec;
	vp->v_ctime.tv_sec = a->ctime_sec;
	vp->v_ctime.tv_nsec = a->ctime_nsec;
}

/* Ask the server for vp's attributes and load them. */
int
p9fs_refresh(struct vnode *vp)
{
	struct p9_attr a;
	int error;

	error = p9_getattr(VTOMNT(vp), VTOP9(vp)->n_fid, P9_GETATTR_BASIC,
	    &a);
	if (error == 0)
		p9fs_attr_load(vp, &a);
	return (error);
}

/* The live vnode for qpath, referenced, or NULL; pm_lock held. */
static struct vnode *
p9fs_live(struct p9_mount *pm, uint64_t qpath)
{
	struct p9_node *np;
	bool alive;

	LIST_FOREACH(np, &pm->pm_nodes, n_link) {
		if (np->n_qpath != qpath)
			continue;
		spin_lock(&np->n_vp->v_interlock);
		alive = np->n_vp->v_usecount > 0;
		spin_unlock(&np->n_vp->v_interlock);
		if (alive) {
			vref(np->n_vp);
			return (np->n_vp);
		}
	}
	return (NULL);
}

int
p9fs_nget(struct mount *mp, uint32_t fid, const struct p9_qid *qid,
    struct vnode **vpp)
{
	struct p9_mount *pm = mp->mnt_data;
	struct p9_node *np;
	struct p9_attr a;
	struct vnode *vp, *old;
	int error;

	spin_lock(&pm->pm_lock);
	vp = p9fs_live(pm, qid->path);
	spin_unlock(&pm->pm_lock);
	if (vp != NULL) {
		p9_clunk(pm->pm_mnt, fid);
		*vpp = vp;
		return (0);
	}
	if ((error = p9_getattr(pm->pm_mnt, fid, P9_GETATTR_BASIC, &a)) != 0) {
		p9_clunk(pm->pm_mnt, fid);
		return (error);
	}
	np = kmalloc(sizeof(*np), M_WAITOK | M_ZERO);
	vp = np != NULL ? vnalloc(mp, iftovt(a.mode), &p9fs_vnodeops, np) :
	    NULL;
	if (vp == NULL) {
		if (np != NULL)
			kfree(np);
		p9_clunk(pm->pm_mnt, fid);
		return (-ENOMEM);
	}
	np->n_vp = vp;
	np->n_qpath = qid->path;
	np->n_fid = fid;
	np->n_rfid = np->n_wfid = P9_NOFID;
	sx_init(&np->n_lock, "p9node");
	p9fs_attr_load(vp, &a);
	vref(vp);
	spin_lock(&pm->pm_lock);
	if ((old = p9fs_live(pm, qid->path)) == NULL)
		LIST_INSERT_HEAD(&pm->pm_nodes, np, n_link);
	spin_unlock(&pm->pm_lock);
	if (old != NULL) {		/* another lookup made it first */
		vrele(vp);		/* not on the list: inactive frees */
		vp = old;
	}
	*vpp = vp;
	return (0);
}

static void
p9fs_inactive(struct vnode *vp)
{
	struct p9_mount *pm = VTOP9M(vp);
	struct p9_node *np = VTOP9(vp), *it;
	struct mnt *m = pm->pm_mnt;

	spin_lock(&pm->pm_lock);
	LIST_FOREACH(it, &pm->pm_nodes, n_link)
		if (it == np) {
			LIST_REMOVE(np, n_link);
			break;
		}
	spin_unlock(&pm->pm_lock);
#ifdef P9FS_PAGER
	/*
	 * Mappings hold the vnode and write their dirty pages back before
	 * they let go of it, so nothing should be dirty by now; a safety
	 * net while the fids still exist.
	 */
	if (vp->v_object != NULL && !m->m_dead)
		(void)vm_object_page_clean(vp->v_object, 0, 0, true);
#endif
	if (np->n_rfid != P9_NOFID)
		p9_clunk(m, np->n_rfid);
	if (np->n_wfid != P9_NOFID)
		p9_clunk(m, np->n_wfid);
	p9_clunk(m, np->n_fid);
	vp->v_data = NULL;
	kfree(np);
	vnfree(vp);
}

static int
p9fs_lookup(struct vnode *dvp, const char *name, struct vnode **vpp)
{
	const char *names[1] = { name };
	struct p9_qid qid;
	uint32_t fid;
	int error;

	if (dvp->v_type != VDIR)
		return (-ENOTDIR);
	error = p9_walk(VTOMNT(dvp), VTOP9(dvp)->n_fid, 1, names, &fid, &qid);
	if (error != 0)
		return (error);
	return (p9fs_nget(dvp->v_mount, fid, &qid, vpp));
}

/* A new fid for dvp/name and its vnode (after a create, mkdir...). */
static int
p9fs_walkget(struct vnode *dvp, const char *name, struct vnode **vpp)
{
	return (p9fs_lookup(dvp, name, vpp));
}

static int
p9fs_create(struct vnode *dvp, const char *name, mode_t mode,
    const struct ucred *cred, struct vnode **vpp)
{
	struct mnt *m = VTOMNT(dvp);
	struct p9_node *np;
	struct p9_qid qid;
	uint32_t fid;
	int error;

	if ((error = p9_walk(m, VTOP9(dvp)->n_fid, 0, NULL, &fid, NULL)) != 0)
		return (error);
	error = p9_lcreate(m, fid, name, O_RDWR | O_CREAT | O_EXCL,
	    mode & ALLPERMS, cred->cr_egid, &qid, NULL);
	if (error != 0) {
		p9_clunk(m, fid);
		return (error);
	}
	if ((error = p9fs_walkget(dvp, name, vpp)) != 0) {
		p9_clunk(m, fid);
		return (error);
	}
	/* Keep the created, open fid as the vnode's read-write fid. */
	np = VTOP9(*vpp);
	sx_xlock(&np->n_lock);
	if (np->n_wfid == P9_NOFID) {
		np->n_wfid = fid;
		np->n_wrdwr = true;
		fid = P9_NOFID;
	}
	sx_xunlock(&np->n_lock);
	if (fid != P9_NOFID)
		p9_clunk(m, fid);
	return (0);
}

static int
p9fs_mkdir(struct vnode *dvp, const char *name, mode_t mode,
    const struct ucred *cred, struct vnode **vpp)
{
	struct p9_qid qid;
	int error;

	error = p9_mkdir(VTOMNT(dvp), VTOP9(dvp)->n_fid, name, mode & 07777,
	    cred->cr_egid, &qid);
	if (error != 0)
		return (error);
	return (p9fs_walkget(dvp, name, vpp));
}

static int
p9fs_symlink(struct vnode *dvp, const char *name, const char *target,
    const struct ucred *cred, struct vnode **vpp)
{
	struct p9_qid qid;
	int error;

	error = p9_symlink(VTOMNT(dvp), VTOP9(dvp)->n_fid, name, target,
	    cred->cr_egid, &qid);
	if (error != 0)
		return (error);
	return (p9fs_walkget(dvp, name, vpp));
}

static int
p9fs_readlink(struct vnode *vp, struct uio *uio)
{
	char *buf;
	int n, error;

	if (vp->v_type != VLNK)
		return (-EINVAL);
	if ((buf = kmalloc(PATH_MAX, M_WAITOK)) == NULL)
		return (-ENOMEM);
	n = p9_readlink(VTOMNT(vp), VTOP9(vp)->n_fid, buf, PATH_MAX);
	if (n < 0)
		error = n;
	else
		error = uiomove(buf, MIN((size_t)n, MIN(PATH_MAX - 1,
		    (size_t)uio->uio_resid)), uio);
	kfree(buf);
	return (error);
}

static int
p9fs_link(struct vnode *dvp, const char *name, struct vnode *vp)
{
	int error;

	error = p9_link(VTOMNT(dvp), VTOP9(dvp)->n_fid, VTOP9(vp)->n_fid,
	    name);
	if (error == 0)
		(void)p9fs_refresh(vp);		/* nlink */
	return (error);
}

/* unlink/rmdir: Tunlinkat, or (diod) walk + Tremove after a type check. */
static int
p9fs_unlink(struct vnode *dvp, const char *name, bool dir)
{
	struct mnt *m = VTOMNT(dvp);
	const char *names[1] = { name };
	struct p9_qid qid;
	uint32_t fid;
	int error;

	error = p9_unlinkat(m, VTOP9(dvp)->n_fid, name,
	    dir ? P9_AT_REMOVEDIR : 0);
	if (error != -EOPNOTSUPP)
		return (error);
	if ((error = p9_walk(m, VTOP9(dvp)->n_fid, 1, names, &fid, &qid)) != 0)
		return (error);
	if (dir && !(qid.type & P9_QTDIR)) {
		p9_clunk(m, fid);
		return (-ENOTDIR);
	}
	if (!dir && (qid.type & P9_QTDIR)) {
		p9_clunk(m, fid);
		return (-EISDIR);
	}
	return (p9_remove(m, fid));
}

static int
p9fs_remove(struct vnode *dvp, const char *name)
{
	return (p9fs_unlink(dvp, name, false));
}

static int
p9fs_rmdir(struct vnode *dvp, const char *name)
{
	return (p9fs_unlink(dvp, name, true));
}

/*
 * diod keeps a path per fid: after a rename the live vnode's n_fid may
 * name the old path.  If it no longer resolves (the vnode was reached by
 * the renamed name, not by another hard link), walk a fresh fid to the new
 * name and swap it in.  A call already under way on the old fid finishes
 * (the server holds the fid until it answers); later calls use the new.
 */
static void
p9fs_refid(struct vnode *vp, struct vnode *tdvp, const char *tname)
{
	struct p9_node *np = VTOP9(vp);
	struct mnt *m = VTOMNT(vp);
	const char *names[1] = { tname };
	struct p9_attr a;
	uint32_t fid, old;

	if (p9_getattr(m, np->n_fid, P9_GETATTR_BASIC, &a) != -ENOENT)
		return;
	if (p9_walk(m, VTOP9(tdvp)->n_fid, 1, names, &fid, NULL) != 0)
		return;
	sx_xlock(&np->n_lock);
	old = np->n_fid;
	np->n_fid = fid;
	sx_xunlock(&np->n_lock);
	p9_clunk(m, old);
}

#define P9FS_RENAME_NOREPLACE	1	/* renameat2 flags */

static int
p9fs_rename(struct vnode *fdvp, const char *fname, struct vnode *tdvp,
    const char *tname, int flags)
{
	struct p9_mount *pm = VTOP9M(fdvp);
	struct mnt *m = pm->pm_mnt;
	const char *names[1];
	struct p9_qid qid;
	struct vnode *vp;
	uint32_t fid;
	int error;

	if (flags & ~P9FS_RENAME_NOREPLACE)
		return (-EINVAL);
	if (flags & P9FS_RENAME_NOREPLACE) {
		names[0] = tname;
		error = p9_walk(m, VTOP9(tdvp)->n_fid, 1, names, &fid, NULL);
		if (error == 0) {
			p9_clunk(m, fid);
			return (-EEXIST);
		}
		if (error != -ENOENT)
			return (error);
	}
	error = p9_renameat(m, VTOP9(fdvp)->n_fid, fname, VTOP9(tdvp)->n_fid,
	    tname);
	if (error != -EOPNOTSUPP)
		return (error);
	names[0] = fname;
	if ((error = p9_walk(m, VTOP9(fdvp)->n_fid, 1, names, &fid, &qid)) != 0)
		return (error);
	error = p9_rename(m, fid, VTOP9(tdvp)->n_fid, tname);
	p9_clunk(m, fid);
	if (error != 0)
		return (error);
	spin_lock(&pm->pm_lock);
	vp = p9fs_live(pm, qid.path);
	spin_unlock(&pm->pm_lock);
	if (vp != NULL) {
		p9fs_refid(vp, tdvp, tname);
		vrele(vp);
	}
	return (0);
}

/*
 * Tgetattr on the open fids when the walked one's path is gone (diod:
 * the file was unlinked while open).  Unknown to the server on every fid:
 * the attributes last seen, with no links left -- what fstat of an
 * unlinked open file says on Linux.
 */
static int
p9fs_getattr_open(struct vnode *vp, struct p9_attr *a)
{
	struct p9_node *np = VTOP9(vp);
	uint32_t fids[2];
	int error = -ENOENT;

	sx_xlock(&np->n_lock);
	fids[0] = np->n_rfid;
	fids[1] = np->n_wfid;
	sx_xunlock(&np->n_lock);
	for (int i = 0; i < 2 && error == -ENOENT; i++)
		if (fids[i] != P9_NOFID)
			error = p9_getattr(VTOMNT(vp), fids[i],
			    P9_GETATTR_BASIC, a);
	if (error == -ENOENT) {
		memset(a, 0, sizeof(*a));
		a->mode = vp->v_mode;
		a->uid = vp->v_uid;
		a->gid = vp->v_gid;
		a->size = (uint64_t)vp->v_size;
		a->qid.path = np->n_qpath;
		a->blocks = howmany((uint64_t)vp->v_size, 512);
		a->atime_sec = vp->v_atime.tv_sec;
		a->atime_nsec = vp->v_atime.tv_nsec;
		a->mtime_sec = vp->v_mtime.tv_sec;
		a->mtime_nsec = vp->v_mtime.tv_nsec;
		a->ctime_sec = vp->v_ctime.tv_sec;
		a->ctime_nsec = vp->v_ctime.tv_nsec;
		error = 0;
	}
	return (error);
}

static int
p9fs_getattr(struct vnode *vp, struct vattr *va)
{
	struct p9_attr a;
	int error;

	error = p9_getattr(VTOMNT(vp), VTOP9(vp)->n_fid, P9_GETATTR_BASIC,
	    &a);
	if (error == -ENOENT)
		error = p9fs_getattr_open(vp, &a);
	if (error != 0)
		return (error);
	p9fs_attr_load(vp, &a);
	memset(va, 0, sizeof(*va));
	va->va_type = iftovt(a.mode);
	va->va_mode = a.mode;
	va->va_uid = a.uid;
	va->va_gid = a.gid;
	va->va_nlink = (uint32_t)a.nlink;
	va->va_size = (off_t)a.size;
	va->va_ino = (ino_t)a.qid.path;
	va->va_rdev = (dev_t)a.rdev;
	va->va_fsid = vp->v_mount->mnt_dev;
	va->va_blocks = (int64_t)a.blocks;
	va->va_blksize = a.blksize != 0 ? (int)a.blksize : PAGE_SIZE;
	va->va_atime = vp->v_atime;
	va->va_mtime = vp->v_mtime;
	va->va_ctime = vp->v_ctime;
	return (0);
}

static int
p9fs_setattr(struct vnode *vp, const struct vattr *va)
{
	struct p9_iattr ia;
	int error;

	memset(&ia, 0, sizeof(ia));
	if (va->va_mask & VA_MODE) {
		ia.valid |= P9_SETATTR_MODE;
		ia.mode = va->va_mode & 07777;
	}
	if (va->va_mask & VA_UID) {
		ia.valid |= P9_SETATTR_UID;
		ia.uid = va->va_uid;
	}
	if (va->va_mask & VA_GID) {
		ia.valid |= P9_SETATTR_GID;
		ia.gid = va->va_gid;
	}
	if (va->va_mask & VA_SIZE) {
		if (vp->v_type == VDIR)
			return (-EISDIR);
		ia.valid |= P9_SETATTR_SIZE;
		ia.size = (uint64_t)va->va_size;
	}
	if (va->va_mask & VA_ATIME) {
		ia.valid |= P9_SETATTR_ATIME | P9_SETATTR_ATIME_SET;
		ia.atime_sec = va->va_atime.tv_sec;
		ia.atime_nsec = va->va_atime.tv_nsec;
	}
	if (va->va_mask & VA_MTIME) {
		ia.valid |= P9_SETATTR_MTIME | P9_SETATTR_MTIME_SET;
		ia.mtime_sec = va->va_mtime.tv_sec;
		ia.mtime_nsec = va->va_mtime.tv_nsec;
	}
	if (va->va_mask & VA_CTIME)
		ia.valid |= P9_SETATTR_CTIME;
	if (ia.valid == 0)
		return (0);
	error = p9_setattr(VTOMNT(vp), VTOP9(vp)->n_fid, &ia);
	if (error == 0)
		(void)p9fs_refresh(vp);
	return (error);
}

static int
p9fs_open(struct vnode *vp, int oflags)
{
	int acc = oflags & O_ACCMODE, error;
	uint32_t fid;

	if (vp->v_type != VREG && vp->v_type != VDIR)
		return (0);
	/* Revalidate: the host may have changed the file (lseek SEEK_END). */
	if ((error = p9fs_refresh(vp)) != 0)
		return (error);
	if (acc != O_WRONLY && (error = p9fs_iofid(vp, false, &fid)) != 0)
		return (error);
	if (acc != O_RDONLY && (error = p9fs_iofid(vp, true, &fid)) != 0)
		return (error);
	return (0);
}

static int
p9fs_fsync(struct vnode *vp, int datasync)
{
	struct p9_node *np = VTOP9(vp);
	uint32_t fid;
	int error = 0;

#ifdef P9FS_PAGER
	/* Stores through a mapping first: they become Twrites. */
	if (vp->v_object != NULL &&
	    (error = vm_object_page_clean(vp->v_object, 0, 0, true)) != 0)
		return (error);
#endif
	sx_xlock(&np->n_lock);
	fid = np->n_wfid;
	sx_xunlock(&np->n_lock);
	if (fid == P9_NOFID)
		return (0);		/* nothing was written through us */
	return (p9_fsync(VTOMNT(vp), fid, datasync ? 1 : 0));
}

/*
 * What callers see: a reply the client could not parse (-EPROTO: wrong
 * type, bad counts) is the server's fault and reads as EIO, as a dead
 * channel does; the server's own Rlerror codes pass through.
 */
static inline int
p9fs_err(int e)
{
	return (e == -EPROTO || e == -EMSGSIZE ? -EIO : e);
}

#define P9FS_E2(op, T1, T2)						\
static int op##_e(T1 a, T2 b) { return (p9fs_err(op(a, b))); }
#define P9FS_E3(op, T1, T2, T3)						\
static int op##_e(T1 a, T2 b, T3 c) { return (p9fs_err(op(a, b, c))); }
#define P9FS_E5(op, T1, T2, T3, T4, T5)					\
static int op##_e(T1 a, T2 b, T3 c, T4 d, T5 e)				\
{ return (p9fs_err(op(a, b, c, d, e))); }

P9FS_E3(p9fs_lookup, struct vnode *, const char *, struct vnode **)
P9FS_E5(p9fs_create, struct vnode *, const char *, mode_t,
    const struct ucred *, struct vnode **)
P9FS_E5(p9fs_mkdir, struct vnode *, const char *, mode_t,
    const struct ucred *, struct vnode **)
P9FS_E5(p9fs_symlink, struct vnode *, const char *, const char *,
    const struct ucred *, struct vnode **)
P9FS_E2(p9fs_readlink, struct vnode *, struct uio *)
P9FS_E3(p9fs_link, struct vnode *, const char *, struct vnode *)
P9FS_E2(p9fs_remove, struct vnode *, const char *)
P9FS_E2(p9fs_rmdir, struct vnode *, const char *)
P9FS_E5(p9fs_rename, struct vnode *, const char *, struct vnode *,
    const char *, int)
P9FS_E2(p9fs_getattr, struct vnode *, struct vattr *)
P9FS_E2(p9fs_setattr, struct vnode *, const struct vattr *)
P9FS_E3(p9fs_read, struct vnode *, struct uio *, int)
P9FS_E3(p9fs_write, struct vnode *, struct uio *, int)
P9FS_E2(p9fs_readdir, struct vnode *, struct uio *)
P9FS_E2(p9fs_open, struct vnode *, int)
P9FS_E2(p9fs_fsync, struct vnode *, int)
#ifdef P9FS_PAGER
P9FS_E2(p9fs_getpages, struct vnode *, struct vm_page *)
static int
p9fs_putpages_e(struct vnode *vp, struct vm_page **ma, int count, bool sync)
{
	return (p9fs_err(p9fs_putpages(vp, ma, count, sync)));
}
#endif

const struct vnodeops p9fs_vnodeops = {
	.vop_lookup = p9fs_lookup_e,
	.vop_create = p9fs_create_e,
	.vop_mkdir = p9fs_mkdir_e,
	.vop_symlink = p9fs_symlink_e,
	.vop_readlink = p9fs_readlink_e,
	.vop_link = p9fs_link_e,
	.vop_remove = p9fs_remove_e,
	.vop_rmdir = p9fs_rmdir_e,
	.vop_rename = p9fs_rename_e,
	.vop_getattr = p9fs_getattr_e,
	.vop_setattr = p9fs_setattr_e,
	.vop_read = p9fs_read_e,
	.vop_write = p9fs_write_e,
	.vop_readdir = p9fs_readdir_e,
	.vop_open = p9fs_open_e,
	.vop_inactive = p9fs_inactive,
	.vop_fsync = p9fs_fsync_e,
#ifdef P9FS_PAGER
	.vop_getpages = p9fs_getpages_e,
	.vop_putpages = p9fs_putpages_e,
#endif
};
