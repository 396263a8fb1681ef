/*
 * kbd.h: the PC keyboard -- scancodes to the bytes a terminal sends.
 *
 * kernel/kbdmap.c (pure, host-tested) turns scancode set 1 (what the
 * i8042 hands over with translation on) into ASCII with shift, ctrl, alt
 * and caps lock, and the cursor and editing keys into the VT100 escape
 * sequences the Linux console sends.  drivers/atkbd.c reads the i8042 on
 * IRQ 1 and feeds the bytes to the console tty.
 */
#ifndef _KBD_H_
#define _KBD_H_

#include <types.h>

struct kbd_state {
	bool e0;			/* the previous byte was 0xe0 */
	bool lshift, rshift, lctrl, rctrl, alt;
	bool capslock;
};

#define KBD_MAXSEQ	8		/* longest output of one scancode */

/* Feed one scancode byte; returns how many bytes it produced in out. */
int kbd_translate(struct kbd_state *ks, uint8_t sc, char out[KBD_MAXSEQ]);

/* drivers/atkbd.c */
void atkbd_init(void);

#endif /* !_KBD_H_ */
