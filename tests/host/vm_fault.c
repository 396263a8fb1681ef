/*
 * vm_fault.c: host tests of the whole machine-independent VM: faults,
 * zero fill, copy-on-write after fork, inheritance, shadow-chain collapse,
 * and the mmap family of system calls with their Linux errors.
 *
 * mm/vm_{map,object,fault,space,mmap}.c run unchanged over vm_fake.c.
 * touch() plays the MMU: it looks the address up in the fake pmap and
 * calls vm_fault only when the hardware would fault (no translation, or a
 * write through a read-only one), then hands back the page's bytes, so a
 * test sees exactly what a user program would.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <proc.h>
#include <uapi/errno.h>
#include <uapi/mman.h>
#include <uapi/resource.h>
#include <vm_map.h>
#include <vm_mmap.h>
#include <vm_object.h>

#include "vm_fake.h"

#define PG(n)	((vaddr_t)(n) * PAGE_SIZE)
#define RW	(VM_PROT_READ | VM_PROT_WRITE)

static struct vmspace *vm;
static int kmem_base;

static int
setup(void **state)
{
	fake_reset();
	kmem_base = fake_kmem_live;
	vm = vmspace_alloc();
	assert_non_null(vm);
	curthread->td_proc->p_vmspace = vm;
	for (int i = 0; i < 16; i++)
		curthread->td_proc->p_rlimit[i][0] =
		    curthread->td_proc->p_rlimit[i][1] = RLIM_INFINITY;
	return (0);
}

static int
teardown(void **state)
{
	vmspace_free(vm);
	curthread->td_proc->p_vmspace = NULL;
	/* Everything went back: pages, objects, entries, the vmspace. */
	assert_int_equal(fake_pages_live, 0);
	assert_int_equal(vm_object_count, 0);
	assert_int_equal(fake_kmem_live, kmem_base);
	return (0);
}

/* What the MMU would do for an access at va: the byte's address. */
static uint8_t *
touch_rv(struct vmspace *v, vaddr_t va, bool write, int *rv)
{
	struct fake_mapping *fm;

	*rv = KERN_SUCCESS;
	fm = fake_pmap_lookup(vmspace_pmap(v), trunc_page(va));
	if (fm == NULL || (write && (fm->prot & VM_PROT_WRITE) == 0)) {
		*rv = vm_fault(vmspace_map(v), va,
		    write ? VM_PROT_WRITE : VM_PROT_READ);
		if (*rv != KERN_SUCCESS)
			return (NULL);
		fm = fake_pmap_lookup(vmspace_pmap(v), trunc_page(va));
		assert_non_null(fm);
		if (write)
			assert_true(fm->prot & VM_PROT_WRITE);
	}
	return ((uint8_t *)fake_page_kva(fm->pa) + (va & PAGE_MASK));
}

static uint8_t *
touch(struct vmspace *v, vaddr_t va, bool write)
{
	int rv;
	uint8_t *p = touch_rv(v, va, write, &rv);

	assert_int_equal(rv, KERN_SUCCESS);
	return (p);
}

static paddr_t
pa_of(struct vmspace *v, vaddr_t va)
{
	paddr_t pa;

	assert_true(pmap_extract(vmspace_pmap(v), va, &pa));
	return (pa);
}

static vaddr_t
anon(vaddr_t at, vm_size_t len, vm_prot_t prot, int flags)
{
	vaddr_t a = at;

	assert_int_equal(vm_map_anon(vmspace_map(vm), &a, len, prot,
	    VM_PROT_ALL, flags), 0);
	return (a);
}

static void
test_fault_errors(void **state)
{
	vaddr_t a = anon(0x400000, PG(2), VM_PROT_READ, VMFS_FIXED);
	vaddr_t n = anon(0x500000, PG(1), VM_PROT_NONE, VMFS_FIXED);
	int rv;

	assert_int_equal(vm_fault(NULL, a, VM_PROT_READ),
	    KERN_INVALID_ADDRESS);
	assert_int_equal(vm_fault(vmspace_map(vm), a + PG(2), VM_PROT_READ),
	    KERN_INVALID_ADDRESS);
	assert_int_equal(vm_fault(vmspace_map(vm), 0, VM_PROT_READ),
	    KERN_INVALID_ADDRESS);
	assert_int_equal(vm_fault(vmspace_map(vm), 0xffff800000001000UL,
	    VM_PROT_READ), KERN_INVALID_ADDRESS);
	assert_int_equal(vm_fault(vmspace_map(vm), a, VM_PROT_WRITE),
	    KERN_PROTECTION_FAILURE);
	assert_int_equal(vm_fault(vmspace_map(vm), n, VM_PROT_READ),
	    KERN_PROTECTION_FAILURE);
	assert_null(touch_rv(vm, n + 5, false, &rv));
	assert_int_equal(fake_pages_live, 0);
	/* Out of pages: a resource shortage, nothing mapped. */
	fake_pages_limit = 0;
	assert_int_equal(vm_fault(vmspace_map(vm), a, VM_PROT_READ),
	    KERN_RESOURCE_SHORTAGE);
	assert_int_equal(fake_pmap_count(vmspace_pmap(vm)), 0);
	fake_pages_limit = -1;
}

static void
test_zero_fill(void **state)
{
	vaddr_t a = anon(0, PG(4), RW, 0);
	uint8_t *p;
	int i;

	p = touch(vm, a + PG(1) + 100, false);
	for (i = 0; i < 4000; i++)
		assert_int_equal(p[i - 100], 0);
	/* Mapped with the entry's protection: private, unshared. */
	assert_int_equal(fake_pmap_lookup(vmspace_pmap(vm), a + PG(1))->prot,
	    RW);
	p = touch(vm, a + PG(1) + 100, true);
	*p = 42;
	assert_int_equal(*touch(vm, a + PG(1) + 100, false), 42);
	assert_int_equal(fake_pages_live, 1);
	/* A fault on a resident page maps the same page again. */
	paddr_t pa = pa_of(vm, a + PG(1));
	pmap_remove(vmspace_pmap(vm), a, a + PG(4));
	assert_int_equal(*touch(vm, a + PG(1) + 100, false), 42);
	assert_int_equal(pa_of(vm, a + PG(1)), pa);
	assert_int_equal(fake_pages_live, 1);
}

static void
test_fork_cow(void **state)
{
	vaddr_t a = anon(0, PG(2), RW, 0);
	struct vmspace *child;
	paddr_t ppa;

	*touch(vm, a, true) = 'P';
	*touch(vm, a + PG(1), true) = 'Q';
	ppa = pa_of(vm, a);
	child = vmspace_fork(vm);
	assert_non_null(child);
	/* The parent lost write access; its page did not move. */
	assert_int_equal(fake_pmap_lookup(vmspace_pmap(vm), a)->prot,
	    VM_PROT_READ);
	assert_int_equal(pa_of(vm, a), ppa);
	/* The child reads the same page, read-only. */
	assert_int_equal(*touch(child, a, false), 'P');
	assert_int_equal(pa_of(child, a), ppa);
	assert_int_equal(fake_pmap_lookup(vmspace_pmap(child), a)->prot,
	    VM_PROT_READ);
	/* The child writes: its own copy; the parent still sees 'P'. */
	*touch(child, a, true) = 'c';
	assert_true(pa_of(child, a) != ppa);
	assert_int_equal(*touch(vm, a, false), 'P');
	assert_int_equal(pa_of(vm, a), ppa);
	/* The parent writes: it copies too (the original is shared). */
	*touch(vm, a, true) = 'p';
	assert_int_equal(*touch(child, a, false), 'c');
	assert_int_equal(*touch(vm, a, false), 'p');
	/* Untouched since fork: the child reads the parent's old data. */
	assert_int_equal(*touch(child, a + PG(1), false), 'Q');
	*touch(vm, a + PG(1), true) = 'R';
	assert_int_equal(*touch(child, a + PG(1), false), 'Q');
	vmspace_free(child);
	/* The child is gone: the chain collapsed into the parent's shadow. */
	vm_map_entry_t e;
	vm_map_lock(vmspace_map(vm));
	assert_true(vm_map_lookup_entry(vmspace_map(vm), a, &e));
	assert_null(e->object->backing_object);
	assert_int_equal(e->object->resident_page_count, 2);
	vm_map_unlock(vmspace_map(vm));
	assert_int_equal(vm_object_count, 1);
	assert_int_equal(*touch(vm, a, false), 'p');
	assert_int_equal(*touch(vm, a + PG(1), false), 'R');
}

static void
test_fork_repeated_no_growth(void **state)
{
	vaddr_t a = anon(0, PG(1), RW, 0);
	struct vmspace *child;
	int i;

	*touch(vm, a, true) = 1;
	for (i = 0; i < 20; i++) {
		child = vmspace_fork(vm);
		assert_non_null(child);
		*touch(child, a, true) += 100;
		*touch(vm, a, true) += 1;
		assert_int_equal(*touch(child, a, false), 100 + i + 1);
		vmspace_free(child);
	}
	assert_int_equal(*touch(vm, a, false), 21);
	assert_int_equal(vm_object_count, 1);
	assert_int_equal(fake_pages_live, 1);
}

/*
 * The child goes first (as with exec) after the parent wrote one page:
 * the collapse must move every other page up, at its own index, and
 * free none that the parent still maps.
 */
static void
test_collapse_keeps_pages(void **state)
{
	vaddr_t a = anon(0, PG(8), RW, 0);
	struct vmspace *child;
	int i;

	for (i = 0; i < 8; i++)
		*touch(vm, a + PG(i), true) = (uint8_t)(10 + i);
	child = vmspace_fork(vm);
	assert_non_null(child);
	*touch(child, a + PG(2), true) = 99;
	*touch(vm, a + PG(5), true) = 55;
	vmspace_free(child);
	for (i = 0; i < 8; i++)
		assert_int_equal(*touch(vm, a + PG(i), false),
		    i == 5 ? 55 : 10 + i);
	assert_int_equal(fake_pages_live, 8);
	/* Writes now stay in the (collapsed) top object, no copies. */
	*touch(vm, a + PG(3), true) = 33;
	assert_int_equal(fake_pages_live, 8);
	assert_int_equal(vm_object_count, 1);
}

static void
test_fork_inheritance(void **state)
{
	vaddr_t sh = anon(0x400000, PG(1), RW, VMFS_FIXED | VMFS_SHARED);
	vaddr_t no = anon(0x500000, PG(1), RW, VMFS_FIXED);
	vaddr_t z = anon(0x600000, PG(1), RW, VMFS_FIXED);
	vaddr_t df = anon(0x700000, PG(1), RW, VMFS_FIXED);
	vaddr_t wf = anon(0x800000, PG(1), RW, VMFS_FIXED);
	vaddr_t cp = anon(0x900000, PG(1), RW, VMFS_FIXED | VMFS_SHARED);
	struct vmspace *child;
	int rv;

	*touch(vm, sh, true) = 1;
	*touch(vm, no, true) = 2;
	*touch(vm, z, true) = 3;
	*touch(vm, df, true) = 4;
	*touch(vm, wf, true) = 5;
	*touch(vm, cp, true) = 6;
	assert_int_equal(sys_minherit(no, PG(1), INHERIT_NONE), 0);
	assert_int_equal(sys_minherit(z, 1, INHERIT_ZERO), 0);
	assert_int_equal(sys_minherit(cp, PG(1), INHERIT_COPY), 0);
	assert_int_equal(sys_minherit(z, PG(1), 4), -EINVAL);
	assert_int_equal(sys_minherit(UINT64_MAX - 10, PG(1), 0), -EINVAL);
	assert_int_equal(sys_madvise(df, PG(1), MADV_DONTFORK), 0);
	assert_int_equal(sys_madvise(wf, PG(1), MADV_WIPEONFORK), 0);
	assert_int_equal(sys_madvise(sh, PG(1), MADV_WIPEONFORK), -EINVAL);
	child = vmspace_fork(vm);
	assert_non_null(child);
	/* Shared: one page, writable in both, writes seen both ways. */
	*touch(child, sh, true) = 11;
	assert_int_equal(*touch(vm, sh, false), 11);
	assert_int_equal(pa_of(child, sh), pa_of(vm, sh));
	/* None and dontfork: nothing there in the child. */
	assert_null(touch_rv(child, no, false, &rv));
	assert_int_equal(rv, KERN_INVALID_ADDRESS);
	assert_null(touch_rv(child, df, false, &rv));
	assert_int_equal(rv, KERN_INVALID_ADDRESS);
	/* Zero and wipeonfork: zeros in the child, data in the parent. */
	assert_int_equal(*touch(child, z, false), 0);
	assert_int_equal(*touch(child, wf, false), 0);
	assert_int_equal(*touch(vm, z, false), 3);
	assert_int_equal(*touch(vm, wf, false), 5);
	/* Shared memory inherited as a copy: private from then on. */
	assert_int_equal(*touch(child, cp, false), 6);
	*touch(child, cp, true) = 66;
	assert_int_equal(*touch(vm, cp, false), 6);
	*touch(vm, cp, true) = 7;
	assert_int_equal(*touch(child, cp, false), 66);
	vmspace_free(child);
}

static void
test_share_private_after_cow(void **state)
{
	/* A private mapping shared with the child by minherit after a
	 * fork made it copy-on-write: both must see one memory. */
	vaddr_t a = anon(0, PG(1), RW, 0);
	struct vmspace *c1, *c2;

	*touch(vm, a, true) = 1;
	c1 = vmspace_fork(vm);
	assert_int_equal(*touch(vm, a, false), 1);	/* mapped read-only */
	assert_int_equal(sys_minherit(a, PG(1), INHERIT_SHARE), 0);
	c2 = vmspace_fork(vm);
	*touch(c2, a, true) = 2;
	assert_int_equal(*touch(vm, a, false), 2);
	*touch(vm, a, true) = 3;
	assert_int_equal(*touch(c2, a, false), 3);
	assert_int_equal(*touch(c1, a, false), 1);
	vmspace_free(c1);
	vmspace_free(c2);
}

static void
test_mmap_errors(void **state)
{
	int pa = MAP_PRIVATE | MAP_ANONYMOUS;

	assert_int_equal(sys_mmap(0, 0, PROT_READ, pa, -1, 0), -EINVAL);
	assert_int_equal(sys_mmap(0, PG(1), PROT_READ, pa, -1, 1), -EINVAL);
	assert_int_equal(sys_mmap(0, PG(1), PROT_READ, MAP_ANONYMOUS, -1, 0),
	    -EINVAL);
	assert_int_equal(sys_mmap(0, PG(1), PROT_READ,
	    MAP_SHARED_VALIDATE | MAP_ANONYMOUS, -1, 0), -EINVAL);
	assert_int_equal(sys_mmap(0, PG(1), PROT_READ,
	    MAP_SHARED | MAP_ANONYMOUS | MAP_GROWSDOWN, -1, 0), -EINVAL);
	assert_int_equal(sys_mmap(0x400001, PG(1), PROT_READ, pa | MAP_FIXED,
	    -1, 0), -EINVAL);
	assert_int_equal(sys_mmap(0x1000, PG(1), PROT_READ, pa | MAP_FIXED,
	    -1, 0), -EPERM);
	assert_int_equal(sys_mmap(VM_MAXUSER_ADDRESS - PG(1), PG(2),
	    PROT_READ, pa | MAP_FIXED, -1, 0), -ENOMEM);
	assert_int_equal(sys_mmap(0, UINT64_MAX - 5, PROT_READ, pa, -1, 0),
	    -ENOMEM);
	assert_int_equal(sys_mmap(0, VM_MAXUSER_ADDRESS, PROT_READ, pa, -1,
	    0), -ENOMEM);
	assert_int_equal(sys_mmap(0, PG(2), PROT_READ, MAP_PRIVATE, 3,
	    -(off_t)PAGE_SIZE), -EOVERFLOW);
	/* Anonymous memory ignores the offset (if aligned). */
	assert_true(sys_mmap(0, PG(2), PROT_READ, pa, -1,
	    -(off_t)PAGE_SIZE) > 0);
	sys_munmap(VM_MMAP_BASE - PG(2), PG(2));
	assert_int_equal(sys_mmap(0, PG(1), PROT_READ, MAP_PRIVATE, 3, 0),
	    -ENODEV);
	assert_int_equal(sys_mmap(0, PG(1), PROT_READ,
	    MAP_SHARED_VALIDATE | 0x800000, 3, 0), -EOPNOTSUPP);
	assert_int_equal(sys_mmap(0, PG(1), PROT_READ, pa | MAP_HUGETLB, -1,
	    0), -ENOMEM);
	assert_int_equal(sys_mmap(0x400000, PG(1), PROT_READ, pa | MAP_FIXED,
	    -1, 0), 0x400000);
	assert_int_equal(sys_mmap(0x400000, PG(1), PROT_READ,
	    pa | MAP_FIXED_NOREPLACE, -1, 0), -EEXIST);
	assert_int_equal(sys_mmap(0x3ff000, PG(2), PROT_READ,
	    pa | MAP_FIXED_NOREPLACE, -1, 0), -EEXIST);
	assert_int_equal(vmspace_map(vm)->nentries, 1);
}

static void
test_mmap_placement(void **state)
{
	int pa = MAP_PRIVATE | MAP_ANONYMOUS;
	long a, b, c;

	a = sys_mmap(0, PG(3), PROT_READ, pa, -1, 0);
	assert_int_equal(a, VM_MMAP_BASE - PG(3));
	b = sys_mmap(0, 100, PROT_READ | PROT_WRITE, pa, -1, 0);
	assert_int_equal(b, a - PG(1));
	/* A free hint is honoured (rounded down); a used one is not. */
	c = sys_mmap(0x12345678, PG(1), PROT_READ, pa, -1, 0);
	assert_int_equal(c, 0x12345000);
	c = sys_mmap(0x12345000, PG(1), PROT_READ, pa, -1, 0);
	assert_int_equal(c, b - PG(1));
	/* A hint below mmap_min_addr is raised to it. */
	c = sys_mmap(0x1000, PG(1), PROT_READ, pa, -1, 0);
	assert_int_equal(c, VM_MIN_USER);
	c = sys_mmap(0, PG(1), PROT_READ, pa | MAP_32BIT, -1, 0);
	assert_true(c > 0 && c + PG(1) <= (2L << 30));
	/* MAP_FIXED replaces what was there, translations included. */
	*touch(vm, b, true) = 9;
	assert_int_equal(sys_mmap(b, PG(1), PROT_READ, pa | MAP_FIXED, -1, 0),
	    b);
	assert_null(fake_pmap_lookup(vmspace_pmap(vm), b));
	assert_int_equal(*touch(vm, b, false), 0);
	/* MAP_POPULATE faults in at once. */
	c = sys_mmap(0, PG(2), PROT_READ | PROT_WRITE, pa | MAP_POPULATE, -1,
	    0);
	assert_true(c > 0);
	assert_non_null(fake_pmap_lookup(vmspace_pmap(vm), c));
	assert_non_null(fake_pmap_lookup(vmspace_pmap(vm), c + PG(1)));
}

static void
test_munmap_mprotect(void **state)
{
	int pa = MAP_PRIVATE | MAP_ANONYMOUS;
	long a = sys_mmap(0, PG(4), PROT_READ | PROT_WRITE, pa, -1, 0);
	int rv;

	assert_int_equal(sys_munmap(a + 1, PG(1)), -EINVAL);
	assert_int_equal(sys_munmap(a, 0), -EINVAL);
	assert_int_equal(sys_munmap(a, UINT64_MAX - PG(1)), -EINVAL);
	assert_int_equal(sys_munmap(VM_MAXUSER_ADDRESS + PG(1), PG(1)),
	    -EINVAL);
	assert_int_equal(sys_munmap(0x400000, PG(1)), 0);	/* nothing */
	*touch(vm, a + PG(1), true) = 1;
	assert_int_equal(sys_munmap(a + PG(1), 1), 0);
	assert_null(touch_rv(vm, a + PG(1), false, &rv));
	assert_int_equal(rv, KERN_INVALID_ADDRESS);
	assert_int_equal(fake_pages_live, 0);	/* the page was freed */

	assert_int_equal(sys_mprotect(a + 1, PG(1), PROT_READ), -EINVAL);
	assert_int_equal(sys_mprotect(a, PG(1), 0x40), -EINVAL);
	assert_int_equal(sys_mprotect(a, 0, PROT_READ), 0);
	assert_int_equal(sys_mprotect(a, UINT64_MAX - 5, PROT_READ), -ENOMEM);
	assert_int_equal(sys_mprotect(a, PG(3), PROT_READ), -ENOMEM); /* hole */
	assert_int_equal(sys_mprotect(a, PG(1), PROT_READ | PROT_GROWSDOWN),
	    -EINVAL);
	assert_int_equal(sys_mprotect(a, PG(1), PROT_READ | PROT_GROWSUP),
	    -EINVAL);
	assert_int_equal(sys_mprotect(a + PG(2), PG(2), PROT_READ), 0);
	assert_null(touch_rv(vm, a + PG(3), true, &rv));
	assert_int_equal(rv, KERN_PROTECTION_FAILURE);
	assert_int_equal(sys_mprotect(a + PG(2), PG(2), PROT_NONE), 0);
	assert_null(touch_rv(vm, a + PG(3), false, &rv));
	assert_int_equal(rv, KERN_PROTECTION_FAILURE);
	/* PROT_SEM is accepted and ignored. */
	assert_int_equal(sys_mprotect(a + PG(2), PG(2),
	    PROT_READ | PROT_WRITE | PROT_SEM), 0);
	*touch(vm, a + PG(3), true) = 3;
	/* A grows-down stack: PROT_GROWSDOWN extends to its start. */
	long s = sys_mmap(0, PG(4), PROT_READ | PROT_WRITE,
	    pa | MAP_GROWSDOWN, -1, 0);
	assert_int_equal(sys_mprotect(s + PG(2), PG(1),
	    PROT_READ | PROT_GROWSDOWN), 0);
	assert_int_equal(vm_fault(vmspace_map(vm), s, VM_PROT_WRITE),
	    KERN_PROTECTION_FAILURE);
	assert_int_equal(vm_fault(vmspace_map(vm), s + PG(3), VM_PROT_WRITE),
	    KERN_SUCCESS);
}

static void
test_growsdown(void **state)
{
	vaddr_t s = anon(0x10000000, PG(2), RW, VMFS_FIXED | VMFS_GROWSDOWN);
	vaddr_t below = anon(0x10000000 - PG(40), PG(1), RW, VMFS_FIXED);
	int rv;

	/* A fault a few pages below grows the stack down to it. */
	*touch(vm, s - PG(3) + 8, true) = 4;
	assert_int_equal(*touch(vm, s - PG(1), false), 0);
	assert_int_equal(vmspace_map(vm)->size, PG(2 + 3 + 1));
	/* Not into the guard page above the next mapping down. */
	assert_null(touch_rv(vm, below + PG(1), false, &rv));
	assert_int_equal(rv, KERN_INVALID_ADDRESS);
	*touch(vm, below + PG(2), true) = 5;
	/* An ordinary mapping does not grow. */
	assert_null(touch_rv(vm, below - 8, false, &rv));
	assert_int_equal(rv, KERN_INVALID_ADDRESS);
	/* Nor a stack, by more than VM_STACK_MAXGROW at once. */
	s = anon(0x40000000, PG(1), RW, VMFS_FIXED | VMFS_GROWSDOWN);
	assert_null(touch_rv(vm, s - VM_STACK_MAXGROW - PG(1), false, &rv));
	assert_int_equal(rv, KERN_INVALID_ADDRESS);
	assert_non_null(touch_rv(vm, s - VM_STACK_MAXGROW, false, &rv));
}

static void
test_brk(void **state)
{
	long b0, b;
	int rv;

	vmspace_set_brk(vm, 0x600123);
	b0 = sys_brk(0);
	assert_int_equal(b0, 0x601000);
	assert_int_equal(sys_brk(0x500000), b0);	/* below start */
	b = sys_brk(b0 + 10);
	assert_int_equal(b, b0 + 10);
	*touch(vm, b0 + 5, true) = 7;
	b = sys_brk(b0 + PG(3) + 1);
	assert_int_equal(b, b0 + PG(3) + 1);
	*touch(vm, b0 + PG(3), true) = 8;
	assert_int_equal(vmspace_map(vm)->nentries, 1);	/* coalesced */
	assert_int_equal(*touch(vm, b0 + 5, false), 7);
	/* Shrink: whole pages above the new break go. */
	assert_int_equal(sys_brk(b0 + PG(1)), b0 + PG(1));
	assert_null(touch_rv(vm, b0 + PG(1), false, &rv));
	assert_int_equal(*touch(vm, b0 + 5, false), 7);
	/* Grow again: fresh zeros, not the old data. */
	assert_int_equal(sys_brk(b0 + PG(4)), b0 + PG(4));
	assert_int_equal(*touch(vm, b0 + PG(3), false), 0);
	/* Running into another mapping fails: the break stays. */
	anon(b0 + PG(8), PG(1), RW, VMFS_FIXED);
	assert_int_equal(sys_brk(b0 + PG(9)), b0 + PG(4));
	assert_int_equal(sys_brk(UINT64_MAX), b0 + PG(4));
}

static void
test_madvise_dontneed(void **state)
{
	int pa = MAP_PRIVATE | MAP_ANONYMOUS;
	long a = sys_mmap(0, PG(2), PROT_READ | PROT_WRITE, pa, -1, 0);
	long s = sys_mmap(0, PG(1), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct vmspace *child;

	*touch(vm, a, true) = 1;
	*touch(vm, a + PG(1), true) = 2;
	*touch(vm, s, true) = 3;
	assert_int_equal(sys_madvise(a + 1, PG(1), MADV_DONTNEED), -EINVAL);
	assert_int_equal(sys_madvise(a, PG(1), 77), -EINVAL);
	assert_int_equal(sys_madvise(a, UINT64_MAX, MADV_NORMAL), -EINVAL);
	assert_int_equal(sys_madvise(a, 0, MADV_DONTNEED), 0);
	assert_int_equal(sys_madvise(a, PG(1), MADV_DONTNEED), 0);
	assert_int_equal(*touch(vm, a, false), 0);
	assert_int_equal(*touch(vm, a + PG(1), false), 2);
	/* Shared memory keeps its contents. */
	assert_int_equal(sys_madvise(s, PG(1), MADV_DONTNEED), 0);
	assert_int_equal(*touch(vm, s, false), 3);
	assert_int_equal(sys_madvise(s, PG(1), MADV_FREE), -EINVAL);
	/* After fork the child's DONTNEED gives zeros, not the parent's. */
	child = vmspace_fork(vm);
	curthread->td_proc->p_vmspace = child;
	assert_int_equal(*touch(child, a + PG(1), false), 2);
	assert_int_equal(sys_madvise(a + PG(1), PG(1), MADV_DONTNEED), 0);
	assert_int_equal(*touch(child, a + PG(1), false), 0);
	curthread->td_proc->p_vmspace = vm;
	assert_int_equal(*touch(vm, a + PG(1), false), 2);
	vmspace_free(child);
	/* Holes: ENOMEM. */
	assert_int_equal(sys_madvise(0x400000, PG(1), MADV_NORMAL), -ENOMEM);
	assert_int_equal(sys_madvise(a, PG(1), MADV_HUGEPAGE), 0);
	assert_int_equal(sys_madvise(0x400000, PG(1), MADV_HUGEPAGE),
	    -ENOMEM);
}

static void
test_mincore_msync(void **state)
{
	int pa = MAP_PRIVATE | MAP_ANONYMOUS;
	long a = sys_mmap(0, PG(3), PROT_READ | PROT_WRITE, pa, -1, 0);
	unsigned char vec[3];

	touch(vm, a + PG(1), false);
	memset(vec, 0xee, sizeof(vec));
	assert_int_equal(sys_mincore(a, PG(3), vec), 0);
	assert_int_equal(vec[0], 0);
	assert_int_equal(vec[1], 1);
	assert_int_equal(vec[2], 0);
	assert_int_equal(sys_mincore(a + 1, PG(1), vec), -EINVAL);
	assert_int_equal(sys_mincore(a, PG(4), vec), -ENOMEM);
	assert_int_equal(sys_mincore(a, UINT64_MAX, vec), -ENOMEM);
	assert_int_equal(sys_mincore(a, PG(1), NULL), -EFAULT);
	assert_int_equal(sys_mincore(a, PG(1),
	    (unsigned char *)0xffff800000000000UL), -EFAULT);

	assert_int_equal(sys_msync(a, PG(3), MS_SYNC), 0);
	assert_int_equal(sys_msync(a + 1, PG(1), MS_SYNC), -EINVAL);
	assert_int_equal(sys_msync(a, PG(1), 8), -EINVAL);
	assert_int_equal(sys_msync(a, PG(1), MS_SYNC | MS_ASYNC), -EINVAL);
	assert_int_equal(sys_msync(a, PG(4), MS_ASYNC), -ENOMEM);
	assert_int_equal(sys_msync(a, UINT64_MAX, MS_ASYNC), -ENOMEM);
	assert_int_equal(sys_mlock(a, PG(1)), 0);
	assert_int_equal(sys_msync(a, PG(1), MS_INVALIDATE), -EBUSY);
}

static void
test_mlock(void **state)
{
	int pa = MAP_PRIVATE | MAP_ANONYMOUS;
	long a = sys_mmap(0, PG(4), PROT_READ | PROT_WRITE, pa, -1, 0);
	long b;

	/* mlock needs no alignment and faults the pages in, writable. */
	assert_int_equal(sys_mlock(a + 100, PG(1)), 0);
	assert_int_equal(fake_pages_live, 2);
	assert_int_equal(fake_pmap_lookup(vmspace_pmap(vm), a)->prot, RW);
	assert_int_equal(sys_mlock(a, PG(5)), -ENOMEM);
	assert_int_equal(sys_mlock(UINT64_MAX - 10, PG(1)), -EINVAL);
	assert_int_equal(sys_mlock2(a, PG(1), 2), -EINVAL);
	assert_int_equal(sys_mlock2(a + PG(3), PG(1), MLOCK_ONFAULT), 0);
	assert_int_equal(fake_pages_live, 2);
	assert_int_equal(sys_munlock(a, PG(4)), 0);
	assert_int_equal(sys_munlock(a, PG(5)), -ENOMEM);
	assert_int_equal(vmspace_map(vm)->nentries, 1);
	assert_int_equal(sys_mlockall(0), -EINVAL);
	assert_int_equal(sys_mlockall(MCL_ONFAULT), -EINVAL);
	assert_int_equal(sys_mlockall(8), -EINVAL);
	assert_int_equal(sys_mlockall(MCL_CURRENT | MCL_FUTURE), 0);
	assert_int_equal(fake_pages_live, 4);
	b = sys_mmap(0, PG(2), PROT_READ | PROT_WRITE, pa, -1, 0);
	assert_int_equal(fake_pages_live, 6);	/* locked on arrival */
	assert_int_equal(sys_madvise(b, PG(1), MADV_DONTNEED), -EINVAL);
	assert_int_equal(sys_munlockall(), 0);
	b = sys_mmap(0, PG(2), PROT_READ | PROT_WRITE, pa, -1, 0);
	assert_int_equal(fake_pages_live, 6);
	assert_int_equal(sys_madvise(a, PG(1), MADV_DONTNEED), 0);
}

static void
test_mremap(void **state)
{
	int pa = MAP_PRIVATE | MAP_ANONYMOUS, rv;
	vaddr_t a = anon(0x1000000, PG(2), RW, VMFS_FIXED);
	paddr_t p0;
	long r;

	*touch(vm, a, true) = 1;
	*touch(vm, a + PG(1), true) = 2;
	p0 = pa_of(vm, a);
	/* Errors. */
	assert_int_equal(sys_mremap(a, PG(2), PG(3), 8, 0), -EINVAL);
	assert_int_equal(sys_mremap(a, PG(2), PG(3), MREMAP_FIXED, 0x4000000),
	    -EINVAL);
	assert_int_equal(sys_mremap(a + 1, PG(2), PG(3), 0, 0), -EINVAL);
	assert_int_equal(sys_mremap(a, PG(2), 0, 0, 0), -EINVAL);
	assert_int_equal(sys_mremap(a, PG(2), UINT64_MAX, 0, 0), -EINVAL);
	assert_int_equal(sys_mremap(0x3000000, PG(1), PG(2), 0, 0), -EFAULT);
	assert_int_equal(sys_mremap(a, PG(3), PG(4), 0, 0), -EFAULT);
	assert_int_equal(sys_mremap(a, 0, PG(1), MREMAP_MAYMOVE, 0), -EINVAL);
	assert_int_equal(sys_mremap(a, PG(2), PG(2),
	    MREMAP_MAYMOVE | MREMAP_FIXED, a + PG(1)), -EINVAL);
	assert_int_equal(sys_mremap(a, PG(2), PG(3), MREMAP_DONTUNMAP, 0),
	    -EINVAL);
	/* Grow in place: same pages, one entry, zeros after. */
	assert_int_equal(sys_mremap(a, PG(2), PG(4), 0, 0), a);
	assert_int_equal(pa_of(vm, a), p0);
	assert_int_equal(*touch(vm, a + PG(3), false), 0);
	assert_int_equal(vmspace_map(vm)->nentries, 1);
	/* Shrink: the tail goes, with its pages. */
	assert_int_equal(sys_mremap(a, PG(4), PG(1) + 5, 0, 0), a);
	assert_null(touch_rv(vm, a + PG(2), false, &rv));
	assert_int_equal(fake_pages_live, 2);
	/* Blocked: ENOMEM unless it may move; moving keeps the pages. */
	anon(a + PG(2), PG(1), RW, VMFS_FIXED);
	assert_int_equal(sys_mremap(a, PG(2), PG(3), 0, 0), -ENOMEM);
	r = sys_mremap(a, PG(2), PG(3), MREMAP_MAYMOVE, 0);
	assert_true(r > 0 && r != (long)a);
	assert_null(fake_pmap_lookup(vmspace_pmap(vm), a));
	touch(vm, r, false);		/* refaults at the new address */
	assert_int_equal(pa_of(vm, r), p0);
	assert_int_equal(*touch(vm, r, false), 1);
	assert_int_equal(*touch(vm, r + PG(1), false), 2);
	assert_int_equal(*touch(vm, r + PG(2), false), 0);
	assert_null(touch_rv(vm, a, false, &rv));
	assert_int_equal(rv, KERN_INVALID_ADDRESS);
	/* Fixed, over something already there. */
	assert_int_equal(sys_mremap(r, PG(3), PG(3),
	    MREMAP_MAYMOVE | MREMAP_FIXED, a + PG(2)), a + PG(2));
	assert_int_equal(*touch(vm, a + PG(3), false), 2);
	/* DONTUNMAP: the old range stays, reading zeros. */
	r = sys_mremap(a + PG(2), PG(1), PG(1),
	    MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0);
	assert_true(r > 0);
	assert_int_equal(*touch(vm, r, false), 1);
	assert_int_equal(*touch(vm, a + PG(2), false), 0);
	(void)pa;
}

static void
test_mremap_shared_and_cow(void **state)
{
	vaddr_t s = anon(0x2000000, PG(1), RW, VMFS_FIXED | VMFS_SHARED);
	vaddr_t p = anon(0x3000000, PG(1), RW, VMFS_FIXED);
	struct vmspace *child;
	long r;

	*touch(vm, s, true) = 1;
	*touch(vm, p, true) = 2;
	child = vmspace_fork(vm);
	/* The parent moves both; sharing and copy-on-write hold. */
	anon(s + PG(1), PG(1), RW, VMFS_FIXED);
	r = sys_mremap(s, PG(1), PG(2), MREMAP_MAYMOVE, 0);
	assert_true(r > 0);
	*touch(vm, r, true) = 11;
	assert_int_equal(*touch(child, s, false), 11);
	*touch(vm, r + PG(1), true) = 12;
	r = sys_mremap(p, PG(1), PG(1), MREMAP_MAYMOVE | MREMAP_FIXED,
	    0x5000000);
	assert_int_equal(r, 0x5000000);
	assert_int_equal(*touch(vm, r, false), 2);
	*touch(vm, r, true) = 22;
	assert_int_equal(*touch(child, p, false), 2);
	/* A second view of shared memory (old_len 0). */
	r = sys_mremap(s + 0, 0, PG(1), MREMAP_MAYMOVE, 0);
	assert_int_equal(r, -EFAULT);	/* s was moved away */
	curthread->td_proc->p_vmspace = child;
	r = sys_mremap(s, 0, PG(1), MREMAP_MAYMOVE, 0);
	assert_true(r > 0);
	assert_int_equal(*touch(child, r, false), 11);
	*touch(child, r, true) = 13;
	assert_int_equal(*touch(child, s, false), 13);
	curthread->td_proc->p_vmspace = vm;
	vmspace_free(child);
}

/* An object's page list stays sorted and findable in any order of use. */
static void
test_object_pages(void **state)
{
	enum { N = 300 };
	static bool in[N];
	vm_object_t obj = vm_object_allocate(OBJT_DEFAULT, N);
	vm_page_t m, prev;
	int i, k, n = 0;

	memset(in, 0, sizeof(in));
	srandom(3);
	for (i = 0; i < 3000; i++) {
		k = random() % N;
		m = vm_page_lookup(obj, k);
		assert_int_equal(m != NULL, in[k]);
		if (m != NULL) {
			assert_int_equal(m->pindex, k);
			if (random() % 2) {
				vm_page_remove(m);
				vm_page_free(m);
				in[k] = false;
				n--;
			}
		} else {
			assert_non_null(vm_page_alloc_object(obj, k));
			in[k] = true;
			n++;
		}
	}
	prev = NULL;
	i = 0;
	TAILQ_FOREACH(m, &obj->memq, listq) {
		assert_ptr_equal(m->object, obj);
		if (prev != NULL)
			assert_true(prev->pindex < m->pindex);
		prev = m;
		i++;
	}
	assert_int_equal(i, n);
	assert_int_equal(obj->resident_page_count, n);
	vm_object_deallocate(obj);
	assert_int_equal(fake_pages_live, 0);
}

static void
test_rlimits(void **state)
{
	struct proc *p = curthread->td_proc;
	int pa = MAP_PRIVATE | MAP_ANONYMOUS;
	long a, b0;

	a = sys_mmap(0, PG(4), PROT_READ, pa, -1, 0);
	assert_true(a > 0);
	p->p_rlimit[RLIMIT_AS][0] = PG(6);
	assert_int_equal(sys_mmap(0, PG(3), PROT_READ, pa, -1, 0), -ENOMEM);
	assert_true(sys_mmap(0, PG(2), PROT_READ, pa, -1, 0) > 0);
	assert_int_equal(sys_mmap(0, PG(1), PROT_READ, pa, -1, 0), -ENOMEM);
	/* Replacing what is mapped costs nothing more. */
	assert_int_equal(sys_mmap(a, PG(4), PROT_READ, pa | MAP_FIXED, -1, 0),
	    a);
	assert_int_equal(sys_mremap(a, PG(4), PG(5), MREMAP_MAYMOVE, 0),
	    -ENOMEM);
	/* brk: RLIMIT_AS and RLIMIT_DATA leave the break where it is. */
	vmspace_set_brk(vm, 0x600000);
	b0 = sys_brk(0);
	assert_int_equal(sys_brk(b0 + PG(1)), b0);
	p->p_rlimit[RLIMIT_AS][0] = RLIM_INFINITY;
	p->p_rlimit[RLIMIT_DATA][0] = PG(2);
	assert_int_equal(sys_brk(b0 + PG(2)), b0 + PG(2));
	assert_int_equal(sys_brk(b0 + PG(3)), b0 + PG(2));
	p->p_rlimit[RLIMIT_DATA][0] = RLIM_INFINITY;
	assert_int_equal(sys_brk(b0 + PG(3)), b0 + PG(3));
}

static void
test_no_process(void **state)
{
	curthread->td_proc->p_vmspace = NULL;
	assert_null(vm_curmap());
	assert_int_equal(sys_mmap(0, PG(1), PROT_READ,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), -ENOMEM);
	curthread->td_proc->p_vmspace = vm;
	assert_ptr_equal(vm_curmap(), vmspace_map(vm));
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_fault_errors),
		T(test_zero_fill),
		T(test_fork_cow),
		T(test_fork_repeated_no_growth),
		T(test_collapse_keeps_pages),
		T(test_fork_inheritance),
		T(test_share_private_after_cow),
		T(test_mmap_errors),
		T(test_mmap_placement),
		T(test_munmap_mprotect),
		T(test_growsdown),
		T(test_brk),
		T(test_madvise_dontneed),
		T(test_mincore_msync),
		T(test_mlock),
		T(test_mremap),
		T(test_mremap_shared_and_cow),
		T(test_object_pages),
		T(test_rlimits),
		T(test_no_process),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
