/*
 * vm_phys.c: host unit tests for the buddy core of mm/vm_phys.c.
 *
 * Each test builds a vm_phys_domain over a fake page array (malloc'ed
 * struct vm_page, frame numbers chosen so runs have to be aligned), adds
 * RAM ranges with holes between them and drives alloc/free.  After every
 * step check_domain() recounts the free lists and the PG_FREE flags from
 * scratch, so a buddy allocator that loses, duplicates or misaligns a run
 * fails here even if its own counters agree with themselves.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <kernel.h>
#include <spinlock.h>
#include <uapi/errno.h>
#include <vm_page.h>
#include <vm_phys.h>

/* The kernel services vm_phys.c links against, for the host. */
void
spin_lock(struct spinlock *sl)
{
	sl->sl_locked = 1;
}

void
spin_unlock(struct spinlock *sl)
{
	sl->sl_locked = 0;
}

int
printk(const char *fmt, ...)
{
	return (0);
}

void
panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fail_msg("panic called");
	abort();
}

#define PA(pfn) ((paddr_t)(pfn) << PAGE_SHIFT)

static struct vm_phys_domain dom;
static struct vm_page *pages;

static void
setup_domain(uint64_t first, uint64_t n)
{
	pages = calloc(n, sizeof(*pages));
	assert_non_null(pages);
	vm_phys_domain_init(&dom, pages, first, n);
}

static int
teardown(void **state)
{
	free(pages);
	pages = NULL;
	return (0);
}

/* Recount everything from the page array and the lists. */
static void
check_domain(struct vm_phys_domain *d)
{
	uint64_t listed = 0, flagged = 0;

	for (int k = 0; k < VM_NFREEORDER; k++) {
		struct vm_page *m;
		uint64_t runs = 0;

		TAILQ_FOREACH(m, &d->pd_free[k].fl_pages, plinks) {
			uint64_t pfn = m->phys_addr >> PAGE_SHIFT;

			assert_int_equal(m->order, k);
			assert_int_equal(pfn & ((1UL << k) - 1), 0);
			assert_true(m >= d->pd_pages);
			assert_true(m + (1UL << k) <= d->pd_pages + d->pd_npages);
			for (uint64_t i = 0; i < (1UL << k); i++) {
				assert_true(m[i].flags & PG_FREE);
				assert_false(m[i].flags & PG_HOLE);
			}
			listed += 1UL << k;
			runs++;
		}
		assert_int_equal(runs, d->pd_free[k].fl_count);
	}
	for (uint64_t i = 0; i < d->pd_npages; i++)
		if (d->pd_pages[i].flags & PG_FREE)
			flagged++;
	assert_int_equal(listed, d->pd_nfree);
	assert_int_equal(flagged, d->pd_nfree);
}

static uint64_t
pfn(vm_page_t m)
{
	return (m->phys_addr >> PAGE_SHIFT);
}

/* Adding ranges counts exactly their pages, all free, in aligned runs. */
static void
test_init_counts(void **state)
{
	setup_domain(0, 4096);
	vm_phys_domain_add(&dom, PA(1), PA(159));
	vm_phys_domain_add(&dom, PA(256), PA(4096));
	assert_int_equal(dom.pd_ntotal, 158 + 3840);
	assert_int_equal(dom.pd_nfree, 158 + 3840);
	check_domain(&dom);
	/* 1024..4095 is three order-10 runs; 256..1023 is 256+512. */
	assert_int_equal(dom.pd_free[10].fl_count, 3);
	assert_int_equal(dom.pd_free[9].fl_count, 1);
	assert_int_equal(dom.pd_free[8].fl_count, 1);
}

/* One order-0 page out of an order-10 run leaves one run of each order. */
static void
test_split_and_merge(void **state)
{
	vm_page_t m;

	setup_domain(1024, 1024);
	vm_phys_domain_add(&dom, PA(1024), PA(2048));
	assert_int_equal(dom.pd_free[10].fl_count, 1);
	m = vm_phys_domain_alloc(&dom, 0);
	assert_non_null(m);
	assert_int_equal(pfn(m), 1024);
	for (int k = 0; k < 10; k++)
		assert_int_equal(dom.pd_free[k].fl_count, 1);
	assert_int_equal(dom.pd_free[10].fl_count, 0);
	assert_int_equal(dom.pd_nfree, 1023);
	check_domain(&dom);
	assert_int_equal(vm_phys_domain_free(&dom, m, 0), 0);
	for (int k = 0; k < 10; k++)
		assert_int_equal(dom.pd_free[k].fl_count, 0);
	assert_int_equal(dom.pd_free[10].fl_count, 1);
	assert_int_equal(dom.pd_nfree, 1024);
	check_domain(&dom);
}

/* Runs of every order are 2^k pages starting on a 2^k frame boundary. */
static void
test_alignment_of_runs(void **state)
{
	vm_page_t m[VM_NFREEORDER];

	/* Start the array on an odd frame so alignment is not free. */
	setup_domain(3, 8192);
	vm_phys_domain_add(&dom, PA(3), PA(8195));
	for (int k = VM_NFREEORDER - 1; k >= 0; k--) {
		m[k] = vm_phys_domain_alloc(&dom, k);
		assert_non_null(m[k]);
		assert_int_equal(pfn(m[k]) % (1UL << k), 0);
		assert_int_equal(m[k]->order, k);
		for (uint64_t i = 0; i < (1UL << k); i++) {
			assert_int_equal(m[k][i].phys_addr,
			    m[k]->phys_addr + i * PAGE_SIZE);
			assert_false(m[k][i].flags & PG_FREE);
		}
		check_domain(&dom);
	}
	for (int k = 0; k < VM_NFREEORDER; k++)
		assert_int_equal(vm_phys_domain_free(&dom, m[k], k), 0);
	assert_int_equal(dom.pd_nfree, 8192);
	check_domain(&dom);
}

/* Allocate until NULL: exactly the managed pages, then nothing. */
static void
test_exhaustion(void **state)
{
	vm_page_t *got;
	uint64_t n = 0;

	setup_domain(0, 600);
	vm_phys_domain_add(&dom, PA(10), PA(300));
	vm_phys_domain_add(&dom, PA(400), PA(600));
	got = calloc(600, sizeof(*got));
	while ((got[n] = vm_phys_domain_alloc(&dom, 0)) != NULL)
		n++;
	assert_int_equal(n, 490);
	assert_int_equal(dom.pd_nfree, 0);
	for (int k = 0; k < VM_NFREEORDER; k++)
		assert_null(vm_phys_domain_alloc(&dom, k));
	check_domain(&dom);
	for (uint64_t i = 0; i < n; i++)
		assert_int_equal(vm_phys_domain_free(&dom, got[i], 0), 0);
	assert_int_equal(dom.pd_nfree, 490);
	check_domain(&dom);
	/* Everything merged back: the order-8 run 512..767 can't exist
	 * (range ends at 600) but 256..299 / 400..511 pieces must. */
	assert_non_null(vm_phys_domain_alloc(&dom, 6));	/* 448..511 */
	free(got);
}

/* Random alloc/free: counts exact, no two live runs overlap. */
static void
test_random_sequence(void **state)
{
	enum { N = 4096, LIVE = 300 };
	struct { vm_page_t m; int order; } live[LIVE];
	uint8_t *owner;
	uint64_t used = 0;

	srand(12345);
	setup_domain(0, N);
	vm_phys_domain_add(&dom, PA(1), PA(1000));
	vm_phys_domain_add(&dom, PA(1030), PA(N));
	owner = calloc(N, 1);
	memset(live, 0, sizeof(live));
	for (int step = 0; step < 20000; step++) {
		int s = rand() % LIVE;

		if (live[s].m == NULL) {
			int order = rand() % 6;
			vm_page_t m = vm_phys_domain_alloc(&dom, order);

			if (m == NULL)
				continue;
			for (uint64_t i = 0; i < (1UL << order); i++) {
				assert_int_equal(owner[pfn(m) + i], 0);
				owner[pfn(m) + i] = 1;
			}
			live[s].m = m;
			live[s].order = order;
			used += 1UL << order;
		} else {
			vm_page_t m = live[s].m;

			for (uint64_t i = 0; i < (1UL << live[s].order); i++)
				owner[pfn(m) + i] = 0;
			assert_int_equal(vm_phys_domain_free(&dom, m,
			    live[s].order), 0);
			used -= 1UL << live[s].order;
			live[s].m = NULL;
		}
		assert_int_equal(dom.pd_nfree, dom.pd_ntotal - used);
		if (step % 1000 == 0)
			check_domain(&dom);
	}
	for (int s = 0; s < LIVE; s++)
		if (live[s].m != NULL)
			assert_int_equal(vm_phys_domain_free(&dom, live[s].m,
			    live[s].order), 0);
	assert_int_equal(dom.pd_nfree, dom.pd_ntotal);
	assert_int_equal(dom.pd_ntotal, 999 + N - 1030);
	check_domain(&dom);
	free(owner);
}

/* Freeing a free page (head or inside a larger free run) is refused. */
static void
test_double_free(void **state)
{
	vm_page_t m, m2;

	setup_domain(0, 64);
	vm_phys_domain_add(&dom, PA(0), PA(64));
	m = vm_phys_domain_alloc(&dom, 2);
	assert_non_null(m);
	assert_int_equal(vm_phys_domain_free(&dom, m, 2), 0);
	assert_int_equal(vm_phys_domain_free(&dom, m, 2), -EALREADY);
	assert_int_equal(vm_phys_domain_free(&dom, m + 1, 0), -EALREADY);
	assert_int_equal(vm_phys_domain_free(&dom, &pages[37], 0), -EALREADY);
	/* A run that is half allocated, half free. */
	m = vm_phys_domain_alloc(&dom, 0);
	m2 = vm_phys_domain_alloc(&dom, 0);
	assert_int_equal(pfn(m2), pfn(m) + 1);
	assert_int_equal(vm_phys_domain_free(&dom, m2, 0), 0);
	assert_int_equal(vm_phys_domain_free(&dom, m, 1), -EALREADY);
	assert_int_equal(dom.pd_nfree, 63);
	check_domain(&dom);
}

/* Bad runs: misaligned, out of the array, bad order, a hole. */
static void
test_bad_free(void **state)
{
	struct vm_page outside;

	setup_domain(0, 64);
	vm_phys_domain_add(&dom, PA(0), PA(32));
	vm_phys_domain_add(&dom, PA(40), PA(64));
	for (int i = 0; i < 56; i++)
		assert_non_null(vm_phys_domain_alloc(&dom, 0));
	assert_int_equal(vm_phys_domain_free(&dom, &pages[3], 1), -EINVAL);
	assert_int_equal(vm_phys_domain_free(&dom, &pages[0], -1), -EINVAL);
	assert_int_equal(vm_phys_domain_free(&dom, &pages[0],
	    VM_NFREEORDER), -EINVAL);
	assert_int_equal(vm_phys_domain_free(&dom, &pages[33], 0), -EINVAL);
	/* 32..39 is a hole inside the order-3 and order-5 runs. */
	assert_int_equal(vm_phys_domain_free(&dom, &pages[32], 3), -EINVAL);
	assert_int_equal(vm_phys_domain_free(&dom, &pages[0], 6), -EINVAL);
	assert_int_equal(vm_phys_domain_free(&dom, &outside, 0), -EINVAL);
	assert_int_equal(vm_phys_domain_free(&dom, &pages[60], 3), -EINVAL);
	assert_int_equal(dom.pd_nfree, 0);
	check_domain(&dom);
}

/* Holes are never handed out and are not pages at all. */
static void
test_holes_never_allocated(void **state)
{
	vm_page_t m;
	uint64_t n = 0;

	setup_domain(16, 2048);
	vm_phys_domain_add(&dom, PA(17), PA(100));
	vm_phys_domain_add(&dom, PA(101), PA(513));
	vm_phys_domain_add(&dom, PA(1500), PA(2064));
	assert_null(vm_phys_domain_page(&dom, PA(16)));
	assert_null(vm_phys_domain_page(&dom, PA(100)));
	assert_null(vm_phys_domain_page(&dom, PA(1000)));
	assert_null(vm_phys_domain_page(&dom, PA(2064)));
	assert_null(vm_phys_domain_page(&dom, PA(3)));
	assert_ptr_equal(vm_phys_domain_page(&dom, PA(17) + 5), &pages[1]);
	for (int k = VM_NFREEORDER - 1; k >= 0; k--) {
		while ((m = vm_phys_domain_alloc(&dom, k)) != NULL) {
			for (uint64_t i = 0; i < (1UL << k); i++) {
				uint64_t p = pfn(m) + i;

				assert_false(m[i].flags & PG_HOLE);
				assert_true((p >= 17 && p < 100) ||
				    (p >= 101 && p < 513) ||
				    (p >= 1500 && p < 2064));
			}
			n += 1UL << k;
		}
	}
	assert_int_equal(n, 83 + 412 + 564);
	check_domain(&dom);
}

/* Two ranges added one after the other merge into one run. */
static void
test_merge_across_ranges(void **state)
{
	setup_domain(0, 1024);
	vm_phys_domain_add(&dom, PA(512), PA(768));
	vm_phys_domain_add(&dom, PA(768), PA(1024));
	assert_int_equal(dom.pd_free[9].fl_count, 1);
	assert_int_equal(dom.pd_free[8].fl_count, 0);
	check_domain(&dom);
	assert_null(vm_phys_domain_alloc(&dom, 10));
	assert_null(vm_phys_domain_alloc(&dom, -1));
	assert_null(vm_phys_domain_alloc(&dom, VM_NFREEORDER));
	assert_int_equal(pfn(vm_phys_domain_alloc(&dom, 9)), 512);
}

/* Freeing all order-0 pages of an order-k run restores the order-k run. */
static void
test_free_merges_to_order(void **state)
{
	vm_page_t run, m[16];

	setup_domain(0, 16);
	vm_phys_domain_add(&dom, PA(0), PA(16));
	for (int i = 0; i < 16; i++)
		m[i] = vm_phys_domain_alloc(&dom, 0);
	assert_null(vm_phys_domain_alloc(&dom, 0));
	/* Free in a scrambled order. */
	for (int i = 0; i < 16; i++)
		assert_int_equal(vm_phys_domain_free(&dom, m[(i * 7) % 16], 0),
		    0);
	assert_int_equal(dom.pd_free[4].fl_count, 1);
	run = vm_phys_domain_alloc(&dom, 4);
	assert_ptr_equal(run, &pages[0]);
	check_domain(&dom);
}

/* vm_phys_steal takes from the top of the highest range that fits. */
static void
test_steal(void **state)
{
	struct bootinfo bi;

	memset(&bi, 0, sizeof(bi));
	bi.nmem = 3;
	bi.mem[0].start = 0x1000;
	bi.mem[0].end = 0x9f000;
	bi.mem[1].start = 0x100000;
	bi.mem[1].end = 0x800000;
	bi.mem[2].start = 0x100000000UL;
	bi.mem[2].end = 0x100004000UL;
	assert_int_equal(vm_phys_steal(&bi, 0x5000, ~0UL), 0x7fb000);
	assert_int_equal(bi.mem[1].end, 0x7fb000);
	assert_int_equal(vm_phys_steal(&bi, 100, ~0UL), 0x100003000UL);
	assert_int_equal(bi.mem[2].end, 0x100003000UL);
	assert_int_equal(vm_phys_steal(&bi, 0x1000, 0x100000000UL),
	    0x7fa000);
	assert_int_equal(vm_phys_steal(&bi, 0x10000000, ~0UL), 0);
	assert_int_equal(bi.nmem, 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_init_counts, teardown),
		cmocka_unit_test_teardown(test_split_and_merge, teardown),
		cmocka_unit_test_teardown(test_alignment_of_runs, teardown),
		cmocka_unit_test_teardown(test_exhaustion, teardown),
		cmocka_unit_test_teardown(test_random_sequence, teardown),
		cmocka_unit_test_teardown(test_double_free, teardown),
		cmocka_unit_test_teardown(test_bad_free, teardown),
		cmocka_unit_test_teardown(test_holes_never_allocated,
		    teardown),
		cmocka_unit_test_teardown(test_merge_across_ranges, teardown),
		cmocka_unit_test_teardown(test_free_merges_to_order, teardown),
		cmocka_unit_test(test_steal),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
