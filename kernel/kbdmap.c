/*
 * kbdmap.c: scancode set 1 to terminal bytes, US layout.
 *
 * The i8042 translates whatever the keyboard speaks into set 1: one byte
 * per key press, the same byte with bit 7 set on release, and 0xe0 before
 * the keys the 101-key keyboard added (right ctrl and alt, the arrows, the
 * editing block).  The modifier keys only change state here; the others
 * produce what a Linux console would: ASCII (Enter is CR, Backspace DEL),
 * ctrl+letter the control character, alt a leading ESC, and the arrows and
 * editing keys the VT100 sequences (ESC [ A, ESC [ 3 ~, ...).  Keys with
 * no meaning on a terminal (F-keys, the locks but caps) produce nothing.
 * Pure code: tests/host/kbdmap.c.
 */
#include <kbd.h>
#include <libkern.h>

#define SC_RELEASE	0x80
#define SC_E0		0xe0
#define SC_LCTRL	0x1d
#define SC_LSHIFT	0x2a
#define SC_RSHIFT	0x36
#define SC_ALT		0x38
#define SC_CAPSLOCK	0x3a

/* Unshifted and shifted characters of scancodes 0x00-0x39 and keypad. */
static const char plain[0x54] =
    "\0\0331234567890-=\177\t"		/* 0x00-0x0f */
    "qwertyuiop[]\r\0as"		/* 0x10-0x1f */
    "dfghjkl;'`\0\\zxcv"		/* 0x20-0x2f */
    "bnm,./\0*\0 \0\0\0\0\0\0"		/* 0x30-0x3f */
    "\0\0\0\0\0\0\0" "789-456+1230.";	/* 0x40-0x53: keypad */
static const char shifted[0x54] =
    "\0\033!@#$%^&*()_+\177\t"
    "QWERTYUIOP{}\r\0AS"
    "DFGHJKL:\"~\0|ZXCV"
    "BNM<>?\0*\0 \0\0\0\0\0\0"
    "\0\0\0\0\0\0\0" "789-456+1230.";

/* After 0xe0: the editing and cursor keys. */
static const struct {
	uint8_t sc;
	const char *seq;
} e0keys[] = {
	{ 0x1c, "\r" },		/* keypad Enter */
	{ 0x35, "/" },		/* keypad / */
	{ 0x47, "\033[1~" },	/* Home */
	{ 0x48, "\033[A" },	/* Up */
	{ 0x49, "\033[5~" },	/* Page Up */
	{ 0x4b, "\033[D" },	/* Left */
	{ 0x4d, "\033[C" },	/* Right */
	{ 0x4f, "\033[4~" },	/* End */
	{ 0x50, "\033[B" },	/* Down */
	{ 0x51, "\033[6~" },	/* Page Down */
	{ 0x52, "\033[2~" },	/* Insert */
	{ 0x53, "\033[3~" },	/* Delete */
};

static int
put_seq(const char *s, char *out)
{
	int n = strlen(s);

	memcpy(out, s, n);
	return (n);
}

int
kbd_translate(struct kbd_state *ks, uint8_t sc, char out[KBD_MAXSEQ])
{
	bool release = sc & SC_RELEASE, e0 = ks->e0;
	uint8_t code = sc & ~SC_RELEASE;
	bool shift, ctrl;
	int c, n = 0;

	if (sc == SC_E0) {
		ks->e0 = true;
		return (0);
	}
	ks->e0 = false;
	/* Modifiers: make and break codes change state. */
	switch (code) {
	case SC_LCTRL:
		if (e0)
			ks->rctrl = !release;
		else
			ks->lctrl = !release;
		return (0);
	case SC_LSHIFT:
		if (!e0)	/* e0 2a: fake shift of some keyboards */
			ks->lshift = !release;
		return (0);
	case SC_RSHIFT:
		if (!e0)
			ks->rshift = !release;
		return (0);
	case SC_ALT:
		ks->alt = !release;
		return (0);
	}
	if (release)
		return (0);
	if (code == SC_CAPSLOCK && !e0) {
		ks->capslock = !ks->capslock;
		return (0);
	}
	if (e0) {
		for (size_t i = 0; i < nitems(e0keys); i++)
			if (e0keys[i].sc == code)
				return (put_seq(e0keys[i].seq, out));
		return (0);
	}
	if (code >= sizeof(plain))
		return (0);
	shift = ks->lshift || ks->rshift;
	ctrl = ks->lctrl || ks->rctrl;
	c = (uint8_t)(shift ? shifted[code] : plain[code]);
	if (c == 0)
		return (0);
	if (ks->capslock && c >= 'a' && c <= 'z')
		c -= 'a' - 'A';
	else if (ks->capslock && c >= 'A' && c <= 'Z')
		c += 'a' - 'A';
	if (ctrl) {
		if ((c >= '@' && c <= '_') || (c >= 'a' && c <= 'z'))
			c &= 0x1f;
		else if (c == '?')
			c = 0x7f;
		else if (c == ' ' || c == '2')
			c = 0;		/* ctrl-space, ctrl-2: NUL */
	}
	if (ks->alt)
		out[n++] = '\033';
	out[n++] = c;
	return (n);
}
