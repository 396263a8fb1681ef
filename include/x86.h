/*
 * x86.h: inline wrappers for the x86-64 instructions C cannot express.
 */
#ifndef _X86_H_
#define _X86_H_

#include <types.h>

/* A busy-wait loop's body: tells the CPU we are spinning. */
static inline void
cpu_spinwait(void)
{
	__asm__ volatile("pause");
}

static inline void
outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t
inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return (v);
}

static inline void
outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint16_t
inw(uint16_t port)
{
	uint16_t v;

	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return (v);
}

static inline void
outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint32_t
inl(uint16_t port)
{
	uint32_t v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return (v);
}

static inline void
cpuid(uint32_t leaf, uint32_t sub, uint32_t *a, uint32_t *b, uint32_t *c,
    uint32_t *d)
{
	__asm__ volatile("cpuid"
			 : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
			 : "a"(leaf), "c"(sub));
}

static inline uint64_t
rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (((uint64_t)hi << 32) | lo);
}

static inline void
wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr"
			 :
			 : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

static inline uint64_t
rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (((uint64_t)hi << 32) | lo);
}

static inline uint64_t
rcr0(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	return (v);
}

static inline uint64_t
rcr2(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return (v);
}

static inline uint64_t
rcr3(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return (v);
}

static inline void
lcr3(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline uint64_t
rcr4(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return (v);
}

static inline void
lcr4(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

static inline uint64_t
read_rflags(void)
{
	uint64_t f;

	__asm__ volatile("pushfq; popq %0" : "=r"(f));
	return (f);
}

static inline void
invlpg(vaddr_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static inline void
enable_intr(void)
{
	__asm__ volatile("sti" ::: "memory");
}

static inline void
disable_intr(void)
{
	__asm__ volatile("cli" ::: "memory");
}

static inline void
halt(void)
{
	__asm__ volatile("hlt" ::: "memory");
}

/* RFLAGS bits (the names of FreeBSD's psl.h). */
#define PSL_C		0x00000001ul	/* carry */
#define PSL_PF		0x00000004ul	/* parity */
#define PSL_AF		0x00000010ul	/* adjust (BCD carry) */
#define PSL_Z		0x00000040ul	/* zero */
#define PSL_N		0x00000080ul	/* sign */
#define PSL_T		0x00000100ul	/* trace */
#define PSL_I		0x00000200ul	/* interrupt enable */
#define PSL_D		0x00000400ul	/* direction */
#define PSL_V		0x00000800ul	/* overflow */
#define PSL_IOPL	0x00003000ul	/* I/O privilege level */
#define PSL_NT		0x00004000ul	/* nested task */
#define PSL_RF		0x00010000ul	/* resume (no debug fault once) */
#define PSL_VM		0x00020000ul	/* virtual-8086 mode */
#define PSL_AC		0x00040000ul	/* alignment check, SMAP off */
#define PSL_VIF		0x00080000ul	/* virtual interrupt flag */
#define PSL_VIP		0x00100000ul	/* virtual interrupt pending */

#define MSR_EFER	0xc0000080
#define MSR_STAR	0xc0000081
#define MSR_LSTAR	0xc0000082
#define MSR_SFMASK	0xc0000084
#define MSR_FSBASE	0xc0000100
#define MSR_GSBASE	0xc0000101
#define MSR_KGSBASE	0xc0000102
#define MSR_APICBASE	0x1b

#endif /* !_X86_H_ */
