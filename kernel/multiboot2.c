/*
 * multiboot2.c: the multiboot 2 information (GRUB's `multiboot2`) into
 * bootinfo.
 *
 * Multiboot 2 passes a list of tags -- {type, size} headers, each starting
 * on an 8-byte boundary, ended by a tag of type 0 -- inside one block whose
 * first word is its total size.  It is the only way the kernel learns the
 * memory map, the framebuffer and the ACPI RSDP under UEFI, where there is
 * no BIOS to ask.  The tag walk trusts nothing: a tag that is too short,
 * runs past the block or has a bad entry size stops the walk with a
 * warning, keeping what was read so far.  Memory comes first (a second walk
 * reads the modules, which must lie in RAM); the memory rules are those of
 * multiboot.c, whose helpers this file shares.  Pure code: host-tested in
 * tests/host/multiboot2.c.
 */
#include <libkern.h>
#include <multiboot.h>
#include <printf.h>

#define MB2_TAG_END		0
#define MB2_TAG_CMDLINE		1
#define MB2_TAG_MODULE		3
#define MB2_TAG_BASIC_MEM	4
#define MB2_TAG_MMAP		6
#define MB2_TAG_FRAMEBUFFER	8
#define MB2_TAG_ACPI_OLD	14
#define MB2_TAG_ACPI_NEW	15

#define MB2_INFO_MAX		(1U << 20)	/* more than any loader */

struct mb2_tag {
	uint32_t type;
	uint32_t size;		/* with the header, without padding */
} __packed;

struct mb2_mmap_entry {
	uint64_t addr;
	uint64_t len;
	uint32_t type;
	uint32_t reserved;
} __packed;

struct mb2_tag_fb {
	struct mb2_tag tag;
	uint64_t addr;
	uint32_t pitch, width, height;
	uint8_t bpp, type;
	uint16_t reserved;
	uint8_t red_pos, red_size, green_pos, green_size, blue_pos, blue_size;
} __packed;

/* Copy a NUL-terminated string that must end inside the tag. */
static void
tag_string(const uint8_t *s, size_t room, char *dst, size_t size)
{
	size_t i;

	for (i = 0; i + 1 < size && i < room && s[i] != '\0'; i++)
		dst[i] = s[i];
	dst[i] = '\0';
}

static void
mmap_tag(struct bootinfo *bi, const uint8_t *t, uint32_t size, int pass)
{
	uint32_t esize;

	if (size < 16) {
		bi_warn(bi, "multiboot2: memory map tag too short");
		return;
	}
	memcpy(&esize, t + 8, 4);
	if (esize < sizeof(struct mb2_mmap_entry) || esize % 8 != 0) {
		bi_warn(bi, "multiboot2: bad memory map entry size");
		return;
	}
	for (uint32_t off = 16; off + esize <= size; off += esize) {
		struct mb2_mmap_entry e;

		memcpy(&e, t + off, sizeof(e));
		if (e.addr + e.len < e.addr) {
			if (pass == 0)
				bi_warn(bi, "memory map entry wraps");
		} else if (e.len == 0) {
			/* nothing */
		} else if (pass == 0 && e.type == MULTIBOOT_MEMORY_AVAILABLE)
			bi_add(bi, e.addr, e.addr + e.len);
		else if (pass == 1 && e.type != MULTIBOOT_MEMORY_AVAILABLE)
			bi_reserve(bi, e.addr, e.addr + e.len);
	}
}

static void
fb_tag(struct bootinfo *bi, const uint8_t *t, uint32_t size)
{
	struct mb2_tag_fb fb;

	memset(&fb, 0, sizeof(fb));
	if (size < offsetof(struct mb2_tag_fb, red_pos)) {
		bi_warn(bi, "multiboot2: framebuffer tag too short");
		return;
	}
	memcpy(&fb, t, MIN(size, sizeof(fb)));
	if (fb.addr == 0 || fb.width == 0 || fb.height == 0 ||
	    fb.type > BI_FB_EGA_TEXT ||
	    (uint64_t)fb.pitch * fb.height > (256U << 20) ||
	    (fb.type == BI_FB_RGB && (fb.bpp == 0 || fb.bpp > 32 ||
	    fb.pitch < (uint64_t)fb.width * ((fb.bpp + 7) / 8) ||
	    size < sizeof(fb)))) {
		bi_warn(bi, "multiboot2: framebuffer unusable; ignored");
		return;
	}
	bi->fb.addr = fb.addr;
	bi->fb.pitch = fb.pitch;
	bi->fb.width = fb.width;
	bi->fb.height = fb.height;
	bi->fb.bpp = fb.bpp;
	bi->fb.type = fb.type;
	if (fb.type == BI_FB_RGB) {
		bi->fb.red_pos = fb.red_pos;
		bi->fb.red_size = fb.red_size;
		bi->fb.green_pos = fb.green_pos;
		bi->fb.green_size = fb.green_size;
		bi->fb.blue_pos = fb.blue_pos;
		bi->fb.blue_size = fb.blue_size;
	}
	bi->fb_valid = true;
}

/*
 * Walk the tags; call with pass 0 (memory), 1 (cut reserved ranges), 2
 * (everything else).  Returns whether an end tag closed the list.
 */
struct mb2_mem {
	bool mmap;		/* a memory map tag was seen */
	bool basic;		/* a basic memory tag was seen */
	uint32_t lower, upper;	/* its KiB below 640K and above 1M */
};

static bool
walk(struct bootinfo *bi, const uint8_t *info, uint32_t total, int pass,
    struct mb2_mem *mem)
{
	uint32_t off = 8, nmod = 0;

	while (off + sizeof(struct mb2_tag) <= total) {
		const uint8_t *t = info + off;
		struct mb2_tag tag;

		memcpy(&tag, t, sizeof(tag));
		if (tag.type == MB2_TAG_END)
			return (true);
		if (tag.size < sizeof(tag) || tag.size > total - off) {
			if (pass == 0)
				bi_warn(bi, "multiboot2: corrupt tag list");
			return (false);
		}
		switch (tag.type) {
		case MB2_TAG_MMAP:
			if (pass < 2) {
				mmap_tag(bi, t, tag.size, pass);
				mem->mmap = true;
			}
			break;
		case MB2_TAG_BASIC_MEM:
			if (pass == 0 && tag.size >= 16) {
				memcpy(&mem->lower, t + 8, 4);
				memcpy(&mem->upper, t + 12, 4);
				mem->basic = true;
			}
			break;
		case MB2_TAG_CMDLINE:
			if (pass == 2)
				tag_string(t + 8, tag.size - 8, bi->cmdline,
				    sizeof(bi->cmdline));
			break;
		case MB2_TAG_MODULE:
			if (pass == 2 && tag.size >= 16) {
				uint32_t se[2];
				char name[64];

				memcpy(se, t + 8, 8);
				tag_string(t + 16, tag.size - 16, name,
				    sizeof(name));
				if (bi_add_module(bi, nmod++, se[0], se[1],
				    name) < 0)
					return (true);
			}
			break;
		case MB2_TAG_FRAMEBUFFER:
			if (pass == 2)
				fb_tag(bi, t, tag.size);
			break;
		case MB2_TAG_ACPI_OLD:
		case MB2_TAG_ACPI_NEW:
			/* Prefer the 2.0 copy (it has the XSDT). */
			if (pass == 2 && tag.size > 8 &&
			    (bi->rsdp_len == 0 ||
			    tag.type == MB2_TAG_ACPI_NEW)) {
				bi->rsdp_len = MIN(tag.size - 8, BI_RSDP_MAX);
				memcpy(bi->rsdp, t + 8, bi->rsdp_len);
			}
			break;
		}
		off += roundup2(tag.size, 8);
	}
	if (pass == 0)
		bi_warn(bi, "multiboot2: tag list has no end tag");
	return (false);
}

/*
 * Returns 0, or -1 when the information is unusable (unreadable, no
 * memory map); bi->warn lists what was repaired.
 */
int
multiboot2_parse(paddr_t mbi_pa, bi_map_fn map, void *arg,
    struct bootinfo *bi)
{
	const uint32_t *hdr;
	const uint8_t *info;
	uint32_t total;
	struct mb2_mem mem = { false, false, 0, 0 };

	memset(bi, 0, sizeof(*bi));
	bi->bootproto = 2;
	if ((mbi_pa & 7) != 0 || (hdr = map(mbi_pa, 8, arg)) == NULL) {
		bi_warn(bi, "multiboot2 information unreadable");
		return (-1);
	}
	total = hdr[0];
	if (total < 16 || total > MB2_INFO_MAX ||
	    (info = map(mbi_pa, total, arg)) == NULL) {
		bi_warn(bi, "multiboot2 information has a bad size");
		return (-1);
	}
	walk(bi, info, total, 0, &mem);
	if (!mem.mmap && mem.basic) {
		bi_warn(bi, "no memory map; using mem_lower/mem_upper");
		bi_add(bi, 0, (paddr_t)mem.lower * 1024);
		bi_add(bi, 0x100000, 0x100000 + (paddr_t)mem.upper * 1024);
	}
	if (bi->nmem == 0) {
		bi_warn(bi, "no memory information");
		return (-1);
	}
	walk(bi, info, total, 1, &mem);
	/* The first page holds the real-mode IVT and BDA: never use it. */
	bi_reserve(bi, 0, PAGE_SIZE);
	walk(bi, info, total, 2, &mem);
	return (0);
}
