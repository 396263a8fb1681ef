/*
 * Host tests for lib/cpio.c: a valid newc archive built here, then each
 * kind of damage a boot loader or a careless tool could deliver.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>
#include <cpio.h>
#include <libkern.h>

static char ar[8192];
static size_t arlen;

static void
add(const char *name, uint32_t mode, const char *data, size_t size)
{
	size_t nl = strlen(name) + 1;

	arlen += sprintf(ar + arlen,
	    "070701%08X%08X%08X%08X%08X%08X%08zX%08X%08X%08X%08X%08zX%08X",
	    7u, mode, 0u, 0u, 1u, 0u, size, 0u, 0u, 0u, 0u, nl, 0u);
	memcpy(ar + arlen, name, nl);
	arlen += nl;
	while (arlen % 4)
		ar[arlen++] = 0;
	memcpy(ar + arlen, data, size);
	arlen += size;
	while (arlen % 4)
		ar[arlen++] = 0;
}

static void
build(void)
{
	memset(ar, 0, sizeof(ar));
	arlen = 0;
	add("bin", 040755, "", 0);
	add("bin/hello", 0100644, "hello world\n", 12);
	add("bin/sh", 0120777, "busybox", 7);
	add("TRAILER!!!", 0, "", 0);
}

static int
walk(const char *buf, size_t len, int *count)
{
	struct cpio_entry e;
	size_t off = 0;
	int r;

	*count = 0;
	while ((r = cpio_next(buf, len, &off, &e)) == 1)
		(*count)++;
	return (r);
}

static void
test_valid(void **state)
{
	struct cpio_entry e;
	size_t off = 0;

	build();
	assert_int_equal(cpio_next(ar, arlen, &off, &e), 1);
	assert_string_equal(e.name, "bin");
	assert_int_equal(e.mode, 040755);
	assert_int_equal(e.size, 0);
	assert_int_equal(cpio_next(ar, arlen, &off, &e), 1);
	assert_string_equal(e.name, "bin/hello");
	assert_int_equal(e.size, 12);
	assert_memory_equal(e.data, "hello world\n", 12);
	assert_int_equal(cpio_next(ar, arlen, &off, &e), 1);
	assert_int_equal(e.mode, 0120777);
	assert_memory_equal(e.data, "busybox", 7);
	assert_int_equal(cpio_next(ar, arlen, &off, &e), 0);
}

static void
test_bad_magic(void **state)
{
	int n;

	build();
	ar[5] = '7';
	assert_int_equal(walk(ar, arlen, &n), -CPIO_EMAGIC);
	assert_int_equal(n, 0);
	/* Old binary cpio is refused too. */
	memcpy(ar, "\xc7\x71", 2);
	assert_int_equal(walk(ar, arlen, &n), -CPIO_EMAGIC);
}

static void
test_trunc_header(void **state)
{
	int n;

	build();
	assert_int_equal(walk(ar, 60, &n), -CPIO_ETRUNC_HDR);
	assert_int_equal(walk(ar, 0, &n), -CPIO_ENOTRAILER);
}

static void
test_bad_hex(void **state)
{
	int n;

	build();
	ar[6 + 8 * 6 + 3] = 'g';	/* filesize of the first member */
	assert_int_equal(walk(ar, arlen, &n), -CPIO_EHEX);
}

static void
test_trunc_name(void **state)
{
	int n;

	build();
	assert_int_equal(walk(ar, CPIO_HDRLEN + 2, &n), -CPIO_ETRUNC_NAME);
}

static void
test_name_without_nul(void **state)
{
	int n;

	build();
	ar[CPIO_HDRLEN + 3] = 'x';	/* "bin\0" -> "binx" */
	assert_int_equal(walk(ar, arlen, &n), -CPIO_ENONUL);
	build();
	memcpy(ar + 6 + 8 * 11, "00000000", 8);	/* namesize 0 */
	assert_int_equal(walk(ar, arlen, &n), -CPIO_ENONUL);
	build();
	ar[CPIO_HDRLEN + 1] = '\0';	/* "b\0n\0": NUL inside the name */
	assert_int_equal(walk(ar, arlen, &n), -CPIO_ENONUL);
}

static void
test_trunc_data(void **state)
{
	int n;
	size_t cut;

	build();
	/* Cut inside "hello world\n": the second member's data. */
	cut = 112 + CPIO_HDRLEN + 12 + 5;
	assert_int_equal(walk(ar, cut, &n), -CPIO_ETRUNC_DATA);
	assert_int_equal(n, 1);
}

static void
test_huge_size(void **state)
{
	int n;

	build();
	/* Second member (offset 112) claims 4 GiB - 1 of data. */
	memcpy(ar + 112 + 6 + 8 * 6, "FFFFFFFF", 8);
	assert_int_equal(walk(ar, arlen, &n), -CPIO_ETRUNC_DATA);
	assert_int_equal(n, 1);
}

static void
test_dotdot(void **state)
{
	int n;

	memset(ar, 0, sizeof(ar));
	arlen = 0;
	add("etc/../../x", 0100644, "a", 1);
	add("TRAILER!!!", 0, "", 0);
	assert_int_equal(walk(ar, arlen, &n), -CPIO_EUNSAFE);
	arlen = 0;
	add("..", 040755, "", 0);
	assert_int_equal(walk(ar, arlen, &n), -CPIO_EUNSAFE);
	/* A name merely containing dots is fine. */
	arlen = 0;
	add("a..b/.x", 0100644, "", 0);
	add("TRAILER!!!", 0, "", 0);
	assert_int_equal(walk(ar, arlen, &n), 0);
	assert_int_equal(n, 1);
}

static void
test_no_trailer(void **state)
{
	int n;

	build();
	/* Drop the trailer member: ends cleanly between members. */
	assert_int_equal(walk(ar, arlen - 124, &n), -CPIO_ENOTRAILER);
	assert_int_equal(n, 3);
	assert_string_equal(cpio_strerror(-CPIO_ENOTRAILER),
	    "archive ends without TRAILER!!!");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_bad_magic),
		cmocka_unit_test(test_trunc_header),
		cmocka_unit_test(test_bad_hex),
		cmocka_unit_test(test_trunc_name),
		cmocka_unit_test(test_name_without_nul),
		cmocka_unit_test(test_trunc_data),
		cmocka_unit_test(test_huge_size),
		cmocka_unit_test(test_dotdot),
		cmocka_unit_test(test_no_trailer),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
