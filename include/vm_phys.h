/*
 * vm_phys.h: the buddy allocator of physical pages (FreeBSD vm_phys.c).
 *
 * Free pages sit in runs of 2^order pages (order 0 .. VM_NFREEORDER-1) on
 * per-order free lists; allocation splits a larger run, freeing merges a
 * run with its buddy while the buddy is free: O(VM_NFREEORDER) list work
 * per call, plus one pass over the run's own pages to keep PG_FREE exact on
 * every page (so a double free is an error, not silent corruption).
 *
 * The buddy core works on a struct vm_phys_domain (a page array and its
 * free lists) and touches no hardware, so host unit tests drive it with a
 * fake page array; the kernel has one domain covering all of RAM.
 */
#ifndef _VM_PHYS_H_
#define _VM_PHYS_H_

#include <multiboot.h>
#include <vm_page.h>

#define VM_NFREEORDER	11	/* runs up to 2^10 pages = 4 MiB */

TAILQ_HEAD(pglist, vm_page);

struct vm_freelist {
	struct pglist fl_pages;	/* head pages of free runs */
	uint64_t fl_count;	/* runs on the list */
};

struct vm_phys_domain {
	struct vm_page *pd_pages;	/* pd_pages[i] is frame pd_first + i */
	uint64_t pd_first;		/* first page frame number */
	uint64_t pd_npages;		/* entries in pd_pages */
	struct vm_freelist pd_free[VM_NFREEORDER];
	uint64_t pd_nfree;		/* free pages */
	uint64_t pd_ntotal;		/* managed (RAM) pages */
};

/* The pure buddy core; the caller provides locking. */
void vm_phys_domain_init(struct vm_phys_domain *d, struct vm_page *pages,
    uint64_t first_pfn, uint64_t npages);
/* Hand the RAM [start, end) (page aligned, inside the array) to d. */
void vm_phys_domain_add(struct vm_phys_domain *d, paddr_t start,
    paddr_t end);
vm_page_t vm_phys_domain_alloc(struct vm_phys_domain *d, int order);
/* 0; -EINVAL (not a managed, aligned run of d); -EALREADY (double free). */
int vm_phys_domain_free(struct vm_phys_domain *d, vm_page_t m, int order);
vm_page_t vm_phys_domain_page(struct vm_phys_domain *d, paddr_t pa);
/* Take `size` bytes of RAM out of bi (from the top of the highest range
 * that fits, below `limit`); the physical address, or 0 if none fits. */
paddr_t vm_phys_steal(struct bootinfo *bi, uint64_t size, paddr_t limit);

/* Build vm_page_array and the free lists from the boot memory map. */
void vm_phys_init(struct bootinfo *bi);
vm_page_t vm_phys_alloc_pages(int order);	/* NULL when none */
void vm_phys_free_pages(vm_page_t m, int order);	/* panics if bad */
uint64_t vm_phys_free_count(void);	/* free pages */
uint64_t vm_phys_total_count(void);	/* managed pages */

#endif /* !_VM_PHYS_H_ */
