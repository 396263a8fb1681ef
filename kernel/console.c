/*
 * console.c: printk, writing every message to a serial port and the VGA
 * screen.
 *
 * The serial port is COM1, shared with the user's terminal (/dev/console,
 * kernel/tty.c), unless the command line says console=ttyS1: then kernel
 * messages go to COM2 and COM1 carries only what user programs write
 * (tools/qrun uses this to keep a program's output clean).
 *
 * What user programs write to the console tty reaches the screen too,
 * through cons_screen_putc.
 *
 * One lock (cons_lock) keeps lines from interleaving and guards the screen
 * (vga.c, fbcons.c).  A message may begin
 * with a KERN_* level; messages at or above console_loglevel are dropped.
 * Once panic starts, the lock is ignored so a panic inside printk still
 * reaches the screen.
 */
#include <kernel.h>
#include <libkern.h>
#include <printf.h>
#include <spinlock.h>
#include <uart.h>
#include <vga.h>

int console_loglevel = 8;	/* everything prints */
bool cons_panicking;		/* set once by panic */
static struct spinlock cons_lock = SPINLOCK_INIT("console");
static uint16_t cons_port = COM1_PORT;	/* written once by cons_init */

/* After the command line is known: console=ttyS1 moves printk to COM2. */
void
cons_init(void)
{
	char name[16];

	if (!cmdline_value("console", name, sizeof(name)))
		return;
	if (strcmp(name, "ttyS1") == 0) {
		uart_init(COM2_PORT);
		if (uart_present(COM2_PORT))
			cons_port = COM2_PORT;
		else
			printk(KERN_WARNING "console: no COM2, staying on "
			    "ttyS0\n");
	} else if (strcmp(name, "ttyS0") != 0)
		printk(KERN_WARNING "console: unknown console=%s\n", name);
}

void
cons_putc(int c)
{
	if (c == '\n')
		uart_putc(cons_port, '\r');
	uart_putc(cons_port, c);
	vga_putc(c);
}

/* A byte the console tty sends (user output): mirrored on the screen. */
void
cons_screen_putc(int c)
{
	if (cons_panicking) {
		vga_putc(c);
		return;
	}
	spin_lock(&cons_lock);
	vga_putc(c);
	spin_unlock(&cons_lock);
}

void
cons_puts(const char *s)
{
	while (*s != '\0')
		cons_putc(*s++);
}

static void
printk_put(int c, void *arg)
{
	cons_putc(c);
}

int
vprintk(const char *fmt, va_list ap)
{
	int level = 6, n;

	if (fmt[0] == '\001' && fmt[1] >= '0' && fmt[1] <= '7') {
		level = fmt[1] - '0';
		fmt += 2;
	}
	if (level >= console_loglevel)
		return (0);
	if (cons_panicking)
		return (kvprintf(fmt, ap, printk_put, NULL));
	spin_lock(&cons_lock);
	n = kvprintf(fmt, ap, printk_put, NULL);
	spin_unlock(&cons_lock);
	return (n);
}

int
printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return (n);
}
