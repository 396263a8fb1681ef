/*
 * vfs_subr.c: vnode life, the mount table, file system types, access
 * checks (FreeBSD kern/vfs_subr.c, vfs_mount.c).
 *
 * The one idea: a vnode is freed only by its file system (VOP_INACTIVE,
 * called when the last reference goes) because only the fs knows whether
 * the file is still linked.  The mount table is a list under vfs_mtx; a
 * mount covers a directory vnode (v_mountedhere) which namei crosses.
 * Each mount counts its vnodes that have references, so umount can answer
 * EBUSY while anything inside is open or is someone's cwd.
 */
#include <cdev.h>
#include <clock.h>
#include <kernel.h>
#include <kmem.h>
#include <libkern.h>
#include <proc.h>
#include <vnode.h>
#include <vnode_pager.h>

struct mntlist mountlist = TAILQ_HEAD_INITIALIZER(mountlist);
struct spinlock vfs_mtx = SPINLOCK_INIT("vfs");
struct vnode *rootvnode;
uint64_t numvnodes;		/* atomic: live vnodes (/dev/kstat) */

static const struct vfsops *vfs_types[16];	/* vfs_mtx */
static int vfs_nextdev = 1;			/* vfs_mtx: anonymous minors */

static const struct ucred root_cred;		/* all zero: root */

const struct ucred *
vfs_cred(void)
{
	if (curthread != NULL && curthread->td_proc != NULL)
		return (&curthread->td_proc->p_ucred);
	return (&root_cred);
}

mode_t
vfs_umask(void)
{
	if (curthread != NULL && curthread->td_proc != NULL)
		return (curthread->td_proc->p_umask);
	return (022);
}

void
vfs_timestamp(struct timespec *ts)
{
	uint64_t ns = nanotime();

	ts->tv_sec = ns / NSEC_PER_SEC;
	ts->tv_nsec = ns % NSEC_PER_SEC;
}

enum vtype
iftovt(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG: return (VREG);
	case S_IFDIR: return (VDIR);
	case S_IFLNK: return (VLNK);
	case S_IFCHR: return (VCHR);
	case S_IFBLK: return (VBLK);
	case S_IFIFO: return (VFIFO);
	case S_IFSOCK: return (VSOCK);
	}
	return (VNON);
}

mode_t
vttoif(enum vtype t)
{
	static const mode_t m[] = { 0, S_IFREG, S_IFDIR, S_IFLNK, S_IFCHR,
		S_IFBLK, S_IFIFO, S_IFSOCK };

	return (m[t]);
}

int
vttodt(enum vtype t)
{
	static const int d[] = { DT_UNKNOWN, DT_REG, DT_DIR, DT_LNK, DT_CHR,
		DT_BLK, DT_FIFO, DT_SOCK };

	return (d[t]);
}

struct vnode *
vnalloc(struct mount *mp, enum vtype type, const struct vnodeops *ops,
    void *data)
{
	struct vnode *vp;

	vp = kmalloc(sizeof(*vp), M_WAITOK | M_ZERO);
	if (vp == NULL)
		return (NULL);
	__atomic_add_fetch(&numvnodes, 1, __ATOMIC_RELAXED);
	spin_init(&vp->v_interlock, "vnode");
	vp->v_type = type;
	vp->v_op = ops;
	vp->v_mount = mp;
	vp->v_data = data;
	if (mp != NULL) {
		spin_lock(&vfs_mtx);
		vp->v_ino = ++mp->mnt_nextino;
		spin_unlock(&vfs_mtx);
	}
	vfs_timestamp(&vp->v_atime);
	vp->v_mtime = vp->v_ctime = vp->v_atime;
	vp->v_mode = vttoif(type);
	return (vp);
}

void
vnfree(struct vnode *vp)
{
	KASSERT(vp->v_usecount == 0, "vnfree of a referenced vnode");
	if (vp->v_object != NULL)
		vnode_pager_vnode_gone(vp);	/* no mapping left: frees it */
	__atomic_sub_fetch(&numvnodes, 1, __ATOMIC_RELAXED);
	kfree(vp);
}

void
vref(struct vnode *vp)
{
	spin_lock(&vp->v_interlock);
	if (vp->v_usecount++ == 0 && vp->v_mount != NULL)
		__atomic_add_fetch(&vp->v_mount->mnt_nactive, 1,
		    __ATOMIC_RELAXED);
	spin_unlock(&vp->v_interlock);
}

void
vrele(struct vnode *vp)
{
	bool last;

	if (vp == NULL)
		return;
	spin_lock(&vp->v_interlock);
	KASSERT(vp->v_usecount > 0, "vrele: no references");
	last = (--vp->v_usecount == 0);
	spin_unlock(&vp->v_interlock);
	if (last) {
		struct mount *mp = vp->v_mount;

		/*
		 * The vnode counts as active until its inactive routine is
		 * done: that may still talk to the file system (9P clunks
		 * its fids, writes back mapped pages), so an unmount must
		 * not free the mount under it (found by the 9P fuzzer: an
		 * exiting process's Tclunk waited on a freed channel).
		 */
		if (vp->v_op->vop_inactive != NULL)
			vp->v_op->vop_inactive(vp);
		if (mp != NULL)
			__atomic_sub_fetch(&mp->mnt_nactive, 1,
			    __ATOMIC_RELAXED);
	}
}

int
VOP_GETATTR(struct vnode *vp, struct vattr *va)
{
	if (vp->v_op->vop_getattr != NULL)
		return (vp->v_op->vop_getattr(vp, va));
	memset(va, 0, sizeof(*va));
	va->va_type = vp->v_type;
	va->va_mode = vp->v_mode;
	va->va_uid = vp->v_uid;
	va->va_gid = vp->v_gid;
	va->va_nlink = vp->v_nlink;
	va->va_size = vp->v_size;
	va->va_ino = vp->v_ino;
	va->va_rdev = vp->v_rdev;
	va->va_fsid = vp->v_mount != NULL ? vp->v_mount->mnt_dev : 0;
	va->va_blocks = howmany(vp->v_size, 512);
	va->va_blksize = PAGE_SIZE;
	va->va_atime = vp->v_atime;
	va->va_mtime = vp->v_mtime;
	va->va_ctime = vp->v_ctime;
	return (0);
}

int
VOP_OPEN(struct vnode *vp, int oflags)
{
	return (vp->v_op->vop_open == NULL ? 0 : vp->v_op->vop_open(vp, oflags));
}

int
VOP_FSYNC(struct vnode *vp, int datasync)
{
	return (vp->v_op->vop_fsync == NULL ? 0 :
	    vp->v_op->vop_fsync(vp, datasync));
}

int
VOP_CLOSE(struct vnode *vp, int oflags)
{
	return (vp->v_op->vop_close == NULL ? 0 :
	    vp->v_op->vop_close(vp, oflags));
}

static bool
groupmember(gid_t gid, const struct ucred *cr)
{
	if (gid == cr->cr_egid)
		return (true);
	for (int i = 0; i < cr->cr_ngroups && i < (int)nitems(cr->cr_groups);
	     i++)
		if (cr->cr_groups[i] == gid)
			return (true);
	return (false);
}

/*
 * The classic Unix check: the owner's bits if we own it, else the group's
 * if we are in the group, else the others'.  Root may read and write
 * anything and execute anything that has some x bit (or is a directory).
 */
int
vaccess(struct vnode *vp, int mode, const struct ucred *cr)
{
	mode_t m = vp->v_mode, bits;

	mode &= R_OK | W_OK | X_OK;
	if (cr->cr_euid == 0) {
		if ((mode & X_OK) && vp->v_type != VDIR &&
		    (m & (S_IXUSR | 0011)) == 0)
			return (-EACCES);
		return (0);
	}
	if (cr->cr_euid == vp->v_uid)
		bits = (m >> 6) & 7;
	else if (groupmember(vp->v_gid, cr))
		bits = (m >> 3) & 7;
	else
		bits = m & 7;
	return ((bits & mode) == mode ? 0 : -EACCES);
}

int
vfs_dirent_emit(struct uio *uio, const char *name, ino_t ino, int dtype,
    off_t nextoff)
{
	char rec[sizeof(struct linux_dirent64) + NAME_MAX + 1 + 8];
	struct linux_dirent64 *d = (struct linux_dirent64 *)rec;
	size_t namlen = strlen(name), reclen;
	int error;

	reclen = roundup2(offsetof(struct linux_dirent64, d_name) + namlen + 1,
	    8);
	if (reclen > (size_t)uio->uio_resid)
		return (1);
	memset(rec, 0, reclen);
	d->d_ino = ino;
	d->d_off = nextoff;
	d->d_reclen = reclen;
	d->d_type = dtype;
	memcpy(d->d_name, name, namlen);
	if ((error = uiomove(rec, reclen, uio)) != 0)
		return (error);
	uio->uio_offset = nextoff;	/* a cookie, not a byte count */
	return (0);
}

/* File system types. */

int
vfs_register(const struct vfsops *vfsp)
{
	int error = -ENOMEM;

	spin_lock(&vfs_mtx);
	for (size_t i = 0; i < nitems(vfs_types); i++) {
		if (vfs_types[i] == vfsp) {
			error = 0;
			break;
		}
		if (vfs_types[i] == NULL) {
			vfs_types[i] = vfsp;
			error = 0;
			break;
		}
	}
	spin_unlock(&vfs_mtx);
	return (error);
}

/* The i-th registered type, or NULL past the end (/proc/filesystems). */
const struct vfsops *
vfs_type_at(int i)
{
	const struct vfsops *v = NULL;

	spin_lock(&vfs_mtx);
	if (i >= 0 && i < (int)nitems(vfs_types))
		v = vfs_types[i];
	spin_unlock(&vfs_mtx);
	return (v);
}

const struct vfsops *
vfs_byname(const char *name)
{
	const struct vfsops *v = NULL;

	spin_lock(&vfs_mtx);
	for (size_t i = 0; i < nitems(vfs_types) && vfs_types[i]; i++)
		if (strcmp(vfs_types[i]->vfs_name, name) == 0) {
			v = vfs_types[i];
			break;
		}
	spin_unlock(&vfs_mtx);
	return (v);
}

int
vfs_mount_detached(const char *type, const char *data, struct mount **mpp)
{
	return (vfs_mount_detached_from(type, NULL, data, mpp));
}

int
vfs_mount_detached_from(const char *type, const char *source,
    const char *data, struct mount **mpp)
{
	const struct vfsops *ops = vfs_byname(type);
	struct mount *mp;
	int error;

	if (ops == NULL)
		return (-ENODEV);
	mp = kmalloc(sizeof(*mp), M_WAITOK | M_ZERO);
	if (mp == NULL)
		return (-ENOMEM);
	mp->mnt_op = ops;
	strlcpy(mp->mnt_type, type, sizeof(mp->mnt_type));
	strlcpy(mp->mnt_from, source != NULL ? source : type,
	    sizeof(mp->mnt_from));
	spin_lock(&vfs_mtx);
	mp->mnt_dev = makedev(0, vfs_nextdev++);
	spin_unlock(&vfs_mtx);
	error = ops->vfs_mount(mp, data);
	if (error != 0) {
		kfree(mp);
		return (error);
	}
	*mpp = mp;
	return (0);
}

int
vfs_mount(const char *type, const char *path, const char *data, int flags)
{
	return (vfs_mount_from(type, NULL, path, data, flags));
}

int
vfs_mount_from(const char *type, const char *source, const char *path,
    const char *data, int flags)
{
	struct nameidata nd;
	struct mount *mp;
	struct vnode *vp = NULL;
	int error;

	if (path != NULL && rootvnode != NULL) {
		ni_init(&nd, path, NI_FOLLOW, NULL);
		if ((error = namei(&nd)) != 0)
			return (error);
		vp = nd.ni_vp;
		if (vp->v_type != VDIR) {
			vrele(vp);
			return (-ENOTDIR);
		}
		if (vp->v_mountedhere != NULL) {
			vrele(vp);
			return (-EBUSY);
		}
	} else if (rootvnode != NULL)
		return (-EBUSY);
	if ((error = vfs_mount_detached_from(type, source, data, &mp)) != 0) {
		vrele(vp);
		return (error);
	}
	mp->mnt_flag = flags & MS_RDONLY;
	/*
	 * /proc/mounts shows where the mount sits from the root, not the
	 * path as given ("." or "d0" relative to the caller's directory).
	 * A path too long for mnt_path keeps its start, as given.
	 */
	if (vp == NULL || vn_fullpath(vp, mp->mnt_path,
	    sizeof(mp->mnt_path)) != 0)
		strlcpy(mp->mnt_path, path != NULL ? path : "/",
		    sizeof(mp->mnt_path));
	spin_lock(&vfs_mtx);
	mp->mnt_vnodecovered = vp;	/* keeps nd's reference */
	if (vp != NULL)
		vp->v_mountedhere = mp;
	TAILQ_INSERT_TAIL(&mountlist, mp, mnt_list);
	mp->mnt_listed = true;
	spin_unlock(&vfs_mtx);
	if (vp == NULL) {
		vref(mp->mnt_root);
		rootvnode = mp->mnt_root;
	}
	return (0);
}

int
vfs_unmount_mp(struct mount *mp, int flags)
{
	int error;

	/* Only the mount's own reference on its root may remain. */
	if (mp->mnt_nactive > 1 || mp->mnt_root->v_usecount > 1)
		return (-EBUSY);
	spin_lock(&vfs_mtx);
	if (mp->mnt_listed)
		TAILQ_REMOVE(&mountlist, mp, mnt_list);
	if (mp->mnt_vnodecovered != NULL)
		mp->mnt_vnodecovered->v_mountedhere = NULL;
	spin_unlock(&vfs_mtx);
	error = mp->mnt_op->vfs_unmount(mp, flags);
	KASSERT(error == 0, "vfs_unmount: fs refused after the busy check");
	vrele(mp->mnt_vnodecovered);
	kfree(mp);
	return (0);
}

int
vfs_unmount_path(const char *path, int flags)
{
	struct nameidata nd;
	struct mount *mp;
	int error;

	ni_init(&nd, path, NI_FOLLOW, NULL);
	if ((error = namei(&nd)) != 0)
		return (error);
	mp = nd.ni_vp->v_mount;
	if (mp == NULL || mp->mnt_root != nd.ni_vp) {
		vrele(nd.ni_vp);
		return (-EINVAL);	/* not a mount point */
	}
	if (mp->mnt_vnodecovered == NULL) {
		vrele(nd.ni_vp);
		return (-EBUSY);	/* the root */
	}
	vrele(nd.ni_vp);
	return (vfs_unmount_mp(mp, flags));
}

int
vfs_statfs(struct mount *mp, struct statfs *sfp)
{
	memset(sfp, 0, sizeof(*sfp));
	sfp->f_namelen = NAME_MAX;
	sfp->f_bsize = sfp->f_frsize = PAGE_SIZE;
	sfp->f_fsid[0] = (int32_t)mp->mnt_dev;
	sfp->f_flags = mp->mnt_flag;
	if (mp->mnt_op->vfs_statfs != NULL)
		return (mp->mnt_op->vfs_statfs(mp, sfp));
	return (0);
}
