/*
 * kern_fork.c: fork, vfork and clone (FreeBSD kern_fork.c).
 *
 * fork1 builds the child completely -- a copy-on-write copy of the
 * address space (vmspace_fork), a copy of the file table, the cwd, the
 * credentials, limits and signal actions -- and only then puts it on the
 * run queue.  The child's thread starts in fork_return with a copy of the
 * parent's trapframe whose rax is 0, so it returns from the same system
 * call with 0.  vfork (and clone with CLONE_VFORK) is a fork whose parent
 * sleeps until the child execs or exits; CLONE_VM is honoured as a copy,
 * which is all musl's posix_spawn and busybox need.  Threads (CLONE_THREAD,
 * CLONE_SIGHAND, CLONE_FILES, CLONE_FS shared tables) are not supported
 * yet: such clones fail with EINVAL.
 */
#include <cpu.h>
#include <event.h>
#include <kernel.h>
#include <libkern.h>
#include <proc.h>
#include <procsys.h>
#include <signal.h>
#include <sysstat.h>
#include <trap.h>
#include <uapi/errno.h>
#include <uapi/wait.h>

#define MAXPROC	1024

/* The child's first code: finish the clone, then enter user mode. */
static void
fork_return(void *arg)
{
	struct thread *td = arg;

	if (td->td_child_settid != 0) {
		int32_t tid = td->td_tid;

		(void)copyout(&tid, (void *)td->td_child_settid, sizeof(tid));
		td->td_child_settid = 0;
	}
	userret(td->td_frame);
	trap_return(td->td_frame);
}

static long
fork1(struct thread *td, uint64_t flags, uint64_t newsp, int *ptid,
    int *ctid, uint64_t tls)
{
	struct proc *p1 = td->td_proc, *p2;
	struct thread *td2;
	pid_t pid;
	int error;

	if (flags & (CLONE_THREAD | CLONE_SIGHAND | CLONE_FS | CLONE_FILES |
	    CLONE_SYSVSEM | CLONE_NEWNS | CLONE_PTRACE | CLONE_PIDFD |
	    0xfe000000UL | CLONE_PARENT))
		return (-EINVAL);
	if (nprocs >= MAXPROC ||
	    (p1->p_ucred.cr_uid != 0 &&
	    nprocs >= (int64_t)MIN(p1->p_rlimit[RLIMIT_NPROC][0], MAXPROC)))
		return (-EAGAIN);
	p2 = proc_alloc();
	if (p2 == NULL)
		return (-EAGAIN);
	td2 = p2->p_thread;
	pid = p2->p_pid;
	sysstat.forks++;
	if ((error = proc_vm_fork(p1, p2)) != 0 ||
	    (error = proc_vfs_fork(p1, p2)) != 0)
		goto fail;
	p2->p_ucred = p1->p_ucred;
	p2->p_umask = p1->p_umask;
	memcpy(p2->p_rlimit, p1->p_rlimit, sizeof(p2->p_rlimit));
	memcpy(p2->p_comm, p1->p_comm, sizeof(p2->p_comm));
	memcpy(p2->p_args, p1->p_args, sizeof(p2->p_args));
	p2->p_arg_start = p1->p_arg_start;	/* the same image and stack */
	p2->p_arg_end = p1->p_arg_end;
	p2->p_env_start = p1->p_env_start;
	p2->p_env_end = p1->p_env_end;
	p2->p_start_stack = p1->p_start_stack;
	p2->p_exitsig = flags & CSIGNAL;
	if ((error = sigacts_copy(p2, p1)) != 0)
		goto fail;
	td2->td_sigmask = td->td_sigmask;
	td2->td_fsbase = (flags & CLONE_SETTLS) ? tls : td->td_fsbase;
	if (flags & CLONE_CHILD_SETTID)
		td2->td_child_settid = (uint64_t)ctid;
	if (flags & CLONE_CHILD_CLEARTID)
		td2->td_clear_tid = (uint64_t)ctid;
	td_fpu_save(td);
	memcpy(td2->td_fpu, td->td_fpu, TD_FPU_SIZE);
	*td2->td_frame = *td->td_frame;
	td2->td_frame->tf_rax = 0;
	if (newsp != 0)
		td2->td_frame->tf_rsp = newsp;
	if ((flags & CLONE_PARENT_SETTID) && ptid != NULL &&
	    (error = copyout(&pid, ptid, sizeof(pid))) != 0)
		goto fail;

	spin_lock(&proc_lock);
	p2->p_pptr = p1;
	LIST_INSERT_HEAD(&p1->p_children, p2, p_sibling);
	pgrp_join(p2, p1->p_pgrp);
	if (flags & CLONE_VFORK)
		p2->p_flag |= P_PPWAIT;
	p2->p_state = PRS_NORMAL;
	spin_unlock(&proc_lock);

	knote_fork(p1, pid);		/* EVFILT_PROC: NOTE_FORK, NOTE_TRACK */
	thread_init_frame(td2, fork_return, td2);
	spin_lock(&sched_lock);
	sched_add(td2);
	spin_unlock(&sched_lock);

	if (flags & CLONE_VFORK) {
		/* p2 cannot be reaped while we sleep: we are its parent. */
		spin_lock(&proc_lock);
		while (p2->p_flag & P_PPWAIT)
			msleep(p2, &proc_lock, 0, "vfork", 0);
		spin_unlock(&proc_lock);
	}
	return (pid);
fail:
	sigacts_free(p2);
	proc_vfs_exit(p2);
	proc_vm_exit(p2);
	spin_lock(&proc_lock);
	proc_unhash(p2);
	spin_unlock(&proc_lock);
	proc_free(p2);
	return (error);
}

/*
 * fork(2): a copy of the caller.  Returns the child's pid in the parent and
 * 0 in the child; EAGAIN: too many processes (RLIMIT_NPROC); ENOMEM.
 */
long
sys_fork(void)
{
	return (fork1(curthread, SIGCHLD, 0, NULL, NULL, 0));
}

/*
 * vfork(2): like fork, but the parent is suspended until the child calls
 * execve or exits.  The child gets a copy of the memory, not a share.
 */
long
sys_vfork(void)
{
	return (fork1(curthread, CLONE_VM | CLONE_VFORK | SIGCHLD, 0, NULL,
	    NULL, 0));
}

/*
 * clone(2), x86-64 argument order (flags, newsp, parent_tid, child_tid,
 * tls).  Supported: the exit signal in CSIGNAL, CLONE_VM (copied),
 * CLONE_VFORK, CLONE_SETTLS, CLONE_PARENT_SETTID, CLONE_CHILD_SETTID,
 * CLONE_CHILD_CLEARTID, CLONE_DETACHED and CLONE_UNTRACED (ignored).
 * EINVAL: thread creation (CLONE_THREAD, CLONE_SIGHAND), shared tables
 * (CLONE_FS, CLONE_FILES), namespaces and other unsupported flags.
 * EAGAIN, ENOMEM as fork; EFAULT: bad parent_tid.
 */
long
sys_clone(uint64_t flags, uint64_t newsp, int *ptid, int *ctid, uint64_t tls)
{
	return (fork1(curthread, flags, newsp, ptid, ctid, tls));
}

/* The vfork child has its own image now (exec) or is gone (exit). */
void
vfork_release(struct proc *p)
{
	spin_lock(&proc_lock);
	if (p->p_flag & P_PPWAIT) {
		p->p_flag &= ~P_PPWAIT;
		spin_unlock(&proc_lock);
		wakeup(p);
		return;
	}
	spin_unlock(&proc_lock);
}
