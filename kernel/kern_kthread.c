/*
 * kern_kthread.c: kernel threads (FreeBSD kern_kthread.c).
 *
 * A kernel thread is a process with no user half: no vmspace, no files,
 * a child of proc0, flagged P_KPROC.  It starts in fn(arg) with interrupts
 * on and may sleep like any thread; returning from fn or calling
 * kthread_exit ends it, and its memory is freed by the next thread to
 * switch in (it cannot free the stack it runs on).
 */
#include <kernel.h>
#include <libkern.h>
#include <proc.h>

struct thread *
kthread_create(void (*fn)(void *), void *arg, const char *name)
{
	struct proc *p;
	struct thread *td;

	p = proc_alloc();
	if (p == NULL)
		return (NULL);
	td = p->p_thread;
	p->p_flag |= P_KPROC;
	td->td_flags |= TDF_KTHREAD;
	strlcpy(p->p_comm, name, sizeof(p->p_comm));
	memcpy(p->p_rlimit, proc0.p_rlimit, sizeof(p->p_rlimit));
	p->p_ucred = proc0.p_ucred;
	spin_lock(&proc_lock);
	p->p_pptr = &proc0;
	LIST_INSERT_HEAD(&proc0.p_children, p, p_sibling);
	pgrp_join(p, proc0.p_pgrp);
	p->p_state = PRS_NORMAL;
	spin_unlock(&proc_lock);
	thread_init_frame(td, fn, arg);
	spin_lock(&sched_lock);
	sched_add(td);
	spin_unlock(&sched_lock);
	return (td);
}

void
kthread_exit(void)
{
	exit1(curthread, 0);
}
