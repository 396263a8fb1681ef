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
#include <vm.h>

struct vmspace;

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

/* The program break, for brk(2) and exec. */
void vmspace_set_brk(struct vmspace *vm, vaddr_t base);

#endif /* !_VM_MAP_H_ */
