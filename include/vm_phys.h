/*
 * vm_phys.h: the buddy allocator of physical pages (FreeBSD vm_phys.c).
 *
 * Free pages sit in runs of 2^order pages (order 0 .. VM_NFREEORDER-1) on
 * per-order free lists; allocation splits a larger run, freeing merges a
 * run with its buddy while the buddy is free.  O(VM_NFREEORDER) per call.
 */
#ifndef _VM_PHYS_H_
#define _VM_PHYS_H_

#include <multiboot.h>
#include <vm_page.h>

#define VM_NFREEORDER	11	/* runs up to 2^10 pages = 4 MiB */

/* Build vm_page_array and the free lists from the boot memory map. */
void vm_phys_init(struct bootinfo *bi);
vm_page_t vm_phys_alloc_pages(int order);	/* NULL when none */
void vm_phys_free_pages(vm_page_t m, int order);
uint64_t vm_phys_free_count(void);	/* free pages */
uint64_t vm_phys_total_count(void);	/* managed pages */

#endif /* !_VM_PHYS_H_ */
