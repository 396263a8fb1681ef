/*
 * ktest.h: in-kernel self tests.
 *
 * KTEST(name) { ... } defines a test that the kernel runs when booted with
 * `ktest` on its command line.  A test lives next to the code it tests and
 * fails through KT_ASSERT, which records the file and line and returns from
 * the test.  The runner (kernel/ktest.c) prints one line per test, then
 * "ktest: N passed, N failed", then leaves QEMU through isa-debug-exit.
 */
#ifndef _KTEST_H_
#define _KTEST_H_

#include <types.h>

struct ktest {
	const char *kt_name;
	const char *kt_file;
	void (*kt_fn)(void);
};

#define KTEST(name)                                                      \
	static void ktest_##name(void);                                  \
	static const struct ktest ktest_desc_##name                      \
	    __attribute__((section("ktests"), used, aligned(8))) = {    \
		#name, __FILE__, ktest_##name };                        \
	static void ktest_##name(void)

void ktest_fail(const char *file, int line, const char *expr);

#define KT_ASSERT(exp) do {                                             \
	if (!(exp)) {                                                    \
		ktest_fail(__FILE__, __LINE__, #exp);                    \
		return;                                                  \
	}                                                                \
} while (0)
#define KT_EQ(a, b) KT_ASSERT((a) == (b))

void ktest_run_all(void) __noreturn;

/* isa-debug-exit verdicts: QEMU exits with (code << 1) | 1. */
#define QEMU_EXIT_PASS	0x10	/* exit status 33 */
#define QEMU_EXIT_FAIL	0x11	/* exit status 35 */
#define QEMU_EXIT_PANIC 0x12	/* exit status 37 */
void qemu_exit(int code);

#endif /* !_KTEST_H_ */
