/*
 * initramfs_test.c: ktests of unpacking a cpio archive built in memory
 * into a private ramfs: every member type, modes, a hard-link pair, and a
 * damaged archive that must stop cleanly with what came before it kept.
 */
#include <cdev.h>
#include <initramfs.h>
#include <kmem.h>
#include <ktest.h>
#include <printf.h>

#include "vfs_test.h"

static size_t
ar_add(char *ar, size_t len, const char *name, uint32_t mode, uint32_t ino,
    uint32_t nlink, const char *data, uint32_t rmaj, uint32_t rmin)
{
	size_t nl = strlen(name) + 1, dl = data != NULL ? strlen(data) : 0;

	len += snprintf(ar + len, 111, "070701%08x%08x%08x%08x%08x%08x%08zx"
	    "%08x%08x%08x%08x%08zx%08x", ino, mode, 0u, 0u, nlink,
	    1700000000u, dl, 0u, 0u, rmaj, rmin, nl, 0u);
	memcpy(ar + len, name, nl);
	len += nl;
	while (len % 4)
		ar[len++] = 0;
	if (dl != 0)
		memcpy(ar + len, data, dl);
	len += dl;
	while (len % 4)
		ar[len++] = 0;
	return (len);
}

static struct vnode *
lookup_in(struct vnode *root, const char *path, int flags)
{
	int err;

	return (kt_namei(path, flags, root, &err));
}

KTEST(initramfs_unpack_memory)
{
	struct initramfs_stats st;
	struct mount *mp;
	struct vnode *vp, *h1, *h2;
	char *ar, buf[16];
	size_t len = 0, good;

	ar = kmalloc(4096, M_WAITOK | M_ZERO);
	KT_ASSERT(ar != NULL);
	len = ar_add(ar, len, ".", 040755, 1, 2, NULL, 0, 0);
	len = ar_add(ar, len, "bin", 040711, 2, 2, NULL, 0, 0);
	len = ar_add(ar, len, "bin/busybox", 0100755, 3, 1, "#!elf", 0, 0);
	len = ar_add(ar, len, "bin/sh", 0120777, 4, 1, "busybox", 0, 0);
	len = ar_add(ar, len, "dev", 040755, 5, 2, NULL, 0, 0);
	len = ar_add(ar, len, "dev/console", 020600, 6, 1, NULL, 5, 1);
	/* A hard-link pair: the data comes with the last one. */
	len = ar_add(ar, len, "h1", 0100644, 7, 2, NULL, 0, 0);
	len = ar_add(ar, len, "h2", 0100644, 7, 2, "linked", 0, 0);
	len = ar_add(ar, len, "TRAILER!!!", 0, 0, 1, NULL, 0, 0);
	KT_EQ(vfs_mount_detached("ramfs", NULL, &mp), 0);
	KT_EQ(initramfs_unpack(mp->mnt_root, ar, len, &st), 0);
	KT_EQ(st.is_files, 7);
	KT_EQ(st.is_bytes, 5 + 6);
	KT_EQ(st.is_errors, 0);
	vp = lookup_in(mp->mnt_root, "bin", 0);
	KT_ASSERT(vp != NULL && vp->v_mode == (S_IFDIR | 0711));
	vrele(vp);
	vp = lookup_in(mp->mnt_root, "bin/sh", NI_FOLLOW);
	KT_ASSERT(vp != NULL && vp->v_type == VREG && vp->v_size == 5);
	KT_EQ(vp->v_mode, S_IFREG | 0755);
	KT_EQ(vp->v_mtime.tv_sec, 1700000000);
	KT_EQ(vn_rdwr(UIO_READ, vp, buf, 5, 0, UIO_SYSSPACE, 0, NULL), 0);
	KT_ASSERT(memcmp(buf, "#!elf", 5) == 0);
	vrele(vp);
	vp = lookup_in(mp->mnt_root, "dev/console", 0);
	KT_ASSERT(vp != NULL && vp->v_type == VCHR);
	KT_EQ(vp->v_rdev, makedev(5, 1));
	vrele(vp);
	h1 = lookup_in(mp->mnt_root, "h1", 0);
	h2 = lookup_in(mp->mnt_root, "h2", 0);
	KT_ASSERT(h1 != NULL && h1 == h2);
	KT_EQ(h1->v_nlink, 2);
	KT_EQ(h1->v_size, 6);
	vrele(h1);
	vrele(h2);
	KT_EQ(vfs_unmount_mp(mp, 0), 0);

	/* Damage: a member that claims more data than there is. */
	len = 0;
	len = ar_add(ar, len, "ok", 0100644, 1, 1, "fine", 0, 0);
	good = len;
	len = ar_add(ar, len, "bad", 0100644, 2, 1, "0123456789", 0, 0);
	memcpy(ar + good + 6 + 6 * 8, "0000ffff", 8);
	KT_EQ(vfs_mount_detached("ramfs", NULL, &mp), 0);
	KT_EQ(initramfs_unpack(mp->mnt_root, ar, len, &st), -EINVAL);
	KT_EQ(st.is_files, 1);
	vp = lookup_in(mp->mnt_root, "ok", 0);
	KT_ASSERT(vp != NULL && vp->v_size == 4);
	vrele(vp);
	KT_ASSERT(lookup_in(mp->mnt_root, "bad", 0) == NULL);
	/* "..": refused before anything is created. */
	len = ar_add(ar, 0, "../escape", 0100644, 1, 1, "x", 0, 0);
	KT_EQ(initramfs_unpack(mp->mnt_root, ar, len, &st), -EINVAL);
	KT_EQ(st.is_files, 0);
	/* Garbage. */
	memset(ar, 'z', 200);
	KT_EQ(initramfs_unpack(mp->mnt_root, ar, 200, &st), -EINVAL);
	KT_EQ(vfs_unmount_mp(mp, 0), 0);
	kfree(ar);
}
