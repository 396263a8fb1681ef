/*
 * pmap.h: the machine-dependent page tables, the only code that knows the
 * x86-64 page-table format (FreeBSD sys/amd64/amd64/pmap.c).
 *
 * Every pmap shares the kernel half (PML4 entries 256..511) with
 * kernel_pmap; the user half is private.  pmap_enter and friends manage
 * 4 KiB user mappings (user addresses only: the kernel half is the direct
 * map and the kernel image, fixed at boot); page-table pages are allocated
 * on demand, freed by pmap_remove when they empty and by pmap_release.
 */
#ifndef _PMAP_H_
#define _PMAP_H_

#include <multiboot.h>
#include <spinlock.h>
#include <vm.h>

struct pmap {
	struct spinlock pm_lock;
	uint64_t *pm_pml4;	/* kernel virtual address (DMAP) */
	paddr_t pm_cr3;		/* physical address of the PML4 */
	uint64_t pm_resident;	/* pm_lock: mapped user pages */
};

extern struct pmap kernel_pmap_store;
#define kernel_pmap (&kernel_pmap_store)

/* Extend the direct map over all RAM, drop the identity map. */
void pmap_bootstrap(struct bootinfo *bi);

int pmap_pinit(pmap_t pmap);		/* 0 or -ENOMEM */
void pmap_release(pmap_t pmap);		/* after every mapping is gone */
void pmap_activate(pmap_t pmap);	/* load its CR3 */

#define PMAP_ENTER_WIRED 0x0001
/* Map va -> pa with prot; 0 or -ENOMEM. Replaces an existing mapping. */
int pmap_enter(pmap_t pmap, vaddr_t va, paddr_t pa, vm_prot_t prot,
    int flags);
void pmap_remove(pmap_t pmap, vaddr_t sva, vaddr_t eva);
/* Only takes rights away; without VM_PROT_READ it removes the range. */
void pmap_protect(pmap_t pmap, vaddr_t sva, vaddr_t eva, vm_prot_t prot);
/* Physical address mapped at va, if any. */
bool pmap_extract(pmap_t pmap, vaddr_t va, paddr_t *pa);
/* The access the hardware mapping at va allows (VM_PROT_NONE: none). */
vm_prot_t pmap_prot(pmap_t pmap, vaddr_t va);
#define pmap_resident_count(pm)	((pm)->pm_resident)
/*
 * Call fn(arg, va, pa, prot, user) on every user-half translation, user
 * false when a level lacks the U bit (checkers, vm_check.c); pmap locked.
 */
int pmap_walk(pmap_t pmap, void (*fn)(void *, vaddr_t, paddr_t, vm_prot_t,
    bool), void *arg);
/* Accessed / dirty bits of the mapping at va (for mincore, msync). */
bool pmap_is_modified(pmap_t pmap, vaddr_t va);
bool pmap_is_referenced(pmap_t pmap, vaddr_t va);
void pmap_clear_modify(pmap_t pmap, vaddr_t va);

/* Page contents through the direct map (FreeBSD names). */
void pmap_zero_page(vm_page_t m);
void pmap_copy_page(vm_page_t src, vm_page_t dst);

/*
 * Map device memory (e.g. the LAPIC) uncached at its direct-map address,
 * PHYS_TO_DMAP(pa), which is returned (NULL if pa is past DMAP_MAX or
 * out of memory for page tables).  Call after vm_phys_init.
 */
void *pmap_mapdev(paddr_t pa, size_t len);

/*
 * Kernel stacks of npages (at most 4) in their own range with unmapped
 * guard pages below each: 0 when out of memory or slots.
 * pmap_kstack_guard: does va fall in a guard (a stack overflow)?
 */
vaddr_t pmap_kstack_alloc(int npages);
void pmap_kstack_free(vaddr_t va, int npages);
bool pmap_kstack_guard(vaddr_t va, int *slotp);

#endif /* !_PMAP_H_ */
