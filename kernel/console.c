/*
 * console.c: printk, writing every message to COM1 and the VGA screen.
 *
 * One lock (cons_lock) keeps lines from interleaving.  A message may begin
 * with a KERN_* level; messages at or above console_loglevel are dropped.
 * Once panic starts, the lock is ignored so a panic inside printk still
 * reaches the screen.
 */
#include <kernel.h>
#include <printf.h>
#include <spinlock.h>
#include <uart.h>
#include <vga.h>

int console_loglevel = 8;	/* everything prints */
bool cons_panicking;		/* set once by panic */
static struct spinlock cons_lock = SPINLOCK_INIT("console");

void
cons_putc(int c)
{
	if (c == '\n')
		uart_putc(COM1_PORT, '\r');
	uart_putc(COM1_PORT, c);
	vga_putc(c);
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
