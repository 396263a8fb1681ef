/*
 * multiboot.c: host unit tests for kernel/multiboot.c (multiboot_parse).
 *
 * A fake physical memory (one array standing for the physical range
 * [FAKE_BASE, FAKE_BASE + FAKE_SIZE)) holds a multiboot information block,
 * its memory map, module list and strings, built the way a boot loader
 * would.  The map callback refuses anything outside it, as the kernel's
 * boot_map refuses memory it has not mapped.  Each test states the exact
 * usable map a correct parser must produce: page aligned, sorted, merged,
 * with every non-available byte cut out and page 0 never usable.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <multiboot.h>

#define FAKE_BASE	0x10000UL
#define FAKE_SIZE	0x8000UL
#define MBI_PA		(FAKE_BASE + 0x0000)
#define MMAP_PA		(FAKE_BASE + 0x1000)
#define MODS_PA		(FAKE_BASE + 0x3000)
#define STR_PA		(FAKE_BASE + 0x4000)

#define MiB		(1UL << 20)
#define TYPE_AVAIL	1
#define TYPE_RESERVED	2
#define TYPE_ACPI	3

static uint8_t phys[FAKE_SIZE];
static size_t mmap_len;		/* bytes of memory map written */
static size_t str_len;		/* bytes of strings written */
static struct bootinfo bi;

static const void *
fake_map(paddr_t pa, size_t len, void *arg)
{
	if (pa < FAKE_BASE || pa + len < pa || pa + len > FAKE_BASE + FAKE_SIZE)
		return (NULL);
	return (phys + (pa - FAKE_BASE));
}

static struct multiboot_info *
mbi(void)
{
	return ((struct multiboot_info *)(phys + (MBI_PA - FAKE_BASE)));
}

static int
setup(void **state)
{
	memset(phys, 0, sizeof(phys));
	memset(&bi, 0xa5, sizeof(bi));	/* the parser must clear it */
	mmap_len = 0;
	str_len = 0;
	return (0);
}

/* Append a memory map entry with the given size field (normally 20). */
static void
add_entry_sized(uint32_t size, uint64_t addr, uint64_t len, uint32_t type)
{
	struct multiboot_mmap_entry e = { size, addr, len, type };

	memcpy(phys + (MMAP_PA - FAKE_BASE) + mmap_len, &e, sizeof(e));
	mmap_len += size + 4;
	mbi()->flags |= MBI_FLAG_MMAP;
	mbi()->mmap_addr = MMAP_PA;
	mbi()->mmap_length = mmap_len;
}

static void
add_entry(uint64_t addr, uint64_t len, uint32_t type)
{
	add_entry_sized(20, addr, len, type);
}

static uint32_t
add_string(const char *s)
{
	uint32_t pa = STR_PA + str_len;

	strcpy((char *)phys + (pa - FAKE_BASE), s);
	str_len += strlen(s) + 1;
	return (pa);
}

static void
add_module(uint32_t start, uint32_t end, const char *name)
{
	struct multiboot_mod *m;

	m = (struct multiboot_mod *)(phys + (MODS_PA - FAKE_BASE)) +
	    mbi()->mods_count;
	m->mod_start = start;
	m->mod_end = end;
	m->string = name != NULL ? add_string(name) : 0;
	mbi()->flags |= MBI_FLAG_MODS;
	mbi()->mods_addr = MODS_PA;
	mbi()->mods_count++;
}

static int
parse(void)
{
	return (multiboot_parse(MULTIBOOT_LOADER_MAGIC, MBI_PA, fake_map, NULL,
	    &bi));
}

static void
assert_range(int i, paddr_t start, paddr_t end)
{
	assert_true(i < bi.nmem);
	assert_int_equal(bi.mem[i].start, start);
	assert_int_equal(bi.mem[i].end, end);
}

static bool
has_warning(const char *part)
{
	for (int i = 0; i < bi.nwarn && i < (int)nitems(bi.warn); i++)
		if (strstr(bi.warn[i], part) != NULL)
			return (true);
	return (false);
}

/* What QEMU's BIOS reports for -m 128. */
static void
test_typical_pc_map(void **state)
{
	add_entry(0, 0x9fc00, TYPE_AVAIL);
	add_entry(0x9fc00, 0x400, TYPE_RESERVED);
	add_entry(0xf0000, 0x10000, TYPE_RESERVED);
	add_entry(MiB, 127 * MiB - 0x20000, TYPE_AVAIL);
	add_entry(0xfffc0000, 0x40000, TYPE_RESERVED);
	assert_int_equal(parse(), 0);
	assert_int_equal(bi.nmem, 2);
	assert_range(0, 0x1000, 0x9f000);	/* page 0 never usable */
	assert_range(1, MiB, 128 * MiB - 0x20000);
	assert_int_equal(bi_total(&bi),
	    (0x9f000 - 0x1000) + (127 * MiB - 0x20000));
	assert_int_equal(bi.nmods, 0);
	assert_int_equal(bi.nwarn, 0);
}

static void
test_holes_stay_holes(void **state)
{
	add_entry(MiB, MiB, TYPE_AVAIL);
	add_entry(4 * MiB, MiB, TYPE_AVAIL);
	add_entry(8 * MiB, 2 * MiB, TYPE_AVAIL);
	assert_int_equal(parse(), 0);
	assert_int_equal(bi.nmem, 3);
	assert_range(0, MiB, 2 * MiB);
	assert_range(1, 4 * MiB, 5 * MiB);
	assert_range(2, 8 * MiB, 10 * MiB);
	assert_int_equal(bi_total(&bi), 4 * MiB);
}

static void
test_overlapping_available_merged(void **state)
{
	add_entry(MiB, 3 * MiB, TYPE_AVAIL);		/* [1, 4) */
	add_entry(2 * MiB, 3 * MiB, TYPE_AVAIL);	/* [2, 5) */
	add_entry(5 * MiB, MiB, TYPE_AVAIL);		/* [5, 6) touches */
	add_entry(MiB + 0x1000, 0x1000, TYPE_AVAIL);	/* inside */
	assert_int_equal(parse(), 0);
	assert_int_equal(bi.nmem, 1);
	assert_range(0, MiB, 6 * MiB);
	assert_int_equal(bi_total(&bi), 5 * MiB);
}

static void
test_one_range_bridging_several(void **state)
{
	add_entry(MiB, MiB, TYPE_AVAIL);
	add_entry(3 * MiB, MiB, TYPE_AVAIL);
	add_entry(5 * MiB, MiB, TYPE_AVAIL);
	add_entry(0x180000, 4 * MiB, TYPE_AVAIL);	/* [1.5, 5.5) */
	assert_int_equal(parse(), 0);
	assert_int_equal(bi.nmem, 1);
	assert_range(0, MiB, 6 * MiB);
}

static void
test_reserved_overrides_available(void **state)
{
	/* Reserved listed before and after the available range it cuts. */
	add_entry(4 * MiB, MiB, TYPE_RESERVED);
	add_entry(MiB, 15 * MiB, TYPE_AVAIL);		/* [1, 16) */
	add_entry(10 * MiB, 0x1800, TYPE_ACPI);		/* unaligned */
	add_entry(15 * MiB, 2 * MiB, TYPE_RESERVED);	/* over the end */
	assert_int_equal(parse(), 0);
	assert_int_equal(bi.nmem, 3);
	assert_range(0, MiB, 4 * MiB);
	assert_range(1, 5 * MiB, 10 * MiB);
	/* A partly reserved page is not usable: cut rounds outwards. */
	assert_range(2, 10 * MiB + 0x2000, 15 * MiB);
}

static void
test_reserved_swallows_available(void **state)
{
	add_entry(MiB, MiB, TYPE_AVAIL);
	add_entry(4 * MiB, MiB, TYPE_AVAIL);
	add_entry(0x80000, 3 * MiB, TYPE_RESERVED);	/* covers [1, 2) */
	assert_int_equal(parse(), 0);
	assert_int_equal(bi.nmem, 1);
	assert_range(0, 4 * MiB, 5 * MiB);
}

static void
test_available_and_reserved_same_range(void **state)
{
	add_entry(MiB, MiB, TYPE_AVAIL);
	add_entry(MiB, MiB, TYPE_RESERVED);
	add_entry(8 * MiB, MiB, TYPE_AVAIL);
	assert_int_equal(parse(), 0);
	assert_int_equal(bi.nmem, 1);
	assert_range(0, 8 * MiB, 9 * MiB);
}

static void
test_unsorted_entries_sorted(void **state)
{
	add_entry(64 * MiB, MiB, TYPE_AVAIL);
	add_entry(MiB, MiB, TYPE_AVAIL);
	add_entry(16 * MiB, MiB, TYPE_AVAIL);
	add_entry(0, 0x9f000, TYPE_AVAIL);
	assert_int_equal(parse(), 0);
	assert_int_equal(bi.nmem, 4);
	assert_range(0, 0x1000, 0x9f000);
	assert_range(1, MiB, 2 * MiB);
	assert_range(2, 16 * MiB, 17 * MiB);
	assert_range(3, 64 * MiB, 65 * MiB);
}

static void
test_unaligned_available_rounded_inwards(void **state)
{
	add_entry(MiB + 0x800, MiB, TYPE_AVAIL);	/* [1M+2K, 2M+2K) */
	add_entry(4 * MiB, 0xfff, TYPE_AVAIL);		/* less than a page */
	assert_int_equal(parse(), 0);
	assert_int_equal(bi.nmem, 1);
	assert_range(0, MiB + 0x1000, 2 * MiB);
}

static void
test_zero_length_entries_ignored(void **state)
{
	add_entry(MiB, 0, TYPE_AVAIL);
	add_entry(2 * MiB, MiB, TYPE_AVAIL);
	add_entry(2 * MiB + 0x1000, 0, TYPE_RESERVED);
	assert_int_equal(parse(), 0);
	assert_int_equal(bi.nmem, 1);
	assert_range(0, 2 * MiB, 3 * MiB);
	assert_int_equal(bi.nwarn, 0);
}

static void
test_wrapping_entry_ignored(void **state)
{
	add_entry(0xfffffffffffff000UL, 0x2000, TYPE_AVAIL);
	add_entry(MiB, MiB, TYPE_AVAIL);
	add_entry(0xffffffffffff0000UL, 0x20000, TYPE_RESERVED);
	assert_int_equal(parse(), 0);
	assert_int_equal(bi.nmem, 1);
	assert_range(0, MiB, 2 * MiB);
	assert_true(has_warning("wraps"));
}

static void
test_corrupt_entry_size_stops_map(void **state)
{
	add_entry(MiB, MiB, TYPE_AVAIL);
	add_entry_sized(0, 8 * MiB, MiB, TYPE_AVAIL);	/* size < 20 */
	add_entry(16 * MiB, MiB, TYPE_AVAIL);		/* never reached */
	assert_int_equal(parse(), 0);
	assert_true(has_warning("corrupt memory map entry"));
	assert_int_equal(bi.nmem, 1);
	assert_range(0, MiB, 2 * MiB);
}

static void
test_larger_entry_size_is_stride(void **state)
{
	/* ACPI 3.0 entries carry 4 more bytes: size 24, stride 28. */
	add_entry_sized(24, MiB, MiB, TYPE_AVAIL);
	add_entry_sized(24, 4 * MiB, MiB, TYPE_AVAIL);
	assert_int_equal(parse(), 0);
	assert_int_equal(bi.nmem, 2);
	assert_range(0, MiB, 2 * MiB);
	assert_range(1, 4 * MiB, 5 * MiB);
}

static void
test_unreadable_memory_map(void **state)
{
	mbi()->flags = MBI_FLAG_MMAP;
	mbi()->mmap_addr = 0x7fff0000;		/* outside what can be mapped */
	mbi()->mmap_length = 48;
	assert_int_equal(parse(), 0);
	assert_true(has_warning("corrupt memory map entry"));
	assert_int_equal(bi.nmem, 0);
	assert_int_equal(bi_total(&bi), 0);
}

static void
test_no_mmap_uses_mem_lower_upper(void **state)
{
	mbi()->flags = MBI_FLAG_MEM;
	mbi()->mem_lower = 639;			/* KiB below 1 MiB */
	mbi()->mem_upper = 31 * 1024;		/* KiB above 1 MiB */
	assert_int_equal(parse(), 0);
	assert_true(has_warning("no memory map"));
	assert_int_equal(bi.nmem, 2);
	assert_range(0, 0x1000, 0x9f000);	/* 639 KiB rounded down */
	assert_range(1, MiB, 32 * MiB);
}

static void
test_no_memory_information(void **state)
{
	mbi()->flags = MBI_FLAG_CMDLINE;
	mbi()->cmdline = add_string("ktest");
	assert_int_equal(parse(), -1);
	assert_true(has_warning("no memory information"));
}

static void
test_bad_magic(void **state)
{
	add_entry(MiB, MiB, TYPE_AVAIL);
	assert_int_equal(multiboot_parse(0x1badb002 /* the header magic */, MBI_PA,
	    fake_map, NULL, &bi), -1);
	assert_true(has_warning("not loaded by a multiboot loader"));
	assert_int_equal(bi.nmem, 0);
}

static void
test_unreadable_mbi(void **state)
{
	assert_int_equal(multiboot_parse(MULTIBOOT_LOADER_MAGIC, 0x123000,
	    fake_map, NULL, &bi), -1);
	assert_true(has_warning("unreadable"));
}

static void
test_cmdline_copied_and_truncated(void **state)
{
	char longline[400];

	mbi()->flags |= MBI_FLAG_CMDLINE;
	mbi()->cmdline = add_string("/boot/kernel.elf ktest quiet");
	add_entry(MiB, MiB, TYPE_AVAIL);
	assert_int_equal(parse(), 0);
	assert_string_equal(bi.cmdline, "/boot/kernel.elf ktest quiet");

	setup(NULL);
	memset(longline, 'a', sizeof(longline) - 1);
	longline[sizeof(longline) - 1] = '\0';
	mbi()->flags |= MBI_FLAG_CMDLINE;
	mbi()->cmdline = add_string(longline);
	add_entry(MiB, MiB, TYPE_AVAIL);
	assert_int_equal(parse(), 0);
	assert_int_equal(strlen(bi.cmdline), BI_CMDLINE - 1);
}

static void
test_modules_reserved(void **state)
{
	add_entry(MiB, 15 * MiB, TYPE_AVAIL);
	add_module(2 * MiB, 2 * MiB + 0x80123, "initramfs.cpio");
	add_module(8 * MiB, 9 * MiB, NULL);
	assert_int_equal(parse(), 0);
	assert_int_equal(bi.nmods, 2);
	assert_int_equal(bi.mods[0].start, 2 * MiB);
	assert_int_equal(bi.mods[0].end, 2 * MiB + 0x80123);
	assert_string_equal(bi.mods[0].name, "initramfs.cpio");
	assert_string_equal(bi.mods[1].name, "");
	assert_int_equal(bi.nmem, 3);
	assert_range(0, MiB, 2 * MiB);
	assert_range(1, 2 * MiB + 0x81000, 8 * MiB);	/* end rounded up */
	assert_range(2, 9 * MiB, 16 * MiB);
}

static void
test_module_end_before_start_ignored(void **state)
{
	add_entry(MiB, 15 * MiB, TYPE_AVAIL);
	add_module(4 * MiB, 3 * MiB, "bad");
	add_module(5 * MiB, 6 * MiB, "good");
	assert_int_equal(parse(), 0);
	assert_true(has_warning("module 0 has end before start"));
	assert_int_equal(bi.nmods, 1);
	assert_string_equal(bi.mods[0].name, "good");
	assert_int_equal(bi.nmem, 2);
	assert_range(0, MiB, 5 * MiB);	/* the bad module reserves nothing */
	assert_range(1, 6 * MiB, 16 * MiB);
}

static void
test_module_outside_ram_ignored(void **state)
{
	/* A loader that put a module past the end of RAM (QEMU -m 16 with a
	 * 24 MiB -initrd): the module is refused, not read. */
	add_entry(MiB, 15 * MiB, TYPE_AVAIL);
	add_module(10 * MiB, 34 * MiB, "huge");
	add_module(5 * MiB, 6 * MiB, "good");
	assert_int_equal(parse(), 0);
	assert_true(has_warning("module 0 [0xa00000-0x2200000) is not in RAM"));
	assert_int_equal(bi.nmods, 1);
	assert_string_equal(bi.mods[0].name, "good");
	assert_range(1, 6 * MiB, 16 * MiB);
}

static void
test_too_many_modules(void **state)
{
	add_entry(MiB, 63 * MiB, TYPE_AVAIL);
	for (int i = 0; i < BI_MAXMODS + 2; i++)
		add_module((2 + i) * MiB, (2 + i) * MiB + 0x1000, "m");
	assert_int_equal(parse(), 0);
	assert_int_equal(bi.nmods, BI_MAXMODS);
	assert_true(has_warning("too many modules"));
}

static void
test_only_memory_below_16m(void **state)
{
	add_entry(0, 0x9fc00, TYPE_AVAIL);
	add_entry(0xf0000, 0x10000, TYPE_RESERVED);
	add_entry(MiB, 14 * MiB, TYPE_AVAIL);
	assert_int_equal(parse(), 0);
	assert_int_equal(bi.nmem, 2);
	assert_range(0, 0x1000, 0x9f000);
	assert_range(1, MiB, 15 * MiB);
	assert_int_equal(bi_total(&bi), 0x9e000 + 14 * MiB);
	assert_true(bi_total(&bi) < 16 * MiB);
}

static void
test_memory_map_full(void **state)
{
	/* More disjoint ranges than bootinfo holds: keep the first ones. */
	for (int i = 0; i < BI_MAXMEM + 6; i++)
		add_entry((uint64_t)(i + 1) * 2 * MiB, MiB, TYPE_AVAIL);
	assert_int_equal(parse(), 0);
	assert_int_equal(bi.nmem, BI_MAXMEM);
	assert_true(has_warning("memory map full"));
	for (int i = 1; i < bi.nmem; i++)
		assert_true(bi.mem[i - 1].end < bi.mem[i].start);
}

static void
test_bi_reserve_splits(void **state)
{
	add_entry(MiB, 15 * MiB, TYPE_AVAIL);
	assert_int_equal(parse(), 0);
	bi_reserve(&bi, 4 * MiB + 1, 5 * MiB - 1);	/* rounded outwards */
	assert_int_equal(bi.nmem, 2);
	assert_range(0, MiB, 4 * MiB);
	assert_range(1, 5 * MiB, 16 * MiB);
	bi_reserve(&bi, 0, 2 * MiB);			/* trims the head */
	assert_range(0, 2 * MiB, 4 * MiB);
	bi_reserve(&bi, 15 * MiB, 100 * MiB);		/* trims the tail */
	assert_range(1, 5 * MiB, 15 * MiB);
	bi_reserve(&bi, 0, 1UL << 40);			/* everything */
	assert_int_equal(bi.nmem, 0);
	assert_int_equal(bi_total(&bi), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup(name, setup)
		T(test_typical_pc_map),
		T(test_holes_stay_holes),
		T(test_overlapping_available_merged),
		T(test_one_range_bridging_several),
		T(test_reserved_overrides_available),
		T(test_reserved_swallows_available),
		T(test_available_and_reserved_same_range),
		T(test_unsorted_entries_sorted),
		T(test_unaligned_available_rounded_inwards),
		T(test_zero_length_entries_ignored),
		T(test_wrapping_entry_ignored),
		T(test_corrupt_entry_size_stops_map),
		T(test_larger_entry_size_is_stride),
		T(test_unreadable_memory_map),
		T(test_no_mmap_uses_mem_lower_upper),
		T(test_no_memory_information),
		T(test_bad_magic),
		T(test_unreadable_mbi),
		T(test_cmdline_copied_and_truncated),
		T(test_modules_reserved),
		T(test_module_end_before_start_ignored),
		T(test_module_outside_ram_ignored),
		T(test_too_many_modules),
		T(test_only_memory_below_16m),
		T(test_memory_map_full),
		T(test_bi_reserve_splits),
#undef T
	};

	return (cmocka_run_group_tests_name("multiboot", tests, NULL, NULL));
}
