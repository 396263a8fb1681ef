/*
 * vga.c: the VGA text screen at physical 0xb8000, 80x25, with scrolling.
 *
 * A write-only mirror of the console so that a PC without a serial port
 * still shows the boot log and any panic.
 */
#include <libkern.h>
#include <vga.h>
#include <vm_param.h>
#include <x86.h>

#define VGA_COLS	80
#define VGA_ROWS	25
#define VGA_ATTR	0x07	/* light grey on black */

static uint16_t *vga_mem;	/* console lock */
static int vga_row, vga_col;	/* console lock */

static void
vga_cursor(void)
{
	uint16_t pos = vga_row * VGA_COLS + vga_col;

	outb(0x3d4, 0x0f);
	outb(0x3d5, pos & 0xff);
	outb(0x3d4, 0x0e);
	outb(0x3d5, pos >> 8);
}

void
vga_init(void)
{
	vga_mem = PHYS_TO_DMAP(0xb8000);
	for (int i = 0; i < VGA_COLS * VGA_ROWS; i++)
		vga_mem[i] = (VGA_ATTR << 8) | ' ';
	vga_row = vga_col = 0;
	vga_cursor();
}

void
vga_putc(int c)
{
	if (vga_mem == NULL)
		return;
	switch (c) {
	case '\n':
		vga_col = 0;
		vga_row++;
		break;
	case '\r':
		vga_col = 0;
		break;
	case '\b':
		if (vga_col > 0)
			vga_col--;
		break;
	case '\t':
		vga_col = (vga_col + 8) & ~7;
		break;
	default:
		if (c < ' ')
			return;
		vga_mem[vga_row * VGA_COLS + vga_col] = (VGA_ATTR << 8) |
		    (uint8_t)c;
		vga_col++;
	}
	if (vga_col >= VGA_COLS) {
		vga_col = 0;
		vga_row++;
	}
	if (vga_row >= VGA_ROWS) {
		memmove(vga_mem, vga_mem + VGA_COLS,
		    (VGA_ROWS - 1) * VGA_COLS * 2);
		for (int i = 0; i < VGA_COLS; i++)
			vga_mem[(VGA_ROWS - 1) * VGA_COLS + i] =
			    (VGA_ATTR << 8) | ' ';
		vga_row = VGA_ROWS - 1;
	}
	vga_cursor();
}
