/*
 * p9_msg.c: 9P2000.L messages to and from bytes.
 *
 * Packing appends little-endian fields to a struct p9_buf and remembers the
 * first error, so a builder is a straight list of puts and one p9_finish
 * that writes size[4] (or returns -EMSGSIZE when the message did not fit).
 * Parsing is the mirror: every get checks that the field lies inside the
 * message before reading it, a failed get sets -EPROTO and yields zeros,
 * and p9_rdone insists the whole message was consumed.  So a reply that
 * lies about a length can make a call fail, never read past the buffer.
 * Pure code: no locks, no allocation; host-tested in tests/host/p9_msg.c.
 */
#include <libkern.h>
#include <p9.h>
#include <uapi/errno.h>

/* --- packing ------------------------------------------------------------ */

static uint8_t *
p9_room(struct p9_buf *b, size_t n)
{
	uint8_t *p;

	if (b->error != 0)
		return (NULL);
	if (n > b->cap - b->len) {
		b->error = -EMSGSIZE;
		return (NULL);
	}
	p = b->data + b->len;
	b->len += n;
	return (p);
}

void
p9_put8(struct p9_buf *b, uint8_t v)
{
	uint8_t *p = p9_room(b, 1);

	if (p != NULL)
		p[0] = v;
}

void
p9_put16(struct p9_buf *b, uint16_t v)
{
	uint8_t *p = p9_room(b, 2);

	if (p != NULL) {
		p[0] = v;
		p[1] = v >> 8;
	}
}

void
p9_put32(struct p9_buf *b, uint32_t v)
{
	uint8_t *p = p9_room(b, 4);

	for (int i = 0; p != NULL && i < 4; i++)
		p[i] = v >> (8 * i);
}

void
p9_put64(struct p9_buf *b, uint64_t v)
{
	uint8_t *p = p9_room(b, 8);

	for (int i = 0; p != NULL && i < 8; i++)
		p[i] = v >> (8 * i);
}

void
p9_putbytes(struct p9_buf *b, const void *src, size_t n)
{
	uint8_t *p = p9_room(b, n);

	if (p != NULL && n > 0)
		memcpy(p, src, n);
}

void
p9_putstr(struct p9_buf *b, const char *s)
{
	size_t n;

	if (s == NULL) {
		if (b->error == 0)
			b->error = -EINVAL;
		return;
	}
	n = strlen(s);
	if (n > 0xffff) {
		if (b->error == 0)
			b->error = -EINVAL;
		return;
	}
	p9_put16(b, n);
	p9_putbytes(b, s, n);
}

void
p9_putqid(struct p9_buf *b, const struct p9_qid *q)
{
	p9_put8(b, q->type);
	p9_put32(b, q->version);
	p9_put64(b, q->path);
}

void
p9_begin(struct p9_buf *b, void *mem, size_t cap, uint8_t type,
    uint16_t tag)
{
	b->data = mem;
	b->cap = cap;
	b->len = 0;
	b->error = 0;
	p9_put32(b, 0);		/* size, written by p9_finish */
	p9_put8(b, type);
	p9_put16(b, tag);
}

int
p9_finish(struct p9_buf *b)
{
	if (b->error != 0)
		return (b->error);
	if (b->len > 0xffffffffu)
		return (-EMSGSIZE);
	for (int i = 0; i < 4; i++)
		b->data[i] = b->len >> (8 * i);
	return ((int)b->len);
}

/* --- T-messages --------------------------------------------------------- */

int
p9_tversion(struct p9_buf *b, uint16_t tag, uint32_t msize,
    const char *version)
{
	p9_begin(b, b->data, b->cap, P9_TVERSION, tag);
	p9_put32(b, msize);
	p9_putstr(b, version);
	return (p9_finish(b));
}

int
p9_tattach(struct p9_buf *b, uint16_t tag, uint32_t fid, uint32_t afid,
    const char *uname, const char *aname, uint32_t n_uname)
{
	p9_begin(b, b->data, b->cap, P9_TATTACH, tag);
	p9_put32(b, fid);
	p9_put32(b, afid);
	p9_putstr(b, uname);
	p9_putstr(b, aname);
	p9_put32(b, n_uname);
	return (p9_finish(b));
}

int
p9_twalk(struct p9_buf *b, uint16_t tag, uint32_t fid, uint32_t newfid,
    int nwname, const char *const *wnames)
{
	if (nwname < 0 || nwname > P9_MAXWELEM)
		return (-EINVAL);
	p9_begin(b, b->data, b->cap, P9_TWALK, tag);
	p9_put32(b, fid);
	p9_put32(b, newfid);
	p9_put16(b, nwname);
	for (int i = 0; i < nwname; i++)
		p9_putstr(b, wnames[i]);
	return (p9_finish(b));
}

int
p9_tlopen(struct p9_buf *b, uint16_t tag, uint32_t fid, uint32_t flags)
{
	p9_begin(b, b->data, b->cap, P9_TLOPEN, tag);
	p9_put32(b, fid);
	p9_put32(b, flags);
	return (p9_finish(b));
}

int
p9_tlcreate(struct p9_buf *b, uint16_t tag, uint32_t fid, const char *name,
    uint32_t flags, uint32_t mode, uint32_t gid)
{
	p9_begin(b, b->data, b->cap, P9_TLCREATE, tag);
	p9_put32(b, fid);
	p9_putstr(b, name);
	p9_put32(b, flags);
	p9_put32(b, mode);
	p9_put32(b, gid);
	return (p9_finish(b));
}

int
p9_tread(struct p9_buf *b, uint16_t tag, uint32_t fid, uint64_t off,
    uint32_t count)
{
	p9_begin(b, b->data, b->cap, P9_TREAD, tag);
	p9_put32(b, fid);
	p9_put64(b, off);
	p9_put32(b, count);
	return (p9_finish(b));
}

int
p9_twrite(struct p9_buf *b, uint16_t tag, uint32_t fid, uint64_t off,
    const void *data, uint32_t count)
{
	p9_begin(b, b->data, b->cap, P9_TWRITE, tag);
	p9_put32(b, fid);
	p9_put64(b, off);
	p9_put32(b, count);
	p9_putbytes(b, data, count);
	return (p9_finish(b));
}

int
p9_tgetattr(struct p9_buf *b, uint16_t tag, uint32_t fid, uint64_t mask)
{
	p9_begin(b, b->data, b->cap, P9_TGETATTR, tag);
	p9_put32(b, fid);
	p9_put64(b, mask);
	return (p9_finish(b));
}

int
p9_tsetattr(struct p9_buf *b, uint16_t tag, uint32_t fid,
    const struct p9_iattr *ia)
{
	p9_begin(b, b->data, b->cap, P9_TSETATTR, tag);
	p9_put32(b, fid);
	p9_put32(b, ia->valid);
	p9_put32(b, ia->mode);
	p9_put32(b, ia->uid);
	p9_put32(b, ia->gid);
	p9_put64(b, ia->size);
	p9_put64(b, ia->atime_sec);
	p9_put64(b, ia->atime_nsec);
	p9_put64(b, ia->mtime_sec);
	p9_put64(b, ia->mtime_nsec);
	return (p9_finish(b));
}

int
p9_treaddir(struct p9_buf *b, uint16_t tag, uint32_t fid, uint64_t off,
    uint32_t count)
{
	p9_begin(b, b->data, b->cap, P9_TREADDIR, tag);
	p9_put32(b, fid);
	p9_put64(b, off);
	p9_put32(b, count);
	return (p9_finish(b));
}

int
p9_tmkdir(struct p9_buf *b, uint16_t tag, uint32_t dfid, const char *name,
    uint32_t mode, uint32_t gid)
{
	p9_begin(b, b->data, b->cap, P9_TMKDIR, tag);
	p9_put32(b, dfid);
	p9_putstr(b, name);
	p9_put32(b, mode);
	p9_put32(b, gid);
	return (p9_finish(b));
}

int
p9_tunlinkat(struct p9_buf *b, uint16_t tag, uint32_t dfid,
    const char *name, uint32_t flags)
{
	p9_begin(b, b->data, b->cap, P9_TUNLINKAT, tag);
	p9_put32(b, dfid);
	p9_putstr(b, name);
	p9_put32(b, flags);
	return (p9_finish(b));
}

int
p9_trenameat(struct p9_buf *b, uint16_t tag, uint32_t olddfid,
    const char *oldname, uint32_t newdfid, const char *newname)
{
	p9_begin(b, b->data, b->cap, P9_TRENAMEAT, tag);
	p9_put32(b, olddfid);
	p9_putstr(b, oldname);
	p9_put32(b, newdfid);
	p9_putstr(b, newname);
	return (p9_finish(b));
}

int
p9_trename(struct p9_buf *b, uint16_t tag, uint32_t fid, uint32_t dfid,
    const char *name)
{
	p9_begin(b, b->data, b->cap, P9_TRENAME, tag);
	p9_put32(b, fid);
	p9_put32(b, dfid);
	p9_putstr(b, name);
	return (p9_finish(b));
}

int
p9_tsymlink(struct p9_buf *b, uint16_t tag, uint32_t dfid, const char *name,
    const char *target, uint32_t gid)
{
	p9_begin(b, b->data, b->cap, P9_TSYMLINK, tag);
	p9_put32(b, dfid);
	p9_putstr(b, name);
	p9_putstr(b, target);
	p9_put32(b, gid);
	return (p9_finish(b));
}

/* One fid and nothing else: Treadlink, Tstatfs, Tclunk. */
static int
p9_tfid(struct p9_buf *b, uint8_t type, uint16_t tag, uint32_t fid)
{
	p9_begin(b, b->data, b->cap, type, tag);
	p9_put32(b, fid);
	return (p9_finish(b));
}

int
p9_treadlink(struct p9_buf *b, uint16_t tag, uint32_t fid)
{
	return (p9_tfid(b, P9_TREADLINK, tag, fid));
}

int
p9_tstatfs(struct p9_buf *b, uint16_t tag, uint32_t fid)
{
	return (p9_tfid(b, P9_TSTATFS, tag, fid));
}

int
p9_tremove(struct p9_buf *b, uint16_t tag, uint32_t fid)
{
	return (p9_tfid(b, P9_TREMOVE, tag, fid));
}

int
p9_tclunk(struct p9_buf *b, uint16_t tag, uint32_t fid)
{
	return (p9_tfid(b, P9_TCLUNK, tag, fid));
}

int
p9_tlink(struct p9_buf *b, uint16_t tag, uint32_t dfid, uint32_t fid,
    const char *name)
{
	p9_begin(b, b->data, b->cap, P9_TLINK, tag);
	p9_put32(b, dfid);
	p9_put32(b, fid);
	p9_putstr(b, name);
	return (p9_finish(b));
}

int
p9_tfsync(struct p9_buf *b, uint16_t tag, uint32_t fid, uint32_t datasync)
{
	p9_begin(b, b->data, b->cap, P9_TFSYNC, tag);
	p9_put32(b, fid);
	p9_put32(b, datasync);
	return (p9_finish(b));
}

int
p9_tflush(struct p9_buf *b, uint16_t tag, uint16_t oldtag)
{
	p9_begin(b, b->data, b->cap, P9_TFLUSH, tag);
	p9_put16(b, oldtag);
	return (p9_finish(b));
}

/* --- parsing ------------------------------------------------------------ */

static const uint8_t *
p9_take(struct p9_rbuf *r, size_t n)
{
	const uint8_t *p;

	if (r->error != 0)
		return (NULL);
	if (n > r->len - r->pos) {
		r->error = -EPROTO;
		return (NULL);
	}
	p = r->data + r->pos;
	r->pos += n;
	return (p);
}

static uint64_t
p9_getle(struct p9_rbuf *r, int n)
{
	const uint8_t *p = p9_take(r, n);
	uint64_t v = 0;

	for (int i = n - 1; p != NULL && i >= 0; i--)
		v = (v << 8) | p[i];
	return (v);
}

uint8_t
p9_get8(struct p9_rbuf *r)
{
	return (p9_getle(r, 1));
}

uint16_t
p9_get16(struct p9_rbuf *r)
{
	return (p9_getle(r, 2));
}

uint32_t
p9_get32(struct p9_rbuf *r)
{
	return (p9_getle(r, 4));
}

uint64_t
p9_get64(struct p9_rbuf *r)
{
	return (p9_getle(r, 8));
}

void
p9_getqid(struct p9_rbuf *r, struct p9_qid *q)
{
	q->type = p9_get8(r);
	q->version = p9_get32(r);
	q->path = p9_get64(r);
}

const char *
p9_getstr(struct p9_rbuf *r, uint16_t *lenp)
{
	uint16_t n = p9_get16(r);
	const char *s = (const char *)p9_take(r, n);

	*lenp = s != NULL ? n : 0;
	return (s != NULL ? s : "");
}

void
p9_getstr_copy(struct p9_rbuf *r, char *dst, size_t dstlen)
{
	uint16_t n;
	const char *s = p9_getstr(r, &n);

	if (r->error == 0 && ((size_t)n >= dstlen || memchr(s, '\0', n)))
		r->error = -EPROTO;	/* too long, or a NUL inside */
	if (r->error != 0)
		n = 0;
	if (dstlen > 0) {
		memcpy(dst, s, n);
		dst[n] = '\0';
	}
}

const void *
p9_getbytes(struct p9_rbuf *r, size_t n)
{
	return (p9_take(r, n));
}

int
p9_rdone(struct p9_rbuf *r)
{
	if (r->error == 0 && r->pos != r->len)
		r->error = -EPROTO;	/* trailing bytes */
	return (r->error);
}

int
p9_hdr(const void *msg, size_t len, uint8_t *type, uint16_t *tag)
{
	struct p9_rbuf r = { msg, len, 0, 0 };
	uint32_t size;

	if (len < P9_HDRSZ)
		return (-EIO);
	size = p9_get32(&r);
	*type = p9_get8(&r);
	*tag = p9_get16(&r);
	if (size != len)
		return (-EIO);
	return (0);
}

int
p9_reply(struct p9_rbuf *r, const void *msg, size_t len, uint8_t ttype,
    uint16_t tag)
{
	uint8_t type;
	uint16_t rtag;
	uint32_t ecode;
	int error;

	r->data = msg;
	r->len = len;
	r->pos = 0;
	r->error = 0;
	if ((error = p9_hdr(msg, len, &type, &rtag)) != 0)
		return (error);
	r->pos = P9_HDRSZ;
	if (rtag != tag)
		return (-EPROTO);
	if (type == P9_RLERROR) {
		ecode = p9_get32(r);
		/*
		 * Linux errnos are below 512; 512 and up are the kernel's
		 * internal codes (ERESTART would restart the system call,
		 * EJUSTRETURN would leave rax alone): not from a server.
		 */
		if (p9_rdone(r) != 0 || ecode == 0 || ecode >= ERESTART)
			return (-EPROTO);
		return (-(int)ecode);
	}
	if (type != ttype + 1)
		return (-EPROTO);
	return (0);
}

/* --- reply bodies ------------------------------------------------------- */

int
p9_rversion(struct p9_rbuf *r, uint32_t *msize, char *ver, size_t verlen)
{
	*msize = p9_get32(r);
	p9_getstr_copy(r, ver, verlen);
	return (p9_rdone(r));
}

int
p9_rqid(struct p9_rbuf *r, struct p9_qid *qid)
{
	p9_getqid(r, qid);
	return (p9_rdone(r));
}

int
p9_rwalk(struct p9_rbuf *r, int *nwqid, struct p9_qid *qids)
{
	uint16_t n = p9_get16(r);

	*nwqid = 0;
	if (r->error == 0 && n > P9_MAXWELEM)
		r->error = -EPROTO;
	for (int i = 0; r->error == 0 && i < n; i++)
		p9_getqid(r, &qids[i]);
	if (p9_rdone(r) == 0)
		*nwqid = n;
	return (r->error);
}

int
p9_ropen(struct p9_rbuf *r, struct p9_qid *qid, uint32_t *iounit)
{
	p9_getqid(r, qid);
	*iounit = p9_get32(r);
	return (p9_rdone(r));
}

int
p9_rread(struct p9_rbuf *r, uint32_t *count, const void **data)
{
	*count = p9_get32(r);
	*data = p9_take(r, *count);
	if (p9_rdone(r) != 0)
		*count = 0;
	return (r->error);
}

int
p9_rwrite(struct p9_rbuf *r, uint32_t *count)
{
	*count = p9_get32(r);
	return (p9_rdone(r));
}

int
p9_rgetattr(struct p9_rbuf *r, struct p9_attr *a)
{
	a->valid = p9_get64(r);
	p9_getqid(r, &a->qid);
	a->mode = p9_get32(r);
	a->uid = p9_get32(r);
	a->gid = p9_get32(r);
	a->nlink = p9_get64(r);
	a->rdev = p9_get64(r);
	a->size = p9_get64(r);
	a->blksize = p9_get64(r);
	a->blocks = p9_get64(r);
	a->atime_sec = p9_get64(r);
	a->atime_nsec = p9_get64(r);
	a->mtime_sec = p9_get64(r);
	a->mtime_nsec = p9_get64(r);
	a->ctime_sec = p9_get64(r);
	a->ctime_nsec = p9_get64(r);
	a->btime_sec = p9_get64(r);
	a->btime_nsec = p9_get64(r);
	a->gen = p9_get64(r);
	a->data_version = p9_get64(r);
	return (p9_rdone(r));
}

int
p9_rstatfs(struct p9_rbuf *r, struct p9_statfs *st)
{
	st->type = p9_get32(r);
	st->bsize = p9_get32(r);
	st->blocks = p9_get64(r);
	st->bfree = p9_get64(r);
	st->bavail = p9_get64(r);
	st->files = p9_get64(r);
	st->ffree = p9_get64(r);
	st->fsid = p9_get64(r);
	st->namelen = p9_get32(r);
	return (p9_rdone(r));
}

int
p9_rreadlink(struct p9_rbuf *r, char *buf, size_t len)
{
	uint16_t n;
	const char *s = p9_getstr(r, &n);

	if (p9_rdone(r) != 0)
		return (r->error);
	if (len > 0) {
		size_t c = MIN((size_t)n, len - 1);

		memcpy(buf, s, c);
		buf[c] = '\0';
	}
	return (n);
}

int
p9_rempty(struct p9_rbuf *r)
{
	return (p9_rdone(r));
}

int
p9_dirent_next(const void *data, size_t len, size_t *off,
    struct p9_dirent *de)
{
	struct p9_rbuf r = { data, len, *off, 0 };

	if (*off >= len)
		return (0);
	p9_getqid(&r, &de->qid);
	de->offset = p9_get64(&r);
	de->type = p9_get8(&r);
	p9_getstr_copy(&r, de->name, sizeof(de->name));
	if (r.error != 0)
		return (r.error);
	if (de->name[0] == '\0' || memchr(de->name, '/', strlen(de->name)))
		return (-EPROTO);
	*off = r.pos;
	return (1);
}
