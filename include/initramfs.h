/*
 * initramfs.h: unpack a cpio "newc" archive into a directory tree.
 */
#ifndef _INITRAMFS_H_
#define _INITRAMFS_H_

#include <types.h>

struct vnode;

struct initramfs_stats {
	int is_files;		/* members created (any type) */
	uint64_t is_bytes;	/* file data written */
	int is_errors;		/* members that could not be created */
};

/*
 * Unpack buf[0, len) below directory root.  Returns 0, or a negative
 * errno (-EINVAL) when the archive itself is malformed -- after a printk
 * that says why; members unpacked before the damage stay.
 */
int initramfs_unpack(struct vnode *root, const void *buf, size_t len,
    struct initramfs_stats *st);

#endif /* !_INITRAMFS_H_ */
