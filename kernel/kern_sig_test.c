/*
 * kern_sig_test.c: self tests of the signal bookkeeping, driven through
 * the kern_* entry points on a process built here (no user space): the
 * action table and its errors, the mask, posting and discarding, the
 * stop/continue interplay of pending signals, exec, the frame layout and
 * ITIMER_REAL.
 */
#include <clock.h>
#include <kernel.h>
#include <kmem.h>
#include <ktest.h>
#include <libkern.h>
#include <proc.h>
#include <signal.h>
#include <trap.h>
#include <uapi/errno.h>
#include <vm_page.h>
#include <vm_param.h>
#include <vm_phys.h>

static struct proc sigt_proc;
static struct thread sigt_thread;

static struct proc *
sigt_setup(void)
{
	struct proc *p = &sigt_proc;

	if (p->p_sigacts != NULL)
		sigacts_free(p);
	memset(p, 0, sizeof(*p));
	memset(&sigt_thread, 0, sizeof(sigt_thread));
	spin_init(&p->p_lock, "sigt");
	p->p_pid = 4242;
	p->p_state = PRS_NORMAL;
	p->p_thread = &sigt_thread;
	sigt_thread.td_proc = p;
	sigt_thread.td_state = TDS_RUNNING;
	if (sigacts_copy(p, NULL) != 0)
		panic("sigt_setup: no memory for signal actions");
	return (p);
}

KTEST(sig_action_errors)
{
	struct proc *p = sigt_setup();
	struct k_sigaction act, oact;

	memset(&act, 0, sizeof(act));
	act.sa_handler = 0x401000;
	KT_EQ(kern_sigaction(p, 0, &act, NULL), -EINVAL);
	KT_EQ(kern_sigaction(p, 65, &act, NULL), -EINVAL);
	KT_EQ(kern_sigaction(p, -1, NULL, &oact), -EINVAL);
	KT_EQ(kern_sigaction(p, SIGKILL, &act, NULL), -EINVAL);
	KT_EQ(kern_sigaction(p, SIGSTOP, &act, NULL), -EINVAL);
	/* Reading SIGKILL's action is allowed. */
	KT_EQ(kern_sigaction(p, SIGKILL, NULL, &oact), 0);
	KT_EQ(oact.sa_handler, SIG_DFL);
}

KTEST(sig_action_set_get)
{
	struct proc *p = sigt_setup();
	struct k_sigaction act, oact;

	memset(&act, 0, sizeof(act));
	act.sa_handler = 0x401000;
	act.sa_flags = SA_RESTART | SA_RESTORER | SA_SIGINFO;
	act.sa_restorer = 0x402000;
	act.sa_mask = sigmask(SIGUSR2) | sigmask(SIGKILL) | sigmask(SIGSTOP);
	KT_EQ(kern_sigaction(p, SIGUSR1, &act, NULL), 0);
	memset(&oact, 0xff, sizeof(oact));
	KT_EQ(kern_sigaction(p, SIGUSR1, NULL, &oact), 0);
	KT_EQ(oact.sa_handler, 0x401000);
	KT_EQ(oact.sa_flags, SA_RESTART | SA_RESTORER | SA_SIGINFO);
	KT_EQ(oact.sa_restorer, 0x402000);
	/* SIGKILL and SIGSTOP are stripped from the handler's mask. */
	KT_EQ(oact.sa_mask, sigmask(SIGUSR2));
	/* exec: caught goes back to default, ignored stays ignored. */
	act.sa_handler = SIG_IGN;
	KT_EQ(kern_sigaction(p, SIGINT, &act, NULL), 0);
	execsigs(p);
	KT_EQ(kern_sigaction(p, SIGUSR1, NULL, &oact), 0);
	KT_EQ(oact.sa_handler, SIG_DFL);
	KT_EQ(oact.sa_flags, 0);
	KT_EQ(kern_sigaction(p, SIGINT, NULL, &oact), 0);
	KT_EQ(oact.sa_handler, SIG_IGN);
}

KTEST(sig_procmask)
{
	struct proc *p = sigt_setup();
	struct thread *td = p->p_thread;
	k_sigset_t set, old;

	set = sigmask(SIGINT) | sigmask(SIGKILL) | sigmask(SIGSTOP);
	KT_EQ(kern_sigprocmask(td, SIG_BLOCK, &set, &old), 0);
	KT_EQ(old, 0);
	KT_EQ(td->td_sigmask, sigmask(SIGINT));
	set = sigmask(SIGTERM);
	KT_EQ(kern_sigprocmask(td, SIG_BLOCK, &set, NULL), 0);
	KT_EQ(td->td_sigmask, sigmask(SIGINT) | sigmask(SIGTERM));
	set = sigmask(SIGINT);
	KT_EQ(kern_sigprocmask(td, SIG_UNBLOCK, &set, &old), 0);
	KT_EQ(old, sigmask(SIGINT) | sigmask(SIGTERM));
	KT_EQ(td->td_sigmask, sigmask(SIGTERM));
	set = ~0ULL;
	KT_EQ(kern_sigprocmask(td, SIG_SETMASK, &set, NULL), 0);
	KT_EQ(td->td_sigmask, ~(sigmask(SIGKILL) | sigmask(SIGSTOP)));
	KT_EQ(kern_sigprocmask(td, 3, &set, NULL), -EINVAL);
	/* A bad how without a set is not an error (Linux). */
	KT_EQ(kern_sigprocmask(td, 3, NULL, &old), 0);
}

KTEST(sig_post_and_discard)
{
	struct proc *p = sigt_setup();
	struct thread *td = p->p_thread;
	struct k_sigaction act;

	/* Default-ignored and unblocked: dropped at once. */
	psignal(p, SIGCHLD);
	psignal(p, SIGWINCH);
	KT_EQ(p->p_sigpend, 0);
	KT_ASSERT(!sig_pending_unblocked(td));
	/* Blocked: kept, even though ignored. */
	td->td_sigmask = sigmask(SIGCHLD);
	psignal(p, SIGCHLD);
	KT_EQ(p->p_sigpend, sigmask(SIGCHLD));
	KT_ASSERT(!sig_pending_unblocked(td));
	/* Setting SIG_IGN drops it. */
	memset(&act, 0, sizeof(act));
	act.sa_handler = SIG_IGN;
	KT_EQ(kern_sigaction(p, SIGCHLD, &act, NULL), 0);
	KT_EQ(p->p_sigpend, 0);
	/* A terminating signal is pending and wakes PCATCH sleeps. */
	psignal(p, SIGTERM);
	KT_EQ(p->p_sigpend, sigmask(SIGTERM));
	KT_ASSERT(sig_pending_unblocked(td));
	KT_EQ(sig_sleep_intr(td), -ERESTART);	/* default action */
	act.sa_handler = 0x401000;
	act.sa_flags = 0;
	KT_EQ(kern_sigaction(p, SIGTERM, &act, NULL), 0);
	KT_EQ(sig_sleep_intr(td), -EINTR);	/* handler, no SA_RESTART */
	act.sa_flags = SA_RESTART;
	KT_EQ(kern_sigaction(p, SIGTERM, &act, NULL), 0);
	KT_EQ(sig_sleep_intr(td), -ERESTART);
	/* Bad numbers are ignored. */
	psignal(p, 0);
	psignal(p, 65);
	KT_EQ(p->p_sigpend, sigmask(SIGTERM));
}

KTEST(sig_stop_cont_cancel)
{
	struct proc *p = sigt_setup();
	struct thread *td = p->p_thread;

	td->td_sigmask = sigmask(SIGTSTP) | sigmask(SIGCONT);
	psignal(p, SIGTSTP);
	psignal(p, SIGTTIN);
	KT_EQ(p->p_sigpend, sigmask(SIGTSTP) | sigmask(SIGTTIN));
	psignal(p, SIGCONT);		/* drops the pending stops */
	KT_EQ(p->p_sigpend, sigmask(SIGCONT));
	psignal(p, SIGSTOP);		/* drops the pending continue */
	KT_EQ(p->p_sigpend, sigmask(SIGSTOP));
	KT_EQ(sigprop(SIGSTOP) & SP_STOP, SP_STOP);
	KT_EQ(sigprop(SIGQUIT), SP_KILL | SP_CORE);
	KT_EQ(sigprop(SIGRTMIN + 3), SP_KILL);
}

KTEST(sig_trapsignal_forces_default)
{
	struct proc *p = sigt_setup();
	struct thread *td = p->p_thread;
	struct k_sigaction act;

	memset(&act, 0, sizeof(act));
	act.sa_handler = SIG_IGN;
	KT_EQ(kern_sigaction(p, SIGSEGV, &act, NULL), 0);
	td->td_sigmask = sigmask(SIGBUS);
	trapsignal(td, SIGSEGV, SEGV_ACCERR, 0xdead000);
	KT_EQ(td->td_sigpend, sigmask(SIGSEGV));
	KT_EQ(p->p_sigacts->ps_act[SIGSEGV].sa_handler, SIG_DFL);
	KT_EQ(p->p_sigacts->ps_info[SIGSEGV].si_code, SEGV_ACCERR);
	KT_EQ(p->p_sigacts->ps_info[SIGSEGV].si_addr, 0xdead000);
	trapsignal(td, SIGBUS, BUS_ADRERR, 0x1000);
	KT_EQ(td->td_sigmask, 0);	/* unblocked to be fatal */
}

KTEST(sig_frame_layout)
{
	struct trapframe tf;
	struct k_sigaction act;
	struct k_rt_sigframe frame;
	k_siginfo_t info;
	uint64_t fp;

	memset(&tf, 0, sizeof(tf));
	memset(&act, 0, sizeof(act));
	memset(&info, 0, sizeof(info));
	tf.tf_rax = 11;
	tf.tf_rbx = 22;
	tf.tf_r15 = 33;
	tf.tf_rip = 0x401234;
	tf.tf_rsp = 0x7ffffff0e008;
	tf.tf_rflags = 0x246;
	tf.tf_cs = GSEL_UCODE;
	tf.tf_ss = GSEL_UDATA;
	tf.tf_trapno = T_PAGEFLT;
	tf.tf_err = PGEX_U | PGEX_W;
	act.sa_restorer = 0x409999;
	info.si_code = SEGV_MAPERR;
	info.si_addr = 0x1234;
	KT_EQ(sig_build_frame(&tf, SIGSEGV, &act, &info, sigmask(SIGINT),
	    0x7ffffff0d003, 0x7ffffff0d000 + 64, &frame, &fp), 0);
	KT_EQ((fp + 8) % 16, 0);
	KT_ASSERT(fp + sizeof(frame) <= 0x7ffffff0d003);
	KT_ASSERT(fp + sizeof(frame) > 0x7ffffff0d003 - 32);
	KT_EQ(frame.pretcode, 0x409999);
	KT_EQ(frame.info.si_signo, SIGSEGV);
	KT_EQ(frame.info.si_code, SEGV_MAPERR);
	KT_EQ(frame.info.si_addr, 0x1234);
	KT_EQ(frame.uc.uc_mcontext.rax, 11);
	KT_EQ(frame.uc.uc_mcontext.rbx, 22);
	KT_EQ(frame.uc.uc_mcontext.r15, 33);
	KT_EQ(frame.uc.uc_mcontext.rip, 0x401234);
	KT_EQ(frame.uc.uc_mcontext.rsp, 0x7ffffff0e008);
	KT_EQ(frame.uc.uc_mcontext.cs, GSEL_UCODE);
	KT_EQ(frame.uc.uc_mcontext.cr2, 0x1234);
	KT_EQ(frame.uc.uc_mcontext.trapno, T_PAGEFLT);
	KT_EQ(frame.uc.uc_mcontext.fpstate, 0x7ffffff0d000 + 64);
	KT_EQ(frame.uc.uc_sigmask, sigmask(SIGINT));
	KT_EQ(frame.uc.uc_stack.ss_flags, SS_DISABLE);
	/* musl's offsets: gregs at uc+40, sigmask at uc+296, info at +312. */
	KT_EQ(offsetof(struct k_ucontext, uc_mcontext), 40);
	KT_EQ(offsetof(struct k_ucontext, uc_sigmask), 296);
	KT_EQ(offsetof(struct k_rt_sigframe, info), 312);
	KT_EQ(offsetof(struct k_sigcontext, rip), 16 * 8);
	/* A stack pointer in the kernel half or at 0 cannot take a frame. */
	KT_EQ(sig_build_frame(&tf, SIGSEGV, &act, &info, 0,
	    0xffff800000001000, 0, &frame, &fp), -EFAULT);
	KT_EQ(sig_build_frame(&tf, SIGSEGV, &act, &info, 0, 100, 0, &frame,
	    &fp), -EFAULT);
}

KTEST(sig_itimer_real)
{
	struct proc *p = sigt_setup();
	struct k_itimerval in, out;
	uint64_t t0, t1;

	/* The clock ticks under us: expect values within [t0, t1]. */
	memset(&in, 0, sizeof(in));
	in.it_value.tv_sec = 2;
	in.it_value.tv_usec = 500000;
	in.it_interval.tv_usec = 20000;
	t0 = ticks;
	KT_EQ(kern_setitimer(p, ITIMER_REAL, &in, &out), 0);
	t1 = ticks;
	KT_EQ(out.it_value.tv_sec, 0);
	KT_EQ(out.it_value.tv_usec, 0);
	KT_ASSERT(p->p_sigacts->ps_itvalue >= t0 + 250 &&
	    p->p_sigacts->ps_itvalue <= t1 + 250);
	KT_EQ(p->p_sigacts->ps_itinterval, 2);
	KT_EQ(kern_setitimer(p, ITIMER_REAL, NULL, &out), 0);
	KT_ASSERT(out.it_value.tv_sec == 2 || out.it_value.tv_sec == 1);
	KT_EQ(out.it_interval.tv_usec, 20000);
	KT_EQ(kern_setitimer(p, ITIMER_VIRTUAL, &in, NULL), -EINVAL);
	in.it_value.tv_usec = 1000000;
	KT_EQ(kern_setitimer(p, ITIMER_REAL, &in, NULL), -EINVAL);
	in.it_value.tv_usec = -1;
	KT_EQ(kern_setitimer(p, ITIMER_REAL, &in, NULL), -EINVAL);
	/* Due now: itimer_tick posts SIGALRM and re-arms the interval. */
	p->p_sigacts->ps_itvalue = ticks;	/* due (ticks may be 0 here) */
	t0 = ticks;
	itimer_tick();
	t1 = ticks;
	KT_EQ(p->p_sigpend, sigmask(SIGALRM));
	KT_ASSERT(p->p_sigacts->ps_itvalue >= t0 + 2 &&
	    p->p_sigacts->ps_itvalue <= t1 + 2);
	memset(&in, 0, sizeof(in));
	KT_EQ(kern_setitimer(p, ITIMER_REAL, &in, NULL), 0);
	KT_EQ(p->p_sigacts->ps_itvalue, 0);
	sigacts_free(p);
	KT_ASSERT(p->p_sigacts == NULL);
}

KTEST(sig_kill_errors)
{
	struct proc *p = sigt_setup();

	KT_EQ(kern_kill(p, 1, -1), -EINVAL);
	KT_EQ(kern_kill(p, 1, 65), -EINVAL);
	KT_EQ(kern_kill(p, 999999, 0), -ESRCH);
	KT_EQ(kern_kill(p, INT32_MIN, SIGTERM), -ESRCH);
	KT_EQ(kern_kill(p, -999999, SIGTERM), -ESRCH);
}

/* A run of pages taken by sig_sigacts_copy_enomem, chained through itself. */
struct sigt_held {
	struct sigt_held *next;
	vm_page_t m;
	int order;
};

/*
 * With no free page left, sigacts_copy (fork's) returns -ENOMEM and
 * leaves the process without actions, where it used to panic; fork1 then
 * fails with ENOMEM.  Every free run is taken, biggest first, and given
 * back before the checks.
 */
KTEST(sig_sigacts_copy_enomem)
{
	struct proc *p = sigt_setup();
	struct sigt_held *held = NULL, *h;
	vm_page_t m;
	uint64_t before, left;
	int error;

	sigacts_free(p);
	before = vm_phys_free_count();
	for (int order = VM_NFREEORDER - 1; order >= 0; order--) {
		while ((m = vm_phys_alloc_pages(order)) != NULL) {
			h = PHYS_TO_DMAP(VM_PAGE_TO_PHYS(m));
			h->m = m;
			h->order = order;
			h->next = held;
			held = h;
		}
	}
	left = vm_phys_free_count();
	error = sigacts_copy(p, NULL);
	while ((h = held) != NULL) {
		held = h->next;
		vm_phys_free_pages(h->m, h->order);
	}
	KT_EQ(left, 0);
	KT_EQ(error, -ENOMEM);
	KT_ASSERT(p->p_sigacts == NULL);
	KT_EQ(vm_phys_free_count(), before);
	KT_EQ(sigacts_copy(p, NULL), 0);
	KT_ASSERT(p->p_sigacts != NULL);
	sigacts_free(p);
}
