/*
 * sys/event.h: kqueue(2) and kevent(2) for programs built with musl-gcc,
 * as FreeBSD declares them, so FreeBSD kqueue programs compile unchanged.
 *
 * Linux has no kqueue: Mica gives the calls private numbers (1000 up, from
 * include/uapi/syscalls.def) and these inline wrappers call them through
 * syscall(2), which sets errno.  On Linux they fail with ENOSYS.
 */
#ifndef _SYS_EVENT_H_
#define _SYS_EVENT_H_

#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include "../../../include/uapi/event.h"

#define SYS_kqueue	1000
#define SYS_kevent	1001
#define SYS_kqueue1	1003

static inline int
kqueue(void)
{
	return ((int)syscall(SYS_kqueue));
}

static inline int
kqueue1(int flags)
{
	return ((int)syscall(SYS_kqueue1, flags));
}

static inline int
kevent(int kq, const struct kevent *changelist, int nchanges,
    struct kevent *eventlist, int nevents, const struct timespec *timeout)
{
	return ((int)syscall(SYS_kevent, kq, changelist, nchanges, eventlist,
	    nevents, timeout));
}

#endif /* !_SYS_EVENT_H_ */
