/*
 * kmem.c: host unit tests for the slab core of the kernel heap
 * (mm/kmem_slab.c): size classes, slab geometry, redzone, header canary,
 * double free and use-after-free poisoning.
 *
 * Slabs are page-aligned host allocations of the same size the kernel
 * uses, so every offset computed here is the kernel's.  Corruption tests
 * write exactly one byte in the wrong place and expect the exact verdict.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <kmem.h>

static struct kmem_slab *
new_slab(int c, bool poison)
{
	size_t bytes = (size_t)4096 << kmem_class_order(c);
	struct kmem_slab *s = aligned_alloc(4096, bytes);

	assert_non_null(s);
	memset(s, 0x77, bytes);
	kmem_slab_init(s, c, poison);
	return (s);
}

static void *
alloc(struct kmem_slab *s, size_t size, bool poison)
{
	void *bad;
	int err;
	void *p = kmem_slab_alloc(s, size, 0x1234, poison, &err, &bad);

	assert_int_equal(err, KMEM_OK);
	return (p);
}

static void
test_size_classes(void **state)
{
	assert_int_equal(kmem_size_class(0), 0);
	assert_int_equal(kmem_size_class(1), 0);
	assert_int_equal(kmem_size_class(16), 0);
	assert_int_equal(kmem_size_class(17), 1);
	assert_int_equal(kmem_size_class(32), 1);
	assert_int_equal(kmem_size_class(33), 2);
	assert_int_equal(kmem_size_class(100), 3);
	assert_int_equal(kmem_size_class(1024), 6);
	assert_int_equal(kmem_size_class(1025), 7);
	assert_int_equal(kmem_size_class(2048), 7);
	assert_int_equal(kmem_size_class(2049), -1);
	assert_int_equal(kmem_size_class((size_t)-1), -1);
	for (int c = 0; c < KMEM_NCLASS; c++)
		assert_int_equal(kmem_class_size(c), 16u << c);
}

/* Every slot, its header and the end guard fit; objects are aligned. */
static void
test_geometry(void **state)
{
	for (int c = 0; c < KMEM_NCLASS; c++) {
		size_t bytes = (size_t)4096 << kmem_class_order(c);
		size_t stride = 16 + kmem_class_size(c);
		unsigned n = kmem_slab_nobj(c);

		assert_true(n >= 14);
		assert_true(KMEM_SLABHDR + n * stride + KMEM_GUARDSIZE <= bytes);
		/* And not wasteful: one more slot would not fit. */
		assert_true(KMEM_SLABHDR + (n + 1) * stride + KMEM_GUARDSIZE >
		    bytes);
	}
}

/* Allocate a whole slab: distinct, aligned, non-overlapping, then NULL. */
static void
test_fill_slab(void **state)
{
	for (int c = 0; c < KMEM_NCLASS; c++) {
		struct kmem_slab *s = new_slab(c, false);
		size_t csize = kmem_class_size(c);
		unsigned n = kmem_slab_nobj(c);
		char **p = calloc(n, sizeof(*p));
		void *bad;
		int err;

		for (unsigned i = 0; i < n; i++) {
			p[i] = alloc(s, csize, false);
			assert_non_null(p[i]);
			assert_int_equal((uintptr_t)p[i] % 16, 0);
			assert_true(p[i] >= (char *)s + KMEM_SLABHDR + 16);
			assert_true(p[i] + csize <= (char *)s +
			    ((size_t)4096 << kmem_class_order(c)) -
			    KMEM_GUARDSIZE);
			memset(p[i], i & 0xff, csize);
		}
		assert_int_equal(s->ks_nfree, 0);
		assert_null(kmem_slab_alloc(s, 1, 0, false, &err, &bad));
		assert_int_equal(err, KMEM_OK);
		for (unsigned i = 0; i < n; i++) {
			for (size_t b = 0; b < csize; b++)
				assert_int_equal((uint8_t)p[i][b], i & 0xff);
			assert_int_equal(kmem_slab_check(s, p[i]), KMEM_OK);
		}
		for (unsigned i = 0; i < n; i++)
			assert_int_equal(kmem_slab_free(s, p[i], 0, false),
			    KMEM_OK);
		assert_int_equal(s->ks_nfree, n);
		free(p);
		free(s);
	}
}

/* Writing exactly `size` bytes is fine; one more is an overflow. */
static void
test_one_byte_overflow(void **state)
{
	for (int c = 0; c < KMEM_NCLASS; c++) {
		size_t csize = kmem_class_size(c);
		size_t sizes[] = { 0, 1, csize / 2 + 3, csize - 1 };

		for (size_t k = 0; k < 4; k++) {
			struct kmem_slab *s = new_slab(c, false);
			char *p = alloc(s, sizes[k], false);

			memset(p, 'x', sizes[k]);
			assert_int_equal(kmem_slab_check(s, p), KMEM_OK);
			p[sizes[k]] = 'x';
			assert_int_equal(kmem_slab_check(s, p), KMEM_EOVERFLOW);
			assert_int_equal(kmem_slab_free(s, p, 0, false),
			    KMEM_EOVERFLOW);
			free(s);
		}
	}
}

/* A full-size object overflows into the next header, or the end guard. */
static void
test_overflow_full_slot(void **state)
{
	for (int c = 0; c < KMEM_NCLASS; c++) {
		struct kmem_slab *s = new_slab(c, false);
		size_t csize = kmem_class_size(c);
		unsigned n = kmem_slab_nobj(c);
		char *first = NULL, *last = NULL;

		for (unsigned i = 0; i < n; i++) {
			char *p = alloc(s, csize, false);

			if (i == 0)
				first = p;
			last = p;
		}
		/* LIFO free list from slot 0 up: first is slot 0. */
		assert_ptr_equal(first, (char *)s + KMEM_SLABHDR + 16);
		first[csize] = 0;
		assert_int_equal(kmem_slab_check(s, first), KMEM_EOVERFLOW);
		last[csize] ^= 1;
		assert_int_equal(kmem_slab_check(s, last), KMEM_EOVERFLOW);
		free(s);
	}
}

/* A write just before the object breaks its header canary. */
static void
test_underflow(void **state)
{
	struct kmem_slab *s = new_slab(3, false);
	char *p = alloc(s, 100, false);
	char *q = alloc(s, 100, false);

	assert_int_equal(kmem_slab_check(s, q), KMEM_OK);
	q[-1] ^= 0x40;
	assert_int_equal(kmem_slab_check(s, q), KMEM_EHDR);
	/* The size field alone changed is caught too. */
	((struct kmem_hdr *)p - 1)->kh_size = 50;
	assert_int_equal(kmem_slab_check(s, p), KMEM_EHDR);
	free(s);
}

static void
test_double_free(void **state)
{
	struct kmem_slab *s = new_slab(0, false);
	void *p = alloc(s, 8, false);

	assert_int_equal(kmem_slab_free(s, p, 0, false), KMEM_OK);
	assert_int_equal(kmem_slab_check(s, p), KMEM_EFREED);
	assert_int_equal(kmem_slab_free(s, p, 0, false), KMEM_EFREED);
	assert_int_equal(s->ks_nfree, s->ks_nobj);
	/* Reallocated: the same slot comes back (LIFO), live again. */
	assert_ptr_equal(alloc(s, 8, false), p);
	assert_int_equal(kmem_slab_check(s, p), KMEM_OK);
	free(s);
}

/* Pointers that are not object starts are refused, not trusted. */
static void
test_not_object(void **state)
{
	struct kmem_slab *s = new_slab(2, false);
	char *p = alloc(s, 64, false);

	assert_int_equal(kmem_slab_check(s, p + 1), KMEM_ENOTOBJ);
	assert_int_equal(kmem_slab_check(s, p + 16), KMEM_ENOTOBJ);
	assert_int_equal(kmem_slab_check(s, p - 16), KMEM_ENOTOBJ);
	assert_int_equal(kmem_slab_check(s, s), KMEM_ENOTOBJ);
	assert_int_equal(kmem_slab_check(s, (char *)s + 4096),
	    KMEM_ENOTOBJ);
	assert_int_equal(kmem_slab_free(s, p + 8, 0, false), KMEM_ENOTOBJ);
	s->ks_magic = 0;
	assert_int_equal(kmem_slab_check(s, p), KMEM_ENOTOBJ);
	free(s);
}

/* Poisoned free objects: a write after free is found at reallocation. */
static void
test_poison(void **state)
{
	struct kmem_slab *s = new_slab(4, true);
	uint32_t *p = alloc(s, 200, true);
	void *bad;
	int err;

	assert_int_equal(kmem_slab_free(s, p, 0, true), KMEM_OK);
	for (int i = 0; i < 256 / 4; i++)
		assert_int_equal(p[i], 0xdeadbeefu);
	/* Untouched: handed out again. */
	assert_ptr_equal(alloc(s, 200, true), p);
	assert_int_equal(kmem_slab_free(s, p, 0, true), KMEM_OK);
	p[10] = 0;	/* use after free */
	assert_null(kmem_slab_alloc(s, 200, 0, true, &err, &bad));
	assert_int_equal(err, KMEM_EPOISON);
	assert_ptr_equal(bad, p);
	free(s);
}

/* A corrupt free-list header stops allocation with an error. */
static void
test_corrupt_free_slot(void **state)
{
	struct kmem_slab *s = new_slab(1, false);
	void *bad;
	int err;
	char *p = alloc(s, 32, false);

	assert_int_equal(kmem_slab_free(s, p, 0, false), KMEM_OK);
	((struct kmem_hdr *)p - 1)->kh_size = 7;	/* next-free link */
	assert_null(kmem_slab_alloc(s, 32, 0, false, &err, &bad));
	assert_int_equal(err, KMEM_EHDR);
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_size_classes),
		cmocka_unit_test(test_geometry),
		cmocka_unit_test(test_fill_slab),
		cmocka_unit_test(test_one_byte_overflow),
		cmocka_unit_test(test_overflow_full_slot),
		cmocka_unit_test(test_underflow),
		cmocka_unit_test(test_double_free),
		cmocka_unit_test(test_not_object),
		cmocka_unit_test(test_poison),
		cmocka_unit_test(test_corrupt_free_slot),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
