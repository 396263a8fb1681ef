/*
 * vfs_syscalls2.c: directories, the current directory, mounts and the
 * rest of the file system calls: chdir, fchdir, getcwd, umask, getdents,
 * getdents64, mount, umount2, sync, fsync, fdatasync, sendfile.
 *
 * getdents64 hands the directory's cookie (f_offset) to VOP_READDIR and
 * keeps the cookie it returns, so a listing survives entries being added
 * or removed between calls.  getdents (the old format) reads dirent64
 * records and rewrites them in place: both records have the same length.
 */
#include <file.h>
#include <kernel.h>
#include <kmem.h>
#include <libkern.h>
#include <proc.h>
#include <trap.h>
#include <vnode.h>

static struct proc *
cur_proc(void)
{
	return (curthread != NULL ? curthread->td_proc : NULL);
}

static int
set_cwd(struct vnode *vp)
{
	struct proc *p = cur_proc();
	struct vnode *old;
	int error;

	if (vp->v_type != VDIR)
		return (-ENOTDIR);
	if ((error = vaccess(vp, X_OK, vfs_cred())) != 0)
		return (error);
	if (p == NULL)
		return (-ESRCH);
	vref(vp);
	old = p->p_cwd;
	p->p_cwd = vp;
	vrele(old);
	return (0);
}

int
kern_chdir(const char *path)
{
	struct nameidata nd;
	int error;

	ni_init(&nd, path, NI_FOLLOW, NULL);
	if ((error = namei(&nd)) != 0)
		return (error);
	error = set_cwd(nd.ni_vp);
	ni_done(&nd);
	return (error);
}

/* chdir(2): ENOENT; ENOTDIR; EACCES no search permission; EFAULT;
 * ENAMETOOLONG; ELOOP. */
long
sys_chdir(const char *upath)
{
	char *path;
	long r;

	if ((r = user_path(upath, &path)) != 0)
		return (r);
	r = kern_chdir(path);
	kfree(path);
	return (r);
}

/* fchdir(2): EBADF; ENOTDIR; EACCES. */
long
sys_fchdir(int fd)
{
	struct file *fp;
	int error;

	if ((error = fget(fd, &fp)) != 0)
		return (error);
	error = fp->f_vnode == NULL ? -ENOTDIR : set_cwd(fp->f_vnode);
	fdrop(fp);
	return (error);
}

/* getcwd(2): ERANGE size too small for the path; EINVAL size 0; EFAULT.
 * Returns the length including the NUL, as the Linux system call does. */
long
sys_getcwd(char *ubuf, size_t size)
{
	struct proc *p = cur_proc();
	char *buf;
	size_t n = MIN(size, (size_t)PATH_MAX);
	long r;

	if (size == 0)
		return (-EINVAL);
	if ((buf = kmalloc(n, M_WAITOK)) == NULL)
		return (-ENOMEM);
	r = vn_fullpath(p != NULL && p->p_cwd != NULL ? p->p_cwd : rootvnode,
	    buf, n);
	if (r == 0) {
		r = strlen(buf) + 1;
		if (copyout(buf, ubuf, r) != 0)
			r = -EFAULT;
	}
	kfree(buf);
	return (r);
}

/* umask(2): never fails; returns the previous mask. */
long
sys_umask(mode_t mask)
{
	struct proc *p = cur_proc();
	mode_t old;

	if (p == NULL)
		return (022);
	old = p->p_umask;
	p->p_umask = mask & 0777;
	return (old);
}

int
kern_getdents64(int fd, struct uio *uio)
{
	struct file *fp;
	ssize_t start = uio->uio_resid;
	int error;

	if ((error = fget(fd, &fp)) != 0)
		return (error);
	if (fp->f_vnode == NULL || fp->f_type != DTYPE_VNODE ||
	    (fp->f_flag & O_PATH))
		error = fp->f_vnode == NULL ? -ENOTDIR : -EBADF;
	else if (fp->f_vnode->v_type != VDIR)
		error = -ENOTDIR;
	if (error != 0) {
		fdrop(fp);
		return (error);
	}
	uio->uio_offset = fp->f_offset;
	uio->uio_rw = UIO_READ;
	error = VOP_READDIR(fp->f_vnode, uio);
	if (error == 0 && uio->uio_resid == start) {
		/* Nothing fit: the end, or a buffer too small (EINVAL)? */
		char probe[sizeof(struct linux_dirent64) + NAME_MAX + 8];
		struct iovec iov = { probe, sizeof(probe) };
		struct uio pu = { &iov, 1, fp->f_offset, sizeof(probe),
			UIO_SYSSPACE, UIO_READ };

		if (VOP_READDIR(fp->f_vnode, &pu) == 0 &&
		    pu.uio_resid != (ssize_t)sizeof(probe))
			error = -EINVAL;
	}
	if (error == 0)
		fp->f_offset = uio->uio_offset;
	fdrop(fp);
	return (error != 0 ? error : (int)(start - uio->uio_resid));
}

/* getdents64(2): EBADF; ENOTDIR not a directory; EINVAL buffer too small
 * for the next entry; EFAULT.  Returns bytes, 0 at the end. */
long
sys_getdents64(int fd, void *dirp, unsigned count)
{
	struct iovec iov = { dirp, count };
	struct uio uio = { &iov, 1, 0, (ssize_t)count, UIO_USERSPACE,
		UIO_READ };

	if ((int)count < 0)
		return (-EINVAL);
	return (kern_getdents64(fd, &uio));
}

/* getdents(2): as getdents64, in struct linux_dirent layout. */
long
sys_getdents(int fd, void *dirp, unsigned count)
{
	char *buf;
	struct iovec iov;
	struct uio uio;
	long n;

	if ((int)count < 0)
		return (-EINVAL);
	count = MIN(count, 65536u);
	if ((buf = kmalloc(MAX(count, 1u), M_WAITOK)) == NULL)
		return (-ENOMEM);
	iov = (struct iovec){ buf, count };
	uio = (struct uio){ &iov, 1, 0, (ssize_t)count, UIO_SYSSPACE,
		UIO_READ };
	n = kern_getdents64(fd, &uio);
	for (long o = 0; n > 0 && o < n;) {
		struct linux_dirent64 *d = (void *)(buf + o);
		struct linux_dirent *od = (void *)(buf + o);
		uint16_t reclen = d->d_reclen;
		uint8_t type = d->d_type;

		/* d_ino, d_off stay; d_reclen moves 0 bytes; name shifts 1. */
		memmove(od->d_name, d->d_name, strlen(d->d_name) + 1);
		od->d_reclen = reclen;
		buf[o + reclen - 1] = type;
		o += reclen;
	}
	if (n > 0 && copyout(buf, dirp, n) != 0)
		n = -EFAULT;
	kfree(buf);
	return (n);
}

static bool
is_root(void)
{
	return (vfs_cred()->cr_euid == 0);
}

/*
 * mount(2): EPERM not root; ENODEV unknown type (proc, until procfs
 * exists); ENOENT / ENOTDIR bad target; EBUSY target already a mount
 * point; EFAULT; EINVAL bind mounts and other unsupported flags.
 * MS_REMOUNT is accepted and changes nothing.  source is kept for the
 * mount list (and is the mount tag of a 9p trans=virtio mount); 9p adds
 * ENXIO/ENOTCONN/EIO when its server cannot be reached (fs/9p).
 */
long
sys_mount(const char *source, const char *target, const char *type,
    unsigned long flags, const void *data)
{
	char *kt = NULL, *ktype = NULL, *kdata = NULL, *ksrc = NULL;
	size_t done;
	long r;

	if (!is_root())
		return (-EPERM);
	if (flags & MS_REMOUNT)
		return (0);
	if (flags & 0x1000)		/* MS_BIND */
		return (-EINVAL);
	if ((r = user_path(target, &kt)) != 0)
		return (r);
	if (type == NULL) {
		r = -EINVAL;
		goto out;
	}
	if ((r = user_path(type, &ktype)) != 0)
		goto out;
	if (data != NULL) {
		if ((kdata = kmalloc(256, M_WAITOK)) == NULL) {
			r = -ENOMEM;
			goto out;
		}
		if ((r = copyinstr(data, kdata, 256, &done)) != 0) {
			if (r == -EFAULT)
				goto out;
			kdata[255] = '\0';
		}
	}
	if (source != NULL && user_path(source, &ksrc) != 0)
		ksrc = NULL;		/* a bad source is ignored, as before */
	r = vfs_mount_from(ktype, ksrc, kt, kdata, (int)(flags & MS_RDONLY));
out:
	if (ksrc) kfree(ksrc);
	if (kt) kfree(kt);
	if (ktype) kfree(ktype);
	if (kdata) kfree(kdata);
	return (r);
}

/* umount2(2): EPERM not root; EINVAL not a mount point or bad flags;
 * EBUSY in use (open files, a cwd, or the root); ENOENT. */
long
sys_umount2(const char *target, int flags)
{
	char *kt;
	long r;

	if (!is_root())
		return (-EPERM);
	if (flags & ~(MNT_FORCE | MNT_DETACH | 4 | 8))
		return (-EINVAL);
	if ((r = user_path(target, &kt)) != 0)
		return (r);
	r = vfs_unmount_path(kt, flags);
	kfree(kt);
	return (r);
}

/* sync(2): everything lives in memory; nothing to write. */
long
sys_sync(void)
{
	return (0);
}

/*
 * fsync(2), fdatasync(2): EBADF; EIO when the file system could not write
 * (9p: the server failed or is gone); else 0 (ramfs has no backing store).
 */
static long
kern_fsync(int fd, int datasync)
{
	struct file *fp;
	int error;

	if ((error = fget(fd, &fp)) != 0)
		return (error);
	if (fp->f_vnode != NULL && !(fp->f_flag & O_PATH))
		error = VOP_FSYNC(fp->f_vnode, datasync);
	fdrop(fp);
	return (error);
}

long
sys_fsync(int fd)
{
	return (kern_fsync(fd, 0));
}

long
sys_fdatasync(int fd)
{
	return (kern_fsync(fd, 1));
}

/*
 * sendfile(2): copy count bytes from infd (at *offset, which is updated,
 * leaving infd's own offset alone; or at infd's offset) to outfd through a
 * kernel buffer.  EBADF; EINVAL a negative offset; EFAULT; plus what read
 * and write return.  Returns the bytes written.  As in Linux, at most
 * MAX_RW_COUNT bytes go in one call, and a pending signal ends the copy
 * early (what was written, or EINTR): /dev/zero to /dev/null with a huge
 * count never ends otherwise, and the kernel is not preempted (fuzz seed
 * 21: the whole machine stopped).
 */

long
sys_sendfile(int outfd, int infd, off_t *uoff, size_t count)
{
	char *buf;
	off_t off = 0;
	long total = 0, n, w;
	int error;

	if (uoff != NULL) {
		if ((error = copyin(uoff, &off, sizeof(off))) != 0)
			return (error);
		if (off < 0)
			return (-EINVAL);
	}
	if ((buf = kmalloc(PAGE_SIZE, M_WAITOK)) == NULL)
		return (-ENOMEM);
	count = MIN(count, (size_t)MAX_RW_COUNT);
	while (count > 0) {
		size_t want = MIN(count, PAGE_SIZE);
		struct iovec iov = { buf, want };
		struct uio uio = { &iov, 1, off, (ssize_t)want,
			UIO_SYSSPACE, UIO_READ };

		n = kern_readv(infd, &uio, uoff != NULL ? FOF_OFFSET : 0);
		if (n <= 0) {
			if (total == 0)
				total = n;
			break;
		}
		iov = (struct iovec){ buf, (size_t)n };
		uio = (struct uio){ &iov, 1, 0, n, UIO_SYSSPACE, UIO_WRITE };
		w = kern_writev(outfd, &uio, 0);
		if (w <= 0) {
			if (total == 0)
				total = w;
			break;
		}
		off += w;
		total += w;
		count -= w;
		/* A short read (a tty line, a pipe) is all there is now. */
		if (w < n || n < (long)want)
			break;
		if (count > 0 && sig_pending_unblocked(curthread))
			break;
		if (curthread->td_flags & TDF_OWEPREEMPT)
			sched_yield_td();	/* a long copy shares the CPU */
	}
	if (total == 0 && count > 0 && sig_pending_unblocked(curthread))
		total = -EINTR;
	kfree(buf);
	if (uoff != NULL && total > 0 && copyout(&off, uoff, sizeof(off)) != 0)
		return (-EFAULT);
	return (total);
}
