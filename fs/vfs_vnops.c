/*
 * vfs_vnops.c: opening vnodes and the file operations of vnode files
 * (FreeBSD kern/vfs_vnops.c).
 *
 * vn_openat does what open(2) asks of the name space -- create, follow or
 * refuse symlinks, check permissions, truncate -- and returns a vnode;
 * vn_openfile then turns it into an open file, choosing the fileops by
 * type: device nodes go to devfs, FIFOs to the pipe code, the rest read
 * and write through VOP_READ/VOP_WRITE at the file's offset.
 */
#include <cdev.h>
#include <file.h>
#include <kernel.h>
#include <kmem.h>
#include <libkern.h>
#include <proc.h>
#include <vnode.h>

/*
 * A symlink's target as a string in buf[PATH_MAX]; an empty target is
 * -ENOENT, as Linux says when asked to follow one.
 */
int
vn_rdlink(struct vnode *vp, char *buf)
{
	struct iovec iov = { buf, PATH_MAX - 1 };
	struct uio uio = { &iov, 1, 0, PATH_MAX - 1, UIO_SYSSPACE, UIO_READ };
	int error;

	if ((error = VOP_READLINK(vp, &uio)) != 0)
		return (error);
	buf[PATH_MAX - 1 - uio.uio_resid] = '\0';
	return (buf[0] == '\0' ? -ENOENT : 0);
}

/*
 * The O_CREAT half of open: find or create the last component.  An
 * existing symlink is followed (unless O_EXCL or O_NOFOLLOW) and, like
 * Linux, a dangling one creates its target.
 */
static int
vn_create_follow(struct vnode *startdir, const char *path, int oflags,
    mode_t mode, struct vnode **vpp, bool *created)
{
	const struct ucred *cred = vfs_cred();
	struct nameidata nd;
	struct vnode *held = NULL, *vp;
	char *link = NULL;
	int error, loops = 0;

	for (;;) {
		ni_init(&nd, path, NI_PARENT, held != NULL ? held : startdir);
		error = namei(&nd);
		vrele(held);
		held = NULL;
		if (error != 0)
			break;
		vp = nd.ni_vp;
		if (vp == NULL) {
			if (nd.ni_trailslash)
				error = -EISDIR;
			else if ((error = vaccess(nd.ni_dvp, W_OK | X_OK,
			    cred)) == 0 &&
			    (nd.ni_dvp->v_mount->mnt_flag & MS_RDONLY))
				error = -EROFS;
			if (error == 0)
				error = VOP_CREATE(nd.ni_dvp, nd.ni_name,
				    mode & ~vfs_umask() & ALLPERMS, cred, vpp);
			if (error == 0) {
				*created = true;
				vn_knote(nd.ni_dvp, NOTE_WRITE);
			}
			ni_done(&nd);
			break;
		}
		if (oflags & O_EXCL) {
			error = -EEXIST;
			ni_done(&nd);
			break;
		}
		if (vp->v_type != VLNK) {
			nd.ni_vp = NULL;
			ni_done(&nd);
			*vpp = vp;
			break;
		}
		if ((oflags & O_NOFOLLOW) || ++loops > MAXSYMLINKS) {
			error = -ELOOP;
			ni_done(&nd);
			break;
		}
		/* Go round again with the link's target, from its dir. */
		if (link == NULL && (link = kmalloc(PATH_MAX, M_WAITOK)) ==
		    NULL) {
			error = -ENOMEM;
			ni_done(&nd);
			break;
		}
		error = vn_rdlink(vp, link);
		held = nd.ni_dvp;
		nd.ni_dvp = NULL;
		ni_done(&nd);
		if (error != 0)
			break;
		path = link;
	}
	vrele(held);
	if (link != NULL)
		kfree(link);
	return (error);
}

int
vn_openat(struct vnode *startdir, const char *path, int oflags, mode_t mode,
    struct vnode **vpp)
{
	const struct ucred *cred = vfs_cred();
	struct nameidata nd;
	struct vnode *vp;
	int acc = oflags & O_ACCMODE, error;
	bool created = false;

	if ((oflags & O_CREAT) && !(oflags & O_DIRECTORY)) {
		error = vn_create_follow(startdir, path, oflags, mode, &vp,
		    &created);
		if (error != 0)
			return (error);
	} else {
		ni_init(&nd, path, (oflags & O_NOFOLLOW) ? 0 : NI_FOLLOW,
		    startdir);
		if ((error = namei(&nd)) != 0)
			return (error);
		vp = nd.ni_vp;
	}
	if (vp->v_type == VLNK && !(oflags & O_PATH))
		error = -ELOOP;
	else if ((oflags & O_DIRECTORY) && vp->v_type != VDIR)
		error = -ENOTDIR;
	else if (vp->v_type == VDIR && (acc != O_RDONLY || (oflags & O_CREAT)))
		error = -EISDIR;
	else if (!created && !(oflags & O_PATH)) {
		int want = (acc != O_WRONLY ? R_OK : 0) |
		    (acc != O_RDONLY || (oflags & O_TRUNC) ? W_OK : 0);
		error = vaccess(vp, want, cred);
		if (error == 0 && (want & W_OK) && vp->v_mount != NULL &&
		    (vp->v_mount->mnt_flag & MS_RDONLY))
			error = -EROFS;
		if (error == 0 && acc != O_RDONLY)
			error = vn_writechk(vp);
	}
	if (error == 0 && (oflags & O_TRUNC) && !created &&
	    vp->v_type == VREG && acc != O_RDONLY)
		error = vn_truncate(vp, 0);
	if (error != 0) {
		vrele(vp);
		return (error);
	}
	*vpp = vp;
	return (0);
}

int
vn_open(const char *path, int oflags, mode_t mode, struct vnode **vpp)
{
	return (vn_openat(NULL, path, oflags, mode, vpp));
}

int
vn_rdwr(enum uio_rw rw, struct vnode *vp, void *base, size_t len,
    off_t offset, enum uio_seg seg, int ioflag, size_t *resid)
{
	struct iovec iov = { base, len };
	struct uio uio = { &iov, 1, offset, (ssize_t)len, seg, rw };
	int error;

	if ((ssize_t)len < 0)
		return (-EINVAL);
	if (rw == UIO_READ)
		error = VOP_READ(vp, &uio, ioflag);
	else
		error = VOP_WRITE(vp, &uio, ioflag);
	if (resid != NULL)
		*resid = uio.uio_resid;
	else if (error == 0 && uio.uio_resid != 0)
		error = -EIO;
	return (error);
}

/*
 * May vp be written?  Not while a process runs it (FreeBSD vn_writechk,
 * Linux deny_write_access): exec maps the program from its page cache, so
 * a write would change running code and a truncation would take its pages
 * away.  0 or -ETXTBSY.  A process's executable is p_textvp.
 */
int
vn_writechk(struct vnode *vp)
{
	struct proc *p;
	int error = 0;

	if (vp->v_type != VREG)
		return (0);
	spin_lock(&proc_lock);
	LIST_FOREACH(p, &allproc, p_list)
		if (p->p_textvp == vp && p->p_state != PRS_ZOMBIE) {
			error = -ETXTBSY;
			break;
		}
	spin_unlock(&proc_lock);
	return (error);
}

int
vn_truncate(struct vnode *vp, off_t length)
{
	struct vattr va = { .va_mask = VA_SIZE, .va_size = length };
	int error;

	if (length < 0)
		return (-EINVAL);
	if (vp->v_type == VDIR)
		return (-EISDIR);
	if (vp->v_type != VREG)
		return (-EINVAL);
	if ((error = vn_writechk(vp)) != 0)
		return (error);
	return (vn_setattr(vp, &va));
}

void
vn_knote(struct vnode *vp, long hint)
{
	if (vp != NULL)
		knote(&vp->v_note, hint);
}

/* VOP_SETATTR, then NOTE_ATTRIB (and NOTE_EXTEND when the file grew). */
int
vn_setattr(struct vnode *vp, struct vattr *vap)
{
	off_t osize = vp->v_size;
	int error = VOP_SETATTR(vp, vap);

	if (error == 0)
		vn_knote(vp, NOTE_ATTRIB | ((vap->va_mask & VA_SIZE) &&
		    vp->v_size > osize ? NOTE_EXTEND : 0));
	return (error);
}

void
vn_stat(struct vnode *vp, struct stat *sb)
{
	struct vattr va;

	memset(sb, 0, sizeof(*sb));
	if (VOP_GETATTR(vp, &va) != 0)
		return;
	sb->st_dev = va.va_fsid;
	sb->st_ino = va.va_ino;
	sb->st_nlink = va.va_nlink;
	sb->st_mode = va.va_mode;
	sb->st_uid = va.va_uid;
	sb->st_gid = va.va_gid;
	sb->st_rdev = va.va_rdev;
	sb->st_size = va.va_size;
	sb->st_blksize = va.va_blksize;
	sb->st_blocks = va.va_blocks;
	sb->st_atim = va.va_atime;
	sb->st_mtim = va.va_mtime;
	sb->st_ctim = va.va_ctime;
}

int
vn_openfile(struct vnode *vp, int flags, struct file *fp)
{
	int error;

	fp->f_flag = flags & (O_ACCMODE | O_APPEND | O_NONBLOCK | O_DIRECT |
	    O_NOATIME | O_ASYNC | O_PATH | O_DIRECTORY | O_LARGEFILE);
	fp->f_vnode = vp;
	if (flags & O_PATH) {
		fp->f_ops = &vnops;
		fp->f_type = DTYPE_VNODE;
		return (0);
	}
	switch (vp->v_type) {
	case VCHR:
		error = devfs_open_vnode(vp, flags, fp);
		break;
	case VFIFO:
		error = fifo_open(vp, flags, fp);
		break;
	case VBLK:
	case VSOCK:
		error = -ENXIO;
		break;
	default:
		fp->f_ops = &vnops;
		fp->f_type = DTYPE_VNODE;
		error = VOP_OPEN(vp, flags);
		break;
	}
	if (error != 0)
		fp->f_vnode = NULL;
	return (error);
}

static int
vn_read(struct file *fp, struct uio *uio, int flags)
{
	struct vnode *vp = fp->f_vnode;
	int error;

	if (!(flags & FOF_OFFSET))
		uio->uio_offset = fp->f_offset;
	error = VOP_READ(vp, uio, 0);
	if (!(flags & FOF_OFFSET))
		fp->f_offset = uio->uio_offset;
	return (error);
}

static int
vn_write(struct file *fp, struct uio *uio, int flags)
{
	struct vnode *vp = fp->f_vnode;
	ssize_t start = uio->uio_resid;
	off_t osize = vp->v_size;
	int error;

	if (!(flags & FOF_OFFSET))
		uio->uio_offset = fp->f_offset;
	error = VOP_WRITE(vp, uio, (fp->f_flag & O_APPEND) ? IO_APPEND : 0);
	if (!(flags & FOF_OFFSET))
		fp->f_offset = uio->uio_offset;
	if (uio->uio_resid != start)
		vn_knote(vp, NOTE_WRITE |
		    (vp->v_size > osize ? NOTE_EXTEND : 0));
	return (error);
}

static int
vn_ioctl(struct file *fp, unsigned long cmd, void *data)
{
	return (-ENOTTY);
}

static int
vn_poll(struct file *fp, int events)
{
	/* Regular files and directories never block. */
	return (events & (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM));
}

static int
vn_fstat(struct file *fp, struct stat *sb)
{
	vn_stat(fp->f_vnode, sb);
	return (0);
}

static int
vn_closefile(struct file *fp)
{
	if (fp->f_flag & O_PATH)
		return (0);
	return (VOP_CLOSE(fp->f_vnode, fp->f_flag));
}

static off_t
vn_seek(struct file *fp, off_t offset, int whence)
{
	switch (whence) {
	case SEEK_SET:
		return (offset);
	case SEEK_CUR:
		return (fp->f_offset + offset);
	case SEEK_END:
		return (fp->f_vnode->v_size + offset);
	}
	return (-EINVAL);
}

/*
 * kqueue on a vnode (FreeBSD filt_vfsread/filt_vfswrite/filt_vfsvnode):
 * EVFILT_READ is ready while the offset is not at end of file, data =
 * bytes from the offset to the end (kqueue(2); NOTE_FILE_POLL: always
 * ready, as poll); EVFILT_WRITE is always ready; EVFILT_VNODE collects
 * the NOTE_* the caller asked for as vn_knote reports them.  READ and
 * VNODE knotes hang on v_note (a write that grows the file fires a read
 * knote waiting at the end); WRITE knotes hang on nothing.
 */
static void
filt_vndetach(struct knote *kn)
{
	if (kn->kn_knlist != NULL)
		knlist_remove(kn->kn_knlist, kn);
	kn->kn_status |= KN_DETACHED;
}

static int
filt_vnode(struct knote *kn, long hint)
{
	if (kn->kn_sfflags & hint)
		kn->kn_fflags |= (uint32_t)(kn->kn_sfflags & hint);
	return (kn->kn_fflags != 0);
}

static const struct filterops vn_vnodefiltops = {
	.f_isfd = 1,
	.f_detach = filt_vndetach,
	.f_event = filt_vnode,
};

static int
filt_vnread(struct knote *kn, long hint)
{
	struct file *fp = kn->kn_fp;

	kn->kn_data = fp->f_vnode->v_size - fp->f_offset;
	if (kn->kn_sfflags & NOTE_FILE_POLL)
		return (1);
	return (kn->kn_data != 0);
}

static int
filt_vnwrite(struct knote *kn, long hint)
{
	kn->kn_data = 0;
	return (1);
}

static const struct filterops vn_rfiltops = {
	.f_isfd = 1,
	.f_detach = filt_vndetach,
	.f_event = filt_vnread,
};

static const struct filterops vn_wfiltops = {
	.f_isfd = 1,
	.f_detach = filt_vndetach,
	.f_event = filt_vnwrite,
};

static int
vn_kqfilter(struct file *fp, struct knote *kn)
{
	if (fp->f_flag & O_PATH)
		return (-EBADF);
	switch (kn->kn_filter) {
	case EVFILT_READ:
		kn->kn_fop = &vn_rfiltops;
		knlist_add(&fp->f_vnode->v_note, kn);
		return (0);
	case EVFILT_VNODE:
		kn->kn_fop = &vn_vnodefiltops;
		knlist_add(&fp->f_vnode->v_note, kn);
		return (0);
	case EVFILT_WRITE:
		kn->kn_fop = &vn_wfiltops;
		kn->kn_status &= ~KN_DETACHED;	/* attached to nothing */
		return (0);
	}
	return (-EINVAL);
}

const struct fileops vnops = {
	.fo_read = vn_read,
	.fo_write = vn_write,
	.fo_ioctl = vn_ioctl,
	.fo_poll = vn_poll,
	.fo_kqfilter = vn_kqfilter,
	.fo_stat = vn_fstat,
	.fo_close = vn_closefile,
	.fo_seek = vn_seek,
};
