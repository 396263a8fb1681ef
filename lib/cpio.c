/*
 * cpio.c: parse cpio "newc" archives, defensively.
 *
 * A newc member is a 110-byte ASCII header ("070701" and thirteen 8-digit
 * hex fields), the name with its NUL, padding to a multiple of 4, the
 * data, padding to 4.  The archive ends with a member named "TRAILER!!!".
 * All arithmetic is done on sizes already checked against what is left,
 * so no field value can move the cursor outside the buffer.
 */
#include <cpio.h>
#include <libkern.h>
#include <path.h>

static const char *const cpio_errs[] = {
	[CPIO_OK] = "no error",
	[CPIO_EMAGIC] = "bad magic (not a newc cpio archive)",
	[CPIO_ETRUNC_HDR] = "truncated header",
	[CPIO_EHEX] = "header field is not hexadecimal",
	[CPIO_ETRUNC_NAME] = "truncated name",
	[CPIO_ENONUL] = "name is empty or not NUL-terminated",
	[CPIO_ETRUNC_DATA] = "file data runs past the end of the archive",
	[CPIO_EUNSAFE] = "name contains \"..\"",
	[CPIO_ENOTRAILER] = "archive ends without TRAILER!!!",
};

const char *
cpio_strerror(int err)
{
	if (err < 0)
		err = -err;
	if (err >= (int)nitems(cpio_errs))
		return ("unknown error");
	return (cpio_errs[err]);
}

static int
hex8(const char *s, uint32_t *v)
{
	uint32_t x = 0;

	for (int i = 0; i < 8; i++) {
		char c = s[i];
		int d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return (-1);
		x = (x << 4) | d;
	}
	*v = x;
	return (0);
}

int
cpio_next(const void *buf, size_t len, size_t *off, struct cpio_entry *e)
{
	const char *a = buf, *h;
	uint32_t f[13];
	size_t pos = *off, namesize, namepad, datapad;

	if (pos >= len)
		return (-CPIO_ENOTRAILER);
	if (len - pos < CPIO_HDRLEN)
		return (len - pos >= 6 && memcmp(a + pos, "07070", 5) != 0 ?
		    -CPIO_EMAGIC : -CPIO_ETRUNC_HDR);
	h = a + pos;
	if (memcmp(h, "070701", 6) != 0 && memcmp(h, "070702", 6) != 0)
		return (-CPIO_EMAGIC);
	for (int i = 0; i < 13; i++)
		if (hex8(h + 6 + 8 * i, &f[i]) != 0)
			return (-CPIO_EHEX);
	pos += CPIO_HDRLEN;

	namesize = f[11];
	if (namesize == 0)
		return (-CPIO_ENONUL);
	if (namesize > len - pos)
		return (-CPIO_ETRUNC_NAME);
	if (a[pos + namesize - 1] != '\0' ||
	    memchr(a + pos, '\0', namesize) != a + pos + namesize - 1)
		return (-CPIO_ENONUL);
	e->name = a + pos;
	e->namelen = namesize - 1;
	/* Header + name are padded together to a multiple of 4. */
	namepad = roundup2(CPIO_HDRLEN + namesize, 4) - CPIO_HDRLEN;
	if (namepad > len - pos)
		return (-CPIO_ETRUNC_NAME);
	pos += namepad;

	e->ino = f[0];
	e->mode = f[1];
	e->uid = f[2];
	e->gid = f[3];
	e->nlink = f[4];
	e->mtime = f[5];
	e->size = f[6];
	e->devmajor = f[7];
	e->devminor = f[8];
	e->rdevmajor = f[9];
	e->rdevminor = f[10];

	if (strcmp(e->name, "TRAILER!!!") == 0) {
		*off = pos;
		return (0);
	}
	if (e->size > len - pos)
		return (-CPIO_ETRUNC_DATA);
	e->data = a + pos;
	datapad = roundup2(e->size, 4);
	/* The final padding may be missing; tolerate that. */
	pos += MIN(datapad, len - pos);
	if (!path_is_safe_relative(e->name))
		return (-CPIO_EUNSAFE);
	*off = pos;
	return (1);
}
