/*
 * procfs.c: host unit tests for fs/procfs/procfs_fmt.c (the text of the
 * /proc files) and the load-average arithmetic of kernel/kern_sysstat.c.
 *
 * Each test formats chosen numbers and checks the result against the
 * layout proc(5) documents (and Linux prints): exact lines where the
 * layout is fixed, field counts and positions where programs split on
 * white space (ps reads field 24 of /proc/PID/stat as rss, top reads
 * field 14 as utime), units (kB vs pages vs bytes), column alignment in
 * maps and limits.  Distinct values in every field make a swap visible.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../fs/procfs/procfs_fmt.h"
#include <sysstat.h>

static char buf[65536];
static struct pfs_buf pb;

static void
reset(void)
{
	memset(buf, 0x7e, sizeof(buf));
	pb_init(&pb, buf, sizeof(buf) - 1);
}

static const char *
text(void)
{
	assert_false(pb.pb_full);
	buf[pb.pb_len] = '\0';
	return (buf);
}

/* The line that starts with prefix, without its newline. */
static const char *
line_of(const char *s, const char *prefix)
{
	static char l[1024];
	const char *p = s;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, prefix, strlen(prefix)) == 0) {
			size_t n = strcspn(p, "\n");
			memcpy(l, p, n);
			l[n] = '\0';
			return (l);
		}
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	return (NULL);
}

static int
count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return (n);
}

/* Split on blanks into fields (at most max); returns the count. */
static int
split(const char *s, char f[][64], int max)
{
	int n = 0;

	while (*s != '\0' && *s != '\n') {
		while (*s == ' ')
			s++;
		if (*s == '\0' || *s == '\n')
			break;
		size_t k = strcspn(s, " \n");
		if (n < max) {
			memcpy(f[n], s, k < 63 ? k : 63);
			f[n][k < 63 ? k : 63] = '\0';
		}
		n++;
		s += k;
	}
	return (n);
}

static void
test_pb_overflow(void **state)
{
	char small[16];

	memset(small, 'x', sizeof(small));
	pb_init(&pb, small, 8);
	pb_printf(&pb, "%s", "0123456789");
	assert_true(pb.pb_full);
	assert_int_equal(pb.pb_len, 0);
	assert_int_equal(small[8], 'x');	/* nothing past the capacity */
	pb_init(&pb, small, 8);
	pb_printf(&pb, "abc");
	pb_write(&pb, "defghi", 6);
	assert_true(pb.pb_full);
	assert_int_equal(pb.pb_len, 3);
	pb_init(&pb, small, 8);
	pb_printf(&pb, "ab");
	pb_pad(&pb, 6);
	assert_int_equal(pb.pb_len, 6);
	assert_memory_equal(small, "ab    ", 6);
}

static void
test_meminfo(void **state)
{
	struct pfs_meminfo mi = { .total = 253104, .free = 245548,
		.available = 245000, .buffers = 1, .cached = 2,
		.anonpages = 1964, .slab = 321, .sunreclaim = 320,
		.sreclaimable = 1, .kernelstack = 96, .commitlimit = 126552,
		.committed_as = 10296, .vmalloctotal = 34359738367UL,
		.mlocked = 7, .swaptotal = 0, .swapfree = 0, .dirty = 3,
		.writeback = 4, .mapped = 5, .shmem = 6, .pagetables = 8,
		.swapcached = 9, .active = 10, .inactive = 11 };
	static const char *const order[] = { "MemTotal", "MemFree",
		"MemAvailable", "Buffers", "Cached", "SwapCached", "Active",
		"Inactive", "Active(anon)", "Inactive(anon)", "Active(file)",
		"Inactive(file)", "Unevictable", "Mlocked", "SwapTotal",
		"SwapFree", "Dirty", "Writeback", "AnonPages", "Mapped",
		"Shmem", "KReclaimable", "Slab", "SReclaimable", "SUnreclaim",
		"KernelStack", "PageTables" };
	const char *s, *p;

	reset();
	pfs_fmt_meminfo(&pb, &mi);
	s = text();
	/* Linux's exact layout: name and colon in 16 columns, %8lu kB. */
	assert_string_equal(line_of(s, "MemTotal:"),
	    "MemTotal:         253104 kB");
	assert_string_equal(line_of(s, "MemFree:"),
	    "MemFree:          245548 kB");
	assert_string_equal(line_of(s, "MemAvailable:"),
	    "MemAvailable:     245000 kB");
	assert_string_equal(line_of(s, "Inactive(anon):"),
	    "Inactive(anon):        0 kB");
	assert_string_equal(line_of(s, "VmallocTotal:"),
	    "VmallocTotal:   34359738367 kB");
	assert_string_equal(line_of(s, "Committed_AS:"),
	    "Committed_AS:      10296 kB");
	assert_string_equal(line_of(s, "HugePages_Total:"),
	    "HugePages_Total:       0");
	assert_string_equal(line_of(s, "Mlocked:"),
	    "Mlocked:               7 kB");
	assert_string_equal(line_of(s, "Slab:"),
	    "Slab:                321 kB");
	/* The order of the first lines is Linux's. */
	p = s;
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		char want[32];

		snprintf(want, sizeof(want), "%s:", order[i]);
		assert_true(strncmp(p, want, strlen(want)) == 0);
		p = strchr(p, '\n') + 1;
	}
	/* Every line is "Name: number[ kB]". */
	for (p = s; *p; p = strchr(p, '\n') + 1) {
		char name[64];
		unsigned long v;
		int n = sscanf(p, "%63[^:]: %lu", name, &v);

		assert_int_equal(n, 2);
	}
	assert_int_equal(count_lines(s), 44);
}

static void
test_stat(void **state)
{
	struct pfs_stat st = { .cp_time = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 },
		.ncpu = 1, .intr = 777, .ctxt = 888, .btime = 1795305185,
		.processes = 42, .procs_running = 2, .procs_blocked = 1 };
	const char *s;
	char f[16][64];

	reset();
	pfs_fmt_stat(&pb, &st);
	s = text();
	/* "cpu" then two spaces: ten columns in USER_HZ ticks. */
	assert_true(strncmp(s, "cpu  1 2 3 4 5 6 7 8 9 10\n"
	    "cpu0 1 2 3 4 5 6 7 8 9 10\n", 52) == 0);
	assert_int_equal(split(line_of(s, "cpu "), f, 16), 11);
	assert_int_equal(split(line_of(s, "cpu0"), f, 16), 11);
	assert_null(line_of(s, "cpu1"));
	assert_string_equal(line_of(s, "intr"), "intr 777");
	assert_string_equal(line_of(s, "ctxt"), "ctxt 888");
	assert_string_equal(line_of(s, "btime"), "btime 1795305185");
	assert_string_equal(line_of(s, "processes"), "processes 42");
	assert_string_equal(line_of(s, "procs_running"), "procs_running 2");
	assert_string_equal(line_of(s, "procs_blocked"), "procs_blocked 1");
}

static void
test_loadavg(void **state)
{
	uint64_t avg[3] = { 0, FIXED_1, FIXED_1 * 3 / 2 };
	uint64_t near[3] = { FIXED_1 - 1, FIXED_1 * 2 + FIXED_1 / 4, 10 };

	reset();
	pfs_fmt_loadavg(&pb, avg, 2, 10, 42);
	assert_string_equal(text(), "0.00 1.00 1.50 2/10 42\n");
	reset();
	pfs_fmt_loadavg(&pb, near, 1, 5, 7);
	/* Linux rounds to the nearest hundredth (FIXED_1/200 added). */
	assert_string_equal(text(), "1.00 2.25 0.00 1/5 7\n");
}

static void
test_calc_load(void **state)
{
	uint64_t l = 0;

	/* One runnable thread for 5 s from idle: Linux gives 0.08. */
	l = calc_load(0, 1884, FIXED_1);
	assert_int_equal(l, 164);	/* 0.08 */
	/* Steady one runnable for an hour: the 1-minute load reaches 1.00. */
	for (int i = 0; i < 720; i++)
		l = calc_load(l, 1884, FIXED_1);
	assert_int_equal(l, FIXED_1);
	/* Idle again: it decays and reaches 0. */
	for (int i = 0; i < 720; i++)
		l = calc_load(l, 1884, 0);
	assert_int_equal(l, 0);
}

static void
test_uptime(void **state)
{
	reset();
	pfs_fmt_uptime(&pb, 123456789012ULL, 5009999999ULL);
	assert_string_equal(text(), "123.45 5.00\n");
	reset();
	pfs_fmt_uptime(&pb, 0, 0);
	assert_string_equal(text(), "0.00 0.00\n");
}

static void
test_cpuinfo(void **state)
{
	struct pfs_cpuinfo ci = { .vendor = "GenuineIntel",
		.model_name = "Intel(R) Xeon(R) CPU", .flags = "fpu vme de",
		.family = 6, .model = 85, .stepping = 7, .cpuid_level = 13,
		.khz = 2095078, .cache_kb = 16384, .clflush = 64,
		.phys_bits = 40, .virt_bits = 48, .fpu = true };
	const char *s;

	reset();
	pfs_fmt_cpuinfo(&pb, &ci);
	s = text();
	assert_true(strncmp(s, "processor\t: 0\nvendor_id\t: GenuineIntel\n"
	    "cpu family\t: 6\nmodel\t\t: 85\n"
	    "model name\t: Intel(R) Xeon(R) CPU\nstepping\t: 7\n", 105) == 0);
	assert_string_equal(line_of(s, "cpu MHz"), "cpu MHz\t\t: 2095.078");
	assert_string_equal(line_of(s, "cache size"),
	    "cache size\t: 16384 KB");
	assert_string_equal(line_of(s, "flags"), "flags\t\t: fpu vme de");
	assert_string_equal(line_of(s, "bogomips"), "bogomips\t: 4190.15");
	assert_string_equal(line_of(s, "address sizes"),
	    "address sizes\t: 40 bits physical, 48 bits virtual");
	assert_string_equal(line_of(s, "fpu\t"), "fpu\t\t: yes");
	/* A blank line ends the processor's block. */
	assert_true(strcmp(s + strlen(s) - 2, "\n\n") == 0);
}

static struct pfs_proc
sample_proc(void)
{
	struct pfs_proc p = { .pid = 1234, .tid = 1234, .ppid = 99,
		.pgrp = 1230, .sid = 1200, .tty_nr = 0x501, .tpgid = 1230,
		.comm = "my prog) x", .state = 'S', .flags = 0x400000,
		.uid = { 1, 2, 3, 2 },
		.gid = { 4, 5, 6, 5 }, .umask = 022, .minflt = 11,
		.majflt = 12, .utime = 13, .stime = 14, .cutime = 15,
		.cstime = 16, .nthreads = 1, .starttime = 17,
		.has_vm = true, .vsize = 10543104, .rss = 491,
		.rsslim = ~0UL, .startcode = 0x400000, .endcode = 0x585000,
		.startstack = 0x7ffffffff000 - 64, .sigpnd = 0x100,
		.shdpnd = 0x2, .sigblk = 0x10000, .sigign = 0x1000,
		.sigcgt = 0x4000, .exit_signal = 17, .exit_code = 0,
		.start_data = 0x5e2000, .end_data = 0x60e000,
		.start_brk = 0x60e000, .arg_start = 0x7fff0000,
		.arg_end = 0x7fff0010, .env_start = 0x7fff0010,
		.env_end = 0x7fff0080, .vm_peak = 2600, .vm_hwm = 500,
		.rss_anon = 400, .rss_file = 91, .vm_data = 44,
		.vm_stk = 2048, .vm_exe = 388, .vm_lib = 0, .vm_pte = 1,
		.shared = 91, .fdsize = 64, .nvcsw = 21, .nivcsw = 22,
		.sigq_limit = 1024 };

	return (p);
}

static void
test_pid_stat(void **state)
{
	struct pfs_proc p = sample_proc();
	char f[64][64];
	const char *s, *rp;
	int n;

	reset();
	pfs_fmt_pid_stat(&pb, &p);
	s = text();
	/* comm is in parentheses; parsers look for the last ')'. */
	assert_true(strncmp(s, "1234 (my prog) x) S 99 1230 1200 1281 1230 ",
	    43) == 0);
	rp = strrchr(s, ')');
	/* Fields 3..52 after the comm: 50 of them. */
	n = split(rp + 2, f, 64);
	assert_int_equal(n, 50);
#define F(k) f[(k) - 3]
	assert_string_equal(F(3), "S");
	assert_string_equal(F(4), "99");	/* ppid */
	assert_string_equal(F(9), "4194304");	/* flags */
	assert_string_equal(F(10), "11");	/* minflt */
	assert_string_equal(F(12), "12");	/* majflt */
	assert_string_equal(F(14), "13");	/* utime */
	assert_string_equal(F(15), "14");	/* stime */
	assert_string_equal(F(16), "15");
	assert_string_equal(F(17), "16");
	assert_string_equal(F(18), "20");	/* priority */
	assert_string_equal(F(19), "0");	/* nice */
	assert_string_equal(F(20), "1");	/* threads */
	assert_string_equal(F(21), "0");	/* itrealvalue */
	assert_string_equal(F(22), "17");	/* starttime, ticks */
	assert_string_equal(F(23), "10543104");	/* vsize, bytes */
	assert_string_equal(F(24), "491");	/* rss, pages */
	assert_string_equal(F(25), "18446744073709551615");
	assert_string_equal(F(26), "4194304");
	assert_string_equal(F(27), "5787648");
	assert_string_equal(F(29), "0");	/* kstkesp */
	assert_string_equal(F(30), "0");	/* kstkeip */
	assert_string_equal(F(31), "258");	/* pending, decimal */
	assert_string_equal(F(32), "65536");
	assert_string_equal(F(33), "4096");
	assert_string_equal(F(34), "16384");
	assert_string_equal(F(35), "0");	/* wchan: no address */
	assert_string_equal(F(38), "17");	/* exit signal */
	assert_string_equal(F(45), "6168576");	/* start_data */
	assert_string_equal(F(47), "6348800");	/* start_brk */
	assert_string_equal(F(48), "2147418112");	/* arg_start */
	assert_string_equal(F(51), "2147418240");	/* env_end */
	assert_string_equal(F(52), "0");	/* exit code */
#undef F
	assert_int_equal(count_lines(s), 1);
}

static void
test_pid_statm(void **state)
{
	struct pfs_proc p = sample_proc();
	char f[16][64];

	reset();
	pfs_fmt_pid_statm(&pb, &p);
	/* size resident shared text lib data dt, in pages. */
	assert_int_equal(split(text(), f, 16), 7);
	assert_string_equal(text(), "2574 491 91 388 0 2092 0\n");
}

static void
test_pid_status(void **state)
{
	struct pfs_proc p = sample_proc();
	const char *s;

	reset();
	pfs_fmt_pid_status(&pb, &p);
	s = text();
	assert_true(strncmp(s, "Name:\tmy prog) x\nUmask:\t0022\n"
	    "State:\tS (sleeping)\nTgid:\t1234\n", 58) == 0);
	assert_string_equal(line_of(s, "Pid:"), "Pid:\t1234");
	assert_string_equal(line_of(s, "PPid:"), "PPid:\t99");
	assert_string_equal(line_of(s, "Uid:"), "Uid:\t1\t2\t3\t2");
	assert_string_equal(line_of(s, "Gid:"), "Gid:\t4\t5\t6\t5");
	assert_string_equal(line_of(s, "FDSize:"), "FDSize:\t64");
	/* Vm* in kB: pages * 4. */
	assert_string_equal(line_of(s, "VmPeak:"), "VmPeak:\t   10400 kB");
	assert_string_equal(line_of(s, "VmSize:"), "VmSize:\t   10296 kB");
	assert_string_equal(line_of(s, "VmRSS:"), "VmRSS:\t    1964 kB");
	assert_string_equal(line_of(s, "VmHWM:"), "VmHWM:\t    2000 kB");
	assert_string_equal(line_of(s, "RssAnon:"), "RssAnon:\t    1600 kB");
	assert_string_equal(line_of(s, "VmData:"), "VmData:\t     176 kB");
	assert_string_equal(line_of(s, "VmStk:"), "VmStk:\t    8192 kB");
	assert_string_equal(line_of(s, "VmExe:"), "VmExe:\t    1552 kB");
	assert_string_equal(line_of(s, "VmLib:"), "VmLib:\t       0 kB");
	assert_string_equal(line_of(s, "Threads:"), "Threads:\t1");
	assert_string_equal(line_of(s, "SigQ:"), "SigQ:\t0/1024");
	assert_string_equal(line_of(s, "SigPnd:"), "SigPnd:\t0000000000000100");
	assert_string_equal(line_of(s, "ShdPnd:"), "ShdPnd:\t0000000000000002");
	assert_string_equal(line_of(s, "SigBlk:"), "SigBlk:\t0000000000010000");
	assert_string_equal(line_of(s, "SigIgn:"), "SigIgn:\t0000000000001000");
	assert_string_equal(line_of(s, "SigCgt:"), "SigCgt:\t0000000000004000");
	assert_string_equal(line_of(s, "CapEff:"), "CapEff:\t0000000000000000");
	assert_string_equal(line_of(s, "voluntary_ctxt_switches:"),
	    "voluntary_ctxt_switches:\t21");
	assert_string_equal(line_of(s, "nonvoluntary_ctxt_switches:"),
	    "nonvoluntary_ctxt_switches:\t22");
	/* A zombie has no Vm lines at all. */
	p.has_vm = false;
	p.state = 'Z';
	reset();
	pfs_fmt_pid_status(&pb, &p);
	s = text();
	assert_null(line_of(s, "VmSize:"));
	assert_null(line_of(s, "VmRSS:"));
	assert_string_equal(line_of(s, "State:"), "State:\tZ (zombie)");
	assert_string_equal(pfs_state_name('R'), "R (running)");
	assert_string_equal(pfs_state_name('D'), "D (disk sleep)");
	assert_string_equal(pfs_state_name('T'), "T (stopped)");
}

static void
test_maps(void **state)
{
	struct pfs_map file = { .start = 0x400000, .end = 0x401000,
		.offset = 0x1000, .inode = 9, .major = 0, .minor = 1,
		.r = true, .x = true, .name = "/bin/busybox" };
	struct pfs_map anon = { .start = 0x7f0000001000,
		.end = 0x7f0000003000, .r = true, .w = true };
	struct pfs_map shared = { .start = 0x10000, .end = 0x11000,
		.w = true, .shared = true, .name = "[stack]" };
	const char *s;

	reset();
	pfs_fmt_maps_line(&pb, &file);
	pfs_fmt_maps_line(&pb, &anon);
	pfs_fmt_maps_line(&pb, &shared);
	s = text();
	/* The path starts in column 73, as Linux pads it. */
	assert_string_equal(line_of(s, "00400000"),
	    "00400000-00401000 r-xp 00001000 00:01 9"
	    "                                  /bin/busybox");
	assert_int_equal(strstr(s, "/bin/busybox") - s, 73);
	assert_string_equal(line_of(s, "7f0000001000"),
	    "7f0000001000-7f0000003000 rw-p 00000000 00:00 0 ");
	assert_string_equal(line_of(s, "00010000"),
	    "00010000-00011000 -w-s 00000000 00:00 0"
	    "                                  [stack]");
	assert_int_equal(strstr(s, "[stack]") - strstr(s, "00010000"), 73);
}

static void
test_smaps_entry(void **state)
{
	struct pfs_smap sm = { .map = { .start = 0x7ffffffde000,
		.end = 0x7ffffffff000, .r = true, .w = true,
		.name = "[stack]" }, .size_kb = 132, .rss_kb = 12,
		.anon = true, .mr = true, .mw = true, .mx = true,
		.grows_down = true };
	const char *s;

	reset();
	pfs_fmt_smaps_entry(&pb, &sm);
	s = text();
	assert_non_null(strstr(s, "rw-p 00000000 00:00 0"));
	assert_string_equal(line_of(s, "Size:"),
	    "Size:                132 kB");
	assert_string_equal(line_of(s, "KernelPageSize:"),
	    "KernelPageSize:        4 kB");
	assert_string_equal(line_of(s, "Rss:"), "Rss:                  12 kB");
	assert_string_equal(line_of(s, "Private_Dirty:"),
	    "Private_Dirty:        12 kB");
	assert_string_equal(line_of(s, "Anonymous:"),
	    "Anonymous:            12 kB");
	assert_string_equal(line_of(s, "Locked:"),
	    "Locked:                0 kB");
	assert_string_equal(line_of(s, "VmFlags:"),
	    "VmFlags: rd wr mr mw me gd ");
	/* A record is the maps line plus 24 lines, as Linux 6.x prints. */
	assert_int_equal(count_lines(s), 25);
}

static void
test_smaps_rollup(void **state)
{
	struct pfs_rollup r = { .start = 0x400000, .end = 0x7ffffffff000,
		.rss = 1968, .anon = 1900, .file = 68 };
	const char *s;

	reset();
	pfs_fmt_smaps_rollup(&pb, &r);
	s = text();
	assert_true(strncmp(s, "00400000-7ffffffff000 ---p 00000000 00:00 0 ",
	    44) == 0);
	assert_non_null(strstr(s, "[rollup]\n"));
	assert_string_equal(line_of(s, "Rss:"), "Rss:                1968 kB");
	assert_string_equal(line_of(s, "Anonymous:"),
	    "Anonymous:          1900 kB");
}

static void
test_limits(void **state)
{
	uint64_t lim[16][2];
	const char *s;

	for (int i = 0; i < 16; i++)
		lim[i][0] = lim[i][1] = ~0UL;
	lim[3][0] = 8388608;			/* RLIMIT_STACK */
	lim[7][0] = 1024;			/* RLIMIT_NOFILE */
	lim[7][1] = 4096;
	reset();
	pfs_fmt_limits(&pb, (const uint64_t (*)[2])lim);
	s = text();
	assert_int_equal(count_lines(s), 17);
	assert_string_equal(line_of(s, "Limit"),
	    "Limit                     Soft Limit           Hard Limit"
	    "           Units     ");
	assert_string_equal(line_of(s, "Max stack size"),
	    "Max stack size            8388608              unlimited"
	    "            bytes     ");
	assert_string_equal(line_of(s, "Max open files"),
	    "Max open files            1024                 4096"
	    "                 files     ");
}

static void
test_mounts(void **state)
{
	struct pfs_mount m = { .id = 23, .parent_id = 20, .major = 0,
		.minor = 4, .source = "proc", .path = "/proc", .type = "proc" };
	char f[16][64];

	reset();
	pfs_fmt_mounts_line(&pb, &m);
	assert_string_equal(text(), "proc /proc proc rw 0 0\n");
	reset();
	m.rdonly = true;
	pfs_fmt_mountinfo_line(&pb, &m);
	/* id parent major:minor root point options - type source super */
	assert_string_equal(text(), "23 20 0:4 / /proc ro - proc proc ro\n");
	assert_int_equal(split(text(), f, 16), 10);
	assert_string_equal(f[6], "-");
}

static void
test_vmstat_fdinfo(void **state)
{
	struct pfs_vmstat vs = { .nr_free_pages = 100, .pgfault = 7014,
		.pgmajfault = 3 };
	const char *s;

	reset();
	pfs_fmt_vmstat(&pb, &vs);
	s = text();
	assert_string_equal(line_of(s, "pgfault"), "pgfault 7014");
	assert_string_equal(line_of(s, "pgmajfault"), "pgmajfault 3");
	assert_string_equal(line_of(s, "pswpin"), "pswpin 0");
	assert_string_equal(line_of(s, "pswpout"), "pswpout 0");
	assert_string_equal(line_of(s, "nr_free_pages"), "nr_free_pages 100");
	reset();
	pfs_fmt_fdinfo(&pb, 4096, 02 | 0100000, 23, 77);
	assert_string_equal(text(),
	    "pos:\t4096\nflags:\t0100002\nmnt_id:\t23\nino:\t77\n");
}

/* A file bigger than any first guess: the caller sees pb_full and grows. */
static void
test_large_maps(void **state)
{
	struct pfs_map m = { .r = true };
	static char big[1 << 20];
	size_t cap = 4096;

	for (;;) {
		pb_init(&pb, big, cap);
		for (int i = 0; i < 5000; i++) {
			m.start = 0x10000000UL + i * 0x2000UL;
			m.end = m.start + 0x1000;
			pfs_fmt_maps_line(&pb, &m);
		}
		if (!pb.pb_full)
			break;
		cap *= 2;
	}
	assert_int_equal(cap, 262144);
	assert_int_equal(pb.pb_len, 5000 * 41);	/* no name: ends "0 " */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pb_overflow),
		cmocka_unit_test(test_meminfo),
		cmocka_unit_test(test_stat),
		cmocka_unit_test(test_loadavg),
		cmocka_unit_test(test_calc_load),
		cmocka_unit_test(test_uptime),
		cmocka_unit_test(test_cpuinfo),
		cmocka_unit_test(test_pid_stat),
		cmocka_unit_test(test_pid_statm),
		cmocka_unit_test(test_pid_status),
		cmocka_unit_test(test_maps),
		cmocka_unit_test(test_smaps_entry),
		cmocka_unit_test(test_smaps_rollup),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_mounts),
		cmocka_unit_test(test_vmstat_fdinfo),
		cmocka_unit_test(test_large_maps),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
