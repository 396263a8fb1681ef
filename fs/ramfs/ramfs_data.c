/*
 * ramfs_data.c: file contents, directory listing and symlink targets of
 * ramfs.
 *
 * A regular file's data are the pages of its vnode's page cache object
 * (mm/vnode_pager.c): read and write copy to and from those pages through
 * the direct map, and mmap maps the very same pages, so the three agree
 * without any copying or write-back.  A missing page is a hole that reads
 * as zeros, so a file truncated up or written far past its end costs
 * nothing until written.  Every page allocated is charged to the mount,
 * and a write that would pass the mount's limit stops with ENOSPC (after
 * what did fit), as does one when memory runs low (file pages are user
 * pages: the kernel keeps its reserve).  Files are limited to the mount's
 * size (EFBIG beyond).
 */
#include <kernel.h>
#include <kmem.h>
#include <libkern.h>
#include <vm_object.h>
#include <vm_param.h>
#include <vnode_pager.h>

#include "ramfs.h"

/*
 * Charge the mount for the pages the file holds now: stores through a
 * MAP_SHARED mapping add pages behind ramfs's back (vm_fault), so the
 * count is brought up to date at every write, truncate and free.
 */
static void
ramfs_charge(struct vnode *vp)
{
	struct ramfs_mount *rm = VTORM(vp);
	struct ramfs_node *rn = VTORN(vp);
	size_t have;

	have = vp->v_object != NULL ? vp->v_object->resident_page_count : 0;
	rm->rm_used += (int64_t)(have - rn->rn_charged) * PAGE_SIZE;
	rn->rn_charged = have;
}

int
ramfs_read(struct vnode *vp, struct uio *uio, int ioflag)
{
	struct ramfs_mount *rm = VTORM(vp);
	static const char zeros[256];
	vm_object_t obj;
	vm_page_t m;
	int error = 0;

	if (vp->v_type == VDIR)
		return (-EISDIR);
	if (vp->v_type != VREG)
		return (-EINVAL);
	if (uio->uio_offset < 0)
		return (-EINVAL);
	sx_xlock(&rm->rm_lock);
	obj = vp->v_object;
	while (uio->uio_resid > 0 && uio->uio_offset < vp->v_size) {
		off_t off = uio->uio_offset;
		size_t pg = off / PAGE_SIZE, po = off % PAGE_SIZE;
		size_t n = MIN(PAGE_SIZE - po, (size_t)(vp->v_size - off));

		n = MIN(n, (size_t)uio->uio_resid);
		m = obj != NULL ? vm_page_lookup(obj, pg) : NULL;
		if (m != NULL)
			error = uiomove((char *)PHYS_TO_DMAP(
			    VM_PAGE_TO_PHYS(m)) + po, n, uio);
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
	off_t oldsize;
	vm_object_t obj;
	vm_page_t m;
	bool created;
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
	if ((obj = vnode_pager_object(vp)) == NULL) {
		sx_xunlock(&rm->rm_lock);
		return (-ENOSPC);
	}
	ramfs_charge(vp);
	oldsize = vp->v_size;
	while (uio->uio_resid > 0) {
		off_t off = uio->uio_offset;
		size_t pg = off / PAGE_SIZE, po = off % PAGE_SIZE;
		size_t n = MIN(PAGE_SIZE - po, (size_t)uio->uio_resid);

		m = vm_page_lookup(obj, pg);
		if (m == NULL) {
			if (rm->rm_used + PAGE_SIZE > rm->rm_maxbytes) {
				error = -ENOSPC;
				break;
			}
			if ((m = vm_page_grab(obj, pg, &created)) == NULL) {
				error = -ENOSPC;
				break;
			}
			ramfs_charge(vp);
		}
		if ((error = uiomove((char *)PHYS_TO_DMAP(VM_PAGE_TO_PHYS(m)) +
		    po, n, uio)) != 0)
			break;
		if (uio->uio_offset > vp->v_size)
			vp->v_size = uio->uio_offset;
	}
	if (vp->v_size != oldsize)
		vnode_pager_setsize(vp, oldsize, vp->v_size);
	/* A page made for a write that failed, past the end: not the file. */
	if (error != 0 && obj->resident_page_count > 0) {
		vm_object_page_remove(obj, howmany(vp->v_size, PAGE_SIZE), 0);
		ramfs_charge(vp);
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
	off_t oldsize = vp->v_size;

	if (vp->v_type == VDIR)
		return (-EISDIR);
	if (vp->v_type != VREG)
		return (-EINVAL);
	if (len < 0)
		return (-EINVAL);
	if ((uint64_t)len > rm->rm_maxbytes)
		return (-EFBIG);
	vp->v_size = len;
	/* Shrinking unmaps and frees the tail, and zeroes the last page's. */
	vnode_pager_setsize(vp, oldsize, len);
	ramfs_charge(vp);
	vfs_timestamp(&vp->v_mtime);
	vp->v_ctime = vp->v_mtime;
	return (0);
}

void
ramfs_free_data(struct vnode *vp)
{
	struct ramfs_mount *rm = VTORM(vp);
	struct ramfs_node *rn = VTORN(vp);

	/*
	 * The pages go with the object: now, or when the last mapping of an
	 * unlinked file goes (vnfree hands the object over).
	 */
	rm->rm_used -= rn->rn_charged * PAGE_SIZE;
	rn->rn_charged = 0;
	if (rn->rn_target != NULL) {
		rm->rm_used -= strlen(rn->rn_target) + 1;
		kfree(rn->rn_target);
	}
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
