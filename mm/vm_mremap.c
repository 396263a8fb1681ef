/*
 * vm_mremap.c: mremap(2), resizing or moving a mapping (Linux semantics;
 * FreeBSD has no mremap, so the names are the map layer's).
 *
 * A mapping is an entry pointing at (object, offset), so moving it is
 * making a new entry at the new address that points at the same pages and
 * deleting the old one; nothing is copied.  Growing extends the same object
 * when the new pages can only belong to this mapping (no object yet, an
 * object only it uses, or shared memory, whose next pages are the shared
 * object's) and otherwise appends fresh anonymous memory.  A moved object
 * loses OBJ_ONEMAPPING (its offsets no longer follow its addresses), which
 * also keeps the delete of the old range from freeing the moved pages.
 */
#include <kernel.h>
#include <uapi/errno.h>
#include <uapi/mman.h>
#include <vm_map.h>
#include <vm_mmap.h>
#include <vm_object.h>

/* Can e grow over [e->end, e->end + len) with the same object? */
static bool
mremap_same_object(vm_map_entry_t e)
{
	vm_object_t o = e->object;

	if (o == NULL || (e->eflags & MAP_ENTRY_COW) == 0)
		return (true);
	return (o->type == OBJT_DEFAULT && (o->flags & OBJ_ONEMAPPING) &&
	    o->backing_object == NULL && (e->eflags &
	    MAP_ENTRY_NEEDS_COPY) == 0);
}

/*
 * Map [start, start + len) as the continuation of e's object, or as fresh
 * anonymous memory with e's attributes.  Map locked.
 */
static int
mremap_extend(vm_map_t map, vm_map_entry_t e, vaddr_t start, vm_size_t len)
{
	vm_object_t obj = NULL;
	vm_offset_t off = 0;
	int error;

	if (e->object != NULL && mremap_same_object(e)) {
		obj = e->object;
		off = e->offset + (e->end - e->start);
		vm_object_reference(obj);
	}
	error = vm_map_insert_like(map, e, obj, off, start, start + len);
	if (error != 0 && obj != NULL)
		vm_object_deallocate(obj);
	return (error);
}

/* Same attributes: pieces of what Linux would call one vma. */
static bool
mremap_alike(vm_map_entry_t a, vm_map_entry_t b)
{
	return (a->end == b->start && a->protection == b->protection &&
	    a->max_protection == b->max_protection &&
	    a->inheritance == b->inheritance && a->advice == b->advice &&
	    a->wired_count == b->wired_count &&
	    ((a->eflags ^ b->eflags) & ~MAP_ENTRY_NEEDS_COPY) == 0);
}

/*
 * The mapping holding [start, end): the last of a run of alike entries
 * covering it (the first is found by address), or NULL.  Map locked.
 */
static vm_map_entry_t
mremap_range(vm_map_t map, vaddr_t start, vaddr_t end)
{
	vm_map_entry_t e, next;

	if (!vm_map_lookup_entry(map, start, &e))
		return (NULL);
	while (e->end < end) {
		next = vm_map_next_entry(map, e);
		if (next == NULL || !mremap_alike(e, next))
			return (NULL);
		e = next;
	}
	return (e);
}

/* Move the pages of [start, end) to dst, piece by piece.  Map locked. */
static int
mremap_move(vm_map_t map, vaddr_t start, vaddr_t end, vaddr_t dst,
    bool dontunmap)
{
	vm_map_entry_t e;
	vaddr_t va, next, to;
	int error;

	for (va = start; va < end; va = next) {
		if (!vm_map_lookup_entry(map, va, &e))
			return (-EFAULT);
		if ((error = vm_map_clip_start(map, e, va)) != 0 ||
		    (error = vm_map_clip_end(map, e, end)) != 0)
			return (error);
		next = e->end;
		to = dst + (va - start);
		if (dontunmap) {
			/* The pages go; the old range stays, empty. */
			error = vm_map_insert_like(map, e, e->object,
			    e->offset, to, to + (e->end - e->start));
			if (error != 0)
				return (error);
			pmap_remove(map->pmap, e->start, e->end);
			e->object = NULL;	/* its reference moved */
			e->offset = 0;
			e->eflags &= ~MAP_ENTRY_NEEDS_COPY;
			vm_map_lookup_entry(map, to, &e);
		} else if ((error = vm_map_entry_move(map, e, to)) != 0)
			return (error);
		/* e (perhaps merged on arrival) lives on at the new place.
		 * Offsets follow addresses only for an object's sole user. */
		if (e->object != NULL && e->object->ref_count > 1)
			vm_object_clear_flag(e->object, OBJ_ONEMAPPING);
	}
	return (0);
}

/*
 * mremap(old_addr, old_len, new_len, flags, new_addr): the (new) address.
 * The old range must lie in one mapping (a run of entries alike in every
 * attribute, as one Linux vma).
 * EINVAL: unknown flags; MREMAP_FIXED or MREMAP_DONTUNMAP without
 *   MREMAP_MAYMOVE; old_addr or a fixed new_addr not page aligned; new_len
 *   0 or past the address space; the new range overlaps the old; old_len
 *   0 on private memory; DONTUNMAP with a size change or on memory that
 *   is not private anonymous.
 * EFAULT: [old_addr, old_addr + old_len) is not inside one mapping.
 * ENOMEM: cannot grow in place and may not move; no room to move to; a
 *   fixed new range outside user space; RLIMIT_AS; out of memory.
 */
long
sys_mremap(uint64_t old_addr, uint64_t old_len, uint64_t new_len, int flags,
    uint64_t new_addr)
{
	vm_map_t map = vm_curmap();
	vm_map_entry_t e, last;
	vm_size_t olen, nlen;
	vaddr_t oend, dst = 0;
	int error;
	bool wired;

	if (map == NULL)
		return (-ENOMEM);
	if (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP))
		return (-EINVAL);
	if ((flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)) &&
	    (flags & MREMAP_MAYMOVE) == 0)
		return (-EINVAL);
	if ((old_addr & PAGE_MASK) != 0)
		return (-EINVAL);
	if (!vm_round_len(old_len, &olen) || !vm_round_len(new_len, &nlen) ||
	    nlen == 0 || nlen > VM_MAXUSER_ADDRESS)
		return (-EINVAL);
	if ((flags & MREMAP_DONTUNMAP) && olen != nlen)
		return (-EINVAL);
	if (flags & MREMAP_FIXED) {
		if ((new_addr & PAGE_MASK) != 0)
			return (-EINVAL);
		if (new_addr < old_addr + olen && old_addr < new_addr + nlen)
			return (-EINVAL);
		if (new_addr < VM_MIN_USER || new_addr > VM_MAXUSER_ADDRESS -
		    nlen)
			return (-ENOMEM);
	}
	vm_map_lock(map);
	if (!vm_range_end(old_addr, olen, &oend) ||
	    (last = mremap_range(map, old_addr, oend)) == NULL) {
		error = -EFAULT;
		goto out;
	}
	if (olen == 0 && (last->eflags & MAP_ENTRY_COW)) {
		error = -EINVAL;
		goto out;
	}
	if ((flags & MREMAP_DONTUNMAP) &&
	    (!vm_map_lookup_entry(map, old_addr, &e) ||
	    (e->eflags & MAP_ENTRY_COW) == 0 || (e->object != NULL &&
	    e->object->type != OBJT_DEFAULT))) {
		error = -EINVAL;
		goto out;
	}
	wired = last->wired_count > 0;
	if (nlen > olen && olen > 0) {
		vm_map_unlock(map);
		if (!vm_map_may_grow(map, VM_MAXUSER_ADDRESS, nlen - olen))
			return (-ENOMEM);
		vm_map_lock(map);
		if ((last = mremap_range(map, old_addr, oend)) == NULL) {
			error = -EFAULT;
			goto out;
		}
	}

	if (nlen <= olen && (flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)) == 0) {
		/* Shrinking, or the same size without a move: in place. */
		error = vm_map_delete(map, old_addr + nlen, oend);
		dst = old_addr;
		wired = false;
	} else if ((flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)) == 0 &&
	    olen > 0 &&
	    oend == last->end && old_addr + nlen > old_addr &&
	    old_addr + nlen <= map->max_offset &&
	    vm_map_range_free(map, oend, old_addr + nlen)) {
		/* Growing in place: the mapping ends here, room follows. */
		error = mremap_extend(map, last, oend, nlen - olen);
		dst = old_addr;
	} else if ((flags & MREMAP_MAYMOVE) == 0) {
		error = -ENOMEM;
	} else if (olen == 0) {
		/* A second view of shared memory; the first one stays. */
		vm_map_lookup_entry(map, old_addr, &e);
		error = vm_map_findspace(map, map->min_offset, map->mmap_base,
		    nlen, &dst);
		if (error == 0 && (error = vm_map_clip_start(map, e,
		    old_addr)) == 0 && e->object == NULL) {
			e->object = vm_object_allocate(OBJT_DEFAULT,
			    (e->end - e->start) >> PAGE_SHIFT);
			if (e->object == NULL)
				error = -ENOMEM;
		}
		if (error == 0) {
			vm_object_clear_flag(e->object, OBJ_ONEMAPPING);
			vm_object_reference(e->object);
			error = vm_map_insert_like(map, e, e->object, e->offset,
			    dst, dst + nlen);
			if (error != 0)
				vm_object_deallocate(e->object);
		}
	} else {
		/* Move: room first, then the pages, then any growth. */
		if (flags & MREMAP_FIXED) {
			dst = new_addr;
			error = vm_map_delete(map, dst, dst + nlen);
		} else if ((error = vm_map_findspace(map, map->min_offset,
		    map->mmap_base, nlen, &dst)) != 0)
			error = vm_map_findspace(map, map->min_offset,
			    map->max_offset, nlen, &dst);
		if (error == 0 && nlen < olen) {
			error = vm_map_delete(map, old_addr + nlen, oend);
			olen = nlen;
			oend = old_addr + nlen;
		}
		if (error == 0)
			error = mremap_move(map, old_addr, oend, dst,
			    (flags & MREMAP_DONTUNMAP) != 0);
		if (error == 0 && nlen > olen) {
			vm_map_lookup_entry(map, dst + olen - 1, &e);
			error = mremap_extend(map, e, dst + olen, nlen - olen);
		}
	}
	if (error == 0 && wired) {
		vm_map_unlock(map);
		vm_map_wire(map, dst, dst + nlen, 0);
		return ((long)dst);
	}
out:
	vm_map_unlock(map);
	return (error != 0 ? error : (long)dst);
}
