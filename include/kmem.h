/*
 * kmem.h: the kernel heap, kmalloc/kfree with size classes.
 *
 * Small requests come from per-size-class slabs of whole pages; large ones
 * from contiguous page runs of the physical allocator.  Each object carries
 * a redzone checked at free (overflow and double free are panics that name
 * the object); DEBUG builds poison freed memory.  kmem_inuse() counts live
 * objects so tests can check that a run frees everything it allocated.
 */
#ifndef _KMEM_H_
#define _KMEM_H_

#include <sys/queue.h>
#include <types.h>

#define M_WAITOK	0x0000	/* may sleep (today: may not fail silently) */
#define M_NOWAIT	0x0001	/* return NULL rather than wait */
#define M_ZERO		0x0100	/* zero the memory */

void kmem_init(void);
void *kmalloc(size_t size, int flags);
void kfree(void *p);
void *kcalloc(size_t n, size_t size, int flags);	/* checks overflow */
/* Live objects and bytes handed out (for leak checks in tests). */
uint64_t kmem_inuse(void);
uint64_t kmem_inuse_bytes(void);
/*
 * Live objects of size class c (0 .. KMEM_NCLASS - 1, kmem_class_size(c)
 * bytes) or, for c == KMEM_NCLASS, large objects: /dev/kstat's per-class
 * counters (kmem_class_16 ... kmem_class_2048, kmem_large).
 */
uint64_t kmem_class_inuse(int c);
/*
 * Pages the heap holds in slabs (it keeps an empty slab per class, so a
 * page-count leak check adds this to vm_phys_free_count()).
 */
uint64_t kmem_slab_pages(void);
/* The same plus the pages of large objects: all the heap holds. */
uint64_t kmem_pages(void);
/* 0 if p is a live, intact kmalloc object; -EINVAL if not (no panic). */
int kmem_check(void *p);
void kmem_dump(void);	/* live objects by caller, on the console */

/*
 * The slab core (mm/kmem_slab.c), pure code shared with the host tests.
 * Size classes serve requests up to 16 << c bytes (c = 0 .. 7: 16 .. 2048).
 * A slab is a run of 2^kmem_class_order(c) pages: a struct kmem_slab, then
 * slots of (16-byte header + class bytes), then a 16-byte end guard.  The
 * header holds a state tag, the requested size, the caller and a canary;
 * the bytes from the requested size to the end of the slot are a redzone.
 */
#define KMEM_NCLASS	8
#define KMEM_MAXSMALL	2048
#define KMEM_HDRSIZE	16
#define KMEM_SLABHDR	32
#define KMEM_GUARDSIZE	16

struct kmem_hdr {
	uint32_t kh_tag;	/* KMEM_TAG_ALLOC or KMEM_TAG_FREE */
	uint32_t kh_size;	/* requested bytes; next free slot if free */
	uint32_t kh_caller;	/* low 32 bits of the allocating/freeing pc */
	uint32_t kh_canary;	/* checksum of the above and the address */
};

struct kmem_slab {
	LIST_ENTRY(kmem_slab) ks_link;	/* kmem_lock: class list */
	uint32_t ks_magic;
	uint16_t ks_class;
	uint16_t ks_nobj;
	uint16_t ks_nfree;
	uint16_t ks_order;
	uint32_t ks_freehead;		/* first free slot, or KMEM_NOSLOT */
};

#define KMEM_NOSLOT	0xffffffffu

/* What a check found (kmem_strerror names it). */
#define KMEM_OK		0
#define KMEM_ENOTOBJ	1	/* pointer is not the start of an object */
#define KMEM_EHDR	2	/* header smashed: underflow or wild write */
#define KMEM_EFREED	3	/* object is free: double free */
#define KMEM_EOVERFLOW	4	/* redzone after the object written */
#define KMEM_EPOISON	5	/* free object modified: use after free */

int kmem_size_class(size_t size);	/* class, or -1 when too large */
size_t kmem_class_size(int c);
int kmem_class_order(int c);
unsigned kmem_slab_nobj(int c);
void kmem_slab_init(struct kmem_slab *s, int c, bool poison);
/* An object of `size` bytes; NULL when full, or with *err set and *bad
 * pointing at the damaged slot when the free slot is corrupt. */
void *kmem_slab_alloc(struct kmem_slab *s, size_t size, uint32_t caller,
    bool poison, int *err, void **bad);
int kmem_slab_check(struct kmem_slab *s, const void *p);
int kmem_slab_free(struct kmem_slab *s, void *p, uint32_t caller,
    bool poison);
struct kmem_hdr *kmem_slab_hdr(struct kmem_slab *s, const void *p);
const char *kmem_strerror(int err);

#endif /* !_KMEM_H_ */
