/*
 * t.h: the guest test format, shared by every user/tests/t_*.c program.
 *
 * A test program makes checks; each check prints exactly one line,
 * `PASS name` or `FAIL name: reason`, and the program exits 0 only if every
 * check passed.  stdout is unbuffered so that a crash or a fork never loses
 * or duplicates a line.  The expectations are Linux's: every program must
 * pass on the host Linux before it is used to judge Mica.
 */
#ifndef _T_H_
#define _T_H_

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int t_failed;
static int t_passed;

/* A pointer the compiler cannot reason about (bad-pointer checks). */
static inline void *
t_ptr(unsigned long v)
{
	void *volatile p = (void *)v;

	return (p);
}
#define T_NULL		t_ptr(0)
#define T_LOW		t_ptr(1)
#define T_KERNEL	t_ptr(0xffff800000000000UL)

static void
t_init(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
}

static void
t_pass(const char *name)
{
	printf("PASS %s\n", name);
	t_passed++;
}

static void __attribute__((format(printf, 2, 3)))
t_fail(const char *name, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printf("FAIL %s: %s\n", name, buf);
	t_failed++;
}

static int
t_done(void)
{
	return (t_failed == 0 ? 0 : 1);
}

/* CHECK(name, cond): pass when cond holds; the reason names the condition. */
#define CHECK(name, cond) do {						\
	if (cond)							\
		t_pass(name);						\
	else								\
		t_fail(name, "%s (errno %d %s)", #cond, errno,		\
		    strerror(errno));					\
} while (0)

/* CHECK_EQ(name, got, want): integer equality, both values in the reason. */
#define CHECK_EQ(name, got, want) do {					\
	long long g_ = (long long)(got), w_ = (long long)(want);	\
	if (g_ == w_)							\
		t_pass(name);						\
	else								\
		t_fail(name, "%s = %lld, expected %lld (errno %d %s)",	\
		    #got, g_, w_, errno, strerror(errno));		\
} while (0)

/* CHECK_ERR(name, call, err): the call fails with -1 and errno err. */
#define CHECK_ERR(name, call, err) do {					\
	errno = 0;							\
	long r_ = (long)(call);						\
	int e_ = errno;							\
	if (r_ == -1 && e_ == (err))					\
		t_pass(name);						\
	else								\
		t_fail(name, "%s returned %ld errno %d (%s), expected "	\
		    "-1 %s", #call, r_, e_, strerror(e_), #err);	\
} while (0)

#endif /* !_T_H_ */
