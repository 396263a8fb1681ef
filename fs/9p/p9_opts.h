/*
 * p9_opts.h: the options of mount -t 9p (fs/9p/p9_opts.c, pure: tested on
 * the host by tests/host/p9_opts.c).  See fs/9p/p9_vfsops.c for what each
 * one means.
 */
#ifndef _P9_OPTS_H_
#define _P9_OPTS_H_

#include <types.h>

struct p9fs_args {
	char trans[16];
	char port[32];
	char tag[64];
	char aname[128];
	char uname[32];
	uint32_t n_uname;
	uint32_t msize;
	uint32_t timeout_s;
	uint32_t wait_s;
	bool boot;
};

/*
 * Linux-style "a=b,c" options over the defaults (trans=virtio-serial,
 * port=org.9p.0, uname=root, msize=65536, timeout=30, wait=2): 0, or
 * -EINVAL for a bad number, an option longer than its field, a version
 * other than 9P2000.L, an unknown trans or msize < 4096.  Unknown
 * options are ignored (Linux's v9fs ignores them too).
 */
int p9fs_parse_opts(const char *data, struct p9fs_args *a);

#endif /* !_P9_OPTS_H_ */
