/*
 * gdt.c: the global descriptor table and the task state segment.
 *
 * In long mode segments do almost nothing -- base and limit are ignored --
 * but the GDT still says which code runs in ring 0 or ring 3, and the TSS
 * says which stack the CPU switches to on an interrupt from user mode
 * (rsp0) and which fixed stacks the double-fault and NMI handlers get (IST1,
 * IST2), so they run even when the kernel stack itself is broken.
 *
 * The order of the entries is not free: `syscall` loads CS from STAR[47:32]
 * and SS from it + 8; `sysret` loads SS from STAR[63:48] + 8 and CS from it
 * + 16.  Hence kernel code, kernel data, a 32-bit user code placeholder,
 * user data, user code (FreeBSD's GCODE_SEL ... GUCODE_SEL order).
 * Mica runs only 64-bit programs: there is no usable 32-bit segment.
 */
#include <cpu.h>
#include <kernel.h>
#include <trap.h>
#include <x86.h>

/* A 64-bit TSS (Intel SDM vol. 3, 8.7). */
struct tss {
	uint32_t tss_rsvd0;
	uint64_t tss_rsp0;
	uint64_t tss_rsp1;
	uint64_t tss_rsp2;
	uint64_t tss_rsvd1;
	uint64_t tss_ist[7];		/* tss_ist[0] is IST1 */
	uint64_t tss_rsvd2;
	uint16_t tss_rsvd3;
	uint16_t tss_iobase;		/* past the limit: no I/O bitmap */
} __packed;

_Static_assert(sizeof(struct tss) == 104, "TSS layout");

#define NGDT		8		/* 6 segments + the 16-byte TSS */
#define IST_STACK_SIZE	8192

/* Code/data descriptors: the access byte and the flags nibble matter. */
#define SEG_KCODE	0x00af9a000000ffffUL	/* P, DPL0, code, L */
#define SEG_KDATA	0x00cf92000000ffffUL	/* P, DPL0, data, RW */
/*
 * The 32-bit user code slot only positions the others for sysret, which
 * never reads it; it stays empty.  A present descriptor would let a
 * program far-jump into compatibility mode, where `syscall` enters the
 * kernel through MSR_CSTAR -- an entry Mica does not have.
 */
#define SEG_UDATA	0x00cff2000000ffffUL	/* P, DPL3, data, RW */
#define SEG_UCODE	0x00affa000000ffffUL	/* P, DPL3, code, L */
#define SDT_SYSTSS	0x9			/* available 64-bit TSS */

static uint64_t gdt[NGDT] __aligned(16);
static struct tss tss __aligned(16);
static uint8_t dblfault_stack[IST_STACK_SIZE] __aligned(16);
static uint8_t nmi_stack[IST_STACK_SIZE] __aligned(16);

struct region_descriptor {
	uint16_t rd_limit;
	uint64_t rd_base;
} __packed;

static void
gdt_set_tss(int idx, uint64_t base, uint32_t limit)
{
	gdt[idx] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
	    ((uint64_t)SDT_SYSTSS << 40) | (1UL << 47) |
	    ((uint64_t)((limit >> 16) & 0xf) << 48) |
	    (((base >> 24) & 0xff) << 56);
	gdt[idx + 1] = base >> 32;
}

void
tss_set_rsp0(uint64_t rsp0)
{
	tss.tss_rsp0 = rsp0;
}

uint16_t
rtr(void)
{
	uint16_t sel;

	__asm__ volatile("str %0" : "=r"(sel));
	return (sel);
}

void
gdt_init(void)
{
	struct region_descriptor rd;

	gdt[0] = 0;
	gdt[GSEL_KCODE >> 3] = SEG_KCODE;
	gdt[GSEL_KDATA >> 3] = SEG_KDATA;
	gdt[GSEL_UCODE32 >> 3] = 0;	/* see SEG_UCODE32 */
	gdt[GSEL_UDATA >> 3] = SEG_UDATA;
	gdt[GSEL_UCODE >> 3] = SEG_UCODE;

	tss.tss_ist[0] = (uint64_t)dblfault_stack + sizeof(dblfault_stack);
	tss.tss_ist[1] = (uint64_t)nmi_stack + sizeof(nmi_stack);
	tss.tss_iobase = sizeof(tss);
	gdt_set_tss(GSEL_TSS >> 3, (uint64_t)&tss, sizeof(tss) - 1);

	rd.rd_limit = sizeof(gdt) - 1;
	rd.rd_base = (uint64_t)gdt;
	/*
	 * Reload every segment register: CS through a far return, the data
	 * registers directly; FS and GS stay null (their bases are MSRs).
	 */
	__asm__ volatile(
	    "lgdt %0\n\t"
	    "pushq %1\n\t"
	    "leaq 1f(%%rip), %%rax\n\t"
	    "pushq %%rax\n\t"
	    "lretq\n"
	    "1:\n\t"
	    "movw %w2, %%ax\n\t"
	    "movw %%ax, %%ds\n\t"
	    "movw %%ax, %%es\n\t"
	    "movw %%ax, %%ss\n\t"
	    "xorl %%eax, %%eax\n\t"
	    "movw %%ax, %%fs\n\t"
	    "movw %%ax, %%gs\n\t"
	    "ltr %w3"
	    :
	    : "m"(rd), "i"(GSEL_KCODE), "r"(GSEL_KDATA), "r"(GSEL_TSS)
	    : "rax", "memory");
}
