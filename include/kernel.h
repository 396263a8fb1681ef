/*
 * kernel.h: printk, panic and assertions, used by every kernel file.
 *
 * printk writes to every console (the 16550 UART and the VGA text screen)
 * under the console lock; a message starts with an optional level prefix
 * such as KERN_ERR, which is stripped before printing and filters against
 * the console level.
 */
#ifndef _KERNEL_H_
#define _KERNEL_H_

#include <types.h>

#define KERN_EMERG	"\0010"
#define KERN_ERR	"\0013"
#define KERN_WARNING	"\0014"
#define KERN_NOTICE	"\0015"
#define KERN_INFO	"\0016"
#define KERN_DEBUG	"\0017"

extern int console_loglevel;	/* messages below this level print */

int printk(const char *fmt, ...) __printflike(1, 2);
int vprintk(const char *fmt, va_list ap);
void panic(const char *fmt, ...) __printflike(1, 2) __noreturn;
void panic_at(uint64_t rip, uint64_t rbp, const char *fmt, ...)
    __printflike(3, 4) __noreturn;
void panic_halt(void) __noreturn;
bool kernel_under_test(void);	/* ktest or qrun: exit QEMU on panic */

/* Low-level console output used by printk and by panic. */
void cons_init(void);		/* console=ttyS1: printk to COM2 */
void cons_putc(int c);
void cons_screen_putc(int c);		/* tty output to the screen only */
void cons_puts(const char *s);

#define KASSERT(exp, msg) do {                                          \
	if (__predict_false(!(exp)))                                     \
		panic("assertion \"%s\" failed at %s:%d: %s", #exp,       \
		    __FILE__, __LINE__, (msg));                           \
} while (0)

/* The kernel command line from the boot loader, and option lookup. */
extern char kernel_cmdline[256];
bool cmdline_has(const char *opt);
bool cmdline_value(const char *opt, char *buf, size_t size);
void cmdline_check(void);

#endif /* !_KERNEL_H_ */
