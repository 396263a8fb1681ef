/*
 * atkbd.c: the PS/2 keyboard behind the i8042 controller, as console input.
 *
 * Laptops and desktops without a serial port still have an i8042 (or the
 * firmware's USB legacy emulation of one), so this is how such a PC gets a
 * shell: scancodes arrive on IRQ 1, kernel/kbdmap.c turns them into the
 * bytes a terminal sends, and tty_input feeds them to the console tty
 * exactly as bytes from COM1 are fed.  Setup: disable both ports, drain
 * the output buffer, enable IRQ 1 and scancode translation (so every
 * keyboard speaks set 1) and disable the mouse in the command byte, then
 * enable the keyboard port.  The controller is absent when its status
 * port floats (0xff).  (FreeBSD: sys/dev/atkbdc/atkbdc.c, atkbd.c.)
 */
#include <kbd.h>
#include <kernel.h>
#include <lapic.h>
#include <trap.h>
#include <tty.h>
#include <x86.h>

#define KBD_DATA	0x60
#define KBD_STATUS	0x64	/* read */
#define KBD_COMMAND	0x64	/* write */
#define KBDS_OBF	0x01	/* output buffer full: a byte for us */
#define KBDS_IBF	0x02	/* input buffer full: controller busy */
#define KBDS_AUX	0x20	/* the byte came from the mouse port */
#define KBDC_GET_CMDBYTE 0x20
#define KBDC_SET_CMDBYTE 0x60
#define KBDC_DISABLE_AUX 0xa7
#define KBDC_DISABLE_KBD 0xad
#define KBDC_ENABLE_KBD	0xae
#define KBDCB_KBD_INT	0x01	/* IRQ 1 on */
#define KBDCB_AUX_INT	0x02	/* IRQ 12 on */
#define KBDCB_KBD_DIS	0x10	/* keyboard clock off */
#define KBDCB_TRANSLATE	0x40	/* set 2 -> set 1 */
#define KBD_IRQ		1

static struct kbd_state atkbd_state;	/* IRQ 1 handler only */

static bool
kbdc_wait_write(void)
{
	for (int i = 0; i < 100000; i++) {
		if (!(inb(KBD_STATUS) & KBDS_IBF))
			return (true);
		cpu_spinwait();
	}
	return (false);
}

static int
kbdc_read(void)
{
	for (int i = 0; i < 100000; i++) {
		if (inb(KBD_STATUS) & KBDS_OBF)
			return (inb(KBD_DATA));
		cpu_spinwait();
	}
	return (-1);
}

static bool
kbdc_command(uint8_t cmd)
{
	if (!kbdc_wait_write())
		return (false);
	outb(KBD_COMMAND, cmd);
	return (true);
}

static void
atkbd_intr(struct trapframe *tf, void *arg)
{
	char out[KBD_MAXSEQ];
	uint8_t st;

	while ((st = inb(KBD_STATUS)) & KBDS_OBF) {
		uint8_t sc = inb(KBD_DATA);
		int n;

		if (st & KBDS_AUX)
			continue;
		n = kbd_translate(&atkbd_state, sc, out);
		for (int i = 0; i < n && constty != NULL; i++)
			tty_input(constty, (uint8_t)out[i]);
	}
}

/* After tty_init (the console tty) and ioapic_init. */
void
atkbd_init(void)
{
	int cb;

	if (cmdline_has("nokbd"))
		return;
	if (inb(KBD_STATUS) == 0xff) {
		printk("atkbd: no i8042 keyboard controller\n");
		return;
	}
	kbdc_command(KBDC_DISABLE_KBD);
	kbdc_command(KBDC_DISABLE_AUX);
	for (int i = 0; i < 64 && (inb(KBD_STATUS) & KBDS_OBF); i++)
		(void)inb(KBD_DATA);
	if (!kbdc_command(KBDC_GET_CMDBYTE) || (cb = kbdc_read()) < 0) {
		printk(KERN_WARNING "atkbd: i8042 does not answer\n");
		return;
	}
	cb = (cb | KBDCB_KBD_INT | KBDCB_TRANSLATE) &
	    ~(KBDCB_AUX_INT | KBDCB_KBD_DIS);
	kbdc_command(KBDC_SET_CMDBYTE);
	kbdc_wait_write();
	outb(KBD_DATA, cb);
	intr_establish(IRQ_VECTOR(KBD_IRQ), atkbd_intr, NULL);
	if (ioapic_route_irq(KBD_IRQ, IRQ_VECTOR(KBD_IRQ)) != 0) {
		printk(KERN_WARNING "atkbd: cannot route IRQ 1\n");
		return;
	}
	kbdc_command(KBDC_ENABLE_KBD);
	printk("atkbd: PS/2 keyboard on IRQ 1 feeds the console\n");
}
