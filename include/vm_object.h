/*
 * vm_object.h: the things that can be mapped (FreeBSD vm_object.h).
 *
 * A vm_object is a sparse array of pages indexed by pindex, filled on
 * demand by its pager.  Anonymous objects (OBJT_DEFAULT) are zero-filled;
 * vnode objects (OBJT_VNODE) are a file's page cache, one per vnode,
 * shared by read/write and every mapping (mm/vnode_pager.c); their size
 * is the number of pages covering the file, and a fault past it is
 * KERN_OUT_OF_BOUNDS (SIGBUS).  Copy-on-write uses shadow
 * objects: a shadow holds the pages written since the copy and falls back
 * to its backing_object (at backing_offset pages) for the rest, so after a
 * fork parent and child each get a shadow over the shared original.
 *
 * Every object field and every object's page list is guarded by the one
 * vm_object_lock (taken inside these functions; one CPU today).
 */
#ifndef _VM_OBJECT_H_
#define _VM_OBJECT_H_

#include <spinlock.h>
#include <sys/queue.h>
#include <vm.h>
#include <vm_page.h>

typedef enum { OBJT_DEFAULT, OBJT_VNODE, OBJT_DEVICE } objtype_t;

/*
 * A pager fills and cleans an object's pages.  getpages makes the page at
 * pindex resident in obj and returns it in *mp: KERN_SUCCESS,
 * KERN_RESOURCE_SHORTAGE or KERN_OUT_OF_BOUNDS (past end of file).
 * haspage says whether the pager can supply pindex (an anonymous object
 * cannot: a missing page means zeros, found further down the chain).
 */
struct pagerops {
	const char *pgo_name;
	void (*pgo_init)(vm_object_t obj);
	void (*pgo_dealloc)(vm_object_t obj);
	bool (*pgo_haspage)(vm_object_t obj, vm_pindex_t pindex);
	int (*pgo_getpages)(vm_object_t obj, vm_pindex_t pindex,
	    vm_page_t *mp);
	int (*pgo_putpages)(vm_object_t obj, vm_page_t *ma, int count,
	    bool sync);
	/*
	 * The object's users (references beyond its creator's, which the
	 * pager's owner keeps: a vnode's v_object) came and went.  reference
	 * runs under vm_object_lock when the first user arrives (ref_count
	 * 1 -> 2) and says whether it took something (the vnode pager: a
	 * vnode reference); if it did, release runs once the last user left
	 * (2 -> 1), with no lock held (it may sleep).  vm_object_deallocate
	 * leaves release for vm_object_run_deferred when its caller holds a
	 * spin lock (a map lock): vm_map_unlock runs it.
	 */
	bool (*pgo_reference)(vm_object_t obj);
	void (*pgo_release)(vm_object_t obj);
};

extern const struct pagerops default_pager_ops;	/* anonymous memory */
extern const struct pagerops vnode_pager_ops;	/* files: mm/vnode_pager.c */

struct vm_object {
	TAILQ_HEAD(vm_page_list_head, vm_page) memq; /* resident, by pindex */
	vm_page_t hint;			/* last page found or inserted */
	LIST_HEAD(, vm_object) shadow_head; /* objects shadowing this one */
	LIST_ENTRY(vm_object) shadow_list; /* on backing_object's list */
	vm_object_t backing_object;	/* copy-on-write source, or NULL */
	vm_pindex_t backing_offset;	/* our pindex 0 = its this pindex */
	vm_pindex_t size;		/* pages */
	int ref_count;			/* map entries + shadows + holders */
	int shadow_count;
	int resident_page_count;
	objtype_t type;
	uint16_t flags;			/* OBJ_* */
	const struct pagerops *pager;
	void *handle;			/* the vnode, for OBJT_VNODE */
	int release_pending;		/* pgo_release calls owed */
	LIST_ENTRY(vm_object) release_link; /* on the deferred list */
};

#define OBJ_DEAD	0x0001
#define OBJ_ONEMAPPING	0x0002	/* only the pieces of one mapping, at
					 * offset = va - base, ever used it */
#define OBJ_MIGHTBEDIRTY 0x0004	/* a page was dirtied since the last
					 * whole-object clean (vm_fault) */
#define OBJ_USERREF	0x0008	/* pgo_reference took something for
					 * the users: pgo_release owed */

extern struct spinlock vm_object_lock;

vm_object_t vm_object_allocate(objtype_t type, vm_pindex_t size);
vm_object_t vm_object_allocate_pager(objtype_t type, vm_pindex_t size,
    const struct pagerops *pager, void *handle);
void vm_object_reference(vm_object_t obj);
void vm_object_clear_flag(vm_object_t obj, uint16_t bits);
void vm_object_deallocate(vm_object_t obj);
/* Run the pgo_release calls deallocations left (no lock may be held). */
void vm_object_run_deferred(void);
/*
 * Make *objp private: replace it with a new anonymous object backed by it
 * (reference transferred) covering length pages from *offset; *offset
 * becomes 0.  -ENOMEM leaves everything unchanged.
 */
int vm_object_shadow(vm_object_t *objp, vm_offset_t *offset,
    vm_pindex_t length);
/* Fold a shadow's sole-referenced backing objects into it. */
void vm_object_collapse(vm_object_t obj);
/* Free the pages of [start, end) (end 0 = to the end of the object). */
void vm_object_page_remove(vm_object_t obj, vm_pindex_t start,
    vm_pindex_t end);

vm_page_t vm_page_lookup(vm_object_t obj, vm_pindex_t pindex);
void vm_page_insert(vm_page_t m, vm_object_t obj, vm_pindex_t pindex);
void vm_page_remove(vm_page_t m);
/* Allocate a zero-filled page owned by obj at pindex; NULL if no memory. */
vm_page_t vm_page_alloc_object(vm_object_t obj, vm_pindex_t pindex);
/*
 * The page at pindex, made (zero-filled) if there is none; *created says
 * which.  NULL if no memory.  Atomic against another grab or fault.
 */
vm_page_t vm_page_grab(vm_object_t obj, vm_pindex_t pindex, bool *created);
/* Write the dirty pages of [start, end) (end 0 = all) back: 0 or -errno. */
int vm_object_page_clean(vm_object_t obj, vm_pindex_t start,
    vm_pindex_t end, bool sync);
/* Follow the shadow chain: the first object holding pindex's page. */
vm_page_t vm_object_chain_lookup(vm_object_t obj, vm_pindex_t pindex,
    vm_object_t *found);

/*
 * A new object holding copies of the pages obj's chain has resident in
 * [pindex, pindex + npages) (eager copy: MAP_SHARED with VM_INHERIT_COPY,
 * and flattening a private object before it is shared).  NULL if no memory.
 */
vm_object_t vm_object_copy(vm_object_t obj, vm_pindex_t pindex,
    vm_pindex_t npages);

/* Counters for leak checks in tests. */
extern int vm_object_count;
/* Pages in files' page caches (OBJT_VNODE objects): meminfo's Cached. */
extern uint64_t vm_cnt_file_pages;

#endif /* !_VM_OBJECT_H_ */
