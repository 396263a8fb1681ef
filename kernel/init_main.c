/*
 * init_main.c: the first user process (FreeBSD init_main.c, start_init).
 *
 * kmain calls proc_start_init once every subsystem is up.  It creates
 * pid 1 as a thread that begins in the kernel, in start_init: there it
 * opens /dev/console as fds 0, 1 and 2, sets the root directory as its
 * cwd, and execs init= from the command line or, failing that, the usual
 * candidates (/sbin/init, /etc/init, /bin/init, /bin/sh).  On success the
 * thread leaves for user mode through the frame exec built; if nothing can
 * be exec'd the kernel panics saying why.
 */
#include <cpu.h>
#include <kernel.h>
#include <libkern.h>
#include <proc.h>
#include <trap.h>
#include <uapi/errno.h>


static char init_path[128];

static void
start_init(void *arg)
{
	static const char *const candidates[] = {
		"/sbin/init", "/etc/init", "/bin/init", "/bin/sh",
	};
	static const char *const envp[] = {
		"HOME=/", "TERM=linux", "PATH=/sbin:/bin:/usr/sbin:/usr/bin",
		NULL,
	};
	struct thread *td = curthread;
	const char *argv[2];
	int error;

	error = proc_vfs_init(td->td_proc);
	if (error != 0)
		printk(KERN_WARNING "init: no /dev/console for fds 0-2 "
		    "(error %d): init runs without standard streams\n",
		    error);
	if (init_path[0] != '\0') {
		argv[0] = init_path;
		argv[1] = NULL;
		error = kern_execve(init_path, argv, envp);
		if (error != 0)
			panic("cannot exec init=%s: error %d", init_path,
			    -error);
	} else {
		error = -ENOENT;
		for (size_t i = 0; i < nitems(candidates) && error != 0;
		     i++) {
			argv[0] = candidates[i];
			argv[1] = NULL;
			error = kern_execve(candidates[i], argv, envp);
			if (error != 0)
				printk(KERN_INFO "init: %s: error %d\n",
				    candidates[i], -error);
		}
		if (error != 0)
			panic("no init found: tried /sbin/init, /etc/init, "
			    "/bin/init, /bin/sh; pass init=PATH");
	}
	userret(td->td_frame);
	trap_return(td->td_frame);
}

void
proc_start_init(void)
{
	struct proc *p;
	struct pgrp *pg;
	struct session *s;

	if (!cmdline_value("init", init_path, sizeof(init_path)))
		init_path[0] = '\0';
	p = proc_alloc_init();
	pg = proc_zalloc_pub(sizeof(*pg));
	s = proc_zalloc_pub(sizeof(*s));
	if (p == NULL || pg == NULL || s == NULL)
		panic("cannot allocate the init process");
	KASSERT(p->p_pid == 1, "init is not pid 1");
	initproc = p;
	strlcpy(p->p_comm, "init", sizeof(p->p_comm));
	memcpy(p->p_rlimit, proc0.p_rlimit, sizeof(p->p_rlimit));
	p->p_umask = 022;
	spin_lock(&proc_lock);
	p->p_pptr = &proc0;
	LIST_INSERT_HEAD(&proc0.p_children, p, p_sibling);
	enterpgrp(p, 1, pg, s);		/* session 1, group 1 */
	p->p_state = PRS_NORMAL;
	spin_unlock(&proc_lock);
	if (sigacts_copy(p, NULL) != 0)	/* default actions */
		panic("init: no memory for its signal actions");
	thread_init_frame(p->p_thread, start_init, NULL);
	spin_lock(&sched_lock);
	sched_add(p->p_thread);
	spin_unlock(&sched_lock);
}
