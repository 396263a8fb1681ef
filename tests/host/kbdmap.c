/*
 * kbdmap.c: host unit tests for kernel/kbdmap.c (kbd_translate).
 *
 * Scancode sequences as a set-1 keyboard sends them (make, break, 0xe0
 * prefixes) must give exactly the bytes a Linux console would: letters
 * with shift and caps lock, control characters, alt as ESC prefix, the
 * VT100 sequences of the cursor keys, and nothing at all for releases,
 * modifiers and keys a terminal has no byte for.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <kbd.h>

static struct kbd_state ks;
static char buf[256];
static int len;

static int
setup(void **state)
{
	memset(&ks, 0, sizeof(ks));
	len = 0;
	return (0);
}

/* Feed a sequence of scancode bytes, collecting the output. */
static void
feed(const uint8_t *sc, size_t n)
{
	char out[KBD_MAXSEQ];

	for (size_t i = 0; i < n; i++) {
		int k = kbd_translate(&ks, sc[i], out);

		assert_true(k >= 0 && k <= KBD_MAXSEQ);
		memcpy(buf + len, out, k);
		len += k;
	}
	buf[len] = '\0';
}
#define FEED(...) do {							\
	const uint8_t s_[] = { __VA_ARGS__ };				\
	feed(s_, sizeof(s_));						\
} while (0)

static void
test_letters_digits_release_silent(void **state)
{
	/* h i <space> 1 0 <enter>, each with its break code. */
	FEED(0x23, 0xa3, 0x17, 0x97, 0x39, 0xb9, 0x02, 0x82, 0x0b, 0x8b,
	    0x1c, 0x9c);
	assert_int_equal(len, 6);
	assert_string_equal(buf, "hi 10\r");
}

static void
test_shift_both_sides(void **state)
{
	FEED(0x2a, 0x1e, 0xaa, 0x1e);		/* LShift a, release, a */
	FEED(0x36, 0x02, 0x0d, 0xb6, 0x02);	/* RShift 1 =, release, 1 */
	assert_string_equal(buf, "Aa!+1");
}

static void
test_capslock_toggles_letters_only(void **state)
{
	FEED(0x3a, 0xba, 0x10, 0x02);		/* caps, q 1 */
	FEED(0x2a, 0x10, 0xaa);			/* shift+q under caps: q */
	FEED(0x3a, 0xba, 0x10);			/* caps off: q */
	assert_string_equal(buf, "Q1qq");
}

static void
test_ctrl_characters(void **state)
{
	FEED(0x1d, 0x2e, 0x20, 0x1a, 0x9d);	/* ctrl c, d, [ */
	FEED(0xe0, 0x1d, 0x2c, 0xe0, 0x9d, 0x2c); /* right ctrl z; z */
	assert_int_equal(len, 5);
	assert_int_equal(buf[0], 0x03);
	assert_int_equal(buf[1], 0x04);
	assert_int_equal(buf[2], 0x1b);
	assert_int_equal(buf[3], 0x1a);
	assert_int_equal(buf[4], 'z');
}

static void
test_backspace_tab_escape(void **state)
{
	FEED(0x0e, 0x0f, 0x01);
	assert_int_equal(len, 3);
	assert_int_equal(buf[0], 0x7f);
	assert_int_equal(buf[1], '\t');
	assert_int_equal(buf[2], 0x1b);
}

static void
test_cursor_keys(void **state)
{
	FEED(0xe0, 0x48, 0xe0, 0xc8);		/* up, release */
	FEED(0xe0, 0x50, 0xe0, 0x4d, 0xe0, 0x4b);
	FEED(0xe0, 0x53, 0xe0, 0x47);		/* Delete, Home */
	assert_string_equal(buf, "\033[A\033[B\033[C\033[D\033[3~\033[1~");
}

static void
test_alt_prefixes_escape(void **state)
{
	FEED(0x38, 0x30, 0xb8, 0x30);		/* alt b, b */
	assert_string_equal(buf, "\033bb");
}

static void
test_fake_shift_and_unknown_keys(void **state)
{
	/* e0 2a (fake shift before PrintScreen) must not latch shift. */
	FEED(0xe0, 0x2a, 0x1e);
	/* F1, F12, NumLock, unknown e0 key, code past the table. */
	FEED(0x3b, 0x58, 0x45, 0xe0, 0x5b, 0x7f);
	assert_string_equal(buf, "a");
}

static void
test_keypad_and_punctuation(void **state)
{
	FEED(0x47, 0x4e, 0x52, 0x53, 0x37, 0xe0, 0x35, 0xe0, 0x1c);
	FEED(0x27, 0x28, 0x29, 0x2b, 0x33, 0x34, 0x35, 0x0c);
	FEED(0x2a, 0x27, 0x28, 0x29, 0x2b, 0x33, 0x34, 0x35, 0x0c, 0xaa);
	assert_string_equal(buf, "7+0.*/\r;'`\\,./-:\"~|<>?_");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup(name, setup)
		T(test_letters_digits_release_silent),
		T(test_shift_both_sides),
		T(test_capslock_toggles_letters_only),
		T(test_ctrl_characters),
		T(test_backspace_tab_escape),
		T(test_cursor_keys),
		T(test_alt_prefixes_escape),
		T(test_fake_shift_and_unknown_keys),
		T(test_keypad_and_punctuation),
#undef T
	};

	return (cmocka_run_group_tests_name("kbdmap", tests, NULL, NULL));
}
