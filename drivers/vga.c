/*
 * vga.c: the screen: the VGA text screen at physical 0xb8000, 80x25, with
 * scrolling, or the framebuffer console (drivers/fbcons.c).
 *
 * A write-only mirror of the console so that a PC without a serial port
 * still shows the boot log and any panic.  vga_init picks the screen from
 * what the loader said: multiboot 1 (QEMU -kernel, BIOS) means VGA text;
 * multiboot 2 passes a framebuffer tag -- EGA text under BIOS, a linear
 * framebuffer under UEFI -- and no tag means no screen at all (UEFI
 * without graphics output: 0xb8000 may not be video memory there).
 */
#include <fbcons.h>
#include <kernel.h>
#include <libkern.h>
#include <multiboot.h>
#include <vga.h>
#include <vm_param.h>
#include <x86.h>

#define VGA_COLS	80
#define VGA_ROWS	25
#define VGA_ATTR	0x07	/* light grey on black */

static uint16_t *vga_mem;	/* console lock */
static bool vga_fb;		/* fbcons draws the screen; set once */
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
vga_init(const struct bootinfo *bi)
{
	const struct bi_framebuffer *fb = &bi->fb;

	if (bi->bootproto == 2 && !bi->fb_valid)
		return;
	if (bi->fb_valid && fb->type == BI_FB_RGB) {
		/* The boot page tables map only the first 4 GiB. */
		uint64_t end = fb->addr + (uint64_t)fb->pitch * fb->height;

		if (end <= (4UL << 30) &&
		    fbcons_init(fb, PHYS_TO_DMAP(fb->addr)) == 0)
			vga_fb = true;
		return;
	}
	if (bi->fb_valid && (fb->type != BI_FB_EGA_TEXT ||
	    fb->width != VGA_COLS || fb->height < VGA_ROWS))
		return;
	vga_mem = PHYS_TO_DMAP(0xb8000);
	for (int i = 0; i < VGA_COLS * VGA_ROWS; i++)
		vga_mem[i] = (VGA_ATTR << 8) | ' ';
	vga_row = vga_col = 0;
	vga_cursor();
}

/* Describe the screen for the boot log. */
void
vga_describe(const struct bootinfo *bi)
{
	int cols, rows;

	if (vga_fb) {
		fbcons_size(&cols, &rows);
		printk("screen: framebuffer %ux%u, %u bpp at %#lx, "
		    "%dx%d text\n", bi->fb.width, bi->fb.height, bi->fb.bpp, bi->fb.addr, cols,
		    rows);
	} else if (vga_mem != NULL)
		printk("screen: VGA text %dx%d\n", VGA_COLS, VGA_ROWS);
	else
		printk("screen: none (serial console only)\n");
}

void
vga_putc(int c)
{
	if (vga_fb) {
		fbcons_putc(c);
		return;
	}
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
