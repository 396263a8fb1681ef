/*
 * ioapic.c: the I/O APIC, which turns device interrupt pins into vectors.
 *
 * Each input pin (a "global system interrupt", GSI) has a redirection entry
 * saying which vector to raise on which CPU, with which polarity and
 * trigger mode.  ISA IRQ n is wired to pin n except where the firmware says
 * otherwise; on QEMU and most PCs the PIT's IRQ 0 arrives on pin 2.  The
 * ACPI MADT lists the I/O APIC's address and these "interrupt source
 * overrides"; without ACPI the defaults (0xfec00000, IRQ 0 -> GSI 2) are
 * used.  Every pin starts masked; ioapic_route_irq unmasks one.
 * FreeBSD: sys/x86/x86/io_apic.c, sys/x86/acpica/madt.c.
 */
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
static paddr_t ioapic_pa = IOAPIC_DEFAULT_ADDR;
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

/* ACPI: just enough to read the MADT. */
struct acpi_rsdp {
	char signature[8];		/* "RSD PTR " */
	uint8_t checksum;
	char oemid[6];
	uint8_t revision;
	uint32_t rsdt;
	uint32_t length;
	uint64_t xsdt;
	uint8_t xchecksum;
	uint8_t rsvd[3];
} __packed;

struct acpi_sdt {
	char signature[4];
	uint32_t length;
	uint8_t revision, checksum;
	char oemid[6], oemtable[8];
	uint32_t oemrev, creator, creatorrev;
} __packed;

static bool
acpi_sum_ok(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum += b[i];
	return (sum == 0);
}

static const struct acpi_rsdp *
acpi_find_rsdp(void)
{
	uint64_t ebda = (uint64_t)*(uint16_t *)pmap_mapdev(0x40e, 2) << 4;
	uint64_t ranges[2][2] = { { ebda, ebda + 1024 },
		{ 0xe0000, 0x100000 } };

	for (int r = 0; r < 2; r++) {
		if (ranges[r][0] == 0)
			continue;
		for (uint64_t pa = ranges[r][0]; pa < ranges[r][1]; pa += 16) {
			const struct acpi_rsdp *p = pmap_mapdev(pa, 36);

			if (memcmp(p->signature, "RSD PTR ", 8) == 0 &&
			    acpi_sum_ok(p, 20))
				return (p);
		}
	}
	return (NULL);
}

/* Map a whole table: its header first, to learn its length. */
static const struct acpi_sdt *
acpi_map_sdt(paddr_t pa)
{
	const struct acpi_sdt *t = pmap_mapdev(pa, sizeof(*t));

	return (pmap_mapdev(pa, t->length));
}

static const struct acpi_sdt *
acpi_find_table(const char *sig)
{
	const struct acpi_rsdp *rsdp = acpi_find_rsdp();
	const struct acpi_sdt *root, *t;
	bool x;
	int n;

	if (rsdp == NULL)
		return (NULL);
	x = rsdp->revision >= 2 && rsdp->xsdt != 0;
	root = acpi_map_sdt(x ? rsdp->xsdt : rsdp->rsdt);
	if (!acpi_sum_ok(root, root->length))
		return (NULL);
	n = (root->length - sizeof(*root)) / (x ? 8 : 4);
	for (int i = 0; i < n; i++) {
		const uint8_t *ent = (const uint8_t *)(root + 1) +
		    i * (x ? 8 : 4);
		uint64_t pa = 0;

		memcpy(&pa, ent, x ? 8 : 4);
		t = acpi_map_sdt(pa);
		if (memcmp(t->signature, sig, 4) == 0 &&
		    acpi_sum_ok(t, t->length))
			return (t);
	}
	return (NULL);
}

/* Read the I/O APIC address and the ISA overrides from the MADT. */
static bool
madt_parse(void)
{
	const struct acpi_sdt *madt = acpi_find_table("APIC");
	const uint8_t *p, *end;
	bool found = false;

	if (madt == NULL)
		return (false);
	/* Skip the header, the LAPIC address and the flags. */
	p = (const uint8_t *)madt + sizeof(*madt) + 8;
	end = (const uint8_t *)madt + madt->length;
	while (p + 2 <= end && p[1] >= 2 && p + p[1] <= end) {
		if (p[0] == 1 && !found) {		/* I/O APIC */
			uint32_t addr, gsibase;

			memcpy(&addr, p + 4, 4);
			memcpy(&gsibase, p + 8, 4);
			if (gsibase == 0) {
				ioapic_pa = addr;
				found = true;
			}
		} else if (p[0] == 2 && p[2] == 0 && p[3] < 16) {
			/* Interrupt source override on the ISA bus. */
			uint32_t gsi;
			uint16_t fl;

			memcpy(&gsi, p + 4, 4);
			memcpy(&fl, p + 8, 2);
			isa_irq[p[3]].gsi = gsi;
			isa_irq[p[3]].flags =
			    ((fl & 3) == 3 ? IOART_INTALO : 0) |
			    (((fl >> 2) & 3) == 3 ? IOART_TRGRLVL : 0);
		}
		p += p[1];
	}
	return (found);
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
	bool acpi;

	if (!lapic_present())
		return;
	for (int i = 0; i < 16; i++) {
		isa_irq[i].gsi = i;
		isa_irq[i].flags = 0;	/* ISA: edge, active high */
	}
	isa_irq[0].gsi = 2;
	acpi = madt_parse();
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
