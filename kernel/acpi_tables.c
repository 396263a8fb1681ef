/*
 * acpi_tables.c: read the ACPI tables Mica needs, trusting none of them.
 *
 * The RSDP points to a root table (RSDT: 32-bit pointers; XSDT, ACPI 2.0:
 * 64-bit) listing the others by physical address.  From the MADT ("APIC")
 * we take the interrupt controllers and the ISA interrupt overrides, from
 * the FADT ("FACP") the PM1 control ports, the reset register and the
 * DSDT, from the DSDT the \_S5 package (the sleep type values that mean
 * "soft off"), and from "HPET" the timer's address.  A table is used only
 * if its signature, length and checksum are right; otherwise the defaults
 * stay (I/O APIC at 0xfec00000, IRQ n on pin n except the PIT's IRQ 0 on
 * pin 2, no power-off) and a warning says why.  The DSDT is AML bytecode:
 * we do not interpret it, we look for the bytes of `Name (_S5, Package
 * {...})` and decode the first two integers, the usual minimal approach.
 * Tables are reached through a caller's map function, so the same code
 * runs in the kernel and in tests/host/acpi.c.  (FreeBSD: the ACPICA
 * tables code and sys/x86/acpica/madt.c do this in full.)
 */
#include <acpi.h>
#include <libkern.h>
#include <printf.h>

#define ACPI_TABLE_MAX		(4U << 20)	/* no table is bigger */
#define ACPI_MAX_TABLES		64

/* AML opcodes met in `Name (_S5, Package () { ... })`. */
#define AML_ZERO		0x00
#define AML_ONE			0x01
#define AML_NAME		0x08
#define AML_BYTE_PREFIX		0x0a
#define AML_WORD_PREFIX		0x0b
#define AML_DWORD_PREFIX	0x0c
#define AML_PACKAGE		0x12
#define AML_ROOT_CHAR		0x5c	/* '\' */

static void
acpi_warn(struct acpi_info *ai, const char *fmt, ...)
{
	va_list ap;

	if (ai->nwarn < ACPI_MAXWARN) {
		va_start(ap, fmt);
		vsnprintf(ai->warn[ai->nwarn], sizeof(ai->warn[0]), fmt, ap);
		va_end(ap);
	}
	ai->nwarn++;
}

bool
acpi_checksum_ok(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum += b[i];
	return (sum == 0);
}

/* Find a valid RSDP in a BIOS area (on 16-byte boundaries). */
const void *
acpi_rsdp_scan(const uint8_t *area, size_t len)
{
	for (size_t off = 0; off + 20 <= len; off += 16)
		if (memcmp(area + off, "RSD PTR ", 8) == 0 &&
		    acpi_checksum_ok(area + off, 20))
			return (area + off);
	return (NULL);
}

/*
 * Map the table at pa and check it; NULL (and a warning) if it is bad.
 * sig == NULL accepts any signature.
 */
static const struct acpi_sdt *
map_table(paddr_t pa, const char *sig, acpi_map_fn map, void *arg,
    struct acpi_info *ai)
{
	const struct acpi_sdt *t;
	char name[5];

	if (pa == 0 || (t = map(pa, sizeof(*t), arg)) == NULL) {
		acpi_warn(ai, "table at %#lx unreadable", (unsigned long)pa);
		return (NULL);
	}
	memcpy(name, t->signature, 4);
	name[4] = '\0';
	for (int i = 0; i < 4; i++)
		if (name[i] < ' ' || name[i] > '~')
			name[i] = '?';
	if (sig != NULL && memcmp(t->signature, sig, 4) != 0) {
		acpi_warn(ai, "%s expected at %#lx, found \"%s\"", sig,
		    (unsigned long)pa, name);
		return (NULL);
	}
	if (t->length < sizeof(*t) || t->length > ACPI_TABLE_MAX) {
		acpi_warn(ai, "%s: bad length %u; ignored", name, t->length);
		return (NULL);
	}
	if ((t = map(pa, t->length, arg)) == NULL) {
		acpi_warn(ai, "%s: unreadable; ignored", name);
		return (NULL);
	}
	if (!acpi_checksum_ok(t, t->length)) {
		acpi_warn(ai, "%s: bad checksum; ignored", name);
		return (NULL);
	}
	return (t);
}

void
acpi_madt_parse(const struct acpi_sdt *madt, struct acpi_info *ai)
{
	const uint8_t *p = (const uint8_t *)madt, *end = p + madt->length;
	uint32_t lapic;

	if (madt->length < sizeof(*madt) + 8) {
		acpi_warn(ai, "APIC: too short");
		return;
	}
	memcpy(&lapic, p + sizeof(*madt), 4);
	ai->lapic_pa = lapic;
	ai->madt = true;
	/* With a MADT, ISA IRQs are identity-mapped unless overridden. */
	for (int i = 0; i < 16; i++) {
		ai->isa[i].gsi = i;
		ai->isa[i].active_low = ai->isa[i].level = false;
	}
	for (p += sizeof(*madt) + 8; p + 2 <= end; p += p[1]) {
		if (p[1] < 2 || p + p[1] > end) {
			acpi_warn(ai, "APIC: bad entry length %u", p[1]);
			break;
		}
		switch (p[0]) {
		case 0:		/* processor local APIC */
			if (p[1] >= 8 && (p[4] & 1))
				ai->ncpu++;
			break;
		case 1: {	/* I/O APIC */
			uint32_t addr, gsibase;

			if (p[1] < 12)
				break;
			memcpy(&addr, p + 4, 4);
			memcpy(&gsibase, p + 8, 4);
			if (gsibase == 0)
				ai->ioapic_pa = addr;
			ai->nioapic++;
			break;
		}
		case 2: {	/* interrupt source override */
			uint32_t gsi;
			uint16_t fl;

			if (p[1] < 10 || p[2] != 0 || p[3] >= 16)
				break;
			memcpy(&gsi, p + 4, 4);
			memcpy(&fl, p + 8, 2);
			ai->isa[p[3]].gsi = gsi;
			ai->isa[p[3]].active_low = (fl & 3) == 3;
			ai->isa[p[3]].level = ((fl >> 2) & 3) == 3;
			break;
		}
		case 5:		/* 64-bit local APIC address */
			if (p[1] >= 12)
				memcpy(&ai->lapic_pa, p + 4, 8);
			break;
		}
	}
}

/* FADT field offsets (ACPI 6.4, table 5.9). */
#define FADT_DSDT		40
#define FADT_SMI_CMD		48
#define FADT_ACPI_ENABLE	52
#define FADT_PM1A_CNT		64
#define FADT_PM1B_CNT		68
#define FADT_BOOT_ARCH		109
#define FADT_FLAGS		112
#define FADT_RESET_REG		116
#define FADT_RESET_VALUE	128
#define FADT_X_DSDT		140

void
acpi_fadt_parse(const struct acpi_sdt *fadt, struct acpi_info *ai)
{
	const uint8_t *p = (const uint8_t *)fadt;
	uint32_t dsdt, flags;
	uint64_t xdsdt = 0;

	if (fadt->length < FADT_PM1B_CNT + 4) {
		acpi_warn(ai, "FACP: too short");
		return;
	}
	ai->fadt = true;
	memcpy(&dsdt, p + FADT_DSDT, 4);
	memcpy(&ai->smi_cmd, p + FADT_SMI_CMD, 4);
	ai->acpi_enable = p[FADT_ACPI_ENABLE];
	memcpy(&ai->pm1a_cnt, p + FADT_PM1A_CNT, 4);
	memcpy(&ai->pm1b_cnt, p + FADT_PM1B_CNT, 4);
	if (fadt->length >= FADT_X_DSDT + 8)
		memcpy(&xdsdt, p + FADT_X_DSDT, 8);
	ai->dsdt = xdsdt != 0 ? xdsdt : dsdt;
	if (fadt->length >= FADT_RESET_VALUE + 1) {
		memcpy(&ai->boot_arch, p + FADT_BOOT_ARCH, 2);
		memcpy(&flags, p + FADT_FLAGS, 4);
		memcpy(&ai->reset_reg, p + FADT_RESET_REG,
		    sizeof(ai->reset_reg));
		ai->reset_value = p[FADT_RESET_VALUE];
		ai->reset_ok = (flags & ACPI_FADT_RESET_REG_SUP) &&
		    ai->reset_reg.address != 0 &&
		    (ai->reset_reg.space == ACPI_GAS_IO ||
		    ai->reset_reg.space == ACPI_GAS_MEMORY);
	}
}

/* An AML integer constant at a[*p]; false if it is none we know. */
static bool
aml_small_int(const uint8_t *a, size_t len, size_t *p, uint8_t *v)
{
	if (*p >= len)
		return (false);
	switch (a[*p]) {
	case AML_ZERO:
	case AML_ONE:
		*v = a[(*p)++];
		return (true);
	case AML_BYTE_PREFIX:
	case AML_WORD_PREFIX:
	case AML_DWORD_PREFIX: {
		size_t n = a[*p] == AML_BYTE_PREFIX ? 1 :
		    a[*p] == AML_WORD_PREFIX ? 2 : 4;

		if (*p + 1 + n > len)
			return (false);
		*v = a[*p + 1];		/* SLP_TYP is 3 bits: low byte */
		*p += 1 + n;
		return (true);
	}
	}
	return (false);
}

/*
 * Find `Name (_S5, Package () { SLP_TYPa, SLP_TYPb, ... })` in AML:
 * NameOp, optional root prefix, "_S5_", PackageOp, PkgLength (1-4 bytes,
 * the count of extra bytes in the top two bits of the first), NumElements,
 * then the integers.
 */
bool
acpi_find_s5(const uint8_t *aml, size_t len, uint8_t *typa, uint8_t *typb)
{
	for (size_t i = 1; i + 4 <= len; i++) {
		size_t p;
		uint8_t a, b;

		if (memcmp(aml + i, "_S5_", 4) != 0)
			continue;
		if (aml[i - 1] != AML_NAME && !(aml[i - 1] == AML_ROOT_CHAR &&
		    i >= 2 && aml[i - 2] == AML_NAME))
			continue;	/* a reference, not the definition */
		p = i + 4;
		if (p >= len || aml[p] != AML_PACKAGE)
			continue;
		p++;
		if (p >= len)
			return (false);
		p += 1 + (aml[p] >> 6);		/* PkgLength */
		if (p >= len || aml[p] < 2)	/* NumElements */
			continue;
		p++;
		if (!aml_small_int(aml, len, &p, &a) ||
		    !aml_small_int(aml, len, &p, &b))
			continue;
		*typa = a & 7;
		*typb = b & 7;
		return (true);
	}
	return (false);
}

void
acpi_parse(const void *rsdp_buf, size_t rsdp_len, acpi_map_fn map,
    void *arg, struct acpi_info *ai)
{
	const struct acpi_rsdp *rsdp = rsdp_buf;
	const struct acpi_sdt *root = NULL, *t;
	int width = 4;

	memset(ai, 0, sizeof(*ai));
	ai->lapic_pa = 0xfee00000;
	ai->ioapic_pa = 0xfec00000;
	for (int i = 0; i < 16; i++)
		ai->isa[i].gsi = i;
	ai->isa[0].gsi = 2;	/* the PIT, on every PC since the APIC */

	if (rsdp == NULL || rsdp_len < 20) {
		acpi_warn(ai, "no RSDP: ACPI tables not found");
		return;
	}
	if (memcmp(rsdp->signature, "RSD PTR ", 8) != 0 ||
	    !acpi_checksum_ok(rsdp, 20)) {
		acpi_warn(ai, "RSDP: bad signature or checksum");
		return;
	}
	ai->rsdp_ok = true;
	ai->revision = rsdp->revision;
	if (rsdp->revision >= 2 && rsdp_len >= sizeof(*rsdp) &&
	    rsdp->xsdt != 0) {
		if (rsdp->length < sizeof(*rsdp) || rsdp->length > rsdp_len ||
		    !acpi_checksum_ok(rsdp, rsdp->length))
			acpi_warn(ai,
			    "RSDP: bad extended checksum; using RSDT");
		else if ((root = map_table(rsdp->xsdt, "XSDT", map, arg,
		    ai)) != NULL) {
			ai->xsdt = true;
			width = 8;
		}
	}
	if (root == NULL &&
	    (root = map_table(rsdp->rsdt, "RSDT", map, arg, ai)) == NULL)
		return;
	ai->ntables = MIN((root->length - sizeof(*root)) / width,
	    ACPI_MAX_TABLES);
	for (int i = 0; i < ai->ntables; i++) {
		uint64_t pa = 0;

		memcpy(&pa, (const uint8_t *)(root + 1) + i * width, width);
		if ((t = map_table(pa, NULL, map, arg, ai)) == NULL)
			continue;
		if (memcmp(t->signature, "APIC", 4) == 0 && !ai->madt)
			acpi_madt_parse(t, ai);
		else if (memcmp(t->signature, "FACP", 4) == 0 && !ai->fadt)
			acpi_fadt_parse(t, ai);
		else if (memcmp(t->signature, "HPET", 4) == 0 &&
		    t->length >= 56) {
			struct acpi_gas g;

			memcpy(&g, (const uint8_t *)t + 40, sizeof(g));
			if (g.space == ACPI_GAS_MEMORY)
				ai->hpet_pa = g.address;
		}
	}
	if (!ai->madt)
		acpi_warn(ai, "no MADT: default interrupt routing");
	if (!ai->fadt) {
		acpi_warn(ai, "no FADT: no ACPI power-off");
		return;
	}
	if ((t = map_table(ai->dsdt, "DSDT", map, arg, ai)) == NULL)
		return;
	ai->s5 = acpi_find_s5((const uint8_t *)(t + 1),
	    t->length - sizeof(*t), &ai->slp_typa, &ai->slp_typb);
	if (!ai->s5)
		acpi_warn(ai, "DSDT: no \\_S5 object: no ACPI power-off");
}
