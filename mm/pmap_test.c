/*
 * pmap_test.c: in-kernel tests of the page tables.
 *
 * A test pmap is made, pages are entered at user addresses, and the test
 * then switches to it (pmap_activate) and touches the user address from
 * the kernel, so what is checked is the hardware's view: the translation,
 * the dirty bit the CPU sets, the TLB after a replace or clear.  Page-table
 * pages are accounted for exactly through vm_phys_free_count.
 */
#include <cpu.h>
#include <kmem.h>
#include <ktest.h>
#include <libkern.h>
#include <pmap.h>
#include <trap.h>
#include <uapi/errno.h>
#include <vm_page.h>
#include <vm_param.h>
#include <vm_phys.h>
#include <x86.h>

#define UVA		0x0000000000400000UL

/* With SMAP on, the kernel may touch user pages only inside stac/clac. */
static void
user_access_begin(void)
{
	if (rcr4() & CR4_SMAP)
		__asm__ volatile("stac" ::: "memory");
}

static void
user_access_end(void)
{
	if (rcr4() & CR4_SMAP)
		__asm__ volatile("clac" ::: "memory");
}

static uint64_t
uread(vaddr_t va)
{
	uint64_t v;

	user_access_begin();
	v = *(volatile uint64_t *)va;
	user_access_end();
	return (v);
}

static void
uwrite(vaddr_t va, uint64_t v)
{
	user_access_begin();
	*(volatile uint64_t *)va = v;
	user_access_end();
}

static uint64_t *
page_va(vm_page_t m)
{
	return (PHYS_TO_DMAP(VM_PAGE_TO_PHYS(m)));
}

/*
 * The whole life of a mapping: enter, extract, access through the user
 * address after activate, remove, release with every table freed.
 */
KTEST(pmap_enter_extract_remove_release)
{
	static struct pmap pm;
	uint64_t base = vm_phys_free_count();
	vm_page_t m = vm_page_alloc(VM_ALLOC_ZERO);
	paddr_t pa = 0;

	KT_ASSERT(m != NULL);
	KT_EQ(pmap_pinit(&pm), 0);
	KT_EQ(pmap_enter(&pm, UVA, VM_PAGE_TO_PHYS(m),
	    VM_PROT_READ | VM_PROT_WRITE, 0), 0);
	/* The data page, the PML4, a PDPT, a PD and a PT. */
	KT_EQ(vm_phys_free_count(), base - 5);
	KT_EQ(pmap_resident_count(&pm), 1);
	KT_ASSERT(pmap_extract(&pm, UVA + 0x123, &pa));
	KT_EQ(pa, VM_PAGE_TO_PHYS(m) + 0x123);
	KT_ASSERT(!pmap_extract(&pm, UVA + PAGE_SIZE, &pa));
	KT_ASSERT(!pmap_extract(kernel_pmap, UVA, &pa));

	page_va(m)[3] = 0x1122334455667788UL;
	pmap_activate(&pm);
	KT_EQ(rcr3(), pm.pm_cr3);
	KT_EQ(uread(UVA + 24), 0x1122334455667788UL);
	uwrite(UVA + 40, 0xfeedfacecafebeefUL);
	pmap_activate(kernel_pmap);
	KT_EQ(page_va(m)[5], 0xfeedfacecafebeefUL);

	pmap_remove(&pm, UVA, UVA + PAGE_SIZE);
	KT_ASSERT(!pmap_extract(&pm, UVA, &pa));
	KT_EQ(pmap_resident_count(&pm), 0);
	/* The empty PT, PD and PDPT went with the last PTE. */
	KT_EQ(vm_phys_free_count(), base - 2);
	pmap_release(&pm);
	vm_page_free(m);
	KT_EQ(vm_phys_free_count(), base);
}

/* Tables per PML4 slot; release frees them even with mappings left. */
KTEST(pmap_tables_counted_and_released)
{
	static struct pmap pm;
	static const vaddr_t va[3] = { 0x1000UL, 0x40000000UL,
	    0x8000000000UL };
	uint64_t base = vm_phys_free_count();
	vm_page_t m = vm_page_alloc(0);

	KT_ASSERT(m != NULL);
	KT_EQ(pmap_pinit(&pm), 0);
	KT_EQ(pm.pm_pml4[0], 0);
	for (int i = 256; i < 512; i++)
		KT_EQ(pm.pm_pml4[i], kernel_pmap->pm_pml4[i]);
	for (int i = 0; i < 3; i++)
		KT_EQ(pmap_enter(&pm, va[i], VM_PAGE_TO_PHYS(m),
		    VM_PROT_READ, 0), 0);
	/* 1 data + PML4 + PDPT, PD, PT for slot 0 (twice the PD/PT for 1G)
	 * + PDPT, PD, PT for slot 1. */
	KT_EQ(vm_phys_free_count(), base - 1 - 1 - 3 - 2 - 3);
	KT_EQ(pmap_resident_count(&pm), 3);
	pmap_remove(&pm, va[2], va[2] + PAGE_SIZE);
	KT_EQ(vm_phys_free_count(), base - 1 - 1 - 3 - 2);
	/* A range with holes: nothing else is touched. */
	pmap_remove(&pm, 0x2000UL, 0x40000000UL);
	KT_EQ(pmap_resident_count(&pm), 2);
	pmap_release(&pm);
	vm_page_free(m);
	KT_EQ(vm_phys_free_count(), base);
}

/* Bad arguments are refused, not mapped. */
KTEST(pmap_enter_bad_args)
{
	static struct pmap pm;
	uint64_t base = vm_phys_free_count();

	KT_EQ(pmap_pinit(&pm), 0);
	KT_EQ(pmap_enter(&pm, UVA + 1, 0x200000, VM_PROT_READ, 0), -EINVAL);
	KT_EQ(pmap_enter(&pm, UVA, 0x200001, VM_PROT_READ, 0), -EINVAL);
	KT_EQ(pmap_enter(&pm, VM_MAXUSER_ADDRESS, 0x200000, VM_PROT_READ,
	    0), -EINVAL);
	KT_EQ(pmap_enter(&pm, DMAP_BASE, 0x200000, VM_PROT_READ, 0),
	    -EINVAL);
	KT_EQ(pmap_enter(kernel_pmap, UVA, 0x200000, VM_PROT_READ, 0),
	    -EINVAL);
	KT_EQ(pmap_resident_count(&pm), 0);
	pmap_release(&pm);
	KT_EQ(vm_phys_free_count(), base);
}

/* Replacing a live mapping invalidates the TLB entry. */
KTEST(pmap_enter_replace_active)
{
	static struct pmap pm;
	vm_page_t a = vm_page_alloc(0), b = vm_page_alloc(0);
	paddr_t pa;

	KT_ASSERT(a != NULL && b != NULL);
	page_va(a)[0] = 0xaaaa;
	page_va(b)[0] = 0xbbbb;
	KT_EQ(pmap_pinit(&pm), 0);
	KT_EQ(pmap_enter(&pm, UVA, VM_PAGE_TO_PHYS(a), VM_PROT_READ, 0), 0);
	pmap_activate(&pm);
	KT_EQ(uread(UVA), 0xaaaa);
	KT_EQ(pmap_enter(&pm, UVA, VM_PAGE_TO_PHYS(b), VM_PROT_READ, 0), 0);
	KT_EQ(uread(UVA), 0xbbbb);
	pmap_activate(kernel_pmap);
	KT_EQ(pmap_resident_count(&pm), 1);
	KT_ASSERT(pmap_extract(&pm, UVA, &pa));
	KT_EQ(pa, VM_PAGE_TO_PHYS(b));
	pmap_remove(&pm, UVA, UVA + PAGE_SIZE);
	pmap_release(&pm);
	vm_page_free(a);
	vm_page_free(b);
}

/* Protections: what was asked for, and pmap_protect only takes away. */
KTEST(pmap_protect_prot)
{
	static struct pmap pm;
	vm_page_t m = vm_page_alloc(0);
	vm_prot_t x = pmap_prot(kernel_pmap, (vaddr_t)DMAP_BASE) &
	    VM_PROT_EXECUTE;	/* no NX: everything executes */

	KT_ASSERT(m != NULL);
	KT_EQ(pmap_pinit(&pm), 0);
	KT_EQ(pmap_enter(&pm, UVA, VM_PAGE_TO_PHYS(m), VM_PROT_ALL, 0), 0);
	KT_EQ(pmap_enter(&pm, UVA + PAGE_SIZE, VM_PAGE_TO_PHYS(m),
	    VM_PROT_READ, 0), 0);
	KT_EQ(pmap_prot(&pm, UVA), VM_PROT_ALL);
	KT_EQ(pmap_prot(&pm, UVA + PAGE_SIZE), VM_PROT_READ | x);
	KT_EQ(pmap_prot(&pm, UVA + 2 * PAGE_SIZE), VM_PROT_NONE);
	pmap_protect(&pm, UVA, UVA + 2 * PAGE_SIZE, VM_PROT_READ);
	KT_EQ(pmap_prot(&pm, UVA), VM_PROT_READ | x);
	pmap_protect(&pm, UVA, UVA + 2 * PAGE_SIZE, VM_PROT_ALL);
	KT_EQ(pmap_prot(&pm, UVA), VM_PROT_READ | x);	/* never adds */
	pmap_protect(&pm, UVA + PAGE_SIZE, UVA + 2 * PAGE_SIZE,
	    VM_PROT_NONE);
	KT_EQ(pmap_prot(&pm, UVA + PAGE_SIZE), VM_PROT_NONE);
	KT_EQ(pmap_resident_count(&pm), 1);
	/* The direct map: data, never code (when the CPU has NX). */
	KT_EQ(pmap_prot(kernel_pmap, (vaddr_t)PHYS_TO_DMAP(0x200000)),
	    VM_PROT_READ | VM_PROT_WRITE | x);
	pmap_remove(&pm, 0, VM_MAXUSER_ADDRESS);
	pmap_release(&pm);
	vm_page_free(m);
}

/* The CPU's accessed and dirty bits, and clear_modify's TLB flush. */
KTEST(pmap_modified_referenced)
{
	static struct pmap pm;
	vm_page_t m = vm_page_alloc(0);

	KT_ASSERT(m != NULL);
	KT_EQ(pmap_pinit(&pm), 0);
	KT_EQ(pmap_enter(&pm, UVA, VM_PAGE_TO_PHYS(m),
	    VM_PROT_READ | VM_PROT_WRITE, PMAP_ENTER_WIRED), 0);
	KT_ASSERT(!pmap_is_referenced(&pm, UVA));
	KT_ASSERT(!pmap_is_modified(&pm, UVA));
	pmap_activate(&pm);
	(void)uread(UVA);
	KT_ASSERT(pmap_is_referenced(&pm, UVA));
	KT_ASSERT(!pmap_is_modified(&pm, UVA));
	uwrite(UVA, 1);
	KT_ASSERT(pmap_is_modified(&pm, UVA));
	pmap_clear_modify(&pm, UVA);
	KT_ASSERT(!pmap_is_modified(&pm, UVA));
	/* A stale TLB entry would let this write leave D clear. */
	uwrite(UVA, 2);
	KT_ASSERT(pmap_is_modified(&pm, UVA));
	pmap_activate(kernel_pmap);
	/* Same page entered again keeps the dirty bit. */
	KT_EQ(pmap_enter(&pm, UVA, VM_PAGE_TO_PHYS(m), VM_PROT_READ, 0), 0);
	KT_ASSERT(pmap_is_modified(&pm, UVA));
	pmap_remove(&pm, UVA, UVA + PAGE_SIZE);
	KT_ASSERT(!pmap_is_modified(&pm, UVA));
	pmap_release(&pm);
	vm_page_free(m);
}

/* The direct map covers all RAM and 0-4 GiB; the identity map is gone. */
KTEST(pmap_direct_map)
{
	paddr_t pa, top = (vm_page_array_first + vm_page_array_size) <<
	    PAGE_SHIFT;
	vm_page_t m;

	KT_EQ(kernel_pmap->pm_pml4[0], 0);
	KT_ASSERT(!pmap_extract(kernel_pmap, 0x100000, &pa));
	KT_ASSERT(pmap_extract(kernel_pmap, (vaddr_t)PHYS_TO_DMAP(top - 8),
	    &pa));
	KT_EQ(pa, top - 8);
	KT_ASSERT(pmap_extract(kernel_pmap,
	    (vaddr_t)PHYS_TO_DMAP(0xfee00000UL), &pa));
	KT_EQ(pa, 0xfee00000UL);
	KT_ASSERT(pmap_extract(kernel_pmap, KERNBASE + 0x100000, &pa));
	KT_EQ(pa, 0x100000);
	/* The highest page of RAM is reachable and holds what we put. */
	m = PHYS_TO_VM_PAGE(top - PAGE_SIZE);
	KT_ASSERT(m == NULL || (m->flags & PG_HOLE) == 0);
	*(volatile uint64_t *)PHYS_TO_DMAP(top - 8);
}

/* mapdev: same address, same translation, tables split around it. */
KTEST(pmap_mapdev)
{
	paddr_t pa;
	uint8_t *vga = pmap_mapdev(0xb8000, 4000);
	void *far;

	KT_ASSERT(vga == PHYS_TO_DMAP(0xb8000));
	KT_ASSERT(pmap_extract(kernel_pmap, (vaddr_t)vga + 10, &pa));
	KT_EQ(pa, 0xb800a);
	/* The rest of the split large page still maps 1:1. */
	for (paddr_t p = 0; p < 0x400000; p += PAGE_SIZE) {
		KT_ASSERT(pmap_extract(kernel_pmap, (vaddr_t)PHYS_TO_DMAP(p),
		    &pa));
		KT_EQ(pa, p);
	}
	KT_ASSERT(pmap_mapdev(0xfee00000UL, PAGE_SIZE) ==
	    PHYS_TO_DMAP(0xfee00000UL));
	/* Past the end of RAM: new tables under the direct map. */
	far = pmap_mapdev(0x3000000000UL + 0x10, 0x20);
	KT_ASSERT(far == PHYS_TO_DMAP(0x3000000010UL));
	KT_ASSERT(pmap_extract(kernel_pmap, (vaddr_t)far, &pa));
	KT_EQ(pa, 0x3000000010UL);
	KT_ASSERT(pmap_mapdev(DMAP_MAX, PAGE_SIZE) == NULL);
	KT_ASSERT(pmap_mapdev(0x1000, 0) == NULL);
}

/* The kernel image: text r-x, read-only data r--, data rw-. */
KTEST(pmap_kernel_image_protection)
{
	extern char _text[], _data[];
	static const char ro[] = "read-only";
	static int rw = 1;
	vm_prot_t x = pmap_prot(kernel_pmap, (vaddr_t)DMAP_BASE) &
	    VM_PROT_EXECUTE;

	KT_EQ(pmap_prot(kernel_pmap, (vaddr_t)_text),
	    VM_PROT_READ | VM_PROT_EXECUTE);
	KT_EQ(pmap_prot(kernel_pmap, (vaddr_t)pmap_prot),
	    VM_PROT_READ | VM_PROT_EXECUTE);
	KT_EQ(pmap_prot(kernel_pmap, (vaddr_t)ro), VM_PROT_READ | x);
	KT_EQ(pmap_prot(kernel_pmap, (vaddr_t)&rw),
	    VM_PROT_READ | VM_PROT_WRITE | x);
	KT_EQ(pmap_prot(kernel_pmap, (vaddr_t)_data),
	    VM_PROT_READ | VM_PROT_WRITE | x);
	KT_EQ(rw, 1);
}

/* Page contents through the direct map. */
KTEST(pmap_zero_copy_page)
{
	vm_page_t a = vm_page_alloc(0), b = vm_page_alloc(0);
	uint64_t *pa, *pb;

	KT_ASSERT(a != NULL && b != NULL);
	pa = page_va(a);
	pb = page_va(b);
	for (int i = 0; i < 512; i++)
		pa[i] = i * 3 + 1;
	pmap_copy_page(a, b);
	for (int i = 0; i < 512; i++)
		KT_EQ(pb[i], (uint64_t)i * 3 + 1);
	pmap_zero_page(a);
	for (int i = 0; i < 512; i++)
		KT_EQ(pa[i], 0);
	vm_page_free(a);
	vm_page_free(b);
}

/*
 * Kernel stacks: mapped and writable where the stack is, a guard below
 * that is unmapped (a read there page-faults) and that pmap_kstack_guard
 * recognizes; freeing unmaps and frees the pages, and the slot is reused.
 * The overflow itself is boot-negative's panic_test=kstack.
 */
KTEST(pmap_kstack_guard_page)
{
	struct kjmpbuf jb;
	uint64_t free1;
	vaddr_t va, va2;
	int slot = -1;

	va = pmap_kstack_alloc(4);
	KT_ASSERT(va != 0);
	KT_EQ(va & PAGE_MASK, 0);
	for (int i = 0; i < 4; i++) {
		*(volatile uint64_t *)(va + i * PAGE_SIZE) = i + 1;
		KT_EQ(*(volatile uint64_t *)(va + i * PAGE_SIZE), i + 1);
	}
	KT_ASSERT(!pmap_kstack_guard(va, NULL));
	KT_ASSERT(!pmap_kstack_guard(va + 4 * PAGE_SIZE - 8, NULL));
	KT_ASSERT(pmap_kstack_guard(va - 8, &slot));
	KT_ASSERT(slot >= 0);
	KT_ASSERT(!pmap_kstack_guard(0xffff800000001000UL, NULL));
	if (kt_setjmp(&jb) == 0) {
		trap_expect(T_PAGEFLT, &jb);
		(void)*(volatile uint64_t *)(va - 8);
		trap_expect_clear();
	}
	KT_EQ(trap_expected.vector, T_PAGEFLT);
	KT_EQ(trap_expected.cr2, va - 8);
	pmap_kstack_free(va, 4);
	KT_ASSERT(pmap_kstack_guard(va, NULL));	/* unmapped now */
	/* Tables made for the first stay: the second cycle is exact. */
	free1 = vm_phys_free_count();
	va2 = pmap_kstack_alloc(4);
	KT_EQ(va2, va);				/* the slot is reused */
	KT_EQ(vm_phys_free_count(), free1 - 4);
	pmap_kstack_free(va2, 4);
	KT_EQ(vm_phys_free_count(), free1);
}
