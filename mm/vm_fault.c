/*
 * vm_fault.c: resolve a page fault in a user map (FreeBSD vm_fault.c).
 *
 * The entry at the address says what may be done there and which object
 * chain holds the data.  The page is looked for from the entry's object
 * down the shadow chain; if no object has it (and no pager can supply it)
 * a zero page is made in the top object.  A write to a page that lives
 * lower in the chain copies it up into the top object first: that is
 * copy-on-write.  A page the entry may not yet write to -- one from a
 * backing object, or any page while the entry still shares its object
 * after a fork (NEEDS_COPY) -- is mapped read-only, so the first write
 * faults again and copies.
 *
 * A file's page cache (OBJT_VNODE, mm/vnode_pager.c) sits at the bottom of
 * its mappings' chains; a fault at or past the pages covering the file's
 * size is KERN_OUT_OF_BOUNDS (SIGBUS).
 *
 * Runs with the map locked, except around a file's getpages (which may
 * sleep): the object is held, the map unlocked, and the fault starts over
 * once the page is in the cache.  Otherwise nothing here sleeps (pages
 * come NOWAIT) and nothing touches user memory.
 */
#include <kernel.h>
#include <vm_map.h>
#include <vm_object.h>
#include <sysstat.h>

uint64_t vm_cnt_faults;		/* faults resolved or refused (pgfault) */
uint64_t vm_cnt_majfaults;	/* faults that read a file (pgmajfault) */

/* Linux x86: a readable mapping is executable and vice versa for reads. */
static bool
vm_fault_allowed(vm_prot_t have, vm_prot_t want)
{
	if (have & (VM_PROT_READ | VM_PROT_EXECUTE | VM_PROT_WRITE))
		have |= VM_PROT_READ;
	return ((want & ~have) == 0);
}

/* Give the entry its own object if it has none yet, or a private shadow
 * of a shared one before the first write. */
static int
vm_fault_prepare_object(vm_map_entry_t e, bool write)
{
	vm_object_t obj = e->object;
	vm_pindex_t npages = (e->end - e->start) >> PAGE_SHIFT;

	if (obj == NULL) {
		obj = vm_object_allocate(OBJT_DEFAULT, npages);
		if (obj == NULL)
			return (KERN_RESOURCE_SHORTAGE);
		e->object = obj;
		e->offset = 0;
		e->eflags &= ~MAP_ENTRY_NEEDS_COPY;
		return (KERN_SUCCESS);
	}
	if (!write || (e->eflags & MAP_ENTRY_NEEDS_COPY) == 0)
		return (KERN_SUCCESS);
	/*
	 * The last user of an anonymous object need not shadow it: nobody
	 * else can see its pages (their mappings went with their entries).
	 */
	if (obj->ref_count == 1 && obj->type == OBJT_DEFAULT &&
	    obj->handle == NULL) {
		e->eflags &= ~MAP_ENTRY_NEEDS_COPY;
		return (KERN_SUCCESS);
	}
	if (vm_object_shadow(&e->object, &e->offset, npages) != 0)
		return (KERN_RESOURCE_SHORTAGE);
	e->eflags &= ~MAP_ENTRY_NEEDS_COPY;
	return (KERN_SUCCESS);
}

/*
 * Fault-around (Linux do_fault_around): after a read fault on a file page,
 * also map the file's pages already in the cache in the aligned
 * VM_FAULT_AROUND-page window around it, so reading a mapped file faults
 * once per window instead of once per page.  Only pages the entry sees
 * straight from the file's object, never past its end, and never
 * writable where a store must fault (a clean shared page, a private
 * mapping not yet copied).  Nothing is allocated except page tables, and
 * a failure there just leaves the page to its own fault.
 */
#define VM_FAULT_AROUND	16

static void
vm_fault_around(vm_map_t map, vm_map_entry_t e, vm_object_t obj, vaddr_t va)
{
	vaddr_t start, end, a;
	vm_pindex_t pi;
	vm_prot_t prot;
	vm_page_t m;
	paddr_t pa;

	start = va & ~((vaddr_t)VM_FAULT_AROUND * PAGE_SIZE - 1);
	end = start + VM_FAULT_AROUND * PAGE_SIZE;
	start = MAX(start, e->start);
	end = MIN(end, e->end);
	for (a = start; a < end; a += PAGE_SIZE) {
		if (a == va)
			continue;
		pi = (e->offset + (a - e->start)) >> PAGE_SHIFT;
		if (pi >= obj->size)
			break;
		if ((m = vm_page_lookup(obj, pi)) == NULL ||
		    pmap_extract(map->pmap, a, &pa))
			continue;
		prot = e->protection;
		/* Private: not copied yet.  Shared: clean until a store. */
		if ((e->eflags & MAP_ENTRY_COW) || !m->dirty)
			prot &= ~VM_PROT_WRITE;
		if (pmap_enter(map->pmap, a, VM_PAGE_TO_PHYS(m), prot, 0) != 0)
			break;
	}
}

int
vm_fault(vm_map_t map, vaddr_t va, vm_prot_t fault_type)
{
	vm_map_entry_t e;
	vm_object_t first, obj;
	vm_page_t m, copy;
	vm_pindex_t pindex, pi;
	vm_prot_t prot;
	bool write = (fault_type & VM_PROT_WRITE) != 0;
	int rv;

	if (map == NULL || va < map->min_offset || va >= map->max_offset)
		return (KERN_INVALID_ADDRESS);
	vm_cnt_faults++;
	va = trunc_page(va);
again:
	vm_map_lock(map);
	if (!vm_map_lookup_entry(map, va, &e) &&
	    (vm_map_growstack(map, va) != 0 ||
	    !vm_map_lookup_entry(map, va, &e))) {
		rv = KERN_INVALID_ADDRESS;
		goto out;
	}
	if (!vm_fault_allowed(e->protection, fault_type)) {
		rv = KERN_PROTECTION_FAILURE;
		goto out;
	}
	/*
	 * Past the end of a file (the page covering i_size is the last):
	 * SIGBUS, whatever the upper objects hold, as in Linux.
	 */
	pi = (e->offset + (va - e->start)) >> PAGE_SHIFT;
	for (obj = e->object; obj != NULL; obj = obj->backing_object) {
		if (obj->type == OBJT_VNODE) {
			if (pi >= obj->size) {
				rv = KERN_OUT_OF_BOUNDS;
				goto out;
			}
			break;
		}
		pi += obj->backing_offset;
	}
	/* Shared entries never copy: their object is written in place. */
	if ((e->eflags & MAP_ENTRY_COW) == 0)
		write = false;
	if ((rv = vm_fault_prepare_object(e, write)) != KERN_SUCCESS)
		goto out;
	first = e->object;
	pindex = (e->offset + (va - e->start)) >> PAGE_SHIFT;

	/* Down the chain; pi is pindex in obj's numbering. */
	m = NULL;
	pi = pindex;
	for (obj = first; obj != NULL; obj = obj->backing_object) {
		if ((m = vm_page_lookup(obj, pi)) != NULL)
			break;
		if (obj->pager->pgo_haspage(obj, pi) &&
		    obj->type == OBJT_VNODE) {
			/*
			 * A file system may sleep reading the page: do it
			 * with the map unlocked (the object held), then look
			 * again -- the page is in the cache now, and the
			 * entry may have changed meanwhile.
			 */
			vm_object_reference(obj);
			vm_map_unlock(map);
			vm_cnt_majfaults++;	/* read from a file */
			rv = obj->pager->pgo_getpages(obj, pi, &m);
			vm_object_deallocate(obj);
			if (rv != KERN_SUCCESS)
				return (rv);
			goto again;
		}
		if (obj->pager->pgo_haspage(obj, pi)) {
			rv = obj->pager->pgo_getpages(obj, pi, &m);
			if (rv != KERN_SUCCESS)
				goto out;
			break;
		}
		pi += obj->backing_offset;
	}
	if (m == NULL) {
		/* Nobody has it: zeros, in the top object. */
		m = vm_page_alloc_object(first, pindex);
		if (m == NULL) {
			rv = KERN_RESOURCE_SHORTAGE;
			goto out;
		}
		obj = first;
	}

	prot = e->protection;
	if (obj != first && (e->eflags & MAP_ENTRY_COW)) {
		if (write) {
			/* Copy-on-write: the top object gets its own copy. */
			copy = vm_page_alloc(VM_ALLOC_NOWAIT | VM_ALLOC_USER);
			if (copy == NULL) {
				rv = KERN_RESOURCE_SHORTAGE;
				goto out;
			}
			pmap_copy_page(m, copy);
			copy->flags &= ~PG_ZERO;
			vm_page_insert(copy, first, pindex);
			m = copy;
		} else
			prot &= ~VM_PROT_WRITE;
	}
	if (e->eflags & MAP_ENTRY_NEEDS_COPY)
		prot &= ~VM_PROT_WRITE;
	/*
	 * A file page written through a shared mapping is dirty (msync,
	 * munmap and exit write it back); until then it is mapped read-only
	 * so that the first store faults here and says so.
	 */
	if (obj->type == OBJT_VNODE && (e->eflags & MAP_ENTRY_COW) == 0) {
		if (fault_type & VM_PROT_WRITE) {
			m->dirty = 1;
			obj->flags |= OBJ_MIGHTBEDIRTY; /* map lock: one CPU */
		} else if (!m->dirty)
			prot &= ~VM_PROT_WRITE;
	}
	if (pmap_enter(map->pmap, va, VM_PAGE_TO_PHYS(m), prot, 0) != 0) {
		rv = KERN_RESOURCE_SHORTAGE;
		goto out;
	}
	if (obj == first && obj->type == OBJT_VNODE &&
	    (fault_type & VM_PROT_WRITE) == 0)
		vm_fault_around(map, e, obj, va);
	rv = KERN_SUCCESS;
out:
	vm_map_unlock(map);
	return (rv);
}
