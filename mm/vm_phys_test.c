/*
 * vm_phys_test.c: in-kernel tests of the physical page allocator.
 *
 * They run on the real vm_page_array and buddy lists, so they check what
 * the host tests cannot: that vm_phys_init found all RAM, that pages
 * handed out are really distinct memory (patterns written through the
 * direct map survive), and that every allocation is paid back exactly.
 */
#include <ktest.h>
#include <libkern.h>
#include <vm_page.h>
#include <vm_param.h>
#include <vm_phys.h>

#define NPAGES	1000

static vm_page_t pages[NPAGES];

/* 1000 single pages out and back: the free count moves by exactly 1000. */
KTEST(vm_phys_single_pages_baseline)
{
	uint64_t base = vm_phys_free_count();

	for (int i = 0; i < NPAGES; i++) {
		pages[i] = vm_page_alloc(0);
		KT_ASSERT(pages[i] != NULL);
		KT_ASSERT(!(pages[i]->flags & (PG_FREE | PG_HOLE)));
	}
	KT_EQ(vm_phys_free_count(), base - NPAGES);
	for (int i = 0; i < NPAGES; i++)
		vm_page_free(pages[i]);
	KT_EQ(vm_phys_free_count(), base);
}

/* A run of order k is 2^k contiguous pages on a 2^k-page boundary. */
KTEST(vm_phys_runs_every_order)
{
	uint64_t base = vm_phys_free_count();

	for (int k = 0; k < VM_NFREEORDER; k++) {
		vm_page_t m = vm_phys_alloc_pages(k);
		paddr_t pa;

		KT_ASSERT(m != NULL);
		pa = VM_PAGE_TO_PHYS(m);
		KT_EQ(pa & ((PAGE_SIZE << k) - 1), 0);
		KT_EQ(vm_phys_free_count(), base - (1UL << k));
		for (uint64_t i = 0; i < (1UL << k); i++) {
			KT_EQ(VM_PAGE_TO_PHYS(&m[i]), pa + i * PAGE_SIZE);
			KT_ASSERT(PHYS_TO_VM_PAGE(pa + i * PAGE_SIZE) == &m[i]);
			KT_ASSERT(!(m[i].flags & PG_FREE));
		}
		vm_phys_free_pages(m, k);
		KT_EQ(vm_phys_free_count(), base);
	}
}

/* Live allocations never overlap: each keeps its own pattern. */
KTEST(vm_phys_no_overlap)
{
	static vm_page_t runs[64];
	uint64_t base = vm_phys_free_count();

	for (int r = 0; r < 64; r++) {
		int k = r % 5;
		uint64_t *w;

		runs[r] = vm_phys_alloc_pages(k);
		KT_ASSERT(runs[r] != NULL);
		w = PHYS_TO_DMAP(VM_PAGE_TO_PHYS(runs[r]));
		for (uint64_t i = 0; i < (PAGE_SIZE << k) / 8; i++)
			w[i] = ((uint64_t)r << 32) | i;
	}
	for (int r = 0; r < 64; r++) {
		uint64_t *w = PHYS_TO_DMAP(VM_PAGE_TO_PHYS(runs[r]));

		for (uint64_t i = 0; i < (PAGE_SIZE << (r % 5)) / 8; i++)
			KT_EQ(w[i], ((uint64_t)r << 32) | i);
	}
	for (int r = 0; r < 64; r++)
		vm_phys_free_pages(runs[r], r % 5);
	KT_EQ(vm_phys_free_count(), base);
}

/*
 * Freeing the pages of an order-k run one by one merges them back: a free
 * run of order >= k covers the block again, on the real free lists.
 */
KTEST(vm_phys_free_merges)
{
	const int k = 6;
	uint64_t base = vm_phys_free_count();
	vm_page_t m = vm_phys_alloc_pages(k);
	paddr_t pa;
	bool covered = false;

	KT_ASSERT(m != NULL);
	pa = VM_PAGE_TO_PHYS(m);
	for (int i = (1 << k) - 1; i >= 0; i -= 2)
		vm_phys_free_pages(&m[i], 0);
	for (int i = 0; i < (1 << k); i += 2)
		vm_phys_free_pages(&m[i], 0);
	KT_EQ(vm_phys_free_count(), base);
	for (int j = k; j < VM_NFREEORDER; j++) {
		vm_page_t h = PHYS_TO_VM_PAGE(pa & ~((PAGE_SIZE << j) - 1));

		if (h != NULL && (h->flags & PG_FREE) && h->order == j)
			covered = true;
	}
	KT_ASSERT(covered);
	m = vm_phys_alloc_pages(k);
	KT_ASSERT(m != NULL);
	vm_phys_free_pages(m, k);
}

/* Exhaust the largest order, fail, and give everything back. */
KTEST(vm_phys_exhaust_max_order)
{
	static vm_page_t big[2048];
	const int k = VM_NFREEORDER - 1;
	uint64_t base = vm_phys_free_count();
	int n = 0;

	while (n < (int)nitems(big) && (big[n] = vm_phys_alloc_pages(k)) != NULL)
		n++;
	KT_ASSERT(n > 0);
	/* (With more than 8 GiB the table fills first: check only counts.) */
	if (n < (int)nitems(big))
		KT_ASSERT(vm_phys_alloc_pages(k) == NULL);
	KT_EQ(vm_phys_free_count(), base - (uint64_t)n * (1UL << k));
	for (int i = 0; i < n; i++)
		vm_phys_free_pages(big[i], k);
	KT_EQ(vm_phys_free_count(), base);
}

/* PHYS_TO_VM_PAGE knows RAM from the rest; zeroed pages are zero. */
KTEST(vm_page_lookup_and_zero)
{
	extern char _kernel_phys_start[];
	uint64_t base = vm_phys_free_count();
	vm_page_t m;
	uint8_t *p;

	KT_ASSERT(PHYS_TO_VM_PAGE(0) == NULL);		/* page 0 reserved */
	KT_ASSERT(PHYS_TO_VM_PAGE((paddr_t)_kernel_phys_start) == NULL);
	KT_ASSERT(PHYS_TO_VM_PAGE(0xfee00000UL) == NULL);	/* LAPIC */
	KT_ASSERT(PHYS_TO_VM_PAGE((vm_page_array_first +
	    vm_page_array_size) << PAGE_SHIFT) == NULL);
	KT_ASSERT(vm_phys_total_count() >= vm_phys_free_count());
	m = vm_page_alloc(0);
	KT_ASSERT(m != NULL);
	p = PHYS_TO_DMAP(VM_PAGE_TO_PHYS(m));
	memset(p, 0xa7, PAGE_SIZE);
	vm_page_free(m);
	m = vm_page_alloc(VM_ALLOC_ZERO);
	KT_ASSERT(m != NULL);
	p = PHYS_TO_DMAP(VM_PAGE_TO_PHYS(m));
	for (int i = 0; i < (int)PAGE_SIZE; i++)
		KT_EQ(p[i], 0);
	vm_page_free(m);
	KT_EQ(vm_phys_free_count(), base);
}

/*
 * vm_phys_init kept exactly the RAM bootinfo lists (after the array and
 * the boot page tables were taken out): every frame of every range is a
 * page, every other frame of the array is a hole.
 */
KTEST(vm_phys_init_matches_bootinfo)
{
	extern struct bootinfo bootinfo;
	uint64_t ram = 0, pfn = vm_page_array_first;
	int r = 0;

	KT_EQ(vm_phys_total_count(), bi_total(&bootinfo) >> PAGE_SHIFT);
	for (uint64_t i = 0; i < vm_page_array_size; i++, pfn++) {
		paddr_t pa = pfn << PAGE_SHIFT;
		bool in;

		while (r < bootinfo.nmem && pa >= bootinfo.mem[r].end)
			r++;
		in = r < bootinfo.nmem && pa >= bootinfo.mem[r].start;
		KT_EQ(!(vm_page_array[i].flags & PG_HOLE), in);
		KT_EQ(vm_page_array[i].phys_addr, pa);
		if (in)
			ram++;
	}
	KT_EQ(ram, vm_phys_total_count());
	/* The array itself is not RAM the allocator may hand out. */
	KT_ASSERT(PHYS_TO_VM_PAGE(DMAP_TO_PHYS(vm_page_array)) == NULL);
}
