/*
 * procfs_vnops.c: the /proc file system type and its vnode operations
 * (after NetBSD miscfs/procfs, laid out as Linux's proc(5)).
 *
 * The tree is described by pfsent tables (procfs.h); lookup makes a new
 * vnode for every name it finds and readdir walks the same tables, adding
 * one directory per live pid (the root), per thread (task/) or per open
 * descriptor (fd/, fdinfo/).  Inode numbers are computed from what a node
 * is about, so the same name always has the same number and vn_fullpath
 * can find names by inode.  Regular files are snapshots: the text is made
 * at open into pn_buf and served from there; a read at offset 0 after the
 * first makes a new one (top and procps lseek to 0 and read again).
 */
#include <kernel.h>
#include <kmem.h>
#include <libkern.h>
#include <printf.h>
#include <proc.h>
#include <uio.h>
#include <vnode.h>

#include "procfs.h"

#define PFS_MAXSIZE	(4UL << 20)	/* the largest snapshot */

static const struct vnodeops procfs_vnodeops;

/*
 * Inode numbers: pid in the high bits, then the table and the index in
 * it.  Tables: 1 root, 2 PID, 3 TID, 4 sys, 5 sys/kernel; 6 is a TID
 * directory, 7 fd/N and 8 fdinfo/N (index N + 1).  The root is 1.
 */
#define TAB_PIDDIR	0
#define TAB_TIDDIR	6
#define TAB_FD		7
#define TAB_FDINFO	8

static uint64_t
pfs_ino(pid_t pid, int tab, int idx)
{
	return (((uint64_t)pid << 24) | ((uint64_t)tab << 16) |
	    (uint64_t)(idx & 0xffff)) + 1;
}

static const struct {
	const struct pfsent *tab;
	int n;
} pfs_tabs[] = {
	{ pfs_root_tab, 1 }, { pfs_pid_tab, 2 }, { pfs_tid_tab, 3 },
	{ pfs_sys_tab, 4 }, { pfs_syskernel_tab, 5 },
};

static int
pfs_tabno(const struct pfsent *tab)
{
	for (size_t i = 0; i < nitems(pfs_tabs); i++)
		if (pfs_tabs[i].tab == tab)
			return (pfs_tabs[i].n);
	return (9);
}

/* The table holding ent and its index there; NULL if none does. */
static const struct pfsent *
pfs_tab_of(const struct pfsent *ent, int *idx)
{
	for (size_t i = 0; i < nitems(pfs_tabs); i++)
		for (int k = 0; pfs_tabs[i].tab[k].pe_name != NULL; k++)
			if (&pfs_tabs[i].tab[k] == ent) {
				*idx = k;
				return (pfs_tabs[i].tab);
			}
	return (NULL);
}

/* The directory holding directory ent, and that one's inode number. */
static const struct pfsent *
pfs_parent(const struct pfsent *ent, pid_t pid, uint64_t *ino)
{
	const struct pfsent *tab;
	int idx;

	*ino = 1;
	if (ent == &pfs_root_ent || ent == &pfs_pid_ent)
		return (&pfs_root_ent);
	if (ent == &pfs_tid_ent) {		/* PID/task */
		for (idx = 0; strcmp(pfs_pid_tab[idx].pe_name, "task"); idx++)
			;
		*ino = pfs_ino(pid, 2, idx);
		return (&pfs_pid_tab[idx]);
	}
	tab = pfs_tab_of(ent, &idx);
	if (tab == pfs_pid_tab) {
		*ino = pfs_ino(pid, TAB_PIDDIR, 0);
		return (&pfs_pid_ent);
	}
	if (tab == pfs_tid_tab) {
		*ino = pfs_ino(pid, TAB_TIDDIR, 0);
		return (&pfs_tid_ent);
	}
	if (tab == pfs_syskernel_tab) {
		*ino = pfs_ino(0, 1, 0);
		for (idx = 0; strcmp(pfs_root_tab[idx].pe_name, "sys"); idx++)
			;
		*ino = pfs_ino(0, 1, idx);
		return (&pfs_root_tab[idx]);
	}
	return (&pfs_root_ent);
}

/* A vnode for ent about (pid, tid, fd), referenced. */
static int
pfs_node(struct mount *mp, const struct pfsent *ent, pid_t pid, int tid,
    int fd, uint64_t ino, struct vnode **vpp)
{
	struct pfsnode *pn;
	struct vnode *vp;
	enum vtype vt;
	uid_t uid = 0;
	gid_t gid = 0;

	if (pid != 0 && pfs_proc_owner(pid, &uid, &gid) != 0)
		return (-ENOENT);
	pn = kmalloc(sizeof(*pn), M_WAITOK | M_ZERO);
	if (pn == NULL)
		return (-ENOMEM);
	pn->pn_ent = ent;
	pn->pn_pid = pid;
	pn->pn_tid = tid;
	pn->pn_fd = fd;
	pn->pn_ino = ino;
	vt = ent->pe_type == PFS_DIR ? VDIR :
	    ent->pe_type == PFS_LINK ? VLNK : VREG;
	vp = vnalloc(mp, vt, &procfs_vnodeops, pn);
	if (vp == NULL) {
		kfree(pn);
		return (-ENOMEM);
	}
	vp->v_ino = ino;
	vp->v_mode = vttoif(vt) | ent->pe_mode;
	vp->v_nlink = vt == VDIR ? 2 : 1;
	vp->v_uid = uid;
	vp->v_gid = gid;
	vp->v_size = 0;
	vref(vp);
	*vpp = vp;
	return (0);
}

/* "123" -> 123; -1 for anything that is not a plain positive number. */
static int
pfs_atoi(const char *s)
{
	long v = 0;

	if (*s == '\0' || (*s == '0' && s[1] != '\0') || strlen(s) > 9)
		return (-1);
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return (-1);
		v = v * 10 + (*s - '0');
	}
	return ((int)v);
}

static int
procfs_lookup(struct vnode *dvp, const char *name, struct vnode **vpp)
{
	struct pfsnode *dn = dvp->v_data;
	const struct pfsent *de = dn->pn_ent, *e;
	int tab = pfs_tabno(de->pe_sub), n, i, error;

	if (dvp->v_type != VDIR)
		return (-ENOTDIR);
	if (strcmp(name, "..") == 0) {
		uint64_t ino;

		e = pfs_parent(de, dn->pn_pid, &ino);
		if (e == &pfs_root_ent) {
			vref(dvp->v_mount->mnt_root);
			*vpp = dvp->v_mount->mnt_root;
			return (0);
		}
		return (pfs_node(dvp->v_mount, e, e->pe_perproc ?
		    dn->pn_pid : 0, dn->pn_tid, -1, ino, vpp));
	}
	for (i = 0, e = de->pe_sub; e != NULL && e->pe_name != NULL; e++, i++)
		if (strcmp(e->pe_name, name) == 0)
			return (pfs_node(dvp->v_mount, e, dn->pn_pid,
			    dn->pn_tid, -1, pfs_ino(dn->pn_pid, tab, i), vpp));
	if ((n = pfs_atoi(name)) < 0)
		return (-ENOENT);
	switch (de->pe_dirkind) {
	case PDK_PIDS:
		if (n == 0)			/* the kernel's proc0 */
			return (-ENOENT);
		return (pfs_node(dvp->v_mount, &pfs_pid_ent, n, n, -1,
		    pfs_ino(n, TAB_PIDDIR, 0), vpp));
	case PDK_TIDS:
		if (n != dn->pn_pid)		/* one thread per process */
			return (-ENOENT);
		return (pfs_node(dvp->v_mount, &pfs_tid_ent, dn->pn_pid, n,
		    -1, pfs_ino(dn->pn_pid, TAB_TIDDIR, 0), vpp));
	case PDK_FDS:
	case PDK_FDINFOS:
		if ((i = pfs_fd_mode(dn->pn_pid, n)) < 0)
			return (-ENOENT);
		error = pfs_node(dvp->v_mount, de->pe_dirkind == PDK_FDS ?
		    &pfs_fd_ent : &pfs_fdinfo_ent, dn->pn_pid, dn->pn_tid, n,
		    pfs_ino(dn->pn_pid, de->pe_dirkind == PDK_FDS ? TAB_FD :
		    TAB_FDINFO, n + 1), vpp);
		if (error == 0 && de->pe_dirkind == PDK_FDS)
			(*vpp)->v_mode = S_IFLNK | i;
		return (error);
	default:
		return (-ENOENT);
	}
}

static int
pfs_dtype(const struct pfsent *e)
{
	return (e->pe_type == PFS_DIR ? DT_DIR :
	    e->pe_type == PFS_LINK ? DT_LNK : DT_REG);
}

/*
 * Cookies: 0 ".", 1 "..", 2.. the table, then 0x10000 + n for numbered
 * entries (pid, tid or fd n), so a listing resumes where it stopped even
 * when processes come and go in between.
 */
#define PFS_NUMBASE	0x10000

static int
procfs_readdir(struct vnode *vp, struct uio *uio)
{
	struct pfsnode *dn = vp->v_data;
	const struct pfsent *de = dn->pn_ent;
	int tab = pfs_tabno(de->pe_sub), ntab = 0, n, k, error = 0;
	off_t off = uio->uio_offset;
	char name[16];
	int *nums = NULL;

	if (de->pe_sub != NULL)
		while (de->pe_sub[ntab].pe_name != NULL)
			ntab++;
	if (off == 0) {
		if ((error = vfs_dirent_emit(uio, ".", dn->pn_ino, DT_DIR, 1)))
			return (error > 0 ? 0 : error);
		off = 1;
	}
	if (off == 1) {
		uint64_t pino;

		(void)pfs_parent(de, dn->pn_pid, &pino);
		if ((error = vfs_dirent_emit(uio, "..", pino, DT_DIR, 2)))
			return (error > 0 ? 0 : error);
		off = 2;
	}
	for (; off < 2 + ntab; off++) {
		const struct pfsent *e = &de->pe_sub[off - 2];

		if ((error = vfs_dirent_emit(uio, e->pe_name,
		    pfs_ino(dn->pn_pid, tab, off - 2), pfs_dtype(e), off + 1)))
			return (error > 0 ? 0 : error);
	}
	if (de->pe_dirkind == PDK_NONE)
		return (0);
	if (off < PFS_NUMBASE)
		off = PFS_NUMBASE;
	nums = kmalloc(1024 * sizeof(int), M_WAITOK);
	if (nums == NULL)
		return (-ENOMEM);
	switch (de->pe_dirkind) {
	case PDK_PIDS:
		n = 0;
		spin_lock(&proc_lock);
		{
			struct proc *p;

			LIST_FOREACH(p, &allproc, p_list)
				if (p->p_state != PRS_NEW && p->p_pid > 0 &&
				    n < 1024)
					nums[n++] = p->p_pid;
		}
		spin_unlock(&proc_lock);
		break;
	case PDK_TIDS:
		nums[0] = dn->pn_pid;
		n = 1;
		break;
	default:
		n = pfs_fd_list(dn->pn_pid, nums, 1024);
		if (n < 0)
			n = 0;
		break;
	}
	/* Ascending order, as Linux lists them. */
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && nums[j - 1] > nums[j]; j--) {
			k = nums[j];
			nums[j] = nums[j - 1];
			nums[j - 1] = k;
		}
	for (int i = 0; i < n; i++) {
		uint64_t ino;
		int dt;

		if (PFS_NUMBASE + nums[i] < off)
			continue;
		snprintf(name, sizeof(name), "%d", nums[i]);
		switch (de->pe_dirkind) {
		case PDK_PIDS:
			ino = pfs_ino(nums[i], TAB_PIDDIR, 0);
			dt = DT_DIR;
			break;
		case PDK_TIDS:
			ino = pfs_ino(dn->pn_pid, TAB_TIDDIR, 0);
			dt = DT_DIR;
			break;
		case PDK_FDS:
			ino = pfs_ino(dn->pn_pid, TAB_FD, nums[i] + 1);
			dt = DT_LNK;
			break;
		default:
			ino = pfs_ino(dn->pn_pid, TAB_FDINFO, nums[i] + 1);
			dt = DT_REG;
			break;
		}
		if ((error = vfs_dirent_emit(uio, name, ino, dt,
		    PFS_NUMBASE + nums[i] + 1)))
			break;
	}
	kfree(nums);
	return (error > 0 ? 0 : error);
}

static int
procfs_getattr(struct vnode *vp, struct vattr *vap)
{
	memset(vap, 0, sizeof(*vap));
	vap->va_type = vp->v_type;
	vap->va_mode = vp->v_mode;
	vap->va_uid = vp->v_uid;
	vap->va_gid = vp->v_gid;
	vap->va_nlink = vp->v_nlink;
	vap->va_size = 0;			/* as on Linux */
	vap->va_ino = vp->v_ino;
	vap->va_fsid = vp->v_mount->mnt_dev;
	vap->va_blksize = 1024;
	vap->va_atime = vp->v_atime;
	vap->va_mtime = vp->v_mtime;
	vap->va_ctime = vp->v_ctime;
	return (0);
}

static int
procfs_readlink(struct vnode *vp, struct uio *uio)
{
	struct pfsnode *pn = vp->v_data;
	char *buf;
	int error;

	if (vp->v_type != VLNK || pn->pn_ent->pe_link == NULL)
		return (-EINVAL);
	buf = kmalloc(1024, M_WAITOK);
	if (buf == NULL)
		return (-ENOMEM);
	error = pn->pn_ent->pe_link(pn, buf, 1024);
	if (error == 0)
		error = uiomove(buf, MIN(strlen(buf), (size_t)uio->uio_resid),
		    uio);
	kfree(buf);
	return (error);
}

/*
 * Make a new snapshot of vp's text into pn_buf.  v_size follows it (stat
 * still says 0, as Linux) so kqueue's EVFILT_READ, which counts from the
 * offset to v_size, reports a procfs file readable as a regular file.
 */
static int
pfs_generate(struct vnode *vp)
{
	struct pfsnode *pn = vp->v_data;
	struct pfs_buf pb;
	size_t cap = 4096;
	char *buf;
	int error;

	for (;;) {
		buf = kmalloc(cap, M_WAITOK);
		if (buf == NULL)
			return (-ENOMEM);
		pb_init(&pb, buf, cap);
		error = pn->pn_ent->pe_gen(pn, &pb);
		if (error != 0) {
			kfree(buf);
			return (error);
		}
		if (!pb.pb_full)
			break;
		kfree(buf);
		if (cap >= PFS_MAXSIZE)
			return (-ENOMEM);
		cap *= 2;
	}
	kfree(pn->pn_buf);
	pn->pn_buf = buf;
	pn->pn_len = pb.pb_len;
	vp->v_size = pn->pn_len;
	return (0);
}

/*
 * open: write access only where the entry takes writes (-EACCES
 * otherwise, for root too); a snapshot of a regular file's text.
 */
static int
procfs_open(struct vnode *vp, int oflags)
{
	struct pfsnode *pn = vp->v_data;
	int error;

	if ((oflags & O_ACCMODE) != O_RDONLY && pn->pn_ent->pe_write == NULL)
		return (-EACCES);
	if (vp->v_type != VREG || (oflags & O_ACCMODE) == O_WRONLY)
		return (0);
	if ((error = pfs_generate(vp)) != 0)
		return (error);
	pn->pn_fresh = true;
	return (0);
}

static int
procfs_read(struct vnode *vp, struct uio *uio, int ioflag)
{
	struct pfsnode *pn = vp->v_data;
	int error;

	if (vp->v_type == VDIR)
		return (-EISDIR);
	if (vp->v_type != VREG)
		return (-EINVAL);
	if (uio->uio_offset < 0)
		return (-EINVAL);
	if (pn->pn_buf == NULL || (uio->uio_offset == 0 && !pn->pn_fresh)) {
		if ((error = pfs_generate(vp)) != 0)
			return (error);
	}
	pn->pn_fresh = false;
	if ((size_t)uio->uio_offset >= pn->pn_len)
		return (0);
	return (uiomove(pn->pn_buf + uio->uio_offset,
	    MIN(pn->pn_len - (size_t)uio->uio_offset,
	    (size_t)uio->uio_resid), uio));
}

static int
procfs_write(struct vnode *vp, struct uio *uio, int ioflag)
{
	struct pfsnode *pn = vp->v_data;
	char buf[64];
	size_t n;
	int error;

	if (vp->v_type != VREG || pn->pn_ent->pe_write == NULL)
		return (-EINVAL);
	n = MIN((size_t)uio->uio_resid, sizeof(buf) - 1);
	if ((error = uiomove(buf, n, uio)) != 0)
		return (error);
	buf[n] = '\0';
	error = pn->pn_ent->pe_write(pn, buf, n);
	uio->uio_resid = 0;		/* the rest is dropped, as on Linux */
	return (error);
}

/* Nothing can be created in /proc: ENOENT, as Linux answers. */
static int
procfs_create(struct vnode *dvp, const char *name, mode_t mode,
    const struct ucred *cred, struct vnode **vpp)
{
	return (-ENOENT);
}

static int
procfs_mkdir(struct vnode *dvp, const char *name, mode_t mode,
    const struct ucred *cred, struct vnode **vpp)
{
	return (-ENOENT);
}

static int
procfs_symlink(struct vnode *dvp, const char *name, const char *target,
    const struct ucred *cred, struct vnode **vpp)
{
	return (-ENOENT);
}

/* Truncation (open with O_TRUNC) of a writable file is accepted and does
 * nothing, as on Linux; every other change is refused. */
static int
procfs_setattr(struct vnode *vp, const struct vattr *vap)
{
	struct pfsnode *pn = vp->v_data;

	if (vp->v_type == VREG && pn->pn_ent->pe_write != NULL &&
	    vap->va_mask == VA_SIZE)
		return (0);
	return (vap->va_mask == VA_SIZE ? -EACCES : -EPERM);
}

static void
procfs_inactive(struct vnode *vp)
{
	struct pfsnode *pn = vp->v_data;

	if (vp == vp->v_mount->mnt_root && vp->v_mount->mnt_data != NULL)
		return;		/* the root lives as long as the mount */
	kfree(pn->pn_buf);
	kfree(pn);
	vnfree(vp);
}

static const struct vnodeops procfs_vnodeops = {
	.vop_lookup = procfs_lookup,
	.vop_create = procfs_create,
	.vop_mkdir = procfs_mkdir,
	.vop_symlink = procfs_symlink,
	.vop_readlink = procfs_readlink,
	.vop_getattr = procfs_getattr,
	.vop_setattr = procfs_setattr,
	.vop_read = procfs_read,
	.vop_write = procfs_write,
	.vop_readdir = procfs_readdir,
	.vop_open = procfs_open,
	.vop_inactive = procfs_inactive,
};

static int
procfs_mount(struct mount *mp, const char *data)
{
	struct vnode *vp;
	int error;

	if ((error = pfs_node(mp, &pfs_root_ent, 0, 0, -1, 1, &vp)) != 0)
		return (error);
	mp->mnt_root = vp;
	mp->mnt_data = vp;
	return (0);
}

static int
procfs_unmount(struct mount *mp, int flags)
{
	struct vnode *vp = mp->mnt_root;

	mp->mnt_data = NULL;
	mp->mnt_root = NULL;
	vrele(vp);			/* inactive frees it */
	return (0);
}

static int
procfs_statfs(struct mount *mp, struct statfs *sfp)
{
	memset(sfp, 0, sizeof(*sfp));
	sfp->f_type = PROC_SUPER_MAGIC;
	sfp->f_bsize = 4096;
	sfp->f_namelen = 255;
	sfp->f_frsize = 4096;
	return (0);
}

const struct vfsops procfs_vfsops = {
	.vfs_name = "proc",
	.vfs_mount = procfs_mount,
	.vfs_unmount = procfs_unmount,
	.vfs_statfs = procfs_statfs,
};
