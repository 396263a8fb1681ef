/*
 * vm_map.c: the entries of an address space (FreeBSD vm_map.c).
 *
 * A map is a set of non-overlapping entries [start, end), kept twice: in a
 * red-black tree by start address for O(log n) lookup, and on a list in
 * address order for walking ranges.  Operations on part of an entry first
 * clip it so the range is made of whole entries, change those, then
 * simplify: neighbours that ended up alike (same object with contiguous
 * offsets, same protections, inheritance, flags, wiring) merge back, so
 * mprotect over the middle of a mapping and back leaves one entry.
 *
 * The caller holds the map lock for everything taking a map_entry or named
 * _locked; vm_map_protect, _inherit, vm_map_remove (and, in
 * vm_map_advice.c, _madvise, _wire, _unwire) take it themselves.  Translations leave the pmap whenever
 * an entry goes away or loses a permission; they are added back lazily by
 * vm_fault.  Errors are negative Linux errno values.
 */
#include <kernel.h>
#include <kmem.h>
#include <libkern.h>
#include <uapi/errno.h>
#include <uapi/mman.h>
#include <vm_map.h>
#include <vm_object.h>

static int
vm_map_entry_cmp(struct vm_map_entry *a, struct vm_map_entry *b)
{
	return (a->start < b->start ? -1 : a->start > b->start);
}

RB_GENERATE_STATIC(vm_map_tree, vm_map_entry, rb, vm_map_entry_cmp)

/* Pure range arithmetic, shared by the system calls. */
bool
vm_round_len(vm_size_t len, vm_size_t *rounded)
{
	if (len > UINT64_MAX - PAGE_MASK)
		return (false);
	*rounded = round_page(len);
	return (true);
}

bool
vm_range_end(vaddr_t start, vm_size_t len, vaddr_t *end)
{
	if (start + len < start)
		return (false);
	*end = start + len;
	return (true);
}

bool
vm_range_in(vaddr_t start, vaddr_t end, vaddr_t lo, vaddr_t hi)
{
	return (start <= end && start >= lo && end <= hi);
}

void
vm_map_init(vm_map_t map, pmap_t pmap, vaddr_t min, vaddr_t max)
{
	spin_init(&map->lock, "vm_map");
	RB_INIT(&map->root);
	TAILQ_INIT(&map->entries);
	map->nentries = 0;
	map->size = 0;
	map->hint = NULL;
	map->min_offset = min;
	map->max_offset = max;
	map->mmap_base = MIN(VM_MMAP_BASE, max);
	map->free_cache = 0;
	map->free_hole = 0;
	map->flags = 0;
	map->pmap = pmap;
	map->deferred = NULL;
}

/*
 * Deleted entries wait on map->deferred (linked through their list
 * field) for vm_map_unlock, which writes back the dirty pages of shared
 * file mappings (the pager may sleep), drops the object references (the
 * last user of a file's object lets go of its vnode, whose file system
 * may sleep too) and frees them: FreeBSD's deferred entry freeing.  The
 * translations are gone by then, so nothing dirties the pages meanwhile.
 */
void
vm_map_unlock_deferred(vm_map_t map)
{
	vm_map_entry_t e = map->deferred, next;

	map->deferred = NULL;
	spin_unlock(&map->lock);
	if (intr_nesting() != 0) {
		/* Another lock held (two maps at fork): its unlock runs it. */
		KASSERT(e == NULL, "vm_map_unlock: deferred work under a lock");
		return;
	}
	for (; e != NULL; e = next) {
		next = TAILQ_NEXT(e, link);
		if (e->object != NULL && e->object->type == OBJT_VNODE &&
		    (e->eflags & MAP_ENTRY_COW) == 0)
			vm_object_page_clean(e->object, e->offset >> PAGE_SHIFT,
			    (e->offset + (e->end - e->start)) >> PAGE_SHIFT,
			    false);
		vm_object_deallocate(e->object);
		kfree(e);
	}
	vm_object_run_deferred();
}

vm_map_entry_t
vm_map_first_entry(vm_map_t map)
{
	return (TAILQ_FIRST(&map->entries));
}

vm_map_entry_t
vm_map_next_entry(vm_map_t map, vm_map_entry_t entry)
{
	return (TAILQ_NEXT(entry, link));
}

static vm_map_entry_t
vm_map_prev_entry(vm_map_t map, vm_map_entry_t entry)
{
	return (TAILQ_PREV(entry, vm_map_list, link));
}

static vm_map_entry_t
vm_map_entry_create(void)
{
	return (kmalloc(sizeof(struct vm_map_entry), M_NOWAIT | M_ZERO));
}

static void
vm_map_entry_link(vm_map_t map, vm_map_entry_t entry)
{
	vm_map_entry_t prev;

	if (RB_INSERT(vm_map_tree, &map->root, entry) != NULL)
		panic("vm_map_entry_link: %#lx already mapped", entry->start);
	prev = RB_PREV(vm_map_tree, &map->root, entry);
	if (prev == NULL)
		TAILQ_INSERT_HEAD(&map->entries, entry, link);
	else
		TAILQ_INSERT_AFTER(&map->entries, prev, entry, link);
	map->nentries++;
	map->size += entry->end - entry->start;
}

static void
vm_map_entry_unlink(vm_map_t map, vm_map_entry_t entry)
{
	vm_map_entry_t next = TAILQ_NEXT(entry, link);
	vaddr_t holetop = next != NULL ? next->start : map->max_offset;

	/* The hole this leaves must not be above the search cache. */
	if (map->free_cache != 0 && holetop > map->free_cache)
		map->free_cache = holetop;
	RB_REMOVE(vm_map_tree, &map->root, entry);
	TAILQ_REMOVE(&map->entries, entry, link);
	map->nentries--;
	map->size -= entry->end - entry->start;
	if (map->hint == entry)
		map->hint = NULL;
}

/*
 * Find the entry containing addr: true and *entry set.  Otherwise false,
 * and *entry is the last entry below addr (NULL if none), so the caller
 * knows where a new entry would go.
 */
bool
vm_map_lookup_entry(vm_map_t map, vaddr_t addr, vm_map_entry_t *entry)
{
	vm_map_entry_t cur, best = NULL;

	VM_MAP_ASSERT_LOCKED(map);
	cur = map->hint;
	if (cur != NULL && addr >= cur->start && addr < cur->end) {
		*entry = cur;
		return (true);
	}
	cur = RB_ROOT(&map->root);
	while (cur != NULL) {
		if (addr < cur->start)
			cur = RB_LEFT(cur, rb);
		else {
			if (addr < cur->end) {
				map->hint = cur;
				*entry = cur;
				return (true);
			}
			best = cur;
			cur = RB_RIGHT(cur, rb);
		}
	}
	*entry = best;
	return (false);
}

/* The first entry ending above addr (containing it or after it). */
vm_map_entry_t
vm_map_entry_at_or_after(vm_map_t map, vaddr_t addr)
{
	vm_map_entry_t e;

	if (vm_map_lookup_entry(map, addr, &e))
		return (e);
	return (e == NULL ? vm_map_first_entry(map) : vm_map_next_entry(map,
	    e));
}

bool
vm_map_range_free(vm_map_t map, vaddr_t start, vaddr_t end)
{
	vm_map_entry_t e;

	e = vm_map_entry_at_or_after(map, start);
	return (e == NULL || e->start >= end);
}

bool
vm_map_range_mapped(vm_map_t map, vaddr_t start, vaddr_t end)
{
	vm_map_entry_t e;

	if (!vm_map_lookup_entry(map, start, &e))
		return (false);
	while (e->end < end) {
		vm_map_entry_t next = vm_map_next_entry(map, e);

		if (next == NULL || next->start != e->end)
			return (false);
		e = next;
	}
	return (true);
}

/*
 * May an anonymous object used by one mapping only grow over the range of
 * a neighbour that has no object yet?  Its pieces all keep offset = va -
 * base, and deleting a piece frees its pages (vm_map_delete), so the
 * object has nothing at the pindexes it grows over.
 */
static bool
vm_object_extendable(vm_object_t obj)
{
	return (obj->type == OBJT_DEFAULT && (obj->flags & OBJ_ONEMAPPING) &&
	    obj->backing_object == NULL && obj->handle == NULL);
}

/* Could a and b (a just below b) be one entry? */
static bool
vm_map_entry_mergeable(vm_map_entry_t a, vm_map_entry_t b)
{
	if (a->end != b->start || a->protection != b->protection ||
	    a->max_protection != b->max_protection ||
	    a->inheritance != b->inheritance || a->eflags != b->eflags ||
	    a->advice != b->advice || a->wired_count != b->wired_count)
		return (false);
	if (a->object == b->object)
		return (a->object == NULL ||
		    a->offset + (a->end - a->start) == b->offset);
	return (b->object == NULL && vm_object_extendable(a->object));
}

/* After a merge: the object must cover the whole entry. */
static void
vm_map_entry_fit_object(vm_map_entry_t e)
{
	vm_pindex_t need;

	if (e->object == NULL)
		return;
	need = (e->offset + (e->end - e->start)) >> PAGE_SHIFT;
	if (e->object->size < need)
		e->object->size = need;
}

void
vm_map_simplify_entry(vm_map_t map, vm_map_entry_t entry)
{
	vm_map_entry_t prev, next;

	VM_MAP_ASSERT_LOCKED(map);
	prev = vm_map_prev_entry(map, entry);
	if (prev != NULL && vm_map_entry_mergeable(prev, entry)) {
		vm_map_entry_unlink(map, prev);
		map->size += prev->end - prev->start;
		if (entry->object == NULL)
			entry->object = prev->object;	/* its reference */
		else
			vm_object_deallocate(prev->object);
		entry->start = prev->start;
		entry->offset = prev->offset;
		vm_map_entry_fit_object(entry);
		kfree(prev);
	}
	next = vm_map_next_entry(map, entry);
	if (next != NULL && vm_map_entry_mergeable(entry, next)) {
		vm_map_entry_unlink(map, next);
		map->size += next->end - next->start;
		entry->end = next->end;
		vm_object_deallocate(next->object);
		vm_map_entry_fit_object(entry);
		kfree(next);
	}
}

/* Merge what can be merged among the entries touching [start, end]. */
void
vm_map_simplify_range(vm_map_t map, vaddr_t start, vaddr_t end)
{
	vm_map_entry_t e;

	if (!vm_map_lookup_entry(map, start > 0 ? start - 1 : 0, &e) &&
	    e == NULL)
		e = vm_map_first_entry(map);
	while (e != NULL && e->start <= end) {
		vm_map_simplify_entry(map, e);
		e = vm_map_next_entry(map, e);
	}
}

/*
 * Split entry at addr, keeping [addr, end) in entry and putting
 * [start, addr) into a new entry before it.  Both share the object.
 */
int
vm_map_clip_start(vm_map_t map, vm_map_entry_t entry, vaddr_t addr)
{
	vm_map_entry_t n;

	VM_MAP_ASSERT_LOCKED(map);
	if (addr <= entry->start || addr >= entry->end)
		return (0);
	n = vm_map_entry_create();
	if (n == NULL)
		return (-ENOMEM);
	*n = *entry;
	n->end = addr;
	entry->offset += addr - entry->start;
	map->size -= addr - entry->start;	/* link adds it back */
	entry->start = addr;
	vm_object_reference(n->object);
	vm_map_entry_link(map, n);
	return (0);
}

/* Split entry at addr, keeping [start, addr) in entry. */
int
vm_map_clip_end(vm_map_t map, vm_map_entry_t entry, vaddr_t addr)
{
	vm_map_entry_t n;

	VM_MAP_ASSERT_LOCKED(map);
	if (addr <= entry->start || addr >= entry->end)
		return (0);
	n = vm_map_entry_create();
	if (n == NULL)
		return (-ENOMEM);
	*n = *entry;
	n->start = addr;
	n->offset += addr - entry->start;
	map->size -= entry->end - addr;
	entry->end = addr;
	vm_object_reference(n->object);
	vm_map_entry_link(map, n);
	return (0);
}

int
vm_map_insert(vm_map_t map, vm_object_t object, vm_offset_t offset,
    vaddr_t start, vaddr_t end, vm_prot_t prot, vm_prot_t maxprot,
    int eflags)
{
	vm_map_entry_t prev, next, e;

	VM_MAP_ASSERT_LOCKED(map);
	if (start >= end || (start & PAGE_MASK) != 0 ||
	    (end & PAGE_MASK) != 0 || (offset & PAGE_MASK) != 0 ||
	    !vm_range_in(start, end, map->min_offset, map->max_offset) ||
	    (prot & ~maxprot) != 0)
		return (-EINVAL);
	if (vm_map_lookup_entry(map, start, &prev))
		return (-EEXIST);
	next = prev == NULL ? vm_map_first_entry(map) :
	    vm_map_next_entry(map, prev);
	if (next != NULL && next->start < end)
		return (-EEXIST);
	e = vm_map_entry_create();
	if (e == NULL)
		return (-ENOMEM);
	e->start = start;
	e->end = end;
	e->object = object;
	e->offset = object == NULL ? 0 : offset;
	e->protection = prot;
	e->max_protection = maxprot;
	e->inheritance = (eflags & MAP_ENTRY_COW) ? VM_INHERIT_COPY :
	    VM_INHERIT_SHARE;
	e->eflags = eflags;
	e->advice = MADV_NORMAL;
	vm_map_entry_link(map, e);
	vm_map_simplify_entry(map, e);
	return (0);
}

/*
 * Map [start, end) of object at offset (a reference taken over) with all
 * the attributes of entry like (mremap): -EEXIST if the range is in use.
 */
int
vm_map_insert_like(vm_map_t map, vm_map_entry_t like, vm_object_t object,
    vm_offset_t offset, vaddr_t start, vaddr_t end)
{
	vm_map_entry_t e;

	VM_MAP_ASSERT_LOCKED(map);
	if (start >= end || !vm_range_in(start, end, map->min_offset,
	    map->max_offset))
		return (-EINVAL);
	if (!vm_map_range_free(map, start, end))
		return (-EEXIST);
	if ((e = vm_map_entry_create()) == NULL)
		return (-ENOMEM);
	*e = *like;
	e->start = start;
	e->end = end;
	e->object = object;
	e->offset = object == NULL ? 0 : offset;
	e->eflags &= ~MAP_ENTRY_LOCKONFAULT;
	if (object == NULL)
		e->eflags &= ~MAP_ENTRY_NEEDS_COPY;
	vm_map_entry_link(map, e);
	vm_map_entry_fit_object(e);
	vm_map_simplify_entry(map, e);
	return (0);
}

/*
 * Move entry to start at newstart, keeping its object and pages (mremap):
 * -EEXIST if the new range is in use.  The entry may merge on arrival.
 */
int
vm_map_entry_move(vm_map_t map, vm_map_entry_t entry, vaddr_t newstart)
{
	vm_size_t len = entry->end - entry->start;

	VM_MAP_ASSERT_LOCKED(map);
	if (newstart + len < newstart || !vm_range_in(newstart,
	    newstart + len, map->min_offset, map->max_offset))
		return (-EINVAL);
	if (!vm_map_range_free(map, newstart, newstart + len))
		return (-EEXIST);
	pmap_remove(map->pmap, entry->start, entry->end);
	vm_map_entry_unlink(map, entry);
	entry->start = newstart;
	entry->end = newstart + len;
	vm_map_entry_link(map, entry);
	vm_map_simplify_entry(map, entry);
	return (0);
}

/* Add a ready-made entry (fork): -EEXIST if its range is in use. */
int
vm_map_link_entry(vm_map_t map, vm_map_entry_t entry)
{
	VM_MAP_ASSERT_LOCKED(map);
	if (!vm_range_in(entry->start, entry->end, map->min_offset,
	    map->max_offset) || entry->start >= entry->end)
		return (-EINVAL);
	if (!vm_map_range_free(map, entry->start, entry->end))
		return (-EEXIST);
	vm_map_entry_link(map, entry);
	return (0);
}

/*
 * The highest free range of len bytes within [lo, hi): top down, as Linux
 * places mmap regions below the stack.  0 and *addr, or -ENOMEM.
 *
 * The usual search (all of [min_offset, mmap_base)) starts from a cache,
 * as Linux's free_area_cache and cached_hole_size did: free_cache is where
 * the last such search placed its range, and free_hole bounds every hole
 * above it.  A request bigger than free_hole cannot fit above the cache,
 * so starting there gives the same answer as starting at the top, without
 * walking past every mapping above -- mmap+munmap stays O(log n) however
 * many mappings sit below mmap_base.  Unlinking an entry raises the cache
 * to the top of the hole it leaves; a smaller request searches from the
 * top again and recounts.
 */
int
vm_map_findspace(vm_map_t map, vaddr_t lo, vaddr_t hi, vm_size_t len,
    vaddr_t *addr)
{
	vm_map_entry_t e;
	vaddr_t top, bottom, from;
	vm_size_t skipped = 0;
	bool cached;

	VM_MAP_ASSERT_LOCKED(map);
	lo = MAX(lo, map->min_offset);
	hi = MIN(hi, map->max_offset);
	if (len == 0 || hi <= lo || len > hi - lo)
		return (-ENOMEM);
	cached = lo == map->min_offset && hi == map->mmap_base;
	from = hi;
	if (cached) {
		if (map->free_cache > lo && map->free_cache < hi &&
		    len > map->free_hole)
			from = map->free_cache;
		else
			map->free_hole = 0;	/* from the top: recount */
	}
	if (vm_map_lookup_entry(map, from - 1, &e)) {
		top = e->start;
		e = vm_map_prev_entry(map, e);
	} else
		top = from;
	for (;;) {
		bottom = e == NULL ? lo : MAX(e->end, lo);
		if (top > bottom && top - bottom >= len) {
			*addr = top - len;
			if (cached) {
				map->free_cache = *addr;
				map->free_hole = MAX(map->free_hole, skipped);
			}
			return (0);
		}
		if (top > bottom)
			skipped = MAX(skipped, top - bottom);
		if (e == NULL || e->start <= lo)
			return (-ENOMEM);
		top = e->start;
		e = vm_map_prev_entry(map, e);
	}
}

/*
 * Remove every mapping in [start, end): translations now; the entries,
 * with their object references, wait on map->deferred for vm_map_unlock
 * (file write-back, vnode release).  Holes are fine (munmap of nothing
 * succeeds).
 */
int
vm_map_delete(vm_map_t map, vaddr_t start, vaddr_t end)
{
	vm_map_entry_t e, next;
	int error;

	VM_MAP_ASSERT_LOCKED(map);
	if (vm_map_lookup_entry(map, start, &e)) {
		if ((error = vm_map_clip_start(map, e, start)) != 0)
			return (error);
	} else
		e = e == NULL ? vm_map_first_entry(map) :
		    vm_map_next_entry(map, e);
	while (e != NULL && e->start < end) {
		if ((error = vm_map_clip_end(map, e, end)) != 0)
			return (error);
		next = vm_map_next_entry(map, e);
		pmap_remove(map->pmap, e->start, e->end);
		/* Pages only this mapping could see go now, not at exit. */
		if (e->object != NULL && e->object->type == OBJT_DEFAULT &&
		    (e->object->flags & OBJ_ONEMAPPING))
			vm_object_page_remove(e->object, e->offset >> PAGE_SHIFT,
			    (e->offset + (e->end - e->start)) >> PAGE_SHIFT);
		vm_map_entry_unlink(map, e);
		/* Write-back, object reference, free: at vm_map_unlock. */
		TAILQ_NEXT(e, link) = map->deferred;
		map->deferred = e;
		e = next;
	}
	return (0);
}

int
vm_map_remove(vm_map_t map, vaddr_t start, vaddr_t end)
{
	int error;

	vm_map_lock(map);
	error = vm_map_delete(map, start, end);
	vm_map_unlock(map);
	return (error);
}

/*
 * Clip so that [start, end) is made of whole entries; returns the first
 * one (NULL if none).  On -ENOMEM nothing has changed but a split.
 */
int
vm_map_clip_range(vm_map_t map, vaddr_t start, vaddr_t end,
    vm_map_entry_t *first)
{
	vm_map_entry_t e;
	int error;

	e = vm_map_entry_at_or_after(map, start);
	*first = e;
	if (e == NULL || e->start >= end)
		return (0);
	if ((error = vm_map_clip_start(map, e, start)) != 0)
		return (error);
	for (; e != NULL && e->start < end; e = vm_map_next_entry(map, e))
		if ((error = vm_map_clip_end(map, e, end)) != 0)
			return (error);
	return (0);
}

/*
 * Set the protection of [start, end) (mprotect).  The whole range is
 * checked first: -ENOMEM if part is unmapped, -EACCES if prot exceeds an
 * entry's max_protection; then nothing has changed.  set_max also lowers
 * max_protection.  Lost permissions leave the pmap at once.
 */
int
vm_map_protect(vm_map_t map, vaddr_t start, vaddr_t end, vm_prot_t prot,
    bool set_max)
{
	vm_map_entry_t e, first;
	vm_prot_t old, keep;
	int error;

	vm_map_lock(map);
	if (!vm_map_range_mapped(map, start, end)) {
		vm_map_unlock(map);
		return (-ENOMEM);
	}
	for (e = vm_map_entry_at_or_after(map, start); e != NULL &&
	    e->start < end; e = vm_map_next_entry(map, e))
		if (!set_max && (prot & ~e->max_protection) != 0) {
			vm_map_unlock(map);
			return (-EACCES);
		}
	if ((error = vm_map_clip_range(map, start, end, &first)) != 0)
		goto out;
	for (e = first; e != NULL && e->start < end;
	    e = vm_map_next_entry(map, e)) {
		old = e->protection;
		if (set_max) {
			e->max_protection = prot;
			e->protection &= prot;
		} else
			e->protection = prot;
		if ((old & ~e->protection) == 0)
			continue;
		/* Only ever take rights away here; faults add them. */
		keep = old & e->protection;
		if (e->eflags & MAP_ENTRY_COW)
			keep &= ~VM_PROT_WRITE;
		if (keep == VM_PROT_NONE)
			pmap_remove(map->pmap, e->start, e->end);
		else
			pmap_protect(map->pmap, e->start, e->end, keep);
	}
out:
	vm_map_simplify_range(map, start, end);
	vm_map_unlock(map);
	return (error);
}

/* Set the fork inheritance of [start, end) (minherit); holes are fine. */
int
vm_map_inherit(vm_map_t map, vaddr_t start, vaddr_t end, vm_inherit_t inh)
{
	vm_map_entry_t e, first;
	int error;

	if (inh != VM_INHERIT_SHARE && inh != VM_INHERIT_COPY &&
	    inh != VM_INHERIT_NONE && inh != VM_INHERIT_ZERO)
		return (-EINVAL);
	vm_map_lock(map);
	error = vm_map_clip_range(map, start, end, &first);
	for (e = first; error == 0 && e != NULL && e->start < end;
	    e = vm_map_next_entry(map, e))
		e->inheritance = inh;
	vm_map_simplify_range(map, start, end);
	vm_map_unlock(map);
	return (error);
}
