/*
 * vm_page.h: one struct vm_page per physical page of RAM.
 *
 * The array vm_page_array covers every usable physical page; a page is
 * found from its physical address with PHYS_TO_VM_PAGE and back with
 * VM_PAGE_TO_PHYS.  Free pages belong to the buddy allocator (vm_phys.c);
 * allocated pages belong to whoever allocated them: a vm_object (object,
 * pindex), a page table, the kernel heap.
 */
#ifndef _VM_PAGE_H_
#define _VM_PAGE_H_

#include <sys/queue.h>
#include <vm.h>

struct vm_page {
	TAILQ_ENTRY(vm_page) plinks;	/* free list or object queue */
	TAILQ_ENTRY(vm_page) listq;	/* pages of the owning object */
	struct vm_object *object;	/* owner, or NULL */
	vm_pindex_t pindex;		/* page index within object */
	paddr_t phys_addr;
	uint32_t ref_count;		/* mappings + other holders */
	uint32_t wire_count;		/* mlock, page tables, kernel */
	uint16_t flags;			/* PG_* */
	uint8_t order;			/* buddy order while free */
	uint8_t pool;			/* VM_FREEPOOL_* */
	uint8_t valid;			/* contents valid (file pages) */
	uint8_t dirty;			/* needs write-back */
};

#define PG_FREE		0x0001	/* in the buddy allocator */
#define PG_ZERO		0x0002	/* known to be zero */
#define PG_PTP		0x0004	/* a page-table page */
#define PG_KMEM		0x0008	/* kernel heap */
#define PG_FICTITIOUS	0x0010	/* device memory, not RAM */
#define PG_BUSY		0x0020	/* I/O in progress */
#define PG_HOLE		0x0040	/* not managed RAM: a hole in the map */

/*
 * While a page is free, `order` is the run's order on its head page and
 * VM_PAGE_NOTHEAD on the other pages of the run; PG_FREE is set on every
 * page of a free run, which is what lets a double free be caught.
 * PG_KMEM pages (the kernel heap) use `pindex` for the page's index within
 * its slab or run; the run's head page has `pool` = size class (or large),
 * `order` = run order and, for a large run, `pindex` = the requested size
 * (see mm/kmem.c).  PG_PTP pages (page tables) count their valid entries
 * in `ref_count` (see mm/pmap.c).
 */
#define VM_PAGE_NOTHEAD	0xff

extern struct vm_page *vm_page_array;
extern uint64_t vm_page_array_first;	/* page frame of entry 0 */
extern uint64_t vm_page_array_size;

#define VM_PAGE_TO_PHYS(m) ((m)->phys_addr)
vm_page_t PHYS_TO_VM_PAGE(paddr_t pa);	/* NULL when not RAM */

/* Allocate one page (flags: VM_ALLOC_ZERO, VM_ALLOC_NOWAIT). */
#define VM_ALLOC_ZERO	0x0001
#define VM_ALLOC_NOWAIT	0x0002
/*
 * A page for user memory (anonymous and file pages, page tables): refused
 * while fewer than vm_page_reserve() pages are free, so that a process
 * eating memory runs out before the kernel's own allocations do.
 */
#define VM_ALLOC_USER	0x0004
uint64_t vm_page_reserve(void);
vm_page_t vm_page_alloc(int flags);
void vm_page_free(vm_page_t m);

#endif /* !_VM_PAGE_H_ */
