/*
 * trap.c: what happens after an exception or interrupt has saved a frame.
 *
 * trap() sorts every entry by vector and by the mode it came from:
 *  - device interrupts run their handler (intr_establish) and are
 *    acknowledged at the local APIC;
 *  - exceptions from user mode are the process's problem: page faults go
 *    to vm_fault, everything unresolvable becomes a signal (trapsignal),
 *    and userret() runs before the return to user mode;
 *  - exceptions from kernel mode are bugs, with one exception: a page fault
 *    on a user address while copyin/copyout runs (the thread's td_onfault
 *    is set) is resolved through vm_fault or turned into -EFAULT by
 *    resuming at td_onfault.  Anything else is a panic with a register
 *    dump and a backtrace starting at the faulting instruction.
 * Follows FreeBSD sys/amd64/amd64/trap.c (trap, trap_pfault, trap_fatal).
 */
#include <cpu.h>
#include <gdbstub.h>
#include <kernel.h>
#include <ksyms.h>
#include <lapic.h>
#include <libkern.h>
#include <printf.h>
#include <proc.h>
#include <sysstat.h>
#include <trap.h>
#include <uapi/errno.h>
#include <uapi/signal.h>
#include <vm_map.h>
#include <vm_param.h>
#include <x86.h>

/* The assembly's view of the frame (kernel/trapframe.inc) must match. */
_Static_assert(offsetof(struct trapframe, tf_rax) == 48, "TF_RAX");
_Static_assert(offsetof(struct trapframe, tf_trapno) == 120, "TF_TRAPNO");
_Static_assert(offsetof(struct trapframe, tf_err) == 128, "TF_ERR");
_Static_assert(offsetof(struct trapframe, tf_rip) == 136, "TF_RIP");
_Static_assert(offsetof(struct trapframe, tf_cs) == 144, "TF_CS");
_Static_assert(offsetof(struct trapframe, tf_rflags) == 152, "TF_RFLAGS");
_Static_assert(offsetof(struct trapframe, tf_rsp) == 160, "TF_RSP");
_Static_assert(offsetof(struct trapframe, tf_ss) == 168, "TF_SS");
_Static_assert(sizeof(struct trapframe) == 176, "TF_SIZE");

static const char *const trap_names[32] = {
	[T_DIVIDE] = "Divide error",
	[T_DEBUG] = "Debug exception",
	[T_NMI] = "Non-maskable interrupt",
	[T_BPT] = "Breakpoint",
	[T_OFLOW] = "Overflow",
	[T_BOUND] = "Bound range exceeded",
	[T_PRIVINFLT] = "Invalid opcode",
	[T_DNA] = "Device not available",
	[T_DOUBLEFLT] = "Double fault",
	[9] = "Coprocessor segment overrun",
	[T_TSSFLT] = "Invalid TSS",
	[T_SEGNPFLT] = "Segment not present",
	[T_STKFLT] = "Stack fault",
	[T_PROTFLT] = "General protection",
	[T_PAGEFLT] = "Page fault",
	[T_FPOPFLT] = "x87 floating-point error",
	[T_ALIGNFLT] = "Alignment check",
	[T_MCHK] = "Machine check",
	[T_XMMFLT] = "SIMD floating-point error",
	[T_VIRT] = "Virtualization exception",
	[T_CP] = "Control protection",
};

struct intrhand {
	intr_handler_t ih_fn;
	void *ih_arg;
};

/* Written at boot by intr_establish, read in interrupt context. */
static struct intrhand intr_handlers[256];
uint64_t intrcnt[256];		/* interrupts per vector */
static uint8_t stray_reported[256];

/* Self tests: the armed vector (-1: none) and where to resume. */
volatile struct trap_record trap_expected = { .vector = -1 };
static volatile int trap_expect_vector = -1;
static struct kjmpbuf *trap_expect_jb;
static uint64_t trap_expect_rflags;
static bool trap_expect_inv;

void *copy_onfault_nothread;	/* td_onfault when there is no thread */
static uint64_t trap_cr2;	/* CR2 of the last page fault, for the dump */

const char *
trap_name(int vector)
{
	if (vector >= 0 && vector < 32 && trap_names[vector] != NULL)
		return (trap_names[vector]);
	if (vector == T_SYSCALL)
		return ("System call");
	if (vector >= T_IRQ_BASE)
		return ("Interrupt");
	return ("Reserved exception");
}

void
intr_establish(int vector, intr_handler_t fn, void *arg)
{
	KASSERT(vector >= T_IRQ_BASE && vector < T_SPURIOUS, "bad vector");
	KASSERT(vector < ICU_OFFSET || vector >= ICU_OFFSET + 16,
	    "vectors 0x20-0x2f belong to the masked 8259s");
	KASSERT(vector != T_SYSCALL, "vector 0x80 is reserved");
	KASSERT(intr_handlers[vector].ih_fn == NULL, "vector in use");
	intr_handlers[vector].ih_arg = arg;
	intr_handlers[vector].ih_fn = fn;
}

bool
intr_established(int vector)
{
	return (vector >= 0 && vector < 256 &&
	    intr_handlers[vector].ih_fn != NULL);
}

static void
intr_dispatch(struct trapframe *tf)
{
	int vec = tf->tf_trapno;
	struct intrhand *ih = &intr_handlers[vec];

	intrcnt[vec]++;
	if (vec == T_SPURIOUS)
		return;		/* the APIC wants no EOI for it */
	if (vec >= ICU_OFFSET && vec < ICU_OFFSET + 16) {
		pic_spurious(vec - ICU_OFFSET);
		return;
	}
	if (ih->ih_fn != NULL)
		ih->ih_fn(tf, ih->ih_arg);
	else if (!stray_reported[vec]) {
		stray_reported[vec] = 1;
		printk(KERN_WARNING "stray interrupt on vector %d\n", vec);
	}
	lapic_eoi();
}

/* The slot copyin's recovery address goes in: the thread's, or a global. */
void **
trap_onfault_slot(void)
{
	if (curthread != NULL)
		return (&curthread->td_onfault);
	return (&copy_onfault_nothread);
}

static void
pf_decode(uint64_t err, char *buf, size_t len)
{
	snprintf(buf, len, "%s %s, %s%s",
	    (err & PGEX_U) ? "user" : "supervisor",
	    (err & PGEX_I) ? "instruction fetch" :
	    (err & PGEX_W) ? "write" : "read",
	    (err & PGEX_P) ? "protection violation" : "page not present",
	    (err & PGEX_RSV) ? ", reserved bit set" : "");
}

void
trap_dump(const struct trapframe *tf)
{
	const char *fn;
	uint64_t off;
	char buf[96];

	printk("Fatal trap %lu: %s while in %s mode\n", tf->tf_trapno,
	    trap_name(tf->tf_trapno), TRAPF_USERMODE(tf) ? "user" : "kernel");
	if (tf->tf_trapno == T_PAGEFLT) {
		pf_decode(tf->tf_err, buf, sizeof(buf));
		printk("fault address (cr2) = 0x%016lx\n", trap_cr2);
		printk("error code          = %#lx (%s)\n", tf->tf_err, buf);
	} else
		printk("error code          = %#lx\n", tf->tf_err);
	fn = ksym_lookup(tf->tf_rip, &off);
	if (fn != NULL)
		printk("rip = 0x%016lx <%s+%#lx>\n", tf->tf_rip, fn, off);
	else
		printk("rip = 0x%016lx\n", tf->tf_rip);
	printk("cs  = 0x%04lx  ss = 0x%04lx  rflags = 0x%08lx  "
	    "rsp = 0x%016lx\n", tf->tf_cs, tf->tf_ss, tf->tf_rflags,
	    tf->tf_rsp);
	printk("rax = %016lx rbx = %016lx rcx = %016lx\n", tf->tf_rax,
	    tf->tf_rbx, tf->tf_rcx);
	printk("rdx = %016lx rsi = %016lx rdi = %016lx\n", tf->tf_rdx,
	    tf->tf_rsi, tf->tf_rdi);
	printk("rbp = %016lx r8  = %016lx r9  = %016lx\n", tf->tf_rbp,
	    tf->tf_r8, tf->tf_r9);
	printk("r10 = %016lx r11 = %016lx r12 = %016lx\n", tf->tf_r10,
	    tf->tf_r11, tf->tf_r12);
	printk("r13 = %016lx r14 = %016lx r15 = %016lx\n", tf->tf_r13,
	    tf->tf_r14, tf->tf_r15);
	if (curthread != NULL && curthread->td_proc != NULL)
		printk("curthread = %p, pid %d (%.16s)\n", (void *)curthread,
		    curthread->td_proc->p_pid, curthread->td_proc->p_comm);
	else
		printk("curthread = %p\n", (void *)curthread);
}

/* An exception the kernel cannot survive: dump it and panic. */
static void __noreturn
trap_fatal(struct trapframe *tf)
{
	extern bool cons_panicking;

	struct thread *td = curthread;
	uint64_t cr2 = rcr2();
	int slot;

	disable_intr();
	cons_panicking = true;	/* print even with the console lock held */
	printk("\n");
	trap_dump(tf);
	/* A fault in a guard page under a kernel stack: say whose. */
	if ((tf->tf_trapno == T_DOUBLEFLT || tf->tf_trapno == T_PAGEFLT) &&
	    !TRAPF_USERMODE(tf) && (pmap_kstack_guard(cr2, &slot) ||
	    pmap_kstack_guard(tf->tf_rsp, &slot)))
		panic_at(tf->tf_rip, tf->tf_rbp, "kernel stack overflow: "
		    "stack slot %d, rsp %#lx, thread of pid %d (%.16s)", slot,
		    tf->tf_rsp, td != NULL && td->td_proc != NULL ?
		    td->td_proc->p_pid : -1, td != NULL && td->td_proc !=
		    NULL ? td->td_proc->p_comm : "?");
	panic_at(tf->tf_rip, tf->tf_rbp, "%s (trap %lu) in %s mode",
	    trap_name(tf->tf_trapno), tf->tf_trapno,
	    TRAPF_USERMODE(tf) ? "user" : "kernel");
}

static vm_prot_t
pf_type(uint64_t err)
{
	if (err & PGEX_I)
		return (VM_PROT_EXECUTE);
	if (err & PGEX_W)
		return (VM_PROT_WRITE);
	return (VM_PROT_READ);
}

/* Returns true if a self test was expecting this exception. */
static bool
trap_check_expected(struct trapframe *tf, uint64_t cr2)
{
	if (trap_expect_vector != (int)tf->tf_trapno)
		return (false);
	trap_expect_vector = -1;
	trap_expected.rip = tf->tf_rip;
	trap_expected.err = tf->tf_err;
	trap_expected.cr2 = cr2;
	trap_expected.cs = tf->tf_cs;
	trap_expected.rax = tf->tf_rax;
	trap_expected.rbx = tf->tf_rbx;
	trap_expected.rcx = tf->tf_rcx;
	trap_expected.r11 = tf->tf_r11;
	trap_expected.rflags = tf->tf_rflags;
	memcpy((void *)trap_expected.regs, tf, sizeof(*tf));
	trap_expected.vector = tf->tf_trapno;
	if (trap_expect_inv) {
		uint64_t *r = (uint64_t *)tf;

		/* The 15 general registers come first; leave rbp alone. */
		for (int i = 0; i < 15; i++)
			if (&r[i] != &tf->tf_rbp)
				r[i] = ~r[i];
		trap_expect_inv = false;
	}
	if (trap_expect_jb != NULL) {
		/* Resume in kt_longjmp(jb, 1), in kernel mode. */
		tf->tf_rip = (uint64_t)kt_longjmp;
		tf->tf_rdi = (uint64_t)trap_expect_jb;
		tf->tf_rsi = 1;
		tf->tf_cs = GSEL_KCODE;
		tf->tf_ss = GSEL_KDATA;
		tf->tf_rsp = trap_expect_jb->rsp;
		tf->tf_rflags = trap_expect_rflags;
	}
	return (true);
}

void
trap_expect(int vector, struct kjmpbuf *jb)
{
	trap_expected.vector = -1;
	trap_expect_jb = jb;
	trap_expect_rflags = read_rflags();
	trap_expect_vector = vector;
}

void
trap_expect_clear(void)
{
	trap_expect_vector = -1;
	trap_expect_inv = false;
}

void
trap_expect_invert(void)
{
	trap_expect_inv = true;
}

/* Charge a resolved page fault to the process (/proc/PID/stat fields 10
 * and 12): major when it read a file (vm_fault counted one). */
static void
trap_count_fault(uint64_t majfaults_before)
{
	struct proc *p = curthread != NULL ? curthread->td_proc : NULL;

	if (p == NULL)
		return;
	if (vm_cnt_majfaults != majfaults_before)
		p->p_majflt++;
	else
		p->p_minflt++;
}

/*
 * Kernel code touched or jumped to a user address outside copyin/copyout:
 * SMAP or SMEP stopped it (or nothing is mapped there).  A kernel bug, but
 * in one process's system call: like a Linux oops, report it with a
 * backtrace and kill that process, when it holds no spin lock (interrupts
 * were on) so nothing stays half-locked.  Under ktest, and for init or a
 * kernel thread, it stays a panic (the caller goes on to trap_fatal).
 */
static void
trap_user_oops(struct trapframe *tf, uint64_t cr2)
{
	struct thread *td = curthread;
	struct proc *p = td != NULL ? td->td_proc : NULL;

	if (!(tf->tf_rflags & PSL_I) || intr_nesting() != 0 || p == NULL ||
	    p == initproc || (p->p_flag & P_KPROC) || cmdline_has("ktest"))
		return;
	printk(KERN_ERR "kernel: %s user address %#lx outside copyin (%s), "
	    "error %#lx: killing pid %d (%.16s)\n",
	    (tf->tf_err & PGEX_I) ? "executed" : (tf->tf_err & PGEX_W) ?
	    "wrote" : "read", cr2, (tf->tf_err & PGEX_P) ?
	    ((tf->tf_err & PGEX_I) ? "SMEP" : "SMAP") : "not mapped",
	    tf->tf_err, p->p_pid, p->p_comm);
	backtrace_print(tf->tf_rip, tf->tf_rbp);
	enable_intr();
	exit1(td, SIGKILL);
}

static void
trap_kernel(struct trapframe *tf, uint64_t cr2)
{
	uint64_t maj0 = vm_cnt_majfaults;
	void **onfault;
	vm_map_t map;

	/* Breakpoints and single steps of the kernel's gdb stub. */
	if ((tf->tf_trapno == T_BPT || tf->tf_trapno == T_DEBUG) &&
	    gdb_trap(tf))
		return;
	if (tf->tf_trapno == T_PAGEFLT && cr2 < VM_MAXUSER_ADDRESS &&
	    *(onfault = trap_onfault_slot()) != NULL) {
		/* copyin/copyout touching a user page: page it in or fail. */
		if (tf->tf_rflags & PSL_I)
			enable_intr();
		map = vm_curmap();
		if (map != NULL && vm_fault(map, cr2, pf_type(tf->tf_err)) ==
		    KERN_SUCCESS) {
			trap_count_fault(maj0);
			return;
		}
		tf->tf_rip = (uint64_t)*onfault;
		tf->tf_rax = (uint64_t)-EFAULT;
		return;
	}
	if (tf->tf_trapno == T_PAGEFLT && cr2 < VM_MAXUSER_ADDRESS)
		trap_user_oops(tf, cr2);
	gdb_fatal(tf);		/* with gdb=: look before the panic */
	trap_fatal(tf);
}

/*
 * One console line per fatal user trap, like Linux's "segfault at" message
 * (the first 50 only): where a program died is often the whole story.
 * int3 and single-step traps are a debugger's business and stay quiet.
 */
static void
trap_report_user(const struct trapframe *tf, int sig, uint64_t addr)
{
	static int reported;
	struct proc *p = curthread != NULL ? curthread->td_proc : NULL;
	const char *fn;
	uint64_t off;

	if (sig == SIGTRAP || reported >= 50)
		return;
	reported++;
	fn = ksym_lookup(tf->tf_rip, &off);	/* NULL for user code */
	printk(KERN_INFO "pid %d (%.16s): %s, signal %d, addr %#lx, "
	    "rip %#lx, rsp %#lx, error %#lx%s%s\n", p != NULL ? p->p_pid : -1,
	    p != NULL ? p->p_comm : "?", trap_name(tf->tf_trapno), sig, addr,
	    tf->tf_rip, tf->tf_rsp, tf->tf_err, fn != NULL ? " in " : "",
	    fn != NULL ? fn : "");
}

static void
trap_user(struct trapframe *tf, uint64_t cr2)
{
	struct thread *td = curthread;
	int sig = 0, code = 0, rv;
	uint64_t addr = tf->tf_rip, maj0;
	vm_map_t map;

	if (td != NULL)
		td->td_frame = tf;
	enable_intr();
	switch (tf->tf_trapno) {
	case T_PAGEFLT:
		map = vm_curmap();
		maj0 = vm_cnt_majfaults;
		rv = map != NULL ? vm_fault(map, cr2, pf_type(tf->tf_err)) :
		    KERN_INVALID_ADDRESS;
		if (rv == KERN_SUCCESS) {
			trap_count_fault(maj0);
			break;
		}
		addr = cr2;
		if (rv == KERN_RESOURCE_SHORTAGE) {
			/* Out of memory: kill the biggest; maybe retry. */
			if (oom_kill(td->td_proc)) {
				(void)tsleep(&oom_kill, 0, "oom",
				    10 * 1000 * 1000);
				break;
			}
			sig = SIGKILL;
			code = SI_KERNEL;
		} else if (rv == KERN_OUT_OF_BOUNDS) {
			sig = SIGBUS;
			code = BUS_ADRERR;
		} else {
			sig = SIGSEGV;
			code = rv == KERN_PROTECTION_FAILURE ? SEGV_ACCERR :
			    SEGV_MAPERR;
		}
		break;
	case T_PRIVINFLT:
		sig = SIGILL;
		code = ILL_ILLOPN;
		break;
	case T_DIVIDE:
		sig = SIGFPE;
		code = FPE_INTDIV;
		break;
	case T_FPOPFLT:
	case T_XMMFLT:
		sig = SIGFPE;
		code = FPE_FLTINV;
		break;
	case T_BPT:
		sig = SIGTRAP;
		code = TRAP_BRKPT;
		break;
	case T_DEBUG:
		sig = SIGTRAP;
		code = TRAP_TRACE;
		break;
	case T_ALIGNFLT:
		sig = SIGBUS;
		code = BUS_ADRALN;
		break;
	case T_SEGNPFLT:
	case T_STKFLT:
		sig = SIGBUS;
		code = SI_KERNEL;
		addr = 0;
		break;
	case T_PROTFLT:
	case T_OFLOW:
	case T_BOUND:
	case T_TSSFLT:
		sig = SIGSEGV;
		code = SI_KERNEL;
		addr = 0;
		break;
	case T_DNA:
		/* CR0.TS is never set: a #NM is a kernel bug. */
	default:
		trap_fatal(tf);
	}
	if (sig != 0) {
		trap_report_user(tf, sig, addr);
		trapsignal(td, sig, code, addr);
	}
	userret(tf);
}

/*
 * The iretq that returns to user mode can itself fault: a non-canonical
 * rip, a bad selector in a frame that sigreturn or exec built.  The fault
 * is then taken in ring 0 with the user's registers already loaded and the
 * user's iret frame at the faulting rsp.  Rebuild the frame as if the
 * user instruction at that rip had faulted, so the program gets a SIGSEGV
 * instead of the kernel a panic (FreeBSD doreti_iret_fault).
 */
static void
doreti_iret_fault(struct trapframe *tf)
{
	extern char doreti_iret[];
	const uint64_t *iret;

	if (tf->tf_rip != (uint64_t)doreti_iret ||
	    (tf->tf_trapno != T_PROTFLT && tf->tf_trapno != T_SEGNPFLT &&
	    tf->tf_trapno != T_STKFLT))
		return;
	iret = (const uint64_t *)tf->tf_rsp;
	if ((iret[1] & 3) != 3)
		return;		/* returning to the kernel: a bug */
	tf->tf_rip = iret[0];
	tf->tf_cs = iret[1];
	tf->tf_rflags = iret[2];
	tf->tf_rsp = iret[3];
	tf->tf_ss = iret[4];
}

void
trap(struct trapframe *tf)
{
	uint64_t cr2 = 0;

	if (tf->tf_trapno >= T_IRQ_BASE) {
		sysstat.intr++;
		intr_dispatch(tf);
		if (TRAPF_USERMODE(tf)) {
			/* Acknowledged: userret may run with interrupts on,
			 * as after an exception or a system call. */
			if (curthread != NULL)
				curthread->td_frame = tf;
			enable_intr();
			userret(tf);
		}
		return;
	}
	if (!TRAPF_USERMODE(tf))
		doreti_iret_fault(tf);
	/* Read CR2 before anything (an interrupt, a fault) replaces it. */
	if (tf->tf_trapno == T_PAGEFLT)
		trap_cr2 = cr2 = rcr2();
	if (trap_check_expected(tf, cr2))
		return;
	switch (tf->tf_trapno) {
	case T_NMI:
	case T_DOUBLEFLT:
	case T_MCHK:
		trap_fatal(tf);
	}
	if (TRAPF_USERMODE(tf))
		trap_user(tf, cr2);
	else
		trap_kernel(tf, cr2);
}
