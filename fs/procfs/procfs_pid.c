/*
 * procfs_pid.c: /proc/PID/ and /proc/PID/task/TID/ -- stat, statm,
 * status, maps, smaps_rollup, cmdline, environ, comm, limits, mounts,
 * mountinfo, wchan, the exe, cwd and root links (fd/ and fdinfo/ are in
 * procfs_fd.c).
 *
 * Everything starts from pfs_snap: under proc_lock it finds the process
 * and copies what the files need, taking references on what must outlive
 * the lock (the vmspace, the text and current-directory vnodes, open
 * files), so the formatting that follows, which may sleep, never touches
 * a process that has gone.  A process that has gone answers -ESRCH.
 * Memory figures come from one walk of the vm_map under its lock.
 */
#include <file.h>
#include <imgact.h>
#include <kernel.h>
#include <kmem.h>
#include <libkern.h>
#include <printf.h>
#include <pmap.h>
#include <proc.h>
#include <signal.h>
#include <tty.h>
#include <vm_map.h>
#include <vm_object.h>
#include <vnode.h>

#include "procfs.h"

#define SNAP_VM		0x01	/* a reference on the vmspace */
#define SNAP_VNODES	0x02	/* references on the text and cwd vnodes */

struct pfs_psnap {
	struct pfs_proc pp;
	struct vmspace *vm;		/* referenced, or NULL */
	struct vnode *textvp, *cwdvp;	/* referenced, or NULL */
	char args[128];
	uint64_t rlimit[16][2];
	uid_t ruid, euid;
};

static char
pfs_state(struct proc *p)
{
	struct thread *td = p->p_thread;

	if (p->p_state == PRS_ZOMBIE || td == NULL)
		return ('Z');
	if (p->p_flag & P_STOPPED)
		return ('T');
	switch (td->td_state) {
	case TDS_RUNNING:
	case TDS_RUNQ:
		return ('R');
	case TDS_SLEEPING:
		return ((td->td_flags & TDF_SINTR) ? 'S' : 'D');
	case TDS_STOPPED:
		return ('T');
	case TDS_ZOMBIE:
		return ('Z');
	default:
		return ('S');
	}
}

/* Copy what procfs shows of pid; references per flags. */
static int
pfs_snap(pid_t pid, int flags, struct pfs_psnap *ps)
{
	struct pfs_proc *pp = &ps->pp;
	struct thread *td;
	struct proc *p;

	memset(ps, 0, sizeof(*ps));
	spin_lock(&proc_lock);
	p = pfind(pid);
	if (p == NULL || p->p_state == PRS_NEW) {
		spin_unlock(&proc_lock);
		return (-ESRCH);
	}
	td = p->p_thread;
	pp->pid = p->p_pid;
	pp->tid = td != NULL ? td->td_tid : p->p_pid;
	pp->ppid = p->p_pptr != NULL ? p->p_pptr->p_pid : 0;
	pp->pgrp = p->p_pgrp != NULL ? p->p_pgrp->pg_id : 0;
	pp->sid = p->p_pgrp != NULL && p->p_pgrp->pg_session != NULL ?
	    p->p_pgrp->pg_session->s_sid : 0;
	pp->tpgid = -1;
	if (p->p_pgrp != NULL && p->p_pgrp->pg_session != NULL &&
	    p->p_pgrp->pg_session->s_ttyp != NULL) {
		struct tty *tp = p->p_pgrp->pg_session->s_ttyp;

		/* Linux's encoding: major << 8 | minor (minor < 256). */
		if (tp->t_name != NULL && strncmp(tp->t_name, "ttyS", 4) == 0)
			pp->tty_nr = (4 << 8) | (64 + (tp->t_name[4] - '0'));
		else
			pp->tty_nr = (5 << 8) | 1;	/* /dev/console */
		pp->tpgid = tp->t_pgid > 0 ? tp->t_pgid : -1;
	}
	strlcpy(pp->comm, p->p_comm, sizeof(pp->comm));
	pp->state = pfs_state(p);
	pp->flags = (p->p_flag & P_KPROC) ? PFS_PF_KTHREAD : PFS_PF_RANDOMIZE;
	pp->uid[0] = p->p_ucred.cr_uid;
	pp->uid[1] = pp->uid[3] = p->p_ucred.cr_euid;
	pp->uid[2] = p->p_ucred.cr_suid;
	pp->gid[0] = p->p_ucred.cr_gid;
	pp->gid[1] = pp->gid[3] = p->p_ucred.cr_egid;
	pp->gid[2] = p->p_ucred.cr_sgid;
	ps->ruid = p->p_ucred.cr_uid;
	ps->euid = p->p_ucred.cr_euid;
	pp->umask = p->p_umask;
	pp->minflt = p->p_minflt;
	pp->majflt = p->p_majflt;
	pp->utime = p->p_uticks;
	pp->stime = p->p_sticks;
	pp->cutime = p->p_cuticks;
	pp->cstime = p->p_csticks;
	pp->nthreads = 1;
	pp->starttime = p->p_start_ticks;
	pp->rsslim = p->p_rlimit[RLIMIT_RSS][0];
	pp->sigpnd = td != NULL ? td->td_sigpend : 0;
	pp->shdpnd = p->p_sigpend;
	pp->sigblk = td != NULL ? td->td_sigmask : 0;
	if (p->p_sigacts != NULL)
		for (int s = 1; s <= 64 && s <= _NSIG; s++) {
			uint64_t h = p->p_sigacts->ps_act[s].sa_handler;

			if (h == SIG_IGN)
				pp->sigign |= 1UL << (s - 1);
			else if (h != SIG_DFL)
				pp->sigcgt |= 1UL << (s - 1);
		}
	pp->exit_signal = p->p_exitsig;
	pp->exit_code = p->p_state == PRS_ZOMBIE ? p->p_xstat : 0;
	pp->arg_start = p->p_arg_start;
	pp->arg_end = p->p_arg_end;
	pp->env_start = p->p_env_start;
	pp->env_end = p->p_env_end;
	pp->startstack = p->p_start_stack;
	pp->nvcsw = td != NULL ? td->td_nvcsw : 0;
	pp->nivcsw = td != NULL ? td->td_nivcsw : 0;
	pp->sigq_limit = p->p_rlimit[RLIMIT_SIGPENDING][0];
	memcpy(ps->args, p->p_args, sizeof(ps->args));
	memcpy(ps->rlimit, p->p_rlimit, sizeof(ps->rlimit));
	if (p->p_fd != NULL && !(p->p_flag & P_WEXIT))
		pp->fdsize = MAX(p->p_fd->fd_nfiles, 64);
	if ((flags & SNAP_VM) && p->p_vmspace != NULL &&
	    p->p_state != PRS_ZOMBIE && !(p->p_flag & P_WEXIT)) {
		ps->vm = p->p_vmspace;
		vm_map_lock(&ps->vm->vm_map);
		ps->vm->vm_refcnt++;
		vm_map_unlock(&ps->vm->vm_map);
	}
	if ((flags & SNAP_VNODES) && !(p->p_flag & P_WEXIT)) {
		if ((ps->textvp = p->p_textvp) != NULL)
			vref(ps->textvp);
		if ((ps->cwdvp = p->p_cwd) != NULL)
			vref(ps->cwdvp);
	}
	spin_unlock(&proc_lock);
	return (0);
}

static void
pfs_snap_done(struct pfs_psnap *ps)
{
	if (ps->vm != NULL)
		vmspace_free(ps->vm);
	vrele(ps->textvp);
	vrele(ps->cwdvp);
}

int
pfs_proc_owner(pid_t pid, uid_t *uid, gid_t *gid)
{
	struct proc *p;
	int error = -ENOENT;

	spin_lock(&proc_lock);
	p = pfind(pid);
	if (p != NULL && p->p_state != PRS_NEW) {
		*uid = p->p_ucred.cr_euid;
		*gid = p->p_ucred.cr_egid;
		error = 0;
	}
	spin_unlock(&proc_lock);
	return (error);
}

/* Pages of [start, end) the process has mapped (map lock held). */
static uint64_t
pfs_resident(struct vmspace *vm, vaddr_t start, vaddr_t end)
{
	uint64_t n = 0;
	paddr_t pa;

	for (vaddr_t va = start; va < end; va += PAGE_SIZE)
		if (pmap_extract(&vm->vm_pmap, va, &pa))
			n++;
	return (n);
}

/*
 * The memory figures of stat, statm and status from one walk of the map.
 * Entries below the heap are the executable's (text: executable ones,
 * data: the rest); the entry holding USRSTACK - 1 is the stack.
 */
static void
pfs_vm_figures(struct pfs_psnap *ps)
{
	struct pfs_proc *pp = &ps->pp;
	struct vmspace *vm = ps->vm;
	vm_map_t map;
	vm_map_entry_t e;
	uint64_t pages, file = 0;

	if (vm == NULL)
		return;
	map = &vm->vm_map;
	pp->has_vm = true;
	vm_map_lock(map);
	pp->vsize = map->size;
	pp->rss = vm->vm_pmap.pm_resident;
	pp->start_brk = vm->vm_daddr;
	for (e = vm_map_first_entry(map); e != NULL;
	    e = vm_map_next_entry(map, e)) {
		pages = (e->end - e->start) >> PAGE_SHIFT;
		/* Pages still mapped from a file (not copied on write). */
		if (e->object != NULL && e->object->type == OBJT_VNODE)
			file += pfs_resident(vm, e->start, e->end);
		if (e->end <= vm->vm_daddr) {
			if (e->protection & VM_PROT_EXECUTE) {
				pp->vm_exe += pages;
				if (pp->startcode == 0)
					pp->startcode = e->start;
				pp->endcode = e->end;
			} else if (e->protection & VM_PROT_WRITE) {
				if (pp->start_data == 0)
					pp->start_data = e->start;
				pp->end_data = e->end;
				pp->vm_data += pages;
			}
			continue;
		}
		if (e->start < USRSTACK && e->end >= USRSTACK) {
			pp->vm_stk += pages;
			continue;
		}
		if (e->wired_count > 0)
			pp->vm_lck += pages;
		if ((e->object == NULL || e->object->type != OBJT_VNODE) &&
		    (e->protection & VM_PROT_WRITE))
			pp->vm_data += pages;	/* heap, anonymous mmap */
	}
	vm_map_unlock(map);
	pp->rss_file = MIN(file, pp->rss);
	pp->rss_anon = pp->rss - pp->rss_file;
	pp->shared = pp->rss_file;
	pp->vm_peak = pp->vsize >> PAGE_SHIFT;
	pp->vm_hwm = pp->rss;
	pp->vm_pte = 1 + map->nentries / 8;	/* a rough count, in pages */
}

static int
pfs_snap_vm(struct pfsnode *pn, struct pfs_psnap *ps)
{
	int error;

	if ((error = pfs_snap(pn->pn_pid, SNAP_VM, ps)) != 0)
		return (error);
	pfs_vm_figures(ps);
	return (0);
}

/* stat, statm and status: one snapshot with VM figures, one formatter. */
static int
gen_vmfmt(struct pfsnode *pn, struct pfs_buf *pb,
    void (*fmt)(struct pfs_buf *, const struct pfs_proc *))
{
	struct pfs_psnap ps;
	int error;

	if ((error = pfs_snap_vm(pn, &ps)) != 0)
		return (error);
	fmt(pb, &ps.pp);
	pfs_snap_done(&ps);
	return (0);
}

static int
gen_stat(struct pfsnode *pn, struct pfs_buf *pb)
{
	return (gen_vmfmt(pn, pb, pfs_fmt_pid_stat));
}

static int
gen_statm(struct pfsnode *pn, struct pfs_buf *pb)
{
	return (gen_vmfmt(pn, pb, pfs_fmt_pid_statm));
}

static int
gen_status(struct pfsnode *pn, struct pfs_buf *pb)
{
	return (gen_vmfmt(pn, pb, pfs_fmt_pid_status));
}

/* One map entry as copied out from under the map lock. */
struct pfs_ment {
	vaddr_t start, end;
	vm_offset_t offset;
	vm_prot_t prot, maxprot;
	bool shared, wired, grows_down;
	uint64_t resident;		/* pages (smaps only) */
	struct vnode *vp;		/* referenced, for file mappings */
	const char *name;
};

enum { MAPS, SMAPS, ROLLUP };

/*
 * The file an entry maps, if any: its object or, once a private mapping
 * was written and got a shadow, the vnode object at the bottom of the
 * chain (Linux keeps showing the file).  Map lock held.
 */
static struct vnode *
pfs_entry_vnode(vm_map_entry_t e, vm_offset_t *offset)
{
	struct vnode *vp = NULL;
	vm_offset_t off = e->offset;
	vm_object_t o;

	spin_lock(&vm_object_lock);
	for (o = e->object; o != NULL; o = o->backing_object) {
		if (o->type == OBJT_VNODE && o->handle != NULL) {
			vp = o->handle;
			*offset = off;		/* the file offset of start */
			break;
		}
		off += (vm_offset_t)o->backing_offset << PAGE_SHIFT;
	}
	spin_unlock(&vm_object_lock);
	return (vp);
}

static int
gen_maps_common(struct pfsnode *pn, struct pfs_buf *pb, int mode)
{
	bool rollup = mode == ROLLUP;
	struct pfs_psnap ps;
	struct pfs_ment *ents;
	struct pfs_map m;
	vm_map_t map;
	vm_map_entry_t e;
	char *path, *exepath = NULL;
	int n, cap, error;

	if ((error = pfs_snap(pn->pn_pid, SNAP_VM | SNAP_VNODES, &ps)) != 0)
		return (error);
	if (ps.vm == NULL) {
		pfs_snap_done(&ps);
		return (0);		/* a zombie: empty, as on Linux */
	}
	map = &ps.vm->vm_map;
	cap = map->nentries + 8;
again:
	ents = kmalloc(cap * sizeof(*ents), M_WAITOK | M_ZERO);
	path = kmalloc(PATH_MAX, M_WAITOK);
	if (ents == NULL || path == NULL) {
		kfree(ents);
		kfree(path);
		pfs_snap_done(&ps);
		return (-ENOMEM);
	}
	n = 0;
	vm_map_lock(map);
	if (map->nentries > cap) {
		cap = map->nentries + 8;
		vm_map_unlock(map);
		kfree(ents);
		kfree(path);
		goto again;
	}
	for (e = vm_map_first_entry(map); e != NULL;
	    e = vm_map_next_entry(map, e), n++) {
		struct pfs_ment *me = &ents[n];

		me->start = e->start;
		me->end = e->end;
		me->offset = e->offset;
		me->prot = e->protection;
		me->maxprot = e->max_protection;
		me->shared = !(e->eflags & MAP_ENTRY_COW);
		me->wired = e->wired_count > 0;
		me->grows_down = (e->eflags & MAP_ENTRY_GROWS_DOWN) != 0;
		if (mode == SMAPS)
			me->resident = pfs_resident(ps.vm, e->start, e->end);
		if ((me->vp = pfs_entry_vnode(e, &me->offset)) != NULL)
			vref(me->vp);
		else if (e->end <= ps.vm->vm_daddr)
			me->name = "exe";
		else if (e->start <= ps.vm->vm_daddr &&
		    e->end >= ps.vm->vm_brk && e->start >= ps.vm->vm_daddr)
			me->name = "[heap]";
		else if (e->start < USRSTACK && e->end >= USRSTACK)
			me->name = "[stack]";
	}
	vm_map_unlock(map);
	if (ps.textvp != NULL) {
		exepath = kmalloc(PATH_MAX, M_WAITOK);
		if (exepath != NULL && pfs_vnpath(ps.textvp, exepath,
		    PATH_MAX) != 0)
			strlcpy(exepath, ps.args, PATH_MAX);
	}
	if (rollup) {
		struct pfs_rollup r = { 0 };

		pfs_vm_figures(&ps);
		if (n > 0) {
			r.start = ents[0].start;
			r.end = ents[n - 1].end;
		}
		r.rss = ps.pp.rss * 4;
		r.anon = ps.pp.rss_anon * 4;
		r.file = ps.pp.rss_file * 4;
		pfs_fmt_smaps_rollup(pb, &r);
	}
	for (int i = 0; i < n; i++) {
		struct pfs_ment *me = &ents[i];

		memset(&m, 0, sizeof(m));
		m.start = me->start;
		m.end = me->end;
		m.r = (me->prot & VM_PROT_READ) != 0;
		m.w = (me->prot & VM_PROT_WRITE) != 0;
		m.x = (me->prot & VM_PROT_EXECUTE) != 0;
		m.shared = me->shared;
		m.name = me->name;
		if (me->vp != NULL) {
			m.offset = me->offset;
			m.inode = me->vp->v_ino;
			m.minor = pfs_minor(me->vp->v_mount->mnt_dev);
			m.major = pfs_major(me->vp->v_mount->mnt_dev);
			if (pfs_vnpath(me->vp, path, PATH_MAX) == 0)
				m.name = path;
			vrele(me->vp);
		} else if (me->name != NULL && strcmp(me->name, "exe") == 0) {
			m.name = exepath;
			m.offset = me->start - ents[0].start;
			if (ps.textvp != NULL) {
				dev_t dev = ps.textvp->v_mount->mnt_dev;

				m.inode = ps.textvp->v_ino;
				m.minor = pfs_minor(dev);
				m.major = pfs_major(dev);
			}
		}
		if (mode == MAPS)
			pfs_fmt_maps_line(pb, &m);
		else if (mode == SMAPS) {
			struct pfs_smap sm = { .map = m,
				.size_kb = (me->end - me->start) / 1024,
				.rss_kb = me->resident * (PAGE_SIZE / 1024),
				.anon = me->vp == NULL,
				.locked = me->wired,
				.mr = (me->maxprot & VM_PROT_READ) != 0,
				.mw = (me->maxprot & VM_PROT_WRITE) != 0,
				.mx = (me->maxprot & VM_PROT_EXECUTE) != 0,
				.grows_down = me->grows_down };

			pfs_fmt_smaps_entry(pb, &sm);
		}
	}
	kfree(exepath);
	kfree(ents);
	kfree(path);
	pfs_snap_done(&ps);
	return (0);
}

static int
gen_maps(struct pfsnode *pn, struct pfs_buf *pb)
{
	return (gen_maps_common(pn, pb, MAPS));
}

static int
gen_smaps(struct pfsnode *pn, struct pfs_buf *pb)
{
	return (gen_maps_common(pn, pb, SMAPS));
}

static int
gen_smaps_rollup(struct pfsnode *pn, struct pfs_buf *pb)
{
	return (gen_maps_common(pn, pb, ROLLUP));
}

/*
 * Copy [start, end) of the process's memory into pb, page by page from
 * the pages its objects hold (never faulting anything in); stops at the
 * first page that is not resident.
 */
static void
pfs_copy_user(struct vmspace *vm, uint64_t start, uint64_t end,
    struct pfs_buf *pb)
{
	vm_map_t map = &vm->vm_map;
	vm_map_entry_t e;
	vm_page_t m;
	uint64_t va, n;

	while (start < end && !pb->pb_full) {
		va = trunc_page(start);
		n = MIN(end - start, va + PAGE_SIZE - start);
		vm_map_lock(map);
		m = NULL;
		if (vm_map_lookup_entry(map, va, &e) && e->object != NULL)
			m = vm_object_chain_lookup(e->object,
			    (e->offset + (va - e->start)) >> PAGE_SHIFT, NULL);
		if (m != NULL)
			pb_write(pb, (char *)PHYS_TO_DMAP(VM_PAGE_TO_PHYS(m)) +
			    (start - va), n);
		vm_map_unlock(map);
		if (m == NULL)
			break;
		start += n;
	}
}

static int
gen_cmdline(struct pfsnode *pn, struct pfs_buf *pb)
{
	struct pfs_psnap ps;
	size_t len;
	int error;

	if ((error = pfs_snap(pn->pn_pid, SNAP_VM, &ps)) != 0)
		return (error);
	if (ps.vm != NULL && ps.pp.arg_end > ps.pp.arg_start &&
	    ps.pp.arg_end - ps.pp.arg_start <= ARG_MAX)
		pfs_copy_user(ps.vm, ps.pp.arg_start, ps.pp.arg_end, pb);
	else if (ps.vm != NULL) {
		/* No user copy: the kernel's (kernel threads, early init). */
		for (len = 0; len + 1 < sizeof(ps.args) &&
		    (ps.args[len] != '\0' || ps.args[len + 1] != '\0'); len++)
			;
		if (len > 0)
			pb_write(pb, ps.args, len + 1);
	}
	pfs_snap_done(&ps);
	return (0);
}

/* environ: the owner (same real uid) or root only, as Linux's ptrace
 * read check. */
static int
gen_environ(struct pfsnode *pn, struct pfs_buf *pb)
{
	const struct ucred *cr = vfs_cred();
	struct pfs_psnap ps;
	int error;

	if ((error = pfs_snap(pn->pn_pid, SNAP_VM, &ps)) != 0)
		return (error);
	if (cr->cr_euid != 0 && (cr->cr_uid != ps.ruid ||
	    cr->cr_uid != ps.euid))
		error = -EACCES;
	else if (ps.vm != NULL && ps.pp.env_end > ps.pp.env_start &&
	    ps.pp.env_end - ps.pp.env_start <= ARG_MAX)
		pfs_copy_user(ps.vm, ps.pp.env_start, ps.pp.env_end, pb);
	pfs_snap_done(&ps);
	return (error);
}

static int
gen_comm(struct pfsnode *pn, struct pfs_buf *pb)
{
	struct pfs_psnap ps;
	int error;

	if ((error = pfs_snap(pn->pn_pid, 0, &ps)) != 0)
		return (error);
	pb_printf(pb, "%s\n", ps.pp.comm);
	pfs_snap_done(&ps);
	return (0);
}

/* Writing comm renames the process (its own, or as root): the first 15
 * bytes as written (Linux keeps a newline too). */
static int
write_comm(struct pfsnode *pn, const char *buf, size_t len)
{
	const struct ucred *cr = vfs_cred();
	struct proc *p;
	char name[16];
	int error = 0;

	strlcpy(name, buf, sizeof(name));
	spin_lock(&proc_lock);
	p = pfind(pn->pn_pid);
	if (p == NULL || p->p_state != PRS_NORMAL)
		error = -ESRCH;
	else if (cr->cr_euid != 0 && cr->cr_euid != p->p_ucred.cr_uid)
		error = -EACCES;
	else
		strlcpy(p->p_comm, name, sizeof(p->p_comm));
	spin_unlock(&proc_lock);
	return (error);
}

static int
gen_limits(struct pfsnode *pn, struct pfs_buf *pb)
{
	struct pfs_psnap ps;
	int error;

	if ((error = pfs_snap(pn->pn_pid, 0, &ps)) != 0)
		return (error);
	pfs_fmt_limits(pb, (const uint64_t (*)[2])ps.rlimit);
	pfs_snap_done(&ps);
	return (0);
}

static int
gen_wchan(struct pfsnode *pn, struct pfs_buf *pb)
{
	struct pfs_psnap ps;
	int error;

	if ((error = pfs_snap(pn->pn_pid, 0, &ps)) != 0)
		return (error);
	/* Linux prints a symbol name or "0"; never an address. */
	pb_printf(pb, "0");
	pfs_snap_done(&ps);
	return (0);
}

static int
link_exe(struct pfsnode *pn, char *buf, size_t len)
{
	struct pfs_psnap ps;
	int error;

	if ((error = pfs_snap(pn->pn_pid, SNAP_VNODES, &ps)) != 0)
		return (-ENOENT);
	if (ps.textvp == NULL)
		error = -ENOENT;
	else
		error = pfs_vnpath(ps.textvp, buf, len);
	pfs_snap_done(&ps);
	return (error);
}

static int
link_cwd(struct pfsnode *pn, char *buf, size_t len)
{
	struct pfs_psnap ps;
	int error;

	if ((error = pfs_snap(pn->pn_pid, SNAP_VNODES, &ps)) != 0)
		return (-ENOENT);
	if (ps.cwdvp == NULL)
		error = -ENOENT;
	else
		error = vn_fullpath(ps.cwdvp, buf, len);
	pfs_snap_done(&ps);
	return (error);
}

static int
link_root(struct pfsnode *pn, char *buf, size_t len)
{
	uid_t u;
	gid_t g;

	if (pfs_proc_owner(pn->pn_pid, &u, &g) != 0)
		return (-ENOENT);
	strlcpy(buf, "/", len);		/* no chroot in Mica */
	return (0);
}

#define FILE(n, m, g)	{ .pe_name = n, .pe_type = PFS_FILE, \
			  .pe_mode = m, .pe_gen = g, .pe_perproc = true }
#define LINK(n, l)	{ .pe_name = n, .pe_type = PFS_LINK, \
			  .pe_mode = 0777, .pe_link = l, .pe_perproc = true }

const struct pfsent pfs_fd_ent = {
	.pe_name = "fd", .pe_type = PFS_LINK, .pe_mode = 0700,
	.pe_link = pfs_fd_link, .pe_perproc = true,
};
const struct pfsent pfs_fdinfo_ent = FILE("fdinfo", 0444, pfs_fdinfo_gen);

#define FDDIRS \
	{ .pe_name = "fd", .pe_type = PFS_DIR, .pe_mode = 0500,	\
	  .pe_dirkind = PDK_FDS, .pe_perproc = true },			\
	{ .pe_name = "fdinfo", .pe_type = PFS_DIR, .pe_mode = 0500,	\
	  .pe_dirkind = PDK_FDINFOS, .pe_perproc = true }

const struct pfsent pfs_tid_tab[] = {
	FILE("cmdline", 0444, gen_cmdline),
	{ .pe_name = "comm", .pe_type = PFS_FILE, .pe_mode = 0644,
	  .pe_gen = gen_comm, .pe_write = write_comm, .pe_perproc = true },
	LINK("cwd", link_cwd),
	FILE("environ", 0400, gen_environ),
	LINK("exe", link_exe),
	FDDIRS,
	FILE("limits", 0444, gen_limits),
	FILE("maps", 0444, gen_maps),
	FILE("mountinfo", 0444, pfs_gen_mountinfo),
	FILE("mounts", 0444, pfs_gen_mounts),
	LINK("root", link_root),
	FILE("smaps", 0444, gen_smaps),
	FILE("smaps_rollup", 0444, gen_smaps_rollup),
	FILE("stat", 0444, gen_stat),
	FILE("statm", 0444, gen_statm),
	FILE("status", 0444, gen_status),
	FILE("wchan", 0444, gen_wchan),
	{ NULL }
};

const struct pfsent pfs_pid_tab[] = {
	FILE("cmdline", 0444, gen_cmdline),
	{ .pe_name = "comm", .pe_type = PFS_FILE, .pe_mode = 0644,
	  .pe_gen = gen_comm, .pe_write = write_comm, .pe_perproc = true },
	LINK("cwd", link_cwd),
	FILE("environ", 0400, gen_environ),
	LINK("exe", link_exe),
	FDDIRS,
	FILE("limits", 0444, gen_limits),
	FILE("maps", 0444, gen_maps),
	FILE("mountinfo", 0444, pfs_gen_mountinfo),
	FILE("mounts", 0444, pfs_gen_mounts),
	LINK("root", link_root),
	FILE("smaps", 0444, gen_smaps),
	FILE("smaps_rollup", 0444, gen_smaps_rollup),
	FILE("stat", 0444, gen_stat),
	FILE("statm", 0444, gen_statm),
	FILE("status", 0444, gen_status),
	{ .pe_name = "task", .pe_type = PFS_DIR, .pe_mode = 0555,
	  .pe_dirkind = PDK_TIDS, .pe_perproc = true },
	FILE("wchan", 0444, gen_wchan),
	{ NULL }
};

const struct pfsent pfs_pid_ent = {
	.pe_name = "PID", .pe_type = PFS_DIR, .pe_mode = 0555,
	.pe_sub = pfs_pid_tab, .pe_perproc = true,
};

const struct pfsent pfs_tid_ent = {
	.pe_name = "TID", .pe_type = PFS_DIR, .pe_mode = 0555,
	.pe_sub = pfs_tid_tab, .pe_perproc = true,
};
