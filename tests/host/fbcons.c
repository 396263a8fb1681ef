/*
 * fbcons.c: host unit tests for drivers/fbcons.c, the framebuffer console.
 *
 * The "framebuffer" is an array; a 64x48-pixel screen (8 columns, 3 rows
 * of 8x16 cells) is small enough to check pixel by pixel.  The tests read
 * the glyph back out of the pixels and compare it with drivers/font.c, so
 * a console that drew the wrong glyph, the wrong colour, in the wrong
 * cell, scrolled wrongly or left the cursor behind would fail.  Both 32-
 * and 16-bit (5-6-5) pixel formats are drawn; formats the console cannot
 * draw are refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <fbcons.h>
#include <multiboot.h>

#define W	64
#define H	48
#define PITCH	(W * 4 + 32)		/* padding after each line */

static uint8_t fbmem[PITCH * H];
static struct bi_framebuffer fb;

static int
setup32(void **state)
{
	memset(fbmem, 0x5a, sizeof(fbmem));
	memset(&fb, 0, sizeof(fb));
	fb.addr = 0x80000000;
	fb.pitch = PITCH;
	fb.width = W;
	fb.height = H;
	fb.bpp = 32;
	fb.type = BI_FB_RGB;
	fb.red_pos = 16;
	fb.red_size = 8;
	fb.green_pos = 8;
	fb.green_size = 8;
	fb.blue_pos = 0;
	fb.blue_size = 8;
	assert_int_equal(fbcons_init(&fb, fbmem), 0);
	return (0);
}

static uint32_t
px(int x, int y)
{
	uint32_t v;

	memcpy(&v, fbmem + y * PITCH + x * 4, 4);
	return (v);
}

static void
puts_fb(const char *s)
{
	while (*s != '\0')
		fbcons_putc((uint8_t)*s++);
}

/*
 * Check that cell (col, row) shows character c in colour fg on bg: each
 * glyph row drawn twice at pixel rows 1-14, one pixel in from the left.
 * The cursor's two bottom rows are not looked at.
 */
static void
assert_cell(int col, int row, int c, uint32_t fg, uint32_t bg)
{
	const uint8_t *g = font5x7[c - FONT_FIRST];

	for (int y = 0; y < 14; y++)
		for (int x = 0; x < CELL_W; x++) {
			int gy = (y - 1) / 2, gx = x - 1;
			bool on = y >= 1 && y <= 14 && gx >= 0 &&
			    gx < FONT_COLS && (g[gy] & (0x10 >> gx));

			assert_int_equal(px(col * CELL_W + x,
			    row * CELL_H + y), on ? fg : bg);
		}
}

static bool
cursor_at(int col, int row)
{
	/* The cursor inverts the cell's bottom two pixel rows. */
	return ((px(col * CELL_W, row * CELL_H + 15) & 0xffffff) == 0xffffff);
}

static void
test_init_clears_and_sizes(void **state)
{
	int cols, rows;

	fbcons_size(&cols, &rows);
	assert_int_equal(cols, 8);
	assert_int_equal(rows, 3);
	assert_int_equal(px(10, 20), 0);
	assert_int_equal(px(W - 1, H - 1), 0);
	/* The padding past the visible width is not touched. */
	assert_int_equal(fbmem[W * 4], 0x5a);
	assert_true(cursor_at(0, 0));
}

static void
test_text_and_cursor(void **state)
{
	puts_fb("Hi");
	assert_cell(0, 0, 'H', 0xaaaaaa, 0);
	assert_cell(1, 0, 'i', 0xaaaaaa, 0);
	assert_false(cursor_at(0, 0));
	assert_true(cursor_at(2, 0));
	puts_fb("\r\nx");
	assert_cell(0, 1, 'x', 0xaaaaaa, 0);
	assert_true(cursor_at(1, 1));
	puts_fb("\b");
	assert_true(cursor_at(0, 1));
	puts_fb("\ty");			/* tab stop 8 = past the end: col 7 */
	assert_cell(7, 1, 'y', 0xaaaaaa, 0);
}

static void
test_colours(void **state)
{
	puts_fb("\033[31mR\033[1;44mB\033[0mN");
	assert_cell(0, 0, 'R', 0xaa0000, 0);
	assert_cell(1, 0, 'B', 0xff5555, 0x0000aa);	/* bold red on blue */
	assert_cell(2, 0, 'N', 0xaaaaaa, 0);
}

static void
test_scroll(void **state)
{
	puts_fb("a\nb\nc\nd");
	/* Three rows: "a" scrolled off, b c d remain. */
	assert_cell(0, 0, 'b', 0xaaaaaa, 0);
	assert_cell(0, 1, 'c', 0xaaaaaa, 0);
	assert_cell(0, 2, 'd', 0xaaaaaa, 0);
	assert_true(cursor_at(1, 2));
	/* A full line wraps and scrolls too. */
	puts_fb("12345678");
	assert_cell(7, 1, '7', 0xaaaaaa, 0);
	assert_cell(0, 1, 'd', 0xaaaaaa, 0);
	assert_true(cursor_at(1, 2));
}

static void
test_escapes_erase_and_move(void **state)
{
	puts_fb("abcdef");
	puts_fb("\033[3D\033[K");	/* back 3, erase to end of line */
	assert_cell(2, 0, 'c', 0xaaaaaa, 0);
	assert_int_equal(px(3 * CELL_W + 2, 4), 0);	/* 'd' gone */
	puts_fb("\033[2;5HZ");		/* row 2, column 5 */
	assert_cell(4, 1, 'Z', 0xaaaaaa, 0);
	puts_fb("\033[2J");
	for (int y = 0; y < H - 2; y += 3)
		for (int x = 0; x < W; x += 3)
			if (!(y % CELL_H >= 14))
				assert_int_equal(px(x, y), 0);
	/* Unknown and private sequences are swallowed, not drawn. */
	puts_fb("\033[?25l\033[6n\033(Bq");
	assert_cell(5, 1, 'q', 0xaaaaaa, 0);
}

static void
test_unknown_char_is_a_box(void **state)
{
	fbcons_putc(0xe9);
	/* Top row of the box: 5 pixels on. */
	for (int x = 1; x <= 5; x++)
		assert_int_equal(px(x, 1), 0xaaaaaa);
	assert_int_equal(px(3, 5), 0);		/* hollow */
	assert_int_equal(px(1, 5), 0xaaaaaa);
}

static void
test_rgb565(void **state)
{
	uint16_t v;

	memset(fbmem, 0, sizeof(fbmem));
	fb.bpp = 16;
	fb.pitch = W * 2;
	fb.red_pos = 11;
	fb.red_size = 5;
	fb.green_pos = 5;
	fb.green_size = 6;
	fb.blue_pos = 0;
	fb.blue_size = 5;
	assert_int_equal(fbcons_init(&fb, fbmem), 0);
	puts_fb("\033[37;1m|");		/* white: a vertical bar at x = 3 */
	memcpy(&v, fbmem + 4 * fb.pitch + 3 * 2, 2);
	assert_int_equal(v, 0xffff);
	memcpy(&v, fbmem + 4 * fb.pitch + 1 * 2, 2);
	assert_int_equal(v, 0);
}

static void
test_refused_formats(void **state)
{
	fb.bpp = 8;
	assert_int_equal(fbcons_init(&fb, fbmem), -1);
	fb.bpp = 32;
	fb.type = BI_FB_INDEXED;
	assert_int_equal(fbcons_init(&fb, fbmem), -1);
	fb.type = BI_FB_EGA_TEXT;
	assert_int_equal(fbcons_init(&fb, fbmem), -1);
	fb.type = BI_FB_RGB;
	fb.width = 4;			/* less than one cell */
	assert_int_equal(fbcons_init(&fb, fbmem), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup(name, setup32)
		T(test_init_clears_and_sizes),
		T(test_text_and_cursor),
		T(test_colours),
		T(test_scroll),
		T(test_escapes_erase_and_move),
		T(test_unknown_char_is_a_box),
		T(test_rgb565),
		T(test_refused_formats),
#undef T
	};

	return (cmocka_run_group_tests_name("fbcons", tests, NULL, NULL));
}
