/*
 * cpu.c: identify the processor and switch on the protections it offers.
 *
 * CPUID is read once into cpu_features (vendor, family/model/stepping,
 * brand string, the raw feature words) for the boot log and /proc/cpuinfo.
 * Then the control registers are set for the rest of the kernel's life:
 *  - CR0.WP: ring 0 honours read-only pages (copy-on-write depends on it);
 *  - CR4.SMEP: ring 0 never executes a user page;
 *  - CR4.SMAP: ring 0 never reads or writes a user page except between
 *    stac and clac, i.e. inside copyin/copyout (cpu_smap_enabled tells the
 *    assembly whether those instructions exist);
 *  - CR4.OSFXSR/OSXMMEXCPT and CR0.MP/NE: user programs may use SSE (the
 *    kernel itself is built without it).  XSAVE/AVX stay off: CPUID then
 *    reports OSXSAVE clear and libc uses SSE only.
 * EFER.NXE was already set by boot.asm when the CPU has NX.
 */
#include <cpu.h>
#include <kernel.h>
#include <libkern.h>
#include <printf.h>
#include <x86.h>

struct cpu_features cpu_features;	/* written once at boot */
uint8_t cpu_smap_enabled;

static void
cpu_identify(struct cpu_features *cf)
{
	uint32_t a, b, c, d, *brand;

	cpuid(0, 0, &a, &b, &c, &d);
	cf->max_leaf = a;
	memcpy(cf->vendor + 0, &b, 4);
	memcpy(cf->vendor + 4, &d, 4);
	memcpy(cf->vendor + 8, &c, 4);
	cf->vendor[12] = '\0';

	cpuid(1, 0, &a, &b, &c, &d);
	cf->leaf1_ecx = c;
	cf->leaf1_edx = d;
	cf->stepping = a & 0xf;
	cf->family = (a >> 8) & 0xf;
	cf->model = (a >> 4) & 0xf;
	if (cf->family == 0xf)
		cf->family += (a >> 20) & 0xff;
	if (cf->family >= 6)
		cf->model |= ((a >> 16) & 0xf) << 4;
	cf->clflush_size = ((b >> 8) & 0xff) * 8;

	if (cf->max_leaf >= 7) {
		cpuid(7, 0, &a, &b, &c, &d);
		cf->leaf7_ebx = b;
		cf->leaf7_ecx = c;
		cf->leaf7_edx = d;
	}

	cpuid(0x80000000, 0, &a, &b, &c, &d);
	cf->max_ext_leaf = a;
	if (cf->max_ext_leaf >= 0x80000001) {
		cpuid(0x80000001, 0, &a, &b, &c, &d);
		cf->ext1_ecx = c;
		cf->ext1_edx = d;
	}
	if (cf->max_ext_leaf >= 0x80000004) {
		brand = (uint32_t *)cf->brand;
		for (uint32_t i = 0; i < 3; i++)
			cpuid(0x80000002 + i, 0, &brand[4 * i],
			    &brand[4 * i + 1], &brand[4 * i + 2],
			    &brand[4 * i + 3]);
		cf->brand[48] = '\0';
	}
	if (cf->max_ext_leaf >= 0x80000007) {
		cpuid(0x80000007, 0, &a, &b, &c, &d);
		cf->invariant_tsc = (d & CPUID_APM_EDX_INVTSC) != 0;
	}
	/* Trim the leading blanks some brand strings carry. */
	{
		size_t n = 0, len = strlen(cf->brand);

		while (cf->brand[n] == ' ')
			n++;
		memmove(cf->brand, cf->brand + n, len - n + 1);
	}

	cf->smep = (cf->leaf7_ebx & CPUID7_EBX_SMEP) != 0;
	cf->smap = (cf->leaf7_ebx & CPUID7_EBX_SMAP) != 0;
	cf->nx = (cf->ext1_edx & CPUIDX_EDX_NX) != 0;
	cf->pge = (cf->leaf1_edx & CPUID1_EDX_PGE) != 0;
	cf->apic = (cf->leaf1_edx & CPUID1_EDX_APIC) != 0;
	cf->tsc = (cf->leaf1_edx & CPUID1_EDX_TSC) != 0;
	cf->fxsr = (cf->leaf1_edx & CPUID1_EDX_FXSR) != 0;
}

static inline void
lcr0(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

void
cpu_features_init(void)
{
	struct cpu_features *cf = &cpu_features;
	uint64_t cr0, cr4;

	cpu_identify(cf);
	if (!cf->tsc)
		panic("this CPU has no time-stamp counter");
	if (!cf->fxsr || !(cf->leaf1_edx & CPUID1_EDX_SSE2))
		panic("this CPU has no SSE2 (every x86-64 CPU should)");

	cr0 = rcr0();
	cr0 |= CR0_WP | CR0_MP | CR0_NE;
	cr0 &= ~(CR0_EM | CR0_TS);
	lcr0(cr0);
	__asm__ volatile("fninit");

	cr4 = rcr4() | CR4_OSFXSR | CR4_OSXMMEXCPT;
	if (cf->smep)
		cr4 |= CR4_SMEP;
	if (cf->smap)
		cr4 |= CR4_SMAP;
	lcr4(cr4);
	if (cf->smap) {
		__asm__ volatile("clac" ::: "memory");
		cpu_smap_enabled = 1;
	}

	printk("cpu: %s \"%s\" family %u model %u stepping %u\n", cf->vendor,
	    cf->brand[0] != '\0' ? cf->brand : "unknown", cf->family,
	    cf->model, cf->stepping);
	printk("cpu: features:%s%s%s%s%s%s\n", cf->nx ? " nx" : "",
	    cf->smep ? " smep" : "", cf->smap ? " smap" : "",
	    cf->pge ? " pge" : "", cf->apic ? " apic" : "",
	    cf->invariant_tsc ? " invtsc" : "");
}

void
fpu_save(struct savefpu *sv)
{
	__asm__ volatile("fxsave64 %0" : "=m"(*sv));
}

void
fpu_restore(const struct savefpu *sv)
{
	__asm__ volatile("fxrstor64 %0" : : "m"(*sv));
}

/* The state Linux gives a new program: x87 control 0x37f, MXCSR 0x1f80. */
void
fpu_init_state(struct savefpu *sv)
{
	memset(sv, 0, sizeof(*sv));
	sv->sv_fcw = 0x037f;
	sv->sv_mxcsr = 0x1f80;
}

/* Wait for the next interrupt; sti's one-instruction delay makes the pair
 * atomic, so a wakeup between a check and the hlt is never missed. */
void
cpu_idle(void)
{
	__asm__ volatile("sti; hlt" ::: "memory");
}

/*
 * The "flags" line of /proc/cpuinfo: Linux's names for the CPUID bits
 * (arch/x86/include/asm/cpufeatures.h), in Linux's order.
 */
enum { W1_EDX, W1_ECX, WX_EDX, WX_ECX, W7_EBX, W7_ECX, W7_EDX };

static const struct {
	uint8_t word, bit;
	const char *name;
} cpu_flag_names[] = {
	{ W1_EDX, 0, "fpu" }, { W1_EDX, 1, "vme" }, { W1_EDX, 2, "de" },
	{ W1_EDX, 3, "pse" }, { W1_EDX, 4, "tsc" }, { W1_EDX, 5, "msr" },
	{ W1_EDX, 6, "pae" }, { W1_EDX, 7, "mce" }, { W1_EDX, 8, "cx8" },
	{ W1_EDX, 9, "apic" }, { W1_EDX, 11, "sep" }, { W1_EDX, 12, "mtrr" },
	{ W1_EDX, 13, "pge" }, { W1_EDX, 14, "mca" }, { W1_EDX, 15, "cmov" },
	{ W1_EDX, 16, "pat" }, { W1_EDX, 17, "pse36" },
	{ W1_EDX, 19, "clflush" }, { W1_EDX, 23, "mmx" },
	{ W1_EDX, 24, "fxsr" }, { W1_EDX, 25, "sse" }, { W1_EDX, 26, "sse2" },
	{ W1_EDX, 28, "ht" },
	{ WX_EDX, 11, "syscall" }, { WX_EDX, 20, "nx" },
	{ WX_EDX, 22, "mmxext" }, { WX_EDX, 25, "fxsr_opt" },
	{ WX_EDX, 26, "pdpe1gb" }, { WX_EDX, 27, "rdtscp" },
	{ WX_EDX, 29, "lm" },
	{ W1_ECX, 0, "pni" }, { W1_ECX, 1, "pclmulqdq" },
	{ W1_ECX, 3, "monitor" }, { W1_ECX, 9, "ssse3" },
	{ W1_ECX, 12, "fma" }, { W1_ECX, 13, "cx16" },
	{ W1_ECX, 19, "sse4_1" }, { W1_ECX, 20, "sse4_2" },
	{ W1_ECX, 21, "x2apic" }, { W1_ECX, 22, "movbe" },
	{ W1_ECX, 23, "popcnt" }, { W1_ECX, 25, "aes" },
	{ W1_ECX, 26, "xsave" }, { W1_ECX, 28, "avx" },
	{ W1_ECX, 29, "f16c" }, { W1_ECX, 30, "rdrand" },
	{ W1_ECX, 31, "hypervisor" },
	{ WX_ECX, 0, "lahf_lm" }, { WX_ECX, 5, "abm" },
	{ WX_ECX, 6, "sse4a" }, { WX_ECX, 8, "3dnowprefetch" },
	{ W7_EBX, 0, "fsgsbase" }, { W7_EBX, 3, "bmi1" },
	{ W7_EBX, 5, "avx2" }, { W7_EBX, 7, "smep" }, { W7_EBX, 8, "bmi2" },
	{ W7_EBX, 9, "erms" }, { W7_EBX, 10, "invpcid" },
	{ W7_EBX, 16, "avx512f" }, { W7_EBX, 18, "rdseed" },
	{ W7_EBX, 19, "adx" }, { W7_EBX, 20, "smap" },
	{ W7_EBX, 23, "clflushopt" }, { W7_EBX, 24, "clwb" },
	{ W7_EBX, 29, "sha_ni" },
	{ W7_ECX, 2, "umip" }, { W7_ECX, 22, "rdpid" },
};

/* Writes the space-separated flags into buf; returns the full length. */
size_t
cpu_flags_string(char *buf, size_t len)
{
	const struct cpu_features *cf = &cpu_features;
	const uint32_t words[] = { cf->leaf1_edx, cf->leaf1_ecx,
		cf->ext1_edx, cf->ext1_ecx, cf->leaf7_ebx, cf->leaf7_ecx,
		cf->leaf7_edx };
	size_t n = 0;

	if (len > 0)
		buf[0] = '\0';
	for (size_t i = 0; i < nitems(cpu_flag_names); i++) {
		if (!(words[cpu_flag_names[i].word] &
		    (1u << cpu_flag_names[i].bit)))
			continue;
		n += snprintf(buf + MIN(n, len), len - MIN(n, len), "%s%s",
		    n > 0 ? " " : "", cpu_flag_names[i].name);
	}
	return (n);
}
