/*
 * vm_map.c: host tests of mm/vm_map.c, the entries of an address space.
 *
 * The map code runs over the fake pmap of vm_fake.c and over stand-in
 * objects defined here that only count references, so every test can
 * check exactly which entries exist, their offsets, their object
 * references and which ranges left the pmap.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include <uapi/errno.h>
#include <uapi/mman.h>
#include <vm_map.h>
#include <vm_object.h>

#include "vm_fake.h"

/* Stand-in objects: reference counts and page-removal calls only. */
static int page_remove_calls;
static int fault_calls;

void
vm_object_reference(vm_object_t obj)
{
	if (obj != NULL)
		obj->ref_count++;
}

void
vm_object_deallocate(vm_object_t obj)
{
	if (obj != NULL) {
		assert_true(obj->ref_count > 0);
		obj->ref_count--;
	}
}

void
vm_object_run_deferred(void)
{
}

int
vm_object_page_clean(vm_object_t obj, vm_pindex_t start, vm_pindex_t end,
    bool sync)
{
	return (0);
}

void
vm_object_page_remove(vm_object_t obj, vm_pindex_t start, vm_pindex_t end)
{
	page_remove_calls++;
}

int
vm_fault(vm_map_t map, vaddr_t va, vm_prot_t type)
{
	assert_false(spin_owned(&map->lock));
	fault_calls++;
	return (KERN_SUCCESS);
}

#define PG(n)	((vaddr_t)(n) * PAGE_SIZE)
#define BASE	0x100000UL

static struct pmap pm;
static struct vm_map map;

static int
setup(void **state)
{
	fake_reset();
	pmap_pinit(&pm);
	vm_map_init(&map, &pm, VM_MIN_USER, VM_MAXUSER_ADDRESS);
	page_remove_calls = fault_calls = 0;
	return (0);
}

static int
teardown(void **state)
{
	vm_map_remove(&map, map.min_offset, map.max_offset);
	assert_int_equal(map.nentries, 0);
	assert_int_equal(map.size, 0);
	return (0);
}

static int
insert(vaddr_t s, vaddr_t e, vm_object_t obj, vm_offset_t off,
    vm_prot_t prot, int eflags)
{
	int error;

	vm_map_lock(&map);
	error = vm_map_insert(&map, obj, off, s, e, prot, VM_PROT_ALL,
	    eflags);
	vm_map_unlock(&map);
	return (error);
}

static vm_map_entry_t
lookup(vaddr_t va, bool *found)
{
	vm_map_entry_t e;

	vm_map_lock(&map);
	*found = vm_map_lookup_entry(&map, va, &e);
	vm_map_unlock(&map);
	return (e);
}

/* Entries and list agree with the tree, in order, not overlapping. */
static void
check_map(void)
{
	vm_map_entry_t e, prev = NULL;
	vm_size_t size = 0;
	int n = 0;

	for (e = vm_map_first_entry(&map); e != NULL;
	    e = vm_map_next_entry(&map, e)) {
		assert_true(e->start < e->end);
		if (prev != NULL)
			assert_true(prev->end <= e->start);
		size += e->end - e->start;
		prev = e;
		n++;
	}
	assert_int_equal(n, map.nentries);
	assert_int_equal(size, map.size);
}

static vm_map_entry_t
nth(int i)
{
	vm_map_entry_t e = vm_map_first_entry(&map);

	while (e != NULL && i-- > 0)
		e = vm_map_next_entry(&map, e);
	return (e);
}

static void
test_range_arith(void **state)
{
	vm_size_t r;
	vaddr_t end;

	assert_true(vm_round_len(0, &r) && r == 0);
	assert_true(vm_round_len(1, &r) && r == PAGE_SIZE);
	assert_true(vm_round_len(PAGE_SIZE, &r) && r == PAGE_SIZE);
	assert_true(vm_round_len(PAGE_SIZE + 1, &r) && r == 2 * PAGE_SIZE);
	assert_false(vm_round_len(UINT64_MAX, &r));
	assert_false(vm_round_len(UINT64_MAX - PAGE_SIZE + 2, &r));
	assert_true(vm_round_len(UINT64_MAX - PAGE_MASK, &r));
	assert_true(vm_range_end(BASE, PG(1), &end) && end == BASE + PG(1));
	assert_false(vm_range_end(UINT64_MAX - PAGE_MASK, PAGE_SIZE, &end));
	assert_false(vm_range_end(PG(2), UINT64_MAX - PAGE_SIZE, &end));
	assert_true(vm_range_in(VM_MIN_USER, VM_MAXUSER_ADDRESS, VM_MIN_USER,
	    VM_MAXUSER_ADDRESS));
	assert_false(vm_range_in(VM_MIN_USER - PAGE_SIZE, VM_MIN_USER,
	    VM_MIN_USER, VM_MAXUSER_ADDRESS));
	assert_false(vm_range_in(BASE, VM_MAXUSER_ADDRESS + PAGE_SIZE,
	    VM_MIN_USER, VM_MAXUSER_ADDRESS));
	assert_false(vm_range_in(BASE + PG(1), BASE, VM_MIN_USER,
	    VM_MAXUSER_ADDRESS));
}

static void
test_insert_lookup(void **state)
{
	vm_map_entry_t e;
	bool found;

	assert_int_equal(insert(BASE + PG(10), BASE + PG(20), NULL, 0,
	    VM_PROT_READ, MAP_ENTRY_COW), 0);
	assert_int_equal(insert(BASE, BASE + PG(2), NULL, 0, VM_PROT_READ,
	    MAP_ENTRY_COW), 0);
	assert_int_equal(insert(BASE + PG(40), BASE + PG(41), NULL, 0,
	    VM_PROT_ALL, 0), 0);
	check_map();
	assert_int_equal(map.nentries, 3);
	assert_int_equal(map.size, PG(13));

	e = lookup(BASE + PG(15) + 123, &found);
	assert_true(found);
	assert_int_equal(e->start, BASE + PG(10));
	assert_int_equal(e->end, BASE + PG(20));
	assert_int_equal(e->inheritance, VM_INHERIT_COPY);
	/* In a gap: the entry before it. */
	e = lookup(BASE + PG(25), &found);
	assert_false(found);
	assert_int_equal(e->start, BASE + PG(10));
	/* end is exclusive. */
	e = lookup(BASE + PG(20), &found);
	assert_false(found);
	e = lookup(BASE + PG(19) + PAGE_MASK, &found);
	assert_true(found);
	/* Below everything: no entry. */
	e = lookup(BASE - 1, &found);
	assert_false(found);
	assert_null(e);
	e = lookup(BASE + PG(40), &found);
	assert_true(found);
	assert_int_equal(e->inheritance, VM_INHERIT_SHARE);
	e = lookup(VM_MAXUSER_ADDRESS - 1, &found);
	assert_false(found);
	assert_int_equal(e->start, BASE + PG(40));
}

static void
test_insert_errors(void **state)
{
	assert_int_equal(insert(BASE, BASE + PG(4), NULL, 0, VM_PROT_READ,
	    0), 0);
	/* Overlaps, at either end or covering. */
	assert_int_equal(insert(BASE + PG(3), BASE + PG(5), NULL, 0,
	    VM_PROT_READ, 0), -EEXIST);
	assert_int_equal(insert(BASE - PG(1), BASE + PG(1), NULL, 0,
	    VM_PROT_READ, 0), -EEXIST);
	assert_int_equal(insert(BASE - PG(1), BASE + PG(9), NULL, 0,
	    VM_PROT_READ, 0), -EEXIST);
	/* Empty, reversed, unaligned, out of bounds, prot > maxprot. */
	assert_int_equal(insert(BASE + PG(8), BASE + PG(8), NULL, 0,
	    VM_PROT_READ, 0), -EINVAL);
	assert_int_equal(insert(BASE + PG(9), BASE + PG(8), NULL, 0,
	    VM_PROT_READ, 0), -EINVAL);
	assert_int_equal(insert(BASE + PG(8) + 1, BASE + PG(9), NULL, 0,
	    VM_PROT_READ, 0), -EINVAL);
	assert_int_equal(insert(BASE + PG(8), BASE + PG(9) - 1, NULL, 0,
	    VM_PROT_READ, 0), -EINVAL);
	assert_int_equal(insert(0, PG(1), NULL, 0, VM_PROT_READ, 0), -EINVAL);
	assert_int_equal(insert(VM_MAXUSER_ADDRESS - PG(1),
	    VM_MAXUSER_ADDRESS + PG(1), NULL, 0, VM_PROT_READ, 0), -EINVAL);
	vm_map_lock(&map);
	assert_int_equal(vm_map_insert(&map, NULL, 0, BASE + PG(8),
	    BASE + PG(9), VM_PROT_ALL, VM_PROT_READ, 0), -EINVAL);
	vm_map_unlock(&map);
	assert_int_equal(map.nentries, 1);
	check_map();
}

static void
test_insert_coalesce(void **state)
{
	/* brk-style growth: anonymous neighbours become one entry. */
	assert_int_equal(insert(BASE, BASE + PG(2), NULL, 0,
	    VM_PROT_READ | VM_PROT_WRITE, MAP_ENTRY_COW), 0);
	assert_int_equal(insert(BASE + PG(2), BASE + PG(3), NULL, 0,
	    VM_PROT_READ | VM_PROT_WRITE, MAP_ENTRY_COW), 0);
	assert_int_equal(map.nentries, 1);
	assert_int_equal(nth(0)->end, BASE + PG(3));
	/* Different protection: stays separate. */
	assert_int_equal(insert(BASE + PG(3), BASE + PG(4), NULL, 0,
	    VM_PROT_READ, MAP_ENTRY_COW), 0);
	assert_int_equal(map.nentries, 2);
	/* Filling a hole between two alike entries merges all three. */
	assert_int_equal(insert(BASE + PG(6), BASE + PG(7), NULL, 0,
	    VM_PROT_READ, MAP_ENTRY_COW), 0);
	assert_int_equal(map.nentries, 3);
	assert_int_equal(insert(BASE + PG(4), BASE + PG(6), NULL, 0,
	    VM_PROT_READ, MAP_ENTRY_COW), 0);
	assert_int_equal(map.nentries, 2);
	assert_int_equal(nth(1)->start, BASE + PG(3));
	assert_int_equal(nth(1)->end, BASE + PG(7));
	check_map();
}

static void
test_clip_and_simplify(void **state)
{
	struct vm_object obj = { .ref_count = 1, .type = OBJT_DEFAULT };
	vm_map_entry_t e;
	bool found;

	assert_int_equal(insert(BASE, BASE + PG(8), &obj, PG(100),
	    VM_PROT_READ, MAP_ENTRY_COW), 0);
	e = lookup(BASE, &found);
	vm_map_lock(&map);
	assert_int_equal(vm_map_clip_start(&map, e, BASE + PG(2)), 0);
	assert_int_equal(vm_map_clip_end(&map, e, BASE + PG(5)), 0);
	/* Clipping outside the entry does nothing. */
	assert_int_equal(vm_map_clip_end(&map, e, BASE + PG(9)), 0);
	vm_map_unlock(&map);
	assert_int_equal(map.nentries, 3);
	assert_int_equal(obj.ref_count, 3);
	assert_int_equal(nth(0)->start, BASE);
	assert_int_equal(nth(0)->end, BASE + PG(2));
	assert_int_equal(nth(0)->offset, PG(100));
	assert_int_equal(nth(1)->start, BASE + PG(2));
	assert_int_equal(nth(1)->offset, PG(102));
	assert_ptr_equal(nth(1), e);
	assert_int_equal(nth(2)->start, BASE + PG(5));
	assert_int_equal(nth(2)->end, BASE + PG(8));
	assert_int_equal(nth(2)->offset, PG(105));
	check_map();
	/* The tree finds the pieces. */
	assert_ptr_equal(lookup(BASE + PG(6), &found), nth(2));
	assert_ptr_equal(lookup(BASE + PG(1), &found), nth(0));
	/* Alike pieces with contiguous offsets merge back. */
	vm_map_lock(&map);
	vm_map_simplify_entry(&map, e);
	vm_map_unlock(&map);
	assert_int_equal(map.nentries, 1);
	assert_int_equal(obj.ref_count, 1);
	assert_int_equal(nth(0)->offset, PG(100));
	assert_int_equal(nth(0)->end, BASE + PG(8));
	vm_map_remove(&map, BASE, BASE + PG(8));
	assert_int_equal(obj.ref_count, 0);
}

static void
test_no_merge_discontiguous_offsets(void **state)
{
	/* One reference per insert: the map takes them over. */
	struct vm_object obj = { .ref_count = 3, .type = OBJT_VNODE };

	assert_int_equal(insert(BASE, BASE + PG(2), &obj, 0, VM_PROT_READ,
	    0), 0);
	assert_int_equal(insert(BASE + PG(2), BASE + PG(4), &obj, PG(7),
	    VM_PROT_READ, 0), 0);
	assert_int_equal(map.nentries, 2);
	assert_int_equal(insert(BASE + PG(4), BASE + PG(5), &obj, PG(9),
	    VM_PROT_READ, 0), 0);
	assert_int_equal(map.nentries, 2);	/* 7+2 = 9: merged */
	assert_int_equal(obj.ref_count, 2);
	assert_int_equal(nth(1)->end, BASE + PG(5));
	assert_int_equal(nth(1)->offset, PG(7));
	vm_map_remove(&map, BASE, BASE + PG(5));
	assert_int_equal(obj.ref_count, 0);
}

static void
test_delete_splits(void **state)
{
	struct vm_object obj = { .ref_count = 1, .type = OBJT_DEFAULT };

	assert_int_equal(insert(BASE, BASE + PG(10), &obj, 0, VM_PROT_READ,
	    MAP_ENTRY_COW), 0);
	assert_int_equal(vm_map_remove(&map, BASE + PG(3), BASE + PG(5)), 0);
	assert_int_equal(fake_last_remove_sva, BASE + PG(3));
	assert_int_equal(fake_last_remove_eva, BASE + PG(5));
	assert_int_equal(map.nentries, 2);
	assert_int_equal(nth(0)->start, BASE);
	assert_int_equal(nth(0)->end, BASE + PG(3));
	assert_int_equal(nth(1)->start, BASE + PG(5));
	assert_int_equal(nth(1)->end, BASE + PG(10));
	assert_int_equal(nth(1)->offset, PG(5));
	assert_int_equal(obj.ref_count, 2);
	assert_int_equal(map.size, PG(8));
	check_map();
	/* Across a hole and both pieces' edges. */
	assert_int_equal(vm_map_remove(&map, BASE + PG(2), BASE + PG(6)), 0);
	assert_int_equal(nth(0)->end, BASE + PG(2));
	assert_int_equal(nth(1)->start, BASE + PG(6));
	assert_int_equal(nth(1)->offset, PG(6));
	/* Removing nothing is fine. */
	assert_int_equal(vm_map_remove(&map, BASE + PG(3), BASE + PG(5)), 0);
	assert_int_equal(vm_map_remove(&map, BASE, BASE + PG(10)), 0);
	assert_int_equal(map.nentries, 0);
	assert_int_equal(obj.ref_count, 0);
}

static void
test_protect_split_merge(void **state)
{
	struct fake_mapping *fm;

	assert_int_equal(insert(BASE, BASE + PG(10), NULL, 0,
	    VM_PROT_READ | VM_PROT_WRITE, 0), 0);
	pmap_enter(&pm, BASE + PG(4), 0x5000, VM_PROT_READ | VM_PROT_WRITE,
	    0);
	pmap_enter(&pm, BASE + PG(8), 0x6000, VM_PROT_READ | VM_PROT_WRITE,
	    0);
	assert_int_equal(vm_map_protect(&map, BASE + PG(3), BASE + PG(6),
	    VM_PROT_READ, false), 0);
	assert_int_equal(map.nentries, 3);
	assert_int_equal(nth(1)->start, BASE + PG(3));
	assert_int_equal(nth(1)->end, BASE + PG(6));
	assert_int_equal(nth(1)->protection, VM_PROT_READ);
	assert_int_equal(nth(0)->protection, VM_PROT_READ | VM_PROT_WRITE);
	assert_int_equal(nth(2)->protection, VM_PROT_READ | VM_PROT_WRITE);
	/* The translation inside lost write, the one outside kept it. */
	fm = fake_pmap_lookup(&pm, BASE + PG(4));
	assert_non_null(fm);
	assert_int_equal(fm->prot, VM_PROT_READ);
	assert_int_equal(fake_pmap_lookup(&pm, BASE + PG(8))->prot,
	    VM_PROT_READ | VM_PROT_WRITE);
	check_map();
	/* Back again: one entry. */
	assert_int_equal(vm_map_protect(&map, BASE + PG(3), BASE + PG(6),
	    VM_PROT_READ | VM_PROT_WRITE, false), 0);
	assert_int_equal(map.nentries, 1);
	assert_int_equal(nth(0)->end, BASE + PG(10));
	/* PROT_NONE takes translations away entirely. */
	assert_int_equal(vm_map_protect(&map, BASE, BASE + PG(10),
	    VM_PROT_NONE, false), 0);
	assert_null(fake_pmap_lookup(&pm, BASE + PG(8)));
	assert_int_equal(map.nentries, 1);
}

static void
test_protect_errors(void **state)
{
	vm_map_lock(&map);
	assert_int_equal(vm_map_insert(&map, NULL, 0, BASE, BASE + PG(4),
	    VM_PROT_READ, VM_PROT_READ, 0), 0);
	assert_int_equal(vm_map_insert(&map, NULL, 0, BASE + PG(6),
	    BASE + PG(8), VM_PROT_READ, VM_PROT_ALL, 0), 0);
	vm_map_unlock(&map);
	/* Beyond max_protection: nothing changes, not even a split. */
	assert_int_equal(vm_map_protect(&map, BASE + PG(1), BASE + PG(2),
	    VM_PROT_WRITE, false), -EACCES);
	assert_int_equal(map.nentries, 2);
	/* A hole anywhere in the range. */
	assert_int_equal(vm_map_protect(&map, BASE + PG(3), BASE + PG(7),
	    VM_PROT_READ, false), -ENOMEM);
	assert_int_equal(vm_map_protect(&map, BASE + PG(20), BASE + PG(21),
	    VM_PROT_READ, false), -ENOMEM);
	assert_int_equal(map.nentries, 2);
	/* Lowering max then raising is refused. */
	assert_int_equal(vm_map_protect(&map, BASE + PG(6), BASE + PG(7),
	    VM_PROT_READ, true), 0);
	assert_int_equal(map.nentries, 3);
	assert_int_equal(vm_map_protect(&map, BASE + PG(6), BASE + PG(7),
	    VM_PROT_READ | VM_PROT_WRITE, false), -EACCES);
	assert_int_equal(vm_map_protect(&map, BASE + PG(7), BASE + PG(8),
	    VM_PROT_READ | VM_PROT_WRITE, false), 0);
}

static void
test_findspace(void **state)
{
	vaddr_t a;

	vm_map_lock(&map);
	/* Empty map: just below the top. */
	assert_int_equal(vm_map_findspace(&map, VM_MIN_USER, map.mmap_base,
	    PG(4), &a), 0);
	assert_int_equal(a, VM_MMAP_BASE - PG(4));
	assert_int_equal(vm_map_insert(&map, NULL, 0, a, a + PG(4),
	    VM_PROT_READ, VM_PROT_ALL, 0), 0);
	/* Next one goes right below. */
	assert_int_equal(vm_map_findspace(&map, VM_MIN_USER, map.mmap_base,
	    PG(1), &a), 0);
	assert_int_equal(a, VM_MMAP_BASE - PG(5));
	/* A gap of exactly two pages is found; one page too small is not. */
	assert_int_equal(vm_map_insert(&map, NULL, 0, BASE, BASE + PG(1),
	    VM_PROT_READ, VM_PROT_ALL, 0), 0);
	assert_int_equal(vm_map_insert(&map, NULL, 0, BASE + PG(3),
	    BASE + PG(4), VM_PROT_READ, VM_PROT_ALL, 0), 0);
	assert_int_equal(vm_map_findspace(&map, BASE, BASE + PG(4), PG(2),
	    &a), 0);
	assert_int_equal(a, BASE + PG(1));
	assert_int_equal(vm_map_findspace(&map, BASE, BASE + PG(4), PG(3),
	    &a), -ENOMEM);
	/* hi inside an entry. */
	assert_int_equal(vm_map_findspace(&map, BASE, BASE + PG(3) + 10,
	    PG(2), &a), 0);
	assert_int_equal(a, BASE + PG(1));
	/* lo inside the gap limits it. */
	assert_int_equal(vm_map_findspace(&map, BASE + PG(2), BASE + PG(4),
	    PG(2), &a), -ENOMEM);
	/* Too big for the address space, zero, empty window. */
	assert_int_equal(vm_map_findspace(&map, VM_MIN_USER,
	    VM_MAXUSER_ADDRESS, VM_MAXUSER_ADDRESS, &a), -ENOMEM);
	assert_int_equal(vm_map_findspace(&map, VM_MIN_USER,
	    VM_MAXUSER_ADDRESS, 0, &a), -ENOMEM);
	assert_int_equal(vm_map_findspace(&map, BASE, BASE, PG(1), &a),
	    -ENOMEM);
	/* The whole space above mmap_base is used when asked. */
	assert_int_equal(vm_map_findspace(&map, VM_MIN_USER,
	    VM_MAXUSER_ADDRESS, PG(1), &a), 0);
	assert_int_equal(a, VM_MAXUSER_ADDRESS - PG(1));
	vm_map_unlock(&map);
}

static void
test_inherit(void **state)
{
	assert_int_equal(insert(BASE, BASE + PG(6), NULL, 0, VM_PROT_READ,
	    MAP_ENTRY_COW), 0);
	assert_int_equal(vm_map_inherit(&map, BASE + PG(2), BASE + PG(3),
	    VM_INHERIT_NONE), 0);
	assert_int_equal(map.nentries, 3);
	assert_int_equal(nth(1)->inheritance, VM_INHERIT_NONE);
	assert_int_equal(nth(2)->inheritance, VM_INHERIT_COPY);
	assert_int_equal(vm_map_inherit(&map, BASE, BASE + PG(6), 7), -EINVAL);
	assert_int_equal(map.nentries, 3);
	/* Holes are ignored (FreeBSD minherit). */
	assert_int_equal(vm_map_inherit(&map, BASE - PG(4), BASE + PG(9),
	    VM_INHERIT_COPY), 0);
	assert_int_equal(map.nentries, 1);
}

static void
test_madvise_flags(void **state)
{
	assert_int_equal(insert(BASE, BASE + PG(6), NULL, 0, VM_PROT_READ,
	    MAP_ENTRY_COW), 0);
	assert_int_equal(insert(BASE + PG(8), BASE + PG(9), NULL, 0,
	    VM_PROT_READ, 0), 0);
	assert_int_equal(vm_map_madvise(&map, BASE + PG(1), BASE + PG(2),
	    MADV_DONTFORK), 0);
	assert_int_equal(map.nentries, 4);
	assert_true(nth(1)->eflags & MAP_ENTRY_NOFORK);
	assert_false(nth(0)->eflags & MAP_ENTRY_NOFORK);
	assert_int_equal(vm_map_madvise(&map, BASE, BASE + PG(6),
	    MADV_DOFORK), 0);
	assert_int_equal(map.nentries, 2);
	/* WIPEONFORK only on private anonymous memory. */
	assert_int_equal(vm_map_madvise(&map, BASE + PG(8), BASE + PG(9),
	    MADV_WIPEONFORK), -EINVAL);
	assert_false(nth(1)->eflags & MAP_ENTRY_WIPEONFORK);
	assert_int_equal(vm_map_madvise(&map, BASE, BASE + PG(1),
	    MADV_WIPEONFORK), 0);
	assert_true(nth(0)->eflags & MAP_ENTRY_WIPEONFORK);
	/* A hole: the mapped part is advised, the answer is ENOMEM. */
	assert_int_equal(vm_map_madvise(&map, BASE + PG(5), BASE + PG(9),
	    MADV_RANDOM), -ENOMEM);
	assert_int_equal(nth(2)->advice, MADV_RANDOM);
	assert_int_equal(nth(2)->start, BASE + PG(5));
	assert_int_equal(nth(3)->advice, MADV_RANDOM);
	assert_int_equal(vm_map_madvise(&map, BASE, BASE + PG(1), 99),
	    -EINVAL);
}

static void
test_wire(void **state)
{
	assert_int_equal(insert(BASE, BASE + PG(4), NULL, 0,
	    VM_PROT_READ | VM_PROT_WRITE, MAP_ENTRY_COW), 0);
	assert_int_equal(insert(BASE + PG(6), BASE + PG(7), NULL, 0,
	    VM_PROT_NONE, MAP_ENTRY_COW), 0);
	assert_int_equal(vm_map_wire(&map, BASE + PG(3), BASE + PG(7), 0),
	    -ENOMEM);
	assert_int_equal(fault_calls, 0);
	assert_int_equal(map.nentries, 2);
	assert_int_equal(vm_map_wire(&map, BASE + PG(1), BASE + PG(3), 0), 0);
	assert_int_equal(fault_calls, 2);
	assert_int_equal(map.nentries, 4);
	assert_int_equal(nth(1)->wired_count, 1);
	assert_int_equal(nth(1)->start, BASE + PG(1));
	assert_int_equal(nth(1)->end, BASE + PG(3));
	assert_int_equal(nth(2)->wired_count, 0);
	/* DONTNEED on locked memory is refused. */
	assert_int_equal(vm_map_madvise(&map, BASE + PG(1), BASE + PG(2),
	    MADV_DONTNEED), -EINVAL);
	/* PROT_NONE: locked but not faulted. */
	assert_int_equal(vm_map_wire(&map, BASE + PG(6), BASE + PG(7), 0), 0);
	assert_int_equal(fault_calls, 2);
	assert_int_equal(vm_map_unwire(&map, BASE, BASE + PG(4)), 0);
	assert_int_equal(map.nentries, 2);
	assert_int_equal(vm_map_unwire(&map, BASE, BASE + PG(7)), -ENOMEM);
	assert_int_equal(vm_map_wire(&map, BASE, BASE + PG(4),
	    VM_MAP_WIRE_ONFAULT), 0);
	assert_int_equal(fault_calls, 2);
	assert_true(nth(0)->eflags & MAP_ENTRY_LOCKONFAULT);
}

/* Random inserts and removes against a page bitmap. */
static void
test_random_model(void **state)
{
	enum { NPG = 512 };
	static bool used[NPG];
	vm_map_entry_t e;
	bool found;
	int i, s, n, k;

	srandom(7);
	for (i = 0; i < 3000; i++) {
		s = random() % NPG;
		n = 1 + random() % 8;
		if (s + n > NPG)
			n = NPG - s;
		if (random() % 3 != 0) {
			bool fits = true;

			for (k = s; k < s + n; k++)
				fits &= !used[k];
			assert_int_equal(insert(BASE + PG(s), BASE + PG(s + n),
			    NULL, 0, (vm_prot_t)(1 + random() % 2), 0),
			    fits ? 0 : -EEXIST);
			if (fits)
				for (k = s; k < s + n; k++)
					used[k] = true;
		} else {
			assert_int_equal(vm_map_remove(&map, BASE + PG(s),
			    BASE + PG(s + n)), 0);
			for (k = s; k < s + n; k++)
				used[k] = false;
		}
		if (i % 50 == 0) {
			check_map();
			for (k = 0; k < NPG; k++) {
				e = lookup(BASE + PG(k) + 5, &found);
				assert_int_equal(found, used[k]);
				if (found)
					assert_true(e->start <= BASE + PG(k) &&
					    e->end > BASE + PG(k));
			}
		}
	}
}

/* Top-down placement by walking every entry: what findspace must answer. */
static int
ref_findspace(vaddr_t lo, vaddr_t hi, vm_size_t len, vaddr_t *addr)
{
	vm_map_entry_t e;
	vaddr_t top = hi, bottom;

	TAILQ_FOREACH_REVERSE(e, &map.entries, vm_map_list, link) {
		if (e->start >= top)
			continue;
		bottom = MAX(e->end, lo);
		if (bottom < top && top - bottom >= len) {
			*addr = top - len;
			return (0);
		}
		top = e->start;
		if (top <= lo)
			return (-ENOMEM);
	}
	if (top > lo && top - lo >= len) {
		*addr = top - len;
		return (0);
	}
	return (-ENOMEM);
}

/*
 * The free-space cache never changes an answer: random mmap-like
 * placements (sizes 1..16 pages) and munmaps, whole or partial, each
 * placement checked against the walk of every entry.
 */
static void
test_findspace_cache(void **state)
{
	enum { NALLOC = 400 };
	static vaddr_t at[NALLOC], len[NALLOC];
	vaddr_t a, r;
	int i, k, n = 0, e1, e2;

	srandom(11);
	for (i = 0; i < 4000; i++) {
		if (n < NALLOC && (n == 0 || random() % 5 < 3)) {
			vm_size_t l = PG(1 + random() % 16);

			vm_map_lock(&map);
			e1 = vm_map_findspace(&map, map.min_offset,
			    map.mmap_base, l, &a);
			e2 = ref_findspace(map.min_offset, map.mmap_base, l,
			    &r);
			vm_map_unlock(&map);
			assert_int_equal(e1, e2);
			assert_int_equal(e1, 0);
			assert_int_equal(a, r);
			assert_int_equal(insert(a, a + l, NULL, 0,
			    (vm_prot_t)(1 + random() % 2), 0), 0);
			at[n] = a;
			len[n++] = l;
		} else {
			k = random() % n;
			/* Sometimes only the top or bottom page of it. */
			if (len[k] > PG(1) && random() % 4 == 0) {
				assert_int_equal(vm_map_remove(&map, at[k],
				    at[k] + PG(1)), 0);
				at[k] += PG(1);
				len[k] -= PG(1);
				continue;
			}
			assert_int_equal(vm_map_remove(&map, at[k],
			    at[k] + len[k]), 0);
			at[k] = at[--n];
			len[k] = len[n];
		}
		if (i % 100 == 0)
			check_map();
	}
	/* And once more after the last removals. */
	vm_map_lock(&map);
	e1 = vm_map_findspace(&map, map.min_offset, map.mmap_base, PG(3), &a);
	e2 = ref_findspace(map.min_offset, map.mmap_base, PG(3), &r);
	vm_map_unlock(&map);
	assert_int_equal(e1, 0);
	assert_int_equal(e2, 0);
	assert_int_equal(a, r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_range_arith),
		cmocka_unit_test_setup_teardown(test_insert_lookup, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_insert_errors, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_insert_coalesce, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_clip_and_simplify, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_no_merge_discontiguous_offsets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delete_splits, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_protect_split_merge, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_protect_errors, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_findspace, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_inherit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_madvise_flags, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_wire, setup, teardown),
		cmocka_unit_test_setup_teardown(test_random_model, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_findspace_cache, setup,
		    teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
