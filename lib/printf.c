/*
 * printf.c: a small printf engine for a kernel without libc.
 *
 * Everything funnels into kvprintf, which walks the format once and hands
 * each output character to a callback; printk's callback writes to the
 * consoles, vsnprintf's fills a buffer.  No floating point.  The same file
 * is compiled on the host for the unit tests in tests/host/printf.c.
 */
#include <printf.h>

struct fmtspec {
	bool left;	/* '-' */
	bool zero;	/* '0' */
	bool plus;	/* '+' */
	bool space;	/* ' ' */
	bool alt;	/* '#' */
	int width;
	int prec;	/* -1 when absent */
};

struct out {
	void (*put)(int, void *);
	void *arg;
	int n;
};

static void
emit(struct out *o, int c)
{
	o->put(c, o->arg);
	o->n++;
}

static void
pad(struct out *o, int c, int count)
{
	while (count-- > 0)
		emit(o, c);
}

static void
fmt_string(struct out *o, const struct fmtspec *fs, const char *s)
{
	int len = 0;

	if (s == NULL)
		s = "(null)";
	while (s[len] != '\0' && (fs->prec < 0 || len < fs->prec))
		len++;
	if (!fs->left)
		pad(o, ' ', fs->width - len);
	for (int i = 0; i < len; i++)
		emit(o, s[i]);
	if (fs->left)
		pad(o, ' ', fs->width - len);
}

static void
fmt_number(struct out *o, const struct fmtspec *fs, uint64_t v, bool neg,
    int base, bool upper, const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];
	int len = 0, ndig, plen, sign, total;

	while (v != 0) {
		buf[len++] = digits[v % base];
		v /= base;
	}
	/* Precision 0 with value 0 prints no digits, as C says. */
	if (len == 0 && fs->prec != 0)
		buf[len++] = '0';
	ndig = fs->prec > len ? fs->prec : len;
	sign = (neg || fs->plus || fs->space) ? 1 : 0;
	plen = prefix != NULL ? (int)__builtin_strlen(prefix) : 0;
	total = sign + plen + ndig;
	if (!fs->left && !(fs->zero && fs->prec < 0))
		pad(o, ' ', fs->width - total);
	if (sign)
		emit(o, neg ? '-' : fs->plus ? '+' : ' ');
	for (int i = 0; i < plen; i++)
		emit(o, prefix[i]);
	if (!fs->left && fs->zero && fs->prec < 0)
		pad(o, '0', fs->width - total);
	pad(o, '0', ndig - len);
	while (len > 0)
		emit(o, buf[--len]);
	if (fs->left)
		pad(o, ' ', fs->width - total);
}

int
kvprintf(const char *fmt, va_list ap, void (*put)(int, void *), void *arg)
{
	struct out o = { put, arg, 0 };
	struct fmtspec fs;
	int lmod;		/* 0 int, 1 long, 2 long long, -1 short, -2 char */
	uint64_t uv;
	int64_t sv;
	char c;

	while ((c = *fmt++) != '\0') {
		if (c != '%') {
			emit(&o, c);
			continue;
		}
		fs = (struct fmtspec){ .prec = -1 };
		for (;; fmt++) {
			if (*fmt == '-')
				fs.left = true;
			else if (*fmt == '0')
				fs.zero = true;
			else if (*fmt == '+')
				fs.plus = true;
			else if (*fmt == ' ')
				fs.space = true;
			else if (*fmt == '#')
				fs.alt = true;
			else
				break;
		}
		if (*fmt == '*') {
			fs.width = va_arg(ap, int);
			if (fs.width < 0) {
				fs.left = true;
				fs.width = -fs.width;
			}
			fmt++;
		} else {
			while (*fmt >= '0' && *fmt <= '9')
				fs.width = fs.width * 10 + (*fmt++ - '0');
		}
		if (*fmt == '.') {
			fmt++;
			fs.prec = 0;
			if (*fmt == '*') {
				fs.prec = va_arg(ap, int);
				if (fs.prec < 0)
					fs.prec = -1;
				fmt++;
			} else {
				while (*fmt >= '0' && *fmt <= '9')
					fs.prec = fs.prec * 10 + (*fmt++ - '0');
			}
		}
		lmod = 0;
		for (;; fmt++) {
			if (*fmt == 'l')
				lmod = lmod >= 1 ? 2 : 1;
			else if (*fmt == 'h')
				lmod = lmod <= -1 ? -2 : -1;
			else if (*fmt == 'z' || *fmt == 'j' || *fmt == 't')
				lmod = 2;
			else
				break;
		}
		c = *fmt++;
		switch (c) {
		case 'd':
		case 'i':
			if (lmod >= 1)
				sv = lmod == 2 ? va_arg(ap, long long) :
						 va_arg(ap, long);
			else
				sv = va_arg(ap, int);
			if (lmod == -1)
				sv = (short)sv;
			else if (lmod == -2)
				sv = (signed char)sv;
			uv = sv < 0 ? -(uint64_t)sv : (uint64_t)sv;
			fmt_number(&o, &fs, uv, sv < 0, 10, false, NULL);
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			if (lmod >= 1)
				uv = lmod == 2 ? va_arg(ap, unsigned long long) :
						 va_arg(ap, unsigned long);
			else
				uv = va_arg(ap, unsigned int);
			if (lmod == -1)
				uv = (unsigned short)uv;
			else if (lmod == -2)
				uv = (unsigned char)uv;
			fs.plus = fs.space = false;
			if (c == 'u')
				fmt_number(&o, &fs, uv, false, 10, false, NULL);
			else if (c == 'o')
				fmt_number(&o, &fs, uv, false, 8, false,
				    fs.alt && uv != 0 ? "0" : NULL);
			else
				fmt_number(&o, &fs, uv, false, 16, c == 'X',
				    fs.alt && uv != 0 ? (c == 'X' ? "0X" : "0x") :
							NULL);
			break;
		case 'p':
			uv = (uint64_t)(uintptr_t)va_arg(ap, void *);
			fs.plus = fs.space = false;
			fmt_number(&o, &fs, uv, false, 16, false, "0x");
			break;
		case 's':
			fmt_string(&o, &fs, va_arg(ap, const char *));
			break;
		case 'c': {
			char s[2] = { (char)va_arg(ap, int), '\0' };

			fs.prec = 1;
			if (s[0] == '\0') {
				/* %c of NUL still emits one character. */
				if (!fs.left)
					pad(&o, ' ', fs.width - 1);
				emit(&o, '\0');
				if (fs.left)
					pad(&o, ' ', fs.width - 1);
			} else {
				fmt_string(&o, &fs, s);
			}
			break;
		}
		case '%':
			emit(&o, '%');
			break;
		case '\0':
			fmt--;	/* a lone '%' at the end: stop */
			break;
		default:
			/* Unknown conversion: print it as written. */
			emit(&o, '%');
			emit(&o, c);
			break;
		}
	}
	return (o.n);
}

struct bufarg {
	char *buf;
	size_t size;
	size_t len;
};

static void
buf_put(int c, void *arg)
{
	struct bufarg *b = arg;

	if (b->size > 0 && b->len < b->size - 1)
		b->buf[b->len] = (char)c;
	b->len++;
}

int
vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct bufarg b = { buf, size, 0 };
	int n;

	n = kvprintf(fmt, ap, buf_put, &b);
	if (size > 0)
		buf[b.len < size ? b.len : size - 1] = '\0';
	return (n);
}

int
snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return (n);
}
