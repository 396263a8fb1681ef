/*
 * multiboot.h: what the boot loader tells the kernel, cleaned up.
 *
 * multiboot_parse turns the loader's multiboot information (version 1, or
 * version 2 tags when the magic says so: kernel/multiboot2.c) into a
 * struct bootinfo: a sorted memory map of usable RAM with overlaps and
 * reserved ranges removed, the command line and the modules.  It reads the
 * loader's structures through a caller-supplied mapping function so the
 * same code runs in the kernel and in host unit tests.
 */
#ifndef _MULTIBOOT_H_
#define _MULTIBOOT_H_

#include <types.h>

#define MULTIBOOT_LOADER_MAGIC	0x2badb002
#define MULTIBOOT2_LOADER_MAGIC	0x36d76289

/* Multiboot 1 information structure, as the loader lays it out. */
struct multiboot_info {
	uint32_t flags;
	uint32_t mem_lower;
	uint32_t mem_upper;
	uint32_t boot_device;
	uint32_t cmdline;
	uint32_t mods_count;
	uint32_t mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length;
	uint32_t mmap_addr;
} __packed;

#define MBI_FLAG_MEM	(1u << 0)
#define MBI_FLAG_CMDLINE (1u << 2)
#define MBI_FLAG_MODS	(1u << 3)
#define MBI_FLAG_MMAP	(1u << 6)

struct multiboot_mmap_entry {
	uint32_t size;		/* of the rest of the entry */
	uint64_t addr;
	uint64_t len;
	uint32_t type;
} __packed;

#define MULTIBOOT_MEMORY_AVAILABLE 1

struct multiboot_mod {
	uint32_t mod_start;
	uint32_t mod_end;
	uint32_t string;
	uint32_t reserved;
} __packed;

#define BI_MAXMEM	64
#define BI_MAXMODS	8
#define BI_CMDLINE	256

struct bi_range {
	paddr_t start;		/* page aligned */
	paddr_t end;		/* exclusive, page aligned */
};

struct bi_module {
	paddr_t start;
	paddr_t end;		/* exclusive */
	char name[64];
};

/* The screen the loader left us (multiboot 2 framebuffer tag). */
struct bi_framebuffer {
	paddr_t addr;		/* 0: none */
	uint32_t pitch;		/* bytes per line */
	uint32_t width, height;	/* pixels, or characters for EGA text */
	uint8_t bpp;
	uint8_t type;		/* BI_FB_* */
	uint8_t red_pos, red_size, green_pos, green_size, blue_pos, blue_size;
};

#define BI_FB_INDEXED	0
#define BI_FB_RGB	1
#define BI_FB_EGA_TEXT	2

#define BI_RSDP_MAX	36	/* an ACPI 2.0 RSDP */

struct bootinfo {
	struct bi_range mem[BI_MAXMEM];	/* usable RAM, sorted, disjoint */
	int nmem;
	struct bi_module mods[BI_MAXMODS];
	int nmods;
	char cmdline[BI_CMDLINE];
	int bootproto;			/* 1 or 2: multiboot version */
	bool fb_valid;			/* fb was passed by the loader */
	struct bi_framebuffer fb;
	uint8_t rsdp[BI_RSDP_MAX];	/* copy of the RSDP (multiboot 2) */
	int rsdp_len;			/* 0: none passed; scan the BIOS */
	int nwarn;			/* problems found and repaired */
	char warn[4][96];
};

/* Map a physical range of the loader's data for reading; NULL if bad. */
typedef const void *(*bi_map_fn)(paddr_t pa, size_t len, void *arg);

int multiboot_parse(uint32_t magic, paddr_t mbi_pa, bi_map_fn map, void *arg,
    struct bootinfo *bi);
int multiboot2_parse(paddr_t mbi_pa, bi_map_fn map, void *arg,
    struct bootinfo *bi);
void bi_reserve(struct bootinfo *bi, paddr_t start, paddr_t end);
uint64_t bi_total(const struct bootinfo *bi);

/* Shared by the two parsers. */
void bi_warn(struct bootinfo *bi, const char *msg);
void bi_add(struct bootinfo *bi, paddr_t start, paddr_t end);
bool bi_covers(const struct bootinfo *bi, paddr_t start, paddr_t end);
void bi_copy_string(paddr_t pa, bi_map_fn map, void *arg, char *dst,
    size_t size);
int bi_add_module(struct bootinfo *bi, uint32_t i, paddr_t start,
    paddr_t end, const char *name);

#endif /* !_MULTIBOOT_H_ */
