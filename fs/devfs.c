/*
 * devfs.c: /dev and the character-device switch (FreeBSD fs/devfs and
 * kern/kern_conf.c, much reduced).
 *
 * Drivers call make_dev; the cdev goes on a registry list and, once a
 * devfs is mounted, becomes a VCHR node in it (make_dev called before the
 * mount -- the console, early at boot -- is replayed when devfs mounts).
 * devfs itself is a ramfs with that hook, so /dev can also hold
 * directories and symlinks; a name with one '/' ("pts/0") puts the node
 * in that directory (made on first use, or at mount for make_dev_dir).
 * Opening any VCHR vnode, in /dev or made with mknod elsewhere, finds its
 * cdev by device number and routes the file's operations to the driver's
 * cdevsw, or to its d_fdopen (cloning devices: /dev/ptmx).
 */
#include <cdev.h>
#include <file.h>
#include <kernel.h>
#include <kmem.h>
#include <libkern.h>
#include <printf.h>
#include <proc.h>
#include <sys/queue.h>
#include <vnode.h>

#include "ramfs/ramfs.h"

struct cdev_priv {
	struct cdev cdp_c;
	LIST_ENTRY(cdev_priv) cdp_list;		/* devfs_mtx */
};

static LIST_HEAD(, cdev_priv) cdevs = LIST_HEAD_INITIALIZER(cdevs);
static const char *devfs_dirs[4];		/* make_dev_dir, set at boot */
static struct spinlock devfs_mtx = SPINLOCK_INIT("devfs");
static struct mount *devfs_mp;			/* devfs_mtx: the /dev */
static const struct ucred devfs_cred;		/* root */

/*
 * The directory a device name lives in (referenced) and the last
 * component: the root for "null", /dev/pts (made if missing, when mk) for
 * "pts/0".  NULL when the directory cannot be had.
 */
static struct vnode *
devfs_dir(struct mount *mp, const char *name, const char **leaf, bool mk)
{
	const char *slash = strchr(name, '/');
	char dir[sizeof(((struct cdev *)0)->si_name)];
	struct vnode *dvp;

	*leaf = name;
	if (slash == NULL) {
		vref(mp->mnt_root);
		return (mp->mnt_root);
	}
	strlcpy(dir, name, MIN(sizeof(dir), (size_t)(slash - name) + 1));
	*leaf = slash + 1;
	if (VOP_LOOKUP(mp->mnt_root, dir, &dvp) == 0) {
		if (dvp->v_type == VDIR)
			return (dvp);
		vrele(dvp);	/* someone put a file there */
		return (NULL);
	}
	if (mk && VOP_MKDIR(mp->mnt_root, dir, 0755, &devfs_cred, &dvp) == 0)
		return (dvp);
	return (NULL);
}

static void
devfs_mknode(struct mount *mp, struct cdev *dev)
{
	struct vnode *dvp, *vp;
	const char *leaf;

	if ((dvp = devfs_dir(mp, dev->si_name, &leaf, true)) == NULL)
		return;
	if (VOP_MKNOD(dvp, leaf, S_IFCHR | dev->si_mode,
	    dev->si_rdev, &devfs_cred, &vp) == 0)
		vrele(vp);
	vrele(dvp);
}

/*
 * A directory every devfs holds from its mount on (/dev/pts), so that it
 * does not come and go with the first device in it.  Boot time only.
 */
void
make_dev_dir(const char *name)
{
	struct vnode *dvp;
	struct mount *mp;
	const char *leaf;
	char path[40];
	size_t i;

	for (i = 0; i < nitems(devfs_dirs) && devfs_dirs[i] != NULL; i++)
		;
	KASSERT(i < nitems(devfs_dirs), "make_dev_dir: table full");
	devfs_dirs[i] = name;
	spin_lock(&devfs_mtx);
	mp = devfs_mp;
	spin_unlock(&devfs_mtx);
	snprintf(path, sizeof(path), "%s/x", name);
	if (mp != NULL && (dvp = devfs_dir(mp, path, &leaf, true)) != NULL)
		vrele(dvp);
}

struct cdev *
make_dev(const struct cdevsw *devsw, int unit, dev_t rdev, mode_t mode,
    const char *name)
{
	struct cdev_priv *cdp;
	struct mount *mp;
	const char *slash = strchr(name, '/');

	if (strlen(name) >= sizeof(cdp->cdp_c.si_name) || slash == name ||
	    (slash != NULL && (slash[1] == '\0' || strchr(slash + 1, '/'))))
		return (NULL);
	cdp = kmalloc(sizeof(*cdp), M_WAITOK | M_ZERO);
	if (cdp == NULL)
		return (NULL);
	cdp->cdp_c.si_devsw = devsw;
	cdp->cdp_c.si_unit = unit;
	cdp->cdp_c.si_rdev = rdev;
	cdp->cdp_c.si_mode = mode & ALLPERMS;
	strlcpy(cdp->cdp_c.si_name, name, sizeof(cdp->cdp_c.si_name));
	spin_lock(&devfs_mtx);
	LIST_INSERT_HEAD(&cdevs, cdp, cdp_list);
	mp = devfs_mp;
	spin_unlock(&devfs_mtx);
	if (mp != NULL)
		devfs_mknode(mp, &cdp->cdp_c);
	return (&cdp->cdp_c);
}

void
destroy_dev(struct cdev *dev)
{
	struct cdev_priv *cdp = container_of(dev, struct cdev_priv, cdp_c);
	struct vnode *dvp;
	struct mount *mp;
	const char *leaf;

	spin_lock(&devfs_mtx);
	LIST_REMOVE(cdp, cdp_list);
	mp = devfs_mp;
	spin_unlock(&devfs_mtx);
	if (mp != NULL &&
	    (dvp = devfs_dir(mp, dev->si_name, &leaf, false)) != NULL) {
		(void)VOP_REMOVE(dvp, leaf);
		vrele(dvp);
	}
	kfree(cdp);
}

static struct cdev *
devfs_find(dev_t rdev)
{
	struct cdev_priv *cdp;
	struct cdev *dev = NULL;

	spin_lock(&devfs_mtx);
	LIST_FOREACH(cdp, &cdevs, cdp_list)
		if (cdp->cdp_c.si_rdev == rdev) {
			dev = &cdp->cdp_c;
			break;
		}
	spin_unlock(&devfs_mtx);
	return (dev);
}

int
devfs_open_vnode(struct vnode *vp, int flags, struct file *fp)
{
	struct cdev *dev = devfs_find(vp->v_rdev);
	int error;

	if (dev == NULL)
		return (-ENXIO);
	if (dev->si_devsw->d_fdopen != NULL)
		return (dev->si_devsw->d_fdopen(dev, flags, fp));
	if (dev->si_devsw->d_open != NULL &&
	    (error = dev->si_devsw->d_open(dev, flags)) != 0)
		return (error);
	fp->f_ops = &devfs_ops;
	fp->f_data = dev;
	fp->f_type = DTYPE_DEV;
	return (0);
}

static int
devfs_ioflag(struct file *fp)
{
	return ((fp->f_flag & O_NONBLOCK) ? IO_NDELAY : 0);
}

static int
devfs_read(struct file *fp, struct uio *uio, int flags)
{
	struct cdev *dev = fp->f_data;

	bool seekable = (dev->si_devsw->d_flags & D_SEEKABLE) != 0;
	int error;

	if (dev->si_devsw->d_read == NULL)
		return (-EINVAL);
	/* A seekable device reads at the file offset, as a file does. */
	if (seekable && !(flags & FOF_OFFSET))
		uio->uio_offset = fp->f_offset;
	error = dev->si_devsw->d_read(dev, uio, devfs_ioflag(fp));
	if (seekable && !(flags & FOF_OFFSET))
		fp->f_offset = uio->uio_offset;
	return (error);
}

static int
devfs_write(struct file *fp, struct uio *uio, int flags)
{
	struct cdev *dev = fp->f_data;

	if (dev->si_devsw->d_write == NULL)
		return (-EINVAL);
	return (dev->si_devsw->d_write(dev, uio, devfs_ioflag(fp)));
}

static int
devfs_ioctl(struct file *fp, unsigned long cmd, void *data)
{
	struct cdev *dev = fp->f_data;

	if (dev->si_devsw->d_ioctl == NULL)
		return (-ENOTTY);
	return (dev->si_devsw->d_ioctl(dev, cmd, data, fp->f_flag));
}

static int
devfs_poll(struct file *fp, int events)
{
	struct cdev *dev = fp->f_data;

	if (dev->si_devsw->d_poll == NULL)
		return (events & (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM));
	return (dev->si_devsw->d_poll(dev, events));
}

static int
devfs_kqfilter(struct file *fp, struct knote *kn)
{
	struct cdev *dev = fp->f_data;

	/* No filter of its own: always ready, as poll says (null, zero). */
	if (dev->si_devsw->d_kqfilter == NULL)
		return (seltrue_kqfilter(kn));
	return (dev->si_devsw->d_kqfilter(dev, kn));
}

static int
devfs_stat(struct file *fp, struct stat *sb)
{
	if (fp->f_vnode == NULL)
		return (-EBADF);
	vn_stat(fp->f_vnode, sb);
	return (0);
}

static int
devfs_close(struct file *fp)
{
	struct cdev *dev = fp->f_data;

	if (dev->si_devsw->d_close != NULL)
		return (dev->si_devsw->d_close(dev, fp->f_flag));
	return (0);
}

/* Seekable devices just keep an offset; /dev/null answers 0 like Linux. */
static off_t
devfs_seek(struct file *fp, off_t offset, int whence)
{
	struct cdev *dev = fp->f_data;

	if (!(dev->si_devsw->d_flags & D_SEEKABLE))
		return (-ESPIPE);
	if (whence == SEEK_END)
		return (0);
	return (whence == SEEK_CUR ? fp->f_offset + offset : offset);
}

const struct fileops devfs_ops = {
	.fo_read = devfs_read,
	.fo_write = devfs_write,
	.fo_ioctl = devfs_ioctl,
	.fo_poll = devfs_poll,
	.fo_kqfilter = devfs_kqfilter,
	.fo_stat = devfs_stat,
	.fo_close = devfs_close,
	.fo_seek = devfs_seek,
};

static int
devfs_vfs_mount(struct mount *mp, const char *data)
{
	struct cdev_priv *cdp;
	int error;

	if ((error = ramfs_mount_common(mp, data, TMPFS_MAGIC)) != 0)
		return (error);
	spin_lock(&devfs_mtx);
	if (devfs_mp == NULL)
		devfs_mp = mp;
	spin_unlock(&devfs_mtx);
	/* Replay the registry (no sleeping under devfs_mtx: a new mount
	 * gets a private copy of the list walk, which only grows). */
	for (size_t i = 0; i < nitems(devfs_dirs) && devfs_dirs[i]; i++) {
		struct vnode *dvp;
		const char *leaf;
		char path[40];

		snprintf(path, sizeof(path), "%s/x", devfs_dirs[i]);
		if ((dvp = devfs_dir(mp, path, &leaf, true)) != NULL)
			vrele(dvp);
	}
	LIST_FOREACH(cdp, &cdevs, cdp_list)
		devfs_mknode(mp, &cdp->cdp_c);
	return (0);
}

static int
devfs_vfs_unmount(struct mount *mp, int flags)
{
	spin_lock(&devfs_mtx);
	if (devfs_mp == mp)
		devfs_mp = NULL;
	spin_unlock(&devfs_mtx);
	return (ramfs_unmount(mp, flags));
}

const struct vfsops devfs_vfsops = {
	.vfs_name = "devfs",
	.vfs_mount = devfs_vfs_mount,
	.vfs_unmount = devfs_vfs_unmount,
	.vfs_statfs = ramfs_statfs,
};

/* devtmpfs is what Linux calls it; accept that name too. */
const struct vfsops devtmpfs_vfsops = {
	.vfs_name = "devtmpfs",
	.vfs_mount = devfs_vfs_mount,
	.vfs_unmount = devfs_vfs_unmount,
	.vfs_statfs = ramfs_statfs,
};
