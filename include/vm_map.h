/*
 * vm_map.h: address spaces (FreeBSD vm_map.h, vmspace).
 *
 * A vmspace is a process's address space: a vm_map of entries, each a range
 * [start, end) with protection, max protection, inheritance and a backing
 * vm_object, plus the pmap that holds the hardware translations.  The
 * entries live in a balanced tree ordered by address.  This header is the
 * contract used by exec, fork, the trap handler and the mmap family.
 */
#ifndef _VM_MAP_H_
#define _VM_MAP_H_

#include <pmap.h>
#include <spinlock.h>
#include <sys/queue.h>
#include <sys/tree.h>
#include <vm.h>
#include <vm_param.h>

/*
 * User address-space layout: nothing is mapped below VM_MIN_USER (Linux
 * mmap_min_addr), mappings end below VM_MAXUSER_ADDRESS.  mmap without a
 * fixed address searches top down from vm_mmap_base, which leaves
 * VM_STACK_GAP under the top for the stack (Linux mmap_base).
 */
#define VM_MIN_USER		0x0000000000010000UL
#define VM_STACK_GAP		(128UL << 20)
#define VM_MMAP_BASE		(VM_MAXUSER_ADDRESS - VM_STACK_GAP)
#define VM_STACK_MAXGROW	(8UL << 20)	/* one MAP_GROWSDOWN step */

typedef struct vm_map_entry *vm_map_entry_t;

/*
 * One mapped range [start, end).  object is NULL for anonymous memory not
 * yet touched (the first fault creates it); offset is the byte offset of
 * start within object.  All fields: the map lock.
 */
struct vm_map_entry {
	RB_ENTRY(vm_map_entry) rb;	/* map->root, ordered by start */
	TAILQ_ENTRY(vm_map_entry) link;	/* map->entries, address order */
	vaddr_t start;
	vaddr_t end;
	vm_object_t object;
	vm_offset_t offset;
	vm_prot_t protection;
	vm_prot_t max_protection;
	vm_inherit_t inheritance;
	uint8_t advice;			/* MADV_NORMAL/RANDOM/SEQUENTIAL */
	uint16_t eflags;		/* MAP_ENTRY_* */
	int wired_count;		/* mlock: pages kept resident */
};

#define MAP_ENTRY_COW		0x0001	/* private: writes copy (MAP_PRIVATE) */
#define MAP_ENTRY_NEEDS_COPY	0x0002	/* object shared: shadow on write */
#define MAP_ENTRY_GROWS_DOWN	0x0004	/* MAP_GROWSDOWN stack */
#define MAP_ENTRY_NOFORK	0x0008	/* MADV_DONTFORK: child lacks it */
#define MAP_ENTRY_WIPEONFORK	0x0010	/* MADV_WIPEONFORK: child gets zeros */
#define MAP_ENTRY_NORESERVE	0x0020	/* MAP_NORESERVE */
#define MAP_ENTRY_LOCKONFAULT	0x0040	/* mlock2(MLOCK_ONFAULT) */
#define MAP_ENTRY_FREEABLE	0x0080	/* MADV_FREE given (advisory) */

RB_HEAD(vm_map_tree, vm_map_entry);
TAILQ_HEAD(vm_map_list, vm_map_entry);

/*
 * An address space's list of mappings.  The lock is a spin lock today (one
 * CPU; nothing sleeps while holding it: pages and entries are allocated
 * with NOWAIT); never touch user memory while holding it.
 */
struct vm_map {
	struct spinlock lock;
	struct vm_map_tree root;	/* lock: lookup in O(log n) */
	struct vm_map_list entries;	/* lock: the same, in order */
	int nentries;			/* lock */
	vm_size_t size;			/* lock: bytes mapped */
	vm_map_entry_t hint;		/* lock: last entry found */
	vaddr_t min_offset;		/* fixed at creation */
	vaddr_t max_offset;
	vaddr_t mmap_base;		/* lock: top of the top-down search */
	/*
	 * lock: where the next search below mmap_base may start (0: from
	 * the top), and the size of the largest hole above it; see
	 * vm_map_findspace.
	 */
	vaddr_t free_cache;
	vm_size_t free_hole;
	int flags;			/* lock: MAP_WIREFUTURE... */
	pmap_t pmap;
	/* lock: deleted entries left for vm_map_unlock (write-back, object
	 * references: they may sleep), linked through their link field */
	vm_map_entry_t deferred;
};

#define MAP_WIREFUTURE		0x0001	/* mlockall(MCL_FUTURE) */
#define MAP_WIREFUTURE_ONFAULT	0x0002	/* ... with MCL_ONFAULT */

/* A process's address space: the map, its pmap and the program break. */
struct vmspace {
	struct vm_map vm_map;
	struct pmap vm_pmap;
	int vm_refcnt;			/* vm_map.lock */
	vaddr_t vm_daddr;		/* vm_map.lock: start of the heap */
	vaddr_t vm_brk;			/* vm_map.lock: the current break */
};

/*
 * Unlocking runs, after the lock is released, what vm_map_delete had to
 * leave for later: writing back the dirty pages of deleted shared file
 * mappings (the pager may sleep), dropping the deleted entries' object
 * references (a file's object then lets go of its vnode, which may sleep)
 * and the pager releases other deallocations under the lock left
 * (vm_object_run_deferred).  With another spin lock still held (fork
 * holds two maps) nothing may be pending on this map.
 */
#define vm_map_lock(map)	spin_lock(&(map)->lock)
#define vm_map_unlock(map)	vm_map_unlock_deferred(map)
void vm_map_unlock_deferred(vm_map_t map);
#define VM_MAP_ASSERT_LOCKED(map)					\
	KASSERT(spin_owned(&(map)->lock), "vm_map not locked")

/* Pure range arithmetic (no map): false on wrap-around or bad bounds. */
bool vm_round_len(vm_size_t len, vm_size_t *rounded);
bool vm_range_end(vaddr_t start, vm_size_t len, vaddr_t *end);
bool vm_range_in(vaddr_t start, vaddr_t end, vaddr_t lo, vaddr_t hi);

/*
 * The map operations (FreeBSD vm_map.c).  Those named _locked, and those
 * taking an entry, expect the map lock held; the others take it.  Errors
 * are negative errno: -ENOMEM (no space, no memory, or a hole in a range
 * that must be mapped), -EEXIST (range in use), -EINVAL, -EACCES.
 */
void vm_map_init(vm_map_t map, pmap_t pmap, vaddr_t min, vaddr_t max);
bool vm_map_lookup_entry(vm_map_t map, vaddr_t addr, vm_map_entry_t *entry);
int vm_map_insert(vm_map_t map, vm_object_t object, vm_offset_t offset,
    vaddr_t start, vaddr_t end, vm_prot_t prot, vm_prot_t maxprot,
    int eflags);
int vm_map_link_entry(vm_map_t map, vm_map_entry_t entry);
int vm_map_entry_move(vm_map_t map, vm_map_entry_t entry, vaddr_t newstart);
int vm_map_insert_like(vm_map_t map, vm_map_entry_t like, vm_object_t object,
    vm_offset_t offset, vaddr_t start, vaddr_t end);
int vm_map_findspace(vm_map_t map, vaddr_t lo, vaddr_t hi, vm_size_t len,
    vaddr_t *addr);
int vm_map_clip_start(vm_map_t map, vm_map_entry_t entry, vaddr_t addr);
int vm_map_clip_end(vm_map_t map, vm_map_entry_t entry, vaddr_t addr);
void vm_map_simplify_entry(vm_map_t map, vm_map_entry_t entry);
int vm_map_delete(vm_map_t map, vaddr_t start, vaddr_t end);	/* locked */
/* Locked helpers of the range operations. */
vm_map_entry_t vm_map_entry_at_or_after(vm_map_t map, vaddr_t addr);
int vm_map_clip_range(vm_map_t map, vaddr_t start, vaddr_t end,
    vm_map_entry_t *first);
void vm_map_simplify_range(vm_map_t map, vaddr_t start, vaddr_t end);
int vm_map_remove(vm_map_t map, vaddr_t start, vaddr_t end);
bool vm_map_range_free(vm_map_t map, vaddr_t start, vaddr_t end);
bool vm_map_range_mapped(vm_map_t map, vaddr_t start, vaddr_t end);
int vm_map_protect(vm_map_t map, vaddr_t start, vaddr_t end,
    vm_prot_t prot, bool set_max);
int vm_map_inherit(vm_map_t map, vaddr_t start, vaddr_t end,
    vm_inherit_t inh);
int vm_map_madvise(vm_map_t map, vaddr_t start, vaddr_t end, int behav);
#define VM_MAP_WIRE_ONFAULT	0x0001	/* mark wired, fault in later */
int vm_map_wire(vm_map_t map, vaddr_t start, vaddr_t end, int flags);
int vm_map_unwire(vm_map_t map, vaddr_t start, vaddr_t end);
vm_map_entry_t vm_map_first_entry(vm_map_t map);
vm_map_entry_t vm_map_next_entry(vm_map_t map, vm_map_entry_t entry);

/* A new, empty user address space; NULL when out of memory. */
struct vmspace *vmspace_alloc(void);
/* Copy an address space for fork, honouring each entry's inheritance. */
struct vmspace *vmspace_fork(struct vmspace *vm);
/* Drop a reference; the last one unmaps everything and frees it. */
void vmspace_free(struct vmspace *vm);
pmap_t vmspace_pmap(struct vmspace *vm);
vm_map_t vmspace_map(struct vmspace *vm);

/* The map of the running process, or NULL for a kernel-only thread. */
vm_map_t vm_curmap(void);

#define VMFS_FIXED	0x0001	/* exactly at *addr (replacing nothing) */
#define VMFS_SHARED	0x0002	/* shared, not copy-on-write after fork */
#define VMFS_GROWSDOWN	0x0004	/* a stack that grows down on faults */
#define VMFS_REPLACE	0x0008	/* with VMFS_FIXED: unmap what is there */
#define VMFS_HINT	0x0010	/* *addr only a hint: else search all */
#define VMFS_32BIT	0x0020	/* below 2 GiB (MAP_32BIT) */
/*
 * Map anonymous zero-fill memory: at *addr when VMFS_FIXED, else anywhere
 * at or above *addr; the chosen address is returned in *addr.  0, -ENOMEM
 * or -EINVAL.
 */
int vm_map_anon(vm_map_t map, vaddr_t *addr, vm_size_t len, vm_prot_t prot,
    vm_prot_t maxprot, int flags);

/*
 * Resolve a fault at va needing fault_type access: KERN_SUCCESS, or the
 * KERN_* reason it cannot be resolved (the caller signals or fails copyin).
 */
int vm_fault(vm_map_t map, vaddr_t va, vm_prot_t fault_type);

/* The program break, for brk(2) and exec (base is rounded up to a page). */
void vmspace_set_brk(struct vmspace *vm, vaddr_t base);

/*
 * Map object (a reference the map takes over) at *addr, with the same
 * placement rules as vm_map_anon; the mmap family and exec use it.
 */
int vm_map_object(vm_map_t map, vm_object_t object, vm_offset_t offset,
    vaddr_t *addr, vm_size_t len, vm_prot_t prot, vm_prot_t maxprot,
    int flags);
/* The vmspace a map belongs to (user maps only). */
struct vmspace *vm_map_to_vmspace(vm_map_t map);
/* Grow a MAP_GROWSDOWN entry down over va (map locked): 0 or -ENOMEM. */
int vm_map_growstack(vm_map_t map, vaddr_t va);

#endif /* !_VM_MAP_H_ */
