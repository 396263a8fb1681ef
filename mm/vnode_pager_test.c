/*
 * vnode_pager_test.c: ktests of the page cache on ramfs: the file's data
 * are its object's pages (a store through the direct map is what read
 * returns), truncation frees the tail and zeroes the rest of the last
 * page, a mapping outlives the unlinked file, faults past the end are
 * KERN_OUT_OF_BOUNDS, and every page and object is freed at the end.
 */
#include <kmem.h>
#include <ktest.h>
#include <pmap.h>
#include <vm_map.h>
#include <vm_object.h>
#include <vm_phys.h>
#include <vnode_pager.h>

#include "../fs/vfs_test.h"

/*
 * Free pages, counting the heap's slabs as free: the file's ramfs node and
 * name may leave a slab behind (kept while another object lives in it),
 * which is not a page the pager leaked (as vm_map_test.c counts).
 */
static uint64_t
kt_free_pages(void)
{
	return (vm_phys_free_count() + kmem_slab_pages());
}

static char kt_buf[3 * PAGE_SIZE];

/* A fresh 3-page file at path; byte i is (char)(i * 3 + 1).  Referenced. */
static struct vnode *
kt_vp_file(const char *path)
{
	struct vnode *vp;
	int err;

	if (kt_mkfile(path, "") != 0)
		return (NULL);
	vp = kt_namei(path, 0, NULL, &err);
	if (vp == NULL)
		return (NULL);
	for (size_t i = 0; i < sizeof(kt_buf); i++)
		kt_buf[i] = (char)(i * 3 + 1);
	if (vn_rdwr(UIO_WRITE, vp, kt_buf, sizeof(kt_buf), 0, UIO_SYSSPACE, 0,
	    NULL) != 0) {
		vrele(vp);
		return (NULL);
	}
	return (vp);
}

static char *
kt_page_va(vm_page_t m)
{
	return ((char *)PHYS_TO_DMAP(VM_PAGE_TO_PHYS(m)));
}

KTEST(vnode_pager_cache_is_the_file)
{
	uint64_t free0, files0;
	int objs0;
	struct vnode *vp;
	vm_page_t m;
	char c;

	/* Once for the slabs, then count. */
	vp = kt_vp_file("/tmp/kt_vnp0");
	KT_ASSERT(vp != NULL);
	vrele(vp);
	KT_EQ(kern_unlinkat(AT_FDCWD, "/tmp/kt_vnp0", 0), 0);
	free0 = kt_free_pages();
	objs0 = vm_object_count;
	files0 = vm_cnt_file_pages;

	vp = kt_vp_file("/tmp/kt_vnp1");
	KT_ASSERT(vp != NULL);
	KT_ASSERT(vp->v_object != NULL);
	KT_EQ(vp->v_object->type, OBJT_VNODE);
	KT_EQ(vp->v_object->handle, vp);
	KT_EQ(vp->v_object->size, 3);
	KT_EQ(vp->v_object->resident_page_count, 3);
	KT_EQ(vp->v_object->ref_count, 1);	/* the vnode's own */
	KT_EQ(vm_cnt_file_pages, files0 + 3);
	m = vm_page_lookup(vp->v_object, 1);
	KT_ASSERT(m != NULL);
	KT_EQ(kt_page_va(m)[5], (char)((PAGE_SIZE + 5) * 3 + 1));
	/* A store into the page is the file's content. */
	kt_page_va(m)[7] = 'Z';
	KT_EQ(vn_rdwr(UIO_READ, vp, &c, 1, PAGE_SIZE + 7, UIO_SYSSPACE, 0,
	    NULL), 0);
	KT_EQ(c, 'Z');

	/* Truncate into page 1: page 2 goes, page 1's tail is zeroed. */
	KT_EQ(vn_truncate(vp, PAGE_SIZE + 100), 0);
	KT_EQ(vp->v_object->size, 2);
	KT_EQ(vp->v_object->resident_page_count, 2);
	KT_ASSERT(vm_page_lookup(vp->v_object, 2) == NULL);
	KT_EQ(kt_page_va(m)[99], (char)((PAGE_SIZE + 99) * 3 + 1));
	KT_EQ(kt_page_va(m)[100], 0);
	KT_EQ(kt_page_va(m)[PAGE_SIZE - 1], 0);
	/* Growing again leaves a hole: zeros, no page. */
	KT_EQ(vn_truncate(vp, 3 * PAGE_SIZE), 0);
	KT_EQ(vp->v_object->size, 3);
	c = 1;
	KT_EQ(vn_rdwr(UIO_READ, vp, &c, 1, 2 * PAGE_SIZE + 9, UIO_SYSSPACE, 0,
	    NULL), 0);
	KT_EQ(c, 0);
	KT_EQ(vp->v_object->resident_page_count, 2);
	/* A write that faults past the end leaves no page and no size. */
	KT_EQ(vn_rdwr(UIO_WRITE, vp, (void *)0x1000, 10, 5 * PAGE_SIZE,
	    UIO_USERSPACE, 0, NULL), -EFAULT);
	KT_EQ(vp->v_object->resident_page_count, 2);
	KT_EQ(vp->v_size, 3 * PAGE_SIZE);

	vrele(vp);
	KT_EQ(kern_unlinkat(AT_FDCWD, "/tmp/kt_vnp1", 0), 0);
	KT_EQ(vm_object_count, objs0);
	KT_EQ(vm_cnt_file_pages, files0);
	KT_EQ(kt_free_pages(), free0);
}

KTEST(vnode_pager_mapping_outlives_file)
{
	uint64_t free0;
	int objs0;
	struct vnode *vp;
	struct vmspace *vm;
	vm_map_t map;
	vm_object_t obj;
	vm_page_t m;
	vaddr_t va = 0x40000000;
	paddr_t pa;

	free0 = kt_free_pages();
	objs0 = vm_object_count;
	vp = kt_vp_file("/tmp/kt_vnp2");
	KT_ASSERT(vp != NULL);
	vm = vmspace_alloc();
	KT_ASSERT(vm != NULL);
	map = vmspace_map(vm);
	obj = vnode_pager_object(vp);
	KT_EQ(obj, vp->v_object);
	vm_object_reference(obj);
	/* Four pages over a three-page file: the last is past the end. */
	KT_EQ(vm_map_object(map, obj, 0, &va, 4 * PAGE_SIZE,
	    VM_PROT_READ | VM_PROT_WRITE, VM_PROT_ALL,
	    VMFS_FIXED | VMFS_SHARED), 0);
	KT_EQ(obj->ref_count, 2);
	KT_EQ(vm_fault(map, va + PAGE_SIZE, VM_PROT_READ), KERN_SUCCESS);
	m = vm_page_lookup(obj, 1);
	KT_ASSERT(pmap_extract(map->pmap, va + PAGE_SIZE, &pa));
	KT_EQ(pa, VM_PAGE_TO_PHYS(m));	/* the cache page itself */
	KT_ASSERT(!m->dirty);
	/* Fault-around mapped the cached neighbours, not past the end. */
	KT_ASSERT(pmap_extract(map->pmap, va, &pa));
	KT_EQ(pa, VM_PAGE_TO_PHYS(vm_page_lookup(obj, 0)));
	KT_ASSERT(pmap_extract(map->pmap, va + 2 * PAGE_SIZE, &pa));
	KT_ASSERT(!pmap_extract(map->pmap, va + 3 * PAGE_SIZE, &pa));
	KT_EQ(vm_fault(map, va + PAGE_SIZE, VM_PROT_WRITE), KERN_SUCCESS);
	KT_ASSERT(m->dirty);
	KT_ASSERT(obj->flags & OBJ_MIGHTBEDIRTY);
	KT_EQ(vm_fault(map, va + 3 * PAGE_SIZE, VM_PROT_READ),
	    KERN_OUT_OF_BOUNDS);
	KT_EQ(vm_object_page_clean(obj, 0, 0, true), 0);
	KT_ASSERT(!m->dirty);

	/* The name goes; the mapping holds the vnode and the pages. */
	vrele(vp);
	KT_EQ(kern_unlinkat(AT_FDCWD, "/tmp/kt_vnp2", 0), 0);
	KT_EQ(obj->ref_count, 2);	/* the vnode's and the mapping's */
	KT_EQ(obj->handle, vp);
	KT_EQ(vp->v_usecount, 1);	/* the mapping's */
	KT_EQ(kt_page_va(m)[3], (char)((PAGE_SIZE + 3) * 3 + 1));
	KT_EQ(vm_fault(map, va, VM_PROT_READ), KERN_SUCCESS);
	KT_EQ(vm_fault(map, va + 3 * PAGE_SIZE, VM_PROT_READ),
	    KERN_OUT_OF_BOUNDS);

	vmspace_free(vm);
	KT_EQ(vm_object_count, objs0);
	KT_EQ(kt_free_pages(), free0);
}

KTEST(vnode_pager_private_shadow)
{
	struct vnode *vp;
	struct vmspace *vm;
	vm_map_t map;
	vm_map_entry_t e;
	vm_object_t obj, shadow;
	vaddr_t va = 0x40000000;
	paddr_t pa;
	char c;

	vp = kt_vp_file("/tmp/kt_vnp3");
	KT_ASSERT(vp != NULL);
	vm = vmspace_alloc();
	KT_ASSERT(vm != NULL);
	map = vmspace_map(vm);
	obj = vnode_pager_object(vp);
	vm_object_reference(obj);
	KT_EQ(vm_map_object(map, obj, PAGE_SIZE, &va, PAGE_SIZE,
	    VM_PROT_READ | VM_PROT_WRITE, VM_PROT_ALL, VMFS_FIXED), 0);
	KT_EQ(vm_fault(map, va, VM_PROT_READ), KERN_SUCCESS);
	KT_ASSERT(pmap_extract(map->pmap, va, &pa));
	KT_EQ(pa, VM_PAGE_TO_PHYS(vm_page_lookup(obj, 1)));
	KT_EQ(vm_fault(map, va, VM_PROT_WRITE), KERN_SUCCESS);
	KT_ASSERT(pmap_extract(map->pmap, va, &pa));
	KT_ASSERT(pa != VM_PAGE_TO_PHYS(vm_page_lookup(obj, 1)));
	vm_map_lock(map);
	KT_ASSERT(vm_map_lookup_entry(map, va, &e));
	shadow = e->object;
	vm_map_unlock(map);
	KT_ASSERT(shadow != obj && shadow->backing_object == obj);
	KT_EQ(shadow->backing_offset, 1);
	/* The copy is private: the file is unchanged. */
	((char *)PHYS_TO_DMAP(pa))[0] = 'P';
	KT_EQ(vn_rdwr(UIO_READ, vp, &c, 1, PAGE_SIZE, UIO_SYSSPACE, 0, NULL),
	    0);
	KT_EQ(c, (char)(PAGE_SIZE * 3 + 1));
	vmspace_free(vm);
	KT_EQ(obj->ref_count, 1);
	vrele(vp);
	KT_EQ(kern_unlinkat(AT_FDCWD, "/tmp/kt_vnp3", 0), 0);
}

/*
 * A file system with a backing store, as 9P will be: getpages fills a page
 * with its pindex + 'A', putpages records what it was given.
 */
static int kt_gets, kt_puts, kt_put_pindex, kt_put_byte, kt_locked;
static vm_map_t kt_map;		/* unlocked in the hooks: they may sleep */

static int
kt_getpages(struct vnode *vp, vm_page_t m)
{
	kt_gets++;
	kt_locked += kt_map != NULL && spin_owned(&kt_map->lock);
	memset(kt_page_va(m), 'A' + (int)m->pindex, PAGE_SIZE);
	return (m->pindex == 2 ? -EIO : 0);	/* page 2 cannot be read */
}

static int
kt_putpages(struct vnode *vp, vm_page_t *ma, int count, bool sync)
{
	kt_puts += count;
	kt_locked += kt_map != NULL && spin_owned(&kt_map->lock);
	kt_put_pindex = (int)ma[0]->pindex;
	kt_put_byte = kt_page_va(ma[0])[0];
	return (0);
}

static const struct vnodeops kt_pager_vnodeops = {
	.vop_getpages = kt_getpages,
	.vop_putpages = kt_putpages,
};

KTEST(vnode_pager_backing_store_hooks)
{
	uint64_t free0;
	int objs0 = vm_object_count;
	struct vnode *vp;
	struct vmspace *vm;
	vm_map_t map;
	vm_object_t obj, copy;
	vaddr_t va = 0x40000000;
	paddr_t pa;

	free0 = kt_free_pages();
	kt_gets = kt_puts = kt_locked = 0;
	vp = vnalloc(NULL, VREG, &kt_pager_vnodeops, NULL);
	KT_ASSERT(vp != NULL);
	vp->v_size = 3 * PAGE_SIZE;
	vm = vmspace_alloc();
	KT_ASSERT(vm != NULL);
	map = vmspace_map(vm);
	kt_map = map;
	obj = vnode_pager_object(vp);
	KT_ASSERT(obj != NULL);
	vm_object_reference(obj);
	KT_EQ(vm_map_object(map, obj, 0, &va, 3 * PAGE_SIZE,
	    VM_PROT_READ | VM_PROT_WRITE, VM_PROT_ALL,
	    VMFS_FIXED | VMFS_SHARED), 0);
	KT_EQ(vp->v_usecount, 1);	/* the mapping holds the vnode */
	/* Read faults fill from the store, once per page. */
	KT_EQ(vm_fault(map, va + PAGE_SIZE, VM_PROT_READ), KERN_SUCCESS);
	KT_EQ(vm_fault(map, va + PAGE_SIZE, VM_PROT_READ), KERN_SUCCESS);
	KT_EQ(kt_gets, 1);
	KT_ASSERT(pmap_extract(map->pmap, va + PAGE_SIZE, &pa));
	KT_EQ(((char *)PHYS_TO_DMAP(pa))[100], 'B');
	/* A read error is SIGBUS, and leaves no page behind. */
	KT_EQ(vm_fault(map, va + 2 * PAGE_SIZE, VM_PROT_READ),
	    KERN_OUT_OF_BOUNDS);
	KT_ASSERT(vm_page_lookup(obj, 2) == NULL);
	/* Clean pages are not written back; a stored-to one is, at unmap. */
	KT_EQ(vm_fault(map, va, VM_PROT_READ), KERN_SUCCESS);
	KT_EQ(vm_fault(map, va + PAGE_SIZE, VM_PROT_WRITE), KERN_SUCCESS);
	((char *)PHYS_TO_DMAP(pa))[0] = 'w';
	KT_EQ(vm_map_remove(map, va, va + 3 * PAGE_SIZE), 0);
	KT_EQ(kt_puts, 1);
	KT_EQ(kt_put_pindex, 1);
	KT_EQ(kt_put_byte, 'w');
	KT_EQ(kt_locked, 0);	/* no hook ran under the map lock */
	kt_map = NULL;
	/* A second clean has nothing to write. */
	KT_EQ(vm_object_page_clean(obj, 0, 0, true), 0);
	KT_EQ(kt_puts, 1);
	/* An eager copy (minherit) reads what is not cached from the store. */
	vm_object_page_remove(obj, 0, 1);
	copy = vm_object_copy(obj, 0, 2);
	KT_ASSERT(copy != NULL);
	KT_EQ(kt_gets, 4);	/* pages 1, 2 (failed), 0, then 0 again */
	KT_EQ(kt_page_va(vm_page_lookup(copy, 0))[9], 'A');
	KT_EQ(kt_page_va(vm_page_lookup(copy, 1))[0], 'w');
	vm_object_deallocate(copy);
	KT_ASSERT(vm_object_copy(obj, 0, 3) == NULL);	/* page 2: EIO */
	vmspace_free(vm);
	KT_EQ(obj->ref_count, 1);
	KT_EQ(vp->v_usecount, 0);	/* the last mapping let go */
	vnfree(vp);
	KT_EQ(vm_object_count, objs0);
	KT_EQ(kt_free_pages(), free0);
}

static int
kt_rdwr(struct vnode *vp, enum uio_rw rw, void *buf, size_t n, off_t off,
    size_t *done)
{
	struct iovec iov = { buf, n };
	struct uio uio = { &iov, 1, off, (ssize_t)n, UIO_SYSSPACE, rw };
	int error;

	error = vnode_pager_rdwr(vp, &uio, 0);
	*done = n - uio.uio_resid;
	return (error);
}

/* read/write through the cache of a file system with a backing store. */
KTEST(vnode_pager_rdwr_backing_store)
{
	struct vnode *vp;
	vm_object_t obj;
	char buf[16];
	size_t done;
	int objs0 = vm_object_count;

	kt_gets = kt_puts = kt_locked = 0;
	kt_map = NULL;
	vp = vnalloc(NULL, VREG, &kt_pager_vnodeops, NULL);
	KT_ASSERT(vp != NULL);
	vp->v_size = 2 * PAGE_SIZE + 10;	/* pages 0, 1, 2 (2 fails) */
	/* A read fills the page from the store, once. */
	KT_EQ(kt_rdwr(vp, UIO_READ, buf, 4, PAGE_SIZE - 2, &done), 0);
	KT_EQ(done, 4);
	KT_ASSERT(memcmp(buf, "AABB", 4) == 0);
	KT_EQ(kt_gets, 2);
	obj = vp->v_object;
	KT_ASSERT(obj != NULL && !vm_page_lookup(obj, 0)->dirty);
	/* Past the end: nothing.  An unreadable page: EIO. */
	KT_EQ(kt_rdwr(vp, UIO_READ, buf, 16, 2 * PAGE_SIZE + 10, &done), 0);
	KT_EQ(done, 0);
	KT_EQ(kt_rdwr(vp, UIO_READ, buf, 16, 2 * PAGE_SIZE, &done), -EIO);
	/* A partial write keeps the rest of the page and dirties it. */
	KT_EQ(kt_rdwr(vp, UIO_WRITE, "xy", 2, 5, &done), 0);
	KT_ASSERT(vm_page_lookup(obj, 0)->dirty);
	KT_EQ(kt_rdwr(vp, UIO_READ, buf, 8, 2, &done), 0);
	KT_ASSERT(memcmp(buf, "AAAxyAAA", 8) == 0);
	/* A write past the end grows the file with zero pages, no reads. */
	KT_EQ(kt_rdwr(vp, UIO_WRITE, "end", 3, 4 * PAGE_SIZE + 1, &done), 0);
	KT_EQ(vp->v_size, 4 * PAGE_SIZE + 4);
	KT_EQ(obj->size, 5);
	KT_EQ(kt_gets, 3);		/* 0, 1 and the failed 2 */
	KT_EQ(kt_rdwr(vp, UIO_READ, buf, 4, 4 * PAGE_SIZE, &done), 0);
	KT_ASSERT(memcmp(buf, "\0end", 4) == 0);
	/* fsync: the two dirty pages, in order. */
	KT_EQ(vm_object_page_clean(obj, 0, 0, true), 0);
	KT_EQ(kt_puts, 2);
	KT_EQ(kt_put_pindex, 0);
	KT_EQ(kt_locked, 0);
	vnfree(vp);
	KT_EQ(vm_object_count, objs0);
}
