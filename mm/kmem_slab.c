/*
 * kmem_slab.c: the slab layout of the kernel heap and its redzone checks.
 *
 * A slab for size class c (objects up to 16 << c bytes) is a run of pages:
 *
 *   struct kmem_slab | hdr obj | hdr obj | ... | hdr obj | end guard
 *
 * Every slot is a 16-byte struct kmem_hdr followed by the class's bytes,
 * so objects are 16-byte aligned.  The header's canary is a checksum of
 * the header and its address: a write just before an object (underflow)
 * or running off the end of the previous one (overflow into this header)
 * breaks it.  The bytes between the requested size and the end of the
 * slot hold the redzone pattern, so an overflow of even one byte is seen,
 * either in the redzone or, when the object fills its slot, in the next
 * slot's header or the end guard.  Free slots form a list through their
 * headers (kh_size holds the next free slot), which leaves a free body
 * untouched for use-after-free poisoning.  Pure code: no locks, no pages;
 * mm/kmem.c supplies both, tests/host/kmem.c drives it on malloc'ed slabs.
 */
#include <kmem.h>
#include <libkern.h>
#include <types.h>

#define KMEM_SLAB_MAGIC	0x51ab51abu
#define KMEM_TAG_ALLOC	0xa110ca7eu
#define KMEM_TAG_FREE	0xf4eef4eeu
#define KMEM_CANARY	0x6b6d656du
#define KMEM_REDZONE	0xa5		/* byte after each object */
#define KMEM_POISON	0xdeadbeefu	/* freed bodies (DEBUG) */

_Static_assert(sizeof(struct kmem_slab) <= KMEM_SLABHDR, "slab header");
_Static_assert(sizeof(struct kmem_hdr) == KMEM_HDRSIZE, "object header");

int
kmem_size_class(size_t size)
{
	int c = 0;

	if (size > KMEM_MAXSMALL)
		return (-1);
	while (kmem_class_size(c) < size)
		c++;
	return (c);
}

size_t
kmem_class_size(int c)
{
	return ((size_t)16 << c);
}

/* Slabs of at least 14 objects: one page up to 256 bytes, then more. */
int
kmem_class_order(int c)
{
	return (c <= 4 ? 0 : c - 4);
}

static size_t
slab_bytes(int c)
{
	return (PAGE_SIZE << kmem_class_order(c));
}

static size_t
slot_bytes(int c)
{
	return (KMEM_HDRSIZE + kmem_class_size(c));
}

unsigned
kmem_slab_nobj(int c)
{
	return ((slab_bytes(c) - KMEM_SLABHDR - KMEM_GUARDSIZE) /
	    slot_bytes(c));
}

static inline struct kmem_hdr *
slot_hdr(struct kmem_slab *s, unsigned i)
{
	return ((struct kmem_hdr *)((char *)s + KMEM_SLABHDR +
	    (size_t)i * slot_bytes(s->ks_class)));
}

static inline uint8_t *
end_guard(struct kmem_slab *s)
{
	return ((uint8_t *)slot_hdr(s, s->ks_nobj));
}

static uint32_t
hdr_sum(const struct kmem_hdr *h)
{
	return (KMEM_CANARY ^ (uint32_t)(uintptr_t)h ^ h->kh_tag ^
	    (h->kh_size * 0x9e3779b1u) ^ h->kh_caller);
}

static void
hdr_set(struct kmem_hdr *h, uint32_t tag, uint32_t size, uint32_t caller)
{
	h->kh_tag = tag;
	h->kh_size = size;
	h->kh_caller = caller;
	h->kh_canary = hdr_sum(h);
}

static bool
hdr_ok(const struct kmem_hdr *h)
{
	return ((h->kh_tag == KMEM_TAG_ALLOC || h->kh_tag == KMEM_TAG_FREE) &&
	    h->kh_canary == hdr_sum(h));
}

static void
poison_fill(void *p, size_t n)
{
	uint32_t *w = p;

	for (size_t i = 0; i < n / 4; i++)
		w[i] = KMEM_POISON;
}

static bool
poison_ok(const void *p, size_t n)
{
	const uint32_t *w = p;

	for (size_t i = 0; i < n / 4; i++)
		if (w[i] != KMEM_POISON)
			return (false);
	return (true);
}

static bool
bytes_are(const uint8_t *p, size_t n, uint8_t v)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return (false);
	return (true);
}

void
kmem_slab_init(struct kmem_slab *s, int c, bool poison)
{
	size_t csize = kmem_class_size(c);

	memset(s, 0, KMEM_SLABHDR);
	s->ks_magic = KMEM_SLAB_MAGIC;
	s->ks_class = c;
	s->ks_order = kmem_class_order(c);
	s->ks_nobj = kmem_slab_nobj(c);
	s->ks_nfree = s->ks_nobj;
	s->ks_freehead = 0;
	for (unsigned i = 0; i < s->ks_nobj; i++) {
		struct kmem_hdr *h = slot_hdr(s, i);

		hdr_set(h, KMEM_TAG_FREE,
		    i + 1 < s->ks_nobj ? i + 1 : KMEM_NOSLOT, 0);
		if (poison)
			poison_fill(h + 1, csize);
	}
	/* The end guard and the slack after it. */
	memset(end_guard(s), KMEM_REDZONE,
	    (char *)s + slab_bytes(c) - (char *)end_guard(s));
}

void *
kmem_slab_alloc(struct kmem_slab *s, size_t size, uint32_t caller,
    bool poison, int *err, void **bad)
{
	size_t csize = kmem_class_size(s->ks_class);
	struct kmem_hdr *h;
	unsigned i;

	*err = KMEM_OK;
	if (s->ks_freehead == KMEM_NOSLOT || size > csize)
		return (NULL);
	i = s->ks_freehead;
	h = slot_hdr(s, i);
	*bad = h + 1;
	if (i >= s->ks_nobj || !hdr_ok(h) || h->kh_tag != KMEM_TAG_FREE) {
		*err = KMEM_EHDR;
		return (NULL);
	}
	if (poison && !poison_ok(h + 1, csize)) {
		*err = KMEM_EPOISON;
		return (NULL);
	}
	s->ks_freehead = h->kh_size;
	s->ks_nfree--;
	hdr_set(h, KMEM_TAG_ALLOC, size, caller);
	memset((char *)(h + 1) + size, KMEM_REDZONE, csize - size);
	return (h + 1);
}

/* The header of the object at p, or NULL if p is not an object start. */
struct kmem_hdr *
kmem_slab_hdr(struct kmem_slab *s, const void *p)
{
	const char *first = (char *)s + KMEM_SLABHDR + KMEM_HDRSIZE;
	size_t off;

	if (s->ks_magic != KMEM_SLAB_MAGIC || (const char *)p < first)
		return (NULL);
	off = (const char *)p - first;
	if (off % slot_bytes(s->ks_class) != 0 ||
	    off / slot_bytes(s->ks_class) >= s->ks_nobj)
		return (NULL);
	return ((struct kmem_hdr *)p - 1);
}

int
kmem_slab_check(struct kmem_slab *s, const void *p)
{
	struct kmem_hdr *h = kmem_slab_hdr(s, p), *next;
	size_t csize;
	unsigned i;

	if (h == NULL)
		return (KMEM_ENOTOBJ);
	if (!hdr_ok(h))
		return (KMEM_EHDR);
	if (h->kh_tag == KMEM_TAG_FREE)
		return (KMEM_EFREED);
	csize = kmem_class_size(s->ks_class);
	if (h->kh_size > csize)
		return (KMEM_EHDR);
	if (!bytes_are((const uint8_t *)p + h->kh_size, csize - h->kh_size,
	    KMEM_REDZONE))
		return (KMEM_EOVERFLOW);
	i = ((char *)h - ((char *)s + KMEM_SLABHDR)) / slot_bytes(s->ks_class);
	if (i + 1 < s->ks_nobj) {
		next = slot_hdr(s, i + 1);
		if (!hdr_ok(next))
			return (KMEM_EOVERFLOW);
	} else if (!bytes_are(end_guard(s), KMEM_GUARDSIZE, KMEM_REDZONE))
		return (KMEM_EOVERFLOW);
	return (KMEM_OK);
}

int
kmem_slab_free(struct kmem_slab *s, void *p, uint32_t caller, bool poison)
{
	struct kmem_hdr *h;
	int err;

	if ((err = kmem_slab_check(s, p)) != KMEM_OK)
		return (err);
	h = (struct kmem_hdr *)p - 1;
	hdr_set(h, KMEM_TAG_FREE, s->ks_freehead, caller);
	s->ks_freehead = ((char *)h - (char *)slot_hdr(s, 0)) /
	    slot_bytes(s->ks_class);
	s->ks_nfree++;
	if (poison)
		poison_fill(p, kmem_class_size(s->ks_class));
	return (KMEM_OK);
}

const char *
kmem_strerror(int err)
{
	switch (err) {
	case KMEM_OK:
		return ("intact");
	case KMEM_ENOTOBJ:
		return ("not a live heap object (bad pointer, or freed run)");
	case KMEM_EHDR:
		return ("header smashed (underflow or wild write)");
	case KMEM_EFREED:
		return ("double free");
	case KMEM_EOVERFLOW:
		return ("overflow past the end of the object");
	case KMEM_EPOISON:
		return ("free object modified (use after free)");
	}
	return ("unknown heap error");
}
