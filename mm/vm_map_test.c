/*
 * vm_map_test.c: in-kernel tests of the machine-independent VM on the real
 * pmap and page allocator, without a process: build a vmspace, map
 * anonymous memory, resolve faults by calling vm_fault directly, and look
 * at the result through pmap_extract and the direct map (or through the
 * user address itself, with the vmspace's page tables loaded).  Each test
 * ends by checking that every page and heap object came back.
 */
#include <kernel.h>
#include <kmem.h>
#include <ktest.h>
#include <libkern.h>
#include <uapi/errno.h>
#include <vm_map.h>
#include <vm_object.h>
#include <vm_param.h>
#include <vm_phys.h>
#include <x86.h>

#define UA	0x400000UL		/* a user address for the tests */

/*
 * Free pages, counting the heap's slab pages as free: which slab of a
 * class the heap keeps when one empties depends on what boot left in the
 * heap (the size of the initramfs), not on the VM under test.
 */
static uint64_t
vmt_free(void)
{
	return (vm_phys_free_count() + kmem_slab_pages());
}
#define RW	(VM_PROT_READ | VM_PROT_WRITE)

/*
 * The heap keeps one slab per size class once used: run the VM's
 * allocations once before taking a free-page baseline.
 */
static void
vm_test_warmup(void)
{
	struct vmspace *vm = vmspace_alloc(), *child;
	vaddr_t a = UA;

	if (vm == NULL)
		return;
	if (vm_map_anon(vmspace_map(vm), &a, PAGE_SIZE, RW, VM_PROT_ALL,
	    VMFS_FIXED) == 0 &&
	    vm_fault(vmspace_map(vm), a, VM_PROT_WRITE) == KERN_SUCCESS &&
	    (child = vmspace_fork(vm)) != NULL) {
		vm_fault(vmspace_map(child), a, VM_PROT_WRITE);
		vmspace_free(child);
	}
	vmspace_free(vm);
}
#define VMT_CR4_SMAP	(1UL << 21)

static uint8_t *
kva(struct vmspace *vm, vaddr_t va)
{
	paddr_t pa;

	if (!pmap_extract(vmspace_pmap(vm), va, &pa))
		return (NULL);
	return (PHYS_TO_DMAP(pa));
}

KTEST(vm_anon_zero_fill)
{
	uint64_t free0, kmem0;
	struct vmspace *vm;
	vaddr_t a = UA;
	uint8_t *p;
	int i, zero = 1;

	vm_test_warmup();
	free0 = vmt_free();
	kmem0 = kmem_inuse();
	vm = vmspace_alloc();
	KT_ASSERT(vm != NULL);
	KT_EQ(vm_map_anon(vmspace_map(vm), &a, 4 * PAGE_SIZE, RW, VM_PROT_ALL,
	    VMFS_FIXED), 0);
	KT_EQ(a, UA);
	KT_ASSERT(kva(vm, a) == NULL);		/* nothing until a fault */
	KT_EQ(vm_fault(vmspace_map(vm), a + PAGE_SIZE + 7, VM_PROT_READ),
	    KERN_SUCCESS);
	p = kva(vm, a + PAGE_SIZE);
	KT_ASSERT(p != NULL);
	for (i = 0; i < (int)PAGE_SIZE; i++)
		zero &= p[i] == 0;
	KT_ASSERT(zero);
	KT_ASSERT(kva(vm, a) == NULL);
	vmspace_free(vm);
	KT_EQ(vmt_free(), free0);
	KT_EQ(kmem_inuse(), kmem0);
}

KTEST(vm_fault_errors)
{
	uint64_t free0;
	struct vmspace *vm;
	vm_map_t map;
	vaddr_t a = UA;

	vm_test_warmup();
	free0 = vmt_free();
	vm = vmspace_alloc();
	KT_ASSERT(vm != NULL);
	map = vmspace_map(vm);
	KT_EQ(vm_map_anon(map, &a, PAGE_SIZE, VM_PROT_READ, VM_PROT_READ,
	    VMFS_FIXED), 0);
	KT_EQ(vm_fault(map, a + PAGE_SIZE, VM_PROT_READ),
	    KERN_INVALID_ADDRESS);
	KT_EQ(vm_fault(map, 0, VM_PROT_READ), KERN_INVALID_ADDRESS);
	KT_EQ(vm_fault(map, KERNBASE, VM_PROT_READ), KERN_INVALID_ADDRESS);
	KT_EQ(vm_fault(NULL, a, VM_PROT_READ), KERN_INVALID_ADDRESS);
	KT_EQ(vm_fault(map, a, VM_PROT_WRITE), KERN_PROTECTION_FAILURE);
	KT_EQ(vm_map_anon(map, &a, PAGE_SIZE, VM_PROT_READ, VM_PROT_READ,
	    VMFS_FIXED), -EEXIST);
	KT_EQ(vm_map_anon(map, &a, 0, VM_PROT_READ, VM_PROT_READ,
	    VMFS_FIXED), -EINVAL);
	vmspace_free(vm);
	KT_EQ(vmt_free(), free0);
}

KTEST(vm_cow_fork)
{
	uint64_t free0, kmem0;
	struct vmspace *parent, *child;
	paddr_t ppa, cpa;
	vaddr_t a = UA;
	uint8_t *p;

	vm_test_warmup();
	free0 = vmt_free();
	kmem0 = kmem_inuse();
	parent = vmspace_alloc();
	KT_ASSERT(parent != NULL);
	KT_EQ(vm_map_anon(vmspace_map(parent), &a, 2 * PAGE_SIZE, RW,
	    VM_PROT_ALL, VMFS_FIXED), 0);
	KT_EQ(vm_fault(vmspace_map(parent), a, VM_PROT_WRITE), KERN_SUCCESS);
	p = kva(parent, a);
	memcpy(p, "parent", 7);
	KT_ASSERT(pmap_extract(vmspace_pmap(parent), a, &ppa));

	child = vmspace_fork(parent);
	KT_ASSERT(child != NULL);
	/* A read in the child shares the parent's page. */
	KT_EQ(vm_fault(vmspace_map(child), a, VM_PROT_READ), KERN_SUCCESS);
	KT_ASSERT(pmap_extract(vmspace_pmap(child), a, &cpa));
	KT_EQ(cpa, ppa);
	/* A write in the child copies it. */
	KT_EQ(vm_fault(vmspace_map(child), a, VM_PROT_WRITE), KERN_SUCCESS);
	KT_ASSERT(pmap_extract(vmspace_pmap(child), a, &cpa));
	KT_ASSERT(cpa != ppa);
	KT_EQ(memcmp(kva(child, a), "parent", 7), 0);
	memcpy(kva(child, a), "child", 6);
	KT_EQ(memcmp(kva(parent, a), "parent", 7), 0);
	KT_ASSERT(pmap_extract(vmspace_pmap(parent), a, &ppa) &&
	    ppa != cpa);
	/* The parent writes after the child did: its own copy again. */
	KT_EQ(vm_fault(vmspace_map(parent), a, VM_PROT_WRITE), KERN_SUCCESS);
	memcpy(kva(parent, a), "PARENT", 7);
	KT_EQ(memcmp(kva(child, a), "child", 6), 0);

	vmspace_free(child);
	vmspace_free(parent);
	KT_EQ(vmt_free(), free0);
	KT_EQ(kmem_inuse(), kmem0);
}

/* Through the user address itself, with the vmspace's CR3 loaded. */
KTEST(vm_user_access)
{
	uint64_t free0, cr3 = rcr3();
	struct vmspace *vm, *child;
	volatile uint64_t *u = (volatile uint64_t *)UA;
	bool smap = (rcr4() & VMT_CR4_SMAP) != 0;
	uint64_t v1, v2;
	vaddr_t a = UA;

	vm_test_warmup();
	free0 = vmt_free();
	vm = vmspace_alloc();
	KT_ASSERT(vm != NULL);
	KT_EQ(vm_map_anon(vmspace_map(vm), &a, PAGE_SIZE, RW, VM_PROT_ALL,
	    VMFS_FIXED), 0);
	KT_EQ(vm_fault(vmspace_map(vm), a, VM_PROT_WRITE), KERN_SUCCESS);
	child = vmspace_fork(vm);
	KT_ASSERT(child != NULL);
	KT_EQ(vm_fault(vmspace_map(child), a, VM_PROT_WRITE), KERN_SUCCESS);
	/* Fork left the parent's page read-only: as the CPU would, fault. */
	KT_EQ(vm_fault(vmspace_map(vm), a, VM_PROT_WRITE), KERN_SUCCESS);
	intr_disable_push();
	if (smap)
		__asm__ volatile("stac" ::: "memory");
	pmap_activate(vmspace_pmap(vm));
	u[0] = 0x1111;
	pmap_activate(vmspace_pmap(child));
	u[0] = 0x2222;
	pmap_activate(vmspace_pmap(vm));
	v1 = u[0];
	pmap_activate(vmspace_pmap(child));
	v2 = u[0];
	lcr3(cr3);
	if (smap)
		__asm__ volatile("clac" ::: "memory");
	intr_disable_pop();
	KT_EQ(v1, 0x1111);
	KT_EQ(v2, 0x2222);
	vmspace_free(child);
	vmspace_free(vm);
	KT_EQ(vmt_free(), free0);
}

KTEST(vm_unmap_frees_pages)
{
	uint64_t free0, before;
	struct vmspace *vm;
	vm_map_t map;
	vaddr_t a = 0;
	int i;

	vm_test_warmup();
	free0 = vmt_free();
	vm = vmspace_alloc();
	KT_ASSERT(vm != NULL);
	map = vmspace_map(vm);
	KT_EQ(vm_map_anon(map, &a, 64 * PAGE_SIZE, RW, VM_PROT_ALL, 0), 0);
	KT_EQ(a, VM_MMAP_BASE - 64 * PAGE_SIZE);
	for (i = 0; i < 64; i++)
		KT_EQ(vm_fault(map, a + i * PAGE_SIZE, VM_PROT_WRITE),
		    KERN_SUCCESS);
	before = vm_phys_free_count();
	/* Unmapping the middle half returns its 32 pages at once. */
	KT_EQ(vm_map_remove(map, a + 16 * PAGE_SIZE, a + 48 * PAGE_SIZE), 0);
	KT_ASSERT(vm_phys_free_count() >= before + 32);
	KT_ASSERT(kva(vm, a + 20 * PAGE_SIZE) == NULL);
	KT_ASSERT(kva(vm, a + 50 * PAGE_SIZE) != NULL);
	KT_EQ(vm_fault(map, a + 20 * PAGE_SIZE, VM_PROT_READ),
	    KERN_INVALID_ADDRESS);
	vmspace_free(vm);
	KT_EQ(vmt_free(), free0);
}
