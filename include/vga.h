/*
 * vga.h: the screen, a mirror of the boot console: the 80x25 VGA text
 * screen, or a framebuffer text console (fbcons.h) under UEFI.
 */
#ifndef _VGA_H_
#define _VGA_H_

struct bootinfo;
void vga_init(const struct bootinfo *bi);
void vga_describe(const struct bootinfo *bi);
void vga_putc(int c);

#endif /* !_VGA_H_ */
