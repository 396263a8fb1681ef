/*
 * ramfs_test.c: ktests of ramfs through the system-call layer (kern_*):
 * create/remove errors, write/read/truncate round trips with holes,
 * rename semantics, getdents listing exactly what was created, ENOSPC.
 */
#include <kmem.h>
#include <ktest.h>
#include <printf.h>

#include "../vfs_test.h"

KTEST(ramfs_name_errors)
{
	KT_EQ(kern_mkdirat(AT_FDCWD, "/tmp/kt_ne2", 0755), 0);
	KT_EQ(kern_mkdirat(AT_FDCWD, "/tmp/kt_ne2", 0755), -EEXIST);
	KT_EQ(kern_mkdirat(AT_FDCWD, "/tmp/kt_ne2/no/sub", 0755), -ENOENT);
	KT_EQ(kern_mkdirat(AT_FDCWD, "/tmp/kt_ne2/d", 0755), 0);
	KT_EQ(kt_mkfile("/tmp/kt_ne2/d/f", "x"), 0);
	KT_EQ(kern_mkdirat(AT_FDCWD, "/tmp/kt_ne2/d/f/x", 0755), -ENOTDIR);
	KT_EQ(kern_unlinkat(AT_FDCWD, "/tmp/kt_ne2/d", AT_REMOVEDIR),
	    -ENOTEMPTY);
	KT_EQ(kern_unlinkat(AT_FDCWD, "/tmp/kt_ne2/d", 0), -EISDIR);
	KT_EQ(kern_unlinkat(AT_FDCWD, "/tmp/kt_ne2/d/f", AT_REMOVEDIR),
	    -ENOTDIR);
	KT_EQ(kern_unlinkat(AT_FDCWD, "/tmp/kt_ne2/d/.", AT_REMOVEDIR),
	    -EINVAL);
	KT_EQ(kern_unlinkat(AT_FDCWD, "/tmp/kt_ne2/d/f", 0x4), -EINVAL);
	KT_EQ(kern_unlinkat(AT_FDCWD, "/tmp/kt_ne2/d/f", 0), 0);
	KT_EQ(kern_unlinkat(AT_FDCWD, "/tmp/kt_ne2/d/f", 0), -ENOENT);
	KT_EQ(kern_unlinkat(AT_FDCWD, "/tmp/kt_ne2/d", AT_REMOVEDIR), 0);
	KT_EQ(kern_symlinkat("t", AT_FDCWD, "/tmp/kt_ne2"), -EEXIST);
	KT_EQ(kern_symlinkat("", AT_FDCWD, "/tmp/kt_ne2/e"), -ENOENT);
	/* The mount point of /tmp cannot be removed. */
	KT_EQ(kern_unlinkat(AT_FDCWD, "/tmp", AT_REMOVEDIR), -EBUSY);
}

KTEST(ramfs_write_read_truncate)
{
	static char buf[12000];
	struct vnode *vp;
	size_t resid;
	int err;

	KT_EQ(kt_mkfile("/tmp/kt_rw", ""), 0);
	vp = kt_namei("/tmp/kt_rw", 0, NULL, &err);
	KT_ASSERT(vp != NULL && vp->v_size == 0);
	for (int i = 0; i < 10000; i++)
		buf[i] = (char)(i * 7 + 1);
	/* Write at 5000: 0..4999 is a hole. */
	KT_EQ(vn_rdwr(UIO_WRITE, vp, buf, 10000, 5000, UIO_SYSSPACE, 0, NULL),
	    0);
	KT_EQ(vp->v_size, 15000);
	memset(buf, 0x55, sizeof(buf));
	KT_EQ(vn_rdwr(UIO_READ, vp, buf, 6000, 0, UIO_SYSSPACE, 0, &resid), 0);
	KT_EQ(resid, 0);
	KT_EQ(buf[0], 0);
	KT_EQ(buf[4999], 0);
	KT_EQ(buf[5000], (char)1);
	KT_EQ(buf[5999], (char)(999 * 7 + 1));
	/* Reading past the end gives what is there, then nothing. */
	KT_EQ(vn_rdwr(UIO_READ, vp, buf, 100, 14950, UIO_SYSSPACE, 0, &resid),
	    0);
	KT_EQ(resid, 50);
	KT_EQ(vn_rdwr(UIO_READ, vp, buf, 100, 20000, UIO_SYSSPACE, 0, &resid),
	    0);
	KT_EQ(resid, 100);
	/* Shrink, then grow: the regrown tail reads as zeros. */
	KT_EQ(kern_truncate("/tmp/kt_rw", 6000), 0);
	KT_EQ(vp->v_size, 6000);
	KT_EQ(kern_truncate("/tmp/kt_rw", 9000), 0);
	KT_EQ(vn_rdwr(UIO_READ, vp, buf, 3000, 5999, UIO_SYSSPACE, 0, &resid),
	    0);
	KT_EQ(resid, 0);
	KT_EQ(buf[0], (char)(999 * 7 + 1));
	KT_EQ(buf[1], 0);
	KT_EQ(buf[2999], 0);
	KT_EQ(kern_truncate("/tmp/kt_rw", -1), -EINVAL);
	KT_EQ(kern_truncate("/tmp", 0), -EISDIR);
	vrele(vp);
}

KTEST(ramfs_rename)
{
	struct vnode *vp, *d2;
	int err, nl;

	KT_EQ(kern_mkdirat(AT_FDCWD, "/tmp/kt_rn", 0755), 0);
	KT_EQ(kern_mkdirat(AT_FDCWD, "/tmp/kt_rn/d1", 0755), 0);
	KT_EQ(kern_mkdirat(AT_FDCWD, "/tmp/kt_rn/d1/sub", 0755), 0);
	KT_EQ(kern_mkdirat(AT_FDCWD, "/tmp/kt_rn/d2", 0755), 0);
	KT_EQ(kern_mkdirat(AT_FDCWD, "/tmp/kt_rn/full", 0755), 0);
	KT_EQ(kt_mkfile("/tmp/kt_rn/full/x", "x"), 0);
	KT_EQ(kt_mkfile("/tmp/kt_rn/a", "A"), 0);
	KT_EQ(kt_mkfile("/tmp/kt_rn/b", "B"), 0);
	/* A file replaces a file. */
	KT_EQ(kern_renameat2(AT_FDCWD, "/tmp/kt_rn/a", AT_FDCWD,
	    "/tmp/kt_rn/b", 0), 0);
	KT_ASSERT(kt_namei("/tmp/kt_rn/a", 0, NULL, &err) == NULL);
	vp = kt_namei("/tmp/kt_rn/b", 0, NULL, &err);
	KT_ASSERT(vp != NULL && vp->v_size == 1 && vp->v_nlink == 1);
	{
		char c = 0;
		KT_EQ(vn_rdwr(UIO_READ, vp, &c, 1, 0, UIO_SYSSPACE, 0, NULL),
		    0);
		KT_EQ(c, 'A');
	}
	vrele(vp);
	KT_EQ(kt_mkfile("/tmp/kt_rn/c", "C"), 0);
	KT_EQ(kern_renameat2(AT_FDCWD, "/tmp/kt_rn/c", AT_FDCWD,
	    "/tmp/kt_rn/b", RENAME_NOREPLACE), -EEXIST);
	KT_EQ(kern_renameat2(AT_FDCWD, "/tmp/kt_rn/c", AT_FDCWD,
	    "/tmp/kt_rn/d2", 0), -EISDIR);
	KT_EQ(kern_renameat2(AT_FDCWD, "/tmp/kt_rn/d2", AT_FDCWD,
	    "/tmp/kt_rn/c", 0), -ENOTDIR);
	KT_EQ(kern_renameat2(AT_FDCWD, "/tmp/kt_rn/d2", AT_FDCWD,
	    "/tmp/kt_rn/full", 0), -ENOTEMPTY);
	KT_EQ(kern_renameat2(AT_FDCWD, "/tmp/kt_rn/d1", AT_FDCWD,
	    "/tmp/kt_rn/d1/sub/d1", 0), -EINVAL);
	KT_EQ(kern_renameat2(AT_FDCWD, "/tmp/kt_rn/nope", AT_FDCWD,
	    "/tmp/kt_rn/x", 0), -ENOENT);
	KT_EQ(kern_renameat2(AT_FDCWD, "/tmp/kt_rn/c", AT_FDCWD,
	    "/kt_rn_c", 0), -EXDEV);
	/* Move a directory: its ".." and the link counts follow. */
	d2 = kt_namei("/tmp/kt_rn/d2", 0, NULL, &err);
	KT_ASSERT(d2 != NULL);
	nl = d2->v_nlink;
	KT_EQ(kern_renameat2(AT_FDCWD, "/tmp/kt_rn/d1", AT_FDCWD,
	    "/tmp/kt_rn/d2/moved", 0), 0);
	KT_EQ(d2->v_nlink, nl + 1);
	vp = kt_namei("/tmp/kt_rn/d2/moved/sub/../..", 0, NULL, &err);
	KT_EQ(vp, d2);
	vrele(vp);
	vp = kt_namei("/tmp/kt_rn/d2/moved", 0, NULL, &err);
	KT_ASSERT(vp != NULL && vp->v_nlink == 3);
	vrele(vp);
	/* A directory replaces an empty directory. */
	KT_EQ(kern_mkdirat(AT_FDCWD, "/tmp/kt_rn/empty", 0755), 0);
	KT_EQ(kern_renameat2(AT_FDCWD, "/tmp/kt_rn/d2/moved", AT_FDCWD,
	    "/tmp/kt_rn/empty", 0), 0);
	KT_EQ(d2->v_nlink, nl);
	vrele(d2);
}

/* Read the whole directory with a small buffer; names joined by '|'. */
static int
list_dir(const char *path, char *out, size_t outsz, int *ncalls)
{
	char buf[80];
	int fd = kt_open(path, O_RDONLY | O_DIRECTORY, 0), n;

	if (fd < 0)
		return (fd);
	out[0] = '\0';
	*ncalls = 0;
	for (;;) {
		struct iovec iov = { buf, sizeof(buf) };
		struct uio uio = { &iov, 1, 0, sizeof(buf), UIO_SYSSPACE,
			UIO_READ };

		n = kern_getdents64(fd, &uio);
		if (n <= 0)
			break;
		(*ncalls)++;
		for (int o = 0; o < n;) {
			struct linux_dirent64 *d = (void *)(buf + o);
			char t[4];

			snprintf(t, sizeof(t), "%d", d->d_type);
			strlcat(out, d->d_name, outsz);
			strlcat(out, ":", outsz);
			strlcat(out, t, outsz);
			strlcat(out, "|", outsz);
			o += d->d_reclen;
		}
	}
	kern_close(fd);
	return (n);
}

KTEST(ramfs_getdents_exact)
{
	char out[256], tiny[8];
	int fd, calls;
	struct iovec iov = { tiny, sizeof(tiny) };
	struct uio uio = { &iov, 1, 0, sizeof(tiny), UIO_SYSSPACE, UIO_READ };

	KT_EQ(kern_mkdirat(AT_FDCWD, "/tmp/kt_gd", 0755), 0);
	KT_EQ(kt_mkfile("/tmp/kt_gd/a", ""), 0);
	KT_EQ(kt_mkfile("/tmp/kt_gd/bb", ""), 0);
	KT_EQ(kern_mkdirat(AT_FDCWD, "/tmp/kt_gd/dir", 0755), 0);
	KT_EQ(kern_symlinkat("a", AT_FDCWD, "/tmp/kt_gd/lnk"), 0);
	KT_EQ(kt_mkfile("/tmp/kt_gd/gone", ""), 0);
	KT_EQ(kern_unlinkat(AT_FDCWD, "/tmp/kt_gd/gone", 0), 0);
	KT_EQ(list_dir("/tmp/kt_gd", out, sizeof(out), &calls), 0);
	KT_ASSERT(strcmp(out, ".:4|..:4|a:8|bb:8|dir:4|lnk:10|") == 0);
	KT_ASSERT(calls >= 2);	/* 80 bytes cannot hold all six */
	/* A buffer too small for even one entry: EINVAL. */
	fd = kt_open("/tmp/kt_gd", O_RDONLY | O_DIRECTORY, 0);
	KT_ASSERT(fd >= 0);
	KT_EQ(kern_getdents64(fd, &uio), -EINVAL);
	kern_close(fd);
	fd = kt_open("/tmp/kt_gd/a", O_RDONLY, 0);
	KT_EQ(kern_getdents64(fd, &uio), -ENOTDIR);
	kern_close(fd);
}

KTEST(ramfs_enospc)
{
	static char page[4096];
	struct mount *mp;
	struct vnode *vp;
	struct statfs sf;
	int error = 0, i;

	KT_EQ(vfs_mount_detached("tmpfs", "size=64k", &mp), 0);
	KT_EQ(vfs_statfs(mp, &sf), 0);
	KT_EQ(sf.f_type, TMPFS_MAGIC);
	KT_EQ(sf.f_blocks, 16);
	KT_EQ(VOP_CREATE(mp->mnt_root, "big", 0644, vfs_cred(), &vp), 0);
	for (i = 0; i < 32 && error == 0; i++)
		error = vn_rdwr(UIO_WRITE, vp, page, sizeof(page),
		    (off_t)i * sizeof(page), UIO_SYSSPACE, 0, NULL);
	KT_EQ(error, -ENOSPC);
	KT_ASSERT(i > 10 && i <= 16);	/* one node's cost below 64k */
	KT_EQ(vfs_statfs(mp, &sf), 0);
	KT_EQ(sf.f_bfree, 0);
	/* Past the file-size limit: EFBIG; freeing makes room again. */
	KT_EQ(vn_rdwr(UIO_WRITE, vp, page, 1, 1 << 20, UIO_SYSSPACE, 0,
	    NULL), -EFBIG);
	KT_EQ(vn_truncate(vp, 0), 0);
	KT_EQ(vn_rdwr(UIO_WRITE, vp, page, sizeof(page), 0, UIO_SYSSPACE, 0,
	    NULL), 0);
	vrele(vp);
	KT_EQ(VOP_REMOVE(mp->mnt_root, "big"), 0);
	KT_EQ(vfs_unmount_mp(mp, 0), 0);
}
