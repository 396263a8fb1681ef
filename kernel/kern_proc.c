/*
 * kern_proc.c: process and thread structures, pids, the process tree,
 * process groups and sessions (FreeBSD kern_proc.c).
 *
 * Every process is on allproc and in a pid hash (proc_lock); its thread
 * owns a 16 KiB kernel stack from vm_phys whose top holds the user
 * trapframe (td_frame), so the trap and syscall entry code, which starts on
 * the stack top loaded at switch time, builds the frame exactly there.
 * Pids count up from 2 (1 is reserved for init) to PID_MAX-1 and wrap; a
 * pid is never handed out while a process, process group or session uses
 * it.
 */
#include <callout.h>
#include <clock.h>
#include <kernel.h>
#include <kmem.h>
#include <libkern.h>
#include <pmap.h>
#include <proc.h>
#include <trap.h>
#include <tty.h>
#include <uapi/errno.h>
#include <vm_page.h>
#include <vm_param.h>
#include <vm_phys.h>

#define PID_MAX		32768
#define PIDHASH		64
#define KSTACK_ORDER	2		/* 16 KiB */
#define KSTACK_SIZE	(PAGE_SIZE << KSTACK_ORDER)

struct spinlock proc_lock = SPINLOCK_INIT("proc");
struct proclist allproc = LIST_HEAD_INITIALIZER(allproc);	/* proc_lock */
static LIST_HEAD(, proc) pidhash[PIDHASH];	/* proc_lock */
static LIST_HEAD(, pgrp) pgrphash[PIDHASH];	/* proc_lock */
static LIST_HEAD(, proc) deadkprocs =		/* sched_lock */
    LIST_HEAD_INITIALIZER(deadkprocs);
struct proc proc0;
struct thread thread0;
struct proc *initproc;			/* set once at boot (init_main.c) */
int nprocs;				/* proc_lock */
static pid_t lastpid = 1;		/* proc_lock */
static struct pgrp pgrp0;
static struct session session0;
static struct callout thread0_callout;

static void *
proc_zalloc(size_t size)
{
	return (kmalloc(size, M_ZERO | M_NOWAIT));
}

static void
proc_zfree(void *p)
{
	if (p != NULL)
		kfree(p);
}

/*
 * Kernel stacks come from pmap's stack range, each with unmapped guard
 * pages below: an overflow is a double fault that names the stack, not
 * silent corruption of the neighbouring memory.
 */
static uint64_t
kstack_alloc(void)
{
	return (pmap_kstack_alloc(1 << KSTACK_ORDER));
}

static void
kstack_free(uint64_t va)
{
	pmap_kstack_free(va, 1 << KSTACK_ORDER);
}

struct proc *
pfind(pid_t pid)
{
	struct proc *p;

	KASSERT(spin_owned(&proc_lock), "pfind without proc_lock");
	if (pid <= 0)		/* a negative one would index off the hash */
		return (NULL);
	LIST_FOREACH(p, &pidhash[pid % PIDHASH], p_hash)
		if (p->p_pid == pid)
			return (p);
	return (NULL);
}

struct pgrp *
pgfind(pid_t pgid)
{
	struct pgrp *pg;

	KASSERT(spin_owned(&proc_lock), "pgfind without proc_lock");
	if (pgid <= 0)
		return (NULL);
	LIST_FOREACH(pg, &pgrphash[pgid % PIDHASH], pg_hash)
		if (pg->pg_id == pgid)
			return (pg);
	return (NULL);
}

/* A pid is busy while a process, group or session carries it. */
static bool
pid_busy(pid_t pid)
{
	struct pgrp *pg;

	if (pfind(pid) != NULL || pgfind(pid) != NULL)
		return (true);
	for (int i = 0; i < PIDHASH; i++)
		LIST_FOREACH(pg, &pgrphash[i], pg_hash)
			if (pg->pg_session->s_sid == pid)
				return (true);
	return (false);
}

/* The pid handed out last (/proc/loadavg). */
pid_t
proc_lastpid(void)
{
	return (lastpid);
}

static pid_t
pid_alloc(void)
{
	KASSERT(spin_owned(&proc_lock), "pid_alloc without proc_lock");
	for (int n = 0; n < PID_MAX; n++) {
		if (++lastpid >= PID_MAX)
			lastpid = 2;
		if (!pid_busy(lastpid))
			return (lastpid);
	}
	return (-1);
}

/* Allocate a process with its thread and kernel stack, in state PRS_NEW. */
static struct proc *
proc_alloc_pid(pid_t want)
{
	struct proc *p;
	struct thread *td;
	pid_t pid;

	p = proc_zalloc(sizeof(*p));
	td = proc_zalloc(sizeof(*td));
	if (p == NULL || td == NULL)
		goto fail;
	td->td_slpcallout = proc_zalloc(sizeof(struct callout));
	td->td_kstack = kstack_alloc();
	if (td->td_slpcallout == NULL || td->td_kstack == 0)
		goto fail;
	callout_init(td->td_slpcallout);
	td->td_kstack_size = KSTACK_SIZE;
	td->td_frame = (struct trapframe *)(td->td_kstack + KSTACK_SIZE) - 1;
	td->td_fpu = (void *)td->td_kstack;	/* the stack's far end */
	td_fpu_init(td);
	td->td_proc = p;
	td->td_state = TDS_INACTIVE;
	td->td_start_ticks = ticks;
	p->p_thread = td;
	p->p_state = PRS_NEW;
	p->p_start_ticks = ticks;
	LIST_INIT(&p->p_children);
	spin_init(&p->p_lock, "p_lock");

	spin_lock(&proc_lock);
	pid = want > 0 && !pid_busy(want) ? want : pid_alloc();
	if (pid < 0) {
		spin_unlock(&proc_lock);
		goto fail;
	}
	p->p_pid = pid;
	td->td_tid = pid;
	LIST_INSERT_HEAD(&allproc, p, p_list);
	LIST_INSERT_HEAD(&pidhash[pid % PIDHASH], p, p_hash);
	nprocs++;
	spin_unlock(&proc_lock);
	return (p);
fail:
	if (td != NULL) {
		kstack_free(td->td_kstack);
		proc_zfree(td->td_slpcallout);
	}
	proc_zfree(td);
	proc_zfree(p);
	return (NULL);
}

struct proc *
proc_alloc(void)
{
	return (proc_alloc_pid(0));
}

/* For the self tests: where the next pid search starts. */
void
pid_set_last(pid_t pid)
{
	spin_lock(&proc_lock);
	lastpid = pid;
	spin_unlock(&proc_lock);
}

struct proc *
proc_alloc_init(void)
{
	return (proc_alloc_pid(1));
}

/* Processes (zombies too, as Linux) whose real uid is uid. */
int
proc_count_uid(uid_t uid)
{
	struct proc *p;
	int n = 0;

	spin_lock(&proc_lock);
	LIST_FOREACH(p, &allproc, p_list)
		if (p->p_ucred.cr_uid == uid && !(p->p_flag & P_KPROC))
			n++;
	spin_unlock(&proc_lock);
	return (n);
}

/* Take p off allproc and the pid hash; proc_lock held. */
void
proc_unhash(struct proc *p)
{
	KASSERT(spin_owned(&proc_lock), "proc_unhash without proc_lock");
	LIST_REMOVE(p, p_list);
	LIST_REMOVE(p, p_hash);
	nprocs--;
}

/* Free the memory of a process already unhashed and not running. */
void
proc_free(struct proc *p)
{
	struct thread *td = p->p_thread;

	KASSERT(td != curthread, "proc_free of the running thread");
	if (td != NULL) {
		if (td->td_slpcallout != NULL)
			callout_stop(td->td_slpcallout);
		kstack_free(td->td_kstack);
		proc_zfree(td->td_slpcallout);
		proc_zfree(td);
	}
	proc_zfree(p);
}

/* A dead kernel thread's process, freed once it has switched away. */
void
proc_defer_free(struct proc *p)
{
	KASSERT(spin_owned(&sched_lock), "proc_defer_free without sched_lock");
	LIST_INSERT_HEAD(&deadkprocs, p, p_list);
}

void
proc_reap_kthreads(void)
{
	struct proc *p, *next;

	LIST_FOREACH_SAFE(p, &deadkprocs, p_list, next) {
		if (p->p_thread == curthread)
			continue;
		LIST_REMOVE(p, p_list);
		proc_free(p);
	}
}

/*
 * Process groups and sessions.  A group lives while it has members; a
 * session while it has groups (s_count).  proc_lock held throughout.
 */
static void
pgrp_leave(struct proc *p)
{
	struct pgrp *pg = p->p_pgrp;
	struct session *s;

	if (pg == NULL)
		return;
	LIST_REMOVE(p, p_pglist);
	p->p_pgrp = NULL;
	if (!LIST_EMPTY(&pg->pg_members) || pg == &pgrp0)
		return;
	LIST_REMOVE(pg, pg_hash);
	s = pg->pg_session;
	if (--s->s_count == 0 && s != &session0) {
		tty_session_gone(s);	/* the terminal must forget it */
		proc_zfree(s);
	}
	proc_zfree(pg);
}

void
pgrp_join(struct proc *p, struct pgrp *pg)
{
	KASSERT(spin_owned(&proc_lock), "pgrp_join without proc_lock");
	if (p->p_pgrp == pg)
		return;
	pgrp_leave(p);
	p->p_pgrp = pg;
	LIST_INSERT_HEAD(&pg->pg_members, p, p_pglist);
}

/*
 * Is pg orphaned, or would it be without `gone' (NULL: nobody): no member
 * (other than gone or a zombie) has a parent, other than gone, in another
 * group of the same session (POSIX; Linux will_become_orphaned_pgrp).
 * Job control (tty.c) and exit's SIGHUP to orphaned stopped groups.
 */
bool
pgrp_orphaned(struct pgrp *pg, struct proc *gone)
{
	struct proc *q, *pp;

	KASSERT(spin_owned(&proc_lock), "pgrp_orphaned without proc_lock");
	LIST_FOREACH(q, &pg->pg_members, p_pglist) {
		if (q == gone || q->p_state == PRS_ZOMBIE)
			continue;
		pp = q->p_pptr;
		if (pp != NULL && pp != gone && pp->p_pgrp != pg &&
		    pp->p_pgrp != NULL &&
		    pp->p_pgrp->pg_session == pg->pg_session)
			return (false);
	}
	return (true);
}

void
pgrp_remove(struct proc *p)
{
	KASSERT(spin_owned(&proc_lock), "pgrp_remove without proc_lock");
	pgrp_leave(p);
}

/*
 * Move p into group pgid: the existing `pgrp`, or a new group (of a new
 * session when sess is non-NULL: setsid).  pgrp and sess, when new, are
 * preallocated by the caller; 0 or -ENOMEM.
 */
int
enterpgrp(struct proc *p, pid_t pgid, struct pgrp *pgrp,
    struct session *sess)
{
	KASSERT(spin_owned(&proc_lock), "enterpgrp without proc_lock");
	if (pgrp == NULL)
		return (-ENOMEM);
	if (pgrp->pg_id != pgid || pgfind(pgid) != pgrp) {
		/* A new group. */
		pgrp->pg_id = pgid;
		LIST_INIT(&pgrp->pg_members);
		if (sess != NULL) {
			sess->s_sid = pgid;
			sess->s_leader = p;
			sess->s_count = 0;
			sess->s_ttyp = NULL;
			pgrp->pg_session = sess;
		} else {
			pgrp->pg_session = p->p_pgrp->pg_session;
		}
		pgrp->pg_session->s_count++;
		LIST_INSERT_HEAD(&pgrphash[pgid % PIDHASH], pgrp, pg_hash);
	}
	pgrp_join(p, pgrp);
	return (0);
}

void *
proc_zalloc_pub(size_t size)
{
	return (proc_zalloc(size));
}

void
proc_zfree_pub(void *p)
{
	proc_zfree(p);
}

static const uint64_t default_rlimit[16][2] = {
	[RLIMIT_CPU] = { RLIM_INFINITY, RLIM_INFINITY },
	[RLIMIT_FSIZE] = { RLIM_INFINITY, RLIM_INFINITY },
	[RLIMIT_DATA] = { RLIM_INFINITY, RLIM_INFINITY },
	[RLIMIT_STACK] = { 8UL << 20, RLIM_INFINITY },
	[RLIMIT_CORE] = { 0, RLIM_INFINITY },
	[RLIMIT_RSS] = { RLIM_INFINITY, RLIM_INFINITY },
	[RLIMIT_NPROC] = { 1024, 1024 },
	[RLIMIT_NOFILE] = { 1024, 4096 },
	[RLIMIT_MEMLOCK] = { 8UL << 20, 8UL << 20 },
	[RLIMIT_AS] = { RLIM_INFINITY, RLIM_INFINITY },
	[RLIMIT_LOCKS] = { RLIM_INFINITY, RLIM_INFINITY },
	[RLIMIT_SIGPENDING] = { 1024, 1024 },
	[RLIMIT_MSGQUEUE] = { 819200, 819200 },
	[RLIMIT_NICE] = { 0, 0 },
	[RLIMIT_RTPRIO] = { 0, 0 },
	[RLIMIT_RTTIME] = { RLIM_INFINITY, RLIM_INFINITY },
};

/* proc0 and thread0: the kernel itself, running on the boot stack. */
void
proc0_init(void)
{
	struct proc *p = &proc0;
	struct thread *td = &thread0;

	for (int i = 0; i < PIDHASH; i++) {
		LIST_INIT(&pidhash[i]);
		LIST_INIT(&pgrphash[i]);
	}
	LIST_INIT(&p->p_children);
	spin_init(&p->p_lock, "p_lock");
	p->p_pid = 0;
	p->p_state = PRS_NORMAL;
	p->p_flag = P_KPROC;
	p->p_thread = td;
	p->p_umask = 022;
	strlcpy(p->p_comm, "swapper", sizeof(p->p_comm));
	memcpy(p->p_rlimit, default_rlimit, sizeof(p->p_rlimit));
	td->td_proc = p;
	td->td_state = TDS_RUNNING;
	td->td_flags = TDF_KTHREAD;
	td->td_slice = SCHED_SLICE;
	callout_init(&thread0_callout);
	td->td_slpcallout = &thread0_callout;
	session0.s_sid = 0;
	session0.s_count = 1;
	session0.s_leader = p;
	pgrp0.pg_id = 0;
	pgrp0.pg_session = &session0;
	LIST_INIT(&pgrp0.pg_members);
	spin_lock(&proc_lock);
	LIST_INSERT_HEAD(&pgrphash[0], &pgrp0, pg_hash);
	pgrp_join(p, &pgrp0);
	LIST_INSERT_HEAD(&allproc, p, p_list);
	LIST_INSERT_HEAD(&pidhash[0], p, p_hash);
	nprocs++;
	spin_unlock(&proc_lock);
}
