/*
 * main.c: kmain, the first C code, and the order in which Mica starts.
 *
 * boot/boot.asm arrives here in long mode on the boot stack with the first
 * 4 GiB mapped.  kmain brings up the consoles first (so every later problem
 * can be reported), reads what the boot loader passed, then starts the
 * subsystems in dependency order.  With `ktest` on the command line it runs
 * the self tests and leaves QEMU; otherwise it goes on to user space.
 */
#include <acpi.h>
#include <clock.h>
#include <cpu.h>
#include <gdbstub.h>
#include <kbd.h>
#include <kernel.h>
#include <ktest.h>
#include <lapic.h>
#include <libkern.h>
#include <kmem.h>
#include <multiboot.h>
#include <pci.h>
#include <pmap.h>
#include <proc.h>
#include <tty.h>
#include <uart.h>
#include <vga.h>
#include <vm_param.h>
#include <vm_phys.h>
#include <vnode.h>
#include <x86.h>

struct bootinfo bootinfo;	/* written once by kmain */

void kmain(uint32_t magic, uint64_t mbi_pa);

/*
 * The CPU and time layer: descriptor tables first (so a fault from here on
 * is a readable panic, not a triple fault), then CPU features, the
 * interrupt controllers, the clocks, the `syscall` MSRs, and interrupts on.
 */
static void
cpu_startup(void)
{
	gdt_init();
	idt_init();
	cpu_features_init();
	acpi_init(&bootinfo);	/* MADT for the I/O APIC, FADT for power */
	pic_init();
	lapic_init();
	ioapic_init();
	clock_init();
	syscall_init();
	enable_intr();
}

void panic_test_recurse(uint64_t n);

/* Recurse for ever, 1 KiB a frame (panic_test=kstack). */
void __attribute__((noinline, used))
panic_test_recurse(uint64_t n)
{
	volatile char frame[1024];

	frame[0] = (char)n;
	if (n != ~0UL)
		panic_test_recurse(n + 1);
	frame[1] = frame[0];
}

/* panic_test=trap|panic|doublefault|kstack: provoke a panic so tests can
 * check the dump. */
static void
panic_test(void)
{
	char what[16];

	if (!cmdline_value("panic_test", what, sizeof(what)))
		return;
	if (strcmp(what, "trap") == 0) {
		/* volatile: the compiler may not turn it into ud2. */
		volatile uint64_t *volatile p = NULL;

		printk("panic_test: dereferencing NULL\n");
		(void)*p;
		/* Still here: the boot identity map covers page 0. */
		printk("panic_test: page 0 is mapped; reading an unmapped "
		    "kernel address instead\n");
		p = (volatile uint64_t *)0xfffffffe00000000UL;
		(void)*p;
	} else if (strcmp(what, "panic") == 0)
		panic("panic_test: deliberate panic");
	else if (strcmp(what, "doublefault") == 0) {
		/* A push on an unmapped stack: the #PF cannot be delivered
		 * there either, so the CPU raises #DF on the IST1 stack. */
		printk("panic_test: pushing onto an unmapped stack\n");
		__asm__ volatile("movabs $0xfffffffe00001000, %%rsp\n\t"
				 "pushq %%rax" ::: "memory");
	}
	else if (strcmp(what, "kstack") == 0) {
		/* Endless recursion on a guarded kernel stack. */
		uint64_t top = pmap_kstack_alloc(4) + 4 * PAGE_SIZE;

		printk("panic_test: overflowing a kernel stack\n");
		__asm__ volatile("mov %0, %%rsp\n\t"
				 "call panic_test_recurse" :: "r"(top) : "memory");
	}
	printk(KERN_WARNING "panic_test=%s: survived\n", what);
}

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
	/* The command line first: console=ttyS1 moves printk off COM1. */
	error = multiboot_parse(magic, mbi_pa, boot_map, NULL, &bootinfo);
	vga_init(&bootinfo);	/* VGA text or the loader's framebuffer */
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
	vga_describe(&bootinfo);
	cmdline_check();
	/* The kernel image itself is not free memory. */
	bi_reserve(&bootinfo, (paddr_t)_kernel_phys_start,
	    (paddr_t)_kernel_phys_end);
	print_meminfo(&bootinfo);
	if (bi_total(&bootinfo) < (8UL << 20))
		panic("only %lu KiB of usable RAM; Mica needs 8 MiB",
		    bi_total(&bootinfo) >> 10);

	/* Memory: page tables first (they take their pages from bootinfo),
	 * then the page array and the buddy allocator, then the heap. */
	pmap_bootstrap(&bootinfo);
	vm_phys_init(&bootinfo);
	kmem_init();
	printk("vm: %lu pages free (%lu MiB)\n", vm_phys_free_count(),
	    vm_phys_free_count() >> (20 - PAGE_SHIFT));

	cpu_startup();
	gdb_init();		/* gdb=ttyS1: the kernel's own gdb stub */
	panic_test();
	pci_init();

	/* Files: root ramfs, /dev, /tmp, the initramfs. */
	vfs_init(&bootinfo);
	tty_init();		/* the console tty, after devfs */
	atkbd_init();		/* the PS/2 keyboard feeds the console tty */
	sched_init();		/* proc0, thread0 and the idle thread */

	if (cmdline_has("ktest"))
		ktest_run_all();
	proc_start_init();	/* pid 1 execs init once we block */
	sched_idle_loop();	/* the boot thread sleeps for good */
}
