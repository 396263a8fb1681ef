/*
 * cmdline.c: host unit tests for kernel/cmdline.c (option lookup and the
 * boot-time check for unknown options).
 *
 * cmdline.c reports through printk; the stub here formats into a log
 * buffer so a test can assert exactly which warnings were printed and at
 * which level.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <kernel.h>

static char log_buf[4096];
static int log_lines;

int
printk(const char *fmt, ...)
{
	size_t used = strlen(log_buf);
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(log_buf + used, sizeof(log_buf) - used, fmt, ap);
	va_end(ap);
	log_lines++;
	return (n);
}

static int
setup(void **state)
{
	memset(kernel_cmdline, 0, sizeof(kernel_cmdline));
	log_buf[0] = '\0';
	log_lines = 0;
	return (0);
}

static void
set_cmdline(const char *s)
{
	snprintf(kernel_cmdline, sizeof(kernel_cmdline), "%s", s);
}

static void
test_has_whole_words_only(void **state)
{
	set_cmdline("/boot/kernel.elf ktest quiet");
	assert_true(cmdline_has("ktest"));
	assert_true(cmdline_has("quiet"));
	assert_false(cmdline_has("kt"));	/* a prefix is not a match */
	assert_false(cmdline_has("test"));	/* nor a suffix */
	assert_false(cmdline_has("ktestx"));
	assert_false(cmdline_has("init"));

	set_cmdline("ktesting");
	assert_false(cmdline_has("ktest"));
	set_cmdline("ktest=vm_");
	assert_true(cmdline_has("ktest"));
	set_cmdline("");
	assert_false(cmdline_has("ktest"));
}

static void
test_value(void **state)
{
	char v[32];

	set_cmdline("/boot/kernel.elf  init=/bin/sh   loglevel=7 quiet");
	assert_true(cmdline_value("init", v, sizeof(v)));
	assert_string_equal(v, "/bin/sh");
	assert_true(cmdline_value("loglevel", v, sizeof(v)));
	assert_string_equal(v, "7");
	/* Present without '=': no value. */
	assert_false(cmdline_value("quiet", v, sizeof(v)));
	assert_false(cmdline_value("console", v, sizeof(v)));

	set_cmdline("init=");
	assert_true(cmdline_value("init", v, sizeof(v)));
	assert_string_equal(v, "");
}

static void
test_value_truncated_to_buffer(void **state)
{
	char v[5];

	memset(v, 'X', sizeof(v));
	set_cmdline("init=/usr/local/bin/prog next");
	assert_true(cmdline_value("init", v, sizeof(v)));
	assert_string_equal(v, "/usr");
}

static void
test_check_known_options_silent(void **state)
{
	set_cmdline("/boot/kernel.elf ktest=vm quiet init=/sbin/init "
	    "console=ttyS0 loglevel=4 panic_test=trap qrun");
	cmdline_check();
	assert_int_equal(log_lines, 0);
}

static void
test_check_unknown_option_warned(void **state)
{
	set_cmdline("build/kernel32.elf ktest bogus_option=1 quiet");
	cmdline_check();
	assert_int_equal(log_lines, 1);
	/* A warning (KERN_WARNING prefix), naming the option without "=1". */
	assert_memory_equal(log_buf, KERN_WARNING, 2);
	assert_string_equal(log_buf + 2,
	    "cmdline: unknown option \"bogus_option\" ignored\n");
}

static void
test_check_each_unknown_once(void **state)
{
	set_cmdline("/boot/kernel.elf  foo   bar=2 ktest Ktest");
	cmdline_check();
	assert_int_equal(log_lines, 3);
	assert_non_null(strstr(log_buf, "\"foo\""));
	assert_non_null(strstr(log_buf, "\"bar\""));
	assert_non_null(strstr(log_buf, "\"Ktest\""));	/* case matters */
}

static void
test_check_without_kernel_path(void **state)
{
	/* A loader that passes no path: the first word is an option. */
	set_cmdline("typo ktest");
	cmdline_check();
	assert_int_equal(log_lines, 1);
	assert_non_null(strstr(log_buf, "\"typo\""));

	setup(NULL);
	set_cmdline("");
	cmdline_check();
	assert_int_equal(log_lines, 0);
	set_cmdline("/boot/kernel.elf");
	cmdline_check();
	assert_int_equal(log_lines, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_has_whole_words_only, setup),
		cmocka_unit_test_setup(test_value, setup),
		cmocka_unit_test_setup(test_value_truncated_to_buffer, setup),
		cmocka_unit_test_setup(test_check_known_options_silent, setup),
		cmocka_unit_test_setup(test_check_unknown_option_warned, setup),
		cmocka_unit_test_setup(test_check_each_unknown_once, setup),
		cmocka_unit_test_setup(test_check_without_kernel_path, setup),
	};

	return (cmocka_run_group_tests_name("cmdline", tests, NULL, NULL));
}
