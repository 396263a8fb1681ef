/*
 * cpio.h: a parser for cpio "newc" archives (the Linux initramfs format).
 *
 * cpio_next walks an archive in memory one member at a time and never
 * reads outside [buf, buf + len): every field is checked before use, so a
 * truncated or hostile archive gives an error code, not a crash.  Pure
 * code, host-tested in tests/host/cpio.c.
 */
#ifndef _CPIO_H_
#define _CPIO_H_

#include <types.h>

#define CPIO_HDRLEN	110

struct cpio_entry {
	const char *name;	/* NUL-terminated, inside the archive */
	size_t namelen;		/* without the NUL */
	uint32_t ino, mode, uid, gid, nlink, mtime;
	uint32_t devmajor, devminor, rdevmajor, rdevminor;
	const void *data;	/* file data or symlink target (no NUL) */
	size_t size;
};

enum {
	CPIO_OK = 0,
	CPIO_EMAGIC,		/* not "070701"/"070702" */
	CPIO_ETRUNC_HDR,	/* archive ends inside a header */
	CPIO_EHEX,		/* a header field is not hex */
	CPIO_ETRUNC_NAME,	/* archive ends inside the name */
	CPIO_ENONUL,		/* name not NUL-terminated / namesize 0 */
	CPIO_ETRUNC_DATA,	/* file size runs past the archive */
	CPIO_EUNSAFE,		/* name contains ".." */
	CPIO_ENOTRAILER,	/* archive ends without TRAILER!!! */
};

/*
 * Parse the member at *off.  Returns 1 and fills e (advancing *off) for a
 * member, 0 at the TRAILER!!! member, or -CPIO_E* on a malformed archive.
 * Running out of bytes exactly between members gives -CPIO_ENOTRAILER.
 */
int cpio_next(const void *buf, size_t len, size_t *off,
    struct cpio_entry *e);
const char *cpio_strerror(int err);	/* err as returned (negative) */

#endif /* !_CPIO_H_ */
