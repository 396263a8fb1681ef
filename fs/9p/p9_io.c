/*
 * p9_io.c: the data path of the 9P file system -- open fids, read, write,
 * getdents, and the vnode pager's hooks for mmap.
 *
 * read copies each Rread straight into the caller's uio (p9_readuio);
 * write goes through a kernel bounce buffer of up to 64 KiB per round
 * (p9_write cuts it into iounit messages); a
 * write consumes from the caller's uio exactly the bytes the server's
 * Rwrite acknowledged, so a write(2) never reports data the server did
 * not take.  With the vnode pager linked in, a mapped file also has a page
 * cache (vp->v_object): the pager reads a page from the server the first
 * time it is touched (after revalidating the size: SIGBUS past the
 * server's end of file) and writes dirty pages back on msync, munmap and
 * exit.  read(2) first writes back dirty cached pages of its range and
 * write(2) copies its bytes into cached pages, so the two paths agree.
 */
#include <kernel.h>
#include <kmem.h>
#include <libkern.h>
#include <proc.h>
#include <trap.h>

#include "p9fs.h"

#ifdef P9FS_PAGER
#include <vm_object.h>
#include <vm_page.h>
#include <vm_param.h>
#include <vnode_pager.h>
#endif

#define P9FS_IOSIZE	(64 * 1024)	/* bounce buffer per read/write */
#define P9FS_DIRBUF	8192

void
p9fs_setsize(struct vnode *vp, off_t size)
{
#ifdef P9FS_PAGER
	/* The page cache follows the server's size (shrinking: SIGBUS). */
	if (vp->v_object != NULL && size != vp->v_size)
		vnode_pager_setsize(vp, vp->v_size, size);
#endif
	vp->v_size = size;
}

#ifdef P9FS_PAGER
/* Before reading [off, off + len) from the server: push dirty pages. */
static int
p9fs_cache_clean(struct vnode *vp, off_t off, size_t len)
{
	if (vp->v_object == NULL || len == 0)
		return (0);
	return (vm_object_page_clean(vp->v_object, off / PAGE_SIZE,
	    howmany(off + len, PAGE_SIZE), true));
}

/* After the server took buf at off: the same bytes into cached pages. */
static void
p9fs_cache_update(struct vnode *vp, off_t off, const char *buf, size_t len)
{
	vm_page_t m;

	if (vp->v_object == NULL)
		return;
	while (len > 0) {
		size_t po = off % PAGE_SIZE, n = MIN(PAGE_SIZE - po, len);

		m = vm_page_lookup(vp->v_object, off / PAGE_SIZE);
		if (m != NULL)
			memcpy((char *)PHYS_TO_DMAP(VM_PAGE_TO_PHYS(m)) + po,
			    buf, n);
		off += n;
		buf += n;
		len -= n;
	}
}
#else
#define p9fs_cache_clean(vp, off, len)		(0)
#define p9fs_cache_update(vp, off, buf, len)	do { } while (0)
#endif

/*
 * An open fid of vp for reading or writing, opened now if vp has none.
 * 0 or the server's error (EACCES, ...).
 */
int
p9fs_iofid(struct vnode *vp, bool write, uint32_t *fidp)
{
	struct p9_node *np = VTOP9(vp);
	struct mnt *m = VTOMNT(vp);
	struct p9_qid qid;
	uint32_t fid, *slot;
	int error;

	sx_xlock(&np->n_lock);
	if (!write && np->n_rfid == P9_NOFID && np->n_wfid != P9_NOFID &&
	    np->n_wrdwr) {
		*fidp = np->n_wfid;
		sx_xunlock(&np->n_lock);
		return (0);
	}
	slot = write ? &np->n_wfid : &np->n_rfid;
	if (*slot != P9_NOFID) {
		*fidp = *slot;
		sx_xunlock(&np->n_lock);
		return (0);
	}
	error = p9_walk(m, np->n_fid, 0, NULL, &fid, NULL);
	if (error == 0) {
		error = p9_lopen(m, fid, write ? O_WRONLY : O_RDONLY, &qid,
		    NULL);
		if (error != 0)
			p9_clunk(m, fid);
		else
			*slot = *fidp = fid;
	}
	sx_xunlock(&np->n_lock);
	return (error);
}

int
p9fs_read(struct vnode *vp, struct uio *uio, int ioflag)
{
	struct mnt *m = VTOMNT(vp);
	uint32_t fid;
	ssize_t n;
	size_t want;
	int error;

	if (vp->v_type == VDIR)
		return (-EISDIR);
	if (vp->v_type != VREG)
		return (-EINVAL);
	if (uio->uio_offset < 0)
		return (-EINVAL);
	if (uio->uio_resid == 0)
		return (0);
	if ((error = p9fs_iofid(vp, false, &fid)) != 0)
		return (error);
	if ((error = p9fs_cache_clean(vp, uio->uio_offset,
	    (size_t)uio->uio_resid)) != 0)
		return (error);
	while (uio->uio_resid > 0) {
		want = MIN((size_t)uio->uio_resid, P9FS_IOSIZE);
		/* Straight from the replies into the uio: no bounce. */
		n = p9_readuio(m, fid, uio, want);
		if (n < 0) {
			error = (int)n;
			break;
		}
		if ((size_t)n < want)
			break;			/* end of file */
	}
	return (error);
}

/*
 * The current iovec's next n bytes into buf without consuming them, so a
 * short Rwrite can consume exactly what the server took.
 */
static int
p9fs_uiopeek(struct uio *uio, void *buf, size_t *np)
{
	struct iovec *iov;

	while (uio->uio_iovcnt > 0 && uio->uio_iov->iov_len == 0) {
		uio->uio_iov++;
		uio->uio_iovcnt--;
	}
	if (uio->uio_iovcnt == 0) {
		*np = 0;
		return (0);
	}
	iov = uio->uio_iov;
	*np = MIN(MIN(*np, iov->iov_len), (size_t)uio->uio_resid);
	if (uio->uio_segflg == UIO_SYSSPACE) {
		memcpy(buf, iov->iov_base, *np);
		return (0);
	}
	return (copyin(iov->iov_base, buf, *np));
}

static void
p9fs_uioskip(struct uio *uio, size_t n)
{
	uio->uio_iov->iov_base = (char *)uio->uio_iov->iov_base + n;
	uio->uio_iov->iov_len -= n;
	uio->uio_resid -= n;
	uio->uio_offset += n;
}

int
p9fs_write(struct vnode *vp, struct uio *uio, int ioflag)
{
	struct mnt *m = VTOMNT(vp);
	uint32_t fid;
	ssize_t n;
	size_t want;
	char *buf;
	int error;

	if (vp->v_type == VDIR)
		return (-EISDIR);
	if (vp->v_type != VREG)
		return (-EINVAL);
	if ((error = p9fs_iofid(vp, true, &fid)) != 0)
		return (error);
	if (ioflag & IO_APPEND) {
		/* The end of file is the server's: ask it now. */
		if ((error = p9fs_refresh(vp)) != 0)
			return (error);
		uio->uio_offset = vp->v_size;
	}
	if (uio->uio_offset < 0)
		return (-EINVAL);
	if (uio->uio_resid == 0)
		return (0);
	want = MIN((size_t)uio->uio_resid, P9FS_IOSIZE);
	if ((buf = kmalloc(want, M_WAITOK)) == NULL)
		return (-ENOMEM);
	while (uio->uio_resid > 0) {
		want = P9FS_IOSIZE;
		if ((error = p9fs_uiopeek(uio, buf, &want)) != 0 || want == 0)
			break;
		n = p9_write(m, fid, (uint64_t)uio->uio_offset, buf, want);
		if (n < 0) {
			error = (int)n;
			break;
		}
		/* Only what the server acknowledged counts as written. */
		if (uio->uio_offset + n > vp->v_size)
			p9fs_setsize(vp, uio->uio_offset + n);
		p9fs_cache_update(vp, uio->uio_offset, buf, (size_t)n);
		p9fs_uioskip(uio, (size_t)n);
		if ((size_t)n < want) {
			if (n == 0)
				error = -EIO;
			break;
		}
	}
	kfree(buf);
	vfs_timestamp(&vp->v_mtime);
	vp->v_ctime = vp->v_mtime;
	return (error);
}

/*
 * Rreaddir entries become linux_dirent64 records; uio_offset is the
 * server's cookie.  Entries that do not fit are asked for again next
 * time from the last cookie emitted.
 */
int
p9fs_readdir(struct vnode *vp, struct uio *uio)
{
	struct mnt *m = VTOMNT(vp);
	struct p9_dirent de;
	uint32_t fid;
	ssize_t n;
	size_t off, want;
	char *buf;
	int r = 0, error;

	if (vp->v_type != VDIR)
		return (-ENOTDIR);
	if ((error = p9fs_iofid(vp, false, &fid)) != 0)
		return (error);
	if ((buf = kmalloc(P9FS_DIRBUF, M_WAITOK)) == NULL)
		return (-ENOMEM);
	while (r == 0 && uio->uio_resid > 0) {
		/* Room for one entry of any name (24 + 255), so an empty
		 * answer always means the end of the directory. */
		want = MIN(MAX((size_t)uio->uio_resid + 64, 24 + P9_NAMEMAX),
		    P9FS_DIRBUF);
		n = p9_readdir(m, fid, (uint64_t)uio->uio_offset, buf, want);
		if (n <= 0) {
			error = (int)n;
			break;
		}
		off = 0;
		while ((r = p9_dirent_next(buf, (size_t)n, &off, &de)) == 1) {
			r = vfs_dirent_emit(uio, de.name, (ino_t)de.qid.path,
			    de.type, (off_t)de.offset);
			if (r != 0)
				break;
		}
		if (r < 0) {
			error = r;
			break;
		}
	}
	kfree(buf);
	return (error);
}

#ifdef P9FS_PAGER
/*
 * The vnode pager's hooks: a mapped page is read from the server when it
 * is first touched and written back by msync, munmap and exit.  getpages
 * revalidates the size first, so a file the host shrank under a mapping
 * gives SIGBUS past its new end rather than stale bytes.
 */
int
p9fs_getpages(struct vnode *vp, struct vm_page *m)
{
	char *va = (char *)PHYS_TO_DMAP(VM_PAGE_TO_PHYS(m));
	uint64_t off = (uint64_t)m->pindex * PAGE_SIZE;
	struct p9_attr a;
	uint32_t fid;
	ssize_t n;
	int error;

	error = p9_getattr(VTOMNT(vp), VTOP9(vp)->n_fid, P9_GETATTR_BASIC,
	    &a);
	if (error != 0)
		return (error);
	if (off >= a.size)
		return (-EFAULT);	/* past the end now: SIGBUS */
	if ((error = p9fs_iofid(vp, false, &fid)) != 0)
		return (error);
	n = p9_read(VTOMNT(vp), fid, off, va, PAGE_SIZE);
	if (n < 0)
		return ((int)n);
	memset(va + n, 0, PAGE_SIZE - (size_t)n);
	return (0);
}

int
p9fs_putpages(struct vnode *vp, struct vm_page **ma, int count, bool sync)
{
	uint32_t fid;
	ssize_t n;
	int error, first = 0;

	if ((error = p9fs_iofid(vp, true, &fid)) != 0)
		return (error);
	for (int i = 0; i < count; i++) {
		uint64_t off = (uint64_t)ma[i]->pindex * PAGE_SIZE;
		size_t len;

		if (off >= (uint64_t)vp->v_size)
			continue;	/* never extend the file from a page */
		len = MIN(PAGE_SIZE, (uint64_t)vp->v_size - off);
		n = p9_write(VTOMNT(vp), fid, off,
		    (char *)PHYS_TO_DMAP(VM_PAGE_TO_PHYS(ma[i])), len);
		if (n != (ssize_t)len && first == 0)
			first = n < 0 ? (int)n : -EIO;
	}
	return (first);
}
#endif /* P9FS_PAGER */
