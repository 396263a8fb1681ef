/*
 * subr_sx.c: the sleepable exclusive lock of sx.h.
 *
 * The holder is recorded so sx_xlocked can assert ownership; before the
 * first thread exists (curthread == NULL, boot and ktests) the "owner" is
 * NULL, which is still consistent because nothing else runs.
 */
#include <kernel.h>
#include <proc.h>
#include <sx.h>

void
sx_init(struct sx *sx, const char *name)
{
	spin_init(&sx->sx_ilock, name);
	sx->sx_held = 0;
	sx->sx_owner = NULL;
	sx->sx_name = name;
}

void
sx_xlock(struct sx *sx)
{
	spin_lock(&sx->sx_ilock);
	while (sx->sx_held) {
		KASSERT(sx->sx_owner != curthread || curthread == NULL,
		    "sx: recursive lock");
		msleep(sx, &sx->sx_ilock, 0, sx->sx_name, 0);
	}
	sx->sx_held = 1;
	sx->sx_owner = curthread;
	spin_unlock(&sx->sx_ilock);
}

/*
 * The same, but a signal ends the wait (FreeBSD pipelock with PCATCH):
 * 0 with the lock held, or -EINTR/-ERESTART without it.  For a lock whose
 * holder may sleep for ever (a pipe reader waiting for a writer), so the
 * waiters stay killable.
 */
int
sx_xlock_sig(struct sx *sx)
{
	int error;

	spin_lock(&sx->sx_ilock);
	while (sx->sx_held) {
		KASSERT(sx->sx_owner != curthread || curthread == NULL,
		    "sx: recursive lock");
		error = msleep(sx, &sx->sx_ilock, PCATCH, sx->sx_name, 0);
		if (error != 0) {
			spin_unlock(&sx->sx_ilock);
			return (error);
		}
	}
	sx->sx_held = 1;
	sx->sx_owner = curthread;
	spin_unlock(&sx->sx_ilock);
	return (0);
}

void
sx_xunlock(struct sx *sx)
{
	spin_lock(&sx->sx_ilock);
	KASSERT(sx->sx_held, "sx: unlock of an unheld lock");
	sx->sx_held = 0;
	sx->sx_owner = NULL;
	spin_unlock(&sx->sx_ilock);
	wakeup(sx);
}

bool
sx_xlocked(const struct sx *sx)
{
	return (sx->sx_held && sx->sx_owner == curthread);
}
