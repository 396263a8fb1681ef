/*
 * printf.h: the freestanding formatter behind printk and snprintf.
 *
 * kvprintf formats into a callback, one character at a time; snprintf and
 * vsnprintf format into a buffer and always NUL-terminate (when size > 0),
 * returning the length the full output would have had, as C99 does.
 * Conversions: %d %i %u %x %X %o %p %s %c %%, with flags '-', '0', ' ',
 * '+', '#', a width and precision (or '*'), and the length modifiers
 * hh h l ll z j t.
 */
#ifndef _PRINTF_H_
#define _PRINTF_H_

#include <types.h>

int kvprintf(const char *fmt, va_list ap, void (*put)(int, void *),
    void *arg);
#ifdef HOST_TEST
#define snprintf mica_snprintf
#define vsnprintf mica_vsnprintf
#endif
int snprintf(char *buf, size_t size, const char *fmt, ...) __printflike(3, 4);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

#endif /* !_PRINTF_H_ */
