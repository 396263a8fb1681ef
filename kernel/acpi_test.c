/*
 * acpi_test.c: in-kernel tests of what acpi_init found on the machine.
 *
 * Every QEMU PC (pc and q35, BIOS and UEFI) has an RSDP, a MADT with one
 * I/O APIC at 0xfec00000 and the PIT's override to pin 2, a FADT with PM1a
 * control at 0x604 (SeaBIOS; OVMF moves PIIX4's to 0xb004) that reads back
 * as a register, not a floating bus, and a \_S5 package in the DSDT;
 * so a parser that silently gave up would fail here, not just on the
 * host.
 */
#include <acpi.h>
#include <ktest.h>
#include <x86.h>

KTEST(acpi_found_qemu_tables)
{
	KT_ASSERT(acpi_info.rsdp_ok);
	KT_ASSERT(acpi_info.ntables >= 3);
	KT_ASSERT(acpi_info.madt);
	KT_EQ(acpi_info.ioapic_pa, 0xfec00000UL);
	KT_EQ(acpi_info.lapic_pa, 0xfee00000UL);
	KT_EQ(acpi_info.isa[0].gsi, 2);
	KT_ASSERT(acpi_info.ncpu >= 1);
	KT_ASSERT(acpi_info.fadt);
	KT_ASSERT(acpi_info.pm1a_cnt == 0x604 || acpi_info.pm1a_cnt == 0xb004);
	KT_ASSERT(inw(acpi_info.pm1a_cnt) != 0xffff);
	KT_ASSERT(acpi_info.s5);
	KT_EQ(acpi_info.nwarn, 0);
}
