/*
 * p9_mnt.c: host unit tests for fs/9p/p9_mnt.c and p9_client.c (devmnt).
 *
 * A fake transport stands in for virtio-serial: send keeps a copy of each
 * T-message; recv hands out the bytes queued on a "wire", in chunks of a
 * chosen size so messages are split and joined at every boundary.  When
 * the wire is empty, a small in-memory server answers the T-messages not
 * yet answered (or a test queues exact replies itself).  A recv may be
 * scripted to return -EINTR, a hang-up (0) or -ETIMEDOUT.  Covered: msize
 * negotiation, framing, out-of-order replies, unknown tags, tag reuse and
 * exhaustion, Tflush in both races, iounit splitting, long walks, dead
 * channels, and the global counts /dev/kstat reports (every test ends
 * with no Mnt and no tag counted; fids in test_global_fid_count).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <kernel.h>
#include <kmem.h>
#include <p9.h>
#include <spinlock.h>
#include <uapi/errno.h>

/* The kernel services the Mnt links against, for the host. */
void
spin_init(struct spinlock *sl, const char *name)
{
	sl->sl_locked = 0;
	sl->sl_name = name;
}

void
spin_lock(struct spinlock *sl)
{
	assert_int_equal(sl->sl_locked, 0);	/* no recursion */
	sl->sl_locked = 1;
}

void
spin_unlock(struct spinlock *sl)
{
	assert_int_equal(sl->sl_locked, 1);
	sl->sl_locked = 0;
}

int
printk(const char *fmt, ...)
{
	return (0);
}

/* A clock the fake transport moves: fk_tick ns per recv (0: stopped). */
static uint64_t fk_now, fk_tick;

uint64_t
nanouptime(void)
{
	return (fk_now);
}

void *
kmalloc(size_t size, int flags)
{
	return ((flags & M_ZERO) ? calloc(1, size) : malloc(size));
}

void
kfree(void *p)
{
	free(p);
}

/* --- the fake transport and server -------------------------------------- */

#define WIRE	(1 << 20)

static struct fake {
	uint8_t wire[WIRE];		/* bytes the client will receive */
	size_t wlen, wpos;
	size_t chunk;			/* most bytes per recv */
	uint8_t *sent[256];		/* T-messages, in order */
	size_t sentlen[256];
	int nsent, nanswered;
	bool autoserve;			/* answer T-messages when idle */
	int recv_calls;
	int eintr_at;			/* recv call that returns -EINTR */
	ssize_t when_empty;		/* 0 hang-up, -ETIMEDOUT, ... */
	uint32_t server_msize;
	const char *server_version;
	void (*before_recv)(void);	/* hook, for race tests */
	int closed;
} fk;

static uint16_t
get16(const uint8_t *p)
{
	return (p[0] | p[1] << 8);
}

static uint32_t
get32(const uint8_t *p)
{
	return (p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24);
}

/* Queue a reply: type, tag, then a body built by the caller. */
static uint8_t rbody[70000];
static size_t rblen;

static void
body_reset(void)
{
	rblen = 0;
}

static void
body_put(const void *p, size_t n)
{
	memcpy(rbody + rblen, p, n);
	rblen += n;
}

static void
body_u32(uint32_t v)
{
	uint8_t b[4] = { v, v >> 8, v >> 16, v >> 24 };

	body_put(b, 4);
}

static void
body_u16(uint16_t v)
{
	uint8_t b[2] = { v, v >> 8 };

	body_put(b, 2);
}

static void
body_qid(uint8_t type, uint64_t path)
{
	uint8_t b[13] = { type };

	for (int i = 0; i < 8; i++)
		b[5 + i] = path >> (8 * i);
	body_put(b, 13);
}

static void
wire_reply(uint8_t type, uint16_t tag)
{
	uint32_t size = 7 + rblen;
	uint8_t h[7] = { size, size >> 8, size >> 16, size >> 24, type, tag,
		tag >> 8 };

	assert_true(fk.wlen + size <= WIRE);
	memcpy(fk.wire + fk.wlen, h, 7);
	memcpy(fk.wire + fk.wlen + 7, rbody, rblen);
	fk.wlen += size;
}

static void
reply_error(uint16_t tag, uint32_t ecode)
{
	body_reset();
	body_u32(ecode);
	wire_reply(P9_RLERROR, tag);
}

/* The in-memory server: answer T-message i. */
static void
serve(int i)
{
	const uint8_t *t = fk.sent[i];
	uint8_t type = t[4];
	uint16_t tag = get16(t + 5);

	body_reset();
	switch (type) {
	case P9_TVERSION: {
		uint32_t msize = get32(t + 7);

		body_u32(fk.server_msize < msize ? fk.server_msize : msize);
		body_u16(strlen(fk.server_version));
		body_put(fk.server_version, strlen(fk.server_version));
		break;
	}
	case P9_TATTACH:
		body_qid(P9_QTDIR, 1);
		break;
	case P9_TWALK: {
		uint16_t n = get16(t + 15);
		size_t off = 17;
		uint16_t got = 0;

		for (; got < n; got++) {
			uint16_t l = get16(t + off);

			if (l == 7 && memcmp(t + off + 2, "missing", 7) == 0)
				break;
			off += 2 + l;
		}
		if (n > 0 && got == 0) {
			reply_error(tag, ENOENT);
			return;
		}
		body_u16(got);
		for (int k = 0; k < got; k++)
			body_qid(0, 100 + k);
		break;
	}
	case P9_TREAD: {
		uint64_t off = get32(t + 11) | (uint64_t)get32(t + 15) << 32;
		uint32_t count = get32(t + 19), n;
		const uint64_t fsize = 20000;

		n = off >= fsize ? 0 : (fsize - off < count ? fsize - off :
		    count);
		body_u32(n);
		for (uint32_t k = 0; k < n; k++)
			rbody[rblen++] = (off + k) & 0xff;
		break;
	}
	case P9_TWRITE:
		body_u32(get32(t + 19));
		break;
	case P9_TLOPEN:
		body_qid(0, 5);
		body_u32(0);		/* iounit 0, as diod */
		break;
	case P9_TCLUNK:
	case P9_TFLUSH:
	case P9_TREMOVE:
		break;
	default:
		reply_error(tag, EOPNOTSUPP);
		return;
	}
	wire_reply(type + 1, tag);
}

static int
fake_send(void *arg, const void *msg, size_t len)
{
	assert_true(fk.nsent < 256);
	assert_int_equal(get32(msg), len);
	fk.sent[fk.nsent] = malloc(len);
	memcpy(fk.sent[fk.nsent], msg, len);
	fk.sentlen[fk.nsent++] = len;
	return (0);
}

static ssize_t
fake_recv(void *arg, void *buf, size_t len, uint64_t timo)
{
	size_t n;

	fk.recv_calls++;
	fk_now += fk_tick;
	if (fk.before_recv != NULL)
		fk.before_recv();
	if (fk.recv_calls == fk.eintr_at)
		return (-EINTR);
	if (fk.wpos == fk.wlen && fk.autoserve)
		while (fk.nanswered < fk.nsent)
			serve(fk.nanswered++);
	if (fk.wpos == fk.wlen)
		return (fk.when_empty);
	n = fk.wlen - fk.wpos;
	if (n > fk.chunk)
		n = fk.chunk;
	if (n > len)
		n = len;
	memcpy(buf, fk.wire + fk.wpos, n);
	fk.wpos += n;
	return (n);
}

static void
fake_close(void *arg)
{
	fk.closed++;
}

static const struct p9_trans fake_trans = {
	"fake", fake_send, fake_recv, fake_close,
	NULL, NULL		/* no buffer exchange: always the copies */
};

static struct mnt *
setup_mnt(uint32_t server_msize, size_t chunk)
{
	struct mnt *m;

	for (int i = 0; i < fk.nsent; i++)
		free(fk.sent[i]);
	memset(&fk, 0, sizeof(fk));
	fk.chunk = chunk;
	fk.autoserve = true;
	fk.when_empty = 0;
	fk.server_msize = server_msize;
	fk.server_version = "9P2000.L";
	fk_now = 1000000000;
	fk_tick = 0;
	m = mnt_alloc(&fake_trans, NULL);
	assert_non_null(m);
	return (m);
}

/*
 * After every test: each Mnt was freed and no tag outlived its request,
 * whatever path the requests took (flush, exhaustion, dead channel), so
 * /dev/kstat's p9_mounts and p9_tags are back to 0.
 */
static int
teardown(void **state)
{
	for (int i = 0; i < fk.nsent; i++)
		free(fk.sent[i]);
	fk.nsent = 0;
	assert_int_equal(mnt_nmounts, 0);
	assert_int_equal(mnt_ntags, 0);
	return (0);
}

/* --- tests -------------------------------------------------------------- */

static void
test_version_negotiates_msize(void **state)
{
	struct mnt *m = setup_mnt(8192, 1);	/* one byte per recv */

	assert_int_equal(mnt_version(m, 65536), 0);
	assert_int_equal(m->m_msize, 8192);
	assert_int_equal(m->m_iounit, 8192 - 24);
	assert_int_equal(fk.nsent, 1);
	assert_int_equal(fk.sent[0][4], P9_TVERSION);
	assert_int_equal(get16(fk.sent[0] + 5), P9_NOTAG);
	assert_int_equal(get32(fk.sent[0] + 7), 65536);
	assert_int_equal(mnt_tags_inuse(m), 0);
	mnt_free(m);
	assert_int_equal(fk.closed, 1);
}

static void
test_version_rejected(void **state)
{
	struct mnt *m = setup_mnt(8192, 4096);

	fk.server_version = "9P2000";
	assert_int_equal(mnt_version(m, 65536), -EPROTONOSUPPORT);
	mnt_free(m);
	m = setup_mnt(1024, 4096);	/* below the 4096 minimum */
	assert_int_equal(mnt_version(m, 65536), -EPROTO);
	mnt_free(m);
	m = setup_mnt(8192, 4096);
	assert_int_equal(mnt_version(m, 100), -EINVAL);
	mnt_free(m);
}

static void
test_attach_walk_clunk(void **state)
{
	struct mnt *m = setup_mnt(8192, 3);
	const char *names[] = { "a", "b" }, *bad[] = { "a", "missing" };
	struct p9_qid qid;
	uint32_t root, fid;

	assert_int_equal(mnt_version(m, 8192), 0);
	assert_int_equal(p9_attach(m, "u", 0, "/exp", &root, &qid), 0);
	assert_int_equal(qid.type, P9_QTDIR);
	assert_int_equal(p9_walk(m, root, 2, names, &fid, &qid), 0);
	assert_int_equal(qid.path, 101);	/* the last qid */
	assert_int_equal(mnt_fids_inuse(m), 2);
	assert_int_equal(p9_clunk(m, fid), 0);
	/* Missing first name: Rlerror; missing second: partial Rwalk. */
	names[0] = "missing";
	assert_int_equal(p9_walk(m, root, 1, names, &fid, NULL), -ENOENT);
	assert_int_equal(p9_walk(m, root, 2, bad, &fid, NULL), -ENOENT);
	assert_int_equal(mnt_fids_inuse(m), 1);
	assert_int_equal(mnt_tags_inuse(m), 0);
	mnt_free(m);
}

static void
test_long_walk_split(void **state)
{
	struct mnt *m = setup_mnt(8192, 4096);
	const char *names[40];
	struct p9_qid qid;
	uint32_t root, fid;
	int before;

	for (int i = 0; i < 40; i++)
		names[i] = "d";
	assert_int_equal(mnt_version(m, 8192), 0);
	assert_int_equal(p9_attach(m, "u", 0, "/exp", &root, &qid), 0);
	before = fk.nsent;
	assert_int_equal(p9_walk(m, root, 40, names, &fid, &qid), 0);
	/* 16 + 16 + 8: three Twalks, the later ones from the new fid. */
	assert_int_equal(fk.nsent - before, 3);
	assert_int_equal(get16(fk.sent[before] + 15), 16);
	assert_int_equal(get16(fk.sent[before + 2] + 15), 8);
	assert_int_equal(get32(fk.sent[before + 1] + 7), fid);
	assert_int_equal(get32(fk.sent[before + 1] + 11), fid);
	/* A missing name in the second piece: the new fid is clunked. */
	names[20] = "missing";
	before = fk.nsent;
	assert_int_equal(p9_walk(m, root, 40, names, &fid, &qid), -ENOENT);
	assert_int_equal(fk.sent[fk.nsent - 1][4], P9_TCLUNK);
	assert_int_equal(mnt_fids_inuse(m), 2);	/* root + first walk */
	mnt_free(m);
}

static void
test_read_write_split_by_iounit(void **state)
{
	struct mnt *m = setup_mnt(8192, 5000);
	static uint8_t buf[30000];
	uint32_t root;
	struct p9_qid qid;
	int before;

	assert_int_equal(mnt_version(m, 8192), 0);
	assert_int_equal(p9_attach(m, "u", 0, "/e", &root, &qid), 0);
	before = fk.nsent;
	/* The file has 20000 bytes: 8168 + 8168 + 3664, short = EOF. */
	assert_int_equal(p9_read(m, root, 0, buf, sizeof(buf)), 20000);
	assert_int_equal(fk.nsent - before, 3);
	assert_int_equal(get32(fk.sent[before] + 19), 8168);
	for (int i = 0; i < 20000; i++)
		assert_int_equal(buf[i], i & 0xff);
	assert_int_equal(p9_read(m, root, 19990, buf, 100), 10);
	before = fk.nsent;
	assert_int_equal(p9_write(m, root, 0, buf, 17000), 17000);
	assert_int_equal(fk.nsent - before, 3);
	assert_int_equal(fk.sentlen[before], 23 + 8168);
	assert_int_equal(fk.sentlen[before + 2], 23 + 17000 - 2 * 8168);
	mnt_free(m);
}

static void
test_out_of_order_and_unknown_tag(void **state)
{
	struct mnt *m = setup_mnt(8192, 7);
	struct p9_req *r1, *r2;
	struct p9_buf b;

	assert_int_equal(mnt_version(m, 8192), 0);
	fk.autoserve = false;
	r1 = mnt_request(m);
	r2 = mnt_request(m);
	assert_int_not_equal(r1->r_tag, r2->r_tag);
	b.data = r1->r_tbuf;
	b.cap = m->m_msize;
	r1->r_tlen = p9_tclunk(&b, r1->r_tag, 1);
	b.data = r2->r_tbuf;
	r2->r_tlen = p9_tread(&b, r2->r_tag, 1, 0, 5);
	assert_int_equal(mountio_send(m, r1), 0);
	assert_int_equal(mountio_send(m, r2), 0);
	/* The wire: a reply for a tag nobody uses, r2's, then r1's. */
	body_reset();
	wire_reply(P9_TCLUNK + 1, 40);
	body_reset();
	body_u32(2);
	body_put("hi", 2);
	wire_reply(P9_TREAD + 1, r2->r_tag);
	body_reset();
	wire_reply(P9_TCLUNK + 1, r1->r_tag);
	/* Waiting for r1 reads past r2's reply and files it. */
	assert_int_equal(mountio_wait(m, r1), 0);
	assert_int_equal(r1->r_rbuf[4], P9_TCLUNK + 1);
	assert_true(r2->r_done);
	assert_int_equal(m->m_ndropped, 1);
	assert_int_equal(mountio_wait(m, r2), 0);
	assert_int_equal(r2->r_rlen, 7 + 4 + 2);
	assert_memory_equal(r2->r_rbuf + 11, "hi", 2);
	mnt_request_free(m, r1);
	mnt_request_free(m, r2);
	assert_int_equal(mnt_tags_inuse(m), 0);
	mnt_free(m);
}

static void
test_tag_reuse_and_exhaustion(void **state)
{
	struct mnt *m = setup_mnt(8192, 4096);
	struct p9_req *r[MNT_NTAGS];
	uint16_t first;

	assert_int_equal(mnt_version(m, 8192), 0);
	for (int i = 0; i < MNT_NTAGS; i++) {
		r[i] = mnt_request(m);
		assert_non_null(r[i]);
		assert_int_not_equal(r[i]->r_tag, P9_NOTAG);
	}
	assert_int_equal(mnt_tags_inuse(m), MNT_NTAGS);
	/* No scheduler to wait with: no request. */
	assert_null(mnt_request(m));
	first = r[5]->r_tag;
	mnt_request_free(m, r[5]);
	r[5] = mnt_request(m);
	assert_int_equal(r[5]->r_tag, first);	/* the freed tag again */
	for (int i = 0; i < MNT_NTAGS; i++)
		mnt_request_free(m, r[i]);
	assert_int_equal(mnt_tags_inuse(m), 0);
	mnt_free(m);
}

static struct mnt *race_m;
static int race_tags_seen;

/* Before the reply to the Tflush is delivered: the old tag is held. */
static void
check_tags_before_rflush(void)
{
	if (fk.nsent > 0 && fk.sent[fk.nsent - 1][4] == P9_TFLUSH &&
	    race_tags_seen == 0)
		race_tags_seen = mnt_tags_inuse(race_m);
}

static void
test_flush_without_reply(void **state)
{
	struct mnt *m = setup_mnt(8192, 4096);
	struct p9_qid qid;
	uint32_t root, iounit;
	int calls;

	assert_int_equal(mnt_version(m, 8192), 0);
	assert_int_equal(p9_attach(m, "u", 0, "/e", &root, &qid), 0);
	race_m = m;
	race_tags_seen = 0;
	fk.before_recv = check_tags_before_rflush;
	fk.autoserve = false;
	fk.eintr_at = fk.recv_calls + 1;	/* the next receive */
	calls = fk.nsent;
	/* Tlopen interrupted -> Tflush(oldtag); the server answers only
	 * the flush. */
	fk.autoserve = true;
	fk.nanswered = fk.nsent + 1;		/* never answer the Tlopen */
	assert_int_equal(p9_lopen(m, root, 0, &qid, &iounit), -EINTR);
	assert_int_equal(fk.nsent - calls, 2);
	assert_int_equal(fk.sent[calls + 1][4], P9_TFLUSH);
	assert_int_equal(get16(fk.sent[calls + 1] + 7),
	    get16(fk.sent[calls] + 5));
	assert_int_equal(race_tags_seen, 2);	/* old tag + flush tag */
	assert_int_equal(mnt_tags_inuse(m), 0);
	assert_int_equal(m->m_nflush, 1);
	/* A reply to the old tag after Rflush is dropped, not misfiled. */
	fk.before_recv = NULL;
	body_reset();
	body_qid(0, 5);
	body_u32(0);
	wire_reply(P9_TLOPEN + 1, get16(fk.sent[calls] + 5));
	fk.nanswered = fk.nsent;
	assert_int_equal(p9_clunk(m, root), 0);
	assert_int_equal(m->m_ndropped, 1);
	mnt_free(m);
}

static void
test_flush_reply_wins(void **state)
{
	struct mnt *m = setup_mnt(8192, 4096);
	struct p9_qid qid;
	uint32_t root, iounit = 0;

	assert_int_equal(mnt_version(m, 8192), 0);
	assert_int_equal(p9_attach(m, "u", 0, "/e", &root, &qid), 0);
	/* Interrupted, but the server answers the Tlopen before the
	 * Rflush (it answers in order): the call completes. */
	fk.eintr_at = fk.recv_calls + 1;
	assert_int_equal(p9_lopen(m, root, 0, &qid, &iounit), 0);
	assert_int_equal(iounit, 8192 - 24);	/* 0 from the server */
	assert_int_equal(qid.path, 5);
	assert_int_equal(fk.sent[fk.nsent - 1][4], P9_TFLUSH);
	assert_int_equal(mnt_tags_inuse(m), 0);
	assert_int_equal(m->m_ndropped, 0);
	mnt_free(m);
}

/* The global fid count follows attach, walk, clunk and a dead channel. */
static void
test_global_fid_count(void **state)
{
	struct mnt *m = setup_mnt(8192, 5);
	const char *names[] = { "a", "missing" };
	int f0 = mnt_nfids;
	struct p9_qid qid;
	uint32_t root, fid, fid2;

	assert_int_equal(mnt_nmounts, 1);
	assert_int_equal(mnt_version(m, 8192), 0);
	assert_int_equal(p9_attach(m, "u", 0, "/e", &root, &qid), 0);
	assert_int_equal(mnt_nfids, f0 + 1);
	assert_int_equal(p9_walk(m, root, 1, names, &fid, NULL), 0);
	assert_int_equal(p9_walk(m, root, 1, names, &fid2, NULL), 0);
	assert_int_equal(mnt_nfids, f0 + 3);
	/* A failed walk (partial Rwalk: clunked) leaves no fid behind. */
	assert_int_equal(p9_walk(m, root, 2, names, &fid, NULL), -ENOENT);
	assert_int_equal(mnt_nfids, f0 + 3);
	assert_int_equal(p9_clunk(m, fid2), 0);
	assert_int_equal(mnt_nfids, f0 + 2);
	assert_int_equal(mnt_ntags, 0);
	/* The channel dies: its fids are forgotten, clunks count nothing. */
	fk.autoserve = false;
	fk.when_empty = 0;			/* hang-up */
	assert_int_equal(p9_clunk(m, fid), -EIO);
	assert_true(m->m_dead);
	assert_int_equal(mnt_nfids, f0);
	assert_int_equal(p9_clunk(m, root), -EIO);
	assert_int_equal(mnt_nfids, f0);
	mnt_free(m);
	assert_int_equal(mnt_nmounts, 0);
	assert_int_equal(mnt_nfids, f0);
}

static void
test_hangup_fails_everything(void **state)
{
	struct mnt *m = setup_mnt(8192, 4096);
	struct p9_qid qid;
	uint32_t root, fid;

	assert_int_equal(mnt_version(m, 8192), 0);
	assert_int_equal(p9_attach(m, "u", 0, "/e", &root, &qid), 0);
	assert_int_equal(p9_walk(m, root, 0, NULL, &fid, NULL), 0);
	assert_int_equal(mnt_fids_inuse(m), 2);
	fk.autoserve = false;
	fk.when_empty = 0;			/* hang-up */
	assert_int_equal(p9_lopen(m, fid, 0, &qid, NULL), -EIO);
	assert_true(m->m_dead);
	assert_int_equal(mnt_fids_inuse(m), 0);
	assert_int_equal(mnt_tags_inuse(m), 0);
	/* Later calls fail at once, sending nothing. */
	fk.autoserve = true;
	int sent = fk.nsent;
	assert_int_equal(p9_walk(m, root, 0, NULL, &fid, NULL), -EIO);
	assert_int_equal(p9_clunk(m, root), -EIO);
	assert_int_equal(fk.nsent, sent);
	mnt_free(m);
}

/*
 * Another thread is the reader: the waiter sleeps (m_sleep), and when the
 * reader goes away without its reply, the waiter takes over the reading.
 */
static int hook_sleeps;

static int hook_eintr;

static int
hook_sleep(struct mnt *m, const void *chan, bool intr)
{
	hook_sleeps++;
	assert_ptr_equal(chan, m);
	assert_int_equal(m->m_lock.sl_locked, 1);	/* called locked */
	m->m_reading = false;		/* the other reader is done */
	if (hook_eintr && intr) {
		hook_eintr = 0;
		return (-EINTR);	/* a signal */
	}
	return (0);
}

static void
hook_wakeup(struct mnt *m, const void *chan)
{
}

static void
test_reader_handoff(void **state)
{
	struct mnt *m = setup_mnt(8192, 4096);
	struct p9_qid qid;
	uint32_t root;

	assert_int_equal(mnt_version(m, 8192), 0);
	m->m_sleep = hook_sleep;
	m->m_wakeup = hook_wakeup;
	hook_sleeps = 0;
	m->m_reading = true;		/* someone else is reading */
	assert_int_equal(p9_attach(m, "u", 0, "/e", &root, &qid), 0);
	assert_int_equal(hook_sleeps, 1);
	assert_int_equal(m->m_nwait, 1);
	assert_false(m->m_reading);
	/* A sleep interrupted by a signal: Tflush, the server answers only
	 * the flush, the call is -EINTR and both tags are free again. */
	m->m_reading = true;
	hook_eintr = 1;
	fk.nanswered = fk.nsent + 1;		/* skip the Tlopen */
	assert_int_equal(p9_lopen(m, root, 0, &qid, NULL), -EINTR);
	assert_int_equal(fk.sent[fk.nsent - 1][4], P9_TFLUSH);
	assert_int_equal(m->m_nflush, 1);
	assert_int_equal(mnt_tags_inuse(m), 0);
	/* No scheduler and someone else reading: refused, not a hang. */
	m->m_reading = true;
	m->m_sleep = NULL;
	{
		struct p9_req *r = mnt_request(m);
		struct p9_buf b = { r->r_tbuf, m->m_msize, 0, 0 };

		r->r_tlen = p9_tclunk(&b, r->r_tag, root);
		assert_int_equal(mountio_send(m, r), 0);
		/* No scheduler and someone else reading: refused. */
		assert_int_equal(mountio_wait(m, r), -EDEADLK);
		m->m_reading = false;
		mnt_request_free(m, r);
	}
	mnt_free(m);
}

/* Every request in flight fails when the channel dies, not just one. */
static void
test_hangup_fails_all_waiters(void **state)
{
	struct mnt *m = setup_mnt(8192, 4096);
	struct p9_req *r[3];
	struct p9_buf b;

	assert_int_equal(mnt_version(m, 8192), 0);
	fk.autoserve = false;
	for (int i = 0; i < 3; i++) {
		r[i] = mnt_request(m);
		b.data = r[i]->r_tbuf;
		b.cap = m->m_msize;
		r[i]->r_tlen = p9_tclunk(&b, r[i]->r_tag, i);
		assert_int_equal(mountio_send(m, r[i]), 0);
	}
	assert_int_equal(mnt_tags_inuse(m), 3);
	/* r[1]'s reply comes, then the hang-up. */
	body_reset();
	wire_reply(P9_TCLUNK + 1, r[1]->r_tag);
	assert_int_equal(mountio_wait(m, r[0]), -EIO);
	assert_true(r[1]->r_done);
	assert_int_equal(r[1]->r_error, 0);	/* it had its answer */
	assert_true(r[2]->r_done);
	assert_int_equal(r[2]->r_error, -EIO);
	assert_int_equal(mountio_wait(m, r[1]), 0);
	assert_int_equal(mountio_wait(m, r[2]), -EIO);
	for (int i = 0; i < 3; i++)
		mnt_request_free(m, r[i]);
	assert_int_equal(mnt_tags_inuse(m), 0);
	assert_null(mnt_request(m));		/* dead: no new requests */
	mnt_free(m);
}

/*
 * A request whose reply never comes while replies to others keep
 * arriving (here: strays with an unknown tag, 100 ms apart): the channel
 * dies when it has waited m_timo_ns (1 s), not when the wire goes quiet
 * (found by the 9P fuzzer: a lost reply waited as long as other workers
 * kept the channel busy).
 */
static void
test_timeout_per_request(void **state)
{
	struct mnt *m = setup_mnt(8192, 4096);
	struct p9_qid qid;
	uint32_t root;

	assert_int_equal(mnt_version(m, 8192), 0);
	fk.autoserve = false;
	fk.when_empty = -ETIMEDOUT;
	m->m_timo_ns = 1000000000;
	fk_tick = 100000000;
	fk.chunk = 11;			/* one stray per recv */
	for (int i = 0; i < 100; i++) {
		body_reset();
		body_u32(0);
		wire_reply(P9_TREAD + 1, 40);
	}
	assert_int_equal(p9_attach(m, "u", 0, "/e", &root, &qid), -EIO);
	assert_true(m->m_dead);
	assert_in_range(fk.recv_calls, 9, 13);	/* ~1 s of strays */
	assert_true(fk.wpos < fk.wlen);
	mnt_free(m);
}

static void
test_timeout_and_bad_framing(void **state)
{
	struct mnt *m = setup_mnt(8192, 4096);
	struct p9_qid qid;
	uint32_t root;

	assert_int_equal(mnt_version(m, 8192), 0);
	fk.autoserve = false;
	fk.when_empty = -ETIMEDOUT;
	assert_int_equal(p9_attach(m, "u", 0, "/e", &root, &qid), -EIO);
	assert_true(m->m_dead);
	mnt_free(m);
	/* A size field larger than msize: the stream is garbage. */
	m = setup_mnt(8192, 4096);
	assert_int_equal(mnt_version(m, 8192), 0);
	fk.autoserve = false;
	body_reset();
	rblen = 9000;
	memset(rbody, 0, rblen);
	wire_reply(P9_TATTACH + 1, 0);
	assert_int_equal(p9_attach(m, "u", 0, "/e", &root, &qid), -EIO);
	assert_true(m->m_dead);
	mnt_free(m);
	/* A size field below the header size. */
	m = setup_mnt(8192, 4096);
	assert_int_equal(mnt_version(m, 8192), 0);
	fk.autoserve = false;
	memcpy(fk.wire + fk.wlen, "\x03\x00\x00\x00\x69\x00\x00", 7);
	fk.wlen += 7;
	assert_int_equal(p9_attach(m, "u", 0, "/e", &root, &qid), -EIO);
	mnt_free(m);
}

static void
test_server_errors_and_bad_replies(void **state)
{
	struct mnt *m = setup_mnt(8192, 4096);
	struct p9_statfs st;
	struct p9_qid qid;
	uint32_t root;
	char buf[8];

	assert_int_equal(mnt_version(m, 8192), 0);
	assert_int_equal(p9_attach(m, "u", 0, "/e", &root, &qid), 0);
	/* The fake server answers unknown requests with EOPNOTSUPP. */
	assert_int_equal(p9_statfs(m, root, &st), -EOPNOTSUPP);
	assert_int_equal(p9_readlink(m, root, buf, sizeof(buf)),
	    -EOPNOTSUPP);
	/* A reply of the wrong type for the tag: -EPROTO, channel alive. */
	fk.autoserve = false;
	body_reset();
	wire_reply(P9_TCLUNK + 1, m->m_tagnext);	/* the next tag */
	assert_int_equal(p9_getattr(m, root, P9_GETATTR_BASIC,
	    &(struct p9_attr){ 0 }), -EPROTO);
	assert_false(m->m_dead);
	/* Rread claiming more than was asked. */
	body_reset();
	body_u32(5);
	body_put("abcde", 5);
	wire_reply(P9_TREAD + 1, m->m_tagnext);
	assert_int_equal(p9_read(m, root, 0, buf, 3), -EPROTO);
	assert_int_equal(mnt_tags_inuse(m), 0);
	mnt_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_version_negotiates_msize,
		    teardown),
		cmocka_unit_test_teardown(test_version_rejected, teardown),
		cmocka_unit_test_teardown(test_attach_walk_clunk, teardown),
		cmocka_unit_test_teardown(test_long_walk_split, teardown),
		cmocka_unit_test_teardown(test_read_write_split_by_iounit,
		    teardown),
		cmocka_unit_test_teardown(test_out_of_order_and_unknown_tag,
		    teardown),
		cmocka_unit_test_teardown(test_tag_reuse_and_exhaustion,
		    teardown),
		cmocka_unit_test_teardown(test_flush_without_reply, teardown),
		cmocka_unit_test_teardown(test_flush_reply_wins, teardown),
		cmocka_unit_test_teardown(test_global_fid_count, teardown),
		cmocka_unit_test_teardown(test_hangup_fails_everything,
		    teardown),
		cmocka_unit_test_teardown(test_hangup_fails_all_waiters,
		    teardown),
		cmocka_unit_test_teardown(test_reader_handoff, teardown),
		cmocka_unit_test_teardown(test_timeout_per_request, teardown),
		cmocka_unit_test_teardown(test_timeout_and_bad_framing,
		    teardown),
		cmocka_unit_test_teardown(test_server_errors_and_bad_replies,
		    teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
