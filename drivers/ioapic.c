/*
 * ioapic.c: the I/O APIC, which turns device interrupt pins into vectors.
 *
 * Each input pin (a "global system interrupt", GSI) has a redirection entry
 * saying which vector to raise on which CPU, with which polarity and
 * trigger mode.  ISA IRQ n is wired to pin n except where the firmware says
 * otherwise; on QEMU and most PCs the PIT's IRQ 0 arrives on pin 2.  The
 * ACPI MADT lists the I/O APIC's address and these "interrupt source
 * overrides" (kernel/acpi_tables.c reads it into acpi_info); without ACPI
 * the defaults there (0xfec00000, IRQ 0 -> GSI 2) are used.  Every pin starts masked; ioapic_route_irq unmasks one.
 * FreeBSD: sys/x86/x86/io_apic.c, sys/x86/acpica/madt.c.
 */
#include <acpi.h>
#include <kernel.h>
#include <lapic.h>
#include <libkern.h>
#include <pmap.h>
#include <trap.h>
#include <uapi/errno.h>
#include <vm_param.h>

#define IOAPIC_DEFAULT_ADDR	0xfec00000UL
#define IOAPIC_REGSEL		0x00
#define IOAPIC_WINDOW		0x10
#define IOAPIC_ID		0x00
#define IOAPIC_VER		0x01
#define IOAPIC_REDTBL(pin)	(0x10 + 2 * (pin))
#define IOART_INTMASK		(1U << 16)
#define IOART_TRGRLVL		(1U << 15)	/* level (else edge) */
#define IOART_INTALO		(1U << 13)	/* active low, else high */

static volatile uint32_t *ioapic;	/* set once by ioapic_init */
static paddr_t ioapic_pa = IOAPIC_DEFAULT_ADDR;	/* set once */
static int ioapic_npins;
static struct {
	int gsi;
	uint32_t flags;		/* IOART_TRGRLVL, IOART_INTALO */
} isa_irq[16];

static uint32_t
ioapic_read(int reg)
{
	ioapic[IOAPIC_REGSEL / 4] = reg;
	return (ioapic[IOAPIC_WINDOW / 4]);
}

static void
ioapic_write(int reg, uint32_t v)
{
	ioapic[IOAPIC_REGSEL / 4] = reg;
	ioapic[IOAPIC_WINDOW / 4] = v;
}

bool
ioapic_present(void)
{
	return (ioapic != NULL);
}

int
irq_to_gsi(int irq)
{
	if (irq < 0 || irq >= 16)
		return (irq);
	return (isa_irq[irq].gsi);
}

void
ioapic_init(void)
{
	bool acpi = acpi_info.madt;

	if (!lapic_present())
		return;
	/* acpi_init ran before us: its defaults or the MADT's values. */
	for (int i = 0; i < 16; i++) {
		isa_irq[i].gsi = acpi_info.isa[i].gsi;
		isa_irq[i].flags =
		    (acpi_info.isa[i].active_low ? IOART_INTALO : 0) |
		    (acpi_info.isa[i].level ? IOART_TRGRLVL : 0);
	}
	if (acpi_info.ioapic_pa != 0)
		ioapic_pa = acpi_info.ioapic_pa;
	ioapic = pmap_mapdev(ioapic_pa, PAGE_SIZE);
	ioapic_npins = ((ioapic_read(IOAPIC_VER) >> 16) & 0xff) + 1;
	for (int pin = 0; pin < ioapic_npins; pin++) {
		ioapic_write(IOAPIC_REDTBL(pin), IOART_INTMASK);
		ioapic_write(IOAPIC_REDTBL(pin) + 1, 0);
	}
	printk("ioapic: %d pins at %#lx (%s), IRQ 0 on pin %d\n", ioapic_npins,
	    ioapic_pa, acpi ? "ACPI MADT" : "default", isa_irq[0].gsi);
}

static int
ioapic_program(int pin, int vector, uint32_t flags)
{
	if (ioapic == NULL || pin < 0 || pin >= ioapic_npins ||
	    vector < T_IRQ_BASE || vector >= T_SPURIOUS)
		return (-EINVAL);
	ioapic_write(IOAPIC_REDTBL(pin) + 1, lapic_id() << 24);
	ioapic_write(IOAPIC_REDTBL(pin), flags | vector);
	return (0);
}

/* An ISA IRQ (or a PCI interrupt line): the MADT says pin and polarity. */
int
ioapic_route_irq(int irq, int vector)
{
	uint32_t flags = (irq >= 0 && irq < 16) ? isa_irq[irq].flags : 0;

	return (ioapic_program(irq_to_gsi(irq), vector, flags));
}

/* A pin by number, with its trigger mode and polarity (PCI: level, low). */
int
ioapic_route_gsi(int gsi, int vector, bool level, bool active_low)
{
	return (ioapic_program(gsi, vector, (level ? IOART_TRGRLVL : 0) |
	    (active_low ? IOART_INTALO : 0)));
}

int
ioapic_mask_irq(int irq)
{
	int pin = irq_to_gsi(irq);

	if (ioapic == NULL || pin < 0 || pin >= ioapic_npins)
		return (-EINVAL);
	ioapic_write(IOAPIC_REDTBL(pin),
	    ioapic_read(IOAPIC_REDTBL(pin)) | IOART_INTMASK);
	return (0);
}
