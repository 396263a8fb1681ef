/*
 * vfs_subr_test.c: ktests of vrele's order: a vnode whose last reference
 * goes still counts as active on its mount (mnt_nactive) while its
 * VOP_INACTIVE runs, so vfs_unmount_mp is -EBUSY until inactive is done
 * (9P's inactive clunks fids over the channel the unmount would free).
 */
#include <kmem.h>
#include <ktest.h>
#include <libkern.h>
#include <vnode.h>

static int vst_seen_nactive = -1;

static void
vst_inactive(struct vnode *vp)
{
	vst_seen_nactive = vp->v_mount->mnt_nactive;
	vnfree(vp);
}

static const struct vnodeops vst_ops = {
	.vop_inactive = vst_inactive,
};

KTEST(vfs_vrele_inactive_keeps_mount_active)
{
	struct mount *mp = kmalloc(sizeof(*mp), M_WAITOK | M_ZERO);
	struct vnode *vp;

	KT_ASSERT(mp != NULL);
	vp = vnalloc(mp, VREG, &vst_ops, NULL);
	KT_ASSERT(vp != NULL);
	vref(vp);
	KT_EQ(mp->mnt_nactive, 1);
	vst_seen_nactive = -1;
	vrele(vp);
	KT_EQ(vst_seen_nactive, 1);	/* still active inside inactive */
	KT_EQ(mp->mnt_nactive, 0);	/* and not after */
	kfree(mp);
}
