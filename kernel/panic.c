/*
 * panic.c: stop the kernel with a message, registers and a backtrace.
 *
 * After a panic nothing else runs: interrupts stay off and the CPU halts.
 * When the kernel runs under test (ktest or qrun on the command line) it
 * leaves QEMU through isa-debug-exit with QEMU_EXIT_PANIC instead, so a
 * test run fails at once rather than hanging until its timeout.  A panic
 * inside panic prints one line and stops.
 */
#include <gdbstub.h>
#include <kernel.h>
#include <ksyms.h>
#include <ktest.h>
#include <x86.h>

extern bool cons_panicking;
static int panic_depth;

void
qemu_exit(int code)
{
	outl(0xf4, (uint32_t)code);
}

bool
kernel_under_test(void)
{
	return (cmdline_has("ktest") || cmdline_has("qrun"));
}

void
panic_halt(void)
{
	if (kernel_under_test())
		qemu_exit(QEMU_EXIT_PANIC);
	for (;;) {
		disable_intr();
		halt();
	}
}

static void __noreturn
vpanic(uint64_t rip, uint64_t rbp, const char *fmt, va_list ap)
{
	disable_intr();
	if (panic_depth++ > 0) {
		cons_panicking = true;
		printk("\npanic: nested panic\n");
		panic_halt();
	}
	cons_panicking = true;
	printk("\npanic: ");
	vprintk(fmt, ap);
	printk("\n");
	printk("cr0=%016lx cr2=%016lx cr3=%016lx cr4=%016lx\n", rcr0(),
	    rcr2(), rcr3(), rcr4());
	backtrace_print(rip, rbp);
	gdb_panic();		/* with gdb=: stop there first */
	printk("Mica halted.\n");
	panic_halt();
}

void
panic(const char *fmt, ...)
{
	va_list ap;
	uint64_t rbp;

	__asm__ volatile("mov %%rbp, %0" : "=r"(rbp));
	va_start(ap, fmt);
	vpanic(0, rbp, fmt, ap);
}

/* Panic with the backtrace of another context (a trap frame's rip/rbp). */
void
panic_at(uint64_t rip, uint64_t rbp, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vpanic(rip, rbp, fmt, ap);
}

/* -fstack-protector-strong: the canary and what happens when it dies. */
uint64_t __stack_chk_guard = 0x595e9fbd94fda766UL;

void __stack_chk_fail(void) __noreturn;
void
__stack_chk_fail(void)
{
	panic("stack smashing detected");
}
