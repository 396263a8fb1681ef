/*
 * multiboot2.c: host unit tests for kernel/multiboot2.c (multiboot2_parse,
 * reached through multiboot_parse with the multiboot 2 magic).
 *
 * A fake physical memory holds a tag list built the way GRUB builds one:
 * total size, reserved word, 8-byte aligned tags, an end tag.  Each test
 * states exactly what a correct parser produces -- the usable map, the
 * modules with their inline names, the framebuffer, the RSDP copy -- and
 * the malformed lists (short tags, tags past the end, no end tag, bad
 * entry sizes, a misaligned or unreadable block) must give warnings and
 * keep only what was read before the damage, never read outside.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <multiboot.h>

#define FAKE_BASE	0x10000UL
#define FAKE_SIZE	0x4000UL
#define MBI_PA		FAKE_BASE
#define MiB		(1UL << 20)

static uint8_t phys[FAKE_SIZE];
static size_t len;		/* bytes of tag list written */
static struct bootinfo bi;

static const void *
fake_map(paddr_t pa, size_t n, void *arg)
{
	if (pa < FAKE_BASE || pa + n < pa || pa + n > FAKE_BASE + FAKE_SIZE)
		return (NULL);
	return (phys + (pa - FAKE_BASE));
}

static int
setup(void **state)
{
	memset(phys, 0, sizeof(phys));
	memset(&bi, 0xa5, sizeof(bi));
	len = 8;
	return (0);
}

/* Append a tag of `size` bytes (header included) with the given body. */
static uint8_t *
tag(uint32_t type, uint32_t size, const void *body, size_t bodylen)
{
	uint8_t *t = phys + len;

	memcpy(t, &type, 4);
	memcpy(t + 4, &size, 4);
	if (body != NULL)
		memcpy(t + 8, body, bodylen);
	len += (size + 7) & ~7UL;
	return (t);
}

static void
end_tag(void)
{
	tag(0, 8, NULL, 0);
}

static int
parse(void)
{
	uint32_t total = len;

	memcpy(phys, &total, 4);
	return (multiboot_parse(MULTIBOOT2_LOADER_MAGIC, MBI_PA, fake_map,
	    NULL, &bi));
}

struct ent {
	uint64_t addr, len;
	uint32_t type, rsvd;
};

static void
mmap_tag(const struct ent *e, int n, uint32_t esize)
{
	uint8_t body[512];
	uint32_t hdr[2] = { esize, 0 };

	memcpy(body, hdr, 8);
	for (int i = 0; i < n; i++)
		memcpy(body + 8 + i * esize, &e[i], sizeof(e[i]));
	tag(6, 16 + n * esize, body, 8 + n * esize);
}

static void
std_mmap(void)
{
	struct ent e[] = {
		{ 0, 0x9fc00, 1, 0 },
		{ MiB, 63 * MiB, 1, 0 },
		{ 8 * MiB, 0x3000, 4, 0 },	/* ACPI NVS inside RAM */
		{ 0xfee00000, 0x1000, 2, 0 },
	};
	mmap_tag(e, 4, 24);
}

static void
module(uint32_t start, uint32_t end, const char *name)
{
	uint8_t body[80];

	memcpy(body, &start, 4);
	memcpy(body + 4, &end, 4);
	strcpy((char *)body + 8, name);
	tag(3, 16 + strlen(name) + 1, body, 8 + strlen(name) + 1);
}

static bool
has_warning(const char *part)
{
	for (int i = 0; i < bi.nwarn && i < (int)nitems(bi.warn); i++)
		if (strstr(bi.warn[i], part) != NULL)
			return (true);
	return (false);
}

static void
assert_range(int i, paddr_t start, paddr_t end)
{
	assert_true(i < bi.nmem);
	assert_int_equal(bi.mem[i].start, start);
	assert_int_equal(bi.mem[i].end, end);
}

/* What GRUB passes under UEFI: mmap, cmdline, module, fb, both RSDPs. */
static void
test_typical_uefi_list(void **state)
{
	uint8_t fb[24] = { 0 };
	uint64_t fbaddr = 0x80000000;
	uint32_t v[3] = { 3200, 800, 600 };
	uint8_t rsdp1[20] = "RSD PTR \x11" "OLD", rsdp2[36] = "RSD PTR \x22";

	tag(1, 8 + 11, "ktest gdb=1", 11);		/* unterminated */
	std_mmap();
	module(0x400000, 0x500000, "initramfs.cpio");
	memcpy(fb, &fbaddr, 8);
	memcpy(fb + 8, v, 12);
	fb[20] = 32;		/* bpp */
	fb[21] = 1;		/* RGB */
	uint8_t col[6] = { 16, 8, 8, 8, 0, 8 };
	uint8_t fbbody[30];
	memcpy(fbbody, fb, 24);
	memcpy(fbbody + 24, col, 6);
	tag(8, 8 + 30, fbbody, 30);
	tag(14, 8 + 20, rsdp1, 20);
	tag(15, 8 + 36, rsdp2, 36);
	end_tag();
	assert_int_equal(parse(), 0);
	assert_int_equal(bi.bootproto, 2);
	assert_string_equal(bi.cmdline, "ktest gdb=1");
	assert_int_equal(bi.nmem, 4);
	assert_range(0, 0x1000, 0x9f000);
	assert_range(1, MiB, 0x400000);			/* module cut out */
	assert_range(2, 0x500000, 8 * MiB);		/* ... and ACPI NVS */
	assert_range(3, 8 * MiB + 0x3000, 64 * MiB);
	assert_int_equal(bi.nmods, 1);
	assert_string_equal(bi.mods[0].name, "initramfs.cpio");
	assert_int_equal(bi.mods[0].start, 0x400000);
	assert_int_equal(bi.mods[0].end, 0x500000);
	assert_true(bi.fb_valid);
	assert_int_equal(bi.fb.addr, 0x80000000);
	assert_int_equal(bi.fb.pitch, 3200);
	assert_int_equal(bi.fb.width, 800);
	assert_int_equal(bi.fb.height, 600);
	assert_int_equal(bi.fb.bpp, 32);
	assert_int_equal(bi.fb.type, BI_FB_RGB);
	assert_int_equal(bi.fb.red_pos, 16);
	assert_int_equal(bi.fb.blue_size, 8);
	/* The 2.0 copy wins, whatever the order. */
	assert_int_equal(bi.rsdp_len, 36);
	assert_int_equal(bi.rsdp[8], 0x22);
	assert_int_equal(bi.nwarn, 0);
}

static void
test_reserved_inside_ram_cut(void **state)
{
	std_mmap();
	end_tag();
	assert_int_equal(parse(), 0);
	assert_int_equal(bi.nmem, 3);
	assert_range(1, MiB, 8 * MiB);
	assert_range(2, 8 * MiB + 0x3000, 64 * MiB);
	assert_false(bi.fb_valid);
	assert_int_equal(bi.rsdp_len, 0);
	assert_int_equal(bi.nmods, 0);
}

static void
test_rsdp_v1_only(void **state)
{
	uint8_t rsdp1[20] = "RSD PTR ";

	std_mmap();
	tag(14, 8 + 20, rsdp1, 20);
	end_tag();
	assert_int_equal(parse(), 0);
	assert_int_equal(bi.rsdp_len, 20);
	assert_memory_equal(bi.rsdp, "RSD PTR ", 8);
}

static void
test_ega_text_framebuffer(void **state)
{
	uint8_t fb[24] = { 0 };
	uint64_t a = 0xb8000;
	uint32_t v[3] = { 160, 80, 25 };

	std_mmap();
	memcpy(fb, &a, 8);
	memcpy(fb + 8, v, 12);
	fb[20] = 16;
	fb[21] = 2;
	tag(8, 8 + 24, fb, 24);
	end_tag();
	assert_int_equal(parse(), 0);
	assert_true(bi.fb_valid);
	assert_int_equal(bi.fb.type, BI_FB_EGA_TEXT);
	assert_int_equal(bi.fb.width, 80);
	assert_int_equal(bi.fb.height, 25);
}

/* A framebuffer whose pitch is smaller than a line of pixels is a lie. */
static void
test_bad_framebuffer_ignored(void **state)
{
	uint8_t fb[30] = { 0 };
	uint64_t a = 0x80000000;
	uint32_t v[3] = { 100, 800, 600 };

	std_mmap();
	memcpy(fb, &a, 8);
	memcpy(fb + 8, v, 12);
	fb[20] = 32;
	fb[21] = 1;
	tag(8, 8 + 30, fb, 30);
	end_tag();
	assert_int_equal(parse(), 0);
	assert_false(bi.fb_valid);
	assert_true(has_warning("framebuffer unusable"));
}

static void
test_short_tag_stops_walk(void **state)
{
	std_mmap();
	tag(1, 4, NULL, 0);			/* size < header */
	module(0x400000, 0x500000, "lost");
	end_tag();
	assert_int_equal(parse(), 0);
	assert_int_equal(bi.nmem, 3);		/* the map before it counts */
	assert_int_equal(bi.nmods, 0);
	assert_true(has_warning("corrupt tag list"));
}

static void
test_tag_past_end_stops_walk(void **state)
{
	std_mmap();
	tag(1, 8 + 5, "hello", 5);
	/* A cmdline tag that claims 4 KiB in a list that ends sooner. */
	tag(1, 4096, "x", 1);
	len = len - 4096 + 16;
	assert_int_equal(parse(), 0);
	assert_string_equal(bi.cmdline, "hello");
	assert_true(has_warning("corrupt tag list"));
}

static void
test_no_end_tag(void **state)
{
	std_mmap();
	tag(1, 8 + 3, "abc", 3);
	assert_int_equal(parse(), 0);
	assert_string_equal(bi.cmdline, "abc");
	assert_true(has_warning("no end tag"));
}

static void
test_bad_entry_size(void **state)
{
	struct ent e[] = { { MiB, 63 * MiB, 1, 0 } };

	mmap_tag(e, 1, 12);		/* smaller than an entry */
	end_tag();
	assert_int_equal(parse(), -1);
	assert_true(has_warning("bad memory map entry size"));
	assert_true(has_warning("no memory information"));
}

/* A larger entry size (a newer loader) is the stride; extra bytes skipped. */
static void
test_larger_entry_size_is_stride(void **state)
{
	uint8_t body[8 + 2 * 32] = { 0 };
	uint32_t hdr[2] = { 32, 0 };
	struct ent e0 = { MiB, MiB, 1, 0 }, e1 = { 4 * MiB, MiB, 1, 0 };

	memcpy(body, hdr, 8);
	memcpy(body + 8, &e0, 24);
	memset(body + 8 + 24, 0xff, 8);
	memcpy(body + 8 + 32, &e1, 24);
	tag(6, 16 + 64, body, 8 + 64);
	end_tag();
	assert_int_equal(parse(), 0);
	assert_int_equal(bi.nmem, 2);
	assert_range(0, MiB, 2 * MiB);
	assert_range(1, 4 * MiB, 5 * MiB);
}

static void
test_basic_meminfo_fallback(void **state)
{
	uint32_t m[2] = { 639, 31 * 1024 };

	tag(4, 16, m, 8);
	end_tag();
	assert_int_equal(parse(), 0);
	assert_true(has_warning("no memory map"));
	assert_int_equal(bi.nmem, 2);
	assert_range(0, 0x1000, 0x9f000);
	assert_range(1, MiB, 32 * MiB);
}

static void
test_no_memory(void **state)
{
	tag(1, 8 + 3, "abc", 3);
	end_tag();
	assert_int_equal(parse(), -1);
	assert_true(has_warning("no memory information"));
}

static void
test_bad_total_size(void **state)
{
	uint32_t total = 8;

	std_mmap();
	end_tag();
	memcpy(phys, &total, 4);
	assert_int_equal(multiboot_parse(MULTIBOOT2_LOADER_MAGIC, MBI_PA,
	    fake_map, NULL, &bi), -1);
	assert_true(has_warning("bad size"));
	total = FAKE_SIZE + 8;		/* runs past what can be mapped */
	memcpy(phys, &total, 4);
	assert_int_equal(multiboot_parse(MULTIBOOT2_LOADER_MAGIC, MBI_PA,
	    fake_map, NULL, &bi), -1);
	assert_true(has_warning("bad size"));
}

static void
test_unreadable_or_misaligned(void **state)
{
	assert_int_equal(multiboot_parse(MULTIBOOT2_LOADER_MAGIC, 0x900000,
	    fake_map, NULL, &bi), -1);
	assert_true(has_warning("unreadable"));
	assert_int_equal(multiboot_parse(MULTIBOOT2_LOADER_MAGIC, MBI_PA + 4,
	    fake_map, NULL, &bi), -1);
	assert_true(has_warning("unreadable"));
}

static void
test_module_outside_ram_and_unterminated_name(void **state)
{
	uint8_t body[8 + 8];
	uint32_t se[2] = { 0x600000, 0x700000 };

	std_mmap();
	module(0xf0000000, 0xf0001000, "far");
	memcpy(body, se, 8);
	memcpy(body + 8, "ABCDEFGH", 8);	/* no NUL inside the tag */
	tag(3, 16 + 8, body, 16);
	end_tag();
	assert_int_equal(parse(), 0);
	assert_true(has_warning("not in RAM"));
	assert_int_equal(bi.nmods, 1);
	assert_string_equal(bi.mods[0].name, "ABCDEFGH");
	assert_int_equal(bi.mods[0].start, 0x600000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup(name, setup)
		T(test_typical_uefi_list),
		T(test_reserved_inside_ram_cut),
		T(test_rsdp_v1_only),
		T(test_ega_text_framebuffer),
		T(test_bad_framebuffer_ignored),
		T(test_short_tag_stops_walk),
		T(test_tag_past_end_stops_walk),
		T(test_no_end_tag),
		T(test_bad_entry_size),
		T(test_larger_entry_size_is_stride),
		T(test_basic_meminfo_fallback),
		T(test_no_memory),
		T(test_bad_total_size),
		T(test_unreadable_or_misaligned),
		T(test_module_outside_ram_and_unterminated_name),
#undef T
	};

	return (cmocka_run_group_tests_name("multiboot2", tests, NULL, NULL));
}
