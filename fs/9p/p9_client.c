/*
 * p9_client.c: the 9P2000.L calls the vnode layer uses, over a struct mnt.
 *
 * Each call takes a request (a tag and buffers), packs its T-message,
 * runs mountrpc and unpacks the reply; errors are the server's Rlerror as
 * a negative errno, -EIO for a dead channel, -EPROTO for a reply that does
 * not parse.  Fids are numbers from the mount's bitmap: p9_attach and
 * p9_walk hand out new ones, p9_clunk gives them back (always).  Reads and
 * writes larger than the iounit go out as several messages.
 */
#include <kernel.h>
#include <kmem.h>
#include <libkern.h>
#include <p9.h>
#include <uapi/errno.h>
#ifndef HOST_TEST
#include <uio.h>
#endif

/* Start a call: a request and a packing buffer over its T space. */
static struct p9_req *
p9_start(struct mnt *m, struct p9_buf *b)
{
	struct p9_req *r = mnt_request(m);

	if (r != NULL) {
		b->data = r->r_tbuf;
		b->cap = m->m_msize;
	}
	return (r);
}

/* Send the packed message (tlen from a packer) and check the reply. */
static int
p9_call(struct mnt *m, struct p9_req *r, int tlen, struct p9_rbuf *rb)
{
	int error;

	if (tlen < 0)
		return (tlen);
	r->r_tlen = tlen;
	error = mountrpc(m, r);
	if (error != 0)
		return (error);
	return (p9_reply(rb, r->r_rbuf, r->r_rlen, r->r_type, r->r_tag));
}

#define P9_BEGIN(m, r, b) do {                                           \
	if (((r) = p9_start((m), (b))) == NULL)                          \
		return (-EIO);                                           \
} while (0)

int
p9_attach(struct mnt *m, const char *uname, uint32_t n_uname,
    const char *aname, uint32_t *fidp, struct p9_qid *qid)
{
	struct p9_req *r;
	struct p9_buf b;
	struct p9_rbuf rb;
	uint32_t fid;
	int error;

	if ((error = mnt_fid_alloc(m, &fid)) != 0)
		return (error);
	if ((r = p9_start(m, &b)) == NULL) {
		mnt_fid_free(m, fid);
		return (-EIO);
	}
	error = p9_call(m, r, p9_tattach(&b, r->r_tag, fid, P9_NOFID, uname,
	    aname, n_uname), &rb);
	if (error == 0)
		error = p9_rqid(&rb, qid);
	mnt_request_free(m, r);
	if (error != 0)
		mnt_fid_free(m, fid);
	else
		*fidp = fid;
	return (error);
}

/* One Twalk of up to 16 names; *nwqid = how many were walked. */
static int
p9_walk1(struct mnt *m, uint32_t fid, uint32_t newfid, int n,
    const char *const *names, int *nwqid, struct p9_qid *last)
{
	struct p9_qid qids[P9_MAXWELEM];
	struct p9_req *r;
	struct p9_buf b;
	struct p9_rbuf rb;
	int error;

	P9_BEGIN(m, r, &b);
	error = p9_call(m, r, p9_twalk(&b, r->r_tag, fid, newfid, n, names),
	    &rb);
	if (error == 0)
		error = p9_rwalk(&rb, nwqid, qids);
	if (error == 0 && *nwqid > n)
		error = -EPROTO;
	if (error == 0 && *nwqid > 0 && last != NULL)
		*last = qids[*nwqid - 1];
	mnt_request_free(m, r);
	return (error);
}

int
p9_walk(struct mnt *m, uint32_t fid, int nwname, const char *const *wnames,
    uint32_t *newfidp, struct p9_qid *qid)
{
	uint32_t newfid;
	int error, done = 0, n, got = 0;

	if (nwname < 0)
		return (-EINVAL);
	if ((error = mnt_fid_alloc(m, &newfid)) != 0)
		return (error);
	do {
		n = MIN(nwname - done, P9_MAXWELEM);
		error = p9_walk1(m, done == 0 ? fid : newfid, newfid, n,
		    wnames + done, &got, qid);
		if (error == 0 && got < n)
			error = -ENOENT;
		if (error != 0) {
			/* The protocol says a partial walk makes no newfid,
			 * but diod keeps one: clunk it, as Linux does. */
			if (done > 0 || (error == -ENOENT && got > 0))
				(void)p9_clunk(m, newfid);
			else
				mnt_fid_free(m, newfid);
			return (error);
		}
		done += n;
	} while (done < nwname);
	*newfidp = newfid;
	return (0);
}

static int
p9_open_reply(struct mnt *m, struct p9_rbuf *rb, struct p9_qid *qid,
    uint32_t *iounit)
{
	uint32_t io;
	int error = p9_ropen(rb, qid, &io);

	if (error == 0 && iounit != NULL)
		*iounit = (io == 0 || io > m->m_iounit) ? m->m_iounit : io;
	return (error);
}

int
p9_lopen(struct mnt *m, uint32_t fid, uint32_t flags, struct p9_qid *qid,
    uint32_t *iounit)
{
	struct p9_req *r;
	struct p9_buf b;
	struct p9_rbuf rb;
	int error;

	P9_BEGIN(m, r, &b);
	error = p9_call(m, r, p9_tlopen(&b, r->r_tag, fid, flags), &rb);
	if (error == 0)
		error = p9_open_reply(m, &rb, qid, iounit);
	mnt_request_free(m, r);
	return (error);
}

int
p9_lcreate(struct mnt *m, uint32_t fid, const char *name, uint32_t flags,
    uint32_t mode, uint32_t gid, struct p9_qid *qid, uint32_t *iounit)
{
	struct p9_req *r;
	struct p9_buf b;
	struct p9_rbuf rb;
	int error;

	P9_BEGIN(m, r, &b);
	error = p9_call(m, r, p9_tlcreate(&b, r->r_tag, fid, name, flags,
	    mode, gid), &rb);
	if (error == 0)
		error = p9_open_reply(m, &rb, qid, iounit);
	mnt_request_free(m, r);
	return (error);
}

ssize_t
p9_read(struct mnt *m, uint32_t fid, uint64_t off, void *buf, size_t len)
{
	struct p9_req *r;
	struct p9_buf b;
	struct p9_rbuf rb;
	size_t done = 0;
	int error = 0;

	P9_BEGIN(m, r, &b);
	while (done < len) {
		uint32_t n = MIN(len - done, m->m_iounit), count;
		const void *data;

		error = p9_call(m, r, p9_tread(&b, r->r_tag, fid, off + done,
		    n), &rb);
		if (error == 0)
			error = p9_rread(&rb, &count, &data);
		if (error == 0 && count > n)
			error = -EPROTO;
		if (error != 0)
			break;
		memcpy((uint8_t *)buf + done, data, count);
		done += count;
		if (count < n)
			break;			/* end of file */
	}
	mnt_request_free(m, r);
	return (done > 0 ? (ssize_t)done : error);
}

#ifndef HOST_TEST
/*
 * As p9_read, into a uio, straight from each reply (no bounce buffer):
 * up to len bytes at uio_offset, the uio advanced by what came.  The
 * reply buffer is the request's own, so the copy may fault and sleep.
 */
ssize_t
p9_readuio(struct mnt *m, uint32_t fid, struct uio *uio, size_t len)
{
	struct p9_req *r;
	struct p9_buf b;
	struct p9_rbuf rb;
	size_t done = 0;
	int error = 0;

	P9_BEGIN(m, r, &b);
	while (done < len) {
		uint32_t n = MIN(len - done, m->m_iounit), count;
		const void *data;

		error = p9_call(m, r, p9_tread(&b, r->r_tag, fid,
		    (uint64_t)uio->uio_offset, n), &rb);
		if (error == 0)
			error = p9_rread(&rb, &count, &data);
		if (error == 0 && count > n)
			error = -EPROTO;
		if (error == 0 && count > 0)
			error = uiomove((void *)data, count, uio);
		if (error != 0)
			break;
		done += count;
		if (count < n)
			break;			/* end of file */
	}
	mnt_request_free(m, r);
	return (done > 0 ? (ssize_t)done : error);
}
#endif

ssize_t
p9_write(struct mnt *m, uint32_t fid, uint64_t off, const void *buf,
    size_t len)
{
	struct p9_req *r;
	struct p9_buf b;
	struct p9_rbuf rb;
	size_t done = 0;
	int error = 0;

	P9_BEGIN(m, r, &b);
	while (done < len) {
		uint32_t n = MIN(len - done, m->m_iounit), count;

		b.data = r->r_tbuf;	/* the last send may have taken it */
		error = p9_call(m, r, p9_twrite(&b, r->r_tag, fid, off + done,
		    (const uint8_t *)buf + done, n), &rb);
		if (error == 0)
			error = p9_rwrite(&rb, &count);
		if (error == 0 && (count > n || count == 0))
			error = count == 0 ? -EIO : -EPROTO;
		if (error != 0)
			break;
		done += count;
	}
	mnt_request_free(m, r);
	return (done > 0 ? (ssize_t)done : error);
}

int
p9_getattr(struct mnt *m, uint32_t fid, uint64_t mask, struct p9_attr *a)
{
	struct p9_req *r;
	struct p9_buf b;
	struct p9_rbuf rb;
	int error;

	P9_BEGIN(m, r, &b);
	error = p9_call(m, r, p9_tgetattr(&b, r->r_tag, fid, mask), &rb);
	if (error == 0)
		error = p9_rgetattr(&rb, a);
	mnt_request_free(m, r);
	return (error);
}

/* A call whose reply carries nothing (Rsetattr, Rclunk, Runlinkat ...). */
static int
p9_empty(struct mnt *m, struct p9_req *r, int tlen)
{
	struct p9_rbuf rb;
	int error = p9_call(m, r, tlen, &rb);

	if (error == 0)
		error = p9_rempty(&rb);
	mnt_request_free(m, r);
	return (error);
}

int
p9_setattr(struct mnt *m, uint32_t fid, const struct p9_iattr *ia)
{
	struct p9_req *r;
	struct p9_buf b;

	P9_BEGIN(m, r, &b);
	return (p9_empty(m, r, p9_tsetattr(&b, r->r_tag, fid, ia)));
}

ssize_t
p9_readdir(struct mnt *m, uint32_t fid, uint64_t off, void *buf, size_t len)
{
	struct p9_req *r;
	struct p9_buf b;
	struct p9_rbuf rb;
	uint32_t n = MIN(len, m->m_iounit), count = 0;
	const void *data;
	int error;

	P9_BEGIN(m, r, &b);
	error = p9_call(m, r, p9_treaddir(&b, r->r_tag, fid, off, n), &rb);
	if (error == 0)
		error = p9_rread(&rb, &count, &data);	/* same layout */
	if (error == 0 && count > n)
		error = -EPROTO;
	if (error == 0)
		memcpy(buf, data, count);
	mnt_request_free(m, r);
	return (error != 0 ? error : (ssize_t)count);
}

int
p9_mkdir(struct mnt *m, uint32_t dfid, const char *name, uint32_t mode,
    uint32_t gid, struct p9_qid *qid)
{
	struct p9_req *r;
	struct p9_buf b;
	struct p9_rbuf rb;
	int error;

	P9_BEGIN(m, r, &b);
	error = p9_call(m, r, p9_tmkdir(&b, r->r_tag, dfid, name, mode, gid),
	    &rb);
	if (error == 0)
		error = p9_rqid(&rb, qid);
	mnt_request_free(m, r);
	return (error);
}

int
p9_unlinkat(struct mnt *m, uint32_t dfid, const char *name, uint32_t flags)
{
	struct p9_req *r;
	struct p9_buf b;

	P9_BEGIN(m, r, &b);
	return (p9_empty(m, r, p9_tunlinkat(&b, r->r_tag, dfid, name,
	    flags)));
}

int
p9_renameat(struct mnt *m, uint32_t olddfid, const char *oldname,
    uint32_t newdfid, const char *newname)
{
	struct p9_req *r;
	struct p9_buf b;

	P9_BEGIN(m, r, &b);
	return (p9_empty(m, r, p9_trenameat(&b, r->r_tag, olddfid, oldname,
	    newdfid, newname)));
}

int
p9_remove(struct mnt *m, uint32_t fid)
{
	struct p9_req *r;
	struct p9_buf b;
	int error;

	r = p9_start(m, &b);
	if (r == NULL)
		error = -EIO;
	else
		error = p9_empty(m, r, p9_tremove(&b, r->r_tag, fid));
	mnt_fid_free(m, fid);
	return (error);
}

int
p9_rename(struct mnt *m, uint32_t fid, uint32_t dfid, const char *name)
{
	struct p9_req *r;
	struct p9_buf b;

	P9_BEGIN(m, r, &b);
	return (p9_empty(m, r, p9_trename(&b, r->r_tag, fid, dfid, name)));
}

int
p9_symlink(struct mnt *m, uint32_t dfid, const char *name,
    const char *target, uint32_t gid, struct p9_qid *qid)
{
	struct p9_req *r;
	struct p9_buf b;
	struct p9_rbuf rb;
	int error;

	P9_BEGIN(m, r, &b);
	error = p9_call(m, r, p9_tsymlink(&b, r->r_tag, dfid, name, target,
	    gid), &rb);
	if (error == 0)
		error = p9_rqid(&rb, qid);
	mnt_request_free(m, r);
	return (error);
}

int
p9_readlink(struct mnt *m, uint32_t fid, char *buf, size_t len)
{
	struct p9_req *r;
	struct p9_buf b;
	struct p9_rbuf rb;
	int error;

	P9_BEGIN(m, r, &b);
	error = p9_call(m, r, p9_treadlink(&b, r->r_tag, fid), &rb);
	if (error == 0)
		error = p9_rreadlink(&rb, buf, len);
	mnt_request_free(m, r);
	return (error);
}

int
p9_link(struct mnt *m, uint32_t dfid, uint32_t fid, const char *name)
{
	struct p9_req *r;
	struct p9_buf b;

	P9_BEGIN(m, r, &b);
	return (p9_empty(m, r, p9_tlink(&b, r->r_tag, dfid, fid, name)));
}

int
p9_fsync(struct mnt *m, uint32_t fid, uint32_t datasync)
{
	struct p9_req *r;
	struct p9_buf b;

	P9_BEGIN(m, r, &b);
	return (p9_empty(m, r, p9_tfsync(&b, r->r_tag, fid, datasync)));
}

int
p9_statfs(struct mnt *m, uint32_t fid, struct p9_statfs *st)
{
	struct p9_req *r;
	struct p9_buf b;
	struct p9_rbuf rb;
	int error;

	P9_BEGIN(m, r, &b);
	error = p9_call(m, r, p9_tstatfs(&b, r->r_tag, fid), &rb);
	if (error == 0)
		error = p9_rstatfs(&rb, st);
	mnt_request_free(m, r);
	return (error);
}

int
p9_clunk(struct mnt *m, uint32_t fid)
{
	struct p9_req *r;
	struct p9_buf b;
	int error;

	r = p9_start(m, &b);
	if (r == NULL)
		error = -EIO;
	else
		error = p9_empty(m, r, p9_tclunk(&b, r->r_tag, fid));
	mnt_fid_free(m, fid);
	return (error);
}
