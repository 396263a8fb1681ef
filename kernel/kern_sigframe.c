/*
 * kern_sigframe.c: the Linux x86-64 signal frame, written and read back.
 *
 * sendsig saves the interrupted user state on the user stack as Linux
 * does (below the 128-byte red zone: the 512-byte fxsave image 64-byte
 * aligned, then struct rt_sigframe so that %rsp + 8 is 16-byte aligned at
 * the handler's first instruction) and points the trap frame at the
 * handler.  The handler's `ret` lands in the C library's restorer, which
 * calls rt_sigreturn; sys_rt_sigreturn reads the ucontext back, refusing
 * one that would give user mode kernel selectors, privileged rflags bits
 * or a non-canonical %rip.  No sigaltstack: see docs/signals.md.
 */
#include <kernel.h>
#include <libkern.h>
#include <proc.h>
#include <signal.h>
#include <trap.h>
#include <uapi/errno.h>
#include <x86.h>

#define REDZONE		128
#define FXSAVE_SIZE	512

/* rflags bits user code may change (Linux FIX_EFLAGS), and may not set. */
#define PSL_USERCHANGE	(PSL_C | PSL_PF | PSL_AF | PSL_Z | PSL_N | PSL_T | \
			 PSL_D | PSL_V | PSL_RF | PSL_AC)
#define PSL_PRIVILEGED	(PSL_IOPL | PSL_NT | PSL_VM | PSL_VIF | PSL_VIP)

#define VM_MAXUSER	0x0000800000000000ULL

#ifndef HOST_TEST
/* fxsave/fxrstor only when the CPU lets user code use SSE (CR4.OSFXSR). */
static bool
fpu_usable(void)
{
	uint64_t cr0, cr4;

	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	return ((cr4 & (1UL << 9)) != 0 && (cr0 & (1UL << 3)) == 0);
}

static void
fpu_save(uint8_t *buf)
{
	__asm__ volatile("fxsave64 (%0)" : : "r"(buf) : "memory");
}

static void
fpu_restore(uint8_t *buf)
{
	__asm__ volatile("fxrstor64 (%0)" : : "r"(buf) : "memory");
}
#endif

/*
 * Lay out the frame for a handler below sp (already past the red zone
 * and the fxsave image at fpstate): fill *frame, return its user address
 * in *framep.  Pure, so the ktests can check the layout.
 */
int
sig_build_frame(const struct trapframe *tf, int sig,
    const struct k_sigaction *act, const k_siginfo_t *info,
    k_sigset_t oldmask, uint64_t sp, uint64_t fpstate,
    struct k_rt_sigframe *frame, uint64_t *framep)
{
	struct k_sigcontext *sc = &frame->uc.uc_mcontext;
	uint64_t fp;

	fp = ((sp - sizeof(*frame)) & ~15ULL) - 8;
	if (fp >= VM_MAXUSER || fp < PAGE_SIZE)
		return (-EFAULT);
	memset(frame, 0, sizeof(*frame));
	frame->pretcode = act->sa_restorer;
	frame->uc.uc_stack.ss_flags = SS_DISABLE;
	frame->uc.uc_sigmask = oldmask;
	sc->r8 = tf->tf_r8;
	sc->r9 = tf->tf_r9;
	sc->r10 = tf->tf_r10;
	sc->r11 = tf->tf_r11;
	sc->r12 = tf->tf_r12;
	sc->r13 = tf->tf_r13;
	sc->r14 = tf->tf_r14;
	sc->r15 = tf->tf_r15;
	sc->rdi = tf->tf_rdi;
	sc->rsi = tf->tf_rsi;
	sc->rbp = tf->tf_rbp;
	sc->rbx = tf->tf_rbx;
	sc->rdx = tf->tf_rdx;
	sc->rax = tf->tf_rax;
	sc->rcx = tf->tf_rcx;
	sc->rsp = tf->tf_rsp;
	sc->rip = tf->tf_rip;
	sc->eflags = tf->tf_rflags;
	sc->cs = (uint16_t)tf->tf_cs;
	sc->ss = (uint16_t)tf->tf_ss;
	sc->err = tf->tf_trapno == T_SYSCALL ? 0 : tf->tf_err;
	sc->trapno = tf->tf_trapno == T_SYSCALL ? 0 : tf->tf_trapno;
	sc->oldmask = oldmask;
	if (tf->tf_trapno == T_PAGEFLT)
		sc->cr2 = info->si_addr;
	sc->fpstate = fpstate;
	frame->info = *info;
	frame->info.si_signo = sig;
	*framep = fp;
	return (0);
}

#ifndef HOST_TEST
/*
 * Write the frame for sig on the user stack and aim tf at the handler.
 * Returns -EFAULT when the stack cannot take it (the caller kills the
 * process) and when there is no SA_RESTORER (x86-64 Linux requires one).
 */
int
sendsig(struct thread *td, struct trapframe *tf, int sig,
    const struct k_sigaction *act, const k_siginfo_t *info,
    k_sigset_t oldmask)
{
	uint8_t fxbuf[FXSAVE_SIZE] __aligned(64);
	struct k_rt_sigframe frame;
	uint64_t sp, fpstate = 0, fp;

	if (!(act->sa_flags & SA_RESTORER) || act->sa_restorer == 0)
		return (-EFAULT);
	sp = tf->tf_rsp - REDZONE;
	if (fpu_usable()) {
		sp = (sp - FXSAVE_SIZE) & ~63ULL;
		fpu_save(fxbuf);
		if (sp >= VM_MAXUSER ||
		    copyout(fxbuf, (void *)sp, FXSAVE_SIZE) != 0)
			return (-EFAULT);
		fpstate = sp;
	}
	if (sig_build_frame(tf, sig, act, info, oldmask, sp, fpstate, &frame,
	    &fp) != 0)
		return (-EFAULT);
	if (copyout(&frame, (void *)fp, sizeof(frame)) != 0)
		return (-EFAULT);
	tf->tf_rsp = fp;
	tf->tf_rip = act->sa_handler;
	tf->tf_rdi = (uint64_t)sig;
	tf->tf_rsi = fp + offsetof(struct k_rt_sigframe, info);
	tf->tf_rdx = fp + offsetof(struct k_rt_sigframe, uc);
	tf->tf_rax = 0;
	tf->tf_rflags &= ~(PSL_D | PSL_T | PSL_RF);
	tf->tf_cs = GSEL_UCODE;
	tf->tf_ss = GSEL_UDATA;
	return (0);
}

/*
 * rt_sigreturn(2): return from a handler.  The restorer's `syscall` runs
 * with %rsp just past pretcode, so the ucontext is at %rsp.  Restores
 * every register, the signal mask and the FPU image.  A bad frame (not
 * readable, kernel selectors, privileged rflags bits, a %rip outside user
 * space) kills the process with SIGSEGV, as Linux does.  The result is
 * -EJUSTRETURN: the dispatcher must keep the restored %rax.
 */
long
sys_rt_sigreturn(void)
{
	struct thread *td = curthread;
	struct proc *p = td->td_proc;
	struct trapframe *tf = td->td_frame;
	uint8_t fxbuf[FXSAVE_SIZE] __aligned(64);
	uint8_t cur[FXSAVE_SIZE] __aligned(64);
	struct k_ucontext uc;
	struct k_sigcontext *sc = &uc.uc_mcontext;
	uint32_t mxcsr_mask;

	if (copyin((void *)tf->tf_rsp, &uc, sizeof(uc)) != 0)
		goto bad;
	if ((sc->cs & 3) != 3 || (sc->ss & 3) != 3 ||
	    (sc->eflags & PSL_PRIVILEGED) != 0 || sc->rip >= VM_MAXUSER)
		goto bad;
	if (sc->fpstate != 0 && fpu_usable()) {
		if (copyin((void *)sc->fpstate, fxbuf, FXSAVE_SIZE) != 0)
			goto bad;
		/* Reserved MXCSR bits would make fxrstor fault in-kernel. */
		fpu_save(cur);
		memcpy(&mxcsr_mask, cur + 28, 4);
		if (mxcsr_mask == 0)
			mxcsr_mask = 0xffbf;
		((uint32_t *)fxbuf)[6] &= mxcsr_mask;
		fpu_restore(fxbuf);
	}
	tf->tf_r8 = sc->r8;
	tf->tf_r9 = sc->r9;
	tf->tf_r10 = sc->r10;
	tf->tf_r11 = sc->r11;
	tf->tf_r12 = sc->r12;
	tf->tf_r13 = sc->r13;
	tf->tf_r14 = sc->r14;
	tf->tf_r15 = sc->r15;
	tf->tf_rdi = sc->rdi;
	tf->tf_rsi = sc->rsi;
	tf->tf_rbp = sc->rbp;
	tf->tf_rbx = sc->rbx;
	tf->tf_rdx = sc->rdx;
	tf->tf_rax = sc->rax;
	tf->tf_rcx = sc->rcx;
	tf->tf_rsp = sc->rsp;
	tf->tf_rip = sc->rip;
	tf->tf_rflags = (tf->tf_rflags & ~PSL_USERCHANGE) |
	    (sc->eflags & PSL_USERCHANGE) | PSL_I;
	tf->tf_cs = GSEL_UCODE;
	tf->tf_ss = GSEL_UDATA;
	spin_lock(&p->p_lock);
	td->td_sigmask = uc.uc_sigmask & ~CANTMASK;
	spin_unlock(&p->p_lock);
#ifdef EJUSTRETURN
	return (-EJUSTRETURN);	/* keep the restored rax */
#else
	return ((long)tf->tf_rax);
#endif
bad:
	printk(KERN_INFO "pid %d (%s): bad signal frame at %#lx, killed by "
	    "SIGSEGV\n", p->p_pid, p->p_comm, tf->tf_rsp);
	exit1(td, SIGSEGV | WCOREFLAG);
}

/*
 * sigaltstack(2), minimal: there is never an alternate stack.  oss reads
 * back SS_DISABLE; ss may disable (a no-op); enabling one is ENOSYS
 * (SA_ONSTACK handlers run on the normal stack).  EFAULT for bad
 * pointers, EINVAL for unknown flags.
 */
long
sys_sigaltstack(const k_stack_t *ss, k_stack_t *oss)
{
	k_stack_t k;

	if (ss != NULL) {
		if (copyin(ss, &k, sizeof(k)) != 0)
			return (-EFAULT);
		if (k.ss_flags != 0 && k.ss_flags != SS_DISABLE &&
		    k.ss_flags != SS_ONSTACK)
			return (-EINVAL);
		if (k.ss_flags != SS_DISABLE)
			return (-ENOSYS);
	}
	if (oss != NULL) {
		memset(&k, 0, sizeof(k));
		k.ss_flags = SS_DISABLE;
		if (copyout(&k, oss, sizeof(k)) != 0)
			return (-EFAULT);
	}
	return (0);
}
#endif /* !HOST_TEST */
