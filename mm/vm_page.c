/*
 * vm_page.c: the page array and single-page allocation on top of vm_phys.
 *
 * vm_page_array has one struct vm_page per page frame from the lowest to
 * the highest usable frame (vm_phys_init places and fills it); frames that
 * are not managed RAM are PG_HOLE and PHYS_TO_VM_PAGE answers NULL for
 * them.  vm_page_alloc hands out one page with its ownership fields reset,
 * zeroed through the direct map when asked; vm_page_free gives it back.
 */
#include <kernel.h>
#include <libkern.h>
#include <vm_page.h>
#include <vm_param.h>
#include <vm_phys.h>

struct vm_page *vm_page_array;	/* written once by vm_phys_init */
uint64_t vm_page_array_first;
uint64_t vm_page_array_size;

/* 1/32 of RAM (at least 64 pages) is kept for the kernel's own use. */
uint64_t
vm_page_reserve(void)
{
	return (MAX(vm_phys_total_count() / 32, 64));
}

vm_page_t
vm_page_alloc(int flags)
{
	vm_page_t m;

	if ((flags & VM_ALLOC_USER) && vm_phys_free_count() < vm_page_reserve())
		return (NULL);
	m = vm_phys_alloc_pages(0);
	if (m == NULL)
		return (NULL);
	m->object = NULL;
	m->pindex = 0;
	m->ref_count = 0;
	m->wire_count = 0;
	m->flags = 0;
	m->pool = 0;
	m->valid = 0;
	m->dirty = 0;
	if (flags & VM_ALLOC_ZERO) {
		memset(PHYS_TO_DMAP(VM_PAGE_TO_PHYS(m)), 0, PAGE_SIZE);
		m->flags |= PG_ZERO;
	}
	return (m);
}

void
vm_page_free(vm_page_t m)
{
	KASSERT(m != NULL, "vm_page_free: NULL page");
	/* The owner (vm_object) unlinks the page before freeing it. */
	m->object = NULL;
	m->wire_count = 0;
	m->ref_count = 0;
	vm_phys_free_pages(m, 0);
}
