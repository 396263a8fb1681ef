/*
 * vm_mmap.h: the memory-mapping system calls (Linux numbers and errors;
 * FreeBSD vm_mmap.c names), and the seam through which file mappings will
 * reach the vfs.  Flags and advice values are in <uapi/mman.h>.  Each
 * handler's comment in mm/vm_mmap.c lists the errors it returns.
 */
#ifndef _VM_MMAP_H_
#define _VM_MMAP_H_

#include <types.h>
#include <vm.h>

long sys_mmap(uint64_t addr, uint64_t len, int prot, int flags, int fd,
    off_t off);
long sys_munmap(uint64_t addr, uint64_t len);
long sys_mremap(uint64_t old_addr, uint64_t old_len, uint64_t new_len,
    int flags, uint64_t new_addr);
long sys_mprotect(uint64_t addr, uint64_t len, int prot);
long sys_brk(uint64_t addr);
long sys_madvise(uint64_t addr, uint64_t len, int advice);
long sys_mincore(uint64_t addr, uint64_t len, unsigned char *vec);
long sys_msync(uint64_t addr, uint64_t len, int flags);
long sys_mlock(uint64_t addr, uint64_t len);
long sys_mlock2(uint64_t addr, uint64_t len, int flags);
long sys_munlock(uint64_t addr, uint64_t len);
long sys_mlockall(int flags);
long sys_munlockall(void);
long sys_minherit(uint64_t addr, uint64_t len, int inherit);

/* RLIMIT_AS: may [start, start + len) be mapped (less what is there)? */
struct vm_map;
bool vm_map_may_grow(struct vm_map *map, vaddr_t start, vm_size_t len);

/*
 * File mappings: mm/vnode_pager.c provides this (a weak default answers
 * -ENODEV).
 * Given the descriptor, the page-aligned offset and the mmap prot/flags,
 * return in *objp a referenced vm_object for the file (its page cache;
 * NULL for /dev/zero, which maps anonymous memory) and
 * in *maxprotp the most the mapping may ever allow (no VM_PROT_WRITE for a
 * MAP_SHARED mapping of a descriptor not open for writing).  Errors as in
 * mmap(2): -EBADF, -EACCES, -ENODEV, -ETXTBSY.
 */
int vm_mmap_vnode(int fd, off_t off, int prot, int flags, vm_object_t *objp,
    vm_prot_t *maxprotp);

#endif /* !_VM_MMAP_H_ */
