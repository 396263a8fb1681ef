/*
 * elf.h: the ELF64 file format (as in the System V ABI and Linux elf.h)
 * and lib/elf.c, a validator of executables that is pure C so host unit
 * tests exercise it (tests/host/elf.c).
 *
 * elf_parse checks a file header and its program headers against the file
 * size before the loader trusts a single number in them, and condenses
 * what exec needs into a struct elf_info.
 */
#ifndef _ELF_H_
#define _ELF_H_

#include <types.h>

typedef struct {
	uint8_t e_ident[16];
	uint16_t e_type;
	uint16_t e_machine;
	uint32_t e_version;
	uint64_t e_entry;
	uint64_t e_phoff;
	uint64_t e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize;
	uint16_t e_phentsize;
	uint16_t e_phnum;
	uint16_t e_shentsize;
	uint16_t e_shnum;
	uint16_t e_shstrndx;
} Elf64_Ehdr;

typedef struct {
	uint32_t p_type;
	uint32_t p_flags;
	uint64_t p_offset;
	uint64_t p_vaddr;
	uint64_t p_paddr;
	uint64_t p_filesz;
	uint64_t p_memsz;
	uint64_t p_align;
} Elf64_Phdr;

#define EI_CLASS	4
#define EI_DATA		5
#define EI_VERSION	6
#define ELFCLASS64	2
#define ELFDATA2LSB	1
#define EV_CURRENT	1
#define ET_EXEC		2
#define ET_DYN		3
#define EM_X86_64	62

#define PT_NULL		0
#define PT_LOAD		1
#define PT_DYNAMIC	2
#define PT_INTERP	3
#define PT_NOTE		4
#define PT_PHDR		6
#define PT_TLS		7
#define PT_GNU_STACK	0x6474e551

#define PF_X		1
#define PF_W		2
#define PF_R		4

/* Auxiliary vector types (Linux). */
#define AT_NULL		0
#define AT_PHDR		3
#define AT_PHENT	4
#define AT_PHNUM	5
#define AT_PAGESZ	6
#define AT_BASE		7
#define AT_FLAGS	8
#define AT_ENTRY	9
#define AT_UID		11
#define AT_EUID		12
#define AT_GID		13
#define AT_EGID		14
#define AT_PLATFORM	15
#define AT_HWCAP	16
#define AT_CLKTCK	17
#define AT_SECURE	23
#define AT_RANDOM	25
#define AT_EXECFN	31

#define ELF_MAXPHNUM	64		/* more program headers: ENOEXEC */
#define ELF_MAXSEGSZ	(1UL << 32)	/* a larger segment: ENOEXEC */
#define ELF_USER_TOP	0x0000800000000000UL

struct elf_info {
	uint16_t type;		/* ET_EXEC or ET_DYN (static PIE) */
	uint64_t entry;		/* before relocation by the load base */
	uint64_t phoff;
	uint16_t phnum;
	uint64_t phdr_vaddr;	/* where the phdrs are in memory, or 0 */
	uint64_t lo, hi;	/* page-rounded range of the PT_LOADs */
	uint64_t brk;		/* end of the highest segment */
	int nload;
	bool interp;		/* PT_INTERP: needs a dynamic linker */
};

/*
 * Validate an ELF64 x86-64 executable whose first `len` bytes (which must
 * include the program headers) are at buf, in a file of `filesize` bytes.
 * 0, or -ENOEXEC with a reason in *why when why is not NULL.
 */
int elf_parse(const void *buf, size_t len, uint64_t filesize,
    struct elf_info *ei, const char **why);
/* The i-th program header of a buffer elf_parse accepted. */
const Elf64_Phdr *elf_phdr(const void *buf, const struct elf_info *ei,
    int i);

#endif /* !_ELF_H_ */
