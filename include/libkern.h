/*
 * libkern.h: the string and memory routines the kernel carries itself.
 *
 * Named after FreeBSD's sys/libkern.h.  The compiler may also emit calls to
 * memcpy, memmove, memset and memcmp on its own, so they must exist.
 */
#ifndef _LIBKERN_H_
#define _LIBKERN_H_

#include <types.h>

#ifdef HOST_TEST
/* Host unit tests use the C library's routines, plus lib/strlcpy.c. */
#include <stdlib.h>
#include <string.h>
size_t strlcpy(char *dst, const char *src, size_t size);
size_t strlcat(char *dst, const char *src, size_t size);
#else
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
unsigned long strtoul(const char *s, char **end, int base);
size_t strlcpy(char *dst, const char *src, size_t size);
size_t strlcat(char *dst, const char *src, size_t size);
#endif

#endif /* !_LIBKERN_H_ */
