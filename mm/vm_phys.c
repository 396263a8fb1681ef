/*
 * vm_phys.c: the binary buddy allocator of physical pages (FreeBSD
 * sys/vm/vm_phys.c, much reduced: one domain, one pool, one segment).
 *
 * A free run of 2^k pages starts on a frame number that is a multiple of
 * 2^k; its buddy is the run whose frame number differs only in bit k.
 * Allocation takes the smallest free run of at least the wanted order and
 * splits off upper halves onto the lower free lists; freeing merges a run
 * with its buddy for as long as the buddy is a free run of the same order.
 * The invariant a reader needs: PG_FREE is set on every page of every free
 * run (not only on heads), and a head page carries its run's order.  That
 * makes the buddy test a single look at the buddy's head page and makes a
 * double free or an overlapping free an error instead of a corrupt list.
 *
 * The core (vm_phys_domain_*) touches no hardware and takes no locks, so
 * tests/host/vm_phys.c runs it on a fake page array.  The kernel's single
 * domain, its lock and vm_phys_init, which places vm_page_array in RAM
 * through the direct map, follow at the end.
 */
#include <kernel.h>
#include <libkern.h>
#include <spinlock.h>
#include <uapi/errno.h>
#include <vm_page.h>
#include <vm_param.h>
#include <vm_phys.h>

static inline uint64_t
pfn_of(const struct vm_page *m)
{
	return (m->phys_addr >> PAGE_SHIFT);
}

void
vm_phys_domain_init(struct vm_phys_domain *d, struct vm_page *pages,
    uint64_t first_pfn, uint64_t npages)
{
	d->pd_pages = pages;
	d->pd_first = first_pfn;
	d->pd_npages = npages;
	d->pd_nfree = 0;
	d->pd_ntotal = 0;
	for (int i = 0; i < VM_NFREEORDER; i++) {
		TAILQ_INIT(&d->pd_free[i].fl_pages);
		d->pd_free[i].fl_count = 0;
	}
	/* Every page starts as a hole until vm_phys_domain_add says RAM. */
	for (uint64_t i = 0; i < npages; i++) {
		struct vm_page *m = &pages[i];

		memset(m, 0, sizeof(*m));
		m->phys_addr = (first_pfn + i) << PAGE_SHIFT;
		m->flags = PG_HOLE;
		m->order = VM_PAGE_NOTHEAD;
	}
}

vm_page_t
vm_phys_domain_page(struct vm_phys_domain *d, paddr_t pa)
{
	uint64_t pfn = pa >> PAGE_SHIFT;

	if (pfn < d->pd_first || pfn - d->pd_first >= d->pd_npages)
		return (NULL);
	if (d->pd_pages[pfn - d->pd_first].flags & PG_HOLE)
		return (NULL);
	return (&d->pd_pages[pfn - d->pd_first]);
}

static void
freelist_insert(struct vm_phys_domain *d, struct vm_page *m, int order)
{
	m->order = order;
	TAILQ_INSERT_HEAD(&d->pd_free[order].fl_pages, m, plinks);
	d->pd_free[order].fl_count++;
}

static void
freelist_remove(struct vm_phys_domain *d, struct vm_page *m, int order)
{
	TAILQ_REMOVE(&d->pd_free[order].fl_pages, m, plinks);
	d->pd_free[order].fl_count--;
	m->order = VM_PAGE_NOTHEAD;
}

vm_page_t
vm_phys_domain_alloc(struct vm_phys_domain *d, int order)
{
	struct vm_page *m;
	int j;

	if (order < 0 || order >= VM_NFREEORDER)
		return (NULL);
	for (j = order; j < VM_NFREEORDER; j++)
		if (!TAILQ_EMPTY(&d->pd_free[j].fl_pages))
			break;
	if (j == VM_NFREEORDER)
		return (NULL);
	m = TAILQ_FIRST(&d->pd_free[j].fl_pages);
	freelist_remove(d, m, j);
	/* Split: the upper half of each larger run goes back, still free. */
	while (j > order) {
		j--;
		freelist_insert(d, m + (1UL << j), j);
	}
	for (uint64_t i = 0; i < (1UL << order); i++) {
		m[i].flags &= ~(PG_FREE | PG_ZERO);
		m[i].order = VM_PAGE_NOTHEAD;
	}
	m->order = order;
	d->pd_nfree -= 1UL << order;
	return (m);
}

int
vm_phys_domain_free(struct vm_phys_domain *d, vm_page_t m, int order)
{
	uint64_t idx, pfn, n;
	struct vm_page *b;

	if (order < 0 || order >= VM_NFREEORDER || m < d->pd_pages ||
	    m >= d->pd_pages + d->pd_npages)
		return (-EINVAL);
	idx = m - d->pd_pages;
	pfn = d->pd_first + idx;
	n = 1UL << order;
	if ((pfn & (n - 1)) != 0 || idx + n > d->pd_npages)
		return (-EINVAL);
	for (uint64_t i = 0; i < n; i++) {
		if (m[i].flags & PG_HOLE)
			return (-EINVAL);
		if (m[i].flags & PG_FREE)
			return (-EALREADY);
	}
	for (uint64_t i = 0; i < n; i++) {
		m[i].flags = (m[i].flags & ~(PG_PTP | PG_KMEM | PG_BUSY |
		    PG_ZERO)) | PG_FREE;
		m[i].order = VM_PAGE_NOTHEAD;
	}
	d->pd_nfree += n;
	/* Merge while the buddy is the head of a free run of this order. */
	while (order < VM_NFREEORDER - 1) {
		uint64_t bpfn = pfn ^ (1UL << order);

		if (bpfn < d->pd_first || bpfn - d->pd_first >= d->pd_npages)
			break;
		b = &d->pd_pages[bpfn - d->pd_first];
		if (!(b->flags & PG_FREE) || b->order != order)
			break;
		freelist_remove(d, b, order);
		pfn &= ~(1UL << order);
		order++;
	}
	freelist_insert(d, &d->pd_pages[pfn - d->pd_first], order);
	return (0);
}

void
vm_phys_domain_add(struct vm_phys_domain *d, paddr_t start, paddr_t end)
{
	uint64_t pfn = start >> PAGE_SHIFT, epfn = end >> PAGE_SHIFT;

	if (pfn < d->pd_first)
		pfn = d->pd_first;
	if (epfn > d->pd_first + d->pd_npages)
		epfn = d->pd_first + d->pd_npages;
	if (pfn >= epfn)
		return;
	for (uint64_t p = pfn; p < epfn; p++)
		d->pd_pages[p - d->pd_first].flags &= ~PG_HOLE;
	d->pd_ntotal += epfn - pfn;
	/* Free in the largest aligned runs that fit; merging does the rest. */
	while (pfn < epfn) {
		int order = 0;

		while (order < VM_NFREEORDER - 1 &&
		    (pfn & ((2UL << order) - 1)) == 0 &&
		    pfn + (2UL << order) <= epfn)
			order++;
		(void)vm_phys_domain_free(d, &d->pd_pages[pfn - d->pd_first],
		    order);
		pfn += 1UL << order;
	}
}

paddr_t
vm_phys_steal(struct bootinfo *bi, uint64_t size, paddr_t limit)
{
	size = round_page(size);
	for (int i = bi->nmem - 1; i >= 0; i--) {
		paddr_t end = MIN(bi->mem[i].end, limit);

		if (end > bi->mem[i].start && end - bi->mem[i].start >= size) {
			bi_reserve(bi, end - size, end);
			return (end - size);
		}
	}
	return (0);
}

/*
 * The kernel's domain: all of RAM, guarded by vm_phys_lock.
 */
static struct spinlock vm_phys_lock = SPINLOCK_INIT("vm_phys");
static struct vm_phys_domain vm_phys_dom;	/* vm_phys_lock */

vm_page_t
vm_phys_alloc_pages(int order)
{
	vm_page_t m;

	spin_lock(&vm_phys_lock);
	m = vm_phys_domain_alloc(&vm_phys_dom, order);
	spin_unlock(&vm_phys_lock);
	return (m);
}

void
vm_phys_free_pages(vm_page_t m, int order)
{
	int error;

	spin_lock(&vm_phys_lock);
	error = vm_phys_domain_free(&vm_phys_dom, m, order);
	spin_unlock(&vm_phys_lock);
	if (error == -EALREADY)
		panic("vm_phys_free_pages: double free of page %#lx order %d",
		    m->phys_addr, order);
	if (error != 0)
		panic("vm_phys_free_pages: bad run %p order %d", m, order);
}

uint64_t
vm_phys_free_count(void)
{
	return (vm_phys_dom.pd_nfree);
}

uint64_t
vm_phys_total_count(void)
{
	return (vm_phys_dom.pd_ntotal);
}

vm_page_t
PHYS_TO_VM_PAGE(paddr_t pa)
{
	return (vm_phys_domain_page(&vm_phys_dom, pa));
}

/*
 * Size the page array from the lowest to the highest usable frame, take it
 * out of the memory map (pmap_bootstrap has already put all RAM in the
 * direct map), mark every frame a hole, then hand each usable range to the
 * buddy allocator.  The array's own pages, like the kernel image and the
 * boot page tables, stay holes: they are never freed.
 */
void
vm_phys_init(struct bootinfo *bi)
{
	uint64_t first, last, n;
	paddr_t pa;

	if (bi->nmem == 0)
		panic("vm_phys_init: no usable memory");
	first = bi->mem[0].start >> PAGE_SHIFT;
	last = bi->mem[bi->nmem - 1].end >> PAGE_SHIFT;
	n = last - first;
	pa = vm_phys_steal(bi, n * sizeof(struct vm_page), ~(paddr_t)0);
	if (pa == 0)
		panic("vm_phys_init: no room for %lu page structures", n);
	vm_page_array = PHYS_TO_DMAP(pa);
	vm_page_array_first = first;
	vm_page_array_size = n;
	spin_lock(&vm_phys_lock);
	vm_phys_domain_init(&vm_phys_dom, vm_page_array, first, n);
	for (int i = 0; i < bi->nmem; i++)
		vm_phys_domain_add(&vm_phys_dom, bi->mem[i].start,
		    bi->mem[i].end);
	spin_unlock(&vm_phys_lock);
}
