/*
 * types.h: the fixed-width and kernel-wide types every file may use.
 *
 * The kernel is freestanding: only the compiler's own headers (stdint,
 * stddef, stdbool, stdarg) are available, never a libc.  Host unit tests
 * include the same header and get the same definitions.
 */
#ifndef _TYPES_H_
#define _TYPES_H_

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t paddr_t;	/* physical address */
typedef uint64_t vaddr_t;	/* virtual address */
typedef uint64_t vm_size_t;
typedef uint64_t vm_offset_t;
typedef uint64_t vm_pindex_t;	/* page index within an object */
typedef int64_t ssize_t;
typedef int64_t off_t;
typedef int32_t pid_t;
typedef uint32_t uid_t;
typedef uint32_t gid_t;
typedef uint32_t mode_t;
typedef uint64_t dev_t;
typedef uint64_t ino_t;

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(PAGE_SIZE - 1)

#define roundup2(x, y)	 (((x) + ((y) - 1)) & ~((__typeof__(x))(y) - 1))
#define rounddown2(x, y) ((x) & ~((__typeof__(x))(y) - 1))
#define trunc_page(x)	 rounddown2((x), PAGE_SIZE)
#define round_page(x)	 roundup2((x), PAGE_SIZE)
#define howmany(x, y)	 (((x) + ((y) - 1)) / (y))
#define nitems(a)	 (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b)	 ((a) < (b) ? (a) : (b))
#define MAX(a, b)	 ((a) > (b) ? (a) : (b))

#define __packed	 __attribute__((packed))
#define __aligned(x)	 __attribute__((aligned(x)))
#define __unused	 __attribute__((unused))
#define __noreturn	 __attribute__((noreturn))
#define __printflike(f, a) __attribute__((format(printf, f, a)))
#define __predict_true(x)  __builtin_expect(!!(x), 1)
#define __predict_false(x) __builtin_expect(!!(x), 0)

#define container_of(p, type, member) \
	((type *)((char *)(p) - offsetof(type, member)))

#endif /* !_TYPES_H_ */
