/*
 * printf_test.c: self tests of snprintf as compiled for the kernel.
 *
 * tests/host/printf.c covers every conversion on the host; these few
 * repeat the ones that depend on how the kernel is built (va_list with
 * -mgeneral-regs-only, 64-bit longs, -mcmodel=kernel pointers), so a
 * build-flag change that breaks printk shows up here.
 */
#include <ktest.h>
#include <libkern.h>
#include <printf.h>

KTEST(printf_kernel_basics)
{
	char buf[64];
	int n;

	n = snprintf(buf, sizeof(buf), "%d|%5u|%-3x|%s|%c", -42, 7u, 0xau,
	    "ok", 'z');
	KT_EQ(n, 18);
	KT_ASSERT(strcmp(buf, "-42|    7|a  |ok|z") == 0);
}

KTEST(printf_kernel_64bit)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%ld", (long)INT64_MIN);
	KT_ASSERT(strcmp(buf, "-9223372036854775808") == 0);
	snprintf(buf, sizeof(buf), "%lx %zu", 0xffffffff80000000UL,
	    (size_t)SIZE_MAX);
	KT_ASSERT(strcmp(buf, "ffffffff80000000 18446744073709551615") == 0);
	snprintf(buf, sizeof(buf), "%p", (void *)0xffffffff80100000UL);
	KT_ASSERT(strcmp(buf, "0xffffffff80100000") == 0);
}

KTEST(printf_kernel_truncation)
{
	char buf[8];

	memset(buf, 'X', sizeof(buf));
	KT_EQ(snprintf(buf, 4, "%s", "abcdef"), 6);
	KT_ASSERT(strcmp(buf, "abc") == 0);
	KT_EQ(buf[4], 'X');
}
