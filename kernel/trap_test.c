/*
 * trap_test.c: self tests of the descriptor tables, trap entry and exit,
 * and the user/kernel boundary.
 *
 * Each test arms trap_expect() for one vector, raises that exception on
 * purpose and checks what trap() recorded: vector, rip, error code, CR2,
 * registers.  A broken IDT, stub or frame layout either panics (failing
 * the run) or records the wrong values.  The user-mode tests map one code
 * and one stack page at UTEST_VA in the current page tables, enter ring 3
 * through trap_return, and come back through a user-mode exception.
 */
#include <clock.h>
#include <cpu.h>
#include <kernel.h>
#include <ktest.h>
#include <libkern.h>
#include <trap.h>
#include <uapi/errno.h>
#include <vm_param.h>
#include <x86.h>

#define UNMAPPED_KVA	0xfffffffe00000000UL	/* no PDPT entry */

KTEST(gdt_selectors_loaded)
{
	uint16_t cs, ss;

	/* (DS and ES are not checked: iretq to ring 3 nulls them, and
	 * long mode never uses them.) */
	__asm__ volatile("mov %%cs, %0; mov %%ss, %1" : "=r"(cs), "=r"(ss));
	KT_EQ(rtr(), GSEL_TSS);
	KT_EQ(cs, GSEL_KCODE);
	KT_EQ(ss, GSEL_KDATA);
}

KTEST(trap_frame_layout)
{
	/* The assembly hard-codes these offsets. */
	KT_EQ(offsetof(struct trapframe, tf_rax), 48);
	KT_EQ(offsetof(struct trapframe, tf_trapno), 120);
	KT_EQ(offsetof(struct trapframe, tf_rip), 136);
	KT_EQ(offsetof(struct trapframe, tf_cs), 144);
	KT_EQ(offsetof(struct trapframe, tf_rsp), 160);
	KT_EQ(sizeof(struct trapframe), 176);
}

/*
 * int3 traps after the instruction: resume there with every register as
 * it was.  The registers are loaded from kt_regs_in (index: rax rbx rcx
 * rdx rsi rdi r8 .. r15, rbp and rsp excluded) and stored to kt_regs_out.
 */
uint64_t kt_regs_in[14], kt_regs_out[14], kt_int3_after;
static const int kt_tf_index[14] = {
#define TFI(r) (offsetof(struct trapframe, tf_##r) / 8)
	TFI(rax), TFI(rbx), TFI(rcx), TFI(rdx), TFI(rsi), TFI(rdi), TFI(r8),
	TFI(r9), TFI(r10), TFI(r11), TFI(r12), TFI(r13), TFI(r14), TFI(r15),
#undef TFI
};

KTEST(trap_int3_resumes)
{
	for (int i = 0; i < 14; i++)
		kt_regs_in[i] = 0x0101010101010101UL * (i + 1) + i;
	memset(kt_regs_out, 0, sizeof(kt_regs_out));
	trap_expect(T_BPT, NULL);
	trap_expect_invert();
	__asm__ volatile(
	    "movq kt_regs_in+8(%%rip), %%rbx\n\t"
	    "movq kt_regs_in+16(%%rip), %%rcx\n\t"
	    "movq kt_regs_in+24(%%rip), %%rdx\n\t"
	    "movq kt_regs_in+32(%%rip), %%rsi\n\t"
	    "movq kt_regs_in+40(%%rip), %%rdi\n\t"
	    "movq kt_regs_in+48(%%rip), %%r8\n\t"
	    "movq kt_regs_in+56(%%rip), %%r9\n\t"
	    "movq kt_regs_in+64(%%rip), %%r10\n\t"
	    "movq kt_regs_in+72(%%rip), %%r11\n\t"
	    "movq kt_regs_in+80(%%rip), %%r12\n\t"
	    "movq kt_regs_in+88(%%rip), %%r13\n\t"
	    "movq kt_regs_in+96(%%rip), %%r14\n\t"
	    "movq kt_regs_in+104(%%rip), %%r15\n\t"
	    "movq kt_regs_in(%%rip), %%rax\n\t"
	    "int3\n"
	    "1:\tmovq %%rax, kt_regs_out(%%rip)\n\t"
	    "movq %%rbx, kt_regs_out+8(%%rip)\n\t"
	    "movq %%rcx, kt_regs_out+16(%%rip)\n\t"
	    "movq %%rdx, kt_regs_out+24(%%rip)\n\t"
	    "movq %%rsi, kt_regs_out+32(%%rip)\n\t"
	    "movq %%rdi, kt_regs_out+40(%%rip)\n\t"
	    "movq %%r8, kt_regs_out+48(%%rip)\n\t"
	    "movq %%r9, kt_regs_out+56(%%rip)\n\t"
	    "movq %%r10, kt_regs_out+64(%%rip)\n\t"
	    "movq %%r11, kt_regs_out+72(%%rip)\n\t"
	    "movq %%r12, kt_regs_out+80(%%rip)\n\t"
	    "movq %%r13, kt_regs_out+88(%%rip)\n\t"
	    "movq %%r14, kt_regs_out+96(%%rip)\n\t"
	    "movq %%r15, kt_regs_out+104(%%rip)\n\t"
	    "leaq 1b(%%rip), %%rax\n\t"
	    "movq %%rax, kt_int3_after(%%rip)"
	    :
	    :
	    : "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10",
	    "r11", "r12", "r13", "r14", "r15", "memory");
	trap_expect_clear();
	KT_EQ(trap_expected.vector, T_BPT);
	KT_EQ(trap_expected.rip, kt_int3_after);
	KT_EQ(trap_expected.cs, GSEL_KCODE);
	/* The frame held the registers at the trap, in trapframe order ... */
	KT_EQ(trap_expected.rax, kt_regs_in[0]);
	KT_EQ(trap_expected.rbx, kt_regs_in[1]);
	KT_EQ(trap_expected.rcx, kt_regs_in[2]);
	KT_EQ(trap_expected.r11, kt_regs_in[9]);
	for (int i = 0; i < 14; i++)
		KT_EQ(trap_expected.regs[kt_tf_index[i]], kt_regs_in[i]);
	/* ... and doreti loaded every one from the (complemented) frame. */
	for (int i = 0; i < 14; i++)
		KT_EQ(kt_regs_out[i], ~kt_regs_in[i]);
	KT_ASSERT(read_rflags() & PSL_I);
}

KTEST(trap_ud2_recorded)
{
	struct kjmpbuf jb;
	volatile uint64_t at = 0;

	if (kt_setjmp(&jb) == 0) {
		trap_expect(T_PRIVINFLT, &jb);
		__asm__ volatile("leaq 1f(%%rip), %%rax\n\t"
				 "movq %%rax, %0\n"
				 "1:\tud2"
				 : "=m"(at)
				 :
				 : "rax", "memory");
		trap_expect_clear();
		KT_ASSERT(!"ud2 did not trap");
	}
	KT_EQ(trap_expected.vector, T_PRIVINFLT);
	KT_EQ(trap_expected.rip, at);
	KT_EQ(trap_expected.err, 0);
}

KTEST(trap_divide_error_recorded)
{
	struct kjmpbuf jb;
	volatile uint64_t at = 0;

	if (kt_setjmp(&jb) == 0) {
		trap_expect(T_DIVIDE, &jb);
		__asm__ volatile("leaq 1f(%%rip), %%rax\n\t"
				 "movq %%rax, %0\n\t"
				 "movl $1, %%eax\n\t"
				 "xorl %%edx, %%edx\n\t"
				 "xorl %%ecx, %%ecx\n"
				 "1:\tdivl %%ecx"
				 : "=m"(at)
				 :
				 : "rax", "rcx", "rdx", "memory");
		trap_expect_clear();
		KT_ASSERT(!"div by zero did not trap");
	}
	KT_EQ(trap_expected.vector, T_DIVIDE);
	KT_EQ(trap_expected.rip, at);
}

static int
pf_kernel(bool write, uint64_t va, uint64_t *rip)
{
	struct kjmpbuf jb;
	volatile uint64_t at = 0;

	if (kt_setjmp(&jb) == 0) {
		trap_expect(T_PAGEFLT, &jb);
		if (write)
			__asm__ volatile("leaq 1f(%%rip), %%rax\n\t"
					 "movq %%rax, %0\n"
					 "1:\tmovq %%rax, (%1)"
					 : "=m"(at)
					 : "r"(va)
					 : "rax", "memory");
		else
			__asm__ volatile("leaq 1f(%%rip), %%rax\n\t"
					 "movq %%rax, %0\n"
					 "1:\tmovq (%1), %%rax"
					 : "=m"(at)
					 : "r"(va)
					 : "rax", "memory");
		trap_expect_clear();
		return (-1);
	}
	*rip = at;
	return (0);
}

KTEST(trap_page_fault_kernel_read)
{
	uint64_t rip = 0;

	KT_EQ(pf_kernel(false, UNMAPPED_KVA + 0x123, &rip), 0);
	KT_EQ(trap_expected.vector, T_PAGEFLT);
	KT_EQ(trap_expected.cr2, UNMAPPED_KVA + 0x123);
	KT_EQ(trap_expected.err, 0);	/* supervisor read, not present */
	KT_EQ(trap_expected.rip, rip);
}

KTEST(trap_page_fault_kernel_write)
{
	uint64_t rip = 0;

	KT_EQ(pf_kernel(true, UNMAPPED_KVA + 0x1008, &rip), 0);
	KT_EQ(trap_expected.vector, T_PAGEFLT);
	KT_EQ(trap_expected.cr2, UNMAPPED_KVA + 0x1008);
	KT_EQ(trap_expected.err, PGEX_W);
	KT_EQ(trap_expected.rip, rip);
}

KTEST(trap_names)
{
	KT_ASSERT(strcmp(trap_name(T_PAGEFLT), "Page fault") == 0);
	KT_ASSERT(strcmp(trap_name(T_PROTFLT), "General protection") == 0);
	KT_ASSERT(strcmp(trap_name(T_PRIVINFLT), "Invalid opcode") == 0);
	KT_ASSERT(strcmp(syscall_name(0), "read") == 0);
	KT_ASSERT(strcmp(syscall_name(231), "exit_group") == 0);
	KT_ASSERT(syscall_name(29) == NULL);
	KT_ASSERT(syscall_name(100000) == NULL);
}

/*
 * User mode.  One 4 KiB page table maps a code page and a stack page at
 * UTEST_VA through PML4 slot 1 of the running page tables.
 */
#define UTEST_VA	0x0000008000000000UL	/* PML4 index 1 */
#define PG_P		0x001UL
#define PG_RW		0x002UL
#define PG_U		0x004UL
#define PG_NX		(1UL << 63)

static uint64_t ut_pdpt[512] __aligned(PAGE_SIZE);
static uint64_t ut_pd[512] __aligned(PAGE_SIZE);
static uint64_t ut_pt[512] __aligned(PAGE_SIZE);
static uint8_t ut_code[PAGE_SIZE] __aligned(PAGE_SIZE);
static uint8_t ut_stack[PAGE_SIZE] __aligned(PAGE_SIZE);
static uint8_t ut_kstack[16384] __aligned(16);
static struct trapframe ut_tf;

static bool
utest_map(void)
{
	uint64_t *pml4 = PHYS_TO_DMAP(rcr3() & ~PAGE_MASK);
	uint64_t nx = cpu_features.nx ? PG_NX : 0;

	if (pml4[1] != 0)
		return (false);
	ut_pdpt[0] = KVA_TO_PHYS(ut_pd) | PG_P | PG_RW | PG_U;
	ut_pd[0] = KVA_TO_PHYS(ut_pt) | PG_P | PG_RW | PG_U;
	ut_pt[0] = KVA_TO_PHYS(ut_code) | PG_P | PG_U;
	ut_pt[1] = KVA_TO_PHYS(ut_stack) | PG_P | PG_RW | PG_U | nx;
	pml4[1] = KVA_TO_PHYS(ut_pdpt) | PG_P | PG_RW | PG_U;
	lcr3(rcr3());
	return (true);
}

static void
utest_unmap(void)
{
	uint64_t *pml4 = PHYS_TO_DMAP(rcr3() & ~PAGE_MASK);

	pml4[1] = 0;
	lcr3(rcr3());
}

/*
 * Run `code` in ring 3 until it raises `vector` (recorded in
 * trap_expected); returns 0, or -1 if it came back some other way.
 */
static int
utest_run(const uint8_t *code, size_t len, int vector)
{
	struct kjmpbuf jb;
	uint64_t saved_kstack = syscall_kstack_top;
	uint64_t kstack = (uint64_t)ut_kstack + sizeof(ut_kstack);

	memset(ut_code, 0xcc, sizeof(ut_code));		/* int3 */
	memcpy(ut_code, code, len);
	if (kt_setjmp(&jb) == 0) {
		memset(&ut_tf, 0, sizeof(ut_tf));
		ut_tf.tf_rip = UTEST_VA;
		ut_tf.tf_cs = GSEL_UCODE;
		ut_tf.tf_rflags = PSL_I | 0x2;
		ut_tf.tf_rsp = UTEST_VA + 2 * PAGE_SIZE - 64;
		ut_tf.tf_ss = GSEL_UDATA;
		tss_set_rsp0(kstack);
		syscall_kstack_top = kstack;
		trap_expect(vector, &jb);
		trap_return(&ut_tf);
	}
	syscall_kstack_top = saved_kstack;
	tss_set_rsp0(saved_kstack);
	return (trap_expected.vector == vector ? 0 : -1);
}

/* syscall from ring 3 (an unassigned number), sysret, then int3. */
KTEST(user_syscall_sysret_roundtrip)
{
	static const uint8_t code[] = {
		0xb8, 0xe7, 0x03, 0x00, 0x00,	/* mov $999, %eax */
		0x0f, 0x05,			/* syscall */
		0x48, 0x89, 0xc3,		/* mov %rax, %rbx */
		0xcc,				/* int3 */
	};

	KT_ASSERT(utest_map());
	KT_EQ(utest_run(code, sizeof(code), T_BPT), 0);
	utest_unmap();
	KT_EQ(trap_expected.cs, GSEL_UCODE);
	KT_EQ(trap_expected.rip, UTEST_VA + 11);	/* after the int3 */
	KT_EQ(trap_expected.rbx, (uint64_t)-ENOSYS);
	/* sysret: rcx = the instruction after syscall, r11 = rflags. */
	KT_EQ(trap_expected.rcx, UTEST_VA + 7);
	KT_ASSERT(trap_expected.r11 & PSL_I);
	KT_ASSERT(trap_expected.rflags & PSL_I);
}

/* A user page fault reaches trap() with PGEX_U and the right CR2. */
KTEST(user_page_fault_recorded)
{
	static const uint8_t code[] = {
		/* movabs 0x100000001000, %rax */
		0x48, 0xa1, 0x00, 0x10, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00,
	};

	KT_ASSERT(utest_map());
	KT_EQ(utest_run(code, sizeof(code), T_PAGEFLT), 0);
	utest_unmap();
	KT_EQ(trap_expected.cs, GSEL_UCODE);
	KT_EQ(trap_expected.rip, UTEST_VA);
	KT_EQ(trap_expected.cr2, 0x100000001000UL);
	KT_EQ(trap_expected.err, PGEX_U);
}

/* SMEP and SMAP: ring 0 may neither run nor touch a user page. */
KTEST(smep_smap_enforced)
{
	struct kjmpbuf jb;
	uint64_t v = 0;

	if (!cpu_features.smep && !cpu_features.smap) {
		printk("ktest:   (no SMEP/SMAP on this CPU)\n");
		KT_ASSERT((rcr4() & (CR4_SMEP | CR4_SMAP)) == 0);
		return;
	}
	KT_ASSERT(utest_map());
	ut_code[0] = 0xc3;	/* ret */
	if (cpu_features.smep) {
		KT_ASSERT(rcr4() & CR4_SMEP);
		if (kt_setjmp(&jb) == 0) {
			trap_expect(T_PAGEFLT, &jb);
			((void (*)(void))UTEST_VA)();
			trap_expect_clear();
		}
		KT_EQ(trap_expected.vector, T_PAGEFLT);
		KT_EQ(trap_expected.cr2, UTEST_VA);
		KT_EQ(trap_expected.err, PGEX_P | PGEX_I);
	}
	if (cpu_features.smap) {
		KT_ASSERT(rcr4() & CR4_SMAP);
		if (kt_setjmp(&jb) == 0) {
			trap_expect(T_PAGEFLT, &jb);
			v = *(volatile uint64_t *)(UTEST_VA + PAGE_SIZE);
			trap_expect_clear();
		}
		KT_EQ(trap_expected.vector, T_PAGEFLT);
		KT_EQ(trap_expected.cr2, UTEST_VA + PAGE_SIZE);
		KT_EQ(trap_expected.err, PGEX_P);
	}
	/* copyin, though, may (stac/clac). */
	ut_stack[8] = 0x5a;
	KT_EQ(copyin((void *)(UTEST_VA + PAGE_SIZE + 8), &v, 1), 0);
	KT_EQ(v & 0xff, 0x5a);
	utest_unmap();
}

/* fxsave/fxrstor round trip through MXCSR. */
KTEST(fpu_save_restore)
{
	static struct savefpu a, b;
	uint32_t mxcsr = 0;

	_Static_assert(sizeof(struct savefpu) == 512, "fxsave area");
	fpu_init_state(&a);
	fpu_restore(&a);
	__asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
	KT_EQ(mxcsr, 0x1f80);
	mxcsr = 0x1f00;		/* unmask the exceptions */
	__asm__ volatile("ldmxcsr %0" : : "m"(mxcsr));
	fpu_save(&b);
	KT_EQ(b.sv_mxcsr, 0x1f00);
	KT_EQ(b.sv_fcw, 0x037f);
	fpu_restore(&a);
	__asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
	KT_EQ(mxcsr, 0x1f80);
}

/* CR4.OSFXSR: a program may use SSE (musl and glibc do). */
KTEST(user_sse_allowed)
{
	static const uint8_t code[] = {
		0x0f, 0x57, 0xc0,		/* xorps %xmm0, %xmm0 */
		0xcc,				/* int3 */
	};

	KT_ASSERT(utest_map());
	KT_EQ(utest_run(code, sizeof(code), T_BPT), 0);
	utest_unmap();
	KT_EQ(trap_expected.rip, UTEST_VA + 4);
}

int syscall_can_sysret(const struct trapframe *tf);

/* Which frames may leave through sysretq, and dispatch of unknown calls. */
KTEST(syscall_exit_path_and_enosys)
{
	struct trapframe tf;

	memset(&tf, 0, sizeof(tf));
	tf.tf_rip = tf.tf_rcx = 0x401000;
	tf.tf_rflags = tf.tf_r11 = PSL_I | 0x2;
	tf.tf_cs = GSEL_UCODE;
	tf.tf_ss = GSEL_UDATA;
	KT_EQ(syscall_can_sysret(&tf), 1);
	tf.tf_rcx = 0x401002;			/* a signal changed rip */
	KT_EQ(syscall_can_sysret(&tf), 0);
	tf.tf_rip = tf.tf_rcx = 0x800000000000UL;	/* non-canonical */
	KT_EQ(syscall_can_sysret(&tf), 0);
	tf.tf_rip = tf.tf_rcx = 0x7ffffffff000UL;	/* last user page */
	KT_EQ(syscall_can_sysret(&tf), 0);
	tf.tf_rip = tf.tf_rcx = 0x401000;
	tf.tf_rflags = tf.tf_r11 = PSL_I | PSL_T | 0x2;	/* single-step */
	KT_EQ(syscall_can_sysret(&tf), 0);
	tf.tf_rflags = tf.tf_r11 = PSL_I | 0x2;
	tf.tf_r11 = 0;				/* sigreturn set r11 */
	KT_EQ(syscall_can_sysret(&tf), 0);

	/* Unknown numbers answer -ENOSYS and leave rip alone. */
	tf.tf_r11 = tf.tf_rflags;
	tf.tf_rax = 999;
	syscall(&tf);
	KT_EQ(tf.tf_rax, (uint64_t)-ENOSYS);
	tf.tf_rax = 100000;
	syscall(&tf);
	KT_EQ(tf.tf_rax, (uint64_t)-ENOSYS);
	tf.tf_rax = (uint64_t)-1;
	syscall(&tf);
	KT_EQ(tf.tf_rax, (uint64_t)-ENOSYS);
	KT_EQ(tf.tf_rip, 0x401000);
}

static bool
strstr_simple(const char *s, const char *w)
{
	size_t n = strlen(w);

	for (; *s != '\0'; s++)
		if (strncmp(s, w, n) == 0)
			return (true);
	return (false);
}

KTEST(cpu_features_identified)
{
	char flags[512];
	size_t n;

	KT_ASSERT(cpu_features.vendor[0] != '\0');
	KT_EQ(strlen(cpu_features.vendor), 12);
	KT_ASSERT(cpu_features.family >= 6);
	KT_ASSERT(cpu_features.tsc && cpu_features.fxsr);
	KT_EQ(cpu_features.smep, (rcr4() & CR4_SMEP) != 0);
	KT_EQ(cpu_features.smap, (rcr4() & CR4_SMAP) != 0);
	KT_ASSERT(rcr4() & CR4_OSFXSR);
	KT_ASSERT(rcr0() & CR0_WP);
	n = cpu_flags_string(flags, sizeof(flags));
	KT_EQ(n, strlen(flags));
	KT_ASSERT(strncmp(flags, "fpu ", 4) == 0);
	KT_ASSERT(strstr_simple(flags, " sse2 "));
	KT_ASSERT(strstr_simple(flags, " lm "));
	KT_EQ(strstr_simple(flags, " smap") != 0, cpu_features.smap);
	/* A short buffer is truncated but the full length is returned. */
	KT_EQ(cpu_flags_string(flags, 8), n);
	KT_EQ(strlen(flags), 7);
}

/* No way out of 64-bit mode or into the kernel by `int`: both are #GP. */
KTEST(user_compat_mode_and_int80_refused)
{
	/* (A far jump through memory: QEMU's TCG reads the stack of a far
	 * return as a supervisor access, which SMAP refuses.) */
	static const uint8_t farjump[] = {
		/* lea 1f(%rip), %rax */
		0x48, 0x8d, 0x05, 0x03, 0x00, 0x00, 0x00,
		0x48, 0xff, 0x28,		/* rex.W ljmp *(%rax) */
		0, 0, 0, 0, 0x80, 0, 0, 0,	/* 1: offset UTEST_VA */
		0x1b, 0x00,			/* selector GSEL_UCODE32|3 */
	};
	static const uint8_t int80[] = {
		0xcd, 0x80,			/* int $0x80 */
		0xcc,
	};

	KT_ASSERT(utest_map());
	KT_EQ(utest_run(farjump, sizeof(farjump), T_PROTFLT), 0);
	KT_EQ(trap_expected.cs, GSEL_UCODE);
	KT_EQ(trap_expected.rip, UTEST_VA + 7);	/* the ljmp */
	KT_EQ(trap_expected.err, GSEL_UCODE32 & ~3);
	KT_EQ(utest_run(int80, sizeof(int80), T_PROTFLT), 0);
	utest_unmap();
	KT_EQ(trap_expected.rip, UTEST_VA);
	/* Error code: IDT entry 0x80 (bit 1: IDT).  The SDM says index << 3;
	 * QEMU's TCG scales by the 16-byte gate size instead. */
	KT_EQ(trap_expected.err & 3, 2);
	KT_ASSERT(trap_expected.err == ((0x80 << 3) | 2) ||
	    trap_expected.err == ((0x80 << 4) | 2));
}

/*
 * An iretq with a bad user frame (here: the empty 32-bit code selector)
 * faults in ring 0, inside doreti; trap() must turn it into the user's #GP
 * at that rip, not a kernel panic.  (A non-canonical rip would be the
 * classic case, but QEMU's TCG lets that iretq through and faults on the
 * fetch in user mode instead.)
 */
KTEST(user_bad_iret_frame_is_a_user_fault)
{
	struct kjmpbuf jb;
	uint64_t saved_kstack = syscall_kstack_top;
	uint64_t kstack = (uint64_t)ut_kstack + sizeof(ut_kstack);

	if (kt_setjmp(&jb) == 0) {
		memset(&ut_tf, 0, sizeof(ut_tf));
		ut_tf.tf_rip = 0x401000;
		ut_tf.tf_cs = GSEL_UCODE32 | 3;
		ut_tf.tf_rflags = PSL_I | 0x2;
		ut_tf.tf_rsp = 0x1000;
		ut_tf.tf_ss = GSEL_UDATA;
		ut_tf.tf_rbx = 0x5151;
		tss_set_rsp0(kstack);
		syscall_kstack_top = kstack;
		trap_expect(T_PROTFLT, &jb);
		trap_return(&ut_tf);
	}
	syscall_kstack_top = saved_kstack;
	tss_set_rsp0(saved_kstack);
	KT_EQ(trap_expected.vector, T_PROTFLT);
	KT_EQ(trap_expected.cs, GSEL_UCODE32 | 3);	/* the user's frame */
	KT_EQ(trap_expected.rip, 0x401000);
	KT_EQ(trap_expected.err, GSEL_UCODE32);
	KT_EQ(trap_expected.rbx, 0x5151);
}
