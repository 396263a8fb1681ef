/*
 * acpi.c: find the ACPI tables at boot; ACPI power-off and reset.
 *
 * Under UEFI the only way to the tables is the RSDP copy GRUB passes in
 * the multiboot 2 information; under BIOS it is also found by scanning the
 * first KiB of the EBDA and 0xe0000-0xfffff for "RSD PTR ".  acpi_init
 * runs kernel/acpi_tables.c over them once, before the interrupt
 * controllers start, and keeps the result in acpi_info (read-only after
 * boot, so no lock).
 *
 * Power-off is sleep state S5: write SLP_TYPa (from \_S5) with SLP_EN to
 * the PM1a control port, and SLP_TYPb to PM1b if there is one, after
 * switching the chipset to ACPI mode through SMI_CMD if the firmware left
 * it in legacy mode.  Reset tries the FADT reset register, then the
 * keyboard controller's reset line, then a triple fault.
 */
#include <acpi.h>
#include <kernel.h>
#include <libkern.h>
#include <pmap.h>
#include <vm_param.h>
#include <x86.h>

#define PM1_SCI_EN		(1U << 0)
#define PM1_SLP_TYP_SHIFT	10
#define PM1_SLP_TYP_MASK	(7U << PM1_SLP_TYP_SHIFT)
#define PM1_SLP_EN		(1U << 13)

struct acpi_info acpi_info;	/* written once by acpi_init */

/* Tables live below 4 GiB on every PC we know; the direct map has them. */
static const void *
acpi_map(paddr_t pa, size_t len, void *arg)
{
	if (pa + len < pa)
		return (NULL);
	if (pa + len <= (4UL << 30))
		return (PHYS_TO_DMAP(pa));
	return (pmap_mapdev(pa, len));
}

static const void *
acpi_bios_rsdp(void)
{
	const void *p;
	paddr_t ebda = (paddr_t)*(const uint16_t *)PHYS_TO_DMAP(0x40e) << 4;

	if (ebda >= 0x80000 && ebda < 0xa0000 &&
	    (p = acpi_rsdp_scan(PHYS_TO_DMAP(ebda), 1024)) != NULL)
		return (p);
	return (acpi_rsdp_scan(PHYS_TO_DMAP(0xe0000), 0x20000));
}

void
acpi_init(const struct bootinfo *bi)
{
	struct acpi_info *ai = &acpi_info;
	const void *rsdp = NULL;
	size_t len = 0;
	const char *from = "";

	if (bi->rsdp_len > 0) {
		rsdp = bi->rsdp;
		len = bi->rsdp_len;
		from = "from the boot loader";
	} else if ((rsdp = acpi_bios_rsdp()) != NULL) {
		len = sizeof(struct acpi_rsdp);
		from = "in the BIOS area";
	}
	acpi_parse(rsdp, len, acpi_map, NULL, ai);
	for (int i = 0; i < ai->nwarn && i < ACPI_MAXWARN; i++)
		printk(KERN_WARNING "acpi: %s\n", ai->warn[i]);
	if (!ai->rsdp_ok)
		return;
	printk("acpi: RSDP rev %d %s, %s with %d tables\n", ai->revision,
	    from, ai->xsdt ? "XSDT" : "RSDT", ai->ntables);
	if (ai->madt)
		printk("acpi: MADT: %d CPUs, %d I/O APICs, LAPIC %#lx\n",
		    ai->ncpu, ai->nioapic, ai->lapic_pa);
	if (ai->fadt)
		printk("acpi: FADT: PM1a_CNT %#x, S5 %s, reset %s%s\n",
		    ai->pm1a_cnt, ai->s5 ? "found" : "missing",
		    ai->reset_ok ? "register" : "by the 8042",
		    (ai->boot_arch & ACPI_BOOT_ARCH_8042) ? ", 8042" : "");
	if (ai->hpet_pa != 0)
		printk("acpi: HPET at %#lx\n", ai->hpet_pa);
}

/* Put the chipset in ACPI mode (SCI_EN) if the firmware has not. */
static void
acpi_enable_mode(const struct acpi_info *ai)
{
	if (inw(ai->pm1a_cnt) & PM1_SCI_EN)
		return;
	if (ai->smi_cmd == 0 || ai->acpi_enable == 0)
		return;
	outb(ai->smi_cmd, ai->acpi_enable);
	for (int i = 0; i < 1000000 && !(inw(ai->pm1a_cnt) & PM1_SCI_EN); i++)
		cpu_spinwait();
}

void
acpi_poweroff(void)
{
	const struct acpi_info *ai = &acpi_info;
	uint16_t v;

	if (!ai->s5 || ai->pm1a_cnt == 0 || ai->pm1a_cnt > 0xffff) {
		printk("acpi: cannot power off (no \\_S5 or PM1a control)\n");
		return;
	}
	acpi_enable_mode(ai);
	disable_intr();
	v = inw(ai->pm1a_cnt) & ~PM1_SLP_TYP_MASK;
	outw(ai->pm1a_cnt, v | ai->slp_typa << PM1_SLP_TYP_SHIFT | PM1_SLP_EN);
	if (ai->pm1b_cnt != 0 && ai->pm1b_cnt <= 0xffff) {
		v = inw(ai->pm1b_cnt) & ~PM1_SLP_TYP_MASK;
		outw(ai->pm1b_cnt, v | ai->slp_typb << PM1_SLP_TYP_SHIFT |
		    PM1_SLP_EN);
	}
	for (int i = 0; i < 10000000; i++)
		cpu_spinwait();
	printk("acpi: still running after S5\n");
}

void
acpi_reset(void)
{
	const struct acpi_info *ai = &acpi_info;

	disable_intr();
	if (ai->reset_ok) {
		if (ai->reset_reg.space == ACPI_GAS_IO &&
		    ai->reset_reg.address <= 0xffff)
			outb(ai->reset_reg.address, ai->reset_value);
		else if (ai->reset_reg.space == ACPI_GAS_MEMORY) {
			volatile uint8_t *r = pmap_mapdev(
			    ai->reset_reg.address, 1);

			if (r != NULL)
				*r = ai->reset_value;
		}
		for (int i = 0; i < 1000000; i++)
			cpu_spinwait();
	}
	/* The keyboard controller pulses the CPU's reset line. */
	for (int i = 0; i < 100000 && (inb(0x64) & 2); i++)
		cpu_spinwait();
	outb(0x64, 0xfe);
	for (int i = 0; i < 1000000; i++)
		cpu_spinwait();
	/* Last resort: an empty IDT turns the next exception into a
	 * triple fault, which resets the machine. */
	{
		struct {
			uint16_t limit;
			uint64_t base;
		} __packed idt = { 0, 0 };

		__asm__ volatile("lidt %0; int3" : : "m"(idt));
	}
}
