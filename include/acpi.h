/*
 * acpi.h: what Mica reads from the firmware's ACPI tables.
 *
 * acpi_parse (kernel/acpi_tables.c, pure and host-tested) follows the
 * RSDP to the RSDT or XSDT and reads the MADT (interrupt controllers and
 * ISA interrupt overrides), the FADT (power management and reset
 * registers), the \_S5 sleep type from the DSDT, and the HPET address.
 * Every table is checked (signature, length, checksum) before use; a bad
 * or missing one leaves the defaults in struct acpi_info and a warning.
 * kernel/acpi.c finds the RSDP (multiboot 2 copy, else the BIOS areas),
 * calls acpi_parse once at boot and does the power-off and reset.
 */
#ifndef _ACPI_H_
#define _ACPI_H_

#include <multiboot.h>
#include <types.h>

struct acpi_rsdp {
	char signature[8];		/* "RSD PTR " */
	uint8_t checksum;		/* of the first 20 bytes */
	char oemid[6];
	uint8_t revision;		/* 0: ACPI 1.0, 2: 2.0 and later */
	uint32_t rsdt;
	uint32_t length;		/* 2.0 */
	uint64_t xsdt;
	uint8_t xchecksum;		/* of all `length` bytes */
	uint8_t rsvd[3];
} __packed;

struct acpi_sdt {
	char signature[4];
	uint32_t length;		/* header included */
	uint8_t revision, checksum;
	char oemid[6], oemtable[8];
	uint32_t oemrev, creator, creatorrev;
} __packed;

/* Generic address structure (FADT reset register, ...). */
struct acpi_gas {
	uint8_t space;			/* ACPI_GAS_* */
	uint8_t bit_width, bit_offset, access_size;
	uint64_t address;
} __packed;

#define ACPI_GAS_MEMORY		0
#define ACPI_GAS_IO		1
#define ACPI_GAS_PCI		2

#define ACPI_MAXWARN		4

struct acpi_info {
	bool rsdp_ok;			/* a valid RSDP was given */
	int revision;			/* of the RSDP */
	bool xsdt;			/* tables listed by the XSDT */
	int ntables;
	/* MADT */
	bool madt;
	paddr_t lapic_pa;		/* default 0xfee00000 */
	paddr_t ioapic_pa;		/* I/O APIC of GSI 0; 0xfec00000 */
	int nioapic, ncpu;
	struct {
		int gsi;
		bool active_low, level;
	} isa[16];			/* default: IRQ n on GSI n, 0 on 2 */
	/* FADT */
	bool fadt;
	paddr_t dsdt;
	uint32_t smi_cmd;
	uint8_t acpi_enable;
	uint32_t pm1a_cnt, pm1b_cnt;	/* I/O ports; 0: none */
	uint16_t boot_arch;		/* IAPC_BOOT_ARCH */
	bool reset_ok;			/* the reset register is usable */
	struct acpi_gas reset_reg;
	uint8_t reset_value;
	/* DSDT */
	bool s5;			/* \_S5 found */
	uint8_t slp_typa, slp_typb;
	/* HPET */
	paddr_t hpet_pa;		/* 0: none */
	int nwarn;
	char warn[ACPI_MAXWARN][80];
};

#define ACPI_BOOT_ARCH_8042	(1U << 1)
#define ACPI_FADT_RESET_REG_SUP	(1U << 10)

/* Map a physical range of firmware memory for reading; NULL if bad. */
typedef const void *(*acpi_map_fn)(paddr_t pa, size_t len, void *arg);

/* kernel/acpi_tables.c: pure */
bool acpi_checksum_ok(const void *p, size_t len);
const void *acpi_rsdp_scan(const uint8_t *area, size_t len);
void acpi_parse(const void *rsdp, size_t rsdp_len, acpi_map_fn map,
    void *arg, struct acpi_info *ai);
void acpi_madt_parse(const struct acpi_sdt *madt, struct acpi_info *ai);
void acpi_fadt_parse(const struct acpi_sdt *fadt, struct acpi_info *ai);
bool acpi_find_s5(const uint8_t *aml, size_t len, uint8_t *typa,
    uint8_t *typb);

/* kernel/acpi.c */
extern struct acpi_info acpi_info;	/* written once by acpi_init */
void acpi_init(const struct bootinfo *bi);
void acpi_poweroff(void);		/* returns if it could not */
void acpi_reset(void);			/* returns if it could not */

#endif /* !_ACPI_H_ */
