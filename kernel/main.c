/*
 * main.c: kmain, the first C code, and the order in which Mica starts.
 *
 * boot/boot.asm arrives here in long mode on the boot stack with the first
 * 4 GiB mapped.  kmain brings up the consoles first (so every later problem
 * can be reported), reads what the boot loader passed, then starts the
 * subsystems in dependency order.  With `ktest` on the command line it runs
 * the self tests and leaves QEMU; otherwise it goes on to user space.
 */
#include <kernel.h>
#include <ktest.h>
#include <libkern.h>
#include <multiboot.h>
#include <tty.h>
#include <uart.h>
#include <vga.h>
#include <vm_param.h>

struct bootinfo bootinfo;	/* written once by kmain */

void kmain(uint32_t magic, uint64_t mbi_pa);

/* The boot page tables map the first 4 GiB: refuse anything beyond. */
static const void *
boot_map(paddr_t pa, size_t len, void *arg)
{
	if (pa == 0 || pa + len < pa || pa + len > (4UL << 30))
		return (NULL);
	return (PHYS_TO_DMAP(pa));
}

static void
print_meminfo(const struct bootinfo *bi)
{
	printk("memory: %lu KiB usable in %d ranges\n", bi_total(bi) >> 10,
	    bi->nmem);
	for (int i = 0; i < bi->nmem; i++)
		printk("  [%#012lx - %#012lx) %6lu KiB\n", bi->mem[i].start,
		    bi->mem[i].end,
		    (bi->mem[i].end - bi->mem[i].start) >> 10);
	for (int i = 0; i < bi->nmods; i++)
		printk("module: %s [%#lx - %#lx) %lu bytes\n",
		    bi->mods[i].name[0] ? bi->mods[i].name : "(unnamed)",
		    bi->mods[i].start, bi->mods[i].end,
		    bi->mods[i].end - bi->mods[i].start);
}

void
kmain(uint32_t magic, uint64_t mbi_pa)
{
	extern char _kernel_phys_start[], _kernel_phys_end[];
	int error;

	uart_init(COM1_PORT);
	vga_init();
	/* The command line first: console=ttyS1 moves printk off COM1. */
	error = multiboot_parse(magic, mbi_pa, boot_map, NULL, &bootinfo);
	strlcpy(kernel_cmdline, bootinfo.cmdline, sizeof(kernel_cmdline));
	cons_init();
	printk("Mica version %s (x86-64) booting\n", MICA_VERSION);
	for (int i = 0; i < bootinfo.nwarn && i < (int)nitems(bootinfo.warn);
	     i++)
		printk(KERN_WARNING "boot: %s\n", bootinfo.warn[i]);
	if (error != 0)
		panic("cannot boot without multiboot memory information "
		      "(magic %#x)", magic);
	printk("cmdline: %s\n", kernel_cmdline);
	cmdline_check();
	/* The kernel image itself is not free memory. */
	bi_reserve(&bootinfo, (paddr_t)_kernel_phys_start,
	    (paddr_t)_kernel_phys_end);
	print_meminfo(&bootinfo);
	if (bi_total(&bootinfo) < (8UL << 20))
		panic("only %lu KiB of usable RAM; Mica needs 8 MiB",
		    bi_total(&bootinfo) >> 10);

	tty_init();

	if (cmdline_has("ktest"))
		ktest_run_all();
	printk("Mica: nothing to run yet; halting.\n");
	panic_halt();
}
