/*
 * string.c: memory and string routines for the freestanding kernel.
 *
 * Plain byte loops, except memcpy/memset, which use rep movsq/stosq for
 * the whole quadwords and rep movsb/stosb for the last 0-7 bytes.  On
 * hardware rep movsb alone would do (fast strings since Ivy Bridge), but
 * QEMU's TCG runs a rep string instruction one iteration at a time, so
 * moving 8 bytes per iteration makes every copy and page clear about 8
 * times cheaper under emulation (docs/performance.md).
 */
#include <libkern.h>

void *
memcpy(void *dst, const void *src, size_t n)
{
	void *d = dst;
	size_t q = n >> 3;

	n &= 7;
	__asm__ volatile("rep movsq"
			 : "+D"(d), "+S"(src), "+c"(q)
			 :
			 : "memory");
	__asm__ volatile("rep movsb"
			 : "+D"(d), "+S"(src), "+c"(n)
			 :
			 : "memory");
	return (dst);
}

void *
memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d == s || n == 0)
		return (dst);
	if (d < s || d >= s + n)
		return (memcpy(dst, src, n));
	while (n-- > 0)
		d[n] = s[n];
	return (dst);
}

void *
memset(void *dst, int c, size_t n)
{
	void *d = dst;
	size_t q = n >> 3;
	uint64_t v = (uint8_t)c * 0x0101010101010101ULL;

	n &= 7;
	__asm__ volatile("rep stosq"
			 : "+D"(d), "+c"(q)
			 : "a"(v)
			 : "memory");
	__asm__ volatile("rep stosb"
			 : "+D"(d), "+c"(n)
			 : "a"(v)
			 : "memory");
	return (dst);
}

int
memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (; n > 0; n--, p++, q++)
		if (*p != *q)
			return (*p - *q);
	return (0);
}

void *
memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n > 0; n--, p++)
		if (*p == (unsigned char)c)
			return ((void *)p);
	return (NULL);
}

size_t
strlen(const char *s)
{
	size_t n = 0;

	while (s[n] != '\0')
		n++;
	return (n);
}

size_t
strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n] != '\0')
		n++;
	return (n);
}

int
strcmp(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return ((unsigned char)*a - (unsigned char)*b);
}

int
strncmp(const char *a, const char *b, size_t n)
{
	for (; n > 0; n--, a++, b++) {
		if (*a != *b)
			return ((unsigned char)*a - (unsigned char)*b);
		if (*a == '\0')
			break;
	}
	return (0);
}

char *
strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return ((char *)s);
		if (*s == '\0')
			return (NULL);
	}
}

char *
strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (*s == '\0')
			return ((char *)last);
	}
}

unsigned long
strtoul(const char *s, char **end, int base)
{
	unsigned long v = 0;
	int d;

	while (*s == ' ' || *s == '\t')
		s++;
	if ((base == 0 || base == 16) && s[0] == '0' &&
	    (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		base = 16;
	} else if (base == 0) {
		base = s[0] == '0' ? 8 : 10;
	}
	for (;; s++) {
		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'z')
			d = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'Z')
			d = *s - 'A' + 10;
		else
			break;
		if (d >= base)
			break;
		v = v * base + d;
	}
	if (end != NULL)
		*end = (char *)s;
	return (v);
}
