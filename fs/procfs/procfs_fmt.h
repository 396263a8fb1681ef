/*
 * procfs_fmt.h: the text of every /proc file, as pure functions of plain
 * structs (no locks, no kernel objects), so host tests can check each
 * layout against proc(5) with chosen inputs.
 *
 * procfs_vnops.c and procfs_snap.c gather the numbers from the kernel into
 * these structs; the pfs_fmt_* functions turn them into Linux's exact text
 * in a pfs_buf.  A pfs_buf has a fixed capacity: when text does not fit,
 * pb_full is set and the caller retries with a larger buffer.
 */
#ifndef _PROCFS_FMT_H_
#define _PROCFS_FMT_H_

#include <types.h>

struct pfs_buf {
	char *pb_buf;
	size_t pb_len;			/* bytes written */
	size_t pb_cap;			/* size of pb_buf */
	bool pb_full;			/* something did not fit */
};

void pb_init(struct pfs_buf *pb, char *buf, size_t cap);
void pb_printf(struct pfs_buf *pb, const char *fmt, ...) __printflike(2, 3);
void pb_putc(struct pfs_buf *pb, int c);
void pb_write(struct pfs_buf *pb, const void *p, size_t n);
/* Spaces up to column col of the current line. */
void pb_pad(struct pfs_buf *pb, size_t col);

/* /proc/meminfo, every figure in kB. */
struct pfs_meminfo {
	uint64_t total, free, available, buffers, cached, swapcached;
	uint64_t active, inactive, active_anon, inactive_anon, active_file,
	    inactive_file, unevictable, mlocked;
	uint64_t swaptotal, swapfree, dirty, writeback, anonpages, mapped,
	    shmem, kreclaimable, slab, sreclaimable, sunreclaim, kernelstack,
	    pagetables, commitlimit, committed_as, vmalloctotal, vmallocused;
	uint64_t directmap4k, directmap2m;
};
void pfs_fmt_meminfo(struct pfs_buf *pb, const struct pfs_meminfo *mi);

/* /proc/stat: ten columns of USER_HZ ticks, for "cpu" and each CPU. */
struct pfs_stat {
	uint64_t cp_time[10];
	int ncpu;			/* cpuN lines, each equal to cpu */
	uint64_t intr, ctxt, btime, processes;
	int procs_running, procs_blocked;
};
void pfs_fmt_stat(struct pfs_buf *pb, const struct pfs_stat *st);

/* /proc/loadavg: loads in FSHIFT fixed point. */
void pfs_fmt_loadavg(struct pfs_buf *pb, const uint64_t avg[3], int running,
    int total, int lastpid);
/* /proc/uptime: two times in seconds with hundredths. */
void pfs_fmt_uptime(struct pfs_buf *pb, uint64_t up_ns, uint64_t idle_ns);

struct pfs_cpuinfo {
	const char *vendor, *model_name, *flags;
	uint32_t family, model, stepping, cpuid_level;
	uint64_t khz;			/* TSC frequency in kHz */
	uint32_t cache_kb, clflush;
	uint32_t phys_bits, virt_bits;
	bool fpu;
};
void pfs_fmt_cpuinfo(struct pfs_buf *pb, const struct pfs_cpuinfo *ci);

/* /proc/vmstat (the lines Mica has figures for, in Linux's order). */
struct pfs_vmstat {
	uint64_t nr_free_pages, nr_anon_pages, nr_mapped, nr_page_table_pages;
	uint64_t pgfault, pgmajfault;
};
void pfs_fmt_vmstat(struct pfs_buf *pb, const struct pfs_vmstat *vs);

/* One mount, for /proc/mounts and /proc/PID/mountinfo. */
struct pfs_mount {
	int id, parent_id;
	uint32_t major, minor;
	const char *source, *path, *type;
	bool rdonly;
};
void pfs_fmt_mounts_line(struct pfs_buf *pb, const struct pfs_mount *m);
void pfs_fmt_mountinfo_line(struct pfs_buf *pb, const struct pfs_mount *m);

/* Everything /proc/PID/{stat,statm,status} show about one process. */
struct pfs_proc {
	int pid, tid, ppid, pgrp, sid, tty_nr, tpgid;
	char comm[16];
	char state;			/* R S D T Z */
	uint32_t flags;			/* Linux PF_* (PFS_PF_*) */
	uint32_t uid[4], gid[4];	/* real, effective, saved, fs */
	uint32_t umask;
	uint64_t minflt, majflt;
	uint64_t utime, stime, cutime, cstime;	/* ticks */
	int nthreads;
	uint64_t starttime;		/* ticks after boot */
	bool has_vm;			/* false: zombie, kernel thread */
	uint64_t vsize;			/* bytes */
	uint64_t rss;			/* pages */
	uint64_t rsslim;
	uint64_t startcode, endcode, startstack;
	uint64_t sigpnd, shdpnd, sigblk, sigign, sigcgt;
	int exit_signal, exit_code;
	uint64_t start_data, end_data, start_brk;
	uint64_t arg_start, arg_end, env_start, env_end;
	/* status and statm, in pages */
	uint64_t vm_peak, vm_lck, vm_hwm, rss_anon, rss_file;
	uint64_t vm_data, vm_stk, vm_exe, vm_lib, vm_pte, shared;
	int fdsize;
	uint64_t nvcsw, nivcsw;
	uint64_t sigq_limit;
};
#define PFS_PF_RANDOMIZE	0x00400000	/* an ordinary process */
#define PFS_PF_KTHREAD		0x00200000	/* procps: a kernel thread */
void pfs_fmt_pid_stat(struct pfs_buf *pb, const struct pfs_proc *p);
void pfs_fmt_pid_statm(struct pfs_buf *pb, const struct pfs_proc *p);
void pfs_fmt_pid_status(struct pfs_buf *pb, const struct pfs_proc *p);
const char *pfs_state_name(char state);	/* "S (sleeping)" */

/* One /proc/PID/maps line. */
struct pfs_map {
	uint64_t start, end, offset, inode;
	uint32_t major, minor;
	bool r, w, x, shared;
	const char *name;		/* path, [heap], [stack], or NULL */
};
void pfs_fmt_maps_line(struct pfs_buf *pb, const struct pfs_map *m);
/* One /proc/PID/smaps record: the maps line, then the entry's figures. */
struct pfs_smap {
	struct pfs_map map;
	uint64_t size_kb, rss_kb;
	bool anon, locked;
	bool mr, mw, mx;		/* max protection allows r, w, x */
	bool grows_down;
};
void pfs_fmt_smaps_entry(struct pfs_buf *pb, const struct pfs_smap *s);
/* /proc/PID/smaps_rollup totals, in kB. */
struct pfs_rollup {
	uint64_t start, end;
	uint64_t rss, anon, file;
};
void pfs_fmt_smaps_rollup(struct pfs_buf *pb, const struct pfs_rollup *r);

/* /proc/PID/limits: RLIMIT_* cur/max pairs (RLIM_INFINITY = ~0). */
void pfs_fmt_limits(struct pfs_buf *pb, const uint64_t lim[16][2]);

/* /proc/PID/fdinfo/N */
void pfs_fmt_fdinfo(struct pfs_buf *pb, uint64_t pos, int flags,
    uint32_t mnt_id, uint64_t ino);

#endif /* !_PROCFS_FMT_H_ */
