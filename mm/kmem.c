/*
 * kmem.c: the kernel heap, kmalloc/kfree on slabs and page runs.
 *
 * Requests up to 2048 bytes go to one of eight power-of-two size classes,
 * each a list of slabs (mm/kmem_slab.c lays them out and checks the
 * redzones); larger requests get their own run of 2^order pages from
 * vm_phys.  Either way the pages are PG_KMEM and their vm_pages say where
 * the run starts (pindex = page index in the run) and, on the run's head
 * page, what it is (pool = size class or KMEM_POOL_LARGE, order = run
 * order, and for a large run pindex = the requested size).  So kfree needs
 * nothing but the pointer.  Every check that fails at kfree is a panic
 * naming the object, its size and both callers; kmem_check runs the same
 * checks without panicking, for tests.  DEBUG builds fill freed objects
 * with 0xdeadbeef and check the fill when the slot is handed out again.
 * Live objects are counted in all, per size class and for large runs
 * (kmem_nobj, kc_nobj, kmem_nlarge: a counter bumped at kmalloc and kfree
 * under kmem_lock, never a slab walk) for the leak checks of /dev/kstat.
 * Lock order: kmem_lock, then vm_phys's lock (a new slab is allocated
 * under kmem_lock; runs are given back after dropping it).
 */
#include <kernel.h>
#include <kmem.h>
#include <ksyms.h>
#include <libkern.h>
#include <printf.h>
#include <spinlock.h>
#include <uapi/errno.h>
#include <vm_page.h>
#include <vm_param.h>
#include <vm_phys.h>

#define KMEM_POOL_LARGE	0xfe

#ifdef DEBUG
static const bool kmem_poison = true;
#else
static const bool kmem_poison = false;
#endif

struct kmem_class {
	LIST_HEAD(, kmem_slab) kc_partial;	/* kmem_lock: has free slots */
	LIST_HEAD(, kmem_slab) kc_full;		/* kmem_lock */
	uint64_t kc_nslabs;			/* kmem_lock */
	uint64_t kc_nobj;			/* kmem_lock: live objects */
};

static struct spinlock kmem_lock = SPINLOCK_INIT("kmem");
static struct kmem_class kmem_classes[KMEM_NCLASS];	/* kmem_lock */
static uint64_t kmem_nobj;	/* kmem_lock: live objects */
static uint64_t kmem_nbytes;	/* kmem_lock: their requested bytes */
static uint64_t kmem_nlarge_pages;	/* kmem_lock: pages of large objects */
static uint64_t kmem_nlarge;	/* kmem_lock: live large objects */

void
kmem_init(void)
{
	for (int c = 0; c < KMEM_NCLASS; c++) {
		LIST_INIT(&kmem_classes[c].kc_partial);
		LIST_INIT(&kmem_classes[c].kc_full);
		kmem_classes[c].kc_nslabs = 0;
		kmem_classes[c].kc_nobj = 0;
	}
}

/* Name a code address for a panic message. */
static void
kmem_report(const char *what, uint64_t pc)
{
	uint64_t off = 0;
	const char *name = ksym_lookup(pc, &off);

	if (name != NULL)
		printk("kmem:   %s %s+%#lx\n", what, name, off);
	else
		printk("kmem:   %s %#lx\n", what, pc);
}

static inline uint64_t
caller_pc(uint32_t low)
{
	return (0xffffffff00000000UL | low);
}

/* Claim a page run for the heap and describe it in its vm_pages. */
static void
kmem_claim_run(vm_page_t m, int order, int pool, uint64_t size)
{
	for (uint64_t i = 0; i < (1UL << order); i++) {
		m[i].flags |= PG_KMEM;
		m[i].pindex = i;
		m[i].order = VM_PAGE_NOTHEAD;
		m[i].object = NULL;
	}
	m->order = order;
	m->pool = pool;
	m->pindex = pool == KMEM_POOL_LARGE ? size : 0;
}

static void
kmem_release_run(vm_page_t m, int order)
{
	for (uint64_t i = 0; i < (1UL << order); i++) {
		m[i].flags &= ~PG_KMEM;
		m[i].pindex = 0;
	}
	m->ref_count = 0;
	vm_phys_free_pages(m, order);
}

/* The head page of the heap run holding p, or NULL if p is not heap. */
static vm_page_t
kmem_head(const void *p)
{
	vaddr_t va = (vaddr_t)p;
	vm_page_t m;

	if (va < DMAP_BASE || va >= DMAP_BASE + DMAP_MAX)
		return (NULL);
	m = PHYS_TO_VM_PAGE(DMAP_TO_PHYS(va));
	if (m == NULL || !(m->flags & PG_KMEM))
		return (NULL);
	if (m->order == VM_PAGE_NOTHEAD)
		m -= m->pindex;
	if (!(m->flags & PG_KMEM) || m->order == VM_PAGE_NOTHEAD)
		return (NULL);
	return (m);
}

static void *
kmalloc_large(size_t size, int flags, uint64_t caller)
{
	int order = 0;
	vm_page_t m;

	while ((PAGE_SIZE << order) < size)
		order++;
	if (order >= VM_NFREEORDER)
		return (NULL);
	m = vm_phys_alloc_pages(order);
	if (m == NULL)
		return (NULL);
	spin_lock(&kmem_lock);
	kmem_claim_run(m, order, KMEM_POOL_LARGE, size);
	m->ref_count = (uint32_t)caller;	/* for kmem_dump */
	kmem_nlarge_pages += 1UL << order;
	kmem_nlarge++;
	kmem_nobj++;
	kmem_nbytes += size;
	spin_unlock(&kmem_lock);
	return (PHYS_TO_DMAP(VM_PAGE_TO_PHYS(m)));
}

static void *
kmalloc_small(size_t size, uint64_t caller)
{
	struct kmem_class *kc;
	struct kmem_slab *s;
	void *p, *bad;
	int c = kmem_size_class(size), err;
	vm_page_t m;

	kc = &kmem_classes[c];
	spin_lock(&kmem_lock);
	s = LIST_FIRST(&kc->kc_partial);
	if (s == NULL) {
		m = vm_phys_alloc_pages(kmem_class_order(c));
		if (m == NULL) {
			spin_unlock(&kmem_lock);
			return (NULL);
		}
		kmem_claim_run(m, kmem_class_order(c), c, 0);
		s = PHYS_TO_DMAP(VM_PAGE_TO_PHYS(m));
		kmem_slab_init(s, c, kmem_poison);
		LIST_INSERT_HEAD(&kc->kc_partial, s, ks_link);
		kc->kc_nslabs++;
	}
	p = kmem_slab_alloc(s, size, (uint32_t)caller, kmem_poison, &err,
	    &bad);
	if (p == NULL) {
		printk("kmem: free object %p (class %zu) is corrupt\n", bad,
		    kmem_class_size(c));
		kmem_report("last freed by", caller_pc(
		    ((struct kmem_hdr *)bad - 1)->kh_caller));
		panic("kmalloc: %s at %p", kmem_strerror(err), bad);
	}
	if (s->ks_nfree == 0) {
		LIST_REMOVE(s, ks_link);
		LIST_INSERT_HEAD(&kc->kc_full, s, ks_link);
	}
	kc->kc_nobj++;
	kmem_nobj++;
	kmem_nbytes += size;
	spin_unlock(&kmem_lock);
	return (p);
}

static void *
kmalloc_caller(size_t size, int flags, uint64_t caller)
{
	void *p;

	if (size > (PAGE_SIZE << (VM_NFREEORDER - 1)))
		return (NULL);	/* never satisfiable, even waiting */
	if (size > KMEM_MAXSMALL)
		p = kmalloc_large(size, flags, caller);
	else
		p = kmalloc_small(size, caller);
	if (p == NULL) {
		if (flags & M_NOWAIT)
			return (NULL);
		panic("kmalloc: out of memory for %zu bytes (%lu pages "
		      "free)", size, vm_phys_free_count());
	}
	if (flags & M_ZERO)
		memset(p, 0, size);
	return (p);
}

void *
kmalloc(size_t size, int flags)
{
	return (kmalloc_caller(size, flags,
	    (uint64_t)__builtin_return_address(0)));
}

void *
kcalloc(size_t n, size_t size, int flags)
{
	if (size != 0 && n > SIZE_MAX / size)
		return (NULL);
	return (kmalloc_caller(n * size, flags | M_ZERO,
	    (uint64_t)__builtin_return_address(0)));
}

/* What is wrong with p: KMEM_OK or a KMEM_E* code.  kmem_lock held. */
static int
kmem_verify(void *p, vm_page_t *headp)
{
	vm_page_t m = kmem_head(p);

	*headp = m;
	if (m == NULL)
		return (KMEM_ENOTOBJ);
	if (m->pool == KMEM_POOL_LARGE)
		return (p == PHYS_TO_DMAP(VM_PAGE_TO_PHYS(m)) ? KMEM_OK :
		    KMEM_ENOTOBJ);
	return (kmem_slab_check(PHYS_TO_DMAP(VM_PAGE_TO_PHYS(m)), p));
}

int
kmem_check(void *p)
{
	vm_page_t m;
	int err;

	spin_lock(&kmem_lock);
	err = kmem_verify(p, &m);
	spin_unlock(&kmem_lock);
	return (err == KMEM_OK ? 0 : -EINVAL);
}

static void __noreturn
kfree_panic(void *p, vm_page_t m, int err, uint64_t caller)
{
	struct kmem_slab *s;
	struct kmem_hdr *h;

	if (m == NULL || m->pool == KMEM_POOL_LARGE ||
	    (s = PHYS_TO_DMAP(VM_PAGE_TO_PHYS(m)),
	    (h = kmem_slab_hdr(s, p)) == NULL)) {
		kmem_report("kfree called from", caller);
		panic("kfree(%p): %s", p, kmem_strerror(KMEM_ENOTOBJ));
	}
	if (err == KMEM_EFREED)
		printk("kmem: object %p (class %zu) is already free\n", p,
		    kmem_class_size(s->ks_class));
	else
		printk("kmem: object %p, %u bytes requested, class %zu\n", p,
		    h->kh_size, kmem_class_size(s->ks_class));
	kmem_report(err == KMEM_EFREED ? "first freed by" : "allocated by",
	    caller_pc(h->kh_caller));
	kmem_report("kfree called from", caller);
	panic("kfree(%p): %s", p, kmem_strerror(err));
}

void
kfree(void *p)
{
	uint64_t caller = (uint64_t)__builtin_return_address(0);
	struct kmem_class *kc;
	struct kmem_slab *s;
	vm_page_t m;
	int err;

	if (p == NULL)
		return;
	spin_lock(&kmem_lock);
	if ((err = kmem_verify(p, &m)) != KMEM_OK)
		kfree_panic(p, m, err, caller);
	if (m->pool == KMEM_POOL_LARGE) {
		kmem_nobj--;
		kmem_nlarge--;
		kmem_nbytes -= m->pindex;
		kmem_nlarge_pages -= 1UL << m->order;
		spin_unlock(&kmem_lock);
		kmem_release_run(m, m->order);
		return;
	}
	s = PHYS_TO_DMAP(VM_PAGE_TO_PHYS(m));
	kmem_nbytes -= kmem_slab_hdr(s, p)->kh_size;
	kmem_nobj--;
	if (kmem_slab_free(s, p, (uint32_t)caller, kmem_poison) != KMEM_OK)
		kfree_panic(p, m, err, caller);
	kc = &kmem_classes[s->ks_class];
	kc->kc_nobj--;
	if (s->ks_nfree == 1) {
		/* It was full: back where allocation looks. */
		LIST_REMOVE(s, ks_link);
		LIST_INSERT_HEAD(&kc->kc_partial, s, ks_link);
	}
	if (s->ks_nfree == s->ks_nobj && (LIST_NEXT(s, ks_link) != NULL ||
	    LIST_FIRST(&kc->kc_partial) != s)) {
		/* Empty and not the only slab with room: give it back. */
		LIST_REMOVE(s, ks_link);
		kc->kc_nslabs--;
		spin_unlock(&kmem_lock);
		kmem_release_run(m, m->order);
		return;
	}
	spin_unlock(&kmem_lock);
}

struct kmem_top {
	uint32_t caller;
	uint32_t n;
};

/* Count the live objects of slab s into top[] (up to 48 callers). */
static uint64_t
kmem_dump_slab(struct kmem_slab *s, size_t slot, struct kmem_top *top,
    int *ntop)
{
	struct kmem_hdr *h;
	uint64_t live = 0;
	int j;

	for (unsigned i = 0; i < s->ks_nobj; i++) {
		h = (struct kmem_hdr *)((char *)s + KMEM_SLABHDR + i * slot);
		if (kmem_slab_hdr(s, h + 1) != h || h->kh_tag != 0xa110ca7eu)
			continue;
		live++;
		for (j = 0; j < *ntop; j++)
			if (top[j].caller == h->kh_caller)
				break;
		if (j == *ntop && *ntop < 48)
			top[(*ntop)++] = (struct kmem_top){ h->kh_caller, 0 };
		if (j < *ntop)
			top[j].n++;
	}
	return (live);
}

/*
 * Print the live small objects per size class and grouped by the code
 * that allocated them (leak hunting: a write to /dev/kstat).
 */
void
kmem_dump(void)
{
	struct kmem_top top[48];
	uint64_t perclass[KMEM_NCLASS] = { 0 }, counted[KMEM_NCLASS];
	uint64_t nlarge = 0, nobj, found = 0, clarge;
	struct kmem_slab *s;
	int ntop = 0, c, j;
	size_t slot;

	spin_lock(&kmem_lock);
	for (c = 0; c < KMEM_NCLASS; c++) {
		slot = KMEM_HDRSIZE + kmem_class_size(c);
		LIST_FOREACH(s, &kmem_classes[c].kc_partial, ks_link)
			perclass[c] += kmem_dump_slab(s, slot, top, &ntop);
		LIST_FOREACH(s, &kmem_classes[c].kc_full, ks_link)
			perclass[c] += kmem_dump_slab(s, slot, top, &ntop);
	}
	/* Large objects are page runs: find their heads. */
	for (uint64_t i = 0; i < vm_page_array_size; i++) {
		vm_page_t m = &vm_page_array[i];

		if (!(m->flags & PG_KMEM) || m->order == VM_PAGE_NOTHEAD ||
		    m->pool != KMEM_POOL_LARGE)
			continue;
		nlarge++;
		for (j = 0; j < ntop; j++)
			if (top[j].caller == m->ref_count)
				break;
		if (j == ntop && ntop < 48)
			top[ntop++] = (struct kmem_top){ m->ref_count, 0 };
		if (j < ntop)
			top[j].n++;
	}
	nobj = kmem_nobj;
	clarge = kmem_nlarge;
	for (c = 0; c < KMEM_NCLASS; c++)
		counted[c] = kmem_classes[c].kc_nobj;
	spin_unlock(&kmem_lock);
	for (c = 0; c < KMEM_NCLASS; c++)
		found += perclass[c];
	printk("kmem: %lu live objects counted, %lu found\n",
	    (unsigned long)nobj, (unsigned long)(found + nlarge));
	printk("kmem: large: %lu objects (counted %lu)\n",
	    (unsigned long)nlarge, (unsigned long)clarge);
	for (c = 0; c < KMEM_NCLASS; c++)
		printk("kmem: class %zu: %lu objects (counted %lu)\n",
		    kmem_class_size(c), (unsigned long)perclass[c],
		    (unsigned long)counted[c]);
	for (j = 0; j < ntop; j++) {
		char what[32];

		snprintf(what, sizeof(what), "%u from", top[j].n);
		kmem_report(what, caller_pc(top[j].caller));
	}
}

uint64_t
kmem_inuse(void)
{
	return (kmem_nobj);
}

/* Live objects of size class c; c == KMEM_NCLASS: large objects. */
uint64_t
kmem_class_inuse(int c)
{
	uint64_t n;

	KASSERT(c >= 0 && c <= KMEM_NCLASS, "kmem_class_inuse: bad class");
	spin_lock(&kmem_lock);
	n = c == KMEM_NCLASS ? kmem_nlarge : kmem_classes[c].kc_nobj;
	spin_unlock(&kmem_lock);
	return (n);
}

/* Pages the heap holds: slabs (used or not) and large objects. */
uint64_t
kmem_pages(void)
{
	uint64_t n;

	spin_lock(&kmem_lock);
	n = kmem_nlarge_pages;
	spin_unlock(&kmem_lock);
	return (n + kmem_slab_pages());
}

uint64_t
kmem_inuse_bytes(void)
{
	return (kmem_nbytes);
}

uint64_t
kmem_slab_pages(void)
{
	uint64_t n = 0;

	spin_lock(&kmem_lock);
	for (int c = 0; c < KMEM_NCLASS; c++)
		n += kmem_classes[c].kc_nslabs << kmem_class_order(c);
	spin_unlock(&kmem_lock);
	return (n);
}
