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

#endif /* !_KMEM_H_ */
