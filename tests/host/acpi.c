/*
 * acpi.c: host unit tests for kernel/acpi_tables.c.
 *
 * A fake physical memory holds tables built the way firmware lays them
 * out: an RSDP pointing to an RSDT (and, for ACPI 2.0, an XSDT), a MADT
 * with processors, an I/O APIC and interrupt overrides, a FADT pointing to
 * a DSDT that contains `Name (_S5, Package () {...})` in AML, and an HPET.
 * Each test checks the exact values a correct parser must produce, and the
 * damaged cases (bad checksums, lengths, signatures, entry sizes, missing
 * \_S5) must keep the documented defaults and say why.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <acpi.h>

#define FAKE_BASE	0xe0000UL
#define FAKE_SIZE	0x10000UL
#define RSDT_PA		(FAKE_BASE + 0x1000)
#define XSDT_PA		(FAKE_BASE + 0x2000)
#define MADT_PA		(FAKE_BASE + 0x3000)
#define FADT_PA		(FAKE_BASE + 0x4000)
#define DSDT_PA		(FAKE_BASE + 0x5000)
#define HPET_PA		(FAKE_BASE + 0x6000)

static uint8_t phys[FAKE_SIZE];
static struct acpi_rsdp rsdp;
static struct acpi_info ai;

static const void *
fake_map(paddr_t pa, size_t len, void *arg)
{
	if (pa < FAKE_BASE || pa + len < pa || pa + len > FAKE_BASE + FAKE_SIZE)
		return (NULL);
	return (phys + (pa - FAKE_BASE));
}

static uint8_t *
at(paddr_t pa)
{
	return (phys + (pa - FAKE_BASE));
}

static uint8_t
sum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t s = 0;

	while (len-- > 0)
		s += *b++;
	return (s);
}

/* Start a table at pa: header with signature; body appended by caller. */
static struct acpi_sdt *
table(paddr_t pa, const char *sig, uint32_t len)
{
	struct acpi_sdt *t = (struct acpi_sdt *)at(pa);

	memcpy(t->signature, sig, 4);
	t->length = len;
	t->revision = 1;
	memcpy(t->oemid, "MICATS", 6);
	return (t);
}

static void
seal(struct acpi_sdt *t)
{
	t->checksum = 0;
	t->checksum = -sum(t, t->length);
}

static void
build_madt(void)
{
	uint8_t e[] = {
		0, 8, 0, 0, 1, 0, 0, 0,			/* CPU 0, enabled */
		0, 8, 1, 1, 0, 0, 0, 0,			/* CPU 1, disabled */
		1, 12, 0, 0, 0x00, 0x10, 0xc0, 0xfe, 0, 0, 0, 0, /* IOAPIC */
		2, 10, 0, 0, 2, 0, 0, 0, 0, 0,		/* IRQ 0 -> GSI 2 */
		2, 10, 0, 9, 9, 0, 0, 0, 0x0f, 0,	/* IRQ 9 level low */
		2, 10, 1, 5, 20, 0, 0, 0, 0, 0,		/* bus 1: ignored */
	};
	struct acpi_sdt *t = table(MADT_PA, "APIC", 44 + sizeof(e));
	uint32_t lapic = 0xfee00000;

	memcpy((uint8_t *)t + 36, &lapic, 4);
	memcpy((uint8_t *)t + 44, e, sizeof(e));
	seal(t);
}

/* AML: Name (_S5, Package (0x04) { 0x05, Zero, Zero, Zero }) */
static const uint8_t s5_aml[] = {
	0x10, 0x05, '_', 'S', 'B', '_',		/* a Scope header, noise */
	0x70, '_', 'S', '5', '_',		/* a reference: not it */
	0x08, '_', 'S', '5', '_', 0x12, 0x08, 0x04,
	0x0a, 0x05, 0x00, 0x00, 0x00,
};

static void
build_dsdt(const uint8_t *aml, size_t len)
{
	struct acpi_sdt *t = table(DSDT_PA, "DSDT", 36 + len);

	memcpy(t + 1, aml, len);
	seal(t);
}

static void
build_fadt(uint32_t length)
{
	struct acpi_sdt *t = table(FADT_PA, "FACP", length);
	uint8_t *p = (uint8_t *)t;
	uint32_t dsdt = DSDT_PA, pm1a = 0x604, smi = 0xb2, flags = 1U << 10;
	struct acpi_gas reset = { ACPI_GAS_IO, 8, 0, 1, 0xcf9 };
	uint16_t arch = 2;

	memcpy(p + 40, &dsdt, 4);
	memcpy(p + 48, &smi, 4);
	p[52] = 0xf1;
	memcpy(p + 64, &pm1a, 4);
	if (length >= 129) {
		memcpy(p + 109, &arch, 2);
		memcpy(p + 112, &flags, 4);
		memcpy(p + 116, &reset, sizeof(reset));
		p[128] = 6;
	}
	seal(t);
}

static void
build_hpet(void)
{
	struct acpi_sdt *t = table(HPET_PA, "HPET", 56);
	struct acpi_gas g = { ACPI_GAS_MEMORY, 0, 0, 0, 0xfed00000 };

	memcpy((uint8_t *)t + 40, &g, sizeof(g));
	seal(t);
}

static void
build_rsdt(const uint32_t *pa, int n)
{
	struct acpi_sdt *t = table(RSDT_PA, "RSDT", 36 + 4 * n);

	memcpy(t + 1, pa, 4 * n);
	seal(t);
}

static void
build_xsdt(const uint64_t *pa, int n)
{
	struct acpi_sdt *t = table(XSDT_PA, "XSDT", 36 + 8 * n);

	memcpy(t + 1, pa, 8 * n);
	seal(t);
}

static void
build_rsdp(int rev)
{
	memset(&rsdp, 0, sizeof(rsdp));
	memcpy(rsdp.signature, "RSD PTR ", 8);
	rsdp.revision = rev;
	rsdp.rsdt = RSDT_PA;
	if (rev >= 2) {
		rsdp.length = sizeof(rsdp);
		rsdp.xsdt = XSDT_PA;
	}
	rsdp.checksum = -sum(&rsdp, 20);
	if (rev >= 2)
		rsdp.xchecksum = -sum(&rsdp, sizeof(rsdp));
}

/* A QEMU-like set: RSDT -> APIC, FACP, HPET; FACP -> DSDT. */
static int
setup(void **state)
{
	uint32_t r[] = { MADT_PA, FADT_PA, HPET_PA };

	memset(phys, 0, sizeof(phys));
	memset(&ai, 0xa5, sizeof(ai));
	build_madt();
	build_dsdt(s5_aml, sizeof(s5_aml));
	build_fadt(244);
	build_hpet();
	build_rsdt(r, 3);
	build_rsdp(0);
	return (0);
}

static void
parse(void)
{
	acpi_parse(&rsdp, rsdp.revision >= 2 ? sizeof(rsdp) : 20, fake_map,
	    NULL, &ai);
}

static bool
has_warning(const char *part)
{
	for (int i = 0; i < ai.nwarn && i < ACPI_MAXWARN; i++)
		if (strstr(ai.warn[i], part) != NULL)
			return (true);
	return (false);
}

static void
assert_defaults(void)
{
	assert_false(ai.madt);
	assert_int_equal(ai.ioapic_pa, 0xfec00000);
	assert_int_equal(ai.lapic_pa, 0xfee00000);
	assert_int_equal(ai.isa[0].gsi, 2);
	for (int i = 1; i < 16; i++) {
		assert_int_equal(ai.isa[i].gsi, i);
		assert_false(ai.isa[i].level);
		assert_false(ai.isa[i].active_low);
	}
}

static void
test_qemu_like_tables(void **state)
{
	parse();
	assert_true(ai.rsdp_ok);
	assert_false(ai.xsdt);
	assert_int_equal(ai.ntables, 3);
	assert_true(ai.madt);
	assert_int_equal(ai.ncpu, 1);		/* the disabled one not counted */
	assert_int_equal(ai.nioapic, 1);
	assert_int_equal(ai.ioapic_pa, 0xfec01000);
	assert_int_equal(ai.isa[0].gsi, 2);
	assert_int_equal(ai.isa[9].gsi, 9);
	assert_true(ai.isa[9].level);
	assert_true(ai.isa[9].active_low);
	assert_int_equal(ai.isa[5].gsi, 5);	/* bus 1 override ignored */
	assert_false(ai.isa[0].level);
	assert_true(ai.fadt);
	assert_int_equal(ai.pm1a_cnt, 0x604);
	assert_int_equal(ai.pm1b_cnt, 0);
	assert_int_equal(ai.smi_cmd, 0xb2);
	assert_int_equal(ai.acpi_enable, 0xf1);
	assert_int_equal(ai.dsdt, DSDT_PA);
	assert_true(ai.reset_ok);
	assert_int_equal(ai.reset_reg.space, ACPI_GAS_IO);
	assert_int_equal(ai.reset_reg.address, 0xcf9);
	assert_int_equal(ai.reset_value, 6);
	assert_int_equal(ai.boot_arch & ACPI_BOOT_ARCH_8042, ACPI_BOOT_ARCH_8042);
	assert_true(ai.s5);
	assert_int_equal(ai.slp_typa, 5);
	assert_int_equal(ai.slp_typb, 0);
	assert_int_equal(ai.hpet_pa, 0xfed00000);
	assert_int_equal(ai.nwarn, 0);
}

static void
test_xsdt_preferred(void **state)
{
	uint64_t x[] = { MADT_PA, FADT_PA };

	build_xsdt(x, 2);
	build_rsdp(2);
	parse();
	assert_true(ai.xsdt);
	assert_int_equal(ai.ntables, 2);
	assert_true(ai.madt);
	assert_true(ai.s5);
	assert_int_equal(ai.hpet_pa, 0);	/* only in the RSDT */
	assert_int_equal(ai.nwarn, 0);
}

static void
test_bad_extended_checksum_uses_rsdt(void **state)
{
	uint64_t x[] = { MADT_PA };

	build_xsdt(x, 1);
	build_rsdp(2);
	rsdp.xchecksum++;
	parse();
	assert_false(ai.xsdt);
	assert_int_equal(ai.ntables, 3);
	assert_true(has_warning("extended checksum"));
	assert_int_equal(ai.hpet_pa, 0xfed00000);
}

static void
test_bad_xsdt_falls_back_to_rsdt(void **state)
{
	uint64_t x[] = { MADT_PA };

	build_xsdt(x, 1);
	build_rsdp(2);
	at(XSDT_PA)[9] ^= 0x40;			/* break its checksum */
	parse();
	assert_false(ai.xsdt);
	assert_true(has_warning("XSDT: bad checksum"));
	assert_true(ai.madt);
	assert_int_equal(ai.ntables, 3);
}

static void
test_no_rsdp(void **state)
{
	acpi_parse(NULL, 0, fake_map, NULL, &ai);
	assert_false(ai.rsdp_ok);
	assert_defaults();
	assert_false(ai.fadt);
	assert_false(ai.s5);
	assert_true(has_warning("no RSDP"));
}

static void
test_bad_rsdp_checksum(void **state)
{
	rsdp.checksum++;
	parse();
	assert_false(ai.rsdp_ok);
	assert_defaults();
	assert_true(has_warning("RSDP: bad signature or checksum"));
}

static void
test_bad_madt_checksum_keeps_defaults(void **state)
{
	at(MADT_PA)[50]++;
	parse();
	assert_defaults();
	assert_true(has_warning("APIC: bad checksum"));
	assert_true(has_warning("no MADT"));
	assert_true(ai.fadt);			/* the others still read */
	assert_true(ai.s5);
}

static void
test_madt_zero_length_entry_stops(void **state)
{
	struct acpi_sdt *t = (struct acpi_sdt *)at(MADT_PA);

	/* Second entry (the disabled CPU) gets length 0. */
	at(MADT_PA)[44 + 8 + 1] = 0;
	seal(t);
	parse();
	assert_true(ai.madt);
	assert_int_equal(ai.ncpu, 1);
	assert_int_equal(ai.nioapic, 0);	/* after the damage: not read */
	assert_int_equal(ai.ioapic_pa, 0xfec00000);
	assert_true(has_warning("bad entry length"));
}

static void
test_madt_entry_past_end_stops(void **state)
{
	struct acpi_sdt *t = (struct acpi_sdt *)at(MADT_PA);

	t->length -= 5;			/* cuts the last override in half */
	seal(t);
	parse();
	assert_true(ai.madt);
	assert_int_equal(ai.isa[9].gsi, 9);
	assert_true(ai.isa[9].level);	/* the full entries before it */
	assert_true(has_warning("bad entry length"));
}

static void
test_table_length_lies(void **state)
{
	struct acpi_sdt *t = (struct acpi_sdt *)at(HPET_PA);

	t->length = 0x7fffffff;
	parse();
	assert_int_equal(ai.hpet_pa, 0);
	assert_true(has_warning("HPET: bad length"));
	t->length = 20;			/* shorter than a header */
	parse();
	assert_true(has_warning("HPET: bad length"));
}

static void
test_table_unreadable(void **state)
{
	uint32_t r[] = { MADT_PA, 0x12345000, FADT_PA };

	build_rsdt(r, 3);
	parse();
	assert_true(has_warning("unreadable"));
	assert_true(ai.madt);
	assert_true(ai.fadt);
}

static void
test_dsdt_wrong_signature(void **state)
{
	memcpy(at(DSDT_PA), "SSDT", 4);
	seal((struct acpi_sdt *)at(DSDT_PA));
	parse();
	assert_true(ai.fadt);
	assert_false(ai.s5);
	assert_true(has_warning("DSDT expected"));
}

static void
test_no_s5(void **state)
{
	static const uint8_t aml[] = { 0x08, '_', 'S', '4', '_', 0x12, 0x04,
	    0x02, 0x00, 0x00 };

	build_dsdt(aml, sizeof(aml));
	parse();
	assert_false(ai.s5);
	assert_true(has_warning("no \\_S5"));
}

static void
test_short_fadt(void **state)
{
	build_fadt(116);	/* ACPI 1.0 size: no reset register */
	parse();
	assert_true(ai.fadt);
	assert_false(ai.reset_ok);
	assert_true(ai.s5);
	build_fadt(60);		/* too short to hold PM1 control */
	parse();
	assert_false(ai.fadt);
	assert_false(ai.s5);
	assert_true(has_warning("FACP: too short"));
}

static void
test_s5_encodings(void **state)
{
	uint8_t a, b;
	/* Root prefix, multi-byte PkgLength, OneOp and WordPrefix. */
	static const uint8_t rooted[] = { 0x08, 0x5c, '_', 'S', '5', '_',
	    0x12, 0x40, 0x0a, 0x02, 0x01, 0x0b, 0x07, 0x00 };
	/* Package with one element: not a sleep package. */
	static const uint8_t one[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x03,
	    0x01, 0x0a, 0x05 };
	/* Truncated after the first value. */
	static const uint8_t cut[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x06,
	    0x04, 0x0a, 0x05, 0x0a };
	/* Not a package: Name (_S5, 5). */
	static const uint8_t notpkg[] = { 0x08, '_', 'S', '5', '_', 0x0a,
	    0x05 };

	assert_true(acpi_find_s5(rooted, sizeof(rooted), &a, &b));
	assert_int_equal(a, 1);
	assert_int_equal(b, 7);
	assert_false(acpi_find_s5(one, sizeof(one), &a, &b));
	assert_false(acpi_find_s5(cut, sizeof(cut), &a, &b));
	assert_false(acpi_find_s5(notpkg, sizeof(notpkg), &a, &b));
	assert_false(acpi_find_s5((const uint8_t *)"_S5_", 4, &a, &b));
	assert_true(acpi_find_s5(s5_aml, sizeof(s5_aml), &a, &b));
	assert_int_equal(a, 5);
}

static void
test_rsdp_scan(void **state)
{
	uint8_t area[256];

	memset(area, 0, sizeof(area));
	/* One misaligned copy (ignored), one with a bad checksum, one good. */
	memcpy(area + 8, &rsdp, 20);
	memcpy(area + 64, &rsdp, 20);
	area[64 + 9] ^= 1;
	memcpy(area + 128, &rsdp, 20);
	assert_ptr_equal(acpi_rsdp_scan(area, sizeof(area)), area + 128);
	assert_null(acpi_rsdp_scan(area, 128));
	assert_null(acpi_rsdp_scan(area, 140));	/* a copy cut short */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup(name, setup)
		T(test_qemu_like_tables),
		T(test_xsdt_preferred),
		T(test_bad_extended_checksum_uses_rsdt),
		T(test_bad_xsdt_falls_back_to_rsdt),
		T(test_no_rsdp),
		T(test_bad_rsdp_checksum),
		T(test_bad_madt_checksum_keeps_defaults),
		T(test_madt_zero_length_entry_stops),
		T(test_madt_entry_past_end_stops),
		T(test_table_length_lies),
		T(test_table_unreadable),
		T(test_dsdt_wrong_signature),
		T(test_no_s5),
		T(test_short_fadt),
		T(test_s5_encodings),
		T(test_rsdp_scan),
#undef T
	};

	return (cmocka_run_group_tests_name("acpi", tests, NULL, NULL));
}
