/*
 * kern_prot.c: process identity -- pids, user and group ids, process
 * groups and sessions (FreeBSD kern_prot.c; rules of Linux credentials(7),
 * setpgid(2), setsid(2)).
 *
 * Privilege is an effective uid of 0 (there are no capabilities).  An
 * unprivileged process may only move its real, effective and saved ids
 * among the values it already has.  Process groups and sessions live in
 * proc.h's pgrp/session structures under proc_lock; new ones are
 * allocated before the lock is taken and freed if not needed.
 */
#include <kernel.h>
#include <libkern.h>
#include <proc.h>
#include <procsys.h>
#include <trap.h>
#include <uapi/errno.h>

#define NOID	((uint32_t)-1)

/* getpid(2), getppid(2), gettid(2): never fail. */
long
sys_getpid(void)
{
	return (curproc->p_pid);
}

long
sys_getppid(void)
{
	struct proc *pp = curproc->p_pptr;

	return (pp != NULL ? pp->p_pid : 0);
}

long
sys_gettid(void)
{
	return (curthread->td_tid);
}

/* getuid(2) and friends: never fail. */
long
sys_getuid(void)
{
	return (curproc->p_ucred.cr_uid);
}

long
sys_geteuid(void)
{
	return (curproc->p_ucred.cr_euid);
}

long
sys_getgid(void)
{
	return (curproc->p_ucred.cr_gid);
}

long
sys_getegid(void)
{
	return (curproc->p_ucred.cr_egid);
}

static bool
suser(void)
{
	return (curproc->p_ucred.cr_euid == 0);
}

/* Is v one of the three current ids (or "unchanged")? */
static bool
id_ok(uint32_t v, uint32_t r, uint32_t e, uint32_t s)
{
	return (v == NOID || v == r || v == e || v == s);
}

/*
 * setresuid(2): set the real, effective and saved uids; -1 leaves one
 * unchanged.  EPERM: unprivileged and a new id is not one of the current
 * three.
 */
long
sys_setresuid(uid_t r, uid_t e, uid_t s)
{
	struct ucred *cr = &curproc->p_ucred;

	if (!suser() && (!id_ok(r, cr->cr_uid, cr->cr_euid, cr->cr_suid) ||
	    !id_ok(e, cr->cr_uid, cr->cr_euid, cr->cr_suid) ||
	    !id_ok(s, cr->cr_uid, cr->cr_euid, cr->cr_suid)))
		return (-EPERM);
	if (r != NOID)
		cr->cr_uid = r;
	if (e != NOID)
		cr->cr_euid = e;
	if (s != NOID)
		cr->cr_suid = s;
	return (0);
}

/* setresgid(2): as setresuid, for the group ids. */
long
sys_setresgid(gid_t r, gid_t e, gid_t s)
{
	struct ucred *cr = &curproc->p_ucred;

	if (!suser() && (!id_ok(r, cr->cr_gid, cr->cr_egid, cr->cr_sgid) ||
	    !id_ok(e, cr->cr_gid, cr->cr_egid, cr->cr_sgid) ||
	    !id_ok(s, cr->cr_gid, cr->cr_egid, cr->cr_sgid)))
		return (-EPERM);
	if (r != NOID)
		cr->cr_gid = r;
	if (e != NOID)
		cr->cr_egid = e;
	if (s != NOID)
		cr->cr_sgid = s;
	return (0);
}

/*
 * setreuid(2): unprivileged, the real uid may become the effective one and
 * the effective uid the real or saved one.  When the real uid is set, or
 * the effective one changes to other than the old real uid, the saved uid
 * becomes the new effective uid.  EPERM otherwise.
 */
long
sys_setreuid(uid_t r, uid_t e)
{
	struct ucred *cr = &curproc->p_ucred;
	uid_t oldr = cr->cr_uid;

	if (!suser()) {
		if (r != NOID && r != cr->cr_uid && r != cr->cr_euid)
			return (-EPERM);
		if (e != NOID && e != cr->cr_uid && e != cr->cr_euid &&
		    e != cr->cr_suid)
			return (-EPERM);
	}
	if (r != NOID)
		cr->cr_uid = r;
	if (e != NOID)
		cr->cr_euid = e;
	if (r != NOID || (e != NOID && e != oldr))
		cr->cr_suid = cr->cr_euid;
	return (0);
}

/* setregid(2): as setreuid, for the group ids. */
long
sys_setregid(gid_t r, gid_t e)
{
	struct ucred *cr = &curproc->p_ucred;
	gid_t oldr = cr->cr_gid;

	if (!suser()) {
		if (r != NOID && r != cr->cr_gid && r != cr->cr_egid)
			return (-EPERM);
		if (e != NOID && e != cr->cr_gid && e != cr->cr_egid &&
		    e != cr->cr_sgid)
			return (-EPERM);
	}
	if (r != NOID)
		cr->cr_gid = r;
	if (e != NOID)
		cr->cr_egid = e;
	if (r != NOID || (e != NOID && e != oldr))
		cr->cr_sgid = cr->cr_egid;
	return (0);
}

/*
 * setuid(2): privileged, sets all three uids; otherwise only the
 * effective uid, to the real or saved one.  EINVAL: uid -1; EPERM.
 */
long
sys_setuid(uid_t uid)
{
	struct ucred *cr = &curproc->p_ucred;

	if (uid == NOID)
		return (-EINVAL);
	if (suser()) {
		cr->cr_uid = cr->cr_euid = cr->cr_suid = uid;
		return (0);
	}
	if (uid != cr->cr_uid && uid != cr->cr_suid)
		return (-EPERM);
	cr->cr_euid = uid;
	return (0);
}

/* setgid(2): as setuid, for the group ids (privilege is still euid 0). */
long
sys_setgid(gid_t gid)
{
	struct ucred *cr = &curproc->p_ucred;

	if (gid == NOID)
		return (-EINVAL);
	if (suser()) {
		cr->cr_gid = cr->cr_egid = cr->cr_sgid = gid;
		return (0);
	}
	if (gid != cr->cr_gid && gid != cr->cr_sgid)
		return (-EPERM);
	cr->cr_egid = gid;
	return (0);
}

/* getresuid(2), getresgid(2): EFAULT on a bad pointer. */
long
sys_getresuid(uid_t *r, uid_t *e, uid_t *s)
{
	struct ucred *cr = &curproc->p_ucred;
	int error;

	if ((error = copyout(&cr->cr_uid, r, sizeof(uid_t))) != 0 ||
	    (error = copyout(&cr->cr_euid, e, sizeof(uid_t))) != 0 ||
	    (error = copyout(&cr->cr_suid, s, sizeof(uid_t))) != 0)
		return (error);
	return (0);
}

long
sys_getresgid(gid_t *r, gid_t *e, gid_t *s)
{
	struct ucred *cr = &curproc->p_ucred;
	int error;

	if ((error = copyout(&cr->cr_gid, r, sizeof(gid_t))) != 0 ||
	    (error = copyout(&cr->cr_egid, e, sizeof(gid_t))) != 0 ||
	    (error = copyout(&cr->cr_sgid, s, sizeof(gid_t))) != 0)
		return (error);
	return (0);
}

/*
 * getgroups(2): size 0 returns the count only.  EINVAL: size < 0 or
 * smaller than the count; EFAULT.
 */
long
sys_getgroups(int size, gid_t *list)
{
	struct ucred *cr = &curproc->p_ucred;
	int error;

	if (size < 0)
		return (-EINVAL);
	if (size == 0)
		return (cr->cr_ngroups);
	if (size < cr->cr_ngroups)
		return (-EINVAL);
	if (cr->cr_ngroups > 0 && (error = copyout(cr->cr_groups, list,
	    cr->cr_ngroups * sizeof(gid_t))) != 0)
		return (error);
	return (cr->cr_ngroups);
}

/*
 * setgroups(2): EPERM: not privileged; EINVAL: size < 0 or over 16 (the
 * limit here); EFAULT.
 */
long
sys_setgroups(int size, const gid_t *list)
{
	struct ucred *cr = &curproc->p_ucred;
	gid_t g[nitems(cr->cr_groups)];
	int error;

	if (!suser())
		return (-EPERM);
	if (size < 0 || size > (int)nitems(g))
		return (-EINVAL);
	if (size > 0 && (error = copyin(list, g, size * sizeof(gid_t))) != 0)
		return (error);
	memcpy(cr->cr_groups, g, size * sizeof(gid_t));
	cr->cr_ngroups = size;
	return (0);
}

/*
 * setpgid(2): put process pid (0: the caller) into group pgid (0: its own
 * pid).  EINVAL: pgid < 0; ESRCH: pid is neither the caller nor one of
 * its children; EACCES: the child has exec'd; EPERM: pid is a session
 * leader, the child is in another session, or the group pgid does not
 * exist in the caller's session.
 */
long
sys_setpgid(pid_t pid, pid_t pgid)
{
	struct proc *me = curproc, *p;
	struct pgrp *pg, *newpg;
	int error = 0;

	if (pgid < 0)
		return (-EINVAL);
	newpg = proc_zalloc_pub(sizeof(*newpg));
	if (newpg == NULL)
		return (-ENOMEM);
	spin_lock(&proc_lock);
	if (pid == 0 || pid == me->p_pid) {
		p = me;
	} else {
		p = pfind(pid);
		if (p == NULL || p->p_pptr != me || p->p_state == PRS_ZOMBIE) {
			error = -ESRCH;
			goto out;
		}
		if (p->p_flag & P_EXEC) {
			error = -EACCES;
			goto out;
		}
		if (p->p_pgrp->pg_session != me->p_pgrp->pg_session) {
			error = -EPERM;
			goto out;
		}
	}
	if (pgid == 0)
		pgid = p->p_pid;
	if (p->p_pgrp->pg_session->s_leader == p &&
	    p->p_pgrp->pg_session->s_sid == p->p_pid) {
		error = -EPERM;
		goto out;
	}
	pg = pgfind(pgid);
	if (pg == NULL) {
		if (pgid != p->p_pid) {
			error = -EPERM;
			goto out;
		}
		error = enterpgrp(p, pgid, newpg, NULL);
		newpg = NULL;
	} else {
		if (pg->pg_session != me->p_pgrp->pg_session) {
			error = -EPERM;
			goto out;
		}
		pgrp_join(p, pg);
	}
out:
	spin_unlock(&proc_lock);
	proc_zfree_pub(newpg);
	return (error);
}

/* getpgid(2): the group of pid (0: the caller).  ESRCH: no such process. */
long
sys_getpgid(pid_t pid)
{
	struct proc *p;
	long ret;

	if (pid == 0)
		return (curproc->p_pgrp->pg_id);
	spin_lock(&proc_lock);
	p = pfind(pid);
	ret = p != NULL && p->p_pgrp != NULL ? p->p_pgrp->pg_id : -ESRCH;
	spin_unlock(&proc_lock);
	return (ret);
}

/* getpgrp(2): the caller's group; never fails. */
long
sys_getpgrp(void)
{
	return (curproc->p_pgrp->pg_id);
}

/* getsid(2): the session of pid (0: the caller).  ESRCH. */
long
sys_getsid(pid_t pid)
{
	struct proc *p;
	long ret;

	if (pid == 0)
		return (curproc->p_pgrp->pg_session->s_sid);
	spin_lock(&proc_lock);
	p = pfind(pid);
	ret = p != NULL && p->p_pgrp != NULL ?
	    p->p_pgrp->pg_session->s_sid : -ESRCH;
	spin_unlock(&proc_lock);
	return (ret);
}

/*
 * setsid(2): a new session and group, both with the caller's pid, and no
 * controlling terminal.  Returns the new session id; EPERM: the caller
 * already leads a group (a group with its pid exists).
 */
long
sys_setsid(void)
{
	struct proc *p = curproc;
	struct pgrp *pg;
	struct session *s;
	long ret;

	pg = proc_zalloc_pub(sizeof(*pg));
	s = proc_zalloc_pub(sizeof(*s));
	if (pg == NULL || s == NULL) {
		proc_zfree_pub(pg);
		proc_zfree_pub(s);
		return (-ENOMEM);
	}
	spin_lock(&proc_lock);
	if (pgfind(p->p_pid) != NULL) {
		spin_unlock(&proc_lock);
		proc_zfree_pub(pg);
		proc_zfree_pub(s);
		return (-EPERM);
	}
	ret = enterpgrp(p, p->p_pid, pg, s);
	if (ret == 0)
		ret = p->p_pid;
	spin_unlock(&proc_lock);
	return (ret);
}

/*
 * set_tid_address(2): at exit, write 0 to *tidptr and wake a futex there.
 * Returns the thread id; never fails.
 */
long
sys_set_tid_address(int *tidptr)
{
	curthread->td_clear_tid = (uint64_t)tidptr;
	return (curthread->td_tid);
}
