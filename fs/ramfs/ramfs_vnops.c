/*
 * ramfs_vnops.c: the name space of ramfs, an in-memory file system (the
 * root file system, /tmp, and the body of devfs).
 *
 * Each file is a vnode whose v_data is a ramfs_node; a directory holds a
 * list of ramfs_dirents, each naming a vnode and counting in its v_nlink.
 * A node lives while it is linked or referenced: VOP_INACTIVE frees it
 * once both are gone.  All operations hold the mount's rm_lock (see
 * ramfs.h), so rename can check "not into its own subtree" by walking
 * rn_parent pointers without anything moving underneath.
 */
#include <kernel.h>
#include <kmem.h>
#include <libkern.h>
#include <proc.h>

#include "ramfs.h"

static struct ramfs_dirent *
ramfs_dirlookup(struct vnode *dvp, const char *name)
{
	struct ramfs_dirent *de;

	TAILQ_FOREACH(de, &VTORN(dvp)->rn_dir, rd_link)
		if (strcmp(de->rd_name, name) == 0)
			return (de);
	return (NULL);
}

static int
ramfs_lookup(struct vnode *dvp, const char *name, struct vnode **vpp)
{
	struct ramfs_mount *rm = VTORM(dvp);
	struct ramfs_dirent *de;
	int error = 0;

	if (dvp->v_type != VDIR)
		return (-ENOTDIR);
	sx_xlock(&rm->rm_lock);
	if (strcmp(name, "..") == 0) {
		*vpp = VTORN(dvp)->rn_parent;
		vref(*vpp);
	} else if ((de = ramfs_dirlookup(dvp, name)) != NULL) {
		*vpp = de->rd_vp;
		vref(*vpp);
	} else
		error = -ENOENT;
	sx_xunlock(&rm->rm_lock);
	return (error);
}

/* Make a new node; caller holds rm_lock. */
static struct vnode *
ramfs_newnode(struct mount *mp, enum vtype type, mode_t mode,
    const struct ucred *cred)
{
	struct ramfs_mount *rm = mp->mnt_data;
	struct ramfs_node *rn;
	struct vnode *vp;

	if (rm->rm_used + RAMFS_NODE_COST > rm->rm_maxbytes)
		return (NULL);
	rn = kmalloc(sizeof(*rn), M_WAITOK | M_ZERO);
	if (rn == NULL)
		return (NULL);
	vp = vnalloc(mp, type, &ramfs_vnodeops, rn);
	if (vp == NULL) {
		kfree(rn);
		return (NULL);
	}
	rn->rn_vnode = vp;
	TAILQ_INIT(&rn->rn_dir);
	rn->rn_nextcookie = 2;
	rn->rn_parent = vp;
	vp->v_mode = vttoif(type) | (mode & ALLPERMS);
	vp->v_uid = cred->cr_euid;
	vp->v_gid = cred->cr_egid;
	rm->rm_used += RAMFS_NODE_COST;
	return (vp);
}

static void
ramfs_freenode(struct vnode *vp)
{
	struct ramfs_mount *rm = VTORM(vp);

	ramfs_free_data(vp);
	rm->rm_used -= RAMFS_NODE_COST;
	kfree(vp->v_data);
	vnfree(vp);
}

/* Enter vp in dvp under name; caller holds rm_lock. */
static int
ramfs_dirent_add(struct vnode *dvp, const char *name, struct vnode *vp)
{
	struct ramfs_node *dn = VTORN(dvp);
	struct ramfs_dirent *de;
	size_t nl = strlen(name);

	de = kmalloc(sizeof(*de) + nl + 1, M_WAITOK);
	if (de == NULL)
		return (-ENOSPC);
	memcpy(de->rd_name, name, nl + 1);
	de->rd_vp = vp;
	de->rd_cookie = dn->rn_nextcookie++;
	TAILQ_INSERT_TAIL(&dn->rn_dir, de, rd_link);
	vp->v_nlink++;
	if (vp->v_type == VDIR) {
		VTORN(vp)->rn_parent = dvp;
		dvp->v_nlink++;		/* the child's ".." */
	}
	vfs_timestamp(&dvp->v_mtime);
	dvp->v_ctime = dvp->v_mtime;
	return (0);
}

/* Take de out of dvp; the node is freed later by inactive if unused. */
static void
ramfs_dirent_del(struct vnode *dvp, struct ramfs_dirent *de)
{
	struct vnode *vp = de->rd_vp;

	TAILQ_REMOVE(&VTORN(dvp)->rn_dir, de, rd_link);
	kfree(de);
	vp->v_nlink--;
	if (vp->v_type == VDIR) {
		vp->v_nlink--;		/* its "." */
		dvp->v_nlink--;		/* its ".." */
	}
	vfs_timestamp(&dvp->v_mtime);
	dvp->v_ctime = vp->v_ctime = dvp->v_mtime;
}

static void
ramfs_reap(struct vnode *vp)
{
	if (vp->v_nlink == 0 && vp->v_usecount == 0)
		ramfs_freenode(vp);
}

/* Common body of create, mkdir, mknod, symlink. */
static int
ramfs_make(struct vnode *dvp, const char *name, enum vtype type,
    mode_t mode, dev_t rdev, const char *target, const struct ucred *cred,
    struct vnode **vpp)
{
	struct ramfs_mount *rm = VTORM(dvp);
	struct vnode *vp;
	size_t tl = target != NULL ? strlen(target) + 1 : 0;
	int error;

	if (dvp->v_type != VDIR)
		return (-ENOTDIR);
	sx_xlock(&rm->rm_lock);
	if (dvp->v_nlink == 0) {
		error = -ENOENT;		/* directory was removed */
		goto out;
	}
	if (ramfs_dirlookup(dvp, name) != NULL) {
		error = -EEXIST;
		goto out;
	}
	if (rm->rm_used + tl + RAMFS_NODE_COST > rm->rm_maxbytes ||
	    (vp = ramfs_newnode(dvp->v_mount, type, mode, cred)) == NULL) {
		error = -ENOSPC;
		goto out;
	}
	if (dvp->v_mode & S_ISGID) {
		vp->v_gid = dvp->v_gid;
		if (type == VDIR)
			vp->v_mode |= S_ISGID;
	}
	vp->v_rdev = rdev;
	if (type == VDIR)
		vp->v_nlink = 1;	/* "."; the entry adds one */
	if (target != NULL) {
		VTORN(vp)->rn_target = kmalloc(tl, M_WAITOK);
		if (VTORN(vp)->rn_target == NULL) {
			ramfs_freenode(vp);
			error = -ENOSPC;
			goto out;
		}
		memcpy(VTORN(vp)->rn_target, target, tl);
		vp->v_size = tl - 1;
		rm->rm_used += tl;
	}
	if ((error = ramfs_dirent_add(dvp, name, vp)) != 0) {
		ramfs_freenode(vp);
		goto out;
	}
	vref(vp);
	*vpp = vp;
out:
	sx_xunlock(&rm->rm_lock);
	return (error);
}

static int
ramfs_create(struct vnode *dvp, const char *name, mode_t mode,
    const struct ucred *cred, struct vnode **vpp)
{
	return (ramfs_make(dvp, name, VREG, mode, 0, NULL, cred, vpp));
}

static int
ramfs_mkdir(struct vnode *dvp, const char *name, mode_t mode,
    const struct ucred *cred, struct vnode **vpp)
{
	return (ramfs_make(dvp, name, VDIR, mode, 0, NULL, cred, vpp));
}

static int
ramfs_mknod(struct vnode *dvp, const char *name, mode_t mode, dev_t rdev,
    const struct ucred *cred, struct vnode **vpp)
{
	enum vtype t = iftovt(mode);

	if (t != VREG && t != VCHR && t != VBLK && t != VFIFO && t != VSOCK)
		return (-EINVAL);
	return (ramfs_make(dvp, name, t, mode, rdev, NULL, cred, vpp));
}

static int
ramfs_symlink(struct vnode *dvp, const char *name, const char *target,
    const struct ucred *cred, struct vnode **vpp)
{
	return (ramfs_make(dvp, name, VLNK, 0777, 0, target, cred, vpp));
}

static int
ramfs_link(struct vnode *dvp, const char *name, struct vnode *vp)
{
	struct ramfs_mount *rm = VTORM(dvp);
	int error;

	if (vp->v_type == VDIR)
		return (-EPERM);
	if (vp->v_mount != dvp->v_mount)
		return (-EXDEV);
	sx_xlock(&rm->rm_lock);
	if (dvp->v_nlink == 0 || vp->v_nlink == 0)
		error = -ENOENT;
	else if (ramfs_dirlookup(dvp, name) != NULL)
		error = -EEXIST;
	else
		error = ramfs_dirent_add(dvp, name, vp);
	if (error == 0)
		vp->v_ctime = dvp->v_mtime;
	sx_xunlock(&rm->rm_lock);
	return (error);
}

static int
ramfs_remove(struct vnode *dvp, const char *name)
{
	struct ramfs_mount *rm = VTORM(dvp);
	struct ramfs_dirent *de;
	struct vnode *vp;
	int error = 0;

	sx_xlock(&rm->rm_lock);
	if ((de = ramfs_dirlookup(dvp, name)) == NULL)
		error = -ENOENT;
	else if (de->rd_vp->v_type == VDIR)
		error = -EISDIR;
	else {
		vp = de->rd_vp;
		ramfs_dirent_del(dvp, de);
		ramfs_reap(vp);
	}
	sx_xunlock(&rm->rm_lock);
	return (error);
}

static int
ramfs_rmdir(struct vnode *dvp, const char *name)
{
	struct ramfs_mount *rm = VTORM(dvp);
	struct ramfs_dirent *de;
	struct vnode *vp;
	int error = 0;

	sx_xlock(&rm->rm_lock);
	if ((de = ramfs_dirlookup(dvp, name)) == NULL)
		error = -ENOENT;
	else if ((vp = de->rd_vp)->v_type != VDIR)
		error = -ENOTDIR;
	else if (!TAILQ_EMPTY(&VTORN(vp)->rn_dir))
		error = -ENOTEMPTY;
	else if (vp->v_mountedhere != NULL)
		error = -EBUSY;
	else {
		ramfs_dirent_del(dvp, de);
		ramfs_reap(vp);
	}
	sx_xunlock(&rm->rm_lock);
	return (error);
}

/*
 * rename(2) semantics: a directory may replace only an empty directory, a
 * non-directory only a non-directory; a directory may not move below
 * itself (EINVAL); renaming a file onto another link of itself does
 * nothing.  With RENAME_NOREPLACE an existing target is EEXIST.
 */
static int
ramfs_rename(struct vnode *fdvp, const char *fname, struct vnode *tdvp,
    const char *tname, int flags)
{
	struct ramfs_mount *rm = VTORM(fdvp);
	struct ramfs_dirent *fde, *tde;
	struct vnode *vp, *tvp = NULL, *p;
	int error = 0;

	if (fdvp->v_mount != tdvp->v_mount)
		return (-EXDEV);
	if (flags & ~RENAME_NOREPLACE)
		return (-EINVAL);
	sx_xlock(&rm->rm_lock);
	if ((fde = ramfs_dirlookup(fdvp, fname)) == NULL ||
	    tdvp->v_nlink == 0) {
		error = -ENOENT;
		goto out;
	}
	vp = fde->rd_vp;
	tde = ramfs_dirlookup(tdvp, tname);
	if (tde != NULL) {
		tvp = tde->rd_vp;
		if (flags & RENAME_NOREPLACE) {
			error = -EEXIST;
			goto out;
		}
		if (tvp == vp)
			goto out;		/* same file: nothing to do */
		if (vp->v_type == VDIR && tvp->v_type != VDIR) {
			error = -ENOTDIR;
			goto out;
		}
		if (vp->v_type != VDIR && tvp->v_type == VDIR) {
			error = -EISDIR;
			goto out;
		}
		if (tvp->v_type == VDIR &&
		    !TAILQ_EMPTY(&VTORN(tvp)->rn_dir)) {
			error = -ENOTEMPTY;
			goto out;
		}
		if (tvp->v_mountedhere != NULL) {
			error = -EBUSY;
			goto out;
		}
	}
	if (vp->v_type == VDIR) {
		if (vp->v_mountedhere != NULL) {
			error = -EBUSY;
			goto out;
		}
		/* Walk up from the target directory: is vp an ancestor? */
		for (p = tdvp;; p = VTORN(p)->rn_parent) {
			if (p == vp) {
				error = -EINVAL;
				goto out;
			}
			if (VTORN(p)->rn_parent == p)
				break;
		}
	}
	vref(vp);			/* keep it through the unlink */
	if (tde != NULL) {
		ramfs_dirent_del(tdvp, tde);
		ramfs_reap(tvp);
	}
	ramfs_dirent_del(fdvp, fde);
	error = ramfs_dirent_add(tdvp, tname, vp);
	if (error == 0 && vp->v_type == VDIR)
		vp->v_nlink++;		/* its "." again */
	KASSERT(error == 0 || vp->v_nlink == 0, "rename lost a link");
	vp->v_ctime = tdvp->v_mtime;
	sx_xunlock(&rm->rm_lock);
	vrele(vp);
	return (error);
out:
	sx_xunlock(&rm->rm_lock);
	return (error);
}

static int
ramfs_setattr(struct vnode *vp, const struct vattr *va)
{
	struct ramfs_mount *rm = VTORM(vp);
	int error = 0;

	sx_xlock(&rm->rm_lock);
	if ((va->va_mask & VA_SIZE) &&
	    (error = ramfs_truncate_locked(vp, va->va_size)) != 0)
		goto out;
	if (va->va_mask & VA_MODE)
		vp->v_mode = (vp->v_mode & S_IFMT) | (va->va_mode & ALLPERMS);
	if (va->va_mask & VA_UID)
		vp->v_uid = va->va_uid;
	if (va->va_mask & VA_GID)
		vp->v_gid = va->va_gid;
	if (va->va_mask & VA_ATIME)
		vp->v_atime = va->va_atime;
	if (va->va_mask & VA_MTIME)
		vp->v_mtime = va->va_mtime;
	vfs_timestamp(&vp->v_ctime);
out:
	sx_xunlock(&rm->rm_lock);
	return (error);
}

static void
ramfs_inactive(struct vnode *vp)
{
	struct ramfs_mount *rm = VTORM(vp);

	sx_xlock(&rm->rm_lock);
	ramfs_reap(vp);
	sx_xunlock(&rm->rm_lock);
}

const struct vnodeops ramfs_vnodeops = {
	.vop_lookup = ramfs_lookup,
	.vop_create = ramfs_create,
	.vop_mkdir = ramfs_mkdir,
	.vop_mknod = ramfs_mknod,
	.vop_symlink = ramfs_symlink,
	.vop_readlink = ramfs_readlink,
	.vop_link = ramfs_link,
	.vop_remove = ramfs_remove,
	.vop_rmdir = ramfs_rmdir,
	.vop_rename = ramfs_rename,
	.vop_setattr = ramfs_setattr,
	.vop_read = ramfs_read,
	.vop_write = ramfs_write,
	.vop_readdir = ramfs_readdir,
	.vop_inactive = ramfs_inactive,
};

/* Mount options: "size=N[k|m|g]" limits the bytes the mount may hold. */
static const char *
strstr_size(const char *data)
{
	for (const char *d = data; *d != '\0'; d++)
		if ((d == data || d[-1] == ',') && strncmp(d, "size=", 5) == 0)
			return (d + 5);
	return (NULL);
}

static uint64_t
ramfs_parse_size(const char *data)
{
	const char *p;
	char *end;
	uint64_t v;

	if (data == NULL || (p = strstr_size(data)) == NULL)
		return (RAMFS_DEFAULT_MAX);
	v = strtoul(p, &end, 10);
	switch (*end) {
	case 'k': case 'K': v <<= 10; break;
	case 'm': case 'M': v <<= 20; break;
	case 'g': case 'G': v <<= 30; break;
	}
	return (v == 0 ? RAMFS_DEFAULT_MAX : v);
}

int
ramfs_mount_common(struct mount *mp, const char *data, int64_t magic)
{
	static const struct ucred root;
	struct ramfs_mount *rm;
	struct vnode *vp;

	rm = kmalloc(sizeof(*rm), M_WAITOK | M_ZERO);
	if (rm == NULL)
		return (-ENOMEM);
	sx_init(&rm->rm_lock, "ramfs");
	rm->rm_maxbytes = ramfs_parse_size(data);
	rm->rm_magic = magic;
	mp->mnt_data = rm;
	if ((vp = ramfs_newnode(mp, VDIR, 0755, &root)) == NULL) {
		kfree(rm);
		return (-ENOMEM);
	}
	vp->v_nlink = 2;
	vref(vp);
	mp->mnt_root = vp;
	return (0);
}

/* Free a whole tree; nothing in it is referenced (vfs checked). */
static void
ramfs_freetree(struct vnode *dvp)
{
	struct ramfs_dirent *de;
	struct vnode *vp;

	while ((de = TAILQ_FIRST(&VTORN(dvp)->rn_dir)) != NULL) {
		vp = de->rd_vp;
		if (vp->v_type == VDIR)
			ramfs_freetree(vp);
		ramfs_dirent_del(dvp, de);
		ramfs_reap(vp);
	}
}

int
ramfs_unmount(struct mount *mp, int flags)
{
	struct ramfs_mount *rm = mp->mnt_data;
	struct vnode *root = mp->mnt_root;

	sx_xlock(&rm->rm_lock);
	ramfs_freetree(root);
	sx_xunlock(&rm->rm_lock);
	root->v_nlink = 0;
	vrele(root);		/* the mount's reference: frees it */
	kfree(rm);
	return (0);
}

int
ramfs_statfs(struct mount *mp, struct statfs *sfp)
{
	struct ramfs_mount *rm = mp->mnt_data;

	sfp->f_type = rm->rm_magic;
	sfp->f_blocks = rm->rm_maxbytes / PAGE_SIZE;
	sfp->f_bfree = sfp->f_bavail =
	    (rm->rm_maxbytes - MIN(rm->rm_used, rm->rm_maxbytes)) / PAGE_SIZE;
	sfp->f_files = rm->rm_maxbytes / RAMFS_NODE_COST;
	sfp->f_ffree = (rm->rm_maxbytes - MIN(rm->rm_used, rm->rm_maxbytes)) /
	    RAMFS_NODE_COST;
	return (0);
}

static int
ramfs_vfs_mount(struct mount *mp, const char *data)
{
	return (ramfs_mount_common(mp, data, RAMFS_MAGIC));
}

static int
tmpfs_vfs_mount(struct mount *mp, const char *data)
{
	return (ramfs_mount_common(mp, data, TMPFS_MAGIC));
}

const struct vfsops ramfs_vfsops = {
	.vfs_name = "ramfs",
	.vfs_mount = ramfs_vfs_mount,
	.vfs_unmount = ramfs_unmount,
	.vfs_statfs = ramfs_statfs,
};

const struct vfsops tmpfs_vfsops = {
	.vfs_name = "tmpfs",
	.vfs_mount = tmpfs_vfs_mount,
	.vfs_unmount = ramfs_unmount,
	.vfs_statfs = ramfs_statfs,
};
