/*
 * p9_opts.c: parsing the option string of mount -t 9p, the way Linux's
 * v9fs reads it (comma-separated name=value words; flags without a value
 * and unknown names are ignored).  Pure: no kernel state, so the host
 * tests feed it every malformed string they can think of.
 */
#include <libkern.h>
#include <uapi/errno.h>

#include "p9_opts.h"

static bool
p9fs_streq_nocase(const char *a, const char *b)
{
	for (; *a != '\0' && *b != '\0'; a++, b++) {
		char ca = (*a >= 'A' && *a <= 'Z') ? *a + 32 : *a;
		char cb = (*b >= 'A' && *b <= 'Z') ? *b + 32 : *b;

		if (ca != cb)
			return (false);
	}
	return (*a == *b);
}

static int
p9fs_num(const char *s, uint32_t *v)
{
	uint64_t n = 0;

	if (*s == '\0')
		return (-EINVAL);
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return (-EINVAL);
		n = n * 10 + (uint64_t)(*s - '0');
		if (n > 0xffffffffULL)
			return (-EINVAL);
	}
	*v = (uint32_t)n;
	return (0);
}

static int
p9fs_copyopt(char *dst, size_t size, const char *val)
{
	return (strlcpy(dst, val, size) >= size ? -EINVAL : 0);
}

int
p9fs_parse_opts(const char *data, struct p9fs_args *a)
{
	char opt[160], *val;
	const char *p = data;
	size_t n;
	int error = 0;

	memset(a, 0, sizeof(*a));
	strlcpy(a->trans, "virtio-serial", sizeof(a->trans));
	strlcpy(a->port, "org.9p.0", sizeof(a->port));
	strlcpy(a->uname, "root", sizeof(a->uname));
	a->msize = 65536;
	a->timeout_s = 30;
	a->wait_s = 2;

	while (p != NULL && *p != '\0' && error == 0) {
		for (n = 0; p[n] != '\0' && p[n] != ','; n++)
			;
		if (n >= sizeof(opt))
			return (-EINVAL);
		memcpy(opt, p, n);
		opt[n] = '\0';
		p = p[n] == ',' ? p + n + 1 : p + n;
		if (n == 0)
			continue;
		val = strchr(opt, '=');
		if (val != NULL)
			*val++ = '\0';
		if (strcmp(opt, "boot") == 0)
			a->boot = true;
		else if (val == NULL)
			continue;	/* flags Linux knows: ignored */
		else if (strcmp(opt, "trans") == 0)
			error = p9fs_copyopt(a->trans, sizeof(a->trans), val);
		else if (strcmp(opt, "port") == 0)
			error = p9fs_copyopt(a->port, sizeof(a->port), val);
		else if (strcmp(opt, "tag") == 0 ||
		    strcmp(opt, "mount_tag") == 0)
			error = p9fs_copyopt(a->tag, sizeof(a->tag), val);
		else if (strcmp(opt, "aname") == 0)
			error = p9fs_copyopt(a->aname, sizeof(a->aname), val);
		else if (strcmp(opt, "uname") == 0)
			error = p9fs_copyopt(a->uname, sizeof(a->uname), val);
		else if (strcmp(opt, "n_uname") == 0 ||
		    strcmp(opt, "dfltuid") == 0)
			error = p9fs_num(val, &a->n_uname);
		else if (strcmp(opt, "msize") == 0)
			error = p9fs_num(val, &a->msize);
		else if (strcmp(opt, "timeout") == 0)
			error = p9fs_num(val, &a->timeout_s);
		else if (strcmp(opt, "wait") == 0)
			error = p9fs_num(val, &a->wait_s);
		else if (strcmp(opt, "version") == 0) {
			if (!p9fs_streq_nocase(val, "9P2000.L"))
				error = -EINVAL;
		}
	}
	if (error == 0 && strcmp(a->trans, "virtio-serial") != 0 &&
	    strcmp(a->trans, "virtio") != 0)
		error = -EINVAL;
	if (error == 0 && a->msize < 4096)
		error = -EINVAL;
	return (error);
}

