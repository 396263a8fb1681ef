/*
 * p9_opts.c: host unit tests for fs/9p/p9_opts.c, the option string of
 * mount -t 9p.  Linux's syntax as busybox passes it, the defaults, every
 * field at and past its size, numbers that overflow, and the dialects and
 * transports that must be refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <uapi/errno.h>

#include "../../fs/9p/p9_opts.h"

static void
test_defaults(void **state)
{
	struct p9fs_args a;

	assert_int_equal(p9fs_parse_opts(NULL, &a), 0);
	assert_string_equal(a.trans, "virtio-serial");
	assert_string_equal(a.port, "org.9p.0");
	assert_string_equal(a.uname, "root");
	assert_string_equal(a.aname, "");
	assert_string_equal(a.tag, "");
	assert_int_equal(a.msize, 65536);
	assert_int_equal(a.timeout_s, 30);
	assert_int_equal(a.wait_s, 2);
	assert_false(a.boot);
	assert_int_equal(p9fs_parse_opts("", &a), 0);
	assert_int_equal(p9fs_parse_opts(",,,", &a), 0);
	assert_string_equal(a.trans, "virtio-serial");
}

static void
test_linux_string(void **state)
{
	struct p9fs_args a;

	assert_int_equal(p9fs_parse_opts("trans=virtio-serial,port=org.9p.1,"
	    "version=9p2000.L,aname=/export/dir,msize=8192,timeout=3,wait=0,"
	    "uname=alice,n_uname=1000,boot", &a), 0);
	assert_string_equal(a.trans, "virtio-serial");
	assert_string_equal(a.port, "org.9p.1");
	assert_string_equal(a.aname, "/export/dir");
	assert_string_equal(a.uname, "alice");
	assert_int_equal(a.n_uname, 1000);
	assert_int_equal(a.msize, 8192);
	assert_int_equal(a.timeout_s, 3);
	assert_int_equal(a.wait_s, 0);
	assert_true(a.boot);
	/* The virtio-9p form, with flags Linux knows and unknown names. */
	assert_int_equal(p9fs_parse_opts("rw,trans=virtio,cache=loose,"
	    "access=client,posixacl,tag=hostshare,noextend", &a), 0);
	assert_string_equal(a.trans, "virtio");
	assert_string_equal(a.tag, "hostshare");
	assert_false(a.boot);
	/* The last of a repeated option wins. */
	assert_int_equal(p9fs_parse_opts("port=a,port=b", &a), 0);
	assert_string_equal(a.port, "b");
	/* version is case-insensitive, as on Linux. */
	assert_int_equal(p9fs_parse_opts("version=9P2000.L", &a), 0);
	assert_int_equal(p9fs_parse_opts("version=9p2000.l", &a), 0);
}

static void
test_refused(void **state)
{
	struct p9fs_args a;

	assert_int_equal(p9fs_parse_opts("version=9p2000.u", &a), -EINVAL);
	assert_int_equal(p9fs_parse_opts("version=9p2000", &a), -EINVAL);
	assert_int_equal(p9fs_parse_opts("version=9p2000.L2", &a), -EINVAL);
	assert_int_equal(p9fs_parse_opts("version=", &a), -EINVAL);
	assert_int_equal(p9fs_parse_opts("trans=tcp", &a), -EINVAL);
	assert_int_equal(p9fs_parse_opts("trans=fd", &a), -EINVAL);
	assert_int_equal(p9fs_parse_opts("trans=", &a), -EINVAL);
	assert_int_equal(p9fs_parse_opts("msize=4095", &a), -EINVAL);
	assert_int_equal(p9fs_parse_opts("msize=0", &a), -EINVAL);
	assert_int_equal(p9fs_parse_opts("msize=4096", &a), 0);
	assert_int_equal(p9fs_parse_opts("msize=", &a), -EINVAL);
	assert_int_equal(p9fs_parse_opts("msize=12k", &a), -EINVAL);
	assert_int_equal(p9fs_parse_opts("msize=-1", &a), -EINVAL);
	assert_int_equal(p9fs_parse_opts("msize=4294967296", &a), -EINVAL);
	assert_int_equal(p9fs_parse_opts("msize=4294967295", &a), 0);
	assert_int_equal(a.msize, 4294967295u);
	assert_int_equal(p9fs_parse_opts("timeout=x", &a), -EINVAL);
	assert_int_equal(p9fs_parse_opts("n_uname=99999999999", &a), -EINVAL);
}

static void
test_lengths(void **state)
{
	struct p9fs_args a;
	char opt[400], val[200];

	/* aname holds 127 bytes and its NUL; 128 is refused. */
	memset(val, 'a', 127);
	val[127] = '\0';
	snprintf(opt, sizeof(opt), "aname=%s", val);
	assert_int_equal(p9fs_parse_opts(opt, &a), 0);
	assert_int_equal(strlen(a.aname), 127);
	val[127] = 'a';
	val[128] = '\0';
	snprintf(opt, sizeof(opt), "aname=%s", val);
	assert_int_equal(p9fs_parse_opts(opt, &a), -EINVAL);
	/* port: 31 fits, 32 does not. */
	memset(val, 'p', 32);
	val[31] = '\0';
	snprintf(opt, sizeof(opt), "port=%s", val);
	assert_int_equal(p9fs_parse_opts(opt, &a), 0);
	val[31] = 'p';
	val[32] = '\0';
	snprintf(opt, sizeof(opt), "port=%s", val);
	assert_int_equal(p9fs_parse_opts(opt, &a), -EINVAL);
	/* One option longer than the parser's word buffer (160). */
	memset(opt, 'x', 200);
	opt[200] = '\0';
	assert_int_equal(p9fs_parse_opts(opt, &a), -EINVAL);
	/* An '=' in a value stays in the value. */
	assert_int_equal(p9fs_parse_opts("aname=/a=b", &a), 0);
	assert_string_equal(a.aname, "/a=b");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_linux_string),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_lengths),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
