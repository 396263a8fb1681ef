/*
 * p9_mnt.c: one 9P channel shared by every request (Plan 9 port/devmnt.c).
 *
 * A request takes a tag from the bitmap (next fit, so a just-freed tag
 * is not reused at once and a stray late reply is dropped rather than
 * misfiled), sends its T-message whole through
 * the transport, then waits in mountio for the reply with its tag.  There
 * is no reader thread: whichever waiter finds nobody reading becomes the
 * reader (m_reading), pulls one whole message off the byte stream
 * (mountrdmsg rebuilds it from size[4]), hands it to the request with that
 * tag (mountmux) and wakes the others; replies with unknown tags are
 * counted and dropped.  With no scheduler (m_sleep NULL) the lone caller
 * is always the reader, which is the polling path.
 *
 * Interrupted waits (the reader's receive or a sleep returning -EINTR)
 * send Tflush(oldtag) and wait for Rflush without interruption; the old
 * tag stays allocated until then.  A reply to the old tag that arrives
 * before Rflush completes the call (the server did the work, e.g. a walk
 * made its fid); without it the call returns -EINTR.
 *
 * A dead channel (hang-up, receive error, garbage framing, or a request
 * with no reply for m_timo_ns -- counted per request, so replies to
 * others do not keep a lost one waiting) fails every waiter and every
 * later call with -EIO and forgets all fids.
 * Locking: m_lock guards the tag and fid maps, the request table and the
 * reader flag; the reader owns m_rbuf while m_reading is set.
 *
 * For leak checks (/dev/kstat) three counters cover every Mnt: live Mnts,
 * fids and tags set in their maps.  A dead channel's forgotten fids leave
 * the count; a Mnt freed with fids or tags still set leaves them in it
 * (nothing can free them any more: a leak, and it shows).
 */
#include <clock.h>
#include <kernel.h>
#include <kmem.h>
#include <libkern.h>
#include <p9.h>
#include <uapi/errno.h>

#define MNT_DEFAULT_TIMO	(30 * NSEC_PER_SEC)

int mnt_nmounts;		/* atomic: live Mnts */
int mnt_nfids;			/* atomic: fids set in the fid maps */
int mnt_ntags;			/* atomic: tags set in the tag maps */

static void
mnt_count(int *counter, int delta)
{
	__atomic_add_fetch(counter, delta, __ATOMIC_RELAXED);
}

struct mnt *
mnt_alloc(const struct p9_trans *trans, void *arg)
{
	struct mnt *m = kmalloc(sizeof(*m), M_ZERO);

	if (m == NULL)
		return (NULL);
	spin_init(&m->m_lock, "mnt");
	m->m_trans = trans;
	m->m_targ = arg;
	m->m_timo_ns = MNT_DEFAULT_TIMO;
	mnt_count(&mnt_nmounts, 1);
	return (m);
}

void
mnt_free(struct mnt *m)
{
	if (m == NULL)
		return;
	if (m->m_trans->tr_close != NULL)
		m->m_trans->tr_close(m->m_targ);
	kfree(m->m_rbuf);
	kfree(m);
	mnt_count(&mnt_nmounts, -1);
}

static void
mnt_wakeup(struct mnt *m, const void *chan)
{
	if (m->m_wakeup != NULL)
		m->m_wakeup(m, chan);
}

/* Where the request with this tag is registered; m_lock held. */
static struct p9_req **
mnt_slot(struct mnt *m, uint16_t tag)
{
	if (tag < MNT_NTAGS)
		return (&m->m_reqs[tag]);
	if (tag == P9_NOTAG)
		return (&m->m_vreq);		/* Tversion */
	return (NULL);
}

/* The request no longer takes replies; m_lock held. */
static void
mnt_unregister(struct mnt *m, struct p9_req *r)
{
	struct p9_req **slot = mnt_slot(m, r->r_tag);

	r->r_active = false;
	if (slot != NULL && *slot == r)
		*slot = NULL;
}

static int bitmap_count(const uint64_t *map, int n);

/* m_lock held. */
static void
mnt_dead_locked(struct mnt *m)
{
	if (!m->m_dead)
		printk(KERN_WARNING "9p: channel %s is dead\n",
		    m->m_trans->tr_name);
	m->m_dead = true;
	for (int i = 0; i < MNT_NTAGS; i++) {
		struct p9_req *r = m->m_reqs[i];

		if (r != NULL && !r->r_done) {
			r->r_error = -EIO;
			r->r_done = true;
		}
	}
	if (m->m_vreq != NULL && !m->m_vreq->r_done) {
		m->m_vreq->r_error = -EIO;
		m->m_vreq->r_done = true;
	}
	mnt_count(&mnt_nfids, -bitmap_count(m->m_fidmap, MNT_NFIDS));
	memset(m->m_fidmap, 0, sizeof(m->m_fidmap));
}

void
mnt_hangup(struct mnt *m)
{
	spin_lock(&m->m_lock);
	mnt_dead_locked(m);
	spin_unlock(&m->m_lock);
	mnt_wakeup(m, m);
	mnt_wakeup(m, m->m_tagmap);
}

/* The first clear bit at or after start (wrapping), now set; or -1. */
static int
bitmap_alloc(uint64_t *map, int n, int start)
{
	for (int k = 0; k < n; k++) {
		int i = (start + k) % n;

		if (!(map[i / 64] & (1ULL << (i % 64)))) {
			map[i / 64] |= 1ULL << (i % 64);
			return (i);
		}
	}
	return (-1);
}

static int
bitmap_count(const uint64_t *map, int n)
{
	int c = 0;

	for (int i = 0; i < n; i++)
		c += (map[i / 64] >> (i % 64)) & 1;
	return (c);
}

int
mnt_tags_inuse(struct mnt *m)
{
	int n;

	spin_lock(&m->m_lock);
	n = bitmap_count(m->m_tagmap, MNT_NTAGS);
	spin_unlock(&m->m_lock);
	return (n);
}

int
mnt_fids_inuse(struct mnt *m)
{
	int n;

	spin_lock(&m->m_lock);
	n = bitmap_count(m->m_fidmap, MNT_NFIDS);
	spin_unlock(&m->m_lock);
	return (n);
}

int
mnt_fid_alloc(struct mnt *m, uint32_t *fid)
{
	int f;

	spin_lock(&m->m_lock);
	f = m->m_dead ? -1 : bitmap_alloc(m->m_fidmap, MNT_NFIDS, 0);
	if (f >= 0)
		mnt_count(&mnt_nfids, 1);
	spin_unlock(&m->m_lock);
	if (f < 0)
		return (m->m_dead ? -EIO : -ENFILE);
	*fid = f;
	return (0);
}

void
mnt_fid_free(struct mnt *m, uint32_t fid)
{
	if (fid >= MNT_NFIDS)
		return;
	spin_lock(&m->m_lock);
	/* Clear already when the channel died (it forgot every fid). */
	if (m->m_fidmap[fid / 64] & (1ULL << (fid % 64)))
		mnt_count(&mnt_nfids, -1);
	m->m_fidmap[fid / 64] &= ~(1ULL << (fid % 64));
	spin_unlock(&m->m_lock);
}

static struct p9_req *
mnt_reqalloc(struct mnt *m, bool notag)
{
	struct p9_req *r = kmalloc(sizeof(*r), M_ZERO);
	int tag = P9_NOTAG;

	if (r == NULL)
		return (NULL);
	/* m_rcap (>= m_msize): so replies can swap with m_rbuf. */
	r->r_tbuf = kmalloc(m->m_rcap, 0);
	r->r_rbuf = kmalloc(m->m_rcap, 0);
	if (r->r_tbuf == NULL || r->r_rbuf == NULL)
		goto fail;
	spin_lock(&m->m_lock);
	while (!notag && !m->m_dead &&
	    (tag = bitmap_alloc(m->m_tagmap, MNT_NTAGS, m->m_tagnext)) < 0) {
		/* Every tag is out: wait for one (never when polling). */
		if (m->m_sleep == NULL ||
		    m->m_sleep(m, m->m_tagmap, false) != 0)
			break;
	}
	if (tag != P9_NOTAG && tag >= 0)	/* bitmap_alloc set it */
		mnt_count(&mnt_ntags, 1);
	spin_unlock(&m->m_lock);
	if (m->m_dead || (!notag && tag < 0))
		goto fail;
	if (!notag)
		m->m_tagnext = (tag + 1) % MNT_NTAGS;
	r->r_tag = tag;
	return (r);
fail:
	if (tag != P9_NOTAG && tag >= 0) {
		spin_lock(&m->m_lock);
		m->m_tagmap[tag / 64] &= ~(1ULL << (tag % 64));
		mnt_count(&mnt_ntags, -1);
		spin_unlock(&m->m_lock);
	}
	kfree(r->r_tbuf);
	kfree(r->r_rbuf);
	kfree(r);
	return (NULL);
}

struct p9_req *
mnt_request(struct mnt *m)
{
	return (mnt_reqalloc(m, false));
}

void
mnt_request_free(struct mnt *m, struct p9_req *r)
{
	if (r == NULL)
		return;
	spin_lock(&m->m_lock);
	mnt_unregister(m, r);
	if (r->r_tag < MNT_NTAGS &&
	    (m->m_tagmap[r->r_tag / 64] & (1ULL << (r->r_tag % 64)))) {
		m->m_tagmap[r->r_tag / 64] &= ~(1ULL << (r->r_tag % 64));
		mnt_count(&mnt_ntags, -1);
	}
	spin_unlock(&m->m_lock);
	mnt_wakeup(m, m->m_tagmap);
	kfree(r->r_tbuf);
	kfree(r->r_rbuf);
	kfree(r);
}

int
mountio_send(struct mnt *m, struct p9_req *r)
{
	struct p9_req **slot;
	int error;

	spin_lock(&m->m_lock);
	if (m->m_dead) {
		spin_unlock(&m->m_lock);
		return (-EIO);
	}
	r->r_done = false;
	r->r_error = 0;
	r->r_flushed = false;
	r->r_active = true;
	r->r_type = r->r_tbuf[4];
	r->r_sent = nanouptime();
	if ((slot = mnt_slot(m, r->r_tag)) != NULL)
		*slot = r;
	m->m_nrpc++;
	spin_unlock(&m->m_lock);
	error = -EAGAIN;
	if (m->m_trans->tr_sendbuf != NULL && r->r_tlen > P9_SENDBUF_MIN)
		error = m->m_trans->tr_sendbuf(m->m_targ, &r->r_tbuf,
		    r->r_tlen, m->m_rcap);
	if (error == -EAGAIN)
		error = m->m_trans->tr_send(m->m_targ, r->r_tbuf, r->r_tlen);
	if (error != 0) {
		mnt_hangup(m);
		return (-EIO);
	}
	return (0);
}

/*
 * When the oldest request still waiting for its reply has waited
 * m_timo_ns (a flushed one counts by its Tflush); 0: no limit.  m_lock
 * held.
 */
static uint64_t
mnt_deadline(struct mnt *m)
{
	uint64_t d = 0;

	if (m->m_timo_ns == 0)
		return (0);
	for (int i = 0; i <= MNT_NTAGS; i++) {
		struct p9_req *r = i < MNT_NTAGS ? m->m_reqs[i] : m->m_vreq;

		if (r != NULL && r->r_active && !r->r_done && !r->r_flushed &&
		    (d == 0 || r->r_sent + m->m_timo_ns < d))
			d = r->r_sent + m->m_timo_ns;
	}
	return (d);
}

/*
 * Read one whole message into the front of m_rbuf: its size, -EIO on bad
 * framing or hang-up, -ETIMEDOUT at the deadline (0: none), or the
 * transport's error.  Reader only.
 */
static int
mountrdmsg(struct mnt *m, uint64_t deadline)
{
	uint64_t timo, now;
	uint32_t size;
	ssize_t n;

	for (;;) {
		if (m->m_rlen >= 4) {
			size = m->m_rbuf[0] | m->m_rbuf[1] << 8 |
			    m->m_rbuf[2] << 16 | (uint32_t)m->m_rbuf[3] << 24;
			if (size < P9_HDRSZ || size > m->m_msize)
				return (-EIO);
			if (m->m_rlen >= size)
				return ((int)size);
		}
		timo = m->m_timo_ns;
		if (deadline != 0) {
			if ((now = nanouptime()) >= deadline)
				return (-ETIMEDOUT);
			timo = deadline - now;
		}
		n = -EAGAIN;
		if (m->m_rlen == 0 && m->m_trans->tr_recvbuf != NULL)
			n = m->m_trans->tr_recvbuf(m->m_targ, &m->m_rbuf,
			    m->m_rcap, timo);
		if (n == -EAGAIN)
			n = m->m_trans->tr_recv(m->m_targ,
			    m->m_rbuf + m->m_rlen, m->m_rcap - m->m_rlen,
			    timo);
		if (n == 0)
			return (-EIO);		/* hang-up */
		if (n < 0)
			return ((int)n);
		m->m_rlen += n;
	}
}

/* Give the message at the front of m_rbuf to its request; m_lock held. */
static void
mountmux(struct mnt *m, size_t size)
{
	uint16_t tag = m->m_rbuf[5] | m->m_rbuf[6] << 8;
	struct p9_req **slot = mnt_slot(m, tag);
	struct p9_req *r = slot != NULL ? *slot : NULL;

	if (r == NULL || !r->r_active || r->r_done) {
		m->m_ndropped++;
		printk(KERN_WARNING "9p: reply type %u with unknown tag %u "
		    "dropped\n", m->m_rbuf[4], tag);
	} else if (m->m_rlen == size) {
		/* The buffer holds just this message: hand it over. */
		uint8_t *t = r->r_rbuf;

		r->r_rbuf = m->m_rbuf;
		m->m_rbuf = t;
		r->r_rlen = size;
		r->r_done = true;
		m->m_rlen = 0;
		return;
	} else {
		memcpy(r->r_rbuf, m->m_rbuf, size);
		r->r_rlen = size;
		r->r_done = true;
	}
	memmove(m->m_rbuf, m->m_rbuf + size, m->m_rlen - size);
	m->m_rlen -= size;
}

static int mntflush(struct mnt *m, struct p9_req *r);

static int
mountio_wait1(struct mnt *m, struct p9_req *r, bool intr)
{
	int error;

	spin_lock(&m->m_lock);
	for (;;) {
		if (r->r_done)
			break;
		if (m->m_dead) {
			r->r_error = -EIO;
			r->r_done = true;
			break;
		}
		if (!m->m_reading) {
			uint64_t deadline = mnt_deadline(m);

			m->m_reading = true;
			spin_unlock(&m->m_lock);
			error = mountrdmsg(m, deadline);
			spin_lock(&m->m_lock);
			m->m_reading = false;
			if (error > 0)
				mountmux(m, error);
			else if (error != -EINTR)
				mnt_dead_locked(m);
			spin_unlock(&m->m_lock);
			mnt_wakeup(m, m);
			if (error == -EINTR && intr && !r->r_done)
				return (mntflush(m, r));
			spin_lock(&m->m_lock);
			continue;
		}
		if (m->m_sleep == NULL) {
			/* Another reader without a scheduler: a bug. */
			r->r_error = -EDEADLK;
			break;
		}
		m->m_nwait++;
		error = m->m_sleep(m, m, intr);
		if (error == -EINTR && intr && !r->r_done) {
			spin_unlock(&m->m_lock);
			return (mntflush(m, r));
		}
	}
	mnt_unregister(m, r);
	error = r->r_error;
	spin_unlock(&m->m_lock);
	return (error);
}

int
mountio_wait(struct mnt *m, struct p9_req *r)
{
	return (mountio_wait1(m, r, true));
}

/*
 * r's wait was interrupted: Tflush it.  Returns 0 when r's own reply came
 * in before the Rflush (the call is complete), else -EINTR (or -EIO).
 */
static int
mntflush(struct mnt *m, struct p9_req *r)
{
	struct p9_req *f;
	struct p9_buf b;
	int error;
	bool got;

	spin_lock(&m->m_lock);
	r->r_flushed = true;
	m->m_nflush++;
	spin_unlock(&m->m_lock);
	f = mnt_request(m);
	if (f == NULL) {
		mnt_hangup(m);
		error = -EIO;
	} else {
		b.data = f->r_tbuf;
		b.cap = m->m_msize;
		f->r_tlen = p9_tflush(&b, f->r_tag, r->r_tag);
		error = mountio_send(m, f);
		if (error == 0)
			error = mountio_wait1(m, f, false);
		mnt_request_free(m, f);
	}
	/* Rflush is in (or the channel is dead): the old tag may go. */
	spin_lock(&m->m_lock);
	got = r->r_done && r->r_error == 0;
	mnt_unregister(m, r);
	spin_unlock(&m->m_lock);
	if (got)
		return (0);
	return (error != 0 ? -EIO : -EINTR);
}

int
mountrpc(struct mnt *m, struct p9_req *r)
{
	int error = mountio_send(m, r);

	if (error == 0)
		error = mountio_wait(m, r);
	return (error);
}

int
mnt_version(struct mnt *m, uint32_t msize)
{
	struct p9_req *r;
	struct p9_buf b;
	struct p9_rbuf rb;
	uint32_t rmsize;
	char ver[16];
	int error;

	if (msize < P9_MINMSIZE || m->m_rbuf != NULL)
		return (-EINVAL);
	m->m_msize = msize;
	m->m_rcap = msize;
	m->m_rbuf = kmalloc(msize, 0);
	if (m->m_rbuf == NULL)
		return (-ENOMEM);
	if ((r = mnt_reqalloc(m, true)) == NULL)
		return (-EIO);
	b.data = r->r_tbuf;
	b.cap = msize;
	r->r_tlen = p9_tversion(&b, P9_NOTAG, msize, P9_VERSION);
	error = mountrpc(m, r);
	if (error == 0)
		error = p9_reply(&rb, r->r_rbuf, r->r_rlen, P9_TVERSION,
		    P9_NOTAG);
	if (error == 0)
		error = p9_rversion(&rb, &rmsize, ver, sizeof(ver));
	if (error == 0 && strcmp(ver, P9_VERSION) != 0)
		error = -EPROTONOSUPPORT;
	if (error == 0 && (rmsize > msize || rmsize < P9_MINMSIZE))
		error = -EPROTO;
	if (error == 0) {
		m->m_msize = rmsize;
		m->m_iounit = rmsize - P9_IOHDRSZ;
	}
	mnt_request_free(m, r);
	return (error);
}
