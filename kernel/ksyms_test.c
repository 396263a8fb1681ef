/*
 * ksyms_test.c: self tests of the kernel symbol table behind backtraces.
 *
 * The table comes from the first link pass (tools/mksyms); if the two
 * passes disagreed, or the lookup were off by one entry, panic backtraces
 * would name the wrong functions.  These tests pin exact names and offsets.
 */
#include <kernel.h>
#include <ksyms.h>
#include <ktest.h>
#include <libkern.h>

void kmain(uint32_t magic, uint64_t mbi_pa);
extern char _text[], _etext[];

KTEST(ksyms_lookup_exact)
{
	uint64_t off = 99;
	const char *name;

	name = ksym_lookup((uint64_t)kmain, &off);
	KT_ASSERT(name != NULL);
	KT_ASSERT(strcmp(name, "kmain") == 0);
	KT_EQ(off, 0);
	name = ksym_lookup((uint64_t)ksym_lookup, &off);
	KT_ASSERT(name != NULL && strcmp(name, "ksym_lookup") == 0);
	KT_EQ(off, 0);
}

KTEST(ksyms_lookup_offset)
{
	uint64_t off = 0;
	const char *name;

	name = ksym_lookup((uint64_t)kmain + 5, &off);
	KT_ASSERT(name != NULL && strcmp(name, "kmain") == 0);
	KT_EQ(off, 5);
	/* An address inside a function names it, with the offset. */
	name = ksym_lookup((uint64_t)panic + 1, &off);
	KT_ASSERT(name != NULL && strcmp(name, "panic") == 0);
	KT_EQ(off, 1);
}

KTEST(ksyms_lookup_outside_text)
{
	KT_ASSERT(ksym_lookup(0, NULL) == NULL);
	KT_ASSERT(ksym_lookup((uint64_t)_text - 1, NULL) == NULL);
	KT_ASSERT(ksym_lookup((uint64_t)_etext, NULL) == NULL);
	KT_ASSERT(ksym_lookup((uint64_t)&kernel_cmdline, NULL) == NULL);
}

KTEST(ksyms_addr_by_name)
{
	KT_EQ(ksym_addr("kmain"), (uint64_t)kmain);
	KT_EQ(ksym_addr("panic"), (uint64_t)panic);
	KT_EQ(ksym_addr("no_such_symbol_anywhere"), 0);
}
