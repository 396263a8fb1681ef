/*
 * path.h: pure path-string logic used by namei (lib/path.c).
 *
 * No vnodes here: splitting a path into components, the trailing-slash
 * rule, the length limits, and splicing a symlink's target in front of
 * the rest of a path.  Host-tested in tests/host/path.c.
 */
#ifndef _PATH_H_
#define _PATH_H_

#include <types.h>

/*
 * The next component of *pp: skips leading '/', sets *comp and *len
 * (len 0: no component left) and advances *pp past it.  *last is true
 * when nothing but slashes follows; *trail when at least one does.
 * Returns 0 or -ENAMETOOLONG (a component over NAME_MAX).
 */
int path_next(const char **pp, const char **comp, size_t *len, bool *last,
    bool *trail);
/* "." or ".." as a (comp, len) pair. */
bool path_isdot(const char *comp, size_t len);
bool path_isdotdot(const char *comp, size_t len);
/*
 * Replace the path in buf (size bufsize, holding the unresolved rest at
 * offset rest - buf or anywhere) with target + "/" + rest.  0 or
 * -ENAMETOOLONG / -ENOENT (empty target).
 */
int path_splice(char *buf, size_t bufsize, const char *target,
    const char *rest);
/* Does cpio-style name `name` stay inside its root (no "..")? */
bool path_is_safe_relative(const char *name);

#endif /* !_PATH_H_ */
