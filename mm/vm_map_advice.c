/*
 * vm_map_advice.c: madvise and mlock on ranges of a map (FreeBSD
 * vm_map_madvise, vm_map_wire, vm_map_unwire; Linux's rules for which
 * memory may take which advice).
 *
 * Like every range operation these clip the range to whole entries, change
 * them and merge what became alike again.  Wiring marks entries and then
 * faults their pages in with the map unlocked, one page at a time, as a
 * user access would.
 */
#include <kernel.h>
#include <uapi/errno.h>
#include <uapi/mman.h>
#include <vm_map.h>
#include <vm_object.h>

/*
 * Throw away the contents of [e->start, e->end) (MADV_DONTNEED): private
 * memory reads back as zeros, shared memory keeps its data and is only
 * unmapped from this pmap.
 */
static void
vm_map_entry_dontneed(vm_map_t map, vm_map_entry_t e)
{
	vm_object_t obj = e->object, b;
	vm_pindex_t pi;

	pmap_remove(map->pmap, e->start, e->end);
	if (obj == NULL || (e->eflags & MAP_ENTRY_COW) == 0)
		return;
	if ((obj->ref_count == 1 || (obj->flags & OBJ_ONEMAPPING)) &&
	    obj->backing_object == NULL && obj->type == OBJT_DEFAULT) {
		vm_object_page_remove(obj, e->offset >> PAGE_SHIFT,
		    (e->offset + (e->end - e->start)) >> PAGE_SHIFT);
		return;
	}
	if (obj->type != OBJT_DEFAULT)
		return;	/* private file mapping not yet written */
	/*
	 * Shared with a fork or another piece: start over from zeros, or,
	 * for a private file mapping, from the file again (its page cache
	 * at the bottom of the chain, copy-on-write as after mmap).
	 */
	for (b = obj, pi = e->offset >> PAGE_SHIFT; b != NULL &&
	    b->type != OBJT_VNODE; b = b->backing_object)
		pi += b->backing_offset;
	vm_object_reference(b);
	vm_object_deallocate(obj);
	e->object = b;
	e->offset = b != NULL ? pi << PAGE_SHIFT : 0;
	e->eflags &= ~MAP_ENTRY_NEEDS_COPY;
	if (b != NULL)
		e->eflags |= MAP_ENTRY_NEEDS_COPY;
}

/* Is this entry private anonymous memory (Linux vma_is_anonymous)? */
static bool
vm_map_entry_anon_private(vm_map_entry_t e)
{
	vm_object_t o;

	if ((e->eflags & MAP_ENTRY_COW) == 0)
		return (false);
	for (o = e->object; o != NULL; o = o->backing_object)
		if (o->type != OBJT_DEFAULT)
			return (false);
	return (true);
}

/*
 * madvise(2) on [start, end).  Advice the map does not know is -EINVAL
 * (the caller filters first).  -EINVAL also when an entry cannot take the
 * advice (DONTNEED/FREE on locked memory, FREE/WIPEONFORK on shared or
 * file memory), found before anything changes.  -ENOMEM when part of the
 * range is unmapped; the mapped parts are still advised.
 */
int
vm_map_madvise(vm_map_t map, vaddr_t start, vaddr_t end, int behav)
{
	vm_map_entry_t e, first;
	bool flagonly;
	int error;

	vm_map_lock(map);
	for (e = vm_map_entry_at_or_after(map, start); e != NULL &&
	    e->start < end; e = vm_map_next_entry(map, e)) {
		if ((behav == MADV_DONTNEED || behav == MADV_FREE) &&
		    e->wired_count > 0)
			goto inval;
		if ((behav == MADV_FREE || behav == MADV_WIPEONFORK) &&
		    !vm_map_entry_anon_private(e))
			goto inval;
		if (behav == MADV_REMOVE && (e->wired_count > 0 ||
		    (e->eflags & MAP_ENTRY_COW)))
			goto inval;
		/* Without reverse maps a page shared with another map
		 * cannot be taken back from it. */
		if (behav == MADV_REMOVE && e->object != NULL &&
		    (e->object->flags & OBJ_ONEMAPPING) == 0) {
			vm_map_unlock(map);
			return (-EOPNOTSUPP);
		}
	}
	flagonly = behav != MADV_WILLNEED;
	error = 0;
	if (flagonly)
		error = vm_map_clip_range(map, start, end, &first);
	else
		first = vm_map_entry_at_or_after(map, start);
	for (e = first; error == 0 && e != NULL && e->start < end;
	    e = vm_map_next_entry(map, e)) {
		switch (behav) {
		case MADV_NORMAL:
		case MADV_RANDOM:
		case MADV_SEQUENTIAL:
			e->advice = behav;
			break;
		case MADV_WILLNEED:
			break;	/* anonymous memory has nothing to read */
		case MADV_DONTNEED:
		case MADV_FREE:
			vm_map_entry_dontneed(map, e);
			break;
		case MADV_REMOVE:
			pmap_remove(map->pmap, e->start, e->end);
			if (e->object != NULL)
				vm_object_page_remove(e->object,
				    e->offset >> PAGE_SHIFT, (e->offset +
				    (e->end - e->start)) >> PAGE_SHIFT);
			break;
		case MADV_DONTFORK:
			e->eflags |= MAP_ENTRY_NOFORK;
			break;
		case MADV_DOFORK:
			e->eflags &= ~MAP_ENTRY_NOFORK;
			break;
		case MADV_WIPEONFORK:
			e->eflags |= MAP_ENTRY_WIPEONFORK;
			break;
		case MADV_KEEPONFORK:
			e->eflags &= ~MAP_ENTRY_WIPEONFORK;
			break;
		default:
			error = -EINVAL;
			break;
		}
	}
	if (flagonly)
		vm_map_simplify_range(map, start, end);
	if (error == 0 && !vm_map_range_mapped(map, start, end))
		error = -ENOMEM;
	vm_map_unlock(map);
	return (error);
inval:
	vm_map_unlock(map);
	return (-EINVAL);
}

/*
 * Lock [start, end) in memory (mlock): mark the entries wired and fault
 * every accessible page in, writably where a write would copy, so later
 * accesses do not fault.  -ENOMEM if part of the range is unmapped
 * (nothing changes) or memory ran out.  Wiring does not nest (Linux).
 */
int
vm_map_wire(vm_map_t map, vaddr_t start, vaddr_t end, int flags)
{
	vm_map_entry_t e, first;
	vm_prot_t type;
	vaddr_t va;
	int error;

	vm_map_lock(map);
	if (!vm_map_range_mapped(map, start, end)) {
		vm_map_unlock(map);
		return (-ENOMEM);
	}
	error = vm_map_clip_range(map, start, end, &first);
	for (e = first; error == 0 && e != NULL && e->start < end;
	    e = vm_map_next_entry(map, e)) {
		e->wired_count = 1;
		if (flags & VM_MAP_WIRE_ONFAULT)
			e->eflags |= MAP_ENTRY_LOCKONFAULT;
		else
			e->eflags &= ~MAP_ENTRY_LOCKONFAULT;
	}
	vm_map_simplify_range(map, start, end);
	vm_map_unlock(map);
	if (error != 0 || (flags & VM_MAP_WIRE_ONFAULT))
		return (error);
	for (va = start; va < end; va += PAGE_SIZE) {
		vm_map_lock(map);
		if (!vm_map_lookup_entry(map, va, &e)) {
			vm_map_unlock(map);
			continue;	/* unmapped meanwhile */
		}
		/* Write faults only where a write copies (Linux: shared
		 * pages are read in, not dirtied). */
		if ((e->protection & VM_PROT_WRITE) &&
		    (e->eflags & MAP_ENTRY_COW))
			type = VM_PROT_WRITE;
		else if (e->protection & (VM_PROT_READ | VM_PROT_WRITE))
			type = VM_PROT_READ;
		else
			type = e->protection & VM_PROT_EXECUTE;
		vm_map_unlock(map);
		if (type == VM_PROT_NONE)
			continue;	/* PROT_NONE: locked, not populated */
		if (vm_fault(map, va, type) == KERN_RESOURCE_SHORTAGE)
			return (-ENOMEM);
	}
	return (0);
}

/* Unlock [start, end) (munlock); -ENOMEM if part of it is unmapped. */
int
vm_map_unwire(vm_map_t map, vaddr_t start, vaddr_t end)
{
	vm_map_entry_t e, first;
	int error;

	vm_map_lock(map);
	if (!vm_map_range_mapped(map, start, end)) {
		vm_map_unlock(map);
		return (-ENOMEM);
	}
	error = vm_map_clip_range(map, start, end, &first);
	for (e = first; error == 0 && e != NULL && e->start < end;
	    e = vm_map_next_entry(map, e)) {
		e->wired_count = 0;
		e->eflags &= ~MAP_ENTRY_LOCKONFAULT;
	}
	vm_map_simplify_range(map, start, end);
	vm_map_unlock(map);
	return (error);
}
