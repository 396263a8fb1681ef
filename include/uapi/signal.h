/*
 * uapi/signal.h: the Linux x86-64 signal ABI as the kernel sees it.
 *
 * Numbers, sigaction flags, si_code values and the layouts a signal
 * handler finds on its stack: siginfo_t (128 bytes), the ucontext with its
 * sigcontext, and struct rt_sigframe (return address, ucontext, siginfo).
 * The kernel's sigset is 64 bits (one bit per signal, bit sig-1); the C
 * library's larger sigset_t only ever passes its first 8 bytes.
 */
#ifndef _UAPI_SIGNAL_H_
#define _UAPI_SIGNAL_H_

#include <types.h>

#define SIGHUP		1
#define SIGINT		2
#define SIGQUIT		3
#define SIGILL		4
#define SIGTRAP		5
#define SIGABRT		6
#define SIGBUS		7
#define SIGFPE		8
#define SIGKILL		9
#define SIGUSR1		10
#define SIGSEGV		11
#define SIGUSR2		12
#define SIGPIPE		13
#define SIGALRM		14
#define SIGTERM		15
#define SIGSTKFLT	16
#define SIGCHLD		17
#define SIGCONT		18
#define SIGSTOP		19
#define SIGTSTP		20
#define SIGTTIN		21
#define SIGTTOU		22
#define SIGURG		23
#define SIGXCPU		24
#define SIGXFSZ		25
#define SIGVTALRM	26
#define SIGPROF		27
#define SIGWINCH	28
#define SIGIO		29
#define SIGPWR		30
#define SIGSYS		31
#define SIGRTMIN	32
#define SIGRTMAX	64
#define _NSIG		64	/* valid signals are 1.._NSIG */

typedef uint64_t k_sigset_t;	/* bit (sig - 1) */
#define sigmask(sig)	(1ULL << ((sig) - 1))

#define SIG_DFL		((uint64_t)0)
#define SIG_IGN		((uint64_t)1)
#define SIG_ERR		((uint64_t)-1)

/* rt_sigprocmask how */
#define SIG_BLOCK	0
#define SIG_UNBLOCK	1
#define SIG_SETMASK	2

/* sa_flags */
#define SA_NOCLDSTOP	0x00000001
#define SA_NOCLDWAIT	0x00000002
#define SA_SIGINFO	0x00000004
#define SA_RESTORER	0x04000000
#define SA_ONSTACK	0x08000000
#define SA_RESTART	0x10000000
#define SA_NODEFER	0x40000000
#define SA_RESETHAND	0x80000000

/* struct sigaction as rt_sigaction(2) passes it (32 bytes). */
struct k_sigaction {
	uint64_t sa_handler;	/* SIG_DFL, SIG_IGN or a function */
	uint64_t sa_flags;
	uint64_t sa_restorer;	/* musl's __restore_rt: calls rt_sigreturn */
	k_sigset_t sa_mask;
};

/* si_code */
#define SI_USER		0	/* kill(2) */
#define SI_KERNEL	0x80
#define SI_QUEUE	(-1)
#define SI_TIMER	(-2)
#define SI_TKILL	(-6)	/* tkill(2), tgkill(2) */
#define ILL_ILLOPN	2
#define ILL_PRVOPC	5
#define FPE_INTDIV	1
#define FPE_FLTINV	7
#define SEGV_MAPERR	1
#define SEGV_ACCERR	2
#define BUS_ADRALN	1
#define BUS_ADRERR	2
#define TRAP_BRKPT	1
#define TRAP_TRACE	2
#define CLD_EXITED	1
#define CLD_KILLED	2
#define CLD_DUMPED	3
#define CLD_TRAPPED	4
#define CLD_STOPPED	5
#define CLD_CONTINUED	6

/*
 * siginfo_t: 128 bytes, the union at offset 16.  Anonymous members (no
 * si_pid-style macros, which would rename other code's fields): kill and
 * SIGCHLD share si_pid/si_uid; faults use si_addr; timers si_tid.
 */
typedef struct k_siginfo {
	int32_t si_signo;
	int32_t si_errno;
	int32_t si_code;
	int32_t __pad0;
	union {
		struct {		/* SI_USER, SI_TKILL, SIGCHLD */
			int32_t si_pid;
			uint32_t si_uid;
			int32_t si_status;	/* SIGCHLD */
			int32_t __pad1;
			int64_t si_utime;
			int64_t si_stime;
		};
		struct {		/* SIGSEGV, SIGBUS, SIGILL, SIGFPE */
			uint64_t si_addr;
		};
		struct {		/* SI_TIMER */
			int32_t si_tid;
			int32_t si_overrun;
			uint64_t si_value;
		};
		uint8_t __pad[112];
	};
} k_siginfo_t;

/* sigaltstack(2) */
typedef struct k_stack {
	uint64_t ss_sp;
	int32_t ss_flags;
	int32_t __pad;
	uint64_t ss_size;
} k_stack_t;

#define SS_ONSTACK	1
#define SS_DISABLE	2
#define MINSIGSTKSZ	2048

/* struct sigcontext (asm/sigcontext.h): musl's gregs[23] + fpregs. */
struct k_sigcontext {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp;
	uint64_t rip, eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2;
	uint64_t fpstate;	/* user address of the fxsave area, or 0 */
	uint64_t reserved1[8];
};

struct k_ucontext {
	uint64_t uc_flags;
	uint64_t uc_link;
	k_stack_t uc_stack;
	struct k_sigcontext uc_mcontext;
	k_sigset_t uc_sigmask;
};

/*
 * The frame a handler starts on: %rsp points at pretcode (the restorer,
 * the handler's return address), so %rsp + 8 is 16-byte aligned.  When
 * the handler returns, the restorer's rt_sigreturn finds the ucontext at
 * its %rsp.  The 512-byte fxsave image lies above, 64-byte aligned.
 */
struct k_rt_sigframe {
	uint64_t pretcode;
	struct k_ucontext uc;
	k_siginfo_t info;
};

/* setitimer(2), getitimer(2) */
#define ITIMER_REAL	0
#define ITIMER_VIRTUAL	1
#define ITIMER_PROF	2

struct k_timeval {
	int64_t tv_sec;
	int64_t tv_usec;
};

struct k_itimerval {
	struct k_timeval it_interval;
	struct k_timeval it_value;
};

struct k_timespec {
	int64_t tv_sec;
	int64_t tv_nsec;
};

_Static_assert(sizeof(k_siginfo_t) == 128, "siginfo_t is 128 bytes");
_Static_assert(offsetof(k_siginfo_t, si_pid) == 16, "siginfo layout");
_Static_assert(offsetof(k_siginfo_t, si_addr) == 16, "siginfo layout");
_Static_assert(offsetof(k_siginfo_t, si_utime) == 32, "siginfo layout");
_Static_assert(sizeof(struct k_sigcontext) == 256, "sigcontext layout");
_Static_assert(sizeof(struct k_ucontext) == 304, "ucontext layout");
_Static_assert(sizeof(struct k_sigaction) == 32, "sigaction layout");

#endif /* !_UAPI_SIGNAL_H_ */
