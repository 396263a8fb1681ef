/*
 * kern_descrip.c: descriptor tables and open files (FreeBSD
 * kern/kern_descrip.c): allocation, lookup, dup, fcntl, close, and the
 * fork/exec/exit hooks.
 *
 * A descriptor table is an array of file pointers that grows by doubling
 * up to RLIMIT_NOFILE (1024 unless the process says otherwise).  Each
 * slot holds one reference on its file; fget takes another for the
 * duration of a system call, so a close racing with a read cannot free
 * the file underneath it.  When the last reference goes, fdrop calls the
 * file's fo_close and drops its vnode.
 *
 * Code running without a process (boot, ktests) gets a private kernel
 * table, so the same calls work there.
 */
#include <file.h>
#include <kernel.h>
#include <kmem.h>
#include <libkern.h>
#include <proc.h>
#include <trap.h>
#include <vnode.h>

static struct filedesc *kernel_fdp;	/* for code with no process */

/* The caller's table: its process's, or kernel_fdp (made on first use). */
static struct filedesc *
curfd(void)
{
	if (curthread != NULL && curthread->td_proc != NULL &&
	    curthread->td_proc->p_fd != NULL)
		return (curthread->td_proc->p_fd);
	if (kernel_fdp == NULL)
		kernel_fdp = fdinit();
	return (kernel_fdp);
}

struct filedesc *
fd_curtable(void)
{
	return (curfd());
}

static int
fd_limit(void)
{
	uint64_t lim;

	if (curthread == NULL || curthread->td_proc == NULL)
		return (NOFILE_DEFAULT);
	lim = curthread->td_proc->p_rlimit[RLIMIT_NOFILE][0];
	return ((int)MIN(lim, 1048576));	/* RLIM_INFINITY included */
}

struct filedesc *
fdinit(void)
{
	struct filedesc *fdp;

	fdp = kmalloc(sizeof(*fdp), M_WAITOK | M_ZERO);
	if (fdp == NULL)
		return (NULL);
	spin_init(&fdp->fd_lock, "filedesc");
	fdp->fd_refcnt = 1;
	return (fdp);
}

/* Make room for descriptor `fd`; caller holds nothing (may allocate). */
static int
fdgrow(struct filedesc *fdp, int fd)
{
	struct file **nf, **of;
	uint8_t *nfl, *ofl;
	int n;

	if (fd < fdp->fd_nfiles)
		return (0);
	n = MAX(fdp->fd_nfiles * 2, 16);
	while (n <= fd)
		n *= 2;
	nf = kcalloc(n, sizeof(*nf), M_WAITOK);
	nfl = kcalloc(n, 1, M_WAITOK);
	if (nf == NULL || nfl == NULL) {
		if (nf) kfree(nf);
		if (nfl) kfree(nfl);
		return (-ENOMEM);
	}
	spin_lock(&fdp->fd_lock);
	if (n <= fdp->fd_nfiles) {	/* someone else grew it */
		spin_unlock(&fdp->fd_lock);
		kfree(nf);
		kfree(nfl);
		return (0);
	}
	if (fdp->fd_nfiles > 0) {
		memcpy(nf, fdp->fd_ofiles, fdp->fd_nfiles * sizeof(*nf));
		memcpy(nfl, fdp->fd_ofileflags, fdp->fd_nfiles);
	}
	of = fdp->fd_ofiles;
	ofl = fdp->fd_ofileflags;
	fdp->fd_ofiles = nf;
	fdp->fd_ofileflags = nfl;
	fdp->fd_nfiles = n;
	spin_unlock(&fdp->fd_lock);
	if (of != NULL) {
		kfree(of);
		kfree(ofl);
	}
	return (0);
}

/* Lowest free descriptor >= minfd, reserved with fp (EMFILE past the limit). */
static int
fdalloc_install(struct filedesc *fdp, int minfd, struct file *fp, int flags,
    int *fdout)
{
	int lim = fd_limit(), fd, error;

	for (;;) {
		spin_lock(&fdp->fd_lock);
		for (fd = minfd; fd < fdp->fd_nfiles && fd < lim; fd++)
			if (fdp->fd_ofiles[fd] == NULL)
				break;
		if (fd >= lim) {
			spin_unlock(&fdp->fd_lock);
			return (-EMFILE);
		}
		if (fd < fdp->fd_nfiles) {
			fdp->fd_ofiles[fd] = fp;
			fdp->fd_ofileflags[fd] =
			    (flags & O_CLOEXEC) ? UF_EXCLOSE : 0;
			spin_unlock(&fdp->fd_lock);
			*fdout = fd;
			return (0);
		}
		spin_unlock(&fdp->fd_lock);
		if ((error = fdgrow(fdp, fd)) != 0)
			return (error);
	}
}

/*
 * The lowest free descriptor >= minfd, grown into if needed; nothing is
 * reserved, so use finstall to claim one atomically.
 */
int
fdalloc(struct filedesc *fdp, int minfd, int *fdout)
{
	int lim = fd_limit(), fd, error;

	if ((error = fdgrow(fdp, minfd)) != 0)
		return (error);
	spin_lock(&fdp->fd_lock);
	for (fd = minfd; fd < fdp->fd_nfiles && fd < lim; fd++)
		if (fdp->fd_ofiles[fd] == NULL)
			break;
	spin_unlock(&fdp->fd_lock);
	if (fd >= lim)
		return (-EMFILE);
	*fdout = fd;
	return (0);
}

int
finstall(struct filedesc *fdp, struct file *fp, int flags, int *fd)
{
	if (fdp == NULL)
		fdp = curfd();
	return (fdalloc_install(fdp, 0, fp, flags, fd));
}

uint64_t nfiles;		/* atomic: open file structures (/dev/kstat) */

int
falloc(struct file **fpp)
{
	struct file *fp;

	fp = kmalloc(sizeof(*fp), M_WAITOK | M_ZERO);
	if (fp == NULL)
		return (-ENFILE);
	__atomic_add_fetch(&nfiles, 1, __ATOMIC_RELAXED);
	spin_init(&fp->f_lock, "file");
	fp->f_count = 1;
	*fpp = fp;
	return (0);
}

/* Free a file from falloc that never got opened (no fo_close, no vnode). */
void
ffree(struct file *fp)
{
	KASSERT(fp->f_count == 1, "ffree: file in use");
	__atomic_sub_fetch(&nfiles, 1, __ATOMIC_RELAXED);
	kfree(fp);
}

void
fhold(struct file *fp)
{
	spin_lock(&fp->f_lock);
	fp->f_count++;
	spin_unlock(&fp->f_lock);
}

void
fdrop(struct file *fp)
{
	bool last;

	spin_lock(&fp->f_lock);
	KASSERT(fp->f_count > 0, "fdrop: no references");
	last = (--fp->f_count == 0);
	spin_unlock(&fp->f_lock);
	if (!last)
		return;
	if (fp->f_ops != NULL && fp->f_ops->fo_close != NULL)
		(void)fp->f_ops->fo_close(fp);
	if (fp->f_vnode != NULL)
		vrele(fp->f_vnode);
	__atomic_sub_fetch(&nfiles, 1, __ATOMIC_RELAXED);
	kfree(fp);
}

int
fget(int fd, struct file **fpp)
{
	struct filedesc *fdp = curfd();
	struct file *fp = NULL;

	spin_lock(&fdp->fd_lock);
	if (fd >= 0 && fd < fdp->fd_nfiles)
		fp = fdp->fd_ofiles[fd];
	if (fp != NULL)
		fhold(fp);
	spin_unlock(&fdp->fd_lock);
	if (fp == NULL)
		return (-EBADF);
	*fpp = fp;
	return (0);
}

/*
 * fget for a call that keeps the file only until it returns (read, write,
 * poll, kevent).  When the descriptor table is not shared (fd_refcnt 1:
 * the calling thread is its only user) nothing but this thread can close
 * fd, and the table's own reference keeps the file alive until the call
 * returns, so no reference is taken and *held is false (Linux's light
 * fdget); otherwise it is fget and *held is true.  Release with
 * fdrop_light.  Saves three lock round trips on every such call.
 */
int
fget_light(int fd, struct file **fpp, bool *held)
{
	struct filedesc *fdp = curfd();
	struct file *fp = NULL;

	if (fdp == kernel_fdp || fdp->fd_refcnt != 1) {
		*held = true;
		return (fget(fd, fpp));
	}
	*held = false;
	if (fd >= 0 && fd < fdp->fd_nfiles)
		fp = fdp->fd_ofiles[fd];
	if (fp == NULL)
		return (-EBADF);
	*fpp = fp;
	return (0);
}

void
fdrop_light(struct file *fp, bool held)
{
	if (held)
		fdrop(fp);
}

int
fgetvp_at(int dirfd, struct vnode **vpp)
{
	struct file *fp;
	int error;

	if (dirfd == AT_FDCWD) {
		*vpp = NULL;		/* namei: the current directory */
		return (0);
	}
	if ((error = fget(dirfd, &fp)) != 0)
		return (error);
	if (fp->f_vnode == NULL)
		error = -ENOTDIR;
	else {
		*vpp = fp->f_vnode;
		vref(*vpp);
	}
	fdrop(fp);
	return (error);
}

/* Take descriptor fd out of the table; its file, or NULL. */
static struct file *
fdunused(struct filedesc *fdp, int fd)
{
	struct file *fp = NULL;

	spin_lock(&fdp->fd_lock);
	if (fd >= 0 && fd < fdp->fd_nfiles) {
		fp = fdp->fd_ofiles[fd];
		fdp->fd_ofiles[fd] = NULL;
		fdp->fd_ofileflags[fd] = 0;
	}
	spin_unlock(&fdp->fd_lock);
	if (fp != NULL)
		knote_fdclose(fdp, fd);	/* its knotes go with the descriptor */
	return (fp);
}

int
kern_close(int fd)
{
	struct file *fp = fdunused(curfd(), fd);

	if (fp == NULL)
		return (-EBADF);
	fdrop(fp);
	return (0);
}

struct filedesc *
fdcopy(struct filedesc *fdp)
{
	struct filedesc *nfdp = fdinit();

	if (nfdp == NULL)
		return (NULL);
	if (fdp == NULL)
		fdp = curfd();
	for (;;) {
		int n = fdp->fd_nfiles;

		if (fdgrow(nfdp, n > 0 ? n - 1 : 0) != 0) {
			fdfree(nfdp);
			return (NULL);
		}
		spin_lock(&fdp->fd_lock);
		if (fdp->fd_nfiles > nfdp->fd_nfiles) {
			spin_unlock(&fdp->fd_lock);
			continue;	/* grew meanwhile */
		}
		for (int i = 0; i < fdp->fd_nfiles; i++) {
			/* A kqueue is not inherited (kqueue(2)). */
			if (fdp->fd_ofiles[i] == NULL ||
			    fdp->fd_ofiles[i]->f_type == DTYPE_KQUEUE)
				continue;
			fhold(fdp->fd_ofiles[i]);
			nfdp->fd_ofiles[i] = fdp->fd_ofiles[i];
			nfdp->fd_ofileflags[i] = fdp->fd_ofileflags[i];
		}
		spin_unlock(&fdp->fd_lock);
		return (nfdp);
	}
}

void
fdcloseexec(struct filedesc *fdp)
{
	struct file *fp;

	for (int i = 0; i < fdp->fd_nfiles; i++) {
		spin_lock(&fdp->fd_lock);
		fp = NULL;
		if (fdp->fd_ofiles[i] != NULL &&
		    (fdp->fd_ofileflags[i] & UF_EXCLOSE)) {
			fp = fdp->fd_ofiles[i];
			fdp->fd_ofiles[i] = NULL;
			fdp->fd_ofileflags[i] = 0;
		}
		spin_unlock(&fdp->fd_lock);
		if (fp != NULL) {
			knote_fdclose(fdp, i);
			fdrop(fp);
		}
	}
}

void
fdfree(struct filedesc *fdp)
{
	bool last;

	spin_lock(&fdp->fd_lock);
	last = (--fdp->fd_refcnt == 0);
	spin_unlock(&fdp->fd_lock);
	if (!last)
		return;
	for (int i = 0; i < fdp->fd_nfiles; i++) {
		struct file *fp = fdunused(fdp, i);

		if (fp != NULL)
			fdrop(fp);
	}
	kqueue_fdfree(fdp);
	if (fdp->fd_ofiles != NULL) {
		kfree(fdp->fd_ofiles);
		kfree(fdp->fd_ofileflags);
	}
	if (fdp == kernel_fdp)
		kernel_fdp = NULL;
	kfree(fdp);
}

/*
 * The common body of dup, dup2, dup3 and F_DUPFD: with `fixed` the new
 * descriptor is exactly newfd (closing what was there), else the lowest
 * free one >= minfd.
 */
int
kern_dup(int oldfd, int newfd, int flags, int minfd, bool fixed)
{
	struct filedesc *fdp = curfd();
	struct file *fp, *old = NULL;
	int fd, error;

	if ((error = fget(oldfd, &fp)) != 0)
		return (error);
	if (!fixed) {
		error = fdalloc_install(fdp, minfd, fp, flags, &fd);
		if (error != 0)
			fdrop(fp);
		return (error != 0 ? error : fd);
	}
	if (newfd < 0 || newfd >= fd_limit()) {
		fdrop(fp);
		return (-EBADF);
	}
	if ((error = fdgrow(fdp, newfd)) != 0) {
		fdrop(fp);
		return (error);
	}
	spin_lock(&fdp->fd_lock);
	old = fdp->fd_ofiles[newfd];
	fdp->fd_ofiles[newfd] = fp;		/* takes fget's reference */
	fdp->fd_ofileflags[newfd] = (flags & O_CLOEXEC) ? UF_EXCLOSE : 0;
	spin_unlock(&fdp->fd_lock);
	if (old != NULL) {
		knote_fdclose(fdp, newfd);
		fdrop(old);
	}
	return (newfd);
}

/* close(2): EBADF if fd is not open.  Never EINTR here. */
long
sys_close(int fd)
{
	return (kern_close(fd));
}

/* dup(2): EBADF bad oldfd; EMFILE no free descriptor. */
long
sys_dup(int fd)
{
	return (kern_dup(fd, 0, 0, 0, false));
}

/* dup2(2): EBADF bad oldfd or newfd out of range; oldfd == newfd is a
 * no-op that still checks oldfd. */
long
sys_dup2(int oldfd, int newfd)
{
	struct file *fp;
	int error;

	if (oldfd == newfd) {
		if ((error = fget(oldfd, &fp)) != 0)
			return (error);
		fdrop(fp);
		return (newfd);
	}
	return (kern_dup(oldfd, newfd, 0, 0, true));
}

/* dup3(2): as dup2, plus EINVAL for oldfd == newfd or flags other than
 * O_CLOEXEC. */
long
sys_dup3(int oldfd, int newfd, int flags)
{
	if (oldfd == newfd || (flags & ~O_CLOEXEC))
		return (-EINVAL);
	return (kern_dup(oldfd, newfd, flags, 0, true));
}

/*
 * fcntl(2): F_DUPFD / F_DUPFD_CLOEXEC (EINVAL if arg < 0 or past the
 * limit, EMFILE), F_GETFD / F_SETFD (FD_CLOEXEC), F_GETFL / F_SETFL (only
 * O_APPEND, O_NONBLOCK, O_ASYNC, O_DIRECT, O_NOATIME change).  Locks
 * (F_GETLK...) answer as if there were never a conflict (F_GETLK
 * reports F_UNLCK; EFAULT for a bad struct flock pointer).  EBADF for a bad
 * fd; EINVAL for an unknown command.
 */
long
sys_fcntl(int fd, int cmd, unsigned long arg)
{
	struct filedesc *fdp = curfd();
	struct file *fp;
	long r = 0;
	int error;

	if ((error = fget(fd, &fp)) != 0)
		return (error);
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if ((long)arg < 0 || (long)arg >= fd_limit())
			r = -EINVAL;
		else
			r = kern_dup(fd, 0, cmd == F_DUPFD_CLOEXEC ?
			    O_CLOEXEC : 0, (int)arg, false);
		break;
	case F_GETFD:
		spin_lock(&fdp->fd_lock);
		r = (fdp->fd_ofileflags[fd] & UF_EXCLOSE) ? FD_CLOEXEC : 0;
		spin_unlock(&fdp->fd_lock);
		break;
	case F_SETFD:
		spin_lock(&fdp->fd_lock);
		if (fd < fdp->fd_nfiles && fdp->fd_ofiles[fd] == fp)
			fdp->fd_ofileflags[fd] =
			    (arg & FD_CLOEXEC) ? UF_EXCLOSE : 0;
		spin_unlock(&fdp->fd_lock);
		break;
	case F_GETFL:
		r = fp->f_flag & ~(O_CLOEXEC | O_DIRECTORY);
		break;
	case F_SETFL:
		spin_lock(&fp->f_lock);
		fp->f_flag = (fp->f_flag & ~FCNTLFLAGS) | (arg & FCNTLFLAGS);
		spin_unlock(&fp->f_lock);
		break;
	case F_GETLK: {
		/* struct flock starts with short l_type: say "unlocked". */
		short unlck = 2;	/* F_UNLCK */

		r = copyout(&unlck, (void *)arg, sizeof(unlck));
		break;
	}
	case F_SETLK:
	case F_SETLKW:
		r = 0;
		break;
	default:
		r = -EINVAL;
	}
	fdrop(fp);
	return (r);
}
