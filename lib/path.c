/*
 * path.c: splitting paths into components and splicing symlink targets.
 *
 * The pure half of namei (fs/vfs_lookup.c): a path is a sequence of
 * components separated by one or more '/'.  A path that ends in '/' has a
 * "trailing slash", which demands that its last component be a directory.
 * Limits are Linux's: NAME_MAX 255 per component, PATH_MAX 4096 with the
 * NUL for the whole path (checked by the callers when they copy it in).
 */
#include <libkern.h>
#include <path.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>

int
path_next(const char **pp, const char **comp, size_t *len, bool *last,
    bool *trail)
{
	const char *p = *pp, *q;

	while (*p == '/')
		p++;
	*comp = p;
	for (q = p; *q != '\0' && *q != '/'; q++)
		;
	*len = q - p;
	*trail = (*q == '/');
	*pp = q;
	while (*q == '/')
		q++;
	*last = (*q == '\0');
	if (*len > NAME_MAX)
		return (-ENAMETOOLONG);
	return (0);
}

bool
path_isdot(const char *comp, size_t len)
{
	return (len == 1 && comp[0] == '.');
}

bool
path_isdotdot(const char *comp, size_t len)
{
	return (len == 2 && comp[0] == '.' && comp[1] == '.');
}

int
path_splice(char *buf, size_t bufsize, const char *target, const char *rest)
{
	size_t tl = strlen(target), rl;

	if (tl == 0)
		return (-ENOENT);
	while (*rest == '/' && rest[1] == '/')
		rest++;
	rl = strlen(rest);
	/* target, then rest (which begins with '/' or is empty), then NUL. */
	if (tl + rl + 1 > bufsize)
		return (-ENAMETOOLONG);
	memmove(buf + tl, rest, rl + 1);
	memcpy(buf, target, tl);
	return (0);
}

bool
path_is_safe_relative(const char *name)
{
	const char *p = name, *c;
	size_t len;
	bool last, trail;

	while (*p != '\0') {
		if (path_next(&p, &c, &len, &last, &trail) != 0)
			return (false);
		if (path_isdotdot(c, len))
			return (false);
		if (len == 0)
			break;
	}
	return (true);
}
