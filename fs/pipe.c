/*
 * pipe.c: pipes and FIFOs (FreeBSD kern/sys_pipe.c, simplified).
 *
 * A pipe is a 64 KiB ring buffer with a count of readers and writers.  The
 * ring is single-producer single-consumer: writers take pipe_wlock and
 * readers pipe_rlock (sleepable), so each side can copy straight between
 * user memory and its own part of the ring with no spin lock held, and
 * only the indices change under pipe_mtx.  Holding pipe_wlock for a whole
 * write also makes every write atomic with respect to other writers
 * (POSIX asks that only for writes up to PIPE_BUF).
 *
 * Blocking: a reader sleeps on the pipe while it is empty and writers
 * remain (none left: EOF); a writer sleeps while it is full and readers
 * remain (none left: SIGPIPE and EPIPE).  Sleeps take PCATCH, so a signal
 * ends them with EINTR or ERESTART -- waiting for pipe_rlock/pipe_wlock
 * too (sx_xlock_sig): a second reader queued behind one that waits for
 * ever must stay killable.  O_NONBLOCK turns a sleep into EAGAIN.
 * A FIFO is the same pipe hung off its vnode (v_fifo) while it is open.
 *
 * Readiness has one source of truth, pipe_rready/pipe_wready, used by
 * poll/select (pipe_poll) and by kqueue's EVFILT_READ/EVFILT_WRITE
 * filters; pipe_wakeup wakes sleepers, poll and the knotes together.  The
 * 64 KiB ring is allocated at the first write, so idle pipes are cheap.
 */
#include <file.h>
#include <kernel.h>
#include <kmem.h>
#include <libkern.h>
#include <proc.h>
#include <signal.h>
#include <sx.h>
#include <trap.h>
#include <vnode.h>

#define PIPE_SIZE	(64 * 1024)

struct pipe {
	struct spinlock pipe_mtx;
	struct sx pipe_rlock, pipe_wlock;
	char *pipe_buf;			/* set once, at the first write, under
					 * pipe_wlock and pipe_mtx; the filled
					 * part is the reader's (pipe_rlock),
					 * the free part the writer's */
	size_t pipe_out;		/* pipe_mtx: first byte to read */
	size_t pipe_cnt;		/* pipe_mtx: bytes in the ring */
	int pipe_readers;		/* pipe_mtx */
	int pipe_writers;		/* pipe_mtx */
	uint64_t pipe_rgen, pipe_wgen;	/* pipe_mtx: FIFO opens so far */
	struct vnode *pipe_vnode;	/* FIFO: its vnode, else NULL; set
					 * under fifo_mtx before it is shared */
	ino_t pipe_ino;			/* constant after pipe_alloc */
	mode_t pipe_mode;		/* pipe_mtx: permission bits */
	uid_t pipe_uid;			/* pipe_mtx: owner, the creator's */
	gid_t pipe_gid;			/* pipe_mtx */
	struct timespec pipe_ctime;	/* constant after pipe_alloc */
	struct selinfo pipe_sel;
};

static struct spinlock fifo_mtx = SPINLOCK_INIT("fifo");
static ino_t pipe_nextino = 1;		/* atomic: no lock */
uint64_t npipes;			/* atomic: live pipes (leak checks) */

static struct pipe *
pipe_alloc(void)
{
	struct pipe *p;

	p = kmalloc(sizeof(*p), M_WAITOK | M_ZERO);
	if (p == NULL)
		return (NULL);
	spin_init(&p->pipe_mtx, "pipe");
	sx_init(&p->pipe_rlock, "piperd");
	sx_init(&p->pipe_wlock, "pipewr");
	p->pipe_ino = __atomic_fetch_add(&pipe_nextino, 1, __ATOMIC_RELAXED);
	p->pipe_mode = 0600;
	p->pipe_uid = vfs_cred()->cr_euid;
	p->pipe_gid = vfs_cred()->cr_egid;
	vfs_timestamp(&p->pipe_ctime);
	__atomic_add_fetch(&npipes, 1, __ATOMIC_RELAXED);
	return (p);
}

static void
pipe_free(struct pipe *p)
{
	kfree(p->pipe_buf);
	kfree(p);
	__atomic_sub_fetch(&npipes, 1, __ATOMIC_RELAXED);
}

static void
pipe_wakeup(struct pipe *p)
{
	wakeup(p);
	selwakeup(&p->pipe_sel);
}

/*
 * Readable: data = bytes in the pipe, eof = no writer left.  Writable:
 * data = free space, eof = no reader left.  pipe_mtx held (kqueue_scan
 * calls the filters with kqueue_mtx only: fine on one CPU).
 */
static bool
pipe_rready(struct pipe *p, int64_t *data, bool *eof)
{
	*data = (int64_t)p->pipe_cnt;
	*eof = (p->pipe_writers == 0);
	return (p->pipe_cnt > 0);
}

static bool
pipe_wready(struct pipe *p, int64_t *data, bool *eof)
{
	*eof = (p->pipe_readers == 0);
	*data = *eof ? 0 : (int64_t)(PIPE_SIZE - p->pipe_cnt);
	return (!*eof && *data >= PIPE_BUF);
}

static int
pipe_read(struct file *fp, struct uio *uio, int flags)
{
	struct pipe *p = fp->f_data;
	ssize_t start = uio->uio_resid;
	int error = 0;

	/* Killable: the holder may wait for a writer for ever. */
	if ((error = sx_xlock_sig(&p->pipe_rlock)) != 0)
		return (error);
	spin_lock(&p->pipe_mtx);
	while (uio->uio_resid > 0) {
		size_t n, out;

		if (p->pipe_cnt == 0) {
			if (uio->uio_resid != start || p->pipe_writers == 0)
				break;		/* something read, or EOF */
			if (fp->f_flag & O_NONBLOCK) {
				error = -EAGAIN;
				break;
			}
			error = msleep(p, &p->pipe_mtx, PCATCH, "piperd", 0);
			if (error != 0)
				break;
			continue;
		}
		out = p->pipe_out;
		n = MIN(p->pipe_cnt, PIPE_SIZE - out);
		n = MIN(n, (size_t)uio->uio_resid);
		spin_unlock(&p->pipe_mtx);
		error = uiomove(p->pipe_buf + out, n, uio);
		spin_lock(&p->pipe_mtx);
		if (error != 0)
			break;
		p->pipe_out = (out + n) % PIPE_SIZE;
		p->pipe_cnt -= n;
		if (p->pipe_cnt == 0)
			p->pipe_out = 0;
		pipe_wakeup(p);
	}
	spin_unlock(&p->pipe_mtx);
	sx_xunlock(&p->pipe_rlock);
	return (uio->uio_resid != start && error != -EFAULT ? 0 : error);
}

static int
pipe_write(struct file *fp, struct uio *uio, int flags)
{
	struct pipe *p = fp->f_data;
	ssize_t start = uio->uio_resid;
	int error = 0;

	if ((error = sx_xlock_sig(&p->pipe_wlock)) != 0)
		return (error);
	if (p->pipe_buf == NULL && uio->uio_resid > 0) {
		/* Only writers allocate, and we are the only writer. */
		char *buf = kmalloc(PIPE_SIZE, M_WAITOK);

		if (buf == NULL) {
			sx_xunlock(&p->pipe_wlock);
			return (-ENOMEM);
		}
		spin_lock(&p->pipe_mtx);
		p->pipe_buf = buf;
		spin_unlock(&p->pipe_mtx);
	}
	spin_lock(&p->pipe_mtx);
	while (uio->uio_resid > 0) {
		size_t space, in, n;

		if (p->pipe_readers == 0) {
			error = -EPIPE;
			break;
		}
		space = PIPE_SIZE - p->pipe_cnt;
		/* Up to PIPE_BUF bytes go in all at once or not at all. */
		if (space == 0 || (start <= PIPE_BUF &&
		    space < (size_t)uio->uio_resid)) {
			if (fp->f_flag & O_NONBLOCK) {
				error = -EAGAIN;
				break;
			}
			error = msleep(p, &p->pipe_mtx, PCATCH, "pipewr", 0);
			if (error != 0)
				break;
			continue;
		}
		in = (p->pipe_out + p->pipe_cnt) % PIPE_SIZE;
		n = MIN(space, PIPE_SIZE - in);
		n = MIN(n, (size_t)uio->uio_resid);
		spin_unlock(&p->pipe_mtx);
		error = uiomove(p->pipe_buf + in, n, uio);
		spin_lock(&p->pipe_mtx);
		if (error != 0)
			break;
		p->pipe_cnt += n;
		pipe_wakeup(p);
	}
	spin_unlock(&p->pipe_mtx);
	sx_xunlock(&p->pipe_wlock);
	if (error == -EPIPE && curthread != NULL && curthread->td_proc != NULL)
		psignal(curthread->td_proc, SIGPIPE);
	if (uio->uio_resid != start && error != -EFAULT)
		return (0);	/* a partial write counts */
	return (error);
}

static int
pipe_ioctl(struct file *fp, unsigned long cmd, void *data)
{
	struct pipe *p = fp->f_data;
	int n;

	if (cmd != FIONREAD)
		return (-ENOTTY);
	spin_lock(&p->pipe_mtx);
	n = (int)p->pipe_cnt;
	spin_unlock(&p->pipe_mtx);
	return (copyout(&n, data, sizeof(n)));
}

/* The byte count, for the self tests (pipe_test.c); no lock taken. */
int pipe_nread(struct file *fp);

int
pipe_nread(struct file *fp)
{
	return ((int)((struct pipe *)fp->f_data)->pipe_cnt);
}

/*
 * poll/select: a lock-free snapshot, as Linux's pipe_poll.  Each field is
 * one aligned word read once; a change racing with the scan is followed by
 * pipe_wakeup (selwakeup), which bumps the select generation the poller
 * took before its scan, so the poller scans again rather than sleeping on
 * a stale answer.  Saves a lock round trip per descriptor per scan.
 */
static int
pipe_poll(struct file *fp, int events)
{
	struct pipe *p = fp->f_data;
	size_t cnt = __atomic_load_n(&p->pipe_cnt, __ATOMIC_RELAXED);
	int r = 0;

	if (FREAD(fp)) {
		if (cnt > 0)
			r |= events & (POLLIN | POLLRDNORM);
		if (__atomic_load_n(&p->pipe_writers, __ATOMIC_RELAXED) == 0 &&
		    p->pipe_vnode == NULL)
			r |= POLLHUP;
	}
	if (FWRITE(fp)) {
		if (__atomic_load_n(&p->pipe_readers, __ATOMIC_RELAXED) == 0)
			r |= POLLERR;
		else if (PIPE_SIZE - cnt >= PIPE_BUF)
			r |= events & (POLLOUT | POLLWRNORM);
	}
	return (r);
}

/* kqueue: EVFILT_READ / EVFILT_WRITE (FreeBSD filt_piperead/pipewrite). */
static void
filt_pipedetach(struct knote *kn)
{
	struct pipe *p = kn->kn_fp->f_data;

	knlist_remove(&p->pipe_sel.si_note, kn);
}

/* The verdict both filters share: EOF fires; NOTE_LOWAT sets the bar. */
static int
filt_pipeverdict(struct knote *kn, bool ready, bool eof)
{
	if (eof) {
		kn->kn_flags |= EV_EOF;
		return (1);
	}
	kn->kn_flags &= ~EV_EOF;
	if (kn->kn_sfflags & NOTE_LOWAT)
		return (kn->kn_data >= kn->kn_sdata);
	return (ready);
}

static int
filt_piperead(struct knote *kn, long hint)
{
	struct pipe *p = kn->kn_fp->f_data;
	bool ready, eof;

	ready = pipe_rready(p, &kn->kn_data, &eof);
	return (filt_pipeverdict(kn, ready, eof));
}

static int
filt_pipewrite(struct knote *kn, long hint)
{
	struct pipe *p = kn->kn_fp->f_data;
	bool ready, eof;

	ready = pipe_wready(p, &kn->kn_data, &eof);
	return (filt_pipeverdict(kn, ready, eof));
}

static const struct filterops pipe_rfiltops = {
	.f_isfd = 1,
	.f_detach = filt_pipedetach,
	.f_event = filt_piperead,
};

static const struct filterops pipe_wfiltops = {
	.f_isfd = 1,
	.f_detach = filt_pipedetach,
	.f_event = filt_pipewrite,
};

/* EINVAL: a filter the descriptor's direction cannot have, or another. */
static int
pipe_kqfilter(struct file *fp, struct knote *kn)
{
	struct pipe *p = fp->f_data;

	switch (kn->kn_filter) {
	case EVFILT_READ:
		if (!FREAD(fp))
			return (-EINVAL);
		kn->kn_fop = &pipe_rfiltops;
		break;
	case EVFILT_WRITE:
		if (!FWRITE(fp))
			return (-EINVAL);
		kn->kn_fop = &pipe_wfiltops;
		break;
	default:
		return (-EINVAL);
	}
	knlist_add(&p->pipe_sel.si_note, kn);
	return (0);
}

static int
pipe_stat(struct file *fp, struct stat *sb)
{
	struct pipe *p = fp->f_data;

	if (fp->f_vnode != NULL) {
		vn_stat(fp->f_vnode, sb);
		return (0);
	}
	memset(sb, 0, sizeof(*sb));
	sb->st_ino = p->pipe_ino;
	sb->st_nlink = 1;
	sb->st_blksize = PAGE_SIZE;
	sb->st_dev = 0xc;	/* pipefs's anonymous device */
	spin_lock(&p->pipe_mtx);
	sb->st_mode = S_IFIFO | p->pipe_mode;
	sb->st_uid = p->pipe_uid;
	sb->st_gid = p->pipe_gid;
	spin_unlock(&p->pipe_mtx);
	sb->st_atim = sb->st_mtim = sb->st_ctim = p->pipe_ctime;
	return (0);
}

/*
 * A pipe has no vnode but, as in Linux, an owner, a group and permission
 * bits that fstat shows and fchmod/fchown change (vfs_attr.c applies the
 * rules).  va_mode, va_uid and va_gid; setattr honours va_mask.
 */
void
pipe_getattr(struct file *fp, struct vattr *va)
{
	struct pipe *p = fp->f_data;

	memset(va, 0, sizeof(*va));
	va->va_type = VFIFO;
	spin_lock(&p->pipe_mtx);
	va->va_mode = S_IFIFO | p->pipe_mode;
	va->va_uid = p->pipe_uid;
	va->va_gid = p->pipe_gid;
	spin_unlock(&p->pipe_mtx);
}

void
pipe_setattr(struct file *fp, const struct vattr *va)
{
	struct pipe *p = fp->f_data;

	spin_lock(&p->pipe_mtx);
	if (va->va_mask & VA_MODE)
		p->pipe_mode = va->va_mode & ALLPERMS;
	if (va->va_mask & VA_UID)
		p->pipe_uid = va->va_uid;
	if (va->va_mask & VA_GID)
		p->pipe_gid = va->va_gid;
	spin_unlock(&p->pipe_mtx);
}

static int
pipe_close(struct file *fp)
{
	struct pipe *p = fp->f_data;
	struct vnode *vp = p->pipe_vnode;
	bool gone;

	if (vp != NULL)
		spin_lock(&fifo_mtx);
	spin_lock(&p->pipe_mtx);
	if (FREAD(fp))
		p->pipe_readers--;
	if (FWRITE(fp))
		p->pipe_writers--;
	gone = (p->pipe_readers == 0 && p->pipe_writers == 0);
	pipe_wakeup(p);
	spin_unlock(&p->pipe_mtx);
	if (vp != NULL) {
		if (gone)
			vp->v_fifo = NULL;	/* unread data dies with it */
		spin_unlock(&fifo_mtx);
	}
	if (gone)
		pipe_free(p);
	return (0);
}

const struct fileops pipeops = {
	.fo_read = pipe_read,
	.fo_write = pipe_write,
	.fo_ioctl = pipe_ioctl,
	.fo_poll = pipe_poll,
	.fo_kqfilter = pipe_kqfilter,
	.fo_stat = pipe_stat,
	.fo_close = pipe_close,
	.fo_seek = NULL,	/* ESPIPE */
};

int
kern_pipe2(int fds[2], int flags)
{
	struct file *rf, *wf;
	struct pipe *p;
	int error;

	if (flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT))
		return (-EINVAL);
	if ((p = pipe_alloc()) == NULL)
		return (-ENFILE);
	if ((error = falloc(&rf)) != 0) {
		pipe_free(p);
		return (error);
	}
	if ((error = falloc(&wf)) != 0) {
		kfree(rf);
		pipe_free(p);
		return (error);
	}
	p->pipe_readers = p->pipe_writers = 1;
	rf->f_ops = wf->f_ops = &pipeops;
	rf->f_data = wf->f_data = p;
	rf->f_type = wf->f_type = DTYPE_PIPE;
	rf->f_flag = O_RDONLY | (flags & O_NONBLOCK);
	wf->f_flag = O_WRONLY | (flags & O_NONBLOCK);
	if ((error = finstall(NULL, rf, flags, &fds[0])) != 0) {
		fdrop(rf);
		fdrop(wf);
		return (error);
	}
	if ((error = finstall(NULL, wf, flags, &fds[1])) != 0) {
		kern_close(fds[0]);
		fdrop(wf);
		return (error);
	}
	return (0);
}

/* pipe2(2): EFAULT bad fds pointer; EINVAL bad flags; EMFILE, ENFILE. */
long
sys_pipe2(int *ufds, int flags)
{
	int fds[2], error;

	if ((error = kern_pipe2(fds, flags)) != 0)
		return (error);
	if ((error = copyout(fds, ufds, sizeof(fds))) != 0) {
		kern_close(fds[0]);
		kern_close(fds[1]);
	}
	return (error);
}

/* pipe(2): as pipe2 with no flags. */
long
sys_pipe(int *ufds)
{
	return (sys_pipe2(ufds, 0));
}

/*
 * Open a FIFO: join (or create) the vnode's pipe.  A reader without
 * O_NONBLOCK waits for a writer and a writer for a reader; a writer with
 * O_NONBLOCK and no reader fails with ENXIO (fifo(7)).
 */
int
fifo_open(struct vnode *vp, int flags, struct file *fp)
{
	struct pipe *p, *np = NULL;
	uint64_t gen;
	int acc = flags & O_ACCMODE, error = 0;

	for (;;) {
		spin_lock(&fifo_mtx);
		if (vp->v_fifo != NULL || np != NULL)
			break;
		spin_unlock(&fifo_mtx);
		if ((np = pipe_alloc()) == NULL)
			return (-ENFILE);
	}
	if (vp->v_fifo == NULL) {
		np->pipe_vnode = vp;
		vp->v_fifo = np;
		np = NULL;
	}
	p = vp->v_fifo;
	spin_lock(&p->pipe_mtx);
	if (acc == O_WRONLY && (flags & O_NONBLOCK) && p->pipe_readers == 0) {
		/* A pipe nobody holds must not stay on the vnode (seed 33). */
		bool unused = p->pipe_writers == 0;

		if (unused)
			vp->v_fifo = NULL;
		spin_unlock(&p->pipe_mtx);
		spin_unlock(&fifo_mtx);
		if (unused)
			pipe_free(p);
		if (np != NULL)
			pipe_free(np);
		return (-ENXIO);
	}
	if (acc != O_WRONLY) {
		p->pipe_readers++;
		p->pipe_rgen++;
	}
	if (acc != O_RDONLY) {
		p->pipe_writers++;
		p->pipe_wgen++;
	}
	gen = acc == O_RDONLY ? p->pipe_wgen : p->pipe_rgen;
	fp->f_ops = &pipeops;
	fp->f_data = p;
	fp->f_type = DTYPE_FIFO;
	pipe_wakeup(p);
	spin_unlock(&fifo_mtx);
	if (np != NULL)
		pipe_free(np);
	/*
	 * Wait for the other side (the pipe cannot go while we count).  A
	 * peer that opened, wrote and closed while we slept still counts:
	 * the open generation moved.
	 */
	if (!(flags & O_NONBLOCK) && acc != O_RDWR) {
		while (error == 0 && (acc == O_RDONLY ? p->pipe_writers :
		    p->pipe_readers) == 0 && gen == (acc == O_RDONLY ?
		    p->pipe_wgen : p->pipe_rgen))
			error = msleep(p, &p->pipe_mtx, PCATCH, "fifoor", 0);
	}
	spin_unlock(&p->pipe_mtx);
	if (error != 0) {
		(void)pipe_close(fp);
		fp->f_ops = NULL;
		return (error);
	}
	return (0);
}
