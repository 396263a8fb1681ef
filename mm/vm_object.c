/*
 * vm_object.c: memory objects, their pages and shadow chains (FreeBSD
 * vm_object.c, with the default pager of swap_pager.c reduced to "zeros").
 *
 * An object keeps its resident pages on memq sorted by pindex.  Copy-on-
 * write stacks objects: a shadow sees its backing object through a window
 * starting at backing_offset, and a page found lower in the chain is
 * copied up into the top object on the first write (vm_fault.c).  When a
 * backing object is left with a single reference, which must then be its
 * only shadow, vm_object_collapse moves its pages up into that shadow and
 * unlinks it, so chains do not grow without bound over repeated forks.
 *
 * One lock, vm_object_lock, guards every object's fields and page list;
 * the functions here take it themselves.  Pages are allocated NOWAIT: a
 * caller gets NULL (and reports KERN_RESOURCE_SHORTAGE) rather than sleep.
 */
#include <kernel.h>
#include <kmem.h>
#include <libkern.h>
#include <pmap.h>
#include <uapi/errno.h>
#include <vm_object.h>

struct spinlock vm_object_lock = SPINLOCK_INIT("vm_object");
int vm_object_count;		/* vm_object_lock: live objects */
uint64_t vm_cnt_file_pages;	/* vm_object_lock: pages of file caches */
/* vm_object_lock: objects owed pgo_release calls (release_pending > 0) */
static LIST_HEAD(, vm_object) vm_object_released =
    LIST_HEAD_INITIALIZER(vm_object_released);

/* The anonymous pager: no backing store, a missing page reads as zeros. */
static bool
default_pager_haspage(vm_object_t obj, vm_pindex_t pindex)
{
	return (false);
}

static int
default_pager_getpages(vm_object_t obj, vm_pindex_t pindex, vm_page_t *mp)
{
	vm_page_t m;

	m = vm_page_alloc_object(obj, pindex);
	if (m == NULL)
		return (KERN_RESOURCE_SHORTAGE);
	*mp = m;
	return (KERN_SUCCESS);
}

static int
default_pager_putpages(vm_object_t obj, vm_page_t *ma, int count, bool sync)
{
	return (0);	/* no swap: anonymous pages stay resident */
}

const struct pagerops default_pager_ops = {
	.pgo_name = "default",
	.pgo_haspage = default_pager_haspage,
	.pgo_getpages = default_pager_getpages,
	.pgo_putpages = default_pager_putpages,
};

vm_object_t
vm_object_allocate_pager(objtype_t type, vm_pindex_t size,
    const struct pagerops *pager, void *handle)
{
	vm_object_t obj;

	obj = kmalloc(sizeof(*obj), M_NOWAIT | M_ZERO);
	if (obj == NULL)
		return (NULL);
	TAILQ_INIT(&obj->memq);
	LIST_INIT(&obj->shadow_head);
	obj->size = size;
	obj->ref_count = 1;
	obj->type = type;
	/* A file's pages are seen by read/write too: never one mapping's. */
	obj->flags = type == OBJT_DEFAULT ? OBJ_ONEMAPPING : 0;
	obj->pager = pager;
	obj->handle = handle;
	if (pager->pgo_init != NULL)
		pager->pgo_init(obj);
	spin_lock(&vm_object_lock);
	vm_object_count++;
	spin_unlock(&vm_object_lock);
	return (obj);
}

vm_object_t
vm_object_allocate(objtype_t type, vm_pindex_t size)
{
	return (vm_object_allocate_pager(type, size, &default_pager_ops,
	    NULL));
}

void
vm_object_reference(vm_object_t obj)
{
	if (obj == NULL)
		return;
	spin_lock(&vm_object_lock);
	KASSERT(obj->ref_count > 0, "reference to a dead object");
	/* The first user (the creator holds one): the pager may hold on. */
	if (++obj->ref_count == 2 && (obj->flags & OBJ_USERREF) == 0 &&
	    obj->pager->pgo_reference != NULL && obj->pager->pgo_reference(obj))
		obj->flags |= OBJ_USERREF;
	spin_unlock(&vm_object_lock);
}

/*
 * The pgo_release calls owed (vm_object_deallocate under a spin lock):
 * an object owed one is alive, since what its pager holds (a vnode) is
 * what keeps the creator's reference.
 */
void
vm_object_run_deferred(void)
{
	vm_object_t obj;

	KASSERT(intr_nesting() == 0, "vm_object_run_deferred under a lock");
	for (;;) {
		spin_lock(&vm_object_lock);
		if ((obj = LIST_FIRST(&vm_object_released)) != NULL &&
		    --obj->release_pending == 0)
			LIST_REMOVE(obj, release_link);
		spin_unlock(&vm_object_lock);
		if (obj == NULL)
			break;
		obj->pager->pgo_release(obj);
	}
}

void
vm_object_clear_flag(vm_object_t obj, uint16_t bits)
{
	spin_lock(&vm_object_lock);
	obj->flags &= ~bits;
	spin_unlock(&vm_object_lock);
}

/*
 * The last resident page at or below pindex, or NULL if none.  The walk
 * starts from whichever of the first page, the last page and the last page
 * used (obj->hint) is nearest in pindex, so runs of faults going up or
 * down (a heap, a stack, a file read in order) cost O(1) each and a jump
 * back to the start of a big file does not walk the whole list.
 */
static vm_page_t
vm_page_find_le(vm_object_t obj, vm_pindex_t pindex)
{
	vm_page_t m, n, first, last;

	first = TAILQ_FIRST(&obj->memq);
	last = TAILQ_LAST(&obj->memq, vm_page_list_head);
	if (first == NULL || pindex < first->pindex)
		return (NULL);
	if (pindex >= last->pindex)
		return (last);
	m = obj->hint != NULL ? obj->hint : last;
	if (m->pindex > pindex && pindex - first->pindex < m->pindex - pindex)
		m = first;
	else if (m->pindex < pindex && last->pindex - pindex <
	    pindex - m->pindex)
		m = last;
	if (m->pindex <= pindex) {
		while ((n = TAILQ_NEXT(m, listq)) != NULL && n->pindex <= pindex)
			m = n;
		return (m);
	}
	while (m != NULL && m->pindex > pindex)
		m = TAILQ_PREV(m, vm_page_list_head, listq);
	return (m);
}

/* The resident page at pindex, or NULL. */
static vm_page_t
vm_page_lookup_locked(vm_object_t obj, vm_pindex_t pindex)
{
	vm_page_t m = vm_page_find_le(obj, pindex);

	if (m == NULL || m->pindex != pindex)
		return (NULL);
	obj->hint = m;
	return (m);
}

vm_page_t
vm_page_lookup(vm_object_t obj, vm_pindex_t pindex)
{
	vm_page_t m;

	spin_lock(&vm_object_lock);
	m = vm_page_lookup_locked(obj, pindex);
	spin_unlock(&vm_object_lock);
	return (m);
}

static void
vm_page_insert_locked(vm_page_t m, vm_object_t obj, vm_pindex_t pindex)
{
	vm_page_t p;

	KASSERT(m->object == NULL, "page already in an object");
	p = vm_page_find_le(obj, pindex);
	KASSERT(p == NULL || p->pindex != pindex, "two pages at one pindex");
	m->object = obj;
	m->pindex = pindex;
	obj->hint = m;
	if (p == NULL)
		TAILQ_INSERT_HEAD(&obj->memq, m, listq);
	else
		TAILQ_INSERT_AFTER(&obj->memq, p, m, listq);
	obj->resident_page_count++;
	if (obj->type == OBJT_VNODE)
		vm_cnt_file_pages++;
}

void
vm_page_insert(vm_page_t m, vm_object_t obj, vm_pindex_t pindex)
{
	spin_lock(&vm_object_lock);
	vm_page_insert_locked(m, obj, pindex);
	spin_unlock(&vm_object_lock);
}

static void
vm_page_remove_locked(vm_page_t m)
{
	vm_object_t obj = m->object;

	KASSERT(obj != NULL, "page in no object");
	if (obj->hint == m)
		obj->hint = NULL;
	TAILQ_REMOVE(&obj->memq, m, listq);
	obj->resident_page_count--;
	if (obj->type == OBJT_VNODE)
		vm_cnt_file_pages--;
	m->object = NULL;
	m->pindex = 0;
}

void
vm_page_remove(vm_page_t m)
{
	spin_lock(&vm_object_lock);
	vm_page_remove_locked(m);
	spin_unlock(&vm_object_lock);
}

vm_page_t
vm_page_alloc_object(vm_object_t obj, vm_pindex_t pindex)
{
	vm_page_t m;

	m = vm_page_alloc(VM_ALLOC_ZERO | VM_ALLOC_NOWAIT);
	if (m == NULL)
		return (NULL);
	if ((m->flags & PG_ZERO) == 0)
		pmap_zero_page(m);
	m->flags &= ~PG_ZERO;
	vm_page_insert(m, obj, pindex);
	return (m);
}

vm_page_t
vm_page_grab(vm_object_t obj, vm_pindex_t pindex, bool *created)
{
	vm_page_t m, n;

	*created = false;
	if ((m = vm_page_lookup(obj, pindex)) != NULL)
		return (m);
	n = vm_page_alloc(VM_ALLOC_ZERO | VM_ALLOC_NOWAIT);
	if (n == NULL)
		return (NULL);
	if ((n->flags & PG_ZERO) == 0)
		pmap_zero_page(n);
	n->flags &= ~PG_ZERO;
	/* Someone may have put one there while we allocated. */
	spin_lock(&vm_object_lock);
	m = vm_page_lookup_locked(obj, pindex);
	if (m == NULL) {
		vm_page_insert_locked(n, obj, pindex);
		*created = true;
		m = n;
		n = NULL;
	}
	spin_unlock(&vm_object_lock);
	if (n != NULL)
		vm_page_free(n);
	return (m);
}

/*
 * Write the dirty pages of [start, end) back through the pager (FreeBSD
 * vm_object_page_clean), in batches; the pages are marked clean before
 * the pager sees them, so a store racing with the write-back dirties them
 * again.  0 or the pager's first error.
 */
int
vm_object_page_clean(vm_object_t obj, vm_pindex_t start, vm_pindex_t end,
    bool sync)
{
	vm_page_t batch[16], m;
	vm_pindex_t next = start;
	int n, error = 0, e;

	if (obj == NULL || obj->type != OBJT_VNODE ||
	    (obj->flags & OBJ_MIGHTBEDIRTY) == 0)
		return (0);
	if (start == 0 && end == 0)
		vm_object_clear_flag(obj, OBJ_MIGHTBEDIRTY);
	for (;;) {
		n = 0;
		spin_lock(&vm_object_lock);
		/* From the first page at or past next: O(pages in range). */
		m = vm_page_find_le(obj, next);
		if (m == NULL)
			m = TAILQ_FIRST(&obj->memq);
		else if (m->pindex < next)
			m = TAILQ_NEXT(m, listq);
		for (; m != NULL; m = TAILQ_NEXT(m, listq)) {
			if (end != 0 && m->pindex >= end)
				break;
			if (!m->dirty)
				continue;
			m->dirty = 0;
			batch[n++] = m;
			if (n == (int)nitems(batch))
				break;
		}
		spin_unlock(&vm_object_lock);
		if (n == 0)
			break;
		next = batch[n - 1]->pindex + 1;
		e = obj->pager->pgo_putpages(obj, batch, n, sync);
		if (e != 0 && error == 0)
			error = e;
	}
	return (error);
}

vm_page_t
vm_object_chain_lookup(vm_object_t obj, vm_pindex_t pindex,
    vm_object_t *found)
{
	vm_page_t m = NULL;

	spin_lock(&vm_object_lock);
	for (; obj != NULL; obj = obj->backing_object) {
		m = vm_page_lookup_locked(obj, pindex);
		if (m != NULL)
			break;
		if (obj->pager->pgo_haspage(obj, pindex))
			break;		/* the caller asks the pager */
		pindex += obj->backing_offset;
	}
	spin_unlock(&vm_object_lock);
	if (found != NULL)
		*found = obj;
	return (m);
}

static void
vm_object_page_remove_locked(vm_object_t obj, vm_pindex_t start,
    vm_pindex_t end)
{
	vm_page_t m, next;

	TAILQ_FOREACH_SAFE(m, &obj->memq, listq, next) {
		if (m->pindex < start)
			continue;
		if (end != 0 && m->pindex >= end)
			break;
		vm_page_remove_locked(m);
		vm_page_free(m);
	}
}

void
vm_object_page_remove(vm_object_t obj, vm_pindex_t start, vm_pindex_t end)
{
	spin_lock(&vm_object_lock);
	vm_object_page_remove_locked(obj, start, end);
	spin_unlock(&vm_object_lock);
}

/*
 * Fold backing objects that only obj still uses into obj: their pages that
 * obj can see and lacks move up (they stay mapped wherever they were, as
 * the same physical pages); the rest are freed, as nothing maps them.
 */
static void
vm_object_collapse_locked(vm_object_t obj)
{
	vm_object_t b, bb;
	vm_page_t m, next;
	vm_pindex_t np;

	while ((b = obj->backing_object) != NULL && b->ref_count == 1 &&
	    b->type == OBJT_DEFAULT && b->handle == NULL) {
		KASSERT(b->shadow_count == 1, "sole reference is not a shadow");
		TAILQ_FOREACH_SAFE(m, &b->memq, listq, next) {
			vm_pindex_t pi = m->pindex;

			vm_page_remove_locked(m);	/* clears m->pindex */
			if (pi < obj->backing_offset ||
			    (np = pi - obj->backing_offset) >= obj->size ||
			    vm_page_lookup_locked(obj, np) != NULL)
				vm_page_free(m);
			else
				vm_page_insert_locked(m, obj, np);
		}
		/* obj takes over b's place (and reference) on bb. */
		LIST_REMOVE(obj, shadow_list);
		bb = b->backing_object;
		obj->backing_object = bb;
		obj->backing_offset += b->backing_offset;
		if (bb != NULL) {
			LIST_REMOVE(b, shadow_list);
			LIST_INSERT_HEAD(&bb->shadow_head, obj, shadow_list);
		}
		b->flags |= OBJ_DEAD;
		vm_object_count--;
		kfree(b);
	}
}

void
vm_object_collapse(vm_object_t obj)
{
	spin_lock(&vm_object_lock);
	vm_object_collapse_locked(obj);
	spin_unlock(&vm_object_lock);
}

/*
 * Drop a reference.  The last one frees the pages (nothing maps them any
 * more: every map entry using the object is gone, and deleting an entry
 * removed its translations) and then drops the backing object's reference
 * in turn.  An object left with one reference that is its only shadow is
 * collapsed into that shadow.  When only the creator's reference is left
 * and the pager took something for the users (pgo_reference: the vnode
 * pager's vnode reference), pgo_release runs -- right away, or, when the
 * caller holds a spin lock (a map lock), at the next vm_map_unlock.
 */
void
vm_object_deallocate(vm_object_t obj)
{
	vm_object_t backing;
	bool released = false;

	spin_lock(&vm_object_lock);
	while (obj != NULL) {
		KASSERT(obj->ref_count > 0, "object freed twice");
		if (--obj->ref_count == 1 && (obj->flags & OBJ_USERREF)) {
			/* The last user left: the pager lets go (later). */
			obj->flags &= ~OBJ_USERREF;
			if (obj->release_pending++ == 0)
				LIST_INSERT_HEAD(&vm_object_released, obj,
				    release_link);
			released = true;
		}
		if (obj->ref_count > 0) {
			if (obj->ref_count == 1 && obj->shadow_count == 1 &&
			    obj->type == OBJT_DEFAULT && obj->handle == NULL)
				vm_object_collapse_locked(
				    LIST_FIRST(&obj->shadow_head));
			break;
		}
		KASSERT(obj->shadow_count == 0, "dead object has shadows");
		KASSERT(obj->release_pending == 0, "dead object owed release");
		backing = obj->backing_object;
		if (backing != NULL) {
			LIST_REMOVE(obj, shadow_list);
			backing->shadow_count--;
		}
		vm_object_page_remove_locked(obj, 0, 0);
		if (obj->pager->pgo_dealloc != NULL)
			obj->pager->pgo_dealloc(obj);
		obj->flags |= OBJ_DEAD;
		vm_object_count--;
		kfree(obj);
		obj = backing;
	}
	spin_unlock(&vm_object_lock);
	/* pgo_release may sleep: not under the caller's map lock. */
	if (released && intr_nesting() == 0)
		vm_object_run_deferred();
}

int
vm_object_shadow(vm_object_t *objp, vm_offset_t *offset, vm_pindex_t length)
{
	vm_object_t src = *objp, s;

	s = vm_object_allocate(OBJT_DEFAULT, length);
	if (s == NULL)
		return (-ENOMEM);
	spin_lock(&vm_object_lock);
	s->backing_object = src;
	s->backing_offset = *offset >> PAGE_SHIFT;
	if (src != NULL) {
		LIST_INSERT_HEAD(&src->shadow_head, s, shadow_list);
		src->shadow_count++;
		src->flags &= ~OBJ_ONEMAPPING;
	}
	spin_unlock(&vm_object_lock);
	*objp = s;
	*offset = 0;
	return (0);
}

vm_object_t
vm_object_copy(vm_object_t obj, vm_pindex_t pindex, vm_pindex_t npages)
{
	vm_object_t copy, o;
	vm_page_t m, n;
	vm_pindex_t off, i;

	copy = vm_object_allocate(OBJT_DEFAULT, npages);
	if (copy == NULL)
		return (NULL);
	/*
	 * Walk the chain top down, so that the page nearest the top wins;
	 * off is pindex 0 of the copy in o's numbering.
	 */
	spin_lock(&vm_object_lock);
	for (o = obj, off = pindex; o != NULL;
	    off += o->backing_offset, o = o->backing_object) {
		TAILQ_FOREACH(m, &o->memq, listq) {
			if (m->pindex < off || m->pindex - off >= npages)
				continue;
			i = m->pindex - off;
			if (vm_page_lookup_locked(copy, i) != NULL)
				continue;
			n = vm_page_alloc(VM_ALLOC_NOWAIT);
			if (n == NULL) {
				spin_unlock(&vm_object_lock);
				vm_object_deallocate(copy);
				return (NULL);
			}
			pmap_copy_page(m, n);
			n->flags &= ~PG_ZERO;
			vm_page_insert_locked(n, copy, i);
		}
		if (o->type == OBJT_VNODE)
			break;	/* o is a file: off is its numbering */
	}
	spin_unlock(&vm_object_lock);
	/* A file at the bottom: what no object had yet comes from it. */
	if (o != NULL && o->type == OBJT_VNODE) {
		for (i = 0; i < npages && off + i < o->size; i++) {
			if (vm_page_lookup(copy, i) != NULL)
				continue;
			if (o->pager->pgo_getpages(o, off + i, &m) !=
			    KERN_SUCCESS || (n = vm_page_alloc(
			    VM_ALLOC_NOWAIT)) == NULL) {
				vm_object_deallocate(copy);
				return (NULL);
			}
			pmap_copy_page(m, n);
			n->flags &= ~PG_ZERO;
			vm_page_insert(n, copy, i);
		}
	}
	return (copy);
}
