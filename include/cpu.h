/*
 * cpu.h: the processor itself -- descriptor tables, features, entry points.
 *
 * gdt.c builds the segments and the TSS, idt.c the 256 gates, cpu.c reads
 * CPUID and turns on SMEP, SMAP and SSE, syscall.c programs the `syscall`
 * MSRs.  Mica runs on one CPU and keeps no per-CPU area: there is no
 * swapgs, and the kernel stack for the next entry from user mode lives in
 * two places the scheduler updates on every switch, the TSS (rsp0, used by
 * interrupts and exceptions) and syscall_kstack_top (used by `syscall`).
 */
#ifndef _CPU_H_
#define _CPU_H_

#include <types.h>

struct trapframe;

/* kernel/gdt.c */
void gdt_init(void);
void tss_set_rsp0(uint64_t rsp0);	/* kernel stack for user->kernel */
uint16_t rtr(void);			/* the loaded task register (str) */

/* kernel/idt.c */
void idt_init(void);

/* kernel/syscall.c, kernel/syscall_entry.asm */
extern uint64_t syscall_kstack_top;	/* stack of the next syscall */
void syscall_init(void);
void syscall(struct trapframe *tf);
const char *syscall_name(unsigned long nr);	/* "read", or NULL */

/* Leave the kernel through a trap frame (iretq): first entry to user mode,
 * return from fork.  tf must lie on the current thread's kernel stack. */
void trap_return(struct trapframe *tf) __noreturn;

/*
 * Hooks other layers provide (weak defaults in kernel/weak.c).
 * userret: last thing before returning to user mode (signals, resched).
 * sched_clock: every tick, interrupts off.
 */
void userret(struct trapframe *tf);
void sched_clock(struct trapframe *tf);

/* kernel/cpu.c: what CPUID said, for /proc/cpuinfo. */
struct cpu_features {
	char vendor[13];		/* "GenuineIntel" */
	char brand[49];			/* brand string, trimmed */
	uint32_t family, model, stepping;
	uint32_t max_leaf, max_ext_leaf;
	uint32_t leaf1_ecx, leaf1_edx;	/* CPUID.1 */
	uint32_t leaf7_ebx, leaf7_ecx, leaf7_edx; /* CPUID.(7,0) */
	uint32_t ext1_ecx, ext1_edx;	/* CPUID.80000001 */
	uint32_t clflush_size;
	bool smep, smap, nx, pge, apic, tsc, invariant_tsc, fxsr;
};
extern struct cpu_features cpu_features;
extern uint8_t cpu_smap_enabled;	/* stac/clac allowed (asm reads it) */
void cpu_features_init(void);
/* Linux's names for the feature bits, space separated (/proc/cpuinfo). */
size_t cpu_flags_string(char *buf, size_t len);
void cpu_idle(void);			/* sti; hlt */

/* CPUID bits used by name. */
#define CPUID1_EDX_FPU		(1u << 0)
#define CPUID1_EDX_TSC		(1u << 4)
#define CPUID1_EDX_APIC		(1u << 9)
#define CPUID1_EDX_PGE		(1u << 13)
#define CPUID1_EDX_FXSR		(1u << 24)
#define CPUID1_EDX_SSE		(1u << 25)
#define CPUID1_EDX_SSE2		(1u << 26)
#define CPUID1_ECX_X2APIC	(1u << 21)
#define CPUID1_ECX_HYPERVISOR	(1u << 31)
#define CPUID7_EBX_SMEP		(1u << 7)
#define CPUID7_EBX_SMAP		(1u << 20)
#define CPUIDX_EDX_NX		(1u << 20)
#define CPUIDX_EDX_LM		(1u << 29)
#define CPUID_APM_EDX_INVTSC	(1u << 8)	/* CPUID.80000007 */

/* Control-register and flag bits. */
#define CR0_MP		(1ul << 1)
#define CR0_EM		(1ul << 2)
#define CR0_TS		(1ul << 3)
#define CR0_NE		(1ul << 5)
#define CR0_WP		(1ul << 16)
#define CR4_PGE		(1ul << 7)
#define CR4_OSFXSR	(1ul << 9)
#define CR4_OSXMMEXCPT	(1ul << 10)
#define CR4_SMEP	(1ul << 20)
#define CR4_SMAP	(1ul << 21)
#define EFER_SCE	(1ul << 0)
#define EFER_NXE	(1ul << 11)

/*
 * User FPU/SSE state (fxsave format).  The kernel never touches it (it is
 * built without SSE), so the scheduler saves the outgoing thread's state
 * and restores the incoming one's on every switch; fork copies it; execve
 * and a new thread start from fpu_init_state.
 */
struct savefpu {
	uint16_t sv_fcw, sv_fsw;
	uint8_t sv_ftw, sv_rsvd0;
	uint16_t sv_fop;
	uint64_t sv_rip, sv_rdp;
	uint32_t sv_mxcsr, sv_mxcsr_mask;
	uint8_t sv_regs[512 - 32];	/* st0-7, xmm0-15, reserved */
} __aligned(16);
void fpu_save(struct savefpu *sv);
void fpu_restore(const struct savefpu *sv);
void fpu_init_state(struct savefpu *sv);	/* as after execve */

/*
 * Self-test hook (ktests only): arm trap_expect(vector, jb) and the next
 * exception with that vector is recorded in trap_expected instead of being
 * handled; execution then resumes at the kt_setjmp that filled jb (which
 * returns 1), or, with jb NULL, just after a trapping instruction (int3).
 */
struct kjmpbuf {
	uint64_t rbx, rbp, r12, r13, r14, r15, rsp, rip;
};
int kt_setjmp(struct kjmpbuf *jb) __attribute__((returns_twice));
void kt_longjmp(struct kjmpbuf *jb, int v) __noreturn;

struct trap_record {
	int vector;		/* -1 until the exception arrives */
	uint64_t rip, err, cr2, cs, rax, rbx, rcx, r11, rflags;
	uint64_t regs[22];	/* the whole struct trapframe, as pushed */
};
extern volatile struct trap_record trap_expected;
void trap_expect(int vector, struct kjmpbuf *jb);
void trap_expect_clear(void);
/* Also complement rax..r15 (not rbp) in the frame before resuming. */
void trap_expect_invert(void);

#endif /* !_CPU_H_ */
