/*
 * procfs_fd.c: /proc/PID/fd/ and /proc/PID/fdinfo/ -- one symlink and one
 * small file per open descriptor.
 *
 * A descriptor is looked up afresh for every operation (under proc_lock
 * and the table's fd_lock) and its file held (fhold) while it is
 * described, so a descriptor closed meanwhile is simply gone (ENOENT).
 * The link names what the file is as Linux does: a path for files,
 * directories and devices, pipe:[inode] for pipes (the inode fstat shows),
 * anon_inode:[kqueue] for a kqueue.
 */
#include <file.h>
#include <kernel.h>
#include <libkern.h>
#include <printf.h>
#include <proc.h>
#include <vnode.h>

#include "procfs.h"

/* A held file of pid's descriptor fd, or NULL. */
static struct file *
pfs_fget(pid_t pid, int fd)
{
	struct file *fp = NULL;
	struct filedesc *fdp;
	struct proc *p;

	spin_lock(&proc_lock);
	p = pfind(pid);
	if (p != NULL && p->p_state == PRS_NORMAL &&
	    !(p->p_flag & P_WEXIT) && (fdp = p->p_fd) != NULL) {
		spin_lock(&fdp->fd_lock);
		if (fd >= 0 && fd < fdp->fd_nfiles &&
		    (fp = fdp->fd_ofiles[fd]) != NULL)
			fhold(fp);
		spin_unlock(&fdp->fd_lock);
	}
	spin_unlock(&proc_lock);
	return (fp);
}

/* fd/N's permission bits as Linux shows them: r-x for reading, -wx for
 * writing (lr-x------, l-wx------, lrwx------); -1 if fd is not open. */
int
pfs_fd_mode(pid_t pid, int fd)
{
	struct file *fp = pfs_fget(pid, fd);
	int mode = 0;

	if (fp == NULL)
		return (-1);
	if (FREAD(fp))
		mode |= 0500;
	if (FWRITE(fp))
		mode |= 0300;
	fdrop(fp);
	return (mode);
}

bool
pfs_fd_exists(pid_t pid, int fd)
{
	struct file *fp = pfs_fget(pid, fd);

	if (fp == NULL)
		return (false);
	fdrop(fp);
	return (true);
}

int
pfs_fd_list(pid_t pid, int *fds, int max)
{
	struct filedesc *fdp;
	struct proc *p;
	int n = -ESRCH;

	spin_lock(&proc_lock);
	p = pfind(pid);
	if (p != NULL && p->p_state != PRS_NEW) {
		n = 0;
		if ((fdp = p->p_fd) != NULL && !(p->p_flag & P_WEXIT)) {
			spin_lock(&fdp->fd_lock);
			for (int i = 0; i < fdp->fd_nfiles && n < max; i++)
				if (fdp->fd_ofiles[i] != NULL)
					fds[n++] = i;
			spin_unlock(&fdp->fd_lock);
		}
	}
	spin_unlock(&proc_lock);
	return (n);
}

int
pfs_fd_link(struct pfsnode *pn, char *buf, size_t len)
{
	struct file *fp = pfs_fget(pn->pn_pid, pn->pn_fd);
	struct stat sb;
	int error = 0;

	if (fp == NULL)
		return (-ENOENT);
	switch (fp->f_type) {
	case DTYPE_PIPE:
	case DTYPE_FIFO:
		if (fp->f_vnode == NULL) {
			memset(&sb, 0, sizeof(sb));
			if (fp->f_ops->fo_stat != NULL)
				fp->f_ops->fo_stat(fp, &sb);
			snprintf(buf, len, "pipe:[%lu]", (uint64_t)sb.st_ino);
			break;
		}
		/* a named FIFO shows its path */
		/* FALLTHROUGH */
	case DTYPE_VNODE:
	case DTYPE_DEV:
		if (fp->f_vnode == NULL ||
		    (error = pfs_vnpath(fp->f_vnode, buf, len)) != 0)
			snprintf(buf, len, "anon_inode:[unknown]");
		error = 0;
		break;
	case DTYPE_KQUEUE:
		snprintf(buf, len, "anon_inode:[kqueue]");
		break;
	default:
		snprintf(buf, len, "anon_inode:[%d]", fp->f_type);
		break;
	}
	fdrop(fp);
	return (error);
}

int
pfs_fdinfo_gen(struct pfsnode *pn, struct pfs_buf *pb)
{
	struct file *fp = pfs_fget(pn->pn_pid, pn->pn_fd);
	struct stat sb;

	if (fp == NULL)
		return (-ENOENT);
	memset(&sb, 0, sizeof(sb));
	if (fp->f_ops->fo_stat != NULL)
		fp->f_ops->fo_stat(fp, &sb);
	pfs_fmt_fdinfo(pb, fp->f_offset, fp->f_flag | 0100000 /* LARGEFILE */,
	    0, sb.st_ino);
	fdrop(fp);
	return (0);
}
