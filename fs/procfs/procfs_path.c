/*
 * procfs_path.c: the path of a vnode, for the exe, cwd and fd/ links and
 * the names in maps.
 *
 * vn_fullpath names directories (it climbs ".." and finds each name in
 * its parent by inode number).  A regular file has no "..": Mica keeps no
 * name cache, so pfs_vnpath searches the file's own file system breadth
 * first from its root for a directory entry with the file's inode number
 * and names it through that directory.  The search is bounded
 * (PFS_PATH_MAXDIRS directories); a hard-linked file gets whichever name
 * is found first, as Linux's d_path does for a file opened by another.
 */
#include <kernel.h>
#include <kmem.h>
#include <libkern.h>
#include <vnode.h>

#include "procfs.h"

#define PFS_PATH_MAXDIRS	256
#define PFS_DIRBUF		2048

extern const struct vfsops procfs_vfsops;

/* Scan dvp for ino; push subdirectories on q.  1 found, 0 not, <0 error. */
static int
pfs_scan_dir(struct vnode *dvp, ino_t ino, char *name, char *tmp,
    struct vnode **q, int *qn)
{
	struct linux_dirent64 *d;
	struct iovec iov;
	struct uio uio;
	off_t cookie = 0;
	struct vnode *vp;
	int error;

	for (;;) {
		iov.iov_base = tmp;
		iov.iov_len = PFS_DIRBUF;
		uio = (struct uio){ &iov, 1, cookie, PFS_DIRBUF, UIO_SYSSPACE,
			UIO_READ };
		if ((error = VOP_READDIR(dvp, &uio)) != 0)
			return (error);
		if (uio.uio_resid == PFS_DIRBUF)
			return (0);
		for (size_t o = 0; o < PFS_DIRBUF - (size_t)uio.uio_resid;
		    o += d->d_reclen) {
			d = (void *)(tmp + o);
			cookie = d->d_off;
			if (strcmp(d->d_name, ".") == 0 ||
			    strcmp(d->d_name, "..") == 0)
				continue;
			if (d->d_ino == ino && d->d_type != DT_DIR) {
				strlcpy(name, d->d_name, NAME_MAX + 1);
				return (1);
			}
			if (d->d_type == DT_DIR && *qn < PFS_PATH_MAXDIRS &&
			    VOP_LOOKUP(dvp, d->d_name, &vp) == 0) {
				if (vp->v_type == VDIR && vp->v_mount ==
				    dvp->v_mount)
					q[(*qn)++] = vp;
				else
					vrele(vp);
			}
		}
	}
}

int
pfs_vnpath(struct vnode *vp, char *buf, size_t len)
{
	struct vnode **q;
	char *tmp, name[NAME_MAX + 1];
	int qn = 0, error = -ENOENT, found = 0, i;
	size_t dl;

	if (vp->v_type == VDIR)
		return (vn_fullpath(vp, buf, len));
	if (vp->v_mount == NULL || vp->v_mount->mnt_op == &procfs_vfsops ||
	    vp->v_mount->mnt_root == NULL)
		return (-ENOENT);
	q = kmalloc(PFS_PATH_MAXDIRS * sizeof(*q), M_WAITOK);
	tmp = kmalloc(PFS_DIRBUF, M_WAITOK);
	if (q == NULL || tmp == NULL) {
		kfree(q);
		kfree(tmp);
		return (-ENOMEM);
	}
	vref(vp->v_mount->mnt_root);
	q[qn++] = vp->v_mount->mnt_root;
	for (i = 0; i < qn && found == 0; i++)
		found = pfs_scan_dir(q[i], vp->v_ino, name, tmp, q, &qn);
	if (found == 1) {
		/* q[i - 1] is the directory holding the name. */
		if ((error = vn_fullpath(q[i - 1], buf, len)) == 0) {
			dl = strlen(buf);
			if (dl == 1)
				dl = 0;		/* "/" + name, not "//name" */
			if (dl + 1 + strlen(name) + 1 > len)
				error = -ERANGE;
			else {
				buf[dl] = '/';
				strlcpy(buf + dl + 1, name, len - dl - 1);
			}
		}
	} else if (found < 0)
		error = found;
	for (i = 0; i < qn; i++)
		vrele(q[i]);
	kfree(q);
	kfree(tmp);
	return (error);
}
