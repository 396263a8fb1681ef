/*
 * tests/host/elf.c: lib/elf.c, the ELF64 validator exec trusts, on
 * hand-built images: a valid static executable and static PIE, then one
 * defect at a time, each of which must be refused with ENOEXEC.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <elf.h>
#include <libkern.h>
#include <uapi/errno.h>

static uint8_t img[0x2000];
#define FILESIZE 0x1100

static Elf64_Ehdr *
eh(void)
{
	return ((Elf64_Ehdr *)img);
}

static Elf64_Phdr *
ph(int i)
{
	return ((Elf64_Phdr *)(img + 64) + i);
}

/* A static executable: text at 0x400000 (R+X), data+bss at 0x401000. */
static void
build(uint16_t type, uint64_t base)
{
	memset(img, 0, sizeof(img));
	memcpy(eh()->e_ident, "\177ELF", 4);
	eh()->e_ident[EI_CLASS] = ELFCLASS64;
	eh()->e_ident[EI_DATA] = ELFDATA2LSB;
	eh()->e_ident[EI_VERSION] = EV_CURRENT;
	eh()->e_type = type;
	eh()->e_machine = EM_X86_64;
	eh()->e_version = 1;
	eh()->e_entry = base + 0x100;
	eh()->e_phoff = 64;
	eh()->e_ehsize = 64;
	eh()->e_phentsize = sizeof(Elf64_Phdr);
	eh()->e_phnum = 3;
	*ph(0) = (Elf64_Phdr){ PT_LOAD, PF_R | PF_X, 0, base, base, 0x1000,
		0x1000, 0x1000 };
	*ph(1) = (Elf64_Phdr){ PT_LOAD, PF_R | PF_W, 0x1000, base + 0x1000,
		base + 0x1000, 0x100, 0x2000, 0x1000 };
	*ph(2) = (Elf64_Phdr){ PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 0, 16 };
}

static int
parse(struct elf_info *ei)
{
	return (elf_parse(img, sizeof(img), FILESIZE, ei, NULL));
}

static void
test_valid_exec(void **state)
{
	struct elf_info ei;

	build(ET_EXEC, 0x400000);
	assert_int_equal(parse(&ei), 0);
	assert_int_equal(ei.type, ET_EXEC);
	assert_int_equal(ei.nload, 2);
	assert_int_equal(ei.lo, 0x400000);
	assert_int_equal(ei.hi, 0x403000);
	assert_int_equal(ei.brk, 0x403000);
	assert_int_equal(ei.entry, 0x400100);
	assert_int_equal(ei.phnum, 3);
	assert_int_equal(ei.phdr_vaddr, 0x400040);
	assert_false(ei.interp);
	assert_int_equal(elf_phdr(img, &ei, 1)->p_vaddr, 0x401000);
}

static void
test_static_pie(void **state)
{
	struct elf_info ei;

	build(ET_DYN, 0);
	assert_int_equal(parse(&ei), 0);
	assert_int_equal(ei.type, ET_DYN);
	assert_int_equal(ei.lo, 0);
	assert_int_equal(ei.entry, 0x100);
	assert_int_equal(ei.phdr_vaddr, 0x40);
}

static void
test_pt_phdr_wins(void **state)
{
	struct elf_info ei;

	build(ET_EXEC, 0x400000);
	*ph(2) = (Elf64_Phdr){ PT_PHDR, PF_R, 64, 0x400040, 0, 168, 168, 8 };
	assert_int_equal(parse(&ei), 0);
	assert_int_equal(ei.phdr_vaddr, 0x400040);
	*ph(2) = (Elf64_Phdr){ PT_INTERP, PF_R, 0x200, 0x400200, 0, 20, 20, 1 };
	assert_int_equal(parse(&ei), 0);
	assert_true(ei.interp);
}

static void
expect_enoexec(void)
{
	struct elf_info ei;
	const char *why = NULL;

	assert_int_equal(elf_parse(img, sizeof(img), FILESIZE, &ei, &why),
	    -ENOEXEC);
	assert_non_null(why);
}

static void
test_truncated(void **state)
{
	struct elf_info ei;

	build(ET_EXEC, 0x400000);
	assert_int_equal(elf_parse(img, 32, 32, &ei, NULL), -ENOEXEC);
	assert_int_equal(elf_parse(img, sizeof(img), 100, &ei, NULL),
	    -ENOEXEC);	/* phdrs cut off */
	assert_int_equal(elf_parse(img, 0, 0, &ei, NULL), -ENOEXEC);
}

static void
test_bad_magic(void **state)
{
	build(ET_EXEC, 0x400000);
	img[1] = 'X';
	expect_enoexec();
	build(ET_EXEC, 0x400000);
	memcpy(img, "#!/b", 4);
	expect_enoexec();
}

static void
test_wrong_class_machine_type(void **state)
{
	build(ET_EXEC, 0x400000);
	eh()->e_ident[EI_CLASS] = 1;	/* ELFCLASS32 */
	expect_enoexec();
	build(ET_EXEC, 0x400000);
	eh()->e_machine = 3;		/* EM_386 */
	expect_enoexec();
	build(ET_EXEC, 0x400000);
	eh()->e_ident[EI_DATA] = 2;	/* big endian */
	expect_enoexec();
	build(ET_EXEC, 0x400000);
	eh()->e_type = 1;		/* ET_REL */
	expect_enoexec();
	build(ET_EXEC, 0x400000);
	eh()->e_type = 4;		/* ET_CORE */
	expect_enoexec();
}

static void
test_phdrs_outside_file(void **state)
{
	build(ET_EXEC, 0x400000);
	eh()->e_phoff = FILESIZE - 16;
	expect_enoexec();
	build(ET_EXEC, 0x400000);
	eh()->e_phoff = UINT64_MAX - 8;	/* wraps around */
	expect_enoexec();
	build(ET_EXEC, 0x400000);
	eh()->e_phnum = 0;
	expect_enoexec();
	build(ET_EXEC, 0x400000);
	eh()->e_phnum = 1000;
	expect_enoexec();
	build(ET_EXEC, 0x400000);
	eh()->e_phentsize = 32;
	expect_enoexec();
}

static void
test_filesz_gt_memsz(void **state)
{
	build(ET_EXEC, 0x400000);
	ph(1)->p_filesz = 0x2001;
	expect_enoexec();
}

static void
test_segment_outside_file(void **state)
{
	build(ET_EXEC, 0x400000);
	ph(1)->p_filesz = 0x200;	/* 0x1000 + 0x200 > FILESIZE */
	expect_enoexec();
	build(ET_EXEC, 0x400000);
	ph(1)->p_offset = UINT64_MAX - 0x10;	/* offset + filesz wraps */
	ph(1)->p_vaddr = 0x401000 + ((UINT64_MAX - 0x10) & 0xfff);
	expect_enoexec();
}

static void
test_overlapping_segments(void **state)
{
	build(ET_EXEC, 0x400000);
	ph(1)->p_vaddr = 0x400800;	/* inside the text segment */
	ph(1)->p_offset = 0x800;
	ph(1)->p_filesz = 0x100;
	expect_enoexec();
	build(ET_EXEC, 0x400000);
	ph(1)->p_vaddr = 0x300000;	/* before the first: unsorted */
	expect_enoexec();
}

static void
test_huge_segments(void **state)
{
	build(ET_EXEC, 0x400000);
	ph(1)->p_memsz = 1UL << 40;
	expect_enoexec();
	build(ET_EXEC, 0x400000);
	ph(1)->p_vaddr = 0x00007ffffffff000;	/* runs past user space */
	ph(1)->p_offset = 0x1000;
	expect_enoexec();
	build(ET_EXEC, 0x400000);
	ph(1)->p_vaddr = 0xffffffff80001000;	/* kernel half */
	expect_enoexec();
}

static void
test_entry_outside(void **state)
{
	build(ET_EXEC, 0x400000);
	eh()->e_entry = 0x500000;
	expect_enoexec();
	build(ET_EXEC, 0x400000);
	eh()->e_entry = 0x401010;	/* in the data segment: not PF_X */
	expect_enoexec();
	build(ET_EXEC, 0x400000);
	eh()->e_entry = 0x401000 - 1;	/* last text byte: fine */
	struct elf_info ei;
	assert_int_equal(parse(&ei), 0);
}

static void
test_congruence_and_noload(void **state)
{
	build(ET_EXEC, 0x400000);
	ph(1)->p_vaddr = 0x401010;	/* offset 0x1000 */
	expect_enoexec();
	build(ET_EXEC, 0x400000);
	ph(0)->p_type = PT_NOTE;
	ph(1)->p_type = PT_NOTE;
	expect_enoexec();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_exec),
		cmocka_unit_test(test_static_pie),
		cmocka_unit_test(test_pt_phdr_wins),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_bad_magic),
		cmocka_unit_test(test_wrong_class_machine_type),
		cmocka_unit_test(test_phdrs_outside_file),
		cmocka_unit_test(test_filesz_gt_memsz),
		cmocka_unit_test(test_segment_outside_file),
		cmocka_unit_test(test_overlapping_segments),
		cmocka_unit_test(test_huge_segments),
		cmocka_unit_test(test_entry_outside),
		cmocka_unit_test(test_congruence_and_noload),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
