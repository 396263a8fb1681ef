/*
 * vfs_attr.c: the system calls about attributes -- stat and its family,
 * statx, statfs, access, chmod, chown, utimensat, truncate.
 *
 * Reading attributes needs only search permission on the path; changing
 * them follows the Unix rules: the owner or root may chmod and set times,
 * only root may give a file away, and anyone with write permission may
 * set both times to "now".  struct stat and friends have the Linux
 * x86-64 layouts of include/uapi/stat.h.
 */
#include <file.h>
#include <kernel.h>
#include <kmem.h>
#include <libkern.h>
#include <proc.h>
#include <trap.h>
#include <vnode.h>

/*
 * Resolve (dirfd, path, AT_* flags) to a referenced vnode: a final
 * symlink is followed unless AT_SYMLINK_NOFOLLOW; AT_EMPTY_PATH with ""
 * names dirfd itself.
 */
static int
lookup_at(int dirfd, const char *path, int atflags, struct vnode **vpp)
{
	struct nameidata nd;
	int error, nf = 0;

	if (!(atflags & AT_SYMLINK_NOFOLLOW))
		nf |= NI_FOLLOW;
	if (atflags & AT_EMPTY_PATH)
		nf |= NI_EMPTYPATH;
	if (path[0] == '\0' && (atflags & AT_EMPTY_PATH) && dirfd == AT_FDCWD) {
		ni_init(&nd, ".", 0, NULL);
		if ((error = namei(&nd)) != 0)
			return (error);
		*vpp = nd.ni_vp;
		return (0);
	}
	if (path[0] == '\0' && (atflags & AT_EMPTY_PATH)) {
		/* Any file, not only a directory (fstatat(fd, "")). */
		struct file *fp;

		if ((error = fget(dirfd, &fp)) != 0)
			return (error);
		if (fp->f_vnode == NULL) {
			fdrop(fp);
			return (-ENOENT);	/* pipes: caller uses fstat */
		}
		*vpp = fp->f_vnode;
		vref(*vpp);
		fdrop(fp);
		return (0);
	}
	if ((error = namei_at(dirfd, path, nf, &nd)) != 0)
		return (error);
	*vpp = nd.ni_vp;
	return (0);
}

/* lookup_at on a user-space path (EFAULT, ENAMETOOLONG from user_path). */
static int
user_lookup_at(int dirfd, const char *upath, int atflags, struct vnode **vpp)
{
	char *path;
	int error;

	if ((error = user_path(upath, &path)) != 0)
		return (error);
	error = lookup_at(dirfd, path, atflags, vpp);
	kfree(path);
	return (error);
}

int
kern_fstatat(int dirfd, const char *path, int flag, struct stat *sb)
{
	struct vnode *vp;
	struct file *fp;
	int error;

	if (flag & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT))
		return (-EINVAL);
	if (path[0] == '\0' && (flag & AT_EMPTY_PATH) && dirfd != AT_FDCWD) {
		if ((error = fget(dirfd, &fp)) != 0)
			return (error);
		error = fp->f_ops->fo_stat != NULL ?
		    fp->f_ops->fo_stat(fp, sb) : -EBADF;
		fdrop(fp);
		return (error);
	}
	if ((error = lookup_at(dirfd, path, flag, &vp)) != 0)
		return (error);
	vn_stat(vp, sb);
	vrele(vp);
	return (0);
}

static long
stat_out(long error, struct stat *sb, struct stat *usb)
{
	if (error != 0)
		return (error);
	return (copyout(sb, usb, sizeof(*sb)));
}

/* newfstatat(2): EINVAL bad flags; ENOENT (also "" without
 * AT_EMPTY_PATH); ENOTDIR; ELOOP; EACCES; EBADF bad dirfd; EFAULT. */
long
sys_newfstatat(int dirfd, const char *path, struct stat *usb, int flag)
{
	struct stat sb;

	return (stat_out(PATHCALL(path, kern_fstatat(dirfd, path_, flag,
	    &sb)), &sb, usb));
}

/* stat(2), lstat(2): newfstatat(AT_FDCWD, ...) following or not. */
long
sys_stat(const char *path, struct stat *usb)
{
	return (sys_newfstatat(AT_FDCWD, path, usb, 0));
}

long
sys_lstat(const char *path, struct stat *usb)
{
	return (sys_newfstatat(AT_FDCWD, path, usb, AT_SYMLINK_NOFOLLOW));
}

/* fstat(2): EBADF; EFAULT. */
long
sys_fstat(int fd, struct stat *usb)
{
	struct stat sb;
	struct file *fp;
	long error;

	if ((error = fget(fd, &fp)) != 0)
		return (error);
	error = fp->f_ops->fo_stat != NULL ? fp->f_ops->fo_stat(fp, &sb) :
	    -EBADF;
	fdrop(fp);
	return (stat_out(error, &sb, usb));
}

static void
ts_to_stx(struct statx_timestamp *x, const struct timespec *ts)
{
	x->tv_sec = ts->tv_sec;
	x->tv_nsec = (uint32_t)ts->tv_nsec;
}

/* statx(2): as newfstatat (EINVAL for bad flags or mask bit 31);
 * every basic field is always filled. */
long
sys_statx(int dirfd, const char *path, int flags, unsigned mask,
    struct statx *usx)
{
	struct statx sx;
	struct stat sb;
	long r;

	if (mask & 0x80000000u)
		return (-EINVAL);
	/* AT_STATX_SYNC_TYPE bits (0x6000) are hints. */
	r = PATHCALL(path, kern_fstatat(dirfd, path_, flags & ~0x6000, &sb));
	if (r != 0)
		return (r);
	memset(&sx, 0, sizeof(sx));
	sx.stx_mask = STATX_BASIC_STATS;
	sx.stx_blksize = sb.st_blksize;
	sx.stx_nlink = sb.st_nlink;
	sx.stx_uid = sb.st_uid;
	sx.stx_gid = sb.st_gid;
	sx.stx_mode = sb.st_mode;
	sx.stx_ino = sb.st_ino;
	sx.stx_size = sb.st_size;
	sx.stx_blocks = sb.st_blocks;
	ts_to_stx(&sx.stx_atime, &sb.st_atim);
	ts_to_stx(&sx.stx_mtime, &sb.st_mtim);
	ts_to_stx(&sx.stx_ctime, &sb.st_ctim);
	sx.stx_rdev_major = (sb.st_rdev >> 8) & 0xfff;
	sx.stx_rdev_minor = (sb.st_rdev & 0xff) | ((sb.st_rdev >> 12) & ~0xff);
	sx.stx_dev_major = (sb.st_dev >> 8) & 0xfff;
	sx.stx_dev_minor = (sb.st_dev & 0xff) | ((sb.st_dev >> 12) & ~0xff);
	return (copyout(&sx, usx, sizeof(sx)));
}

/* statfs(2): ENOENT; ENOTDIR; EACCES; EFAULT. */
long
sys_statfs(const char *upath, struct statfs *ubuf)
{
	struct statfs sf;
	struct vnode *vp;
	long r;

	if ((r = user_lookup_at(AT_FDCWD, upath, 0, &vp)) != 0)
		return (r);
	r = vfs_statfs(vp->v_mount, &sf);
	vrele(vp);
	return (r != 0 ? r : copyout(&sf, ubuf, sizeof(sf)));
}

/* fstatfs(2): EBADF; EFAULT.  Pipes report pipefs. */
long
sys_fstatfs(int fd, struct statfs *ubuf)
{
	struct statfs sf;
	struct file *fp;
	long r = 0;

	if ((r = fget(fd, &fp)) != 0)
		return (r);
	if (fp->f_vnode != NULL)
		r = vfs_statfs(fp->f_vnode->v_mount, &sf);
	else {
		memset(&sf, 0, sizeof(sf));
		sf.f_type = 0x50495045;		/* PIPEFS_MAGIC */
		sf.f_bsize = sf.f_frsize = PAGE_SIZE;
		sf.f_namelen = NAME_MAX;
	}
	fdrop(fp);
	return (r != 0 ? r : copyout(&sf, ubuf, sizeof(sf)));
}

/*
 * faccessat2(2): checks with the real uid/gid (AT_EACCESS: the effective
 * ones).  EINVAL bad mode or flags; ENOENT; ENOTDIR; EACCES denied; EROFS
 * W_OK on a read-only mount; ELOOP; EFAULT.
 */
long
sys_faccessat2(int dirfd, const char *upath, int mode, int flags)
{
	struct ucred cr = *vfs_cred();
	struct vnode *vp;
	long r;

	if (mode & ~(R_OK | W_OK | X_OK))
		return (-EINVAL);
	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return (-EINVAL);
	if (!(flags & AT_EACCESS)) {
		cr.cr_euid = cr.cr_uid;
		cr.cr_egid = cr.cr_gid;
	}
	if ((r = user_lookup_at(dirfd, upath, flags & ~AT_EACCESS, &vp)) != 0)
		return (r);
	r = vaccess(vp, mode, &cr);
	if (r == 0 && (mode & W_OK) && vp->v_mount != NULL &&
	    (vp->v_mount->mnt_flag & MS_RDONLY))
		r = -EROFS;
	vrele(vp);
	return (r);
}

long
sys_faccessat(int dirfd, const char *path, int mode)
{
	return (sys_faccessat2(dirfd, path, mode, 0));
}

long
sys_access(const char *path, int mode)
{
	return (sys_faccessat2(AT_FDCWD, path, mode, 0));
}

static bool
owner_or_root(struct vnode *vp)
{
	const struct ucred *cr = vfs_cred();

	return (cr->cr_euid == 0 || cr->cr_euid == vp->v_uid);
}

static int
vn_chmod(struct vnode *vp, mode_t mode)
{
	struct vattr va = { .va_mask = VA_MODE, .va_mode = mode & ALLPERMS };

	if (!owner_or_root(vp))
		return (-EPERM);
	if (vp->v_mount != NULL && (vp->v_mount->mnt_flag & MS_RDONLY))
		return (-EROFS);
	return (vn_setattr(vp, &va));
}

/*
 * chown(2)'s rules for an object whose mode, owner and group are in cur:
 * the change to make in *va, or -EPERM.  Only root gives an object away;
 * the owner may pick one of its own groups; a chown by anyone else but
 * root clears the set-id bits (of anything but a directory).
 */
static int
chown_check(const struct vattr *cur, uid_t uid, gid_t gid, struct vattr *va)
{
	const struct ucred *cr = vfs_cred();

	memset(va, 0, sizeof(*va));
	if (uid != (uid_t)-1 && uid != cur->va_uid) {
		if (cr->cr_euid != 0)
			return (-EPERM);
		va->va_mask |= VA_UID;
		va->va_uid = uid;
	}
	if (gid != (gid_t)-1 && gid != cur->va_gid) {
		bool member = (gid == cr->cr_egid);

		for (int i = 0; i < cr->cr_ngroups && i < 16; i++)
			member = member || cr->cr_groups[i] == gid;
		if (cr->cr_euid != 0 &&
		    (cr->cr_euid != cur->va_uid || !member))
			return (-EPERM);
		va->va_mask |= VA_GID;
		va->va_gid = gid;
	}
	if (cr->cr_euid != 0 && cr->cr_euid != cur->va_uid &&
	    va->va_mask == 0)
		return (-EPERM);
	if (cur->va_type != VDIR && cr->cr_euid != 0 && va->va_mask != 0) {
		va->va_mask |= VA_MODE;
		va->va_mode = cur->va_mode & ~(S_ISUID | S_ISGID);
	}
	return (0);
}

static int
vn_chown(struct vnode *vp, uid_t uid, gid_t gid)
{
	struct vattr cur = { .va_type = vp->v_type, .va_mode = vp->v_mode,
	    .va_uid = vp->v_uid, .va_gid = vp->v_gid };
	struct vattr va;
	int error;

	if ((error = chown_check(&cur, uid, gid, &va)) != 0)
		return (error);
	return (vn_setattr(vp, &va));
}

/* fchmod and fchown of a pipe: the same rules, on the pipe's own owner. */
static int
pipe_chmod(struct file *fp, mode_t mode)
{
	const struct ucred *cr = vfs_cred();
	struct vattr cur, va = { .va_mask = VA_MODE, .va_mode = mode };

	pipe_getattr(fp, &cur);
	if (cr->cr_euid != 0 && cr->cr_euid != cur.va_uid)
		return (-EPERM);
	pipe_setattr(fp, &va);
	return (0);
}

static int
pipe_chown(struct file *fp, uid_t uid, gid_t gid)
{
	struct vattr cur, va;
	int error;

	pipe_getattr(fp, &cur);
	if ((error = chown_check(&cur, uid, gid, &va)) != 0)
		return (error);
	pipe_setattr(fp, &va);
	return (0);
}

/* fchmodat(2) / chmod(2): EPERM not the owner; ENOENT; ENOTDIR; EACCES;
 * EROFS; EFAULT. */
long
sys_fchmodat(int dirfd, const char *upath, mode_t mode)
{
	struct vnode *vp;
	long r;

	if ((r = user_lookup_at(dirfd, upath, 0, &vp)) != 0)
		return (r);
	r = vn_chmod(vp, mode);
	vrele(vp);
	return (r);
}

long
sys_chmod(const char *path, mode_t mode)
{
	return (sys_fchmodat(AT_FDCWD, path, mode));
}

/* fchmod(2): EBADF; EPERM not the owner; EROFS; EINVAL a descriptor
 * with neither a vnode nor a pipe behind it (a pipe has its own mode). */
long
sys_fchmod(int fd, mode_t mode)
{
	struct file *fp;
	long r;

	if ((r = fget(fd, &fp)) != 0)
		return (r);
	if (fp->f_vnode != NULL)
		r = vn_chmod(fp->f_vnode, mode);
	else if (fp->f_ops == &pipeops)
		r = pipe_chmod(fp, mode);
	else
		r = -EINVAL;
	fdrop(fp);
	return (r);
}

/* fchownat(2): EPERM (only root gives files away; the owner may pick one
 * of its groups); EINVAL bad flags; ENOENT; ENOTDIR; EFAULT. */
long
sys_fchownat(int dirfd, const char *upath, uid_t uid, gid_t gid, int flags)
{
	struct vnode *vp;
	long r;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return (-EINVAL);
	if ((r = user_lookup_at(dirfd, upath, flags, &vp)) != 0)
		return (r);
	r = vn_chown(vp, uid, gid);
	vrele(vp);
	return (r);
}

long
sys_chown(const char *path, uid_t uid, gid_t gid)
{
	return (sys_fchownat(AT_FDCWD, path, uid, gid, 0));
}

long
sys_lchown(const char *path, uid_t uid, gid_t gid)
{
	return (sys_fchownat(AT_FDCWD, path, uid, gid, AT_SYMLINK_NOFOLLOW));
}

/* fchown(2): EBADF; EPERM as fchownat; EINVAL as fchmod. */
long
sys_fchown(int fd, uid_t uid, gid_t gid)
{
	struct file *fp;
	long r;

	if ((r = fget(fd, &fp)) != 0)
		return (r);
	if (fp->f_vnode != NULL)
		r = vn_chown(fp->f_vnode, uid, gid);
	else if (fp->f_ops == &pipeops)
		r = pipe_chown(fp, uid, gid);
	else
		r = -EINVAL;
	fdrop(fp);
	return (r);
}

/*
 * Set the times of (dirfd, path) -- path NULL: of dirfd itself -- from
 * kernel timespecs (NULL: both now; UTIME_NOW / UTIME_OMIT honoured).
 */
int
kern_utimensat(int dirfd, const char *path, const struct timespec *tsp,
    int flags)
{
	struct timespec ts[2], now;
	struct vattr va = { 0 };
	struct vnode *vp;
	bool setnow;
	int r;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return (-EINVAL);
	vfs_timestamp(&now);
	if (tsp == NULL)
		ts[0].tv_nsec = ts[1].tv_nsec = UTIME_NOW;
	else
		memcpy(ts, tsp, sizeof(ts));
	for (int i = 0; i < 2; i++)
		if (ts[i].tv_nsec != UTIME_NOW && ts[i].tv_nsec != UTIME_OMIT &&
		    (ts[i].tv_nsec < 0 || ts[i].tv_nsec >= 1000000000))
			return (-EINVAL);
	if (path == NULL)
		r = lookup_at(dirfd, "", AT_EMPTY_PATH, &vp);
	else
		r = lookup_at(dirfd, path, flags, &vp);
	if (r != 0)
		return (r);
	setnow = (ts[0].tv_nsec == UTIME_NOW || ts[0].tv_nsec == UTIME_OMIT) &&
	    (ts[1].tv_nsec == UTIME_NOW || ts[1].tv_nsec == UTIME_OMIT);
	if (!owner_or_root(vp))
		r = setnow ? vaccess(vp, W_OK, vfs_cred()) : -EPERM;
	if (r == 0) {
		if (ts[0].tv_nsec != UTIME_OMIT) {
			va.va_mask |= VA_ATIME;
			va.va_atime = ts[0].tv_nsec == UTIME_NOW ? now : ts[0];
		}
		if (ts[1].tv_nsec != UTIME_OMIT) {
			va.va_mask |= VA_MTIME;
			va.va_mtime = ts[1].tv_nsec == UTIME_NOW ? now : ts[1];
		}
		if (va.va_mask != 0)
			r = vn_setattr(vp, &va);
	}
	vrele(vp);
	return (r);
}

/*
 * utimensat(2): times NULL or both UTIME_NOW needs ownership or write
 * permission (EACCES); explicit times need ownership (EPERM); EINVAL bad
 * tv_nsec or flags; path NULL works on dirfd itself (futimens); ENOENT;
 * EFAULT.
 */
long
sys_utimensat(int dirfd, const char *upath, const struct timespec *uts,
    int flags)
{
	struct timespec ts[2];
	char *path = NULL;
	long r;

	if (uts != NULL && (r = copyin(uts, ts, sizeof(ts))) != 0)
		return (r);
	if (upath != NULL && (r = user_path(upath, &path)) != 0)
		return (r);
	r = kern_utimensat(dirfd, path, uts != NULL ? ts : NULL, flags);
	if (path != NULL)
		kfree(path);
	return (r);
}

/* utimes(2): as utimensat with microseconds; EINVAL tv_usec out of
 * [0, 1000000). */
long
sys_utimes(const char *upath, const struct timeval *utv)
{
	struct timespec ts[2];
	struct timeval tv[2];
	long r;

	if (utv != NULL) {
		if ((r = copyin(utv, tv, sizeof(tv))) != 0)
			return (r);
		for (int i = 0; i < 2; i++) {
			if (tv[i].tv_usec < 0 || tv[i].tv_usec >= 1000000)
				return (-EINVAL);
			ts[i].tv_sec = tv[i].tv_sec;
			ts[i].tv_nsec = tv[i].tv_usec * 1000;
		}
	}
	return (PATHCALL(upath, kern_utimensat(AT_FDCWD, path_,
	    utv != NULL ? ts : NULL, 0)));
}

/* utime(2): struct utimbuf { actime, modtime } in whole seconds. */
long
sys_utime(const char *upath, const int64_t *ubuf)
{
	struct timespec ts[2];
	int64_t b[2];
	long r;

	if (ubuf != NULL) {
		if ((r = copyin(ubuf, b, sizeof(b))) != 0)
			return (r);
		ts[0] = (struct timespec){ b[0], 0 };
		ts[1] = (struct timespec){ b[1], 0 };
	}
	return (PATHCALL(upath, kern_utimensat(AT_FDCWD, path_,
	    ubuf != NULL ? ts : NULL, 0)));
}

int
kern_truncate(const char *path, off_t length)
{
	struct vnode *vp;
	int error;

	if (length < 0)
		return (-EINVAL);
	if ((error = lookup_at(AT_FDCWD, path, 0, &vp)) != 0)
		return (error);
	if (vp->v_type == VDIR)
		error = -EISDIR;
	else if ((error = vaccess(vp, W_OK, vfs_cred())) == 0)
		error = vn_truncate(vp, length);
	vrele(vp);
	return (error);
}

/* truncate(2): EINVAL length < 0 or not a regular file; EISDIR; EACCES;
 * EFBIG past the file system's size; ENOENT; EFAULT; ETXTBSY a program
 * some process is running. */
long
sys_truncate(const char *upath, off_t length)
{
	return (PATHCALL(upath, kern_truncate(path_, length)));
}

/* ftruncate(2): EBADF; EINVAL not a regular file open for writing, or
 * length < 0; ETXTBSY a program some process is running. */
long
sys_ftruncate(int fd, off_t length)
{
	struct file *fp;
	long r;

	if (length < 0)
		return (-EINVAL);
	if ((r = fget(fd, &fp)) != 0)
		return (r);
	if (fp->f_type != DTYPE_VNODE || !FWRITE(fp) ||
	    fp->f_vnode->v_type != VREG)
		r = -EINVAL;
	else
		r = vn_truncate(fp->f_vnode, length);
	fdrop(fp);
	return (r);
}
