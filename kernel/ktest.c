/*
 * ktest.c: run every KTEST in the kernel and report to the host.
 *
 * Tests are collected by the linker into the `ktests` section.  Each runs
 * in turn on the boot CPU with interrupts as kmain left them; a test fails
 * through KT_ASSERT (or by panicking, which ends the run with
 * QEMU_EXIT_PANIC).  The last line is "ktest: N passed, N failed", read by
 * tools/runtests.
 */
#include <kernel.h>
#include <ktest.h>
#include <libkern.h>

extern const struct ktest __start_ktests[], __stop_ktests[];

static bool ktest_failed;	/* the current test */

void
ktest_fail(const char *file, int line, const char *expr)
{
	printk("ktest:   %s:%d: assertion failed: %s\n", file, line, expr);
	ktest_failed = true;
}

void
ktest_run_all(void)
{
	const struct ktest *t;
	int passed = 0, failed = 0;
	char only[64];
	bool have_only;

	/* ktest=NAME runs only the tests whose name starts with NAME. */
	have_only = cmdline_value("ktest", only, sizeof(only));
	for (t = __start_ktests; t < __stop_ktests; t++) {
		if (have_only && strncmp(t->kt_name, only, strlen(only)) != 0)
			continue;
		ktest_failed = false;
		t->kt_fn();
		printk("ktest: %-40s %s\n", t->kt_name,
		    ktest_failed ? "FAIL" : "ok");
		if (ktest_failed)
			failed++;
		else
			passed++;
	}
	printk("ktest: %d passed, %d failed\n", passed, failed);
	qemu_exit(failed == 0 && passed > 0 ? QEMU_EXIT_PASS : QEMU_EXIT_FAIL);
	panic_halt();
}
