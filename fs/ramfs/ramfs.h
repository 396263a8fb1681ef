/*
 * ramfs.h: private to fs/ramfs and its user fs/devfs.c.
 *
 * One sx lock per mount (rm_lock) is held across every vnode operation
 * of that mount, which keeps rename and rmdir simple and correct: nothing
 * else in the file system moves while they check and act.  Vnode
 * attributes (size, nlink, times...) are guarded by it too.
 */
#ifndef _RAMFS_H_
#define _RAMFS_H_

#include <sys/queue.h>
#include <sx.h>
#include <vnode.h>

struct ramfs_dirent {
	TAILQ_ENTRY(ramfs_dirent) rd_link;
	struct vnode *rd_vp;		/* counts in rd_vp->v_nlink */
	off_t rd_cookie;		/* readdir position, increasing */
	char rd_name[];
};

struct ramfs_node {
	struct vnode *rn_vnode;
	/* VDIR */
	TAILQ_HEAD(, ramfs_dirent) rn_dir;
	off_t rn_nextcookie;
	struct vnode *rn_parent;	/* ".."; the root points at itself */
	/* VREG: the data are the pages of vp->v_object (the page cache) */
	size_t rn_charged;		/* rm_lock: pages charged to rm_used */
	/* VLNK */
	char *rn_target;
};

struct ramfs_mount {
	struct sx rm_lock;
	uint64_t rm_maxbytes;		/* rm_lock: ENOSPC beyond this */
	uint64_t rm_used;		/* rm_lock */
	int64_t rm_magic;		/* f_type in statfs */
};

#define RAMFS_NODE_COST	256		/* bytes charged per file */
#define RAMFS_DEFAULT_MAX (128ULL << 20)

#define VTORN(vp)	((struct ramfs_node *)(vp)->v_data)
#define VTORM(vp)	((struct ramfs_mount *)(vp)->v_mount->mnt_data)

extern const struct vnodeops ramfs_vnodeops;
int ramfs_mount_common(struct mount *mp, const char *data, int64_t magic);
int ramfs_unmount(struct mount *mp, int flags);
int ramfs_statfs(struct mount *mp, struct statfs *sfp);

/* ramfs_data.c */
int ramfs_read(struct vnode *vp, struct uio *uio, int ioflag);
int ramfs_write(struct vnode *vp, struct uio *uio, int ioflag);
int ramfs_readdir(struct vnode *vp, struct uio *uio);
int ramfs_readlink(struct vnode *vp, struct uio *uio);
int ramfs_truncate_locked(struct vnode *vp, off_t len);
void ramfs_free_data(struct vnode *vp);

#endif /* !_RAMFS_H_ */
