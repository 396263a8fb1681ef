/*
 * procfs_sys.c: the system-wide files of /proc -- meminfo, stat, loadavg,
 * uptime, cpuinfo, version, devices, filesystems, cmdline, vmstat, the
 * self and thread-self links and sys/kernel -- and the root's table.
 *
 * Each generator gathers numbers from the subsystem that owns them (the
 * physical allocator, the kernel heap, sysstat's counters, CPUID, the
 * mount and file system type tables) into a procfs_fmt struct and lets
 * the pure formatter write the text.  docs/procfs.md says which number
 * comes from where.
 */
#include <clock.h>
#include <cpu.h>
#include <kernel.h>
#include <kmem.h>
#include <libkern.h>
#include <printf.h>
#include <pmap.h>
#include <proc.h>
#include <sysstat.h>
#include <vm_map.h>
#include <vm_object.h>
#include <vm_phys.h>
#include <x86.h>

#include "procfs.h"

#define OSRELEASE	"5.15.0-mica"
#define KSTACK_BYTES	(16 * 1024)

/* Sums over every address space (proc_lock: nothing else runs). */
struct vm_totals {
	uint64_t resident;		/* pages */
	uint64_t mapped;		/* bytes */
	int nprocs, running, blocked;
};

static void
vm_totals(struct vm_totals *t)
{
	struct proc *p;

	memset(t, 0, sizeof(*t));
	spin_lock(&proc_lock);
	LIST_FOREACH(p, &allproc, p_list) {
		struct thread *td = p->p_thread;

		if (p->p_state == PRS_NEW)
			continue;
		t->nprocs++;
		if (p->p_vmspace != NULL && p->p_state != PRS_ZOMBIE) {
			t->resident += p->p_vmspace->vm_pmap.pm_resident;
			t->mapped += p->p_vmspace->vm_map.size;
		}
		if (td == NULL || p->p_state == PRS_ZOMBIE ||
		    (td->td_flags & TDF_IDLE))
			continue;
		if (td->td_state == TDS_RUNNING || td->td_state == TDS_RUNQ)
			t->running++;
		else if (td->td_state == TDS_SLEEPING &&
		    !(td->td_flags & TDF_SINTR))
			t->blocked++;
	}
	spin_unlock(&proc_lock);
}

static int
gen_meminfo(struct pfsnode *pn, struct pfs_buf *pb)
{
	struct pfs_meminfo mi;
	struct vm_totals t;
	uint64_t slab = kmem_inuse_bytes() / 1024;

	vm_totals(&t);
	memset(&mi, 0, sizeof(mi));
	mi.total = vm_phys_total_count() * (PAGE_SIZE / 1024);
	mi.free = vm_phys_free_count() * (PAGE_SIZE / 1024);
	mi.available = mi.free;
	/*
	 * Files live in the page cache (ramfs and tmpfs keep nothing else),
	 * so Cached is every page of a file's vm_object; like Linux's ramfs
	 * pages they cannot be reclaimed: Unevictable, not in MemAvailable.
	 */
	mi.cached = vm_cnt_file_pages * (PAGE_SIZE / 1024);
	mi.unevictable = mi.cached;
	mi.anonpages = MIN(t.resident * (PAGE_SIZE / 1024),
	    mi.total - mi.free - MIN(mi.cached, mi.total - mi.free));
	mi.active = mi.active_anon = mi.anonpages;
	mi.slab = mi.sunreclaim = slab;
	mi.kernelstack = (uint64_t)t.nprocs * (KSTACK_BYTES / 1024);
	mi.commitlimit = mi.total / 2;
	mi.committed_as = t.mapped / 1024;
	mi.vmalloctotal = 34359738367UL;
	mi.directmap2m = roundup2(mi.total, 2048);
	pfs_fmt_meminfo(pb, &mi);
	return (0);
}

static int
gen_stat(struct pfsnode *pn, struct pfs_buf *pb)
{
	struct pfs_stat st;
	struct vm_totals t;

	vm_totals(&t);
	memset(&st, 0, sizeof(st));
	memcpy(st.cp_time, sysstat.cp_time, sizeof(st.cp_time));
	st.ncpu = 1;
	st.intr = sysstat.intr;
	st.ctxt = sysstat.swtch;
	st.btime = boottime_sec();
	st.processes = sysstat.forks + 1;	/* and init */
	st.procs_running = MAX(t.running, 1);	/* the reader runs */
	st.procs_blocked = t.blocked;
	pfs_fmt_stat(pb, &st);
	return (0);
}

static int
gen_loadavg(struct pfsnode *pn, struct pfs_buf *pb)
{
	struct vm_totals t;

	vm_totals(&t);
	pfs_fmt_loadavg(pb, averunnable, MAX(t.running, 1), t.nprocs,
	    proc_lastpid());
	return (0);
}

static int
gen_uptime(struct pfsnode *pn, struct pfs_buf *pb)
{
	pfs_fmt_uptime(pb, nanouptime(),
	    sysstat.cp_time[CP_IDLE] * (NSEC_PER_SEC / HZ));
	return (0);
}

static int
gen_cpuinfo(struct pfsnode *pn, struct pfs_buf *pb)
{
	struct pfs_cpuinfo ci;
	uint32_t a, b, c, d;
	char *flags;

	flags = kmalloc(2048, M_WAITOK);
	if (flags == NULL)
		return (-ENOMEM);
	cpu_flags_string(flags, 2048);
	memset(&ci, 0, sizeof(ci));
	ci.vendor = cpu_features.vendor;
	ci.model_name = cpu_features.brand[0] != '\0' ?
	    cpu_features.brand : "unknown";
	ci.flags = flags;
	ci.family = cpu_features.family;
	ci.model = cpu_features.model;
	ci.stepping = cpu_features.stepping;
	ci.cpuid_level = cpu_features.max_leaf;
	ci.khz = tsc_freq_hz() / 1000;
	ci.clflush = cpu_features.clflush_size ? cpu_features.clflush_size :
	    64;
	ci.fpu = (cpu_features.leaf1_edx & CPUID1_EDX_FPU) != 0;
	ci.phys_bits = 36;
	ci.virt_bits = 48;
	if (cpu_features.max_ext_leaf >= 0x80000006) {
		cpuid(0x80000006, 0, &a, &b, &c, &d);
		ci.cache_kb = c >> 16;		/* L2 size in KB */
	}
	if (cpu_features.max_ext_leaf >= 0x80000008) {
		cpuid(0x80000008, 0, &a, &b, &c, &d);
		ci.phys_bits = a & 0xff;
		ci.virt_bits = (a >> 8) & 0xff;
	}
	pfs_fmt_cpuinfo(pb, &ci);
	kfree(flags);
	return (0);
}

static int
gen_version(struct pfsnode *pn, struct pfs_buf *pb)
{
	pb_printf(pb, "Linux version " OSRELEASE " (mica@mica) (gcc) "
	    "#1 Mica " MICA_VERSION "\n");
	return (0);
}

static int
gen_devices(struct pfsnode *pn, struct pfs_buf *pb)
{
	/* The majors Mica's drivers use (include/cdev.h). */
	pb_printf(pb, "Character devices:\n  1 mem\n  4 tty\n  4 ttyS\n"
	    "  5 /dev/tty\n  5 /dev/console\n  5 /dev/ptmx\n\n"
	    "Block devices:\n");
	return (0);
}

static int
gen_filesystems(struct pfsnode *pn, struct pfs_buf *pb)
{
	const struct vfsops *v;

	for (int i = 0; (v = vfs_type_at(i)) != NULL; i++)
		pb_printf(pb, "nodev\t%s\n", v->vfs_name);
	return (0);
}

static int
gen_cmdline(struct pfsnode *pn, struct pfs_buf *pb)
{
	pb_printf(pb, "%s\n", kernel_cmdline);
	return (0);
}

static int
gen_vmstat(struct pfsnode *pn, struct pfs_buf *pb)
{
	struct pfs_vmstat vs;
	struct vm_totals t;

	vm_totals(&t);
	memset(&vs, 0, sizeof(vs));
	vs.nr_free_pages = vm_phys_free_count();
	vs.nr_anon_pages = t.resident;
	vs.pgfault = vm_cnt_faults;
	vs.pgmajfault = vm_cnt_majfaults;
	pfs_fmt_vmstat(pb, &vs);
	return (0);
}

static int
link_self(struct pfsnode *pn, char *buf, size_t len)
{
	snprintf(buf, len, "%d", curproc->p_pid);
	return (0);
}

static int
link_thread_self(struct pfsnode *pn, char *buf, size_t len)
{
	snprintf(buf, len, "%d/task/%d", curproc->p_pid,
	    curthread->td_tid ? curthread->td_tid : curproc->p_pid);
	return (0);
}

static int
link_mounts(struct pfsnode *pn, char *buf, size_t len)
{
	strlcpy(buf, "self/mounts", len);
	return (0);
}

static int
gen_ostype(struct pfsnode *pn, struct pfs_buf *pb)
{
	pb_printf(pb, "Linux\n");
	return (0);
}

static int
gen_osrelease(struct pfsnode *pn, struct pfs_buf *pb)
{
	pb_printf(pb, OSRELEASE "\n");
	return (0);
}

static int
gen_hostname(struct pfsnode *pn, struct pfs_buf *pb)
{
	char name[65];

	kern_gethostname(name, sizeof(name));
	pb_printf(pb, "%s\n", name);
	return (0);
}

static int
gen_pid_max(struct pfsnode *pn, struct pfs_buf *pb)
{
	pb_printf(pb, "32768\n");
	return (0);
}

#define FILE(n, g)	{ .pe_name = n, .pe_type = PFS_FILE, \
			  .pe_mode = 0444, .pe_gen = g }
#define LINK(n, l)	{ .pe_name = n, .pe_type = PFS_LINK, \
			  .pe_mode = 0777, .pe_link = l }

const struct pfsent pfs_syskernel_tab[] = {
	FILE("hostname", gen_hostname),
	FILE("osrelease", gen_osrelease),
	FILE("ostype", gen_ostype),
	FILE("pid_max", gen_pid_max),
	{ NULL }
};

const struct pfsent pfs_sys_tab[] = {
	{ .pe_name = "kernel", .pe_type = PFS_DIR, .pe_mode = 0555,
	  .pe_sub = pfs_syskernel_tab },
	{ NULL }
};

const struct pfsent pfs_root_tab[] = {
	FILE("cmdline", gen_cmdline),
	FILE("cpuinfo", gen_cpuinfo),
	FILE("devices", gen_devices),
	FILE("filesystems", gen_filesystems),
	FILE("loadavg", gen_loadavg),
	FILE("meminfo", gen_meminfo),
	LINK("mounts", link_mounts),
	LINK("self", link_self),
	FILE("stat", gen_stat),
	{ .pe_name = "sys", .pe_type = PFS_DIR, .pe_mode = 0555,
	  .pe_sub = pfs_sys_tab },
	LINK("thread-self", link_thread_self),
	FILE("uptime", gen_uptime),
	FILE("version", gen_version),
	FILE("vmstat", gen_vmstat),
	{ NULL }
};

const struct pfsent pfs_root_ent = {
	.pe_name = "/", .pe_type = PFS_DIR, .pe_mode = 0555,
	.pe_sub = pfs_root_tab, .pe_dirkind = PDK_PIDS,
};

/* The mount table, copied under vfs_mtx (mounts, mountinfo). */
#define PFS_MAXMOUNTS	32

struct pfs_mntcopy {
	struct pfs_mount m;
	char path[128], type[16];
	struct vnode *covered;
	struct mount *mp;
};

static int
pfs_mount_copy(struct pfs_mntcopy *mc)
{
	struct mount *mp;
	int n = 0;

	spin_lock(&vfs_mtx);
	TAILQ_FOREACH(mp, &mountlist, mnt_list) {
		if (n == PFS_MAXMOUNTS)
			break;
		mc[n].mp = mp;
		mc[n].covered = mp->mnt_vnodecovered;
		strlcpy(mc[n].path, mp->mnt_path, sizeof(mc[n].path));
		strlcpy(mc[n].type, mp->mnt_type, sizeof(mc[n].type));
		mc[n].m.id = 20 + n;
		mc[n].m.major = pfs_major(mp->mnt_dev);
		mc[n].m.minor = pfs_minor(mp->mnt_dev);
		mc[n].m.rdonly = (mp->mnt_flag & MS_RDONLY) != 0;
		n++;
	}
	spin_unlock(&vfs_mtx);
	for (int i = 0; i < n; i++) {
		mc[i].m.parent_id = mc[i].m.id;
		for (int j = 0; j < n; j++)
			if (mc[i].covered != NULL &&
			    mc[i].covered->v_mount == mc[j].mp)
				mc[i].m.parent_id = mc[j].m.id;
		mc[i].m.path = mc[i].path[0] != '\0' ? mc[i].path : "/";
		mc[i].m.type = mc[i].type;
		mc[i].m.source = mc[i].type;
	}
	return (n);
}

static int
pfs_gen_mounttab(struct pfs_buf *pb, bool info)
{
	struct pfs_mntcopy *mc;
	int n;

	mc = kmalloc(PFS_MAXMOUNTS * sizeof(*mc), M_WAITOK | M_ZERO);
	if (mc == NULL)
		return (-ENOMEM);
	n = pfs_mount_copy(mc);
	for (int i = 0; i < n; i++) {
		if (info)
			pfs_fmt_mountinfo_line(pb, &mc[i].m);
		else
			pfs_fmt_mounts_line(pb, &mc[i].m);
	}
	kfree(mc);
	return (0);
}

int
pfs_gen_mounts(struct pfsnode *pn, struct pfs_buf *pb)
{
	return (pfs_gen_mounttab(pb, false));
}

int
pfs_gen_mountinfo(struct pfsnode *pn, struct pfs_buf *pb)
{
	return (pfs_gen_mounttab(pb, true));
}
