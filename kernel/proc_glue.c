/*
 * proc_glue.c: where the process code meets the file and vm code.
 *
 * fork, exec and exit need a handful of operations owned by the vfs
 * (file tables, vnode references, reading a file, init's console) and the
 * vm (address spaces).  They are gathered here so that a change in those
 * interfaces touches one file of the process code.
 */
#include <file.h>
#include <imgact.h>
#include <kernel.h>
#include <libkern.h>
#include <pmap.h>
#include <proc.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uio.h>
#include <vm_map.h>
#include <vnode.h>

/* fork: the child shares the parent's cwd and text, copies its files. */
int
proc_vfs_fork(struct proc *p1, struct proc *p2)
{
	if (p1->p_fd != NULL) {
		p2->p_fd = fdcopy(p1->p_fd);
		if (p2->p_fd == NULL)
			return (-ENOMEM);
	}
	p2->p_cwd = p1->p_cwd;
	if (p2->p_cwd != NULL)
		vref(p2->p_cwd);
	p2->p_textvp = p1->p_textvp;
	if (p2->p_textvp != NULL)
		vref(p2->p_textvp);
	return (0);
}

void
proc_vfs_exit(struct proc *p)
{
	if (p->p_fd != NULL)
		fdfree(p->p_fd);
	p->p_fd = NULL;
	if (p->p_cwd != NULL)
		vrele(p->p_cwd);
	if (p->p_textvp != NULL)
		vrele(p->p_textvp);
	p->p_cwd = NULL;
	p->p_textvp = NULL;
}

void
proc_vfs_exec(struct proc *p, struct vnode *textvp)
{
	if (p->p_fd != NULL)
		fdcloseexec(p->p_fd);
	if (p->p_textvp != NULL)
		vrele(p->p_textvp);
	p->p_textvp = textvp;		/* the caller's reference */
}

int
proc_vm_fork(struct proc *p1, struct proc *p2)
{
	if (p1->p_vmspace == NULL)
		return (0);
	p2->p_vmspace = vmspace_fork(p1->p_vmspace);
	return (p2->p_vmspace == NULL ? -ENOMEM : 0);
}

/*
 * Drop p's address space.  When p is the running process (exit), first
 * move to the kernel's page tables; a failed fork frees the child's, which
 * never ran, and must leave the parent's page tables loaded.
 */
void
proc_vm_exit(struct proc *p)
{
	struct vmspace *vm = p->p_vmspace;

	if (vm == NULL)
		return;
	if (p == curproc)
		pmap_activate(kernel_pmap);
	p->p_vmspace = NULL;
	vmspace_free(vm);
}

/* Reading an executable, for exec. */
/* 0; ENOENT and other lookup errors; EACCES: not a regular file or no x. */
int
exec_file_open(const char *path, struct exec_file *ef)
{
	struct vnode *vp;
	int error;

	memset(ef, 0, sizeof(*ef));
	if ((error = vn_open(path, O_RDONLY, 0, &vp)) != 0)
		return (error);
	if (vp->v_type != VREG || (vp->v_mode & 0111) == 0 ||
	    vaccess(vp, X_OK, vfs_cred()) != 0) {
		vrele(vp);
		return (-EACCES);
	}
	ef->ef_vp = vp;
	ef->ef_size = vp->v_size;
	return (0);
}

ssize_t
exec_file_read(struct exec_file *ef, uint64_t off, void *buf, size_t len)
{
	size_t resid = 0;
	int error;

	if (off >= ef->ef_size)
		return (0);
	len = MIN(len, ef->ef_size - off);
	error = vn_rdwr(UIO_READ, ef->ef_vp, buf, len, off, UIO_SYSSPACE, 0,
	    &resid);
	if (error != 0)
		return (error);
	return ((ssize_t)(len - resid));
}

/* init: a file table, / as cwd, fds 0-2 on /dev/console. */
int
proc_vfs_init(struct proc *p)
{
	int fd;

	p->p_fd = fdinit();
	if (p->p_fd == NULL)
		return (-ENOMEM);
	if (rootvnode != NULL) {
		vref(rootvnode);
		p->p_cwd = rootvnode;
	}
	for (int i = 0; i < 3; i++) {
		fd = kern_openat(AT_FDCWD, "/dev/console", UIO_SYSSPACE,
		    O_RDWR, 0);
		if (fd < 0)
			return (fd);
		if (fd != i)
			return (-EBADF);	/* 0-2 were not free */
	}
	return (0);
}

void
exec_file_close(struct exec_file *ef)
{
	if (ef->ef_vp != NULL)
		vrele(ef->ef_vp);
	ef->ef_vp = NULL;
}
