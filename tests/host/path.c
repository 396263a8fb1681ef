/*
 * Host tests for lib/path.c: component splitting, trailing slashes,
 * NAME_MAX, symlink splicing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <libkern.h>
#include <path.h>
#include <uapi/errno.h>

static void
test_components(void **state)
{
	const char *p = "//usr///bin/sh", *c;
	size_t len;
	bool last, trail;

	assert_int_equal(path_next(&p, &c, &len, &last, &trail), 0);
	assert_int_equal(len, 3);
	assert_memory_equal(c, "usr", 3);
	assert_false(last);
	assert_int_equal(path_next(&p, &c, &len, &last, &trail), 0);
	assert_memory_equal(c, "bin", 3);
	assert_false(last);
	assert_int_equal(path_next(&p, &c, &len, &last, &trail), 0);
	assert_memory_equal(c, "sh", 2);
	assert_true(last);
	assert_false(trail);
	assert_int_equal(path_next(&p, &c, &len, &last, &trail), 0);
	assert_int_equal(len, 0);
}

static void
test_trailing_slash(void **state)
{
	const char *p = "a/b//", *c;
	size_t len;
	bool last, trail;

	path_next(&p, &c, &len, &last, &trail);
	assert_false(last);
	path_next(&p, &c, &len, &last, &trail);
	assert_memory_equal(c, "b", 1);
	assert_true(last);
	assert_true(trail);
	/* "/" alone has no component. */
	p = "/";
	path_next(&p, &c, &len, &last, &trail);
	assert_int_equal(len, 0);
	assert_true(last);
}

static void
test_name_max(void **state)
{
	char name[300];
	const char *p = name, *c;
	size_t len;
	bool last, trail;

	memset(name, 'x', 256);
	name[256] = '\0';
	assert_int_equal(path_next(&p, &c, &len, &last, &trail),
	    -ENAMETOOLONG);
	name[255] = '\0';
	p = name;
	assert_int_equal(path_next(&p, &c, &len, &last, &trail), 0);
	assert_int_equal(len, 255);
}

static void
test_dots(void **state)
{
	assert_true(path_isdot(".", 1));
	assert_false(path_isdot("..", 2));
	assert_true(path_isdotdot("..", 2));
	assert_false(path_isdotdot(".a", 2));
}

static void
test_splice(void **state)
{
	char buf[32] = "lnk/rest/of";

	/* rest points into buf just after the link component. */
	assert_int_equal(path_splice(buf, sizeof(buf), "/target/dir",
	    buf + 3), 0);
	assert_string_equal(buf, "/target/dir/rest/of");
	strcpy(buf, "x");
	assert_int_equal(path_splice(buf, sizeof(buf), "y", buf + 1), 0);
	assert_string_equal(buf, "y");
	strcpy(buf, "x/abc");
	assert_int_equal(path_splice(buf, 8, "0123456", buf + 1),
	    -ENAMETOOLONG);
	assert_int_equal(path_splice(buf, sizeof(buf), "", buf + 1), -ENOENT);
}

static void
test_safe(void **state)
{
	assert_true(path_is_safe_relative("bin/busybox"));
	assert_true(path_is_safe_relative("./etc/..x"));
	assert_false(path_is_safe_relative("a/../../b"));
	assert_false(path_is_safe_relative("a/.."));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_components),
		cmocka_unit_test(test_trailing_slash),
		cmocka_unit_test(test_name_max),
		cmocka_unit_test(test_dots),
		cmocka_unit_test(test_splice),
		cmocka_unit_test(test_safe),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
