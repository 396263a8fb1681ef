/*
 * sx.h: a sleepable exclusive lock (FreeBSD sx(9), exclusive mode only).
 *
 * Held across operations that may sleep -- copyout of file data can fault
 * a page in -- where a spin lock may not be held.  A waiter sleeps on the
 * lock's address; sx_xunlock wakes it.  Not recursive.
 */
#ifndef _SX_H_
#define _SX_H_

#include <spinlock.h>

struct thread;

struct sx {
	struct spinlock sx_ilock;	/* guards the two fields below */
	int sx_held;
	struct thread *sx_owner;
	const char *sx_name;
};

void sx_init(struct sx *sx, const char *name);
void sx_xlock(struct sx *sx);
int sx_xlock_sig(struct sx *sx);	/* 0, or -EINTR/-ERESTART: a signal */
void sx_xunlock(struct sx *sx);
bool sx_xlocked(const struct sx *sx);	/* held by the current thread */

#endif /* !_SX_H_ */
