/*
 * multiboot.c: turn the boot loader's multiboot information into bootinfo.
 *
 * Loaders and firmware hand over memory maps with holes, overlaps, unsorted
 * entries and ranges that are both "available" and "reserved".  The rule
 * here: a byte is usable only if some entry says available and no entry says
 * otherwise; the result is page aligned (start rounded up, end down),
 * sorted and merged.  Everything the loader passed is read through the map
 * callback, which refuses ranges it cannot map, so a corrupt pointer becomes
 * a warning instead of a fault.  Pure code: host unit tests drive it.
 */
#include <libkern.h>
#include <multiboot.h>
#include <printf.h>

void
bi_warn(struct bootinfo *bi, const char *msg)
{
	if (bi->nwarn < (int)nitems(bi->warn))
		strlcpy(bi->warn[bi->nwarn], msg, sizeof(bi->warn[0]));
	bi->nwarn++;
}

/* Remove [start, end) from the usable map, splitting a range if needed. */
void
bi_reserve(struct bootinfo *bi, paddr_t start, paddr_t end)
{
	start = trunc_page(start);
	end = round_page(end);
	for (int i = 0; i < bi->nmem; i++) {
		struct bi_range *r = &bi->mem[i];

		if (end <= r->start || start >= r->end)
			continue;
		if (start <= r->start && end >= r->end) {
			/* Swallowed whole. */
			memmove(r, r + 1, (bi->nmem - i - 1) * sizeof(*r));
			bi->nmem--;
			i--;
		} else if (start > r->start && end < r->end) {
			/* A hole in the middle: split. */
			if (bi->nmem == BI_MAXMEM) {
				r->end = start;	/* lose the tail, stay safe */
				bi_warn(bi, "memory map full; RAM dropped");
				continue;
			}
			memmove(r + 2, r + 1, (bi->nmem - i - 1) * sizeof(*r));
			r[1].start = end;
			r[1].end = r->end;
			r->end = start;
			bi->nmem++;
			i++;
		} else if (start <= r->start) {
			r->start = end;
		} else {
			r->end = start;
		}
	}
}

/* Add [start, end) as usable, keeping the map sorted and merged. */
void
bi_add(struct bootinfo *bi, paddr_t start, paddr_t end)
{
	int i, j;

	start = round_page(start);
	end = trunc_page(end);
	if (start >= end)
		return;
	for (i = 0; i < bi->nmem && bi->mem[i].end < start; i++)
		;
	/* Merge with every range that touches or overlaps [start, end). */
	for (j = i; j < bi->nmem && bi->mem[j].start <= end; j++) {
		start = MIN(start, bi->mem[j].start);
		end = MAX(end, bi->mem[j].end);
	}
	if (j > i) {
		bi->mem[i].start = start;
		bi->mem[i].end = end;
		memmove(&bi->mem[i + 1], &bi->mem[j],
		    (bi->nmem - j) * sizeof(bi->mem[0]));
		bi->nmem -= j - i - 1;
		return;
	}
	if (bi->nmem == BI_MAXMEM) {
		bi_warn(bi, "memory map full; RAM dropped");
		return;
	}
	memmove(&bi->mem[i + 1], &bi->mem[i],
	    (bi->nmem - i) * sizeof(bi->mem[0]));
	bi->mem[i].start = start;
	bi->mem[i].end = end;
	bi->nmem++;
}

/* Is [start, end) inside one usable range? */
bool
bi_covers(const struct bootinfo *bi, paddr_t start, paddr_t end)
{
	for (int i = 0; i < bi->nmem; i++)
		if (trunc_page(start) >= bi->mem[i].start &&
		    round_page(end) <= bi->mem[i].end)
			return (true);
	return (false);
}

uint64_t
bi_total(const struct bootinfo *bi)
{
	uint64_t t = 0;

	for (int i = 0; i < bi->nmem; i++)
		t += bi->mem[i].end - bi->mem[i].start;
	return (t);
}

void
bi_copy_string(paddr_t pa, bi_map_fn map, void *arg, char *dst, size_t size)
{
	const char *s;
	size_t i;

	dst[0] = '\0';
	for (i = 0; i + 1 < size; i++) {
		s = map(pa + i, 1, arg);
		if (s == NULL || *s == '\0')
			break;
		dst[i] = *s;
	}
	dst[i] = '\0';
}

/*
 * Record module i [start, end) named name and take it out of usable RAM.  Returns -1 when the table is full (stop
 * looking), 0 otherwise (a bad module is skipped with a warning).
 * Call after the memory map is in: a module must lie in RAM.
 */
int
bi_add_module(struct bootinfo *bi, uint32_t i, paddr_t start, paddr_t end,
    const char *name)
{
	struct bi_module *bm;
	char msg[96];

	if (end < start) {
		snprintf(msg, sizeof(msg),
		    "module %u has end before start; ignored", i);
		bi_warn(bi, msg);
		return (0);
	}
	if (bi->nmods == BI_MAXMODS) {
		bi_warn(bi, "too many modules; rest ignored");
		return (-1);
	}
	if (!bi_covers(bi, start, end)) {
		snprintf(msg, sizeof(msg),
		    "module %u [%#lx-%#lx) is not in RAM; ignored", i,
		    (unsigned long)start, (unsigned long)end);
		bi_warn(bi, msg);
		return (0);
	}
	bm = &bi->mods[bi->nmods++];
	bm->start = start;
	bm->end = end;
	strlcpy(bm->name, name, sizeof(bm->name));
	/* Module memory is not free RAM. */
	bi_reserve(bi, bm->start, bm->end);
	return (0);
}

/*
 * Returns 0, or -1 when the information is unusable (wrong magic, no
 * memory information at all); bi->warn lists what was repaired.
 */
int
multiboot_parse(uint32_t magic, paddr_t mbi_pa, bi_map_fn map, void *arg,
    struct bootinfo *bi)
{
	const struct multiboot_info *mbi;
	int pass;

	if (magic == MULTIBOOT2_LOADER_MAGIC)
		return (multiboot2_parse(mbi_pa, map, arg, bi));
	memset(bi, 0, sizeof(*bi));
	bi->bootproto = 1;
	if (magic != MULTIBOOT_LOADER_MAGIC) {
		bi_warn(bi, "not loaded by a multiboot loader");
		return (-1);
	}
	mbi = map(mbi_pa, sizeof(*mbi), arg);
	if (mbi == NULL) {
		bi_warn(bi, "multiboot information unreadable");
		return (-1);
	}
	if (mbi->flags & MBI_FLAG_CMDLINE)
		bi_copy_string(mbi->cmdline, map, arg, bi->cmdline,
		    sizeof(bi->cmdline));

	if (mbi->flags & MBI_FLAG_MMAP) {
		/* Pass 0 adds available RAM, pass 1 cuts out the rest. */
		for (pass = 0; pass < 2; pass++) {
			uint64_t off = 0;

			while (off + sizeof(uint32_t) <= mbi->mmap_length) {
				const struct multiboot_mmap_entry *e;

				e = map(mbi->mmap_addr + off, sizeof(*e), arg);
				if (e == NULL || e->size < 20) {
					bi_warn(bi, "corrupt memory map entry");
					break;
				}
				if (e->addr + e->len < e->addr) {
					bi_warn(bi, "memory map entry wraps");
				} else if (e->len == 0) {
					/* nothing */
				} else if (pass == 0 &&
				    e->type == MULTIBOOT_MEMORY_AVAILABLE) {
					bi_add(bi, e->addr, e->addr + e->len);
				} else if (pass == 1 &&
				    e->type != MULTIBOOT_MEMORY_AVAILABLE) {
					bi_reserve(bi, e->addr,
					    e->addr + e->len);
				}
				off += (uint64_t)e->size + 4;
			}
		}
	} else if (mbi->flags & MBI_FLAG_MEM) {
		bi_warn(bi, "no memory map; using mem_lower/mem_upper");
		bi_add(bi, 0, (paddr_t)mbi->mem_lower * 1024);
		bi_add(bi, 0x100000, 0x100000 + (paddr_t)mbi->mem_upper * 1024);
	} else {
		bi_warn(bi, "no memory information");
		return (-1);
	}
	/* The first page holds the real-mode IVT and BDA: never use it. */
	bi_reserve(bi, 0, PAGE_SIZE);

	if (mbi->flags & MBI_FLAG_MODS) {
		for (uint32_t i = 0; i < mbi->mods_count; i++) {
			const struct multiboot_mod *m;
			char name[sizeof(bi->mods[0].name)];

			m = map(mbi->mods_addr + i * sizeof(*m), sizeof(*m),
			    arg);
			if (m == NULL) {
				bi_warn(bi, "module list unreadable");
				break;
			}
			name[0] = '\0';
			if (m->string != 0)
				bi_copy_string(m->string, map, arg, name,
				    sizeof(name));
			if (bi_add_module(bi, i, m->mod_start, m->mod_end,
			    name) < 0)
				break;
		}
	}
	return (0);
}
