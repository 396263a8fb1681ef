/*
 * trap.h: the trap frame and interrupt dispatch.
 *
 * Every entry into the kernel -- exception, interrupt or system call --
 * saves the interrupted registers as a struct trapframe on the kernel stack
 * (kernel/trap_entry.asm, kernel/syscall_entry.asm).  The field order is
 * fixed: the assembly pushes it and user-visible code (signal delivery,
 * fork) reads it.
 */
#ifndef _TRAP_H_
#define _TRAP_H_

#include <types.h>

struct trapframe {
	uint64_t tf_rdi;
	uint64_t tf_rsi;
	uint64_t tf_rdx;
	uint64_t tf_rcx;
	uint64_t tf_r8;
	uint64_t tf_r9;
	uint64_t tf_rax;
	uint64_t tf_rbx;
	uint64_t tf_rbp;
	uint64_t tf_r10;
	uint64_t tf_r11;
	uint64_t tf_r12;
	uint64_t tf_r13;
	uint64_t tf_r14;
	uint64_t tf_r15;
	uint64_t tf_trapno;	/* vector; T_SYSCALL for syscall entry */
	uint64_t tf_err;	/* error code, or 0 */
	/* What the CPU pushes (syscall entry fills the same slots). */
	uint64_t tf_rip;
	uint64_t tf_cs;
	uint64_t tf_rflags;
	uint64_t tf_rsp;
	uint64_t tf_ss;
};

/* Exception vectors. */
#define T_DIVIDE	0
#define T_DEBUG		1
#define T_NMI		2
#define T_BPT		3
#define T_OFLOW		4
#define T_BOUND		5
#define T_PRIVINFLT	6	/* #UD */
#define T_DNA		7
#define T_DOUBLEFLT	8
#define T_TSSFLT	10
#define T_SEGNPFLT	11
#define T_STKFLT	12
#define T_PROTFLT	13	/* #GP */
#define T_PAGEFLT	14
#define T_FPOPFLT	16
#define T_ALIGNFLT	17
#define T_MCHK		18
#define T_XMMFLT	19
#define T_VIRT		20
#define T_CP		21
#define T_IRQ_BASE	32	/* device interrupts from here */
#define T_SYSCALL	0x80	/* tf_trapno of a `syscall` entry */
#define T_SPURIOUS	0xff

/* Page-fault error code bits. */
#define PGEX_P		0x01	/* protection violation (else not present) */
#define PGEX_W		0x02	/* write */
#define PGEX_U		0x04	/* from user mode */
#define PGEX_RSV	0x08
#define PGEX_I		0x10	/* instruction fetch */

/* Segment selectors (kernel/gdt.c); the order suits syscall/sysret. */
#define GSEL_KCODE	0x08
#define GSEL_KDATA	0x10
#define GSEL_UCODE32	0x18	/* placeholder, never loaded */
#define GSEL_UDATA	0x23	/* 0x20 | RPL 3 */
#define GSEL_UCODE	0x2b	/* 0x28 | RPL 3 */
#define GSEL_TSS	0x30

#define TRAPF_USERMODE(tf) (((tf)->tf_cs & 3) == 3)

typedef void (*intr_handler_t)(struct trapframe *tf, void *arg);

/* Route a device interrupt vector to a handler (one per vector). */
void intr_establish(int vector, intr_handler_t fn, void *arg);
bool intr_established(int vector);
/* Route ISA IRQ `irq` through the IOAPIC to a vector, and unmask it. */
int ioapic_route_irq(int irq, int vector);
void lapic_eoi(void);

void trap(struct trapframe *tf);
void trap_dump(const struct trapframe *tf);
const char *trap_name(int vector);	/* "Page fault" */
/* Where copyin keeps its recovery address: &curthread->td_onfault. */
void **trap_onfault_slot(void);
extern uint64_t intrcnt[256];		/* interrupts taken, per vector */

/*
 * copyin/copyout and friends move data across the user/kernel boundary.
 * A fault on the user address is resolved through vm_fault; one that
 * cannot be resolved (or a kernel-half address) returns -EFAULT.
 */
int copyin(const void *uaddr, void *kaddr, size_t len);
int copyout(const void *kaddr, void *uaddr, size_t len);
int copyinstr(const void *uaddr, char *kaddr, size_t len, size_t *done);

#endif /* !_TRAP_H_ */
