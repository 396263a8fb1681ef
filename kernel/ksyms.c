/*
 * ksyms.c: symbol lookup and frame-pointer backtraces.
 *
 * Every kernel function keeps its frame pointer (-fno-omit-frame-pointer),
 * so [rbp] is the caller's rbp and [rbp+8] the return address.  The walk
 * stops at rbp 0 (set by boot.asm and at every trap from user mode), at a
 * pointer outside the kernel's memory, or after 32 frames, so a corrupt
 * stack ends the trace instead of faulting inside panic.
 */
#include <kernel.h>
#include <ksyms.h>
#include <libkern.h>
#include <vm_param.h>

struct ksym {
	uint64_t addr;
	const char *name;
};

extern const uint64_t ksyms_count;
extern const struct ksym ksyms_table[];
extern char _text[], _etext[];

const char *
ksym_lookup(uint64_t addr, uint64_t *offset)
{
	uint64_t lo = 0, hi = ksyms_count;

	if (addr < (uint64_t)_text || addr >= (uint64_t)_etext || hi == 0)
		return (NULL);
	/* Find the last symbol at or below addr. */
	while (hi - lo > 1) {
		uint64_t mid = (lo + hi) / 2;

		if (ksyms_table[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	if (ksyms_table[lo].addr > addr)
		return (NULL);
	if (offset != NULL)
		*offset = addr - ksyms_table[lo].addr;
	return (ksyms_table[lo].name);
}

uint64_t
ksym_addr(const char *name)
{
	for (uint64_t i = 0; i < ksyms_count; i++)
		if (strcmp(ksyms_table[i].name, name) == 0)
			return (ksyms_table[i].addr);
	return (0);
}

static bool
kernel_stack_ptr(uint64_t p)
{
	/* Kernel stacks live in the kernel image or the direct map. */
	if ((p & 7) != 0)
		return (false);
	return (p >= KERNBASE ||
	    (p >= DMAP_BASE && p < DMAP_BASE + DMAP_MAX));
}

/*
 * A return address may lie just past the end of its function when the call
 * was the function's last instruction (a call to a noreturn function), so
 * callers' frames are looked up at ret - 1 and printed at ret.
 */
static void
print_frame(int i, uint64_t rip, bool is_return)
{
	uint64_t off;
	const char *name = ksym_lookup(rip - is_return, &off);

	off += is_return;

	if (name != NULL)
		printk("  #%-2d %p %s+0x%lx\n", i, (void *)rip, name, off);
	else
		printk("  #%-2d %p ?\n", i, (void *)rip);
}

void
backtrace_print(uint64_t rip, uint64_t rbp)
{
	int i = 0;

	if (rbp == 0) {
		rbp = (uint64_t)__builtin_frame_address(0);
		rip = 0;
	}
	printk("backtrace:\n");
	if (rip != 0)
		print_frame(i++, rip, false);
	for (; i < 32 && rbp != 0 && kernel_stack_ptr(rbp); i++) {
		uint64_t *frame = (uint64_t *)rbp;
		uint64_t ret = frame[1];

		if (ret < (uint64_t)_text || ret >= (uint64_t)_etext)
			break;
		print_frame(i, ret, true);
		if (frame[0] <= rbp)	/* stacks grow down: callers above */
			break;
		rbp = frame[0];
	}
}
