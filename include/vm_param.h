/*
 * vm_param.h: the fixed layout of the virtual address space.
 *
 *   0x0000000000000000 - 0x00007fffffffffff  user space
 *   0xffff800000000000 - ...                 direct map of all RAM (DMAP)
 *   0xffffffff80000000 - 0xffffffffffffffff  the kernel image (KERNBASE)
 *
 * The kernel image is loaded at physical KERNPHYS and linked at
 * KERNBASE + KERNPHYS.  boot/boot.asm maps the first 4 GiB in the direct
 * map; pmap_bootstrap extends it over the rest of RAM.
 */
#ifndef _VM_PARAM_H_
#define _VM_PARAM_H_

#define KERNBASE	0xffffffff80000000UL
#define KERNPHYS	0x0000000000100000UL
#define DMAP_BASE	0xffff800000000000UL
#define DMAP_MAX	0x0000100000000000UL	/* 16 TiB of RAM at most */
#define VM_MAXUSER_ADDRESS 0x0000800000000000UL

#ifndef __ASSEMBLER__
#define PHYS_TO_DMAP(pa) ((void *)((uint64_t)(pa) + DMAP_BASE))
#define DMAP_TO_PHYS(va) ((uint64_t)(va) - DMAP_BASE)
#define KVA_TO_PHYS(va)	 ((uint64_t)(va) - KERNBASE)
#endif

#endif /* !_VM_PARAM_H_ */
