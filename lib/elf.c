/*
 * elf.c: validation of ELF64 x86-64 executables for exec (pure C, host
 * tested in tests/host/elf.c).
 *
 * Every number in the headers is checked against the file size and the
 * user address range with overflow-safe arithmetic before exec uses it:
 * program headers inside the file, each PT_LOAD's file bytes inside the
 * file, p_filesz <= p_memsz, offset and address congruent modulo the page
 * size, loads in increasing order without overlap, and the entry point
 * inside an executable segment.  ET_DYN (static PIE) is checked the same
 * way; its addresses are offsets from a load base chosen by exec.
 */
#include <elf.h>
#include <libkern.h>
#include <uapi/errno.h>

static int
bad(const char **why, const char *msg)
{
	if (why != NULL)
		*why = msg;
	return (-ENOEXEC);
}

const Elf64_Phdr *
elf_phdr(const void *buf, const struct elf_info *ei, int i)
{
	return ((const Elf64_Phdr *)((const char *)buf + ei->phoff) + i);
}

int
elf_parse(const void *buf, size_t len, uint64_t filesize,
    struct elf_info *ei, const char **why)
{
	const Elf64_Ehdr *eh = buf;
	const Elf64_Phdr *ph;
	uint64_t phsize, prev_end = 0, end;
	bool entry_ok = false;

	memset(ei, 0, sizeof(*ei));
	if (len > filesize)
		len = filesize;
	if (len < sizeof(*eh))
		return (bad(why, "shorter than an ELF header"));
	if (memcmp(eh->e_ident, "\177ELF", 4) != 0)
		return (bad(why, "bad magic"));
	if (eh->e_ident[EI_CLASS] != ELFCLASS64)
		return (bad(why, "not ELFCLASS64"));
	if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
		return (bad(why, "not little-endian"));
	if (eh->e_ident[EI_VERSION] != EV_CURRENT)
		return (bad(why, "bad ELF version"));
	if (eh->e_machine != EM_X86_64)
		return (bad(why, "not x86-64"));
	if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
		return (bad(why, "not an executable (ET_EXEC/ET_DYN)"));
	if (eh->e_phentsize != sizeof(Elf64_Phdr))
		return (bad(why, "bad e_phentsize"));
	if (eh->e_phnum == 0 || eh->e_phnum > ELF_MAXPHNUM)
		return (bad(why, "bad e_phnum"));
	phsize = (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr);
	if (eh->e_phoff > filesize || phsize > filesize - eh->e_phoff)
		return (bad(why, "program headers outside the file"));
	if (eh->e_phoff + phsize > len)
		return (bad(why, "program headers not in the buffer"));
	if (eh->e_phoff % 8 != 0)
		return (bad(why, "misaligned program headers"));

	ei->type = eh->e_type;
	ei->entry = eh->e_entry;
	ei->phoff = eh->e_phoff;
	ei->phnum = eh->e_phnum;
	for (int i = 0; i < eh->e_phnum; i++) {
		ph = elf_phdr(buf, ei, i);
		if (ph->p_type == PT_INTERP)
			ei->interp = true;
		if (ph->p_type == PT_PHDR)
			ei->phdr_vaddr = ph->p_vaddr;
		if (ph->p_type != PT_LOAD)
			continue;
		if (ph->p_filesz > ph->p_memsz)
			return (bad(why, "p_filesz > p_memsz"));
		if (ph->p_offset > filesize ||
		    ph->p_filesz > filesize - ph->p_offset)
			return (bad(why, "segment outside the file"));
		if (ph->p_memsz > ELF_MAXSEGSZ)
			return (bad(why, "segment too large"));
		if (ph->p_vaddr >= ELF_USER_TOP ||
		    ph->p_memsz > ELF_USER_TOP - ph->p_vaddr)
			return (bad(why, "segment outside user space"));
		if ((ph->p_vaddr & PAGE_MASK) != (ph->p_offset & PAGE_MASK))
			return (bad(why, "p_vaddr and p_offset not congruent"));
		end = ph->p_vaddr + ph->p_memsz;
		if (ei->nload > 0 && ph->p_vaddr < prev_end)
			return (bad(why, "overlapping or unsorted segments"));
		if (ei->nload == 0)
			ei->lo = trunc_page(ph->p_vaddr);
		prev_end = end;
		ei->hi = round_page(end);
		ei->brk = end;
		ei->nload++;
		if ((ph->p_flags & PF_X) && eh->e_entry >= ph->p_vaddr &&
		    eh->e_entry < end)
			entry_ok = true;
		/* Where the phdrs are mapped, when no PT_PHDR says so. */
		if (ei->phdr_vaddr == 0 && eh->e_phoff >= ph->p_offset &&
		    eh->e_phoff + phsize <= ph->p_offset + ph->p_filesz)
			ei->phdr_vaddr = ph->p_vaddr +
			    (eh->e_phoff - ph->p_offset);
	}
	if (ei->nload == 0)
		return (bad(why, "no PT_LOAD segment"));
	if (!entry_ok)
		return (bad(why, "entry point outside every executable "
		    "segment"));
	if (ei->hi - ei->lo > ELF_MAXSEGSZ)
		return (bad(why, "image too large"));
	return (0);
}
