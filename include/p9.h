/*
 * p9.h: the 9P2000.L client -- wire format (fs/9p/p9_msg.c) and the
 * multiplexed mount channel (fs/9p/p9_mnt.c, Plan 9's devmnt).
 *
 * Wire format: every message is size[4] type[1] tag[2] then its fields,
 * little-endian; strings are len[2] bytes (no NUL); a qid is type[1]
 * version[4] path[8].  The packers build T-messages into a struct p9_buf
 * and fail with -EMSGSIZE instead of writing past its end; the parsers
 * read R-messages from a struct p9_rbuf and check every length against
 * what is left, so a malformed reply is -EIO (framing: size) or -EPROTO
 * (content), never an out-of-bounds read.
 *
 * A struct mnt is one channel to one server: tags, fids, the negotiated
 * msize, and the transport (struct p9_trans: send a whole message, receive
 * bytes).  The p9_* calls are the API the vnode layer builds on; each
 * returns 0 (or a byte count) or a negative Linux errno -- the server's
 * Rlerror code, or -EIO when the channel is dead.
 */
#ifndef _P9_H_
#define _P9_H_

#include <spinlock.h>
#include <types.h>

/* Message types (9P2000.L and the classic ones it keeps). */
#define P9_RLERROR	7
#define P9_TSTATFS	8
#define P9_TLOPEN	12
#define P9_TLCREATE	14
#define P9_TSYMLINK	16
#define P9_TMKNOD	18
#define P9_TRENAME	20
#define P9_TREADLINK	22
#define P9_TGETATTR	24
#define P9_TSETATTR	26
#define P9_TXATTRWALK	30
#define P9_TXATTRCREATE	32
#define P9_TREADDIR	40
#define P9_TFSYNC	50
#define P9_TLOCK	52
#define P9_TGETLOCK	54
#define P9_TLINK	70
#define P9_TMKDIR	72
#define P9_TRENAMEAT	74
#define P9_TUNLINKAT	76
#define P9_TVERSION	100
#define P9_TAUTH	102
#define P9_TATTACH	104
#define P9_TFLUSH	108
#define P9_TWALK	110
#define P9_TREAD	116
#define P9_TWRITE	118
#define P9_TCLUNK	120
#define P9_TREMOVE	122

#define P9_NOTAG	0xffff
#define P9_NOFID	0xffffffffu
#define P9_NONUNAME	0xffffffffu
#define P9_HDRSZ	7	/* size[4] type[1] tag[2] */
#define P9_IOHDRSZ	24	/* Twrite header: what msize - iounit leaves */
#define P9_MAXWELEM	16	/* names per Twalk */
#define P9_MINMSIZE	4096
#define P9_VERSION	"9P2000.L"

/* Qid types. */
#define P9_QTDIR	0x80
#define P9_QTSYMLINK	0x02

/* Tgetattr request mask. */
#define P9_GETATTR_BASIC	0x000007ffULL
#define P9_GETATTR_ALL		0x00003fffULL
/* Tsetattr valid bits. */
#define P9_SETATTR_MODE		0x001
#define P9_SETATTR_UID		0x002
#define P9_SETATTR_GID		0x004
#define P9_SETATTR_SIZE		0x008
#define P9_SETATTR_ATIME	0x010
#define P9_SETATTR_MTIME	0x020
#define P9_SETATTR_CTIME	0x040
#define P9_SETATTR_ATIME_SET	0x080
#define P9_SETATTR_MTIME_SET	0x100
/* Tunlinkat flags. */
#define P9_AT_REMOVEDIR		0x200

struct p9_qid {
	uint8_t type;
	uint32_t version;
	uint64_t path;
};

struct p9_attr {
	uint64_t valid;
	struct p9_qid qid;
	uint32_t mode, uid, gid;
	uint64_t nlink, rdev, size, blksize, blocks;
	uint64_t atime_sec, atime_nsec, mtime_sec, mtime_nsec;
	uint64_t ctime_sec, ctime_nsec, btime_sec, btime_nsec;
	uint64_t gen, data_version;
};

struct p9_iattr {
	uint32_t valid;			/* P9_SETATTR_* */
	uint32_t mode, uid, gid;
	uint64_t size;
	uint64_t atime_sec, atime_nsec, mtime_sec, mtime_nsec;
};

struct p9_statfs {
	uint32_t type, bsize;
	uint64_t blocks, bfree, bavail, files, ffree, fsid;
	uint32_t namelen;
};

#define P9_NAMEMAX	255
struct p9_dirent {
	struct p9_qid qid;
	uint64_t offset;		/* cookie for the next Treaddir */
	uint8_t type;			/* DT_* */
	char name[P9_NAMEMAX + 1];
};

/* --- marshalling (fs/9p/p9_msg.c) --------------------------------------- */

struct p9_buf {			/* a T-message being built */
	uint8_t *data;
	size_t cap;
	size_t len;
	int error;		/* first error: -EMSGSIZE, -EINVAL */
};

struct p9_rbuf {		/* an R-message being parsed */
	const uint8_t *data;
	size_t len;
	size_t pos;
	int error;		/* first error: -EPROTO */
};

void p9_begin(struct p9_buf *b, void *mem, size_t cap, uint8_t type,
    uint16_t tag);
void p9_put8(struct p9_buf *b, uint8_t v);
void p9_put16(struct p9_buf *b, uint16_t v);
void p9_put32(struct p9_buf *b, uint32_t v);
void p9_put64(struct p9_buf *b, uint64_t v);
void p9_putstr(struct p9_buf *b, const char *s);	/* -EINVAL if > 65535 */
void p9_putbytes(struct p9_buf *b, const void *p, size_t n);
void p9_putqid(struct p9_buf *b, const struct p9_qid *q);
/* Write size[4]; the message length, or the first error. */
int p9_finish(struct p9_buf *b);

uint8_t p9_get8(struct p9_rbuf *r);
uint16_t p9_get16(struct p9_rbuf *r);
uint32_t p9_get32(struct p9_rbuf *r);
uint64_t p9_get64(struct p9_rbuf *r);
void p9_getqid(struct p9_rbuf *r, struct p9_qid *q);
/* A string: points into the message (not NUL terminated). */
const char *p9_getstr(struct p9_rbuf *r, uint16_t *lenp);
/* A string copied into dst (NUL terminated); -EPROTO if it does not fit. */
void p9_getstr_copy(struct p9_rbuf *r, char *dst, size_t dstlen);
const void *p9_getbytes(struct p9_rbuf *r, size_t n);
/* 0 if the whole message was consumed without error, else -EPROTO. */
int p9_rdone(struct p9_rbuf *r);

/* The header of any message: size (checked against len), type, tag. */
int p9_hdr(const void *msg, size_t len, uint8_t *type, uint16_t *tag);

/*
 * T-messages into b->data (b->cap bytes), which the caller sets first:
 * the message length, or -EMSGSIZE / -EINVAL.
 */
int p9_tversion(struct p9_buf *b, uint16_t tag, uint32_t msize,
    const char *version);
int p9_tattach(struct p9_buf *b, uint16_t tag, uint32_t fid, uint32_t afid,
    const char *uname, const char *aname, uint32_t n_uname);
int p9_twalk(struct p9_buf *b, uint16_t tag, uint32_t fid, uint32_t newfid,
    int nwname, const char *const *wnames);
int p9_tlopen(struct p9_buf *b, uint16_t tag, uint32_t fid, uint32_t flags);
int p9_tlcreate(struct p9_buf *b, uint16_t tag, uint32_t fid,
    const char *name, uint32_t flags, uint32_t mode, uint32_t gid);
int p9_tread(struct p9_buf *b, uint16_t tag, uint32_t fid, uint64_t off,
    uint32_t count);
int p9_twrite(struct p9_buf *b, uint16_t tag, uint32_t fid, uint64_t off,
    const void *data, uint32_t count);
int p9_tgetattr(struct p9_buf *b, uint16_t tag, uint32_t fid, uint64_t mask);
int p9_tsetattr(struct p9_buf *b, uint16_t tag, uint32_t fid,
    const struct p9_iattr *ia);
int p9_treaddir(struct p9_buf *b, uint16_t tag, uint32_t fid, uint64_t off,
    uint32_t count);
int p9_tmkdir(struct p9_buf *b, uint16_t tag, uint32_t dfid,
    const char *name, uint32_t mode, uint32_t gid);
int p9_tunlinkat(struct p9_buf *b, uint16_t tag, uint32_t dfid,
    const char *name, uint32_t flags);
int p9_trenameat(struct p9_buf *b, uint16_t tag, uint32_t olddfid,
    const char *oldname, uint32_t newdfid, const char *newname);
int p9_trename(struct p9_buf *b, uint16_t tag, uint32_t fid, uint32_t dfid,
    const char *name);
int p9_tsymlink(struct p9_buf *b, uint16_t tag, uint32_t dfid,
    const char *name, const char *target, uint32_t gid);
int p9_treadlink(struct p9_buf *b, uint16_t tag, uint32_t fid);
int p9_tlink(struct p9_buf *b, uint16_t tag, uint32_t dfid, uint32_t fid,
    const char *name);
int p9_tfsync(struct p9_buf *b, uint16_t tag, uint32_t fid,
    uint32_t datasync);
int p9_tstatfs(struct p9_buf *b, uint16_t tag, uint32_t fid);
int p9_tclunk(struct p9_buf *b, uint16_t tag, uint32_t fid);
int p9_tremove(struct p9_buf *b, uint16_t tag, uint32_t fid);
int p9_tflush(struct p9_buf *b, uint16_t tag, uint16_t oldtag);

/*
 * Check a reply to T-message `ttype` sent with `tag` and position r after
 * its header: 0; the server's error as -errno for Rlerror; -EIO when the
 * size field is short or disagrees with len; -EPROTO for a wrong tag, a
 * type that is not ttype + 1, or a bad Rlerror.
 */
int p9_reply(struct p9_rbuf *r, const void *msg, size_t len, uint8_t ttype,
    uint16_t tag);
/* Bodies of replies (after p9_reply): 0 or -EPROTO. */
int p9_rversion(struct p9_rbuf *r, uint32_t *msize, char *ver,
    size_t verlen);
int p9_rqid(struct p9_rbuf *r, struct p9_qid *qid);	/* attach mkdir .. */
int p9_rwalk(struct p9_rbuf *r, int *nwqid, struct p9_qid *qids);
int p9_ropen(struct p9_rbuf *r, struct p9_qid *qid, uint32_t *iounit);
int p9_rread(struct p9_rbuf *r, uint32_t *count, const void **data);
int p9_rwrite(struct p9_rbuf *r, uint32_t *count);
int p9_rgetattr(struct p9_rbuf *r, struct p9_attr *a);
int p9_rstatfs(struct p9_rbuf *r, struct p9_statfs *st);
int p9_rreadlink(struct p9_rbuf *r, char *buf, size_t len);
int p9_rempty(struct p9_rbuf *r);
/* Next entry of Rreaddir data at *off: 1, 0 at the end, -EPROTO. */
int p9_dirent_next(const void *data, size_t len, size_t *off,
    struct p9_dirent *de);

/* --- the mount channel (fs/9p/p9_mnt.c) --------------------------------- */

/*
 * A transport.  send: one whole message, 0 or -errno.  recv: whatever
 * bytes are there, up to len, waiting at most timo_ns (0: forever):
 * >0 bytes, 0 at hang-up, -ETIMEDOUT, -EINTR (a signal), -errno.
 * A message transport (virtio-9p) returns one whole reply per recv.
 */
struct p9_trans {
	const char *tr_name;
	int (*tr_send)(void *arg, const void *msg, size_t len);
	ssize_t (*tr_recv)(void *arg, void *buf, size_t len,
	    uint64_t timo_ns);
	void (*tr_close)(void *arg);
	/*
	 * Optional, for message transports (virtio-9p): the same calls
	 * without a copy, by exchanging buffers of one capacity (cap, the
	 * msize the channel was opened with).  tr_sendbuf sends the len
	 * bytes in *bufp and keeps that buffer until the device is done
	 * with it, putting a fresh buffer (contents undefined) in *bufp.
	 * tr_recvbuf gives *bufp (empty) to the transport and returns in
	 * *bufp a buffer holding one whole message, its length, or what
	 * tr_recv returns.  Either answers -EAGAIN when it cannot
	 * exchange (the caller then copies through tr_send / tr_recv).
	 */
	int (*tr_sendbuf)(void *arg, uint8_t **bufp, size_t len, size_t cap);
	ssize_t (*tr_recvbuf)(void *arg, uint8_t **bufp, size_t cap,
	    uint64_t timo_ns);
};

/* Messages longer than this go out by tr_sendbuf (no copy). */
#define P9_SENDBUF_MIN	8192

#define MNT_NTAGS	64	/* tags 0 .. MNT_NTAGS-1 */
#define MNT_NFIDS	1024

struct p9_req {
	uint16_t r_tag;
	uint8_t r_type;			/* T-message type */
	uint8_t *r_tbuf;		/* the T-message (m_rcap bytes); a
					   send may replace the buffer: pack
					   each message into r_tbuf afresh */
	size_t r_tlen;
	uint8_t *r_rbuf;		/* m_lock: the reply, once r_done
					   (m_rcap bytes; may be exchanged
					   with m_rbuf) */
	size_t r_rlen;			/* m_lock */
	bool r_done;			/* m_lock: reply in (or error) */
	int r_error;			/* m_lock: -EIO when the channel died */
	bool r_flushed;			/* m_lock: a Tflush is out for it */
	bool r_active;			/* m_lock: registered under r_tag */
	uint64_t r_sent;		/* m_lock: nanouptime when sent */
};

struct mnt {
	struct spinlock m_lock;
	const struct p9_trans *m_trans;
	void *m_targ;
	uint32_t m_msize;		/* after Tversion */
	uint32_t m_iounit;		/* msize - P9_IOHDRSZ */
	uint64_t m_timo_ns;		/* a request unanswered this long
					   kills the channel; 0 = never */
	uint64_t m_tagmap[MNT_NTAGS / 64];	/* m_lock */
	int m_tagnext;			/* m_lock: next tag search start */
	struct p9_req *m_reqs[MNT_NTAGS];	/* m_lock: by tag */
	struct p9_req *m_vreq;		/* m_lock: the Tversion (NOTAG) */
	uint64_t m_fidmap[MNT_NFIDS / 64];	/* m_lock */
	bool m_reading;			/* m_lock: someone is the reader */
	bool m_dead;			/* m_lock */
	uint8_t *m_rbuf;		/* the reader's: bytes off the wire */
	size_t m_rcap, m_rlen;
	/* Sleeping for other waiters (NULL: single-threaded, never waits). */
	int (*m_sleep)(struct mnt *m, const void *chan, bool intr);
	void (*m_wakeup)(struct mnt *m, const void *chan);
	/* Statistics (m_lock). */
	uint64_t m_nrpc, m_nflush, m_ndropped;
	uint64_t m_nwait;		/* waits while another was the reader */
};

/* A channel over `trans`; then mnt_version before anything else. */
struct mnt *mnt_alloc(const struct p9_trans *trans, void *arg);
/* Tversion (NOTAG) asking for msize: 0, -EPROTONOSUPPORT, -EIO. */
int mnt_version(struct mnt *m, uint32_t msize);
/* Declare the channel dead: every waiter and later call gets -EIO. */
void mnt_hangup(struct mnt *m);
/* Close the transport and free everything (no request may be out). */
void mnt_free(struct mnt *m);

/* Lower level (mountrpc = send + wait), used by the tests. */
struct p9_req *mnt_request(struct mnt *m);	/* tag + buffers, or NULL */
int mountio_send(struct mnt *m, struct p9_req *r);
int mountio_wait(struct mnt *m, struct p9_req *r);
void mnt_request_free(struct mnt *m, struct p9_req *r);
int mountrpc(struct mnt *m, struct p9_req *r);
int mnt_tags_inuse(struct mnt *m);
int mnt_fids_inuse(struct mnt *m);
/*
 * Over every Mnt, for /dev/kstat: live Mnts, fids allocated and neither
 * freed nor forgotten by a dead channel, tags in flight (p9_mounts,
 * p9_fids, p9_tags).  A Mnt freed with fids or tags still set leaves them
 * counted: a leak.
 */
extern int mnt_nmounts, mnt_nfids, mnt_ntags;
int mnt_fid_alloc(struct mnt *m, uint32_t *fid);
void mnt_fid_free(struct mnt *m, uint32_t fid);

/* --- client calls for the vnode layer ----------------------------------- */

/* Attach to aname as uname/n_uname; *fidp is the root's new fid. */
int p9_attach(struct mnt *m, const char *uname, uint32_t n_uname,
    const char *aname, uint32_t *fidp, struct p9_qid *qid);
/*
 * Walk nwname names (any number; sent 16 at a time) from fid to a new fid
 * (nwname 0: a clone).  qids (may be NULL) gets the last qid.  -ENOENT if
 * a name is missing (no new fid then).
 */
int p9_walk(struct mnt *m, uint32_t fid, int nwname,
    const char *const *wnames, uint32_t *newfidp, struct p9_qid *qid);
int p9_lopen(struct mnt *m, uint32_t fid, uint32_t flags,
    struct p9_qid *qid, uint32_t *iounit);
/* fid (a directory) becomes the created, open file. */
int p9_lcreate(struct mnt *m, uint32_t fid, const char *name,
    uint32_t flags, uint32_t mode, uint32_t gid, struct p9_qid *qid,
    uint32_t *iounit);
/* Bytes read (short at end of file) or written; split by iounit. */
ssize_t p9_read(struct mnt *m, uint32_t fid, uint64_t off, void *buf,
    size_t len);
ssize_t p9_write(struct mnt *m, uint32_t fid, uint64_t off,
    const void *buf, size_t len);
/* p9_read into a uio (at uio_offset, advancing it), without a bounce. */
struct uio;
ssize_t p9_readuio(struct mnt *m, uint32_t fid, struct uio *uio,
    size_t len);
int p9_getattr(struct mnt *m, uint32_t fid, uint64_t mask,
    struct p9_attr *a);
int p9_setattr(struct mnt *m, uint32_t fid, const struct p9_iattr *ia);
/* Raw Rreaddir data (parse with p9_dirent_next); bytes, 0 at the end. */
ssize_t p9_readdir(struct mnt *m, uint32_t fid, uint64_t off, void *buf,
    size_t len);
int p9_mkdir(struct mnt *m, uint32_t dfid, const char *name, uint32_t mode,
    uint32_t gid, struct p9_qid *qid);
/* diod answers EOPNOTSUPP: fall back to p9_walk + p9_remove. */
int p9_unlinkat(struct mnt *m, uint32_t dfid, const char *name,
    uint32_t flags);
int p9_renameat(struct mnt *m, uint32_t olddfid, const char *oldname,
    uint32_t newdfid, const char *newname);
/* Tremove: the file goes, and so does fid (always, like p9_clunk). */
int p9_remove(struct mnt *m, uint32_t fid);
/* The older Trename (fid moves into dfid as name): diod answers
 * Trenameat with EOPNOTSUPP, so the vnode layer falls back to this. */
int p9_rename(struct mnt *m, uint32_t fid, uint32_t dfid, const char *name);
int p9_symlink(struct mnt *m, uint32_t dfid, const char *name,
    const char *target, uint32_t gid, struct p9_qid *qid);
/* Target length (may exceed len: the copy is cut, NUL terminated). */
int p9_readlink(struct mnt *m, uint32_t fid, char *buf, size_t len);
int p9_link(struct mnt *m, uint32_t dfid, uint32_t fid, const char *name);
int p9_fsync(struct mnt *m, uint32_t fid, uint32_t datasync);
int p9_statfs(struct mnt *m, uint32_t fid, struct p9_statfs *st);
/* Always frees fid, even when the server answers an error. */
int p9_clunk(struct mnt *m, uint32_t fid);

#endif /* !_P9_H_ */
