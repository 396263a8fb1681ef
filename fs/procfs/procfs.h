/*
 * procfs.h: the insides of the /proc file system (fs/procfs/).
 *
 * Every name under /proc is described by a pfsent in a static table (the
 * root's, /proc/sys/kernel's, a process directory's, a thread's); a vnode
 * for it is made afresh by each lookup and carries a pfsnode naming the
 * entry and the pid, tid or fd it is about.  Nothing is cached: a vnode
 * dies with its last reference.  A regular file's text is generated when
 * it is opened (and again when it is read from offset 0 later, as Linux's
 * seq_file does) into a buffer the pfsnode owns, so short reads see one
 * consistent snapshot and a process that exits meanwhile cannot be seen
 * half-gone.
 */
#ifndef _PROCFS_H_
#define _PROCFS_H_

#include <proc.h>
#include <vnode.h>

#include "procfs_fmt.h"

/* Device numbers as cdev.h's makedev packs them (major << 8 | minor). */
#define pfs_major(d)	((uint32_t)((uint64_t)(d) >> 8))
#define pfs_minor(d)	((uint32_t)((d) & 0xff))

struct pfsnode;

enum pfstype {
	PFS_DIR,		/* a directory whose entries are pe_sub */
	PFS_FILE,		/* a generated regular file */
	PFS_LINK,		/* a symlink made by pe_link */
};

/* What a directory holds besides its table. */
enum pfsdirkind { PDK_NONE, PDK_PIDS, PDK_TIDS, PDK_FDS, PDK_FDINFOS };

struct pfsent {
	const char *pe_name;
	enum pfstype pe_type;
	mode_t pe_mode;			/* permission bits */
	/* PFS_FILE: the text (-ESRCH when the process is gone). */
	int (*pe_gen)(struct pfsnode *pn, struct pfs_buf *pb);
	/* PFS_LINK: the target into buf. */
	int (*pe_link)(struct pfsnode *pn, char *buf, size_t len);
	/* PFS_FILE: writable files only (comm). */
	int (*pe_write)(struct pfsnode *pn, const char *buf, size_t len);
	/* PFS_DIR: the entries, then the numbered ones. */
	const struct pfsent *pe_sub;
	enum pfsdirkind pe_dirkind;
	bool pe_perproc;		/* a per-process entry */
};

struct pfsnode {
	const struct pfsent *pn_ent;
	pid_t pn_pid;			/* 0: not about a process */
	int pn_tid;
	int pn_fd;			/* fd/N, fdinfo/N; -1 */
	uint64_t pn_ino;
	/* The snapshot of a regular file (vnode's own; one opener). */
	char *pn_buf;
	size_t pn_len;
	bool pn_fresh;			/* made by open, not read yet */
};

extern const struct pfsent pfs_root_ent;	/* "/proc" itself */
extern const struct pfsent pfs_pid_ent;		/* "/proc/PID" */
extern const struct pfsent pfs_tid_ent;		/* "/proc/PID/task/TID" */
extern const struct pfsent pfs_fd_ent, pfs_fdinfo_ent;

/* procfs_sys.c: the system-wide files. */
extern const struct pfsent pfs_root_tab[], pfs_sys_tab[], pfs_syskernel_tab[];
/* procfs_path.c: the path of any vnode (files too), or -ENOENT. */
int pfs_vnpath(struct vnode *vp, char *buf, size_t len);

/* procfs_pid.c: the per-process files. */
extern const struct pfsent pfs_pid_tab[], pfs_tid_tab[];
int pfs_fd_link(struct pfsnode *pn, char *buf, size_t len);
int pfs_fdinfo_gen(struct pfsnode *pn, struct pfs_buf *pb);
bool pfs_fd_exists(pid_t pid, int fd);
int pfs_fd_mode(pid_t pid, int fd);	/* fd/N's permission bits, or -1 */
/* Fill fds[] with the open descriptors of pid; the count or -ESRCH. */
int pfs_fd_list(pid_t pid, int *fds, int max);
/* uid/gid of a live process (the owner of its /proc directory). */
int pfs_proc_owner(pid_t pid, uid_t *uid, gid_t *gid);
int pfs_gen_mounts(struct pfsnode *pn, struct pfs_buf *pb);
int pfs_gen_mountinfo(struct pfsnode *pn, struct pfs_buf *pb);

#endif /* !_PROCFS_H_ */
