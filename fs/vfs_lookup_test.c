/*
 * vfs_lookup_test.c: ktests of namei -- absolute and relative paths,
 * "." and "..", mount crossing, symlinks, the 40-link limit, and the
 * errors ENOENT, ENOTDIR, ENAMETOOLONG; and vn_fullpath (getcwd).
 */
#include <kmem.h>
#include <ktest.h>
#include <printf.h>

#include "vfs_test.h"

KTEST(vfs_namei_abs_rel_dotdot)
{
	struct vnode *a, *b, *vp;
	int err;

	KT_EQ(kern_mkdirat(AT_FDCWD, "/tmp/kt_nm", 0755), 0);
	KT_EQ(kern_mkdirat(AT_FDCWD, "/tmp/kt_nm/a", 0755), 0);
	KT_EQ(kern_mkdirat(AT_FDCWD, "/tmp/kt_nm/a/b", 0755), 0);
	a = kt_namei("/tmp/kt_nm/a", NI_FOLLOW, NULL, &err);
	KT_ASSERT(a != NULL);
	b = kt_namei("//tmp///kt_nm/a/b/", NI_FOLLOW, NULL, &err);
	KT_ASSERT(b != NULL && b != a && b->v_type == VDIR);
	/* Relative to a, with . and .. on the way. */
	vp = kt_namei("./b/../b/.", NI_FOLLOW, a, &err);
	KT_EQ(vp, b);
	vrele(vp);
	vp = kt_namei("b/..", NI_FOLLOW, a, &err);
	KT_EQ(vp, a);
	vrele(vp);
	/* ".." at the root stays there; across the /tmp mount it leaves. */
	vp = kt_namei("/../..", NI_FOLLOW, NULL, &err);
	KT_EQ(vp, rootvnode);
	vrele(vp);
	vp = kt_namei("/tmp", NI_FOLLOW, NULL, &err);
	KT_ASSERT(vp != NULL && vp->v_mount != rootvnode->v_mount);
	KT_EQ(vp, vp->v_mount->mnt_root);
	vrele(vp);
	vp = kt_namei("/tmp/kt_nm/a/b/../../../..", NI_FOLLOW, NULL, &err);
	KT_EQ(vp, rootvnode);
	vrele(vp);
	vrele(a);
	vrele(b);
}

KTEST(vfs_namei_errors)
{
	char *long_path;
	int err;

	KT_EQ(kern_mkdirat(AT_FDCWD, "/tmp/kt_ne", 0755), 0);
	KT_EQ(kt_mkfile("/tmp/kt_ne/file", "x"), 0);
	KT_ASSERT(kt_namei("/tmp/kt_ne/missing", 0, NULL, &err) == NULL);
	KT_EQ(err, -ENOENT);
	KT_ASSERT(kt_namei("/tmp/kt_ne/missing/x", 0, NULL, &err) == NULL);
	KT_EQ(err, -ENOENT);
	KT_ASSERT(kt_namei("/tmp/kt_ne/file/x", 0, NULL, &err) == NULL);
	KT_EQ(err, -ENOTDIR);
	KT_ASSERT(kt_namei("/tmp/kt_ne/file/", 0, NULL, &err) == NULL);
	KT_EQ(err, -ENOTDIR);
	KT_ASSERT(kt_namei("", 0, NULL, &err) == NULL);
	KT_EQ(err, -ENOENT);
	long_path = kmalloc(PATH_MAX + 2, M_WAITOK);
	KT_ASSERT(long_path != NULL);
	/* A 256-byte component. */
	memset(long_path, 'n', 256);
	long_path[256] = '\0';
	KT_ASSERT(kt_namei(long_path, 0, NULL, &err) == NULL);
	KT_EQ(err, -ENAMETOOLONG);
	/* 4096 bytes without the NUL: one too many. */
	for (int i = 0; i < PATH_MAX; i++)
		long_path[i] = (i % 2) ? '/' : 'x';
	long_path[PATH_MAX] = '\0';
	KT_ASSERT(kt_namei(long_path, 0, NULL, &err) == NULL);
	KT_EQ(err, -ENAMETOOLONG);
	kfree(long_path);
}

KTEST(vfs_namei_symlinks)
{
	struct vnode *f, *vp, *dvp;
	int err;

	KT_EQ(kern_mkdirat(AT_FDCWD, "/tmp/kt_sl", 0755), 0);
	KT_EQ(kern_mkdirat(AT_FDCWD, "/tmp/kt_sl/d", 0755), 0);
	KT_EQ(kt_mkfile("/tmp/kt_sl/d/f", "data"), 0);
	KT_EQ(kern_symlinkat("d/f", AT_FDCWD, "/tmp/kt_sl/rel"), 0);
	KT_EQ(kern_symlinkat("/tmp/kt_sl/d", AT_FDCWD, "/tmp/kt_sl/abs"), 0);
	KT_EQ(kern_symlinkat("abs/f", AT_FDCWD, "/tmp/kt_sl/chain"), 0);
	KT_EQ(kern_symlinkat("nowhere", AT_FDCWD, "/tmp/kt_sl/dangling"), 0);
	f = kt_namei("/tmp/kt_sl/d/f", 0, NULL, &err);
	KT_ASSERT(f != NULL && f->v_type == VREG);
	vp = kt_namei("/tmp/kt_sl/rel", NI_FOLLOW, NULL, &err);
	KT_EQ(vp, f);
	vrele(vp);
	vp = kt_namei("/tmp/kt_sl/rel", 0, NULL, &err);
	KT_ASSERT(vp != NULL && vp->v_type == VLNK && vp->v_size == 3);
	vrele(vp);
	/* A symlink in the middle is always followed, absolute ones too. */
	vp = kt_namei("/tmp/kt_sl/abs/f", 0, NULL, &err);
	KT_EQ(vp, f);
	vrele(vp);
	vp = kt_namei("/tmp/kt_sl/chain", NI_FOLLOW, NULL, &err);
	KT_EQ(vp, f);
	vrele(vp);
	/* Trailing slash: link to a file is ENOTDIR, to a dir is the dir. */
	KT_ASSERT(kt_namei("/tmp/kt_sl/rel/", 0, NULL, &err) == NULL);
	KT_EQ(err, -ENOTDIR);
	vp = kt_namei("/tmp/kt_sl/abs/", 0, NULL, &err);
	KT_ASSERT(vp != NULL && vp->v_type == VDIR);
	vrele(vp);
	KT_ASSERT(kt_namei("/tmp/kt_sl/dangling", NI_FOLLOW, NULL, &err) ==
	    NULL);
	KT_EQ(err, -ENOENT);
	/*
	 * An empty target (symlink(2) refuses one; another system's disk
	 * may hold it) is ENOENT when followed, last or in the middle.
	 */
	dvp = kt_namei("/tmp/kt_sl", NI_FOLLOW, NULL, &err);
	KT_ASSERT(dvp != NULL);
	KT_EQ(VOP_SYMLINK(dvp, "empty", "", vfs_cred(), &vp), 0);
	vrele(vp);
	vrele(dvp);
	KT_ASSERT(kt_namei("/tmp/kt_sl/empty", NI_FOLLOW, NULL, &err) ==
	    NULL);
	KT_EQ(err, -ENOENT);
	KT_ASSERT(kt_namei("/tmp/kt_sl/empty/f", 0, NULL, &err) == NULL);
	KT_EQ(err, -ENOENT);
	vrele(f);
}

KTEST(vfs_namei_eloop)
{
	char name[64], target[64];
	struct vnode *vp;
	int err;

	KT_EQ(kern_mkdirat(AT_FDCWD, "/tmp/kt_lp", 0755), 0);
	KT_EQ(kern_symlinkat("l2", AT_FDCWD, "/tmp/kt_lp/l1"), 0);
	KT_EQ(kern_symlinkat("l1", AT_FDCWD, "/tmp/kt_lp/l2"), 0);
	KT_ASSERT(kt_namei("/tmp/kt_lp/l1", NI_FOLLOW, NULL, &err) == NULL);
	KT_EQ(err, -ELOOP);
	KT_ASSERT(kt_namei("/tmp/kt_lp/l1/x", 0, NULL, &err) == NULL);
	KT_EQ(err, -ELOOP);
	/* Not following the last one: the link itself. */
	vp = kt_namei("/tmp/kt_lp/l1", 0, NULL, &err);
	KT_ASSERT(vp != NULL && vp->v_type == VLNK);
	vrele(vp);
	/* A chain of exactly 40 links resolves; 41 is ELOOP. */
	KT_EQ(kt_mkfile("/tmp/kt_lp/c0", "end"), 0);
	for (int i = 1; i <= 41; i++) {
		snprintf(name, sizeof(name), "/tmp/kt_lp/c%d", i);
		snprintf(target, sizeof(target), "c%d", i - 1);
		KT_EQ(kern_symlinkat(target, AT_FDCWD, name), 0);
	}
	vp = kt_namei("/tmp/kt_lp/c40", NI_FOLLOW, NULL, &err);
	KT_ASSERT(vp != NULL && vp->v_type == VREG);
	vrele(vp);
	KT_ASSERT(kt_namei("/tmp/kt_lp/c41", NI_FOLLOW, NULL, &err) == NULL);
	KT_EQ(err, -ELOOP);
}

KTEST(vfs_fullpath)
{
	char buf[64];
	struct vnode *vp;
	int err;

	KT_EQ(kern_mkdirat(AT_FDCWD, "/tmp/kt_fp", 0755), 0);
	KT_EQ(kern_mkdirat(AT_FDCWD, "/tmp/kt_fp/sub", 0755), 0);
	vp = kt_namei("/tmp/kt_fp/sub", 0, NULL, &err);
	KT_ASSERT(vp != NULL);
	KT_EQ(vn_fullpath(vp, buf, sizeof(buf)), 0);
	KT_ASSERT(strcmp(buf, "/tmp/kt_fp/sub") == 0);
	KT_EQ(vn_fullpath(vp, buf, 10), -ERANGE);
	KT_EQ(vn_fullpath(rootvnode, buf, sizeof(buf)), 0);
	KT_ASSERT(strcmp(buf, "/") == 0);
	vrele(vp);
}
