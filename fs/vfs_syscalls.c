/*
 * vfs_syscalls.c: the system calls that change the name space -- open,
 * creat, mknod, mkdir, unlink, rmdir, rename, symlink, readlink, link
 * (FreeBSD kern/vfs_syscalls.c) -- and the path helpers every file
 * system call shares: user_path, at_startdir, namei_at.  Attributes
 * (stat, chmod, truncate, ...) are in vfs_attr.c; chdir, getcwd,
 * getdents, mount and sync in vfs_syscalls2.c.
 *
 * Each sys_X copies its path in (user_path: EFAULT, ENAMETOOLONG past
 * PATH_MAX) and calls kern_X, which takes kernel strings and does the
 * work; the kernel itself and the ktests call kern_X directly.  Paths
 * relative to a directory descriptor resolve from it (AT_FDCWD: the
 * current directory); an absolute path ignores dirfd.
 */
#include <file.h>
#include <kernel.h>
#include <kmem.h>
#include <libkern.h>
#include <proc.h>
#include <trap.h>
#include <vnode.h>

/* Copy a user path into a kmalloc'd PATH_MAX buffer (kfree it). */
int
user_path(const char *upath, char **kpath)
{
	char *buf;
	size_t done;
	int error;

	buf = kmalloc(PATH_MAX, M_WAITOK);
	if (buf == NULL)
		return (-ENOMEM);
	error = copyinstr(upath, buf, PATH_MAX, &done);
	if (error != 0) {
		kfree(buf);
		return (error == -EFAULT ? -EFAULT : -ENAMETOOLONG);
	}
	*kpath = buf;
	return (0);
}

/* The directory a relative path starts from (NULL: cwd), referenced. */
int
at_startdir(int dirfd, const char *path, struct vnode **vpp)
{
	int error;

	*vpp = NULL;
	if (path[0] == '/' || dirfd == AT_FDCWD)
		return (0);
	if ((error = fgetvp_at(dirfd, vpp)) != 0)
		return (error);
	if ((*vpp)->v_type != VDIR && path[0] != '\0') {
		vrele(*vpp);
		*vpp = NULL;
		return (-ENOTDIR);
	}
	return (0);
}

/* namei from dirfd; a referenced result in nd on success. */
int
namei_at(int dirfd, const char *path, int flags, struct nameidata *nd)
{
	struct vnode *sdp;
	int error;

	if ((error = at_startdir(dirfd, path, &sdp)) != 0)
		return (error);
	ni_init(nd, path, flags, sdp);
	error = namei(nd);
	vrele(sdp);
	return (error);
}

static bool
path_is_dots(const char *name)
{
	return (strcmp(name, ".") == 0 || strcmp(name, "..") == 0);
}

static bool
rdonly(struct vnode *vp)
{
	return (vp->v_mount != NULL && (vp->v_mount->mnt_flag & MS_RDONLY));
}

/* May the caller write into directory dvp?  0, EACCES or EROFS. */
static int
dir_writable(struct vnode *dvp)
{
	int error = vaccess(dvp, W_OK | X_OK, vfs_cred());

	if (error == 0 && rdonly(dvp))
		error = -EROFS;
	return (error);
}

/* The sticky-bit rule: in a +t directory only the owner of the file or
 * of the directory (or root) may remove or rename an entry. */
static int
sticky_check(struct vnode *dvp, struct vnode *vp)
{
	const struct ucred *cr = vfs_cred();

	if (!(dvp->v_mode & S_ISVTX) || cr->cr_euid == 0 ||
	    cr->cr_euid == vp->v_uid || cr->cr_euid == dvp->v_uid)
		return (0);
	return (-EPERM);
}

int
kern_openat(int dirfd, const char *upath, int pathseg, int flags,
    mode_t mode)
{
	struct vnode *sdp, *vp;
	struct file *fp;
	char *path = (char *)upath;
	int fd, error;

	if ((flags & O_TMPFILE) == O_TMPFILE)
		return (-EOPNOTSUPP);
	if (pathseg == UIO_USERSPACE && (error = user_path(upath, &path)))
		return (error);
	if ((error = at_startdir(dirfd, path, &sdp)) != 0)
		goto out;
	error = vn_openat(sdp, path, flags, mode, &vp);
	vrele(sdp);
	if (error != 0)
		goto out;
	if ((error = falloc(&fp)) != 0) {
		vrele(vp);
		goto out;
	}
	if ((error = vn_openfile(vp, flags, fp)) != 0) {
		vrele(vp);
		kfree(fp);
		goto out;
	}
	if ((error = finstall(NULL, fp, flags, &fd)) != 0)
		fdrop(fp);
	else
		error = fd;
out:
	if (path != upath)
		kfree(path);
	return (error);
}

/*
 * openat(2): ENOENT missing (without O_CREAT) or empty path; EEXIST
 * O_CREAT|O_EXCL and it exists; EISDIR a directory opened for writing or
 * O_CREAT on a name ending in '/'; ENOTDIR O_DIRECTORY on a non-directory
 * or a non-directory in the path; ELOOP O_NOFOLLOW on a symlink or too
 * many links; EACCES permission; EROFS; ENXIO a device without a driver
 * or a non-blocking FIFO writer without readers; EMFILE; ENAMETOOLONG;
 * EFAULT; EBADF bad dirfd; EOPNOTSUPP O_TMPFILE; ETXTBSY a program some
 * process is running, opened for writing.
 */
long
sys_openat(int dirfd, const char *path, int flags, mode_t mode)
{
	return (kern_openat(dirfd, path, UIO_USERSPACE, flags, mode));
}

/* open(2): openat(AT_FDCWD, ...). */
long
sys_open(const char *path, int flags, mode_t mode)
{
	return (kern_openat(AT_FDCWD, path, UIO_USERSPACE, flags, mode));
}

/* creat(2): open(path, O_CREAT|O_WRONLY|O_TRUNC, mode). */
long
sys_creat(const char *path, mode_t mode)
{
	return (sys_open(path, O_CREAT | O_WRONLY | O_TRUNC, mode));
}

int
kern_mknodat(int dirfd, const char *path, mode_t mode, dev_t dev)
{
	struct nameidata nd;
	struct vnode *vp;
	int error;

	switch (mode & S_IFMT) {
	case 0:
		mode |= S_IFREG;
		break;
	case S_IFCHR:
	case S_IFBLK:
		if (vfs_cred()->cr_euid != 0)
			return (-EPERM);
		break;
	case S_IFREG:
	case S_IFIFO:
	case S_IFSOCK:
		break;
	case S_IFDIR:
		return (-EPERM);
	default:
		return (-EINVAL);
	}
	if ((error = namei_at(dirfd, path, NI_PARENT, &nd)) != 0)
		return (error);
	if (nd.ni_vp != NULL)
		error = -EEXIST;
	else if ((error = dir_writable(nd.ni_dvp)) == 0) {
		error = VOP_MKNOD(nd.ni_dvp, nd.ni_name,
		    (mode & S_IFMT) | (mode & ~vfs_umask() & ALLPERMS),
		    dev, vfs_cred(), &vp);
		if (error == 0) {
			vn_knote(nd.ni_dvp, NOTE_WRITE);
			vrele(vp);
		}
	}
	ni_done(&nd);
	return (error);
}

/* mknodat(2): EEXIST; EPERM a device node by non-root or a directory;
 * EINVAL unknown type; ENOENT, ENOTDIR, EACCES, EROFS, ENOSPC. */
long
sys_mknodat(int dirfd, const char *path, mode_t mode, dev_t dev)
{
	return (PATHCALL(path, kern_mknodat(dirfd, path_, mode, dev)));
}

long
sys_mknod(const char *path, mode_t mode, dev_t dev)
{
	return (sys_mknodat(AT_FDCWD, path, mode, dev));
}

int
kern_mkdirat(int dirfd, const char *path, mode_t mode)
{
	struct nameidata nd;
	struct vnode *vp;
	int error;

	if ((error = namei_at(dirfd, path, NI_PARENT, &nd)) != 0)
		return (error);
	if (nd.ni_vp != NULL)
		error = -EEXIST;
	else if ((error = dir_writable(nd.ni_dvp)) == 0) {
		error = VOP_MKDIR(nd.ni_dvp, nd.ni_name,
		    mode & ~vfs_umask() & ALLPERMS, vfs_cred(), &vp);
		if (error == 0) {
			vn_knote(nd.ni_dvp, NOTE_WRITE | NOTE_LINK);
			vrele(vp);
		}
	}
	ni_done(&nd);
	return (error);
}

/* mkdir(2)/mkdirat(2): EEXIST (also for "." and "/"); ENOENT a missing
 * parent; ENOTDIR; EACCES; EROFS; ENOSPC; ENAMETOOLONG; EFAULT. */
long
sys_mkdirat(int dirfd, const char *path, mode_t mode)
{
	return (PATHCALL(path, kern_mkdirat(dirfd, path_, mode)));
}

long
sys_mkdir(const char *path, mode_t mode)
{
	return (sys_mkdirat(AT_FDCWD, path, mode));
}

int
kern_unlinkat(int dirfd, const char *path, int flag)
{
	struct nameidata nd;
	int error;

	if (flag & ~AT_REMOVEDIR)
		return (-EINVAL);
	if ((error = namei_at(dirfd, path, NI_PARENT, &nd)) != 0)
		return (error);
	if (nd.ni_vp == NULL)
		error = -ENOENT;
	else if (flag & AT_REMOVEDIR) {
		if (strcmp(nd.ni_name, ".") == 0)
			error = -EINVAL;
		else if (strcmp(nd.ni_name, "..") == 0)
			error = -ENOTEMPTY;
		else if (nd.ni_vp->v_type != VDIR)
			error = -ENOTDIR;
		else if (nd.ni_vp == rootvnode ||
		    nd.ni_vp->v_mount != nd.ni_dvp->v_mount)
			error = -EBUSY;		/* a mount point */
	} else {
		if (nd.ni_vp->v_type == VDIR)
			error = -EISDIR;
		else if (nd.ni_trailslash)
			error = -ENOTDIR;
	}
	if (error == 0)
		error = dir_writable(nd.ni_dvp);
	if (error == 0)
		error = sticky_check(nd.ni_dvp, nd.ni_vp);
	if (error == 0)
		error = (flag & AT_REMOVEDIR) ?
		    VOP_RMDIR(nd.ni_dvp, nd.ni_name) :
		    VOP_REMOVE(nd.ni_dvp, nd.ni_name);
	if (error == 0) {
		vn_knote(nd.ni_vp, NOTE_DELETE);
		vn_knote(nd.ni_dvp, NOTE_WRITE |
		    ((flag & AT_REMOVEDIR) ? NOTE_LINK : 0));
	}
	ni_done(&nd);
	return (error);
}

/* unlinkat(2): EISDIR a directory without AT_REMOVEDIR; ENOTDIR,
 * ENOTEMPTY, EINVAL ("." or bad flag), EBUSY (mount point) with it;
 * ENOENT; EACCES; EPERM sticky directory; EROFS. */
long
sys_unlinkat(int dirfd, const char *path, int flag)
{
	return (PATHCALL(path, kern_unlinkat(dirfd, path_, flag)));
}

long
sys_unlink(const char *path)
{
	return (sys_unlinkat(AT_FDCWD, path, 0));
}

/* rmdir(2): unlinkat(AT_FDCWD, path, AT_REMOVEDIR). */
long
sys_rmdir(const char *path)
{
	return (sys_unlinkat(AT_FDCWD, path, AT_REMOVEDIR));
}

int
kern_renameat2(int fdir, const char *from, int tdir, const char *to,
    unsigned flags)
{
	struct nameidata fnd, tnd;
	int error;

	if (flags & ~RENAME_NOREPLACE)
		return (-EINVAL);
	if ((error = namei_at(fdir, from, NI_PARENT, &fnd)) != 0)
		return (error);
	if ((error = namei_at(tdir, to, NI_PARENT, &tnd)) != 0) {
		ni_done(&fnd);
		return (error);
	}
	if (fnd.ni_vp == NULL)
		error = -ENOENT;
	else if (path_is_dots(fnd.ni_name) || path_is_dots(tnd.ni_name))
		error = -EBUSY;
	else if (fnd.ni_dvp->v_mount != tnd.ni_dvp->v_mount)
		error = -EXDEV;
	else if (fnd.ni_vp->v_mount != fnd.ni_dvp->v_mount ||
	    (tnd.ni_vp != NULL && tnd.ni_vp->v_mount != tnd.ni_dvp->v_mount))
		error = -EBUSY;		/* a mount point */
	else if (fnd.ni_vp->v_type != VDIR &&
	    (fnd.ni_trailslash || tnd.ni_trailslash))
		error = -ENOTDIR;
	if (error == 0)
		error = dir_writable(fnd.ni_dvp);
	if (error == 0)
		error = dir_writable(tnd.ni_dvp);
	if (error == 0)
		error = sticky_check(fnd.ni_dvp, fnd.ni_vp);
	if (error == 0 && tnd.ni_vp != NULL)
		error = sticky_check(tnd.ni_dvp, tnd.ni_vp);
	if (error == 0)
		error = VOP_RENAME(fnd.ni_dvp, fnd.ni_name, tnd.ni_dvp,
		    tnd.ni_name, flags);
	if (error == 0) {
		vn_knote(fnd.ni_vp, NOTE_RENAME);
		if (tnd.ni_vp != NULL && tnd.ni_vp != fnd.ni_vp)
			vn_knote(tnd.ni_vp, NOTE_DELETE);
		vn_knote(fnd.ni_dvp, NOTE_WRITE);
		if (tnd.ni_dvp != fnd.ni_dvp)
			vn_knote(tnd.ni_dvp, NOTE_WRITE);
	}
	ni_done(&fnd);
	ni_done(&tnd);
	return (error);
}

/*
 * renameat2(2): ENOENT missing source; EEXIST target exists with
 * RENAME_NOREPLACE; EINVAL a directory into its own subtree or unknown
 * flags (RENAME_EXCHANGE is not supported); EISDIR file onto directory;
 * ENOTDIR directory onto file; ENOTEMPTY non-empty target directory;
 * EXDEV across mounts; EBUSY "." / ".." / mount points; EACCES; EPERM.
 */
long
sys_renameat2(int fdir, const char *from, int tdir, const char *to,
    unsigned flags)
{
	char *kto;
	long r;

	if ((r = user_path(to, &kto)) != 0)
		return (r);
	r = PATHCALL(from, kern_renameat2(fdir, path_, tdir, kto, flags));
	kfree(kto);
	return (r);
}

long
sys_renameat(int fdir, const char *from, int tdir, const char *to)
{
	return (sys_renameat2(fdir, from, tdir, to, 0));
}

long
sys_rename(const char *from, const char *to)
{
	return (sys_renameat2(AT_FDCWD, from, AT_FDCWD, to, 0));
}

int
kern_symlinkat(const char *target, int dirfd, const char *path)
{
	struct nameidata nd;
	struct vnode *vp;
	int error;

	if (target[0] == '\0')
		return (-ENOENT);
	if ((error = namei_at(dirfd, path, NI_PARENT, &nd)) != 0)
		return (error);
	if (nd.ni_vp != NULL)
		error = -EEXIST;
	else if ((error = dir_writable(nd.ni_dvp)) == 0) {
		error = VOP_SYMLINK(nd.ni_dvp, nd.ni_name, target, vfs_cred(),
		    &vp);
		if (error == 0) {
			vn_knote(nd.ni_dvp, NOTE_WRITE);
			vrele(vp);
		}
	}
	ni_done(&nd);
	return (error);
}

/* symlinkat(2): EEXIST; ENOENT empty target or missing parent; EACCES;
 * EROFS; ENOSPC; ENAMETOOLONG; EFAULT. */
long
sys_symlinkat(const char *target, int dirfd, const char *path)
{
	char *kt;
	long r;

	if ((r = user_path(target, &kt)) != 0)
		return (r);
	r = PATHCALL(path, kern_symlinkat(kt, dirfd, path_));
	kfree(kt);
	return (r);
}

long
sys_symlink(const char *target, const char *path)
{
	return (sys_symlinkat(target, AT_FDCWD, path));
}

int
kern_readlinkat(int dirfd, const char *path, struct uio *uio)
{
	struct nameidata nd;
	ssize_t start = uio->uio_resid;
	int error;

	if (uio->uio_resid <= 0)
		return (-EINVAL);
	if ((error = namei_at(dirfd, path, NI_EMPTYPATH, &nd)) != 0)
		return (error);
	if (nd.ni_vp->v_type != VLNK)
		error = -EINVAL;
	else
		error = VOP_READLINK(nd.ni_vp, uio);
	ni_done(&nd);
	return (error != 0 ? error : (int)(start - uio->uio_resid));
}

/* readlinkat(2): EINVAL bufsiz <= 0 or not a symlink; ENOENT; ENOTDIR;
 * EFAULT.  Returns the byte count, without a NUL. */
long
sys_readlinkat(int dirfd, const char *path, char *buf, int bufsiz)
{
	struct iovec iov = { buf, (size_t)bufsiz };
	struct uio uio = { &iov, 1, 0, bufsiz, UIO_USERSPACE, UIO_READ };

	if (bufsiz <= 0)
		return (-EINVAL);
	return (PATHCALL(path, kern_readlinkat(dirfd, path_, &uio)));
}

long
sys_readlink(const char *path, char *buf, int bufsiz)
{
	return (sys_readlinkat(AT_FDCWD, path, buf, bufsiz));
}

int
kern_linkat(int fdir, const char *from, int tdir, const char *to, int flags)
{
	struct nameidata fnd, tnd;
	int error;

	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return (-EINVAL);
	error = namei_at(fdir, from, ((flags & AT_SYMLINK_FOLLOW) ?
	    NI_FOLLOW : 0) | ((flags & AT_EMPTY_PATH) ? NI_EMPTYPATH : 0),
	    &fnd);
	if (error != 0)
		return (error);
	if (fnd.ni_vp->v_type == VDIR) {
		ni_done(&fnd);
		return (-EPERM);
	}
	if ((error = namei_at(tdir, to, NI_PARENT, &tnd)) != 0) {
		ni_done(&fnd);
		return (error);
	}
	if (tnd.ni_vp != NULL)
		error = -EEXIST;
	else if (tnd.ni_trailslash)
		error = -ENOENT;
	else if (tnd.ni_dvp->v_mount != fnd.ni_vp->v_mount)
		error = -EXDEV;
	else if ((error = dir_writable(tnd.ni_dvp)) == 0)
		error = VOP_LINK(tnd.ni_dvp, tnd.ni_name, fnd.ni_vp);
	if (error == 0) {
		vn_knote(fnd.ni_vp, NOTE_LINK);
		vn_knote(tnd.ni_dvp, NOTE_WRITE);
	}
	ni_done(&fnd);
	ni_done(&tnd);
	return (error);
}

/* linkat(2): EEXIST; EPERM a directory; EXDEV across mounts; ENOENT;
 * EINVAL bad flags; EACCES; EROFS; EMLINK never. */
long
sys_linkat(int fdir, const char *from, int tdir, const char *to, int flags)
{
	char *kto;
	long r;

	if ((r = user_path(to, &kto)) != 0)
		return (r);
	r = PATHCALL(from, kern_linkat(fdir, path_, tdir, kto, flags));
	kfree(kto);
	return (r);
}

long
sys_link(const char *from, const char *to)
{
	return (sys_linkat(AT_FDCWD, from, AT_FDCWD, to, 0));
}
