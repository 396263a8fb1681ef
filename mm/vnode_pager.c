/*
 * vnode_pager.c: the page cache of files and file mappings (FreeBSD
 * vnode_pager.c and the file half of vm_mmap.c).
 *
 * Each regular file's vnode gets, on demand, one OBJT_VNODE vm_object:
 * its page cache.  read(2), write(2) and every mapping of the file use
 * the same pages, so they are coherent by construction: a store through a
 * MAP_SHARED mapping is what the next read(2) returns, and a write(2) is
 * what a mapping shows.  MAP_PRIVATE maps the same object copy-on-write
 * (a shadow object takes the first write, vm_fault.c).
 *
 * The pager is generic; a file system plugs in with two vnode operations:
 * vop_getpages fills a page from its backing store, vop_putpages writes
 * dirty pages back.  ramfs has neither: its files live in these pages
 * (the page cache is the storage), a missing page is a hole of zeros.
 *
 * Lifetimes: the vnode holds one reference on its object (v_object), and
 * every map entry or shadow using it holds another.  Mappings hold the
 * vnode, as in FreeBSD: while the object has any user besides the vnode
 * (ref_count > 1: mmap, fork, mremap, exec's text, a shadow of a private
 * mapping, msync or a fault while it runs) it holds one vnode reference,
 * taken when the first user arrives (pgo_reference) and dropped when the
 * last one leaves (pgo_release) -- after the deleted entries' dirty pages
 * were written back at vm_map_unlock.  So the file system keeps the vnode
 * (9P: its fids) as long as anything maps the file, and a ramfs file
 * unlinked while mapped is freed, pages and all, when the last mapping
 * goes.  vnfree clears the handle only after that.  The object's size is
 * the number of pages covering the file (i_size); a fault at or past it is
 * KERN_OUT_OF_BOUNDS, which the trap handler turns into SIGBUS.
 * Shrinking a file (vnode_pager_setsize) removes the tail pages from every
 * process's page tables -- there is no reverse map, so it walks allproc
 * and each map's entries whose shadow chain reaches the object -- and
 * then frees them.
 *
 * Locks: v_object and the object's fields are under vm_object_lock; the
 * caller of vnode_pager_setsize holds its file system's lock; the order is
 * fs lock, proc_lock, map lock, vm_object_lock, v_interlock (vref under
 * the object lock).  The hooks may sleep and never run under a map lock:
 * vm_fault unlocks the map around getpages, and the write-back of an
 * unmapped range waits for vm_map_unlock.  vrele may call the file
 * system's inactive (which may sleep): vm_object_deallocate defers it to
 * vm_map_unlock when its caller holds a spin lock.
 *
 * Dirty pages: a store through a shared mapping faults once on the clean
 * page (mapped read-only until then) and marks it dirty; write-back hands
 * dirty pages to putpages (vm_object_page_clean), which first takes write
 * access away from those pages in every process's shared mappings (the
 * same allproc walk): so a page mapped writable anywhere is dirty, and a
 * store after any write-back -- msync here, munmap there -- faults and
 * dirties it again.  That is simpler than keeping pages dirty until
 * every writable mapping is gone, which would need a count of writable
 * translations per page (a reverse map in all but name).
 */
#include <cdev.h>
#include <file.h>
#include <kernel.h>
#include <libkern.h>
#include <proc.h>
#include <uapi/errno.h>
#include <uapi/mman.h>
#include <vm_map.h>
#include <vm_mmap.h>
#include <vm_object.h>
#include <vnode.h>
#include <vnode_pager.h>

static vm_pindex_t
size_to_pages(off_t size)
{
	return (size <= 0 ? 0 : howmany((uint64_t)size, PAGE_SIZE));
}

static bool
vnode_pager_haspage(vm_object_t obj, vm_pindex_t pindex)
{
	return (pindex < obj->size);
}

/*
 * Make page pindex resident: a zero page, filled by the file system's
 * vop_getpages if it has one.  Past the end of the file, or when the file
 * system cannot read it: KERN_OUT_OF_BOUNDS (SIGBUS, as Linux for both).
 */
static int
vnode_pager_getpages(vm_object_t obj, vm_pindex_t pindex, vm_page_t *mp)
{
	struct vnode *vp;
	vm_page_t m;
	bool created;

	if (pindex >= obj->size)
		return (KERN_OUT_OF_BOUNDS);
	m = vm_page_grab(obj, pindex, &created);
	if (m == NULL)
		return (KERN_RESOURCE_SHORTAGE);
	vp = obj->handle;
	if (created && vp != NULL && vp->v_op->vop_getpages != NULL &&
	    vp->v_op->vop_getpages(vp, m) != 0) {
		vm_page_remove(m);
		vm_page_free(m);
		return (KERN_OUT_OF_BOUNDS);
	}
	m->valid = 1;
	*mp = m;
	return (KERN_SUCCESS);
}

static void vnode_pager_pmap_walk(vm_object_t obj, vm_pindex_t from,
    vm_pindex_t to, bool remove);

/*
 * The pages were just marked clean (vm_object_page_clean): first take
 * write access away from every translation of them, in every process, so
 * that the next store anywhere faults and dirties the page again; then
 * the file system writes them.  A store between the two is in the page
 * when it is written.  Only a page's first store after a clean faults.
 */
static int
vnode_pager_putpages(vm_object_t obj, vm_page_t *ma, int count, bool sync)
{
	struct vnode *vp = obj->handle;

	if (vp == NULL || vp->v_op->vop_putpages == NULL || count == 0)
		return (0);	/* the pages are the file, or it is gone */
	if (obj->ref_count > 1)	/* mapped: more than the vnode's own */
		vnode_pager_pmap_walk(obj, ma[0]->pindex,
		    ma[count - 1]->pindex + 1, false);
	return (vp->v_op->vop_putpages(vp, ma, count, sync));
}

/*
 * Mappings hold the vnode (FreeBSD): while anything but the vnode itself
 * references the object -- a map entry, a shadow of a private mapping,
 * msync or a fault for the while it runs -- the object holds one vnode
 * reference, so the file system keeps the vnode (and, for 9P, its fids)
 * until the last mapping is gone and its dirty pages are written back.
 */
static bool
vnode_pager_reference(vm_object_t obj)
{
	if (obj->handle == NULL)
		return (false);		/* the vnode is gone already */
	vref(obj->handle);
	return (true);
}

/* The last user left (no lock held): VOP_INACTIVE may run, and sleep. */
static void
vnode_pager_release(vm_object_t obj)
{
	KASSERT(obj->handle != NULL, "vnode released twice");
	vrele(obj->handle);
}

const struct pagerops vnode_pager_ops = {
	.pgo_name = "vnode",
	.pgo_haspage = vnode_pager_haspage,
	.pgo_getpages = vnode_pager_getpages,
	.pgo_putpages = vnode_pager_putpages,
	.pgo_reference = vnode_pager_reference,
	.pgo_release = vnode_pager_release,
};

vm_object_t
vnode_pager_object(struct vnode *vp)
{
	vm_object_t obj, new;

	spin_lock(&vm_object_lock);
	obj = vp->v_object;
	spin_unlock(&vm_object_lock);
	if (obj != NULL)
		return (obj);
	new = vm_object_allocate_pager(OBJT_VNODE, size_to_pages(vp->v_size),
	    &vnode_pager_ops, vp);
	if (new == NULL)
		return (NULL);
	spin_lock(&vm_object_lock);
	if ((obj = vp->v_object) == NULL)
		obj = vp->v_object = new;
	spin_unlock(&vm_object_lock);
	if (obj != new) {
		new->handle = NULL;
		vm_object_deallocate(new);
	}
	return (obj);
}

/* Does entry e's chain reach obj?  *pip: e->start's pindex in obj. */
static bool
vnode_pager_entry_uses(vm_map_entry_t e, vm_object_t obj, vm_pindex_t *pip)
{
	vm_pindex_t pi = e->offset >> PAGE_SHIFT;
	vm_object_t o;

	for (o = e->object; o != NULL; o = o->backing_object) {
		if (o == obj) {
			*pip = pi;
			return (true);
		}
		pi += o->backing_offset;
	}
	return (false);
}

/*
 * Every translation of obj's pages in [from, to) (to 0: to the end), in
 * every process: removed (truncation: also in private entries whose
 * shadow chain reaches obj), or write-protected (write-back: only shared
 * entries map file pages writable).  There is no reverse map: walk
 * allproc and the entries.  Called with no map lock held.
 */
static void
vnode_pager_pmap_walk(vm_object_t obj, vm_pindex_t from, vm_pindex_t to,
    bool remove)
{
	struct proc *p;
	vm_map_entry_t e;
	vm_map_t map;
	vm_pindex_t pi, epages;
	vaddr_t va, vend;

	spin_lock(&proc_lock);
	LIST_FOREACH(p, &allproc, p_list) {
		if (p->p_vmspace == NULL)
			continue;
		map = vmspace_map(p->p_vmspace);
		vm_map_lock(map);
		for (e = vm_map_first_entry(map); e != NULL;
		    e = vm_map_next_entry(map, e)) {
			if (remove ? !vnode_pager_entry_uses(e, obj, &pi) :
			    e->object != obj || (e->eflags & MAP_ENTRY_COW) ||
			    (e->protection & VM_PROT_WRITE) == 0)
				continue;
			if (!remove)
				pi = e->offset >> PAGE_SHIFT;
			epages = (e->end - e->start) >> PAGE_SHIFT;
			if (pi + epages <= from || (to != 0 && pi >= to))
				continue;
			va = pi >= from ? e->start :
			    e->start + ((from - pi) << PAGE_SHIFT);
			vend = to == 0 || pi + epages <= to ? e->end :
			    e->start + ((to - pi) << PAGE_SHIFT);
			if (remove)
				pmap_remove(map->pmap, va, vend);
			else
				pmap_protect(map->pmap, va, vend,
				    e->protection & ~VM_PROT_WRITE);
		}
		vm_map_unlock(map);
	}
	spin_unlock(&proc_lock);
}

void
vnode_pager_setsize(struct vnode *vp, off_t oldsize, off_t size)
{
	vm_object_t obj;
	vm_pindex_t npages = size_to_pages(size);
	vm_page_t m;
	bool mapped;

	spin_lock(&vm_object_lock);
	obj = vp->v_object;
	if (obj == NULL) {
		spin_unlock(&vm_object_lock);
		return;
	}
	obj->size = npages;
	mapped = obj->ref_count > 1;	/* more than the vnode's own */
	spin_unlock(&vm_object_lock);
	if (size >= oldsize)
		return;
	/* Pages past the end: out of every pmap, then freed. */
	if (npages < size_to_pages(oldsize)) {
		if (mapped)
			vnode_pager_pmap_walk(obj, npages, 0, true);
		vm_object_page_remove(obj, npages, 0);
	}
	/* The rest of the last page reads as zeros from now on. */
	if ((size & PAGE_MASK) != 0 &&
	    (m = vm_page_lookup(obj, npages - 1)) != NULL)
		memset((char *)PHYS_TO_DMAP(VM_PAGE_TO_PHYS(m)) +
		    (size & PAGE_MASK), 0, PAGE_SIZE - (size & PAGE_MASK));
}

void
vnode_pager_vnode_gone(struct vnode *vp)
{
	vm_object_t obj;

	spin_lock(&vm_object_lock);
	obj = vp->v_object;
	vp->v_object = NULL;
	if (obj != NULL)
		obj->handle = NULL;
	spin_unlock(&vm_object_lock);
	if (obj != NULL)
		vm_object_deallocate(obj);
}

/*
 * read(2)/write(2) through the page cache, for a file system with a
 * backing store (FreeBSD's vn_io_fault + VOP_READ of a buffer-cache file
 * system, reduced to pages): the data move between the uio and the cache
 * pages, so they agree with every mapping.  A page not cached is read with
 * vop_getpages first -- also before a write that covers only part of it.
 * Written pages are dirty until vm_object_page_clean hands them to
 * vop_putpages (fsync, msync, munmap, exit).  The caller holds its lock
 * for vp (writes and truncation do not interleave) and checks the access;
 * a write past the end grows v_size and the object.  0 or -errno (-EIO
 * when a page cannot be read); what moved is in the uio.
 */
int
vnode_pager_rdwr(struct vnode *vp, struct uio *uio, int ioflag)
{
	vm_object_t obj;
	vm_page_t m;
	off_t off, oldsize = vp->v_size;
	size_t pg, po, n;
	bool created;
	int error = 0;

	if (vp->v_type != VREG)
		return (vp->v_type == VDIR ? -EISDIR : -EINVAL);
	if ((obj = vnode_pager_object(vp)) == NULL)
		return (-ENOMEM);
	if (uio->uio_rw == UIO_WRITE && (ioflag & IO_APPEND))
		uio->uio_offset = vp->v_size;
	if (uio->uio_offset < 0)
		return (-EINVAL);
	while (uio->uio_resid > 0) {
		off = uio->uio_offset;
		pg = off / PAGE_SIZE;
		po = off % PAGE_SIZE;
		n = MIN(PAGE_SIZE - po, (size_t)uio->uio_resid);
		if (uio->uio_rw == UIO_READ) {
			if (off >= vp->v_size)
				break;
			n = MIN(n, (size_t)(vp->v_size - off));
		}
		m = vm_page_lookup(obj, pg);
		if (m == NULL && pg < obj->size &&
		    (uio->uio_rw == UIO_READ || po != 0 || n < PAGE_SIZE)) {
			/* Read it in (a partial write keeps the rest). */
			if (obj->pager->pgo_getpages(obj, pg, &m) !=
			    KERN_SUCCESS) {
				error = -EIO;
				break;
			}
		} else if (m == NULL) {
			/* Wholly overwritten, or past the end: zeros. */
			if ((m = vm_page_grab(obj, pg, &created)) == NULL) {
				error = -ENOMEM;
				break;
			}
		}
		error = uiomove((char *)PHYS_TO_DMAP(VM_PAGE_TO_PHYS(m)) + po,
		    n, uio);
		if (uio->uio_rw == UIO_WRITE) {
			spin_lock(&vm_object_lock);
			m->dirty = 1;
			obj->flags |= OBJ_MIGHTBEDIRTY;
			spin_unlock(&vm_object_lock);
			if (uio->uio_offset > vp->v_size)
				vp->v_size = uio->uio_offset;
		}
		if (error != 0)
			break;
	}
	if (vp->v_size != oldsize)
		vnode_pager_setsize(vp, oldsize, vp->v_size);
	/* A page made for a write that failed, past the end: not the file. */
	if (error != 0 && uio->uio_rw == UIO_WRITE)
		vm_object_page_remove(obj, size_to_pages(vp->v_size), 0);
	return (error);
}

/*
 * The file half of mmap(2), in Linux do_mmap's order: MAP_SHARED with
 * PROT_WRITE needs a descriptor open for writing (EACCES); any file
 * mapping needs one open for reading (EACCES: O_WRONLY); only regular
 * files and /dev/zero can be mapped (ENODEV: directories, pipes, sockets,
 * other devices);
 * MAP_GROWSDOWN is EINVAL.  A MAP_SHARED mapping of a descriptor not open
 * for writing may never become writable (max_prot without WRITE), so a
 * later mprotect(PROT_WRITE) is EACCES.
 */
int
vm_mmap_vnode(int fd, off_t off, int prot, int flags, vm_object_t *objp,
    vm_prot_t *maxprotp)
{
	struct file *fp;
	struct vnode *vp;
	vm_object_t obj;
	vm_prot_t maxprot = VM_PROT_ALL;
	int error, type = flags & MAP_TYPE;

	if ((error = fget(fd, &fp)) != 0)
		return (error);
	if (type == MAP_SHARED || type == MAP_SHARED_VALIDATE) {
		if ((prot & PROT_WRITE) && !FWRITE(fp)) {
			error = -EACCES;
			goto out;
		}
		if (!FWRITE(fp))
			maxprot &= ~VM_PROT_WRITE;
	}
	if (!FREAD(fp)) {
		error = -EACCES;
		goto out;
	}
	vp = fp->f_vnode;
	/* /dev/zero (Linux mmap_zero): anonymous memory, shared or not. */
	if (vp != NULL && vp->v_type == VCHR && vp->v_rdev == makedev(1, 5)) {
		*objp = NULL;
		*maxprotp = maxprot;
		goto out;
	}
	if (fp->f_type != DTYPE_VNODE || vp == NULL || vp->v_type != VREG) {
		error = -ENODEV;
		goto out;
	}
	if (flags & MAP_GROWSDOWN) {
		error = -EINVAL;
		goto out;
	}
	if ((obj = vnode_pager_object(vp)) == NULL) {
		error = -ENOMEM;
		goto out;
	}
	vm_object_reference(obj);
	*objp = obj;
	*maxprotp = maxprot;
out:
	fdrop(fp);
	return (error);
}
