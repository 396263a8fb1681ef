/*
 * procfs_fmt.c: the text of the /proc files, laid out as Linux's proc(5)
 * (and the Linux sources it describes) show them.
 *
 * Every function here is pure: it formats the numbers it is given into a
 * pfs_buf and touches nothing else, so tests/host/procfs.c checks each
 * layout field by field.  Units follow Linux: meminfo and status in kB,
 * stat and statm in pages, CPU times in USER_HZ (= HZ = 100) ticks, load
 * averages in FSHIFT fixed point printed with two decimals.
 */
#include <printf.h>
#include <stdarg.h>

#include "procfs_fmt.h"

#define FSHIFT		11
#define FIXED_1		(1UL << FSHIFT)
#define LOAD_INT(x)	((x) >> FSHIFT)
#define LOAD_FRAC(x)	LOAD_INT(((x) & (FIXED_1 - 1)) * 100)

void
pb_init(struct pfs_buf *pb, char *buf, size_t cap)
{
	pb->pb_buf = buf;
	pb->pb_len = 0;
	pb->pb_cap = cap;
	pb->pb_full = false;
}

void
pb_printf(struct pfs_buf *pb, const char *fmt, ...)
{
	va_list ap;
	size_t room = pb->pb_cap - pb->pb_len;
	int n;

	if (pb->pb_full)
		return;
	va_start(ap, fmt);
	n = vsnprintf(pb->pb_buf + pb->pb_len, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room) {
		pb->pb_full = true;
		return;
	}
	pb->pb_len += n;
}

void
pb_write(struct pfs_buf *pb, const void *p, size_t n)
{
	const char *s = p;

	if (pb->pb_full || n > pb->pb_cap - pb->pb_len) {
		pb->pb_full = true;
		return;
	}
	for (size_t i = 0; i < n; i++)
		pb->pb_buf[pb->pb_len++] = s[i];
}

void
pb_putc(struct pfs_buf *pb, int c)
{
	char ch = c;

	pb_write(pb, &ch, 1);
}

void
pb_pad(struct pfs_buf *pb, size_t col)
{
	size_t bol = pb->pb_len;

	while (bol > 0 && pb->pb_buf[bol - 1] != '\n')
		bol--;
	while (!pb->pb_full && pb->pb_len - bol < col)
		pb_putc(pb, ' ');
}

/* "Name:      1234 kB": the label padded to 16 columns, then %8lu kB. */
static void
kb_line(struct pfs_buf *pb, const char *label, uint64_t kb)
{
	pb_printf(pb, "%s:", label);
	pb_pad(pb, 16);
	pb_printf(pb, "%8lu kB\n", kb);
}

void
pfs_fmt_meminfo(struct pfs_buf *pb, const struct pfs_meminfo *mi)
{
	kb_line(pb, "MemTotal", mi->total);
	kb_line(pb, "MemFree", mi->free);
	kb_line(pb, "MemAvailable", mi->available);
	kb_line(pb, "Buffers", mi->buffers);
	kb_line(pb, "Cached", mi->cached);
	kb_line(pb, "SwapCached", mi->swapcached);
	kb_line(pb, "Active", mi->active);
	kb_line(pb, "Inactive", mi->inactive);
	kb_line(pb, "Active(anon)", mi->active_anon);
	kb_line(pb, "Inactive(anon)", mi->inactive_anon);
	kb_line(pb, "Active(file)", mi->active_file);
	kb_line(pb, "Inactive(file)", mi->inactive_file);
	kb_line(pb, "Unevictable", mi->unevictable);
	kb_line(pb, "Mlocked", mi->mlocked);
	kb_line(pb, "SwapTotal", mi->swaptotal);
	kb_line(pb, "SwapFree", mi->swapfree);
	kb_line(pb, "Dirty", mi->dirty);
	kb_line(pb, "Writeback", mi->writeback);
	kb_line(pb, "AnonPages", mi->anonpages);
	kb_line(pb, "Mapped", mi->mapped);
	kb_line(pb, "Shmem", mi->shmem);
	kb_line(pb, "KReclaimable", mi->kreclaimable);
	kb_line(pb, "Slab", mi->slab);
	kb_line(pb, "SReclaimable", mi->sreclaimable);
	kb_line(pb, "SUnreclaim", mi->sunreclaim);
	kb_line(pb, "KernelStack", mi->kernelstack);
	kb_line(pb, "PageTables", mi->pagetables);
	kb_line(pb, "NFS_Unstable", 0);
	kb_line(pb, "Bounce", 0);
	kb_line(pb, "WritebackTmp", 0);
	kb_line(pb, "CommitLimit", mi->commitlimit);
	kb_line(pb, "Committed_AS", mi->committed_as);
	kb_line(pb, "VmallocTotal", mi->vmalloctotal);
	kb_line(pb, "VmallocUsed", mi->vmallocused);
	kb_line(pb, "VmallocChunk", 0);
	kb_line(pb, "AnonHugePages", 0);
	pb_printf(pb, "HugePages_Total:       0\nHugePages_Free:        0\n"
	    "HugePages_Rsvd:        0\nHugePages_Surp:        0\n");
	kb_line(pb, "Hugepagesize", 2048);
	kb_line(pb, "Hugetlb", 0);
	kb_line(pb, "DirectMap4k", mi->directmap4k);
	kb_line(pb, "DirectMap2M", mi->directmap2m);
}

static void
cpu_line(struct pfs_buf *pb, const char *name, const uint64_t t[10])
{
	pb_printf(pb, "%s", name);
	for (int i = 0; i < 10; i++)
		pb_printf(pb, " %lu", t[i]);
	pb_putc(pb, '\n');
}

void
pfs_fmt_stat(struct pfs_buf *pb, const struct pfs_stat *st)
{
	char name[16];

	cpu_line(pb, "cpu ", st->cp_time);
	for (int i = 0; i < st->ncpu; i++) {
		snprintf(name, sizeof(name), "cpu%d", i);
		cpu_line(pb, name, st->cp_time);
	}
	/* intr: the total, then per-IRQ counts (Mica keeps only the total). */
	pb_printf(pb, "intr %lu\n", st->intr);
	pb_printf(pb, "ctxt %lu\n", st->ctxt);
	pb_printf(pb, "btime %lu\n", st->btime);
	pb_printf(pb, "processes %lu\n", st->processes);
	pb_printf(pb, "procs_running %d\n", st->procs_running);
	pb_printf(pb, "procs_blocked %d\n", st->procs_blocked);
	pb_printf(pb, "softirq 0 0 0 0 0 0 0 0 0 0 0\n");
}

void
pfs_fmt_loadavg(struct pfs_buf *pb, const uint64_t avg[3], int running,
    int total, int lastpid)
{
	uint64_t a[3];

	for (int i = 0; i < 3; i++)
		a[i] = avg[i] + FIXED_1 / 200;		/* round to 0.01 */
	pb_printf(pb, "%lu.%02lu %lu.%02lu %lu.%02lu %d/%d %d\n",
	    LOAD_INT(a[0]), LOAD_FRAC(a[0]), LOAD_INT(a[1]), LOAD_FRAC(a[1]),
	    LOAD_INT(a[2]), LOAD_FRAC(a[2]), running, total, lastpid);
}

void
pfs_fmt_uptime(struct pfs_buf *pb, uint64_t up_ns, uint64_t idle_ns)
{
	pb_printf(pb, "%lu.%02lu %lu.%02lu\n", up_ns / 1000000000,
	    up_ns / 10000000 % 100, idle_ns / 1000000000,
	    idle_ns / 10000000 % 100);
}

void
pfs_fmt_cpuinfo(struct pfs_buf *pb, const struct pfs_cpuinfo *ci)
{
	/* Linux's bogomips: loops_per_jiffy * HZ / 500000, about 2 * MHz. */
	uint64_t bogo = ci->khz * 2 / 10;	/* hundredths */

	pb_printf(pb, "processor\t: 0\n");
	pb_printf(pb, "vendor_id\t: %s\n", ci->vendor);
	pb_printf(pb, "cpu family\t: %u\n", ci->family);
	pb_printf(pb, "model\t\t: %u\n", ci->model);
	pb_printf(pb, "model name\t: %s\n", ci->model_name);
	pb_printf(pb, "stepping\t: %u\n", ci->stepping);
	pb_printf(pb, "cpu MHz\t\t: %lu.%03lu\n", ci->khz / 1000,
	    ci->khz % 1000);
	if (ci->cache_kb != 0)
		pb_printf(pb, "cache size\t: %u KB\n", ci->cache_kb);
	pb_printf(pb, "physical id\t: 0\nsiblings\t: 1\ncore id\t\t: 0\n"
	    "cpu cores\t: 1\napicid\t\t: 0\ninitial apicid\t: 0\n");
	pb_printf(pb, "fpu\t\t: %s\nfpu_exception\t: %s\n",
	    ci->fpu ? "yes" : "no", ci->fpu ? "yes" : "no");
	pb_printf(pb, "cpuid level\t: %u\n", ci->cpuid_level);
	pb_printf(pb, "wp\t\t: yes\n");
	pb_printf(pb, "flags\t\t: %s\n", ci->flags);
	pb_printf(pb, "bugs\t\t:\n");
	pb_printf(pb, "bogomips\t: %lu.%02lu\n", bogo / 100, bogo % 100);
	pb_printf(pb, "clflush size\t: %u\n", ci->clflush);
	pb_printf(pb, "cache_alignment\t: %u\n", ci->clflush);
	pb_printf(pb, "address sizes\t: %u bits physical, %u bits virtual\n",
	    ci->phys_bits, ci->virt_bits);
	pb_printf(pb, "power management:\n\n");
}

void
pfs_fmt_vmstat(struct pfs_buf *pb, const struct pfs_vmstat *vs)
{
	pb_printf(pb, "nr_free_pages %lu\n", vs->nr_free_pages);
	pb_printf(pb, "nr_anon_pages %lu\n", vs->nr_anon_pages);
	pb_printf(pb, "nr_mapped %lu\n", vs->nr_mapped);
	pb_printf(pb, "nr_page_table_pages %lu\n", vs->nr_page_table_pages);
	pb_printf(pb, "nr_dirty 0\nnr_writeback 0\n");
	pb_printf(pb, "pgpgin 0\npgpgout 0\npswpin 0\npswpout 0\n");
	pb_printf(pb, "pgfault %lu\n", vs->pgfault);
	pb_printf(pb, "pgmajfault %lu\n", vs->pgmajfault);
}

void
pfs_fmt_mounts_line(struct pfs_buf *pb, const struct pfs_mount *m)
{
	pb_printf(pb, "%s %s %s %s 0 0\n", m->source, m->path, m->type,
	    m->rdonly ? "ro" : "rw");
}

void
pfs_fmt_mountinfo_line(struct pfs_buf *pb, const struct pfs_mount *m)
{
	const char *o = m->rdonly ? "ro" : "rw";

	pb_printf(pb, "%d %d %u:%u / %s %s - %s %s %s\n", m->id,
	    m->parent_id, m->major, m->minor, m->path, o, m->type,
	    m->source, o);
}

const char *
pfs_state_name(char state)
{
	switch (state) {
	case 'R': return ("R (running)");
	case 'S': return ("S (sleeping)");
	case 'D': return ("D (disk sleep)");
	case 'T': return ("T (stopped)");
	case 'Z': return ("Z (zombie)");
	}
	return ("X (dead)");
}

void
pfs_fmt_pid_stat(struct pfs_buf *pb, const struct pfs_proc *p)
{
	/* Fields 1-13: identity, state, relations, terminal, faults. */
	pb_printf(pb, "%d (%s) %c %d %d %d %d %d %u %lu %lu %lu %lu ",
	    p->pid, p->comm, p->state, p->ppid, p->pgrp, p->sid, p->tty_nr,
	    p->tpgid, p->flags, p->minflt, 0UL, p->majflt, 0UL);
	/* 14-22: times, priority 20 + nice 0, threads, itrealvalue, start. */
	pb_printf(pb, "%lu %lu %lu %lu 20 0 %d 0 %lu ", p->utime, p->stime,
	    p->cutime, p->cstime, p->nthreads, p->starttime);
	/* 23-30: memory; kstkesp/kstkeip are 0 (no kernel addresses). */
	pb_printf(pb, "%lu %lu %lu %lu %lu %lu 0 0 ", p->vsize, p->rss,
	    p->rsslim, p->startcode, p->endcode, p->startstack);
	/* 31-34: signals as decimal bitmaps; 35-37 wchan, nswap, cnswap. */
	pb_printf(pb, "%lu %lu %lu %lu 0 0 0 ", p->sigpnd | p->shdpnd,
	    p->sigblk, p->sigign, p->sigcgt);
	/* 38-44: exit signal, cpu, rt priority, policy, blkio, guest. */
	pb_printf(pb, "%d 0 0 0 0 0 0 ", p->exit_signal);
	/* 45-52: data and brk, argument and environment ranges, exit code. */
	pb_printf(pb, "%lu %lu %lu %lu %lu %lu %lu %d\n", p->start_data,
	    p->end_data, p->start_brk, p->arg_start, p->arg_end,
	    p->env_start, p->env_end, p->exit_code);
}

void
pfs_fmt_pid_statm(struct pfs_buf *pb, const struct pfs_proc *p)
{
	/* size resident shared text lib data dt, in pages. */
	pb_printf(pb, "%lu %lu %lu %lu 0 %lu 0\n", p->vsize / 4096, p->rss,
	    p->shared, p->vm_exe, p->vm_data + p->vm_stk);
}

static void
status_kb(struct pfs_buf *pb, const char *label, uint64_t pages)
{
	pb_printf(pb, "%s:\t%8lu kB\n", label, pages * 4);
}

void
pfs_fmt_pid_status(struct pfs_buf *pb, const struct pfs_proc *p)
{
	bool root = p->uid[1] == 0;

	pb_printf(pb, "Name:\t%s\n", p->comm);
	pb_printf(pb, "Umask:\t%04o\n", p->umask);
	pb_printf(pb, "State:\t%s\n", pfs_state_name(p->state));
	pb_printf(pb, "Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\n"
	    "TracerPid:\t0\n", p->pid, p->tid, p->ppid);
	pb_printf(pb, "Uid:\t%u\t%u\t%u\t%u\n", p->uid[0], p->uid[1],
	    p->uid[2], p->uid[3]);
	pb_printf(pb, "Gid:\t%u\t%u\t%u\t%u\n", p->gid[0], p->gid[1],
	    p->gid[2], p->gid[3]);
	pb_printf(pb, "FDSize:\t%d\nGroups:\t\n", p->fdsize);
	pb_printf(pb, "NStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n",
	    p->pid, p->tid, p->pgrp, p->sid);
	if (p->has_vm) {
		status_kb(pb, "VmPeak", p->vm_peak);
		status_kb(pb, "VmSize", p->vsize / 4096);
		status_kb(pb, "VmLck", p->vm_lck);
		status_kb(pb, "VmPin", 0);
		status_kb(pb, "VmHWM", p->vm_hwm);
		status_kb(pb, "VmRSS", p->rss);
		status_kb(pb, "RssAnon", p->rss_anon);
		status_kb(pb, "RssFile", p->rss_file);
		status_kb(pb, "RssShmem", 0);
		status_kb(pb, "VmData", p->vm_data);
		status_kb(pb, "VmStk", p->vm_stk);
		status_kb(pb, "VmExe", p->vm_exe);
		status_kb(pb, "VmLib", p->vm_lib);
		status_kb(pb, "VmPTE", p->vm_pte);
		status_kb(pb, "VmSwap", 0);
		status_kb(pb, "HugetlbPages", 0);
		pb_printf(pb, "CoreDumping:\t0\nTHP_enabled:\t0\n");
	}
	pb_printf(pb, "Threads:\t%d\n", p->nthreads);
	pb_printf(pb, "SigQ:\t0/%lu\n", p->sigq_limit);
	pb_printf(pb, "SigPnd:\t%016lx\nShdPnd:\t%016lx\nSigBlk:\t%016lx\n"
	    "SigIgn:\t%016lx\nSigCgt:\t%016lx\n", p->sigpnd, p->shdpnd,
	    p->sigblk, p->sigign, p->sigcgt);
	pb_printf(pb, "CapInh:\t%016lx\nCapPrm:\t%016lx\nCapEff:\t%016lx\n"
	    "CapBnd:\t%016lx\nCapAmb:\t%016lx\n", 0UL,
	    root ? 0x1ffffffffffUL : 0UL, root ? 0x1ffffffffffUL : 0UL,
	    0x1ffffffffffUL, 0UL);
	pb_printf(pb, "NoNewPrivs:\t0\nSeccomp:\t0\n");
	pb_printf(pb, "Cpus_allowed:\t1\nCpus_allowed_list:\t0\n"
	    "Mems_allowed:\t1\nMems_allowed_list:\t0\n");
	pb_printf(pb, "voluntary_ctxt_switches:\t%lu\n"
	    "nonvoluntary_ctxt_switches:\t%lu\n", p->nvcsw, p->nivcsw);
}

void
pfs_fmt_maps_line(struct pfs_buf *pb, const struct pfs_map *m)
{
	pb_printf(pb, "%08lx-%08lx %c%c%c%c %08lx %02x:%02x %lu ", m->start,
	    m->end, m->r ? 'r' : '-', m->w ? 'w' : '-', m->x ? 'x' : '-',
	    m->shared ? 's' : 'p', m->offset, m->major, m->minor, m->inode);
	if (m->name != NULL && m->name[0] != '\0') {
		pb_pad(pb, 73);		/* Linux: 25 + 6 * sizeof(void *) */
		pb_printf(pb, "%s", m->name);
	}
	pb_putc(pb, '\n');
}

static void
rollup_kb(struct pfs_buf *pb, const char *label, uint64_t kb)
{
	pb_printf(pb, "%s:", label);
	pb_pad(pb, 16);
	pb_printf(pb, "%8lu kB\n", kb);
}

void
pfs_fmt_smaps_entry(struct pfs_buf *pb, const struct pfs_smap *s)
{
	uint64_t anon = s->anon ? s->rss_kb : 0;
	uint64_t clean = s->anon ? 0 : s->rss_kb;

	pfs_fmt_maps_line(pb, &s->map);
	rollup_kb(pb, "Size", s->size_kb);
	rollup_kb(pb, "KernelPageSize", 4);
	rollup_kb(pb, "MMUPageSize", 4);
	rollup_kb(pb, "Rss", s->rss_kb);
	rollup_kb(pb, "Pss", s->rss_kb);
	rollup_kb(pb, "Pss_Dirty", anon);
	rollup_kb(pb, "Shared_Clean", 0);
	rollup_kb(pb, "Shared_Dirty", 0);
	rollup_kb(pb, "Private_Clean", clean);
	rollup_kb(pb, "Private_Dirty", anon);
	rollup_kb(pb, "Referenced", s->rss_kb);
	rollup_kb(pb, "Anonymous", anon);
	rollup_kb(pb, "KSM", 0);
	rollup_kb(pb, "LazyFree", 0);
	rollup_kb(pb, "AnonHugePages", 0);
	rollup_kb(pb, "ShmemPmdMapped", 0);
	rollup_kb(pb, "FilePmdMapped", 0);
	rollup_kb(pb, "Shared_Hugetlb", 0);
	rollup_kb(pb, "Private_Hugetlb", 0);
	rollup_kb(pb, "Swap", 0);
	rollup_kb(pb, "SwapPss", 0);
	rollup_kb(pb, "Locked", s->locked ? s->rss_kb : 0);
	pb_printf(pb, "THPeligible:           0\n");
	/* Linux's two-letter flags, each followed by a space. */
	pb_printf(pb, "VmFlags: %s%s%s%s%s%s%s%s\n", s->map.r ? "rd " : "",
	    s->map.w ? "wr " : "", s->map.x ? "ex " : "",
	    s->map.shared ? "sh " : "", s->mr ? "mr " : "",
	    s->mw ? "mw " : "", s->mx ? "me " : "",
	    s->grows_down ? "gd " : "");
}

void
pfs_fmt_smaps_rollup(struct pfs_buf *pb, const struct pfs_rollup *r)
{
	struct pfs_map m = { .start = r->start, .end = r->end,
		.name = "[rollup]" };

	pfs_fmt_maps_line(pb, &m);
	rollup_kb(pb, "Rss", r->rss);
	rollup_kb(pb, "Pss", r->rss);
	rollup_kb(pb, "Pss_Anon", r->anon);
	rollup_kb(pb, "Pss_File", r->file);
	rollup_kb(pb, "Pss_Shmem", 0);
	rollup_kb(pb, "Shared_Clean", 0);
	rollup_kb(pb, "Shared_Dirty", 0);
	rollup_kb(pb, "Private_Clean", r->file);
	rollup_kb(pb, "Private_Dirty", r->anon);
	rollup_kb(pb, "Referenced", r->rss);
	rollup_kb(pb, "Anonymous", r->anon);
	rollup_kb(pb, "LazyFree", 0);
	rollup_kb(pb, "AnonHugePages", 0);
	rollup_kb(pb, "Swap", 0);
	rollup_kb(pb, "SwapPss", 0);
	rollup_kb(pb, "Locked", 0);
}

static void
limit_val(struct pfs_buf *pb, uint64_t v, size_t col)
{
	if (v == ~0UL)
		pb_printf(pb, "unlimited");
	else
		pb_printf(pb, "%lu", v);
	pb_pad(pb, col);
}

void
pfs_fmt_limits(struct pfs_buf *pb, const uint64_t lim[16][2])
{
	static const struct { const char *name, *unit; } l[16] = {
		{ "Max cpu time", "seconds" },
		{ "Max file size", "bytes" },
		{ "Max data size", "bytes" },
		{ "Max stack size", "bytes" },
		{ "Max core file size", "bytes" },
		{ "Max resident set", "bytes" },
		{ "Max processes", "processes" },
		{ "Max open files", "files" },
		{ "Max locked memory", "bytes" },
		{ "Max address space", "bytes" },
		{ "Max file locks", "locks" },
		{ "Max pending signals", "signals" },
		{ "Max msgqueue size", "bytes" },
		{ "Max nice priority", "" },
		{ "Max realtime priority", "" },
		{ "Max realtime timeout", "us" },
	};

	pb_printf(pb, "Limit");
	pb_pad(pb, 26);
	pb_printf(pb, "Soft Limit");
	pb_pad(pb, 47);
	pb_printf(pb, "Hard Limit");
	pb_pad(pb, 68);
	pb_printf(pb, "Units");
	pb_pad(pb, 78);
	pb_putc(pb, '\n');
	for (int i = 0; i < 16; i++) {
		pb_printf(pb, "%s", l[i].name);
		pb_pad(pb, 26);
		limit_val(pb, lim[i][0], 47);
		limit_val(pb, lim[i][1], 68);
		pb_printf(pb, "%s", l[i].unit);
		pb_pad(pb, 78);
		pb_putc(pb, '\n');
	}
}

void
pfs_fmt_fdinfo(struct pfs_buf *pb, uint64_t pos, int flags, uint32_t mnt_id,
    uint64_t ino)
{
	pb_printf(pb, "pos:\t%lu\nflags:\t0%o\nmnt_id:\t%u\nino:\t%lu\n", pos,
	    flags, mnt_id, ino);
}
