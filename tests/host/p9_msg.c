/*
 * p9_msg.c: host unit tests for fs/9p/p9_msg.c (9P2000.L marshalling).
 *
 * T-messages are compared byte for byte with what was observed on the wire
 * (docs/9p.md, the notes): Tversion, Twalk, Tlopen, Tread.  Replies are
 * built by hand, copied into malloc'ed buffers of exactly their length
 * (so AddressSanitizer catches any read past the end), then broken in
 * every way a server or a corrupted stream could break them: short, size
 * mismatch, wrong tag or type, string or count past the end, nwqid > 16,
 * trailing bytes.  Each must be -EIO or -EPROTO, never a crash.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <p9.h>
#include <uapi/errno.h>

static uint8_t mem[8192];

static struct p9_buf
tbuf(size_t cap)
{
	struct p9_buf b = { mem, cap, 0, 0 };

	memset(mem, 0xa5, sizeof(mem));
	return (b);
}

/* Hex string (spaces ignored) to bytes; returns the length. */
static size_t
unhex(const char *hex, uint8_t *out)
{
	size_t n = 0;

	while (*hex) {
		unsigned v;

		if (*hex == ' ') {
			hex++;
			continue;
		}
		sscanf(hex, "%2x", &v);
		out[n++] = v;
		hex += 2;
	}
	return (n);
}

static void
expect_bytes(const uint8_t *got, int len, const char *hex, const char *str)
{
	uint8_t want[256];
	size_t n = unhex(hex, want);

	memcpy(want + n, str, strlen(str));
	n += strlen(str);
	assert_int_equal(len, (int)n);
	assert_memory_equal(got, want, n);
}

/* An R-message: header + body bytes, in an exact-size heap copy. */
struct rmsg {
	uint8_t *p;
	size_t len;
};

static struct rmsg
rbuild(uint8_t type, uint16_t tag, const void *body, size_t blen)
{
	struct rmsg m;

	m.len = 7 + blen;
	m.p = malloc(m.len);
	m.p[0] = m.len;
	m.p[1] = m.len >> 8;
	m.p[2] = m.len >> 16;
	m.p[3] = m.len >> 24;
	m.p[4] = type;
	m.p[5] = tag;
	m.p[6] = tag >> 8;
	if (blen > 0)
		memcpy(m.p + 7, body, blen);
	return (m);
}

static void
test_tversion_bytes(void **state)
{
	struct p9_buf b = tbuf(sizeof(mem));
	int n = p9_tversion(&b, P9_NOTAG, 8192, "9P2000.L");

	expect_bytes(mem, n, "15000000 64 ffff 00200000 0800", "9P2000.L");
}

static void
test_twalk_bytes(void **state)
{
	struct p9_buf b = tbuf(sizeof(mem));
	const char *names[] = { "hello.txt" };
	int n = p9_twalk(&b, 2, 0, 1, 1, names);

	expect_bytes(mem, n, "1c000000 6e 0200 00000000 01000000 0100 0900",
	    "hello.txt");
}

static void
test_tlopen_bytes(void **state)
{
	struct p9_buf b = tbuf(sizeof(mem));
	int n = p9_tlopen(&b, 4, 1, 0);

	expect_bytes(mem, n, "0f000000 0c 0400 01000000 00000000", "");
}

static void
test_tread_bytes(void **state)
{
	struct p9_buf b = tbuf(sizeof(mem));
	int n = p9_tread(&b, 5, 1, 0, 4096);

	expect_bytes(mem, n,
	    "17000000 74 0500 01000000 0000000000000000 00100000", "");
}

static void
test_twrite_tflush_bytes(void **state)
{
	struct p9_buf b = tbuf(sizeof(mem));
	int n = p9_twrite(&b, 6, 3, 0x0102030405060708ULL, "ab", 2);

	expect_bytes(mem, n, "19000000 76 0600 03000000 0807060504030201 "
	    "02000000 6162", "");
	b = tbuf(sizeof(mem));
	n = p9_tflush(&b, 7, 5);
	expect_bytes(mem, n, "09000000 6c 0700 0500", "");
}

/* Every builder writes a size field equal to its length. */
static void
test_sizes_consistent(void **state)
{
	struct p9_iattr ia = { .valid = P9_SETATTR_SIZE, .size = 9 };
	struct p9_buf b;
	uint8_t type;
	uint16_t tag;
	int n;

#define SZ(expr, want_type, want_len) do {                               \
	b = tbuf(sizeof(mem));                                           \
	n = (expr);                                                      \
	assert_int_equal(n, (want_len));                                 \
	assert_int_equal(p9_hdr(mem, n, &type, &tag), 0);                \
	assert_int_equal(type, (want_type));                             \
	assert_int_equal(tag, 9);                                        \
} while (0)
	SZ(p9_tattach(&b, 9, 0, P9_NOFID, "u", "/e", 0), P9_TATTACH,
	    7 + 4 + 4 + 3 + 4 + 4);
	SZ(p9_tlcreate(&b, 9, 1, "f", 1, 0644, 0), P9_TLCREATE,
	    7 + 4 + 3 + 12);
	SZ(p9_tgetattr(&b, 9, 1, P9_GETATTR_BASIC), P9_TGETATTR, 7 + 12);
	SZ(p9_tsetattr(&b, 9, 1, &ia), P9_TSETATTR, 7 + 4 + 16 + 40);
	SZ(p9_treaddir(&b, 9, 1, 0, 100), P9_TREADDIR, 7 + 16);
	SZ(p9_tmkdir(&b, 9, 1, "d", 0755, 0), P9_TMKDIR, 7 + 4 + 3 + 8);
	SZ(p9_tunlinkat(&b, 9, 1, "x", 0), P9_TUNLINKAT, 7 + 4 + 3 + 4);
	SZ(p9_trenameat(&b, 9, 1, "a", 2, "bb"), P9_TRENAMEAT,
	    7 + 4 + 3 + 4 + 4);
	SZ(p9_tsymlink(&b, 9, 1, "l", "t", 0), P9_TSYMLINK, 7 + 4 + 3 + 3 + 4);
	SZ(p9_treadlink(&b, 9, 1), P9_TREADLINK, 7 + 4);
	SZ(p9_tlink(&b, 9, 1, 2, "h"), P9_TLINK, 7 + 8 + 3);
	SZ(p9_tfsync(&b, 9, 1, 0), P9_TFSYNC, 7 + 8);
	SZ(p9_tstatfs(&b, 9, 1), P9_TSTATFS, 7 + 4);
	SZ(p9_tclunk(&b, 9, 1), P9_TCLUNK, 7 + 4);
	SZ(p9_tremove(&b, 9, 1), P9_TREMOVE, 7 + 4);
	SZ(p9_trename(&b, 9, 1, 2, "n"), P9_TRENAME, 7 + 8 + 3);
#undef SZ
}

static void
test_twalk_too_many_names(void **state)
{
	const char *names[17];
	struct p9_buf b = tbuf(sizeof(mem));

	for (int i = 0; i < 17; i++)
		names[i] = "x";
	assert_int_equal(p9_twalk(&b, 1, 0, 1, 17, names), -EINVAL);
	assert_int_equal(p9_twalk(&b, 1, 0, 1, -1, names), -EINVAL);
	/* 16 is the limit and fine. */
	assert_int_equal(p9_twalk(&b, 1, 0, 1, 16, names), 17 + 16 * 3);
}

static void
test_pack_overflow(void **state)
{
	struct p9_buf b = tbuf(20);	/* Tversion needs 21 */

	assert_int_equal(p9_tversion(&b, P9_NOTAG, 8192, "9P2000.L"),
	    -EMSGSIZE);
	/* Nothing written past the capacity. */
	for (size_t i = 20; i < sizeof(mem); i++)
		assert_int_equal(mem[i], 0xa5);
	b = tbuf(30);
	assert_int_equal(p9_twrite(&b, 1, 1, 0, mem + 100, 8), -EMSGSIZE);
	b = tbuf(sizeof(mem));
	assert_int_equal(p9_tunlinkat(&b, 1, 1, NULL, 0), -EINVAL);
}

static void
test_reply_short(void **state)
{
	struct rmsg m = rbuild(P9_TCLUNK + 1, 1, NULL, 0);
	struct p9_rbuf r;

	assert_int_equal(p9_reply(&r, m.p, 6, P9_TCLUNK, 1), -EIO);
	assert_int_equal(p9_reply(&r, m.p, 0, P9_TCLUNK, 1), -EIO);
	assert_int_equal(p9_reply(&r, m.p, m.len, P9_TCLUNK, 1), 0);
	assert_int_equal(p9_rempty(&r), 0);
	free(m.p);
}

static void
test_reply_size_mismatch(void **state)
{
	uint8_t body[4] = { 1, 0, 0, 0 };
	struct rmsg m = rbuild(P9_TWRITE + 1, 3, body, 4);
	struct p9_rbuf r;

	m.p[0] = 12;		/* says 12, is 11 */
	assert_int_equal(p9_reply(&r, m.p, m.len, P9_TWRITE, 3), -EIO);
	m.p[0] = 10;		/* says 10, is 11 */
	assert_int_equal(p9_reply(&r, m.p, m.len, P9_TWRITE, 3), -EIO);
	free(m.p);
}

static void
test_reply_tag_and_type(void **state)
{
	struct rmsg m = rbuild(P9_TCLUNK + 1, 3, NULL, 0);
	struct p9_rbuf r;

	assert_int_equal(p9_reply(&r, m.p, m.len, P9_TCLUNK, 4), -EPROTO);
	/* A T type, an unknown type, the wrong R type. */
	m.p[4] = P9_TCLUNK;
	assert_int_equal(p9_reply(&r, m.p, m.len, P9_TCLUNK, 3), -EPROTO);
	m.p[4] = 250;
	assert_int_equal(p9_reply(&r, m.p, m.len, P9_TCLUNK, 3), -EPROTO);
	m.p[4] = P9_TREAD + 1;
	assert_int_equal(p9_reply(&r, m.p, m.len, P9_TCLUNK, 3), -EPROTO);
	free(m.p);
}

static void
test_rlerror(void **state)
{
	uint8_t ok[4] = { 2, 0, 0, 0 }, zero[4] = { 0 }, big[4] = { 0, 0x10 };
	uint8_t longer[5] = { 2, 0, 0, 0, 0 };
	struct p9_rbuf r;
	struct rmsg m;

	m = rbuild(P9_RLERROR, 8, ok, 4);
	assert_int_equal(p9_reply(&r, m.p, m.len, P9_TWALK, 8), -ENOENT);
	free(m.p);
	m = rbuild(P9_RLERROR, 8, zero, 4);
	assert_int_equal(p9_reply(&r, m.p, m.len, P9_TWALK, 8), -EPROTO);
	free(m.p);
	m = rbuild(P9_RLERROR, 8, big, 4);	/* 4096: not an errno */
	assert_int_equal(p9_reply(&r, m.p, m.len, P9_TWALK, 8), -EPROTO);
	free(m.p);
	/*
	 * 512 and 513 are the kernel's own ERESTART and EJUSTRETURN: from a
	 * server they would restart the system call forever or return the
	 * syscall number (found by the fuzzer's 9P proxy).  Not errnos.
	 */
	for (uint32_t e = 512; e <= 4095; e += 3583) {
		uint8_t b[4] = { e & 0xff, e >> 8, 0, 0 };

		m = rbuild(P9_RLERROR, 8, b, 4);
		assert_int_equal(p9_reply(&r, m.p, m.len, P9_TWALK, 8),
		    -EPROTO);
		free(m.p);
	}
	{
		uint8_t b[4] = { 513 & 0xff, 513 >> 8, 0, 0 };

		m = rbuild(P9_RLERROR, 8, b, 4);
		assert_int_equal(p9_reply(&r, m.p, m.len, P9_TWALK, 8),
		    -EPROTO);
		free(m.p);
	}
	m = rbuild(P9_RLERROR, 8, longer, 5);
	assert_int_equal(p9_reply(&r, m.p, m.len, P9_TWALK, 8), -EPROTO);
	free(m.p);
	m = rbuild(P9_RLERROR, 8, ok, 2);	/* ecode cut short */
	assert_int_equal(p9_reply(&r, m.p, m.len, P9_TWALK, 8), -EPROTO);
	free(m.p);
}

static void
test_rversion(void **state)
{
	uint8_t body[64];
	size_t n = unhex("00000100 0800", body);
	struct p9_rbuf r;
	uint32_t msize;
	char ver[16];
	struct rmsg m;

	memcpy(body + n, "9P2000.L", 8);
	m = rbuild(P9_TVERSION + 1, P9_NOTAG, body, n + 8);
	assert_int_equal(p9_reply(&r, m.p, m.len, P9_TVERSION, P9_NOTAG), 0);
	assert_int_equal(p9_rversion(&r, &msize, ver, sizeof(ver)), 0);
	assert_int_equal(msize, 65536);
	assert_string_equal(ver, "9P2000.L");
	free(m.p);
	/* The string claims 9 bytes; 8 are there. */
	body[4] = 9;
	m = rbuild(P9_TVERSION + 1, P9_NOTAG, body, n + 8);
	assert_int_equal(p9_reply(&r, m.p, m.len, P9_TVERSION, P9_NOTAG), 0);
	assert_int_equal(p9_rversion(&r, &msize, ver, sizeof(ver)), -EPROTO);
	free(m.p);
	/* Fits the message but not the caller's buffer. */
	body[4] = 8;
	m = rbuild(P9_TVERSION + 1, P9_NOTAG, body, n + 8);
	assert_int_equal(p9_reply(&r, m.p, m.len, P9_TVERSION, P9_NOTAG), 0);
	assert_int_equal(p9_rversion(&r, &msize, ver, 8), -EPROTO);
	free(m.p);
}

static void
test_rwalk(void **state)
{
	uint8_t body[2 + 17 * 13];
	struct p9_qid qids[P9_MAXWELEM];
	struct p9_rbuf r;
	struct rmsg m;
	int nwqid;

	memset(body, 0, sizeof(body));
	body[0] = 2;
	body[2] = P9_QTDIR;
	body[2 + 5] = 0x11;		/* path of qid 0 */
	body[2 + 13 + 5] = 0x22;	/* path of qid 1 */
	m = rbuild(P9_TWALK + 1, 1, body, 2 + 2 * 13);
	assert_int_equal(p9_reply(&r, m.p, m.len, P9_TWALK, 1), 0);
	assert_int_equal(p9_rwalk(&r, &nwqid, qids), 0);
	assert_int_equal(nwqid, 2);
	assert_int_equal(qids[0].type, P9_QTDIR);
	assert_int_equal(qids[0].path, 0x11);
	assert_int_equal(qids[1].path, 0x22);
	free(m.p);
	/* nwqid 2 with one qid there. */
	m = rbuild(P9_TWALK + 1, 1, body, 2 + 13);
	p9_reply(&r, m.p, m.len, P9_TWALK, 1);
	assert_int_equal(p9_rwalk(&r, &nwqid, qids), -EPROTO);
	assert_int_equal(nwqid, 0);
	free(m.p);
	/* nwqid 17: more than a Twalk may ask for, even if present. */
	body[0] = 17;
	m = rbuild(P9_TWALK + 1, 1, body, sizeof(body));
	p9_reply(&r, m.p, m.len, P9_TWALK, 1);
	assert_int_equal(p9_rwalk(&r, &nwqid, qids), -EPROTO);
	free(m.p);
}

static void
test_rread_count(void **state)
{
	uint8_t body[4 + 5] = { 5, 0, 0, 0, 'h', 'e', 'l', 'l', 'o' };
	struct p9_rbuf r;
	const void *data;
	uint32_t count;
	struct rmsg m;

	m = rbuild(P9_TREAD + 1, 2, body, sizeof(body));
	p9_reply(&r, m.p, m.len, P9_TREAD, 2);
	assert_int_equal(p9_rread(&r, &count, &data), 0);
	assert_int_equal(count, 5);
	assert_memory_equal(data, "hello", 5);
	free(m.p);
	body[0] = 6;		/* one more than is there */
	m = rbuild(P9_TREAD + 1, 2, body, sizeof(body));
	p9_reply(&r, m.p, m.len, P9_TREAD, 2);
	assert_int_equal(p9_rread(&r, &count, &data), -EPROTO);
	assert_int_equal(count, 0);
	free(m.p);
	body[0] = 0xff;		/* huge count */
	body[3] = 0xff;
	m = rbuild(P9_TREAD + 1, 2, body, sizeof(body));
	p9_reply(&r, m.p, m.len, P9_TREAD, 2);
	assert_int_equal(p9_rread(&r, &count, &data), -EPROTO);
	free(m.p);
	body[0] = 4;		/* a byte left over */
	body[3] = 0;
	m = rbuild(P9_TREAD + 1, 2, body, sizeof(body));
	p9_reply(&r, m.p, m.len, P9_TREAD, 2);
	assert_int_equal(p9_rread(&r, &count, &data), -EPROTO);
	free(m.p);
}

static void
test_rgetattr(void **state)
{
	uint8_t body[8 + 13 + 12 + 8 * 15];
	struct p9_attr a;
	struct p9_rbuf r;
	struct rmsg m;

	memset(body, 0, sizeof(body));
	body[0] = 0xff;				/* valid */
	body[8 + 13] = 0xa4;			/* mode 0100644 */
	body[8 + 13 + 1] = 0x81;
	body[8 + 13 + 12 + 8 * 2] = 51;		/* size */
	m = rbuild(P9_TGETATTR + 1, 4, body, sizeof(body));
	p9_reply(&r, m.p, m.len, P9_TGETATTR, 4);
	assert_int_equal(p9_rgetattr(&r, &a), 0);
	assert_int_equal(a.mode, 0100644);
	assert_int_equal(a.size, 51);
	assert_int_equal(a.valid, 0xff);
	free(m.p);
	m = rbuild(P9_TGETATTR + 1, 4, body, sizeof(body) - 1);
	p9_reply(&r, m.p, m.len, P9_TGETATTR, 4);
	assert_int_equal(p9_rgetattr(&r, &a), -EPROTO);
	free(m.p);
}

static void
test_rempty_trailing(void **state)
{
	uint8_t extra[1] = { 0 };
	struct rmsg m = rbuild(P9_TCLUNK + 1, 1, extra, 1);
	struct p9_rbuf r;

	assert_int_equal(p9_reply(&r, m.p, m.len, P9_TCLUNK, 1), 0);
	assert_int_equal(p9_rempty(&r), -EPROTO);
	free(m.p);
}

static size_t
put_dirent(uint8_t *p, uint64_t path, uint64_t off, uint8_t type,
    const char *name, int namelen)
{
	size_t n = 0;

	p[n++] = 0;
	memset(p + n, 0, 4);
	n += 4;
	for (int i = 0; i < 8; i++)
		p[n++] = path >> (8 * i);
	for (int i = 0; i < 8; i++)
		p[n++] = off >> (8 * i);
	p[n++] = type;
	p[n++] = namelen;
	p[n++] = namelen >> 8;
	memcpy(p + n, name, strlen(name));
	return (n + strlen(name));
}

static void
test_dirents(void **state)
{
	uint8_t buf[256], *heap;
	struct p9_dirent de;
	size_t len = 0, off = 0;

	len += put_dirent(buf + len, 1, 10, 4, ".", 1);
	len += put_dirent(buf + len, 2, 20, 8, "alpha", 5);
	heap = malloc(len);
	memcpy(heap, buf, len);
	assert_int_equal(p9_dirent_next(heap, len, &off, &de), 1);
	assert_string_equal(de.name, ".");
	assert_int_equal(de.offset, 10);
	assert_int_equal(p9_dirent_next(heap, len, &off, &de), 1);
	assert_string_equal(de.name, "alpha");
	assert_int_equal(de.qid.path, 2);
	assert_int_equal(de.type, 8);
	assert_int_equal(p9_dirent_next(heap, len, &off, &de), 0);
	/* Cut inside the second name. */
	off = 0;
	assert_int_equal(p9_dirent_next(heap, len - 2, &off, &de), 1);
	assert_int_equal(p9_dirent_next(heap, len - 2, &off, &de), -EPROTO);
	free(heap);
	/* A name length past the end; a name with '/'; an empty name. */
	len = put_dirent(buf, 3, 30, 8, "abc", 40);
	heap = malloc(len);
	memcpy(heap, buf, len);
	off = 0;
	assert_int_equal(p9_dirent_next(heap, len, &off, &de), -EPROTO);
	free(heap);
	len = put_dirent(buf, 3, 30, 8, "a/b", 3);
	off = 0;
	assert_int_equal(p9_dirent_next(buf, len, &off, &de), -EPROTO);
	len = put_dirent(buf, 3, 30, 8, "", 0);
	off = 0;
	assert_int_equal(p9_dirent_next(buf, len, &off, &de), -EPROTO);
}

static void
test_rreadlink_and_statfs(void **state)
{
	uint8_t body[64] = { 9, 0 };
	struct p9_statfs st;
	struct p9_rbuf r;
	char small[4];
	struct rmsg m;

	memcpy(body + 2, "hello.txt", 9);
	m = rbuild(P9_TREADLINK + 1, 1, body, 11);
	p9_reply(&r, m.p, m.len, P9_TREADLINK, 1);
	/* Cut to the buffer, but the full length comes back. */
	assert_int_equal(p9_rreadlink(&r, small, sizeof(small)), 9);
	assert_string_equal(small, "hel");
	free(m.p);
	memset(body, 0, sizeof(body));
	body[5] = 0x10;				/* bsize 4096 */
	body[4 + 4 + 5 * 8 + 8] = 255;		/* namelen */
	m = rbuild(P9_TSTATFS + 1, 1, body, 60);
	p9_reply(&r, m.p, m.len, P9_TSTATFS, 1);
	assert_int_equal(p9_rstatfs(&r, &st), 0);
	assert_int_equal(st.bsize, 4096);
	assert_int_equal(st.namelen, 255);
	free(m.p);
	m = rbuild(P9_TSTATFS + 1, 1, body, 59);
	p9_reply(&r, m.p, m.len, P9_TSTATFS, 1);
	assert_int_equal(p9_rstatfs(&r, &st), -EPROTO);
	free(m.p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tversion_bytes),
		cmocka_unit_test(test_twalk_bytes),
		cmocka_unit_test(test_tlopen_bytes),
		cmocka_unit_test(test_tread_bytes),
		cmocka_unit_test(test_twrite_tflush_bytes),
		cmocka_unit_test(test_sizes_consistent),
		cmocka_unit_test(test_twalk_too_many_names),
		cmocka_unit_test(test_pack_overflow),
		cmocka_unit_test(test_reply_short),
		cmocka_unit_test(test_reply_size_mismatch),
		cmocka_unit_test(test_reply_tag_and_type),
		cmocka_unit_test(test_rlerror),
		cmocka_unit_test(test_rversion),
		cmocka_unit_test(test_rwalk),
		cmocka_unit_test(test_rread_count),
		cmocka_unit_test(test_rgetattr),
		cmocka_unit_test(test_rempty_trailing),
		cmocka_unit_test(test_dirents),
		cmocka_unit_test(test_rreadlink_and_statfs),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
