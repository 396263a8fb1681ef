/*
 * idt.c: the interrupt descriptor table.
 *
 * All 256 vectors point at the stubs of kernel/trap_entry.asm, every one an
 * interrupt gate (IF cleared on entry; trap() turns interrupts back on when
 * the interrupted code had them).  Only the breakpoint gate has DPL 3, so
 * `int3` in a program raises SIGTRAP while `int $n` for any other n is a
 * #GP.  The double fault runs on IST1 and the NMI on IST2, the fixed stacks
 * of the TSS (kernel/gdt.c), so a kernel stack overflow still reaches the
 * panic dump instead of triple-faulting.
 */
#include <cpu.h>
#include <kernel.h>
#include <trap.h>

struct gate_desc {
	uint16_t gd_looffset;
	uint16_t gd_selector;
	uint8_t gd_ist;			/* bits 0-2 */
	uint8_t gd_type;		/* P, DPL, type */
	uint16_t gd_midoffset;
	uint32_t gd_hioffset;
	uint32_t gd_rsvd;
} __packed;

_Static_assert(sizeof(struct gate_desc) == 16, "gate layout");

#define SDT_SYSIGT	0x0e		/* 64-bit interrupt gate */
#define GATE_P		0x80
#define IST_DBLFAULT	1
#define IST_NMI		2

extern const uint64_t trap_vectors[256];
static struct gate_desc idt[256] __aligned(16);

static void
setidt(int vec, uint64_t fn, int dpl, int ist)
{
	struct gate_desc *gd = &idt[vec];

	gd->gd_looffset = fn & 0xffff;
	gd->gd_selector = GSEL_KCODE;
	gd->gd_ist = ist;
	gd->gd_type = GATE_P | (dpl << 5) | SDT_SYSIGT;
	gd->gd_midoffset = (fn >> 16) & 0xffff;
	gd->gd_hioffset = fn >> 32;
	gd->gd_rsvd = 0;
}

void
idt_init(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __packed rd;

	for (int i = 0; i < 256; i++)
		setidt(i, trap_vectors[i], 0, 0);
	setidt(T_BPT, trap_vectors[T_BPT], 3, 0);
	setidt(T_DOUBLEFLT, trap_vectors[T_DOUBLEFLT], 0, IST_DBLFAULT);
	setidt(T_NMI, trap_vectors[T_NMI], 0, IST_NMI);

	rd.limit = sizeof(idt) - 1;
	rd.base = (uint64_t)idt;
	__asm__ volatile("lidt %0" : : "m"(rd) : "memory");
}
