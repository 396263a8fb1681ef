/*
 * lapic.c: the local APIC, the CPU's own interrupt controller and timer.
 *
 * Every interrupt is acknowledged here (lapic_eoi).  The LAPIC timer is
 * Mica's tick: it counts down from an initial count at the bus clock
 * divided by 16 and, in periodic mode, reloads and interrupts each time it
 * reaches zero.  Its frequency differs from machine to machine, so
 * kern_clock.c measures it against the PIT before starting it at HZ.
 * The registers are memory-mapped (xAPIC mode) at the address in
 * MSR_APICBASE; Mica does not use x2APIC.
 * FreeBSD: sys/x86/x86/local_apic.c.
 */
#include <cpu.h>
#include <kernel.h>
#include <lapic.h>
#include <pmap.h>
#include <trap.h>
#include <x86.h>

#define LAPIC_ID	0x020
#define LAPIC_VER	0x030
#define LAPIC_TPR	0x080
#define LAPIC_EOI	0x0b0
#define LAPIC_SVR	0x0f0
#define LAPIC_ESR	0x280
#define LAPIC_LVT_TIMER	0x320
#define LAPIC_LVT_LINT0	0x350
#define LAPIC_LVT_LINT1	0x360
#define LAPIC_LVT_ERROR	0x370
#define LAPIC_ICR_TIMER	0x380
#define LAPIC_CCR_TIMER	0x390
#define LAPIC_DCR_TIMER	0x3e0

#define APICBASE_ENABLE	(1UL << 11)
#define APIC_SVR_ENABLE	0x100
#define APIC_LVT_MASKED	(1U << 16)
#define APIC_LVT_PERIODIC (1U << 17)
#define APIC_LVT_DM_NMI	(4U << 8)
#define APIC_DCR_DIV16	0x3

static volatile uint32_t *lapic;	/* set once by lapic_init */
uint64_t lapic_timer_hz;

static inline uint32_t
lapic_read(int reg)
{
	return (lapic[reg / 4]);
}

static inline void
lapic_write(int reg, uint32_t v)
{
	lapic[reg / 4] = v;
}

bool
lapic_present(void)
{
	return (lapic != NULL);
}

uint32_t
lapic_id(void)
{
	return (lapic != NULL ? lapic_read(LAPIC_ID) >> 24 : 0);
}

void
lapic_eoi(void)
{
	if (lapic != NULL)
		lapic_write(LAPIC_EOI, 0);
}

static void
lapic_error_intr(struct trapframe *tf, void *arg)
{
	uint32_t esr;

	lapic_write(LAPIC_ESR, 0);
	esr = lapic_read(LAPIC_ESR);
	printk(KERN_WARNING "lapic: error interrupt, ESR %#x\n", esr);
}

void
lapic_init(void)
{
	uint64_t base;

	if (!cpu_features.apic) {
		printk(KERN_WARNING "lapic: none; no timer interrupts\n");
		return;
	}
	base = rdmsr(MSR_APICBASE);
	wrmsr(MSR_APICBASE, base | APICBASE_ENABLE);
	lapic = pmap_mapdev(base & ~0xfffUL, PAGE_SIZE);

	lapic_write(LAPIC_TPR, 0);		/* accept every priority */
	lapic_write(LAPIC_LVT_TIMER, APIC_LVT_MASKED | LAPIC_TIMER_VECTOR);
	lapic_write(LAPIC_LVT_LINT0, APIC_LVT_MASKED);	/* 8259 ExtINT */
	lapic_write(LAPIC_LVT_LINT1, APIC_LVT_DM_NMI);
	intr_establish(LAPIC_ERROR_VECTOR, lapic_error_intr, NULL);
	lapic_write(LAPIC_LVT_ERROR, LAPIC_ERROR_VECTOR);
	lapic_write(LAPIC_ESR, 0);
	lapic_write(LAPIC_ESR, 0);
	lapic_write(LAPIC_SVR, APIC_SVR_ENABLE | T_SPURIOUS);
	lapic_write(LAPIC_EOI, 0);
	printk("lapic: id %u version %#x at %#lx\n", lapic_id(),
	    lapic_read(LAPIC_VER) & 0xff, base & ~0xfffUL);
}

/* Start the timer counting down from the top, masked, for calibration. */
void
lapic_timer_count_start(void)
{
	lapic_write(LAPIC_DCR_TIMER, APIC_DCR_DIV16);
	lapic_write(LAPIC_LVT_TIMER, APIC_LVT_MASKED | LAPIC_TIMER_VECTOR);
	lapic_write(LAPIC_ICR_TIMER, 0xffffffff);
}

uint32_t
lapic_timer_count(void)
{
	return (lapic_read(LAPIC_CCR_TIMER));
}

void
lapic_timer_periodic(uint32_t count, int vector)
{
	lapic_write(LAPIC_DCR_TIMER, APIC_DCR_DIV16);
	lapic_write(LAPIC_LVT_TIMER, APIC_LVT_PERIODIC | vector);
	lapic_write(LAPIC_ICR_TIMER, count);
}

void
lapic_timer_stop(void)
{
	lapic_write(LAPIC_LVT_TIMER, APIC_LVT_MASKED | LAPIC_TIMER_VECTOR);
	lapic_write(LAPIC_ICR_TIMER, 0);
}
