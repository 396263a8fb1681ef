/*
 * vm.h: the basic virtual-memory types shared by mm/ and its users.
 */
#ifndef _VM_H_
#define _VM_H_

#include <types.h>

typedef uint8_t vm_prot_t;
#define VM_PROT_NONE	0x00
#define VM_PROT_READ	0x01
#define VM_PROT_WRITE	0x02
#define VM_PROT_EXECUTE	0x04
#define VM_PROT_ALL	(VM_PROT_READ | VM_PROT_WRITE | VM_PROT_EXECUTE)

typedef uint8_t vm_inherit_t;
#define VM_INHERIT_SHARE	0
#define VM_INHERIT_COPY		1
#define VM_INHERIT_NONE		2
#define VM_INHERIT_ZERO		3	/* MADV_WIPEONFORK */

/* vm_fault results (FreeBSD KERN_* names). */
#define KERN_SUCCESS		0
#define KERN_INVALID_ADDRESS	1	/* no mapping: SIGSEGV SEGV_MAPERR */
#define KERN_PROTECTION_FAILURE 2	/* mapping forbids it: SEGV_ACCERR */
#define KERN_RESOURCE_SHORTAGE	6	/* out of memory */
#define KERN_OUT_OF_BOUNDS	7	/* past end of file: SIGBUS */

typedef struct vm_page *vm_page_t;
typedef struct vm_object *vm_object_t;
typedef struct vm_map *vm_map_t;
typedef struct pmap *pmap_t;

#endif /* !_VM_H_ */
