/*
 * vga.h: the 80x25 VGA text screen, a mirror of the boot console.
 */
#ifndef _VGA_H_
#define _VGA_H_

void vga_init(void);
void vga_putc(int c);

#endif /* !_VGA_H_ */
