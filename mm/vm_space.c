/*
 * vm_space.c: whole address spaces (FreeBSD vmspace_alloc, vmspace_fork,
 * vmspace_free in vm_map.c) and the entry points exec and mmap use.
 *
 * Fork copies the map entry by entry according to inheritance: SHARE
 * gives the child the same object, COPY makes both sides copy-on-write
 * (the object is shared and marked NEEDS_COPY in both entries, and the
 * parent's translations lose write access so its next write faults too),
 * NONE leaves a hole and ZERO (or MADV_WIPEONFORK) gives fresh zeros.
 * Nothing is copied at fork time except in two rare cases where sharing
 * a chain would let one side see stale pages (see vmspace_fork_share).
 */
#include <kernel.h>
#include <kmem.h>
#include <libkern.h>
#include <proc.h>
#include <uapi/errno.h>
#include <uapi/mman.h>
#include <vm_map.h>
#include <vm_object.h>

struct vmspace *
vmspace_alloc(void)
{
	struct vmspace *vm;

	vm = kmalloc(sizeof(*vm), M_NOWAIT | M_ZERO);
	if (vm == NULL)
		return (NULL);
	if (pmap_pinit(&vm->vm_pmap) != 0) {
		kfree(vm);
		return (NULL);
	}
	vm_map_init(&vm->vm_map, &vm->vm_pmap, VM_MIN_USER,
	    VM_MAXUSER_ADDRESS);
	vm->vm_refcnt = 1;
	return (vm);
}

pmap_t
vmspace_pmap(struct vmspace *vm)
{
	return (&vm->vm_pmap);
}

vm_map_t
vmspace_map(struct vmspace *vm)
{
	return (&vm->vm_map);
}

struct vmspace *
vm_map_to_vmspace(vm_map_t map)
{
	return (container_of(map, struct vmspace, vm_map));
}

vm_map_t
vm_curmap(void)
{
	struct thread *td = curthread;

	if (td == NULL || td->td_proc == NULL ||
	    td->td_proc->p_vmspace == NULL)
		return (NULL);
	return (&td->td_proc->p_vmspace->vm_map);
}

void
vmspace_free(struct vmspace *vm)
{
	vm_map_t map = &vm->vm_map;
	int left;

	vm_map_lock(map);
	left = --vm->vm_refcnt;
	if (left == 0)
		vm_map_delete(map, map->min_offset, map->max_offset);
	vm_map_unlock(map);
	if (left > 0)
		return;
	KASSERT(map->nentries == 0, "vmspace_free: entries left");
	pmap_release(&vm->vm_pmap);
	kfree(vm);
}

/*
 * A private entry about to be shared (VM_INHERIT_SHARE) must not keep a
 * shadow chain: a later copy-on-write in one process would put a new page
 * in the shared top object while the other process still maps the old one
 * from below.  Give it a flat object of its own instead; the parent's
 * translations of the old pages go (they refault from the copy).
 */
static int
vmspace_fork_flatten(vm_map_t map, vm_map_entry_t e)
{
	vm_object_t copy;
	vm_pindex_t npages = (e->end - e->start) >> PAGE_SHIFT;

	if (e->object == NULL) {
		e->object = vm_object_allocate(OBJT_DEFAULT, npages);
		if (e->object == NULL)
			return (-ENOMEM);
		e->offset = 0;
		e->eflags &= ~MAP_ENTRY_NEEDS_COPY;
		return (0);
	}
	if (e->object->backing_object == NULL &&
	    (e->eflags & MAP_ENTRY_NEEDS_COPY) == 0)
		return (0);
	if (e->object->type != OBJT_DEFAULT &&
	    (e->eflags & MAP_ENTRY_NEEDS_COPY) == 0)
		return (0);
	copy = vm_object_copy(e->object, e->offset >> PAGE_SHIFT, npages);
	if (copy == NULL)
		return (-ENOMEM);
	pmap_remove(map->pmap, e->start, e->end);
	vm_object_deallocate(e->object);
	e->object = copy;
	e->offset = 0;
	e->eflags &= ~MAP_ENTRY_NEEDS_COPY;
	return (0);
}

/* The child's copy of one parent entry, or NULL with *error set. */
static vm_map_entry_t
vmspace_fork_entry(vm_map_t omap, vm_map_entry_t oe, int *error)
{
	vm_map_entry_t ne;
	vm_inherit_t inh = oe->inheritance;

	*error = 0;
	if (oe->eflags & MAP_ENTRY_NOFORK)
		return (NULL);
	if (oe->eflags & MAP_ENTRY_WIPEONFORK)
		inh = VM_INHERIT_ZERO;
	if (inh == VM_INHERIT_NONE)
		return (NULL);
	ne = kmalloc(sizeof(*ne), M_NOWAIT | M_ZERO);
	if (ne == NULL) {
		*error = -ENOMEM;
		return (NULL);
	}
	*ne = *oe;
	ne->wired_count = 0;	/* mlock is not inherited */
	ne->eflags &= ~MAP_ENTRY_LOCKONFAULT;
	switch (inh) {
	case VM_INHERIT_ZERO:
		ne->object = NULL;
		ne->offset = 0;
		ne->eflags &= ~MAP_ENTRY_NEEDS_COPY;
		ne->eflags |= MAP_ENTRY_COW;
		break;
	case VM_INHERIT_SHARE:
		if ((oe->eflags & MAP_ENTRY_COW) || oe->object == NULL) {
			*error = vmspace_fork_flatten(omap, oe);
			if (*error != 0)
				break;
		}
		ne->object = oe->object;
		ne->offset = oe->offset;
		ne->eflags = oe->eflags & ~MAP_ENTRY_LOCKONFAULT;
		vm_object_reference(ne->object);
		vm_object_clear_flag(ne->object, OBJ_ONEMAPPING);
		break;
	case VM_INHERIT_COPY:
		if ((oe->eflags & MAP_ENTRY_COW) == 0) {
			/* Shared memory copied: an eager private copy. */
			ne->object = oe->object == NULL ? NULL :
			    vm_object_copy(oe->object, oe->offset >> PAGE_SHIFT,
			    (oe->end - oe->start) >> PAGE_SHIFT);
			if (oe->object != NULL && ne->object == NULL)
				*error = -ENOMEM;
			ne->offset = 0;
			ne->eflags |= MAP_ENTRY_COW;
			ne->eflags &= ~MAP_ENTRY_NEEDS_COPY;
			break;
		}
		if (oe->object == NULL)
			break;		/* untouched: both start from zeros */
		vm_object_reference(oe->object);
		vm_object_clear_flag(oe->object, OBJ_ONEMAPPING);
		oe->eflags |= MAP_ENTRY_NEEDS_COPY;
		ne->eflags |= MAP_ENTRY_NEEDS_COPY;
		if (oe->protection & VM_PROT_WRITE)
			pmap_protect(omap->pmap, oe->start, oe->end,
			    oe->protection & ~VM_PROT_WRITE);
		break;
	}
	if (*error != 0) {
		kfree(ne);
		return (NULL);
	}
	return (ne);
}

struct vmspace *
vmspace_fork(struct vmspace *vm1)
{
	struct vmspace *vm2;
	vm_map_t omap = &vm1->vm_map, nmap;
	vm_map_entry_t oe, ne;
	int error = 0;

	vm2 = vmspace_alloc();
	if (vm2 == NULL)
		return (NULL);
	nmap = &vm2->vm_map;
	vm_map_lock(omap);
	vm_map_lock(nmap);
	nmap->mmap_base = omap->mmap_base;
	vm2->vm_daddr = vm1->vm_daddr;
	vm2->vm_brk = vm1->vm_brk;
	for (oe = vm_map_first_entry(omap); oe != NULL;
	    oe = vm_map_next_entry(omap, oe)) {
		ne = vmspace_fork_entry(omap, oe, &error);
		if (error != 0)
			break;
		if (ne == NULL)
			continue;
		/* Linked as is: no coalescing, the child mirrors the parent. */
		error = vm_map_link_entry(nmap, ne);
		if (error != 0) {
			vm_object_deallocate(ne->object);
			kfree(ne);
		}
		if (error != 0)
			break;
	}
	vm_map_unlock(nmap);
	vm_map_unlock(omap);
	if (error != 0) {
		vmspace_free(vm2);
		return (NULL);
	}
	return (vm2);
}

/*
 * Map object (a reference we take over; NULL = anonymous zero-fill) at
 * *addr: exactly there with VMFS_FIXED (VMFS_REPLACE unmaps what is in
 * the way, else -EEXIST), else at *addr if free, else the highest free
 * range at or above *addr below mmap_base (then anywhere above *addr).
 */
int
vm_map_object(vm_map_t map, vm_object_t object, vm_offset_t offset,
    vaddr_t *addr, vm_size_t len, vm_prot_t prot, vm_prot_t maxprot,
    int flags)
{
	vaddr_t start = *addr, end;
	int eflags, error;
	bool wire = false;

	if (len == 0 || (len & PAGE_MASK) != 0 || (start & PAGE_MASK) != 0)
		return (-EINVAL);
	eflags = (flags & VMFS_SHARED) ? 0 : MAP_ENTRY_COW;
	/* A private view of an existing object must not write into it. */
	if (object != NULL && (eflags & MAP_ENTRY_COW))
		eflags |= MAP_ENTRY_NEEDS_COPY;
	if (flags & VMFS_GROWSDOWN)
		eflags |= MAP_ENTRY_GROWS_DOWN;
	vm_map_lock(map);
	if (flags & VMFS_FIXED) {
		if (!vm_range_end(start, len, &end) ||
		    !vm_range_in(start, end, map->min_offset,
		    map->max_offset)) {
			error = -ENOMEM;
			goto out;
		}
		if ((flags & VMFS_REPLACE) &&
		    (error = vm_map_delete(map, start, end)) != 0)
			goto out;
	} else {
		if (start < map->min_offset || ((flags & VMFS_32BIT) &&
		    start + len > (2UL << 30)) ||
		    !vm_range_end(start, len, &end) ||
		    end > map->max_offset || !vm_map_range_free(map, start,
		    end)) {
			vaddr_t lo = (flags & (VMFS_HINT | VMFS_32BIT)) ?
			    map->min_offset : start;
			vaddr_t hi = (flags & VMFS_32BIT) ? (2UL << 30) :
			    map->max_offset;

			error = vm_map_findspace(map, lo,
			    MIN(hi, map->mmap_base), len, &start);
			if (error != 0)
				error = vm_map_findspace(map, lo, hi, len,
				    &start);
			if (error != 0)
				goto out;
		}
		end = start + len;
	}
	error = vm_map_insert(map, object, offset, start, end, prot, maxprot,
	    eflags);
	wire = error == 0 && (map->flags & MAP_WIREFUTURE);
	if (error == 0)
		*addr = start;
out:
	vm_map_unlock(map);
	if (wire)
		vm_map_wire(map, start, end,
		    (map->flags & MAP_WIREFUTURE_ONFAULT) ? VM_MAP_WIRE_ONFAULT :
		    0);
	return (error);
}

int
vm_map_anon(vm_map_t map, vaddr_t *addr, vm_size_t len, vm_prot_t prot,
    vm_prot_t maxprot, int flags)
{
	return (vm_map_object(map, NULL, 0, addr, len, prot, maxprot, flags));
}

/*
 * A fault just below a MAP_GROWSDOWN mapping grows it down to the faulting
 * page, as Linux grows stacks: by at most VM_STACK_MAXGROW at a time, and
 * never closer than a guard page to the mapping below.  The new range is
 * its own entry (it merges with the old one while neither has memory).
 * 0 with the range mapped, or -ENOMEM.  Map locked.
 */
int
vm_map_growstack(vm_map_t map, vaddr_t va)
{
	vm_map_entry_t prev, next;
	vaddr_t start = trunc_page(va);

	VM_MAP_ASSERT_LOCKED(map);
	if (vm_map_lookup_entry(map, va, &prev))
		return (0);
	next = prev == NULL ? vm_map_first_entry(map) :
	    vm_map_next_entry(map, prev);
	if (next == NULL || (next->eflags & MAP_ENTRY_GROWS_DOWN) == 0 ||
	    next->start - start > VM_STACK_MAXGROW || start < map->min_offset)
		return (-ENOMEM);
	if (prev != NULL && prev->end + PAGE_SIZE > start)
		return (-ENOMEM);
	return (vm_map_insert(map, NULL, 0, start, next->start,
	    next->protection, next->max_protection,
	    next->eflags & (MAP_ENTRY_COW | MAP_ENTRY_GROWS_DOWN |
	    MAP_ENTRY_NORESERVE)));
}

void
vmspace_set_brk(struct vmspace *vm, vaddr_t base)
{
	vm_map_lock(&vm->vm_map);
	vm->vm_daddr = round_page(base);
	vm->vm_brk = vm->vm_daddr;
	vm_map_unlock(&vm->vm_map);
}
