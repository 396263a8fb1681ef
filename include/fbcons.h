/*
 * fbcons.h: the text console drawn on a linear framebuffer (UEFI GOP, or a
 * VESA mode set by GRUB), the screen of a PC with no VGA text mode.
 */
#ifndef _FBCONS_H_
#define _FBCONS_H_

#include <types.h>

#define FONT_FIRST	32		/* ' ' */
#define FONT_NGLYPHS	95		/* ' ' .. '~' */
#define FONT_ROWS	7
#define FONT_COLS	5
#define CELL_W		8
#define CELL_H		16

extern const uint8_t font5x7[FONT_NGLYPHS][FONT_ROWS];

struct bi_framebuffer;
int fbcons_init(const struct bi_framebuffer *fb, void *va);
void fbcons_putc(int c);
void fbcons_size(int *cols, int *rows);

#endif /* !_FBCONS_H_ */
