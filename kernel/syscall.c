/*
 * syscall.c: system call dispatch, from the one list in syscalls.def.
 *
 * The list generates a table indexed by Linux system call number: the name
 * (for tracing and for the "not implemented" message) and the handler
 * sys_NAME.  Each handler is referenced as a weak symbol, so a call whose
 * subsystem is not linked in yet is simply NULL here and answers -ENOSYS
 * (reported once per number on the console).  Arguments come in rdi, rsi,
 * rdx, r10, r8, r9 (r10, not rcx: `syscall` keeps the return address in
 * rcx); the result goes back in rax.
 *
 * With `syscall_trace` on the command line every call is printed with its
 * arguments and result (printk lines can interleave with the tty).
 *
 * Two internal results: -ERESTART rewinds rip over the 2-byte `syscall`
 * instruction and restores rax to the number, so the call runs again after
 * a signal handler (SA_RESTART); -EJUSTRETURN leaves the frame as the
 * handler set it (rt_sigreturn, execve).
 * FreeBSD: sys/amd64/amd64/trap.c (amd64_syscall), sys/kern/syscalls.master.
 */
#include <cpu.h>
#include <kernel.h>
#include <proc.h>
#include <trap.h>
#include <uapi/errno.h>
#include <uapi/syscall.h>
#include <vm_param.h>
#include <x86.h>

typedef long (*sy_call_t)(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t,
    uint64_t);

/* Declared as bytes, not functions, so no prototype here can clash. */
#define SYSCALL(nr, name) extern char sys_##name[] __attribute__((weak));
#include <uapi/syscalls.def>
#undef SYSCALL

struct sysent {
	const char *sy_name;
	const char *sy_call;	/* NULL: not implemented */
};

static const struct sysent sysent[SYS_MAXSYSCALL] = {
#define SYSCALL(nr, name) [nr] = { #name, sys_##name },
#include <uapi/syscalls.def>
#undef SYSCALL
};

static uint8_t enosys_reported[SYS_MAXSYSCALL / 8 + 1];
uint64_t syscall_count;		/* system calls since boot */
bool syscall_trace;		/* `syscall_trace` on the command line */

const char *
syscall_name(unsigned long nr)
{
	if (nr >= SYS_MAXSYSCALL)
		return (NULL);
	return (sysent[nr].sy_name);
}

static long
syscall_enosys(unsigned long nr)
{
	static bool out_of_range_reported;

	if (nr < SYS_MAXSYSCALL) {
		if (enosys_reported[nr / 8] & (1 << (nr % 8)))
			return (-ENOSYS);
		enosys_reported[nr / 8] |= 1 << (nr % 8);
	} else {
		if (out_of_range_reported)
			return (-ENOSYS);
		out_of_range_reported = true;
	}
	printk(KERN_NOTICE "syscall %lu (%s) not implemented: ENOSYS\n", nr,
	    syscall_name(nr) != NULL ? syscall_name(nr) : "unknown");
	return (-ENOSYS);
}

/* A strace-like line: "pid 7 (sh): openat(0xffffff9c, 0x4a1f30, ...) = 3". */
static void
syscall_trace_print(const struct trapframe *tf, unsigned long nr, long rv)
{
	struct proc *p = curthread != NULL ? curthread->td_proc : NULL;
	const char *name = syscall_name(nr);

	printk("pid %d (%.16s): %s", p != NULL ? p->p_pid : -1,
	    p != NULL ? p->p_comm : "?", name != NULL ? name : "syscall");
	if (name == NULL)
		printk("_%lu", nr);
	printk("(%#lx, %#lx, %#lx, %#lx, %#lx, %#lx) = %ld\n", tf->tf_rdi,
	    tf->tf_rsi, tf->tf_rdx, tf->tf_r10, tf->tf_r8, tf->tf_r9, rv);
}

void
syscall(struct trapframe *tf)
{
	struct thread *td = curthread;
	unsigned long nr = tf->tf_rax;
	long rv;

	syscall_count++;
	if (td != NULL)
		td->td_frame = tf;
	if (nr < SYS_MAXSYSCALL && sysent[nr].sy_call != NULL)
		rv = ((sy_call_t)sysent[nr].sy_call)(tf->tf_rdi, tf->tf_rsi,
		    tf->tf_rdx, tf->tf_r10, tf->tf_r8, tf->tf_r9);
	else
		rv = syscall_enosys(nr);
	if (syscall_trace)
		syscall_trace_print(tf, nr, rv);
	if (rv == -ERESTART) {
		tf->tf_rip -= 2;
		tf->tf_rax = nr;
	} else if (rv != -EJUSTRETURN)
		tf->tf_rax = rv;
	userret(tf);
}

/*
 * May this frame leave through sysretq?  Only if sysret would restore it
 * exactly: rcx and r11 equal rip and rflags (sysret loads those from
 * them), the selectors are the user ones, rip lies in user space below the
 * last page (sysret to a non-canonical rip faults in ring 0 on Intel), and
 * no trace or resume flag is set.  Otherwise iretq.
 */
int syscall_can_sysret(const struct trapframe *tf);
int
syscall_can_sysret(const struct trapframe *tf)
{
	return (tf->tf_rcx == tf->tf_rip && tf->tf_r11 == tf->tf_rflags &&
	    tf->tf_cs == GSEL_UCODE && tf->tf_ss == GSEL_UDATA &&
	    tf->tf_rip < VM_MAXUSER_ADDRESS - PAGE_SIZE &&
	    (tf->tf_rflags & (PSL_T | PSL_RF)) == 0 &&
	    (tf->tf_rflags & PSL_I) != 0);
}

void
syscall_init(void)
{
	extern char Xfast_syscall[];

	wrmsr(MSR_STAR, ((uint64_t)(GSEL_UCODE32 | 3) << 48) |
	    ((uint64_t)GSEL_KCODE << 32));
	wrmsr(MSR_LSTAR, (uint64_t)Xfast_syscall);
	wrmsr(MSR_SFMASK, PSL_I | PSL_D | PSL_T | PSL_AC | PSL_NT);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	syscall_trace = cmdline_has("syscall_trace");
}
