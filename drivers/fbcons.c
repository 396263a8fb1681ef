/*
 * fbcons.c: a text console on a linear framebuffer.
 *
 * Under UEFI there is no VGA text mode: GRUB leaves the screen in a
 * graphics mode and tells us (multiboot 2 framebuffer tag) where its pixels
 * are and how a pixel is laid out (bits per pixel, position and size of
 * red, green and blue).  We cut the screen into 8x16 character cells and
 * draw each character from drivers/font.c.  Scrolling copies the pixel
 * rows up by one cell; the cursor is an underline drawn with XOR, so
 * drawing it twice restores the cell.  A small subset of the ANSI/VT100
 * escapes that busybox and printk use is understood (colours with SGR
 * 0/1/30-37/39/40-47/49, cursor moves A-D and H, erase J and K); anything
 * else (ESC ( B, private modes, queries) is swallowed rather than drawn.
 * The caller holds the console lock (kernel/console.c) or is panicking.
 */
#include <fbcons.h>
#include <libkern.h>
#include <multiboot.h>

#define ESC_NONE	0
#define ESC_SEEN	1	/* ESC */
#define ESC_CSI		2	/* ESC [ */
#define ESC_ARG		3	/* ESC ( and the like: one more byte */
#define NPAR		4

/* The 16 colours of the PC text console in ANSI order, as 0xRRGGBB. */
static const uint32_t palette[16] = {
	0x000000, 0xaa0000, 0x00aa00, 0xaa5500,
	0x0000aa, 0xaa00aa, 0x00aaaa, 0xaaaaaa,
	0x555555, 0xff5555, 0x55ff55, 0xffff55,
	0x5555ff, 0xff55ff, 0x55ffff, 0xffffff,
};

static struct {				/* console lock */
	uint8_t *base;
	uint32_t pitch, bypp;
	struct bi_framebuffer fb;
	int cols, rows;
	int row, col;
	int fg, bg;			/* palette indexes */
	bool bold;
	int esc;			/* ESC_* */
	int par[NPAR], npar;
} fbc;

/* An 0xRRGGBB colour in the framebuffer's pixel format. */
static uint32_t
pixel(uint32_t rgb)
{
	uint32_t r = (rgb >> 16) & 0xff, g = (rgb >> 8) & 0xff, b = rgb & 0xff;

	return ((r >> (8 - fbc.fb.red_size)) << fbc.fb.red_pos |
	    (g >> (8 - fbc.fb.green_size)) << fbc.fb.green_pos |
	    (b >> (8 - fbc.fb.blue_size)) << fbc.fb.blue_pos);
}

static void
put_pixel(uint8_t *p, uint32_t v)
{
	switch (fbc.bypp) {
	case 4:
		*(volatile uint32_t *)p = v;
		break;
	case 3:
		p[0] = v;
		p[1] = v >> 8;
		p[2] = v >> 16;
		break;
	case 2:
		*(volatile uint16_t *)p = v;
		break;
	}
}

static uint8_t *
cell_addr(int col, int row)
{
	return (fbc.base + (size_t)row * CELL_H * fbc.pitch +
	    (size_t)col * CELL_W * fbc.bypp);
}

/* Draw character c in cell (col, row): glyph rows doubled, centred. */
static void
draw_char(int col, int row, int c)
{
	const uint8_t *glyph = NULL;
	uint32_t fg = pixel(palette[fbc.fg + (fbc.bold ? 8 : 0)]);
	uint32_t bg = pixel(palette[fbc.bg]);
	uint8_t *line = cell_addr(col, row);

	if (c >= FONT_FIRST && c < FONT_FIRST + FONT_NGLYPHS)
		glyph = font5x7[c - FONT_FIRST];
	for (int y = 0; y < CELL_H; y++, line += fbc.pitch) {
		int gy = (y - 1) / 2;	/* glyph row for y = 1 .. 14 */
		uint8_t bits;

		if (y < 1 || y > 2 * FONT_ROWS)
			bits = 0;
		else if (glyph != NULL)
			bits = glyph[gy];
		else			/* a box for the unknown */
			bits = (gy == 0 || gy == FONT_ROWS - 1) ? 0x1f : 0x11;
		for (int x = 0; x < CELL_W; x++) {
			int gx = x - 1;
			bool on = gx >= 0 && gx < FONT_COLS &&
			    (bits & (0x10 >> gx));

			put_pixel(line + x * fbc.bypp, on ? fg : bg);
		}
	}
}

/* The cursor: the cell's last two pixel rows, inverted. */
static void
cursor_flip(void)
{
	uint8_t *line = cell_addr(fbc.col, fbc.row) + (CELL_H - 2) * fbc.pitch;

	for (int y = 0; y < 2; y++, line += fbc.pitch)
		for (uint32_t i = 0; i < CELL_W * fbc.bypp; i++)
			line[i] ^= 0xff;
}

/* Fill cells [c0, c1) of text row `row` with the background colour. */
static void
clear_cells(int row, int c0, int c1)
{
	uint32_t bg = pixel(palette[fbc.bg]);
	uint8_t *line = cell_addr(c0, row);

	for (int y = 0; y < CELL_H; y++, line += fbc.pitch)
		for (int x = 0; x < (c1 - c0) * CELL_W; x++)
			put_pixel(line + x * fbc.bypp, bg);
}

/* Move every text row up by one, 8 bytes at a time, and clear the last. */
static void
scroll(void)
{
	size_t row_bytes = (size_t)CELL_H * fbc.pitch;
	size_t n = row_bytes * (fbc.rows - 1) / 8;
	volatile uint64_t *d = (volatile uint64_t *)fbc.base;
	volatile uint64_t *s = (volatile uint64_t *)(fbc.base + row_bytes);

	for (size_t i = 0; i < n; i++)
		d[i] = s[i];
	clear_cells(fbc.rows - 1, 0, fbc.cols);
}

static void
newline(void)
{
	fbc.col = 0;
	if (++fbc.row >= fbc.rows) {
		scroll();
		fbc.row = fbc.rows - 1;
	}
}

static void
sgr(void)
{
	if (fbc.npar == 0)
		fbc.par[fbc.npar++] = 0;
	for (int i = 0; i < fbc.npar; i++) {
		int p = fbc.par[i];

		if (p == 0) {
			fbc.fg = 7;
			fbc.bg = 0;
			fbc.bold = false;
		} else if (p == 1)
			fbc.bold = true;
		else if (p == 22)
			fbc.bold = false;
		else if (p >= 30 && p <= 37)
			fbc.fg = p - 30;
		else if (p == 39)
			fbc.fg = 7;
		else if (p >= 40 && p <= 47)
			fbc.bg = p - 40;
		else if (p == 49)
			fbc.bg = 0;
	}
}

/* The final byte of ESC [ params. */
static void
csi(int c)
{
	int n = fbc.npar > 0 && fbc.par[0] > 0 ? fbc.par[0] : 1;

	switch (c) {
	case 'm':
		sgr();
		break;
	case 'A':
		fbc.row = MAX(fbc.row - n, 0);
		break;
	case 'B':
		fbc.row = MIN(fbc.row + n, fbc.rows - 1);
		break;
	case 'C':
		fbc.col = MIN(fbc.col + n, fbc.cols - 1);
		break;
	case 'D':
		fbc.col = MAX(fbc.col - n, 0);
		break;
	case 'H':
	case 'f':
		fbc.row = fbc.npar > 0 && fbc.par[0] > 0 ? fbc.par[0] - 1 : 0;
		fbc.col = fbc.npar > 1 && fbc.par[1] > 0 ? fbc.par[1] - 1 : 0;
		fbc.row = MIN(fbc.row, fbc.rows - 1);
		fbc.col = MIN(fbc.col, fbc.cols - 1);
		break;
	case 'J':		/* 0: to the end of the screen, 2: all */
		if (fbc.npar > 0 && fbc.par[0] == 2) {
			for (int r = 0; r < fbc.rows; r++)
				clear_cells(r, 0, fbc.cols);
			break;
		}
		clear_cells(fbc.row, fbc.col, fbc.cols);
		for (int r = fbc.row + 1; r < fbc.rows; r++)
			clear_cells(r, 0, fbc.cols);
		break;
	case 'K':		/* to the end of the line */
		clear_cells(fbc.row, fbc.col, fbc.cols);
		break;
	}
}

/* Returns true if c was part of an escape sequence. */
static bool
escape(int c)
{
	switch (fbc.esc) {
	case ESC_NONE:
		if (c != 0x1b)
			return (false);
		fbc.esc = ESC_SEEN;
		return (true);
	case ESC_SEEN:
		fbc.esc = c == '[' ? ESC_CSI : (c == '(' || c == ')' ||
		    c == '#') ? ESC_ARG : ESC_NONE;
		fbc.npar = 0;
		memset(fbc.par, 0, sizeof(fbc.par));
		return (true);
	case ESC_ARG:			/* e.g. ESC ( B: character set */
		fbc.esc = ESC_NONE;
		return (true);
	}
	if (c >= '0' && c <= '9') {
		if (fbc.npar == 0)
			fbc.npar = 1;
		if (fbc.npar <= NPAR && fbc.par[fbc.npar - 1] < 10000)
			fbc.par[fbc.npar - 1] = fbc.par[fbc.npar - 1] * 10 +
			    c - '0';
	} else if (c == ';') {
		if (fbc.npar == 0)
			fbc.npar = 1;
		fbc.npar++;
	} else if (c == '?' || c == '=' || c == '>') {
		/* private parameters: read and ignored */
	} else {
		fbc.npar = MIN(fbc.npar, NPAR);
		fbc.esc = ESC_NONE;
		csi(c);
	}
	return (true);
}

void
fbcons_putc(int c)
{
	if (fbc.base == NULL)
		return;
	cursor_flip();
	if (!escape(c)) {
		switch (c) {
		case '\n':
			newline();
			break;
		case '\r':
			fbc.col = 0;
			break;
		case '\b':
			if (fbc.col > 0)
				fbc.col--;
			break;
		case '\t':
			fbc.col = MIN((fbc.col + 8) & ~7, fbc.cols - 1);
			break;
		default:
			if (c < ' ')
				break;
			draw_char(fbc.col, fbc.row, c);
			if (++fbc.col >= fbc.cols)
				newline();
		}
	}
	cursor_flip();
}

/*
 * Take over the framebuffer fb, mapped at va.  Returns 0, or -1 if its
 * pixel format is not one we draw (RGB with 16, 24 or 32 bits per pixel).
 */
int
fbcons_init(const struct bi_framebuffer *fb, void *va)
{
	if (fb->type != BI_FB_RGB || (fb->bpp != 16 && fb->bpp != 24 &&
	    fb->bpp != 32) || fb->red_size > 8 || fb->green_size > 8 ||
	    fb->blue_size > 8 || fb->width < CELL_W || fb->height < CELL_H)
		return (-1);
	memset(&fbc, 0, sizeof(fbc));
	fbc.fb = *fb;
	fbc.bypp = fb->bpp / 8;
	fbc.pitch = fb->pitch;
	fbc.cols = fb->width / CELL_W;
	fbc.rows = fb->height / CELL_H;
	fbc.fg = 7;
	fbc.base = va;
	for (int r = 0; r < fbc.rows; r++)
		clear_cells(r, 0, fbc.cols);
	cursor_flip();
	return (0);
}

void
fbcons_size(int *cols, int *rows)
{
	*cols = fbc.cols;
	*rows = fbc.rows;
}
