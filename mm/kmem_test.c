/*
 * kmem_test.c: in-kernel tests of kmalloc/kfree.
 *
 * Every size class gets objects that must be distinct, 16-byte aligned and
 * hold their own pattern; kmem_inuse/kmem_inuse_bytes must move by exactly
 * what was allocated and come back; kmem_check must call a one-byte
 * overflow or underflow corrupt (the tests repair the byte before kfree,
 * which would otherwise panic as it should).
 */
#include <kmem.h>
#include <ktest.h>
#include <libkern.h>
#include <uapi/errno.h>
#include <vm_page.h>
#include <vm_param.h>
#include <vm_phys.h>

#define NOBJ	40

/* Every class: distinct, aligned, non-overlapping, counted, returned. */
KTEST(kmem_every_size_class)
{
	static uint8_t *p[NOBJ];
	uint64_t n0 = kmem_inuse(), b0 = kmem_inuse_bytes();

	for (size_t size = 16; size <= 2048; size *= 2) {
		size_t sizes[3] = { size / 2 + 1, size - 3, size };

		for (int s = 0; s < 3; s++) {
			size_t sz = sizes[s];

			for (int i = 0; i < NOBJ; i++) {
				p[i] = kmalloc(sz, M_WAITOK);
				KT_ASSERT(p[i] != NULL);
				KT_EQ((uintptr_t)p[i] % 16, 0);
				memset(p[i], i + 1, sz);
			}
			KT_EQ(kmem_inuse(), n0 + NOBJ);
			KT_EQ(kmem_inuse_bytes(), b0 + NOBJ * sz);
			for (int i = 0; i < NOBJ; i++) {
				for (size_t b = 0; b < sz; b++)
					KT_EQ(p[i][b], (uint8_t)(i + 1));
				KT_EQ(kmem_check(p[i]), 0);
			}
			for (int i = 0; i < NOBJ; i++)
				kfree(p[i]);
			KT_EQ(kmem_inuse(), n0);
			KT_EQ(kmem_inuse_bytes(), b0);
		}
	}
}

/* One byte past the requested size, for a partial and a full slot. */
KTEST(kmem_check_one_byte_overflow)
{
	size_t sizes[] = { 40, 64, 1, 2048 };

	for (int i = 0; i < (int)nitems(sizes); i++) {
		uint8_t *p = kmalloc(sizes[i], M_WAITOK), saved;

		KT_ASSERT(p != NULL);
		memset(p, 0x3c, sizes[i]);
		KT_EQ(kmem_check(p), 0);
		saved = p[sizes[i]];
		p[sizes[i]] = 0x3c;
		KT_EQ(kmem_check(p), -EINVAL);
		p[sizes[i]] = saved;
		KT_EQ(kmem_check(p), 0);
		kfree(p);
	}
}

/* A write just before the object smashes its header. */
KTEST(kmem_check_underflow)
{
	uint8_t *p = kmalloc(100, M_WAITOK);

	KT_ASSERT(p != NULL);
	p[-1] ^= 0x10;
	KT_EQ(kmem_check(p), -EINVAL);
	p[-1] ^= 0x10;
	KT_EQ(kmem_check(p), 0);
	kfree(p);
}

/* Anything but the start of a live object is refused. */
KTEST(kmem_check_bad_pointers)
{
	uint8_t *p = kmalloc(200, M_WAITOK), *q;
	vm_page_t m;
	int local;

	KT_ASSERT(p != NULL);
	KT_EQ(kmem_check(NULL), -EINVAL);
	KT_EQ(kmem_check(&local), -EINVAL);		/* stack */
	KT_EQ(kmem_check((void *)kmem_check), -EINVAL);	/* text */
	KT_EQ(kmem_check(p + 1), -EINVAL);
	KT_EQ(kmem_check(p + 16), -EINVAL);
	m = vm_page_alloc(0);
	KT_ASSERT(m != NULL);
	KT_EQ(kmem_check(PHYS_TO_DMAP(VM_PAGE_TO_PHYS(m))), -EINVAL);
	vm_page_free(m);
	q = kmalloc(200, M_WAITOK);
	kfree(q);
	KT_EQ(kmem_check(q), -EINVAL);			/* freed */
	kfree(p);
}

/* 64 KiB: a page run, aligned, whole, counted, given back. */
KTEST(kmem_large)
{
	uint64_t free0 = vm_phys_free_count(), n0 = kmem_inuse();
	uint64_t b0 = kmem_inuse_bytes();
	uint32_t *p = kmalloc(65536, M_WAITOK | M_ZERO), *q;

	KT_ASSERT(p != NULL);
	KT_EQ((uintptr_t)p % PAGE_SIZE, 0);
	KT_EQ(vm_phys_free_count(), free0 - 16);
	KT_EQ(kmem_inuse(), n0 + 1);
	KT_EQ(kmem_inuse_bytes(), b0 + 65536);
	for (int i = 0; i < 65536 / 4; i++)
		KT_EQ(p[i], 0);
	for (int i = 0; i < 65536 / 4; i++)
		p[i] = i * 2654435761u;
	q = kmalloc(3000, M_WAITOK);	/* just above the small classes */
	KT_ASSERT(q != NULL);
	KT_EQ(vm_phys_free_count(), free0 - 17);
	KT_EQ(kmem_check(q), 0);
	KT_EQ(kmem_check(p), 0);
	KT_EQ(kmem_check(p + 1), -EINVAL);
	for (int i = 0; i < 65536 / 4; i++)
		KT_EQ(p[i], i * 2654435761u);
	kfree(q);
	kfree(p);
	KT_EQ(vm_phys_free_count(), free0);
	KT_EQ(kmem_inuse(), n0);
	KT_EQ(kmem_inuse_bytes(), b0);
	/* More than the largest run never succeeds, even M_WAITOK. */
	KT_ASSERT(kmalloc(8UL << 20, M_NOWAIT) == NULL);
	KT_ASSERT(kmalloc(8UL << 20, M_WAITOK) == NULL);
}

/* kcalloc zeroes and refuses products that overflow. */
KTEST(kmem_kcalloc_zero)
{
	uint8_t *p = kmalloc(500, M_WAITOK);
	uint8_t *q;

	KT_ASSERT(p != NULL);
	memset(p, 0xee, 500);
	kfree(p);
	q = kcalloc(5, 100, M_WAITOK);	/* likely the same slot */
	KT_ASSERT(q != NULL);
	for (int i = 0; i < 500; i++)
		KT_EQ(q[i], 0);
	kfree(q);
	KT_ASSERT(kcalloc(SIZE_MAX / 2, 4, M_NOWAIT) == NULL);
	KT_ASSERT(kcalloc((size_t)1 << 33, (size_t)1 << 33, M_WAITOK) ==
	    NULL);
}

/* Many slabs filled and emptied give their pages back. */
KTEST(kmem_slabs_return_pages)
{
	static void *p[600];
	uint64_t free1;

	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < (int)nitems(p); i++) {
			p[i] = kmalloc(512, M_WAITOK);
			KT_ASSERT(p[i] != NULL);
		}
		for (int i = 0; i < (int)nitems(p); i++)
			kfree(p[i]);
		if (round == 0)
			free1 = vm_phys_free_count();
	}
	KT_EQ(vm_phys_free_count(), free1);
}

/* DEBUG builds fill a freed object with 0xdeadbeef (checked when reused). */
KTEST(kmem_debug_poison)
{
	uint32_t *keep = kmalloc(64, M_WAITOK), *p = kmalloc(64, M_WAITOK);
	bool poisoned = true;

	KT_ASSERT(keep != NULL && p != NULL);
	memset(p, 0, 64);
	kfree(p);	/* `keep` holds the slab in place */
	for (int i = 0; i < 64 / 4; i++)
		if (p[i] != 0xdeadbeefu)
			poisoned = false;
#ifdef DEBUG
	KT_ASSERT(poisoned);
#else
	KT_ASSERT(!poisoned);
#endif
	p = kmalloc(64, M_WAITOK);	/* the poison is intact: no panic */
	KT_ASSERT(p != NULL);
	kfree(p);
	kfree(keep);
}

/* Random kmalloc/kfree of mixed sizes: contents kept, counters exact. */
KTEST(kmem_random_mix)
{
	static uint8_t *p[256];
	static size_t sz[256];
	uint64_t n0 = kmem_inuse(), b0 = kmem_inuse_bytes(), live = 0;
	uint64_t bytes = 0;
	uint32_t x = 2463534242u;

	for (int step = 0; step < 20000; step++) {
		int i;

		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		i = x % 256;
		if (p[i] != NULL) {
			for (size_t b = 0; b < sz[i]; b++)
				KT_EQ(p[i][b], (uint8_t)(i ^ b));
			KT_EQ(kmem_check(p[i]), 0);
			kfree(p[i]);
			p[i] = NULL;
			live--;
			bytes -= sz[i];
		} else {
			sz[i] = (x >> 8) % ((x & 0x80000000u) ? 9000 : 2100);
			p[i] = kmalloc(sz[i], M_WAITOK);
			KT_ASSERT(p[i] != NULL);
			for (size_t b = 0; b < sz[i]; b++)
				p[i][b] = (uint8_t)(i ^ b);
			live++;
			bytes += sz[i];
		}
		KT_EQ(kmem_inuse(), n0 + live);
		KT_EQ(kmem_inuse_bytes(), b0 + bytes);
	}
	for (int i = 0; i < 256; i++) {
		kfree(p[i]);
		p[i] = NULL;
	}
	KT_EQ(kmem_inuse(), n0);
	KT_EQ(kmem_inuse_bytes(), b0);
}
