/*
 * printf.c: host unit tests for lib/printf.c (the kernel's snprintf).
 *
 * Every expected string is written out literally, as C99 specifies it, so a
 * formatter that drops a sign, a pad or a digit fails.  One table test also
 * runs the same formats through the host C library's snprintf as a second
 * oracle.  The kernel's functions are renamed mica_snprintf and
 * mica_vsnprintf under HOST_TEST so both can be called here.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <printf.h>
#undef snprintf
#undef vsnprintf

/* Some formats here are odd on purpose (unknown conversions, ignored flags). */
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"

static char buf[256];

/* Format into buf and check both the text and the returned length. */
#define CHECK(expect, ...) do {                                          \
	int n_ = mica_snprintf(buf, sizeof(buf), __VA_ARGS__);           \
	assert_string_equal(buf, (expect));                              \
	assert_int_equal(n_, (int)strlen(expect));                       \
} while (0)

static void
test_signed_decimal(void **state)
{
	CHECK("0", "%d", 0);
	CHECK("42", "%d", 42);
	CHECK("-42", "%d", -42);
	CHECK("2147483647", "%d", INT32_MAX);
	CHECK("-2147483648", "%d", INT32_MIN);
	CHECK("-7", "%i", -7);
	CHECK("+5", "%+d", 5);
	CHECK(" 5", "% d", 5);
	CHECK("-5", "% d", -5);
}

static void
test_unsigned_decimal(void **state)
{
	CHECK("0", "%u", 0u);
	CHECK("4294967295", "%u", UINT32_MAX);
	/* -1 passed as unsigned int wraps to UINT_MAX, not "-1". */
	CHECK("4294967295", "%u", (unsigned)-1);
	/* '+' and ' ' mean nothing for unsigned conversions. */
	CHECK("7", "%+u", 7u);
}

static void
test_hex_and_octal(void **state)
{
	CHECK("0", "%x", 0u);
	CHECK("deadbeef", "%x", 0xdeadbeefu);
	CHECK("DEADBEEF", "%X", 0xdeadbeefu);
	CHECK("0xff", "%#x", 0xffu);
	CHECK("0XFF", "%#X", 0xffu);
	CHECK("0", "%#x", 0u);		/* no prefix for zero */
	CHECK("17", "%o", 15u);
	CHECK("017", "%#o", 15u);
	CHECK("0x00ff", "%#06x", 0xffu);
}

static void
test_long_and_size(void **state)
{
	CHECK("-9223372036854775808", "%ld", (long)INT64_MIN);
	CHECK("9223372036854775807", "%ld", (long)INT64_MAX);
	CHECK("18446744073709551615", "%lu", (unsigned long)UINT64_MAX);
	CHECK("ffffffffffffffff", "%lx", (unsigned long)UINT64_MAX);
	CHECK("ffffffff80000000", "%lx", 0xffffffff80000000UL);
	CHECK("-9223372036854775808", "%lld", (long long)INT64_MIN);
	CHECK("18446744073709551615", "%zu", (size_t)SIZE_MAX);
	CHECK("123456789012", "%zu", (size_t)123456789012ULL);
	CHECK("-1", "%jd", (intmax_t)-1);
}

static void
test_short_and_char_modifiers(void **state)
{
	CHECK("-1", "%hd", 65535);
	CHECK("-1", "%hhd", 255);
	CHECK("7", "%hhu", 256 + 7);
	CHECK("ffff", "%hx", 0x1ffff);
}

static void
test_pointer(void **state)
{
	CHECK("0xffffffff80001000", "%p", (void *)0xffffffff80001000UL);
	CHECK("0x1", "%p", (void *)1);
	CHECK("0x0", "%p", (void *)0);
	CHECK("      0x10", "%10p", (void *)0x10);
}

static void
test_string_and_char(void **state)
{
	const char *volatile null = NULL;

	CHECK("hello", "%s", "hello");
	CHECK("", "%s", "");
	CHECK("(null)", "%s", null);
	CHECK("   ab", "%5s", "ab");
	CHECK("ab   |", "%-5s|", "ab");
	CHECK("he", "%.2s", "hello");
	CHECK("   he", "%5.2s", "hello");
	CHECK("hello", "%.9s", "hello");
	CHECK("x", "%c", 'x');
	CHECK("  x", "%3c", 'x');
	CHECK("x  |", "%-3c|", 'x');
	CHECK("100%", "100%%");
}

static void
test_nul_char_counts(void **state)
{
	int n;

	memset(buf, 'X', sizeof(buf));
	n = mica_snprintf(buf, sizeof(buf), "a%cb", '\0');
	assert_int_equal(n, 3);
	assert_int_equal(buf[0], 'a');
	assert_int_equal(buf[1], '\0');
	assert_int_equal(buf[2], 'b');
	assert_int_equal(buf[3], '\0');
}

static void
test_width_and_padding(void **state)
{
	CHECK("   42", "%5d", 42);
	CHECK("42   |", "%-5d|", 42);
	CHECK("00042", "%05d", 42);
	CHECK("-0042", "%05d", -42);
	CHECK("  -42", "%5d", -42);
	CHECK("+0042", "%+05d", 42);
	CHECK("42", "%1d", 42);		/* width never truncates */
	CHECK("-42  |", "%-05d|", -42);	/* '-' overrides '0' */
	CHECK("   42", "%*d", 5, 42);
	CHECK("42   |", "%*d|", -5, 42);	/* negative '*' width: left */
}

static void
test_precision(void **state)
{
	CHECK("007", "%.3d", 7);
	CHECK("-007", "%.3d", -7);
	CHECK("  007", "%5.3d", 7);
	CHECK("     007", "%08.3d", 7);	/* precision disables '0' */
	CHECK("", "%.0d", 0);		/* no digits for zero */
	CHECK("   ", "%3.0d", 0);
	CHECK("0", "%.0d" "%d", 0, 0);
	CHECK("00ff", "%.4x", 0xffu);
	CHECK("007", "%.*d", 3, 7);
	CHECK("7", "%.*d", -1, 7);	/* negative precision: absent */
}

static void
test_truncation_and_return_value(void **state)
{
	char small[8];
	int n;

	memset(small, 'X', sizeof(small));
	n = mica_snprintf(small, 5, "hello world");
	assert_int_equal(n, 11);		/* the untruncated length */
	assert_string_equal(small, "hell");
	assert_int_equal(small[5], 'X');	/* nothing past size */

	memset(small, 'X', sizeof(small));
	n = mica_snprintf(small, 1, "abc");
	assert_int_equal(n, 3);
	assert_int_equal(small[0], '\0');
	assert_int_equal(small[1], 'X');

	/* size 0: nothing written at all, even the terminator. */
	memset(small, 'X', sizeof(small));
	n = mica_snprintf(small, 0, "abc%d", 12345);
	assert_int_equal(n, 8);
	assert_int_equal(small[0], 'X');
	n = mica_snprintf(NULL, 0, "%lu", (unsigned long)UINT64_MAX);
	assert_int_equal(n, 20);

	/* Exactly fitting: size = len + 1. */
	n = mica_snprintf(small, 4, "abc");
	assert_int_equal(n, 3);
	assert_string_equal(small, "abc");
	n = mica_snprintf(small, 3, "%d", -123);
	assert_int_equal(n, 4);
	assert_string_equal(small, "-1");
}

static int
call_vsnprintf(char *b, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = mica_vsnprintf(b, size, fmt, ap);
	va_end(ap);
	return (n);
}

static void
test_vsnprintf(void **state)
{
	int n = call_vsnprintf(buf, sizeof(buf), "%s=%d", "x", -3);

	assert_int_equal(n, 4);
	assert_string_equal(buf, "x=-3");
}

static void
test_odd_formats(void **state)
{
	int n;

	/* An unknown conversion is printed as written. */
	CHECK("%y", "%y");
	/* A lone '%' at the end prints nothing and stops. */
	n = mica_snprintf(buf, sizeof(buf), "abc%");
	assert_int_equal(n, 3);
	assert_string_equal(buf, "abc");
	CHECK("a1b2c", "a%db%dc", 1, 2);
}

static void
put_count(int c, void *arg)
{
	(*(int *)arg)++;
}

static int
call_kvprintf(int *count, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvprintf(fmt, ap, put_count, count);
	va_end(ap);
	return (n);
}

static void
test_kvprintf_callback(void **state)
{
	int count = 0;

	assert_int_equal(call_kvprintf(&count, "%08x|%s", 0x1234u, "ok"), 11);
	assert_int_equal(count, 11);
}

/* The same conversions through the host C library: a second oracle. */
static void
test_matches_libc(void **state)
{
	static const char *const ifmt[] = { "%d", "%5d", "%-5d|", "%05d",
		"%+d", "% d", "%.3d", "%8.3d", "%-8.3d|", "%x", "%#x",
		"%#010x", "%X", "%o", "%#o", "%u", "%.0d", "%hd", "%hhd" };
	static const int ival[] = { 0, 1, -1, 42, -42, 255, 65536, INT32_MAX,
		INT32_MIN, 1000000 };
	static const char *const lfmt[] = { "%ld", "%lu", "%lx", "%20ld",
		"%-20lu|", "%.22ld", "%lld", "%llx", "%zu", "%zx" };
	static const long lval[] = { 0, -1, INT64_MIN, INT64_MAX,
		0x123456789abcdefL };
	char want[128];

	for (size_t i = 0; i < sizeof(ifmt) / sizeof(ifmt[0]); i++)
		for (size_t j = 0; j < sizeof(ival) / sizeof(ival[0]); j++) {
			snprintf(want, sizeof(want), ifmt[i], ival[j]);
			mica_snprintf(buf, sizeof(buf), ifmt[i], ival[j]);
			if (strcmp(want, buf) != 0)
				fail_msg("format \"%s\" of %d: got \"%s\", "
				    "libc \"%s\"", ifmt[i], ival[j], buf,
				    want);
		}
	for (size_t i = 0; i < sizeof(lfmt) / sizeof(lfmt[0]); i++)
		for (size_t j = 0; j < sizeof(lval) / sizeof(lval[0]); j++) {
			snprintf(want, sizeof(want), lfmt[i], lval[j]);
			mica_snprintf(buf, sizeof(buf), lfmt[i], lval[j]);
			if (strcmp(want, buf) != 0)
				fail_msg("format \"%s\" of %ld: got \"%s\", "
				    "libc \"%s\"", lfmt[i], lval[j], buf,
				    want);
		}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signed_decimal),
		cmocka_unit_test(test_unsigned_decimal),
		cmocka_unit_test(test_hex_and_octal),
		cmocka_unit_test(test_long_and_size),
		cmocka_unit_test(test_short_and_char_modifiers),
		cmocka_unit_test(test_pointer),
		cmocka_unit_test(test_string_and_char),
		cmocka_unit_test(test_nul_char_counts),
		cmocka_unit_test(test_width_and_padding),
		cmocka_unit_test(test_precision),
		cmocka_unit_test(test_truncation_and_return_value),
		cmocka_unit_test(test_vsnprintf),
		cmocka_unit_test(test_odd_formats),
		cmocka_unit_test(test_kvprintf_callback),
		cmocka_unit_test(test_matches_libc),
	};

	return (cmocka_run_group_tests_name("printf", tests, NULL, NULL));
}
