/*
 * vm_fake.h: the pretend machine under the host tests of mm/vm_*.c.
 *
 * vm_fake.c stands in for the page allocator (pages are aligned host
 * buffers whose "physical address" maps back through PHYS_TO_DMAP), the
 * kernel heap (malloc with a live count), spin locks (which, like the
 * kernel's, refuse to be taken twice) and the pmap: a table of
 * (pmap, va) -> (pa, prot) that tests inspect to see exactly what the VM
 * asked the hardware to map.
 */
#ifndef _VM_FAKE_H_
#define _VM_FAKE_H_

#include <types.h>
#include <vm.h>

struct fake_mapping {
	pmap_t pmap;
	vaddr_t va;
	paddr_t pa;
	vm_prot_t prot;
};

extern int fake_pages_live;		/* allocated, not yet freed */
extern int fake_pages_limit;		/* -1: no limit */
extern int fake_kmem_live;
extern int fake_pmap_remove_calls;
extern vaddr_t fake_last_remove_sva, fake_last_remove_eva;

/* The mapping of va in pmap, or NULL. */
struct fake_mapping *fake_pmap_lookup(pmap_t pmap, vaddr_t va);
int fake_pmap_count(pmap_t pmap);
void *fake_page_kva(paddr_t pa);
void fake_reset(void);

#endif
