/*
 * ramfs_data.c: file contents, directory listing and symlink targets of
 * ramfs.
 *
 * A regular file is an array of page pointers; a NULL slot is a hole that
 * reads as zeros, so a file truncated up or written far past its end costs
 * nothing until written.  Every page allocated is charged to the mount,
 * and a write that would pass the mount's limit stops with ENOSPC (after
 * what did fit), as does one when memory runs low (M_USERDATA: the
 * kernel keeps its reserve).  Files are limited to the mount's size (EFBIG
 * beyond).
 */
#include <kernel.h>
#include <kmem.h>
#include <libkern.h>

#include "ramfs.h"

/* Grow the page-pointer array to hold npages slots. */
static int
ramfs_grow(struct ramfs_node *rn, size_t npages)
{
	char **np;
	size_t n;

	if (npages <= rn->rn_npages)
		return (0);
	n = MAX(npages, rn->rn_npages * 2);
	n = MAX(n, 8);
	np = kcalloc(n, sizeof(char *), M_WAITOK);
	if (np == NULL)
		return (-ENOSPC);
	if (rn->rn_pages != NULL) {
		memcpy(np, rn->rn_pages, rn->rn_npages * sizeof(char *));
		kfree(rn->rn_pages);
	}
	rn->rn_pages = np;
	rn->rn_npages = n;
	return (0);
}

int
ramfs_read(struct vnode *vp, struct uio *uio, int ioflag)
{
	struct ramfs_mount *rm = VTORM(vp);
	struct ramfs_node *rn = VTORN(vp);
	static const char zeros[256];
	int error = 0;

	if (vp->v_type == VDIR)
		return (-EISDIR);
	if (vp->v_type != VREG)
		return (-EINVAL);
	if (uio->uio_offset < 0)
		return (-EINVAL);
	sx_xlock(&rm->rm_lock);
	while (uio->uio_resid > 0 && uio->uio_offset < vp->v_size) {
		off_t off = uio->uio_offset;
		size_t pg = off / PAGE_SIZE, po = off % PAGE_SIZE;
		size_t n = MIN(PAGE_SIZE - po, (size_t)(vp->v_size - off));

		n = MIN(n, (size_t)uio->uio_resid);
		if (pg < rn->rn_npages && rn->rn_pages[pg] != NULL)
			error = uiomove(rn->rn_pages[pg] + po, n, uio);
		else
			error = uiomove((void *)zeros, MIN(n, sizeof(zeros)),
			    uio);
		if (error != 0)
			break;
	}
	vfs_timestamp(&vp->v_atime);
	sx_xunlock(&rm->rm_lock);
	return (error);
}

int
ramfs_write(struct vnode *vp, struct uio *uio, int ioflag)
{
	struct ramfs_mount *rm = VTORM(vp);
	struct ramfs_node *rn = VTORN(vp);
	int error = 0;

	if (vp->v_type != VREG)
		return (vp->v_type == VDIR ? -EISDIR : -EINVAL);
	sx_xlock(&rm->rm_lock);
	if (ioflag & IO_APPEND)
		uio->uio_offset = vp->v_size;
	if (uio->uio_offset < 0) {
		sx_xunlock(&rm->rm_lock);
		return (-EINVAL);
	}
	if ((uint64_t)uio->uio_offset + uio->uio_resid > rm->rm_maxbytes) {
		sx_xunlock(&rm->rm_lock);
		return (-EFBIG);
	}
	while (uio->uio_resid > 0) {
		off_t off = uio->uio_offset;
		size_t pg = off / PAGE_SIZE, po = off % PAGE_SIZE;
		size_t n = MIN(PAGE_SIZE - po, (size_t)uio->uio_resid);

		if ((error = ramfs_grow(rn, pg + 1)) != 0)
			break;
		if (rn->rn_pages[pg] == NULL) {
			if (rm->rm_used + PAGE_SIZE > rm->rm_maxbytes) {
				error = -ENOSPC;
				break;
			}
			rn->rn_pages[pg] = kmalloc(PAGE_SIZE,
			    M_NOWAIT | M_ZERO | M_USERDATA);
			if (rn->rn_pages[pg] == NULL) {
				error = -ENOSPC;
				break;
			}
			rm->rm_used += PAGE_SIZE;
		}
		if ((error = uiomove(rn->rn_pages[pg] + po, n, uio)) != 0)
			break;
		if (uio->uio_offset > vp->v_size)
			vp->v_size = uio->uio_offset;
	}
	vfs_timestamp(&vp->v_mtime);
	vp->v_ctime = vp->v_mtime;
	sx_xunlock(&rm->rm_lock);
	return (error);
}

/* Caller holds rm_lock. */
int
ramfs_truncate_locked(struct vnode *vp, off_t len)
{
	struct ramfs_mount *rm = VTORM(vp);
	struct ramfs_node *rn = VTORN(vp);
	size_t keep;

	if (vp->v_type == VDIR)
		return (-EISDIR);
	if (vp->v_type != VREG)
		return (-EINVAL);
	if (len < 0)
		return (-EINVAL);
	if ((uint64_t)len > rm->rm_maxbytes)
		return (-EFBIG);
	if (len < vp->v_size) {
		keep = howmany(len, PAGE_SIZE);
		for (size_t i = keep; i < rn->rn_npages; i++)
			if (rn->rn_pages[i] != NULL) {
				kfree(rn->rn_pages[i]);
				rn->rn_pages[i] = NULL;
				rm->rm_used -= PAGE_SIZE;
			}
		/* Zero the tail of the last page, so regrowth reads zeros. */
		if (len % PAGE_SIZE != 0 && keep - 1 < rn->rn_npages &&
		    rn->rn_pages[keep - 1] != NULL)
			memset(rn->rn_pages[keep - 1] + len % PAGE_SIZE, 0,
			    PAGE_SIZE - len % PAGE_SIZE);
	}
	vp->v_size = len;
	vfs_timestamp(&vp->v_mtime);
	vp->v_ctime = vp->v_mtime;
	return (0);
}

void
ramfs_free_data(struct vnode *vp)
{
	struct ramfs_mount *rm = VTORM(vp);
	struct ramfs_node *rn = VTORN(vp);

	for (size_t i = 0; i < rn->rn_npages; i++)
		if (rn->rn_pages[i] != NULL) {
			kfree(rn->rn_pages[i]);
			rm->rm_used -= PAGE_SIZE;
		}
	if (rn->rn_pages != NULL)
		kfree(rn->rn_pages);
	if (rn->rn_target != NULL) {
		rm->rm_used -= strlen(rn->rn_target) + 1;
		kfree(rn->rn_target);
	}
	rn->rn_pages = NULL;
	rn->rn_npages = 0;
	rn->rn_target = NULL;
}

int
ramfs_readdir(struct vnode *vp, struct uio *uio)
{
	struct ramfs_mount *rm = VTORM(vp);
	struct ramfs_node *rn = VTORN(vp);
	struct ramfs_dirent *de;
	int r = 0;

	if (vp->v_type != VDIR)
		return (-ENOTDIR);
	sx_xlock(&rm->rm_lock);
	if (vp->v_nlink == 0)
		goto out;	/* removed: empty, not even . and .. */
	if (uio->uio_offset == 0 &&
	    (r = vfs_dirent_emit(uio, ".", vp->v_ino, DT_DIR, 1)) != 0)
		goto out;
	if (uio->uio_offset == 1 &&
	    (r = vfs_dirent_emit(uio, "..", rn->rn_parent->v_ino, DT_DIR,
	    2)) != 0)
		goto out;
	TAILQ_FOREACH(de, &rn->rn_dir, rd_link) {
		if (de->rd_cookie < uio->uio_offset)
			continue;
		r = vfs_dirent_emit(uio, de->rd_name, de->rd_vp->v_ino,
		    vttodt(de->rd_vp->v_type), de->rd_cookie + 1);
		if (r != 0)
			break;
	}
out:
	vfs_timestamp(&vp->v_atime);
	sx_xunlock(&rm->rm_lock);
	return (r < 0 ? r : 0);
}

int
ramfs_readlink(struct vnode *vp, struct uio *uio)
{
	struct ramfs_mount *rm = VTORM(vp);
	struct ramfs_node *rn = VTORN(vp);
	int error;

	if (vp->v_type != VLNK)
		return (-EINVAL);
	sx_xlock(&rm->rm_lock);
	error = uiomove(rn->rn_target, MIN(strlen(rn->rn_target),
	    (size_t)uio->uio_resid), uio);
	sx_xunlock(&rm->rm_lock);
	return (error);
}
