/*
 * kq.h: helpers shared by the kqueue guest tests (t_kqueue*.c).
 *
 * The expected values in those tests come from FreeBSD's kqueue(2)
 * manual page.  Linux has no kqueue, so on the host (uname is not Mica)
 * kqueue() fails with ENOSYS and the programs report one skip line and
 * exit 0; inside Mica an ENOSYS is a failure.
 */
#ifndef _KQ_H_
#define _KQ_H_

#include <sys/event.h>
#include <sys/utsname.h>
#include <time.h>

#include "t.h"

/* kevent with a {0, 0} timeout: collect what is pending now. */
static __attribute__((unused)) int
kq_poll(int kq, struct kevent *ev, int n)
{
	struct timespec zero = { 0, 0 };

	return (kevent(kq, NULL, 0, ev, n, &zero));
}

/* Apply one change, no events wanted: 0 or -1/errno. */
static __attribute__((unused)) int
kq_change(int kq, uintptr_t ident, int filter, int flags, unsigned fflags,
    int64_t data, void *udata)
{
	struct kevent kev;

	EV_SET(&kev, ident, filter, flags, fflags, data, udata);
	return (kevent(kq, &kev, 1, NULL, 0, NULL));
}

static __attribute__((unused)) uint64_t
kq_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec);
}

static __attribute__((unused)) void
kq_msleep(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0)
		;
}

/* On a kernel without kqueue (the host Linux): skip, or fail on Mica. */
static __attribute__((unused)) void
kq_require(const char *prog)
{
	struct utsname u;
	int kq = kqueue();

	if (kq >= 0) {
		close(kq);
		return;
	}
	if (errno == ENOSYS && uname(&u) == 0 && strcmp(u.sysname, "Mica")) {
		printf("PASS %s-skipped: %s has no kqueue\n", prog, u.sysname);
		exit(0);
	}
	t_fail(prog, "kqueue() failed: errno %d", errno);
	exit(1);
}

#endif /* !_KQ_H_ */
