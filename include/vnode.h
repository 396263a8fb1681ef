/*
 * vnode.h: vnodes, vnode operations, mounts and name lookup (FreeBSD
 * sys/vnode.h, sys/mount.h, sys/namei.h, cut down).
 *
 * A vnode is the kernel's handle on one file of some mounted file system.
 * It carries the attributes every file has (type, mode, owner, size,
 * times) so generic code can read them without asking the file system,
 * and a vnodeops table for everything else.  A vnode lives while it has
 * references (v_usecount) or, for file systems that keep their files in
 * memory like ramfs, while it is linked; when the last reference goes,
 * VOP_INACTIVE lets the file system free an unlinked file.
 *
 * Every call that returns a vnode returns it referenced; the caller drops
 * it with vrele().  Operations return 0 or a negative Linux errno.
 *
 * Kernel API for exec, init and other subsystems:
 *   namei(&nd)             look a path up (see struct nameidata)
 *   vn_open(path, oflags, mode, &vp)   namei + permission checks + O_CREAT
 *                          / O_TRUNC; a referenced vnode, no file
 *   vn_rdwr(rw, vp, buf, len, off, seg, ioflag, &resid)  read or write a
 *                          vnode at an offset (buf in kernel or user space)
 *   kern_openat(dirfd, path, UIO_SYSSPACE, oflags, mode)  an fd in curproc
 *   vref / vrele           take / drop a reference
 */
#ifndef _VNODE_H_
#define _VNODE_H_

#include <event.h>
#include <spinlock.h>
#include <sx.h>
#include <sys/queue.h>
#include <types.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/stat.h>
#include <uio.h>

struct mount;
struct ucred;
struct pipe;
struct bootinfo;
struct vm_object;
struct vm_page;

enum vtype { VNON, VREG, VDIR, VLNK, VCHR, VBLK, VFIFO, VSOCK };

struct vnode {
	struct spinlock v_interlock;	/* guards v_usecount */
	int v_usecount;			/* v_interlock */
	enum vtype v_type;		/* constant */
	const struct vnodeops *v_op;	/* constant */
	struct mount *v_mount;		/* constant: the fs it belongs to */
	void *v_data;			/* the file system's node */
	struct mount *v_mountedhere;	/* vfs_mtx: a mount covering this dir */
	struct pipe *v_fifo;		/* vfs_mtx: the pipe of an open FIFO */

	/* Attributes: the owning fs's lock (ramfs: the mount's sx). */
	ino_t v_ino;
	mode_t v_mode;			/* S_IFMT | permission bits */
	uid_t v_uid;
	gid_t v_gid;
	uint32_t v_nlink;
	off_t v_size;
	dev_t v_rdev;			/* VCHR/VBLK: makedev(major, minor) */
	struct timespec v_atime, v_mtime, v_ctime;
	struct knlist v_note;		/* kqueue_mtx: EVFILT_VNODE, READ */

	/*
	 * The page cache (VREG): an OBJT_VNODE vm_object made on demand by
	 * vnode_pager_object() and shared by read, write and every mapping.
	 * The vnode holds one reference on it; vnode_pager_vnode_gone()
	 * drops it when the file system frees the vnode.  vm_object_lock.
	 */
	struct vm_object *v_object;
};

/* What getattr fills and setattr changes (va_mask says which). */
struct vattr {
	int va_mask;
	enum vtype va_type;
	mode_t va_mode;
	uid_t va_uid;
	gid_t va_gid;
	uint32_t va_nlink;
	off_t va_size;
	ino_t va_ino;
	dev_t va_rdev;
	dev_t va_fsid;
	int64_t va_blocks;		/* 512-byte units */
	int va_blksize;
	struct timespec va_atime, va_mtime, va_ctime;
};
#define VA_MODE		0x01
#define VA_UID		0x02
#define VA_GID		0x04
#define VA_SIZE		0x08
#define VA_ATIME	0x10
#define VA_MTIME	0x20
#define VA_CTIME	0x40

/* ioflag for read/write */
#define IO_APPEND	0x0002
/* IO_NDELAY 0x0004 comes from cdev.h */
#define IO_NONBLOCK	0x0004

/*
 * The vnode operations.  Names are single components (no '/', not "." --
 * namei deals with "." itself; lookup must handle ".." within its file
 * system).  Every vnode returned through vpp is referenced.  NULL entries
 * answer -EOPNOTSUPP (or a sensible default noted below).
 */
struct vnodeops {
	int (*vop_lookup)(struct vnode *dvp, const char *name,
	    struct vnode **vpp);
	int (*vop_create)(struct vnode *dvp, const char *name, mode_t mode,
	    const struct ucred *cred, struct vnode **vpp);
	int (*vop_mkdir)(struct vnode *dvp, const char *name, mode_t mode,
	    const struct ucred *cred, struct vnode **vpp);
	/* mode includes S_IFCHR/S_IFBLK/S_IFIFO/S_IFREG. */
	int (*vop_mknod)(struct vnode *dvp, const char *name, mode_t mode,
	    dev_t rdev, const struct ucred *cred, struct vnode **vpp);
	int (*vop_symlink)(struct vnode *dvp, const char *name,
	    const char *target, const struct ucred *cred, struct vnode **vpp);
	int (*vop_readlink)(struct vnode *vp, struct uio *uio);
	int (*vop_link)(struct vnode *dvp, const char *name, struct vnode *vp);
	int (*vop_remove)(struct vnode *dvp, const char *name);
	int (*vop_rmdir)(struct vnode *dvp, const char *name);
	int (*vop_rename)(struct vnode *fdvp, const char *fname,
	    struct vnode *tdvp, const char *tname, int flags);
	int (*vop_getattr)(struct vnode *vp, struct vattr *vap);	/* NULL: from the vnode */
	int (*vop_setattr)(struct vnode *vp, const struct vattr *vap);
	int (*vop_read)(struct vnode *vp, struct uio *uio, int ioflag);
	int (*vop_write)(struct vnode *vp, struct uio *uio, int ioflag);
	/*
	 * readdir: linux_dirent64 records into uio from cookie uio_offset
	 * (0 = start; each record's d_off is the cookie of the next); stops
	 * when the next record would not fit; vfs_dirent_emit helps.
	 */
	int (*vop_readdir)(struct vnode *vp, struct uio *uio);
	int (*vop_open)(struct vnode *vp, int oflags);		/* NULL: 0 */
	int (*vop_close)(struct vnode *vp, int oflags);		/* NULL: 0 */
	void (*vop_inactive)(struct vnode *vp);	/* last reference gone */
	/* fsync(2)/fdatasync(2): push the file to stable storage.  NULL: 0. */
	int (*vop_fsync)(struct vnode *vp, int datasync);
	/*
	 * The pager hooks (mm/vnode_pager.c): getpages fills the page m
	 * (zeroed, already in vp->v_object at m->pindex) from the file's
	 * backing store, leaving zeros where the store has nothing (past its
	 * end); putpages writes count dirty pages back (sync: wait for it;
	 * the bytes past v_size in the last page are not the file's).  A
	 * file system with these uses vnode_pager_rdwr for read and write,
	 * so that they share the pages with mappings.  Both may be NULL when the page cache is the file's only
	 * storage (ramfs): a missing page then reads as zeros and there is
	 * nothing to write back.  0 or a negative errno.
	 */
	int (*vop_getpages)(struct vnode *vp, struct vm_page *m);
	int (*vop_putpages)(struct vnode *vp, struct vm_page **ma, int count,
	    bool sync);
};

#define VOP_CALL(vp, op, ...) \
	((vp)->v_op->op == NULL ? -EOPNOTSUPP : (vp)->v_op->op(__VA_ARGS__))
#define VOP_LOOKUP(dvp, n, vpp)		VOP_CALL(dvp, vop_lookup, dvp, n, vpp)
#define VOP_CREATE(dvp, n, m, c, vpp)	VOP_CALL(dvp, vop_create, dvp, n, m, c, vpp)
#define VOP_MKDIR(dvp, n, m, c, vpp)	VOP_CALL(dvp, vop_mkdir, dvp, n, m, c, vpp)
#define VOP_MKNOD(dvp, n, m, d, c, vpp)	VOP_CALL(dvp, vop_mknod, dvp, n, m, d, c, vpp)
#define VOP_SYMLINK(dvp, n, t, c, vpp)	VOP_CALL(dvp, vop_symlink, dvp, n, t, c, vpp)
#define VOP_READLINK(vp, uio)		VOP_CALL(vp, vop_readlink, vp, uio)
#define VOP_LINK(dvp, n, vp)		VOP_CALL(dvp, vop_link, dvp, n, vp)
#define VOP_REMOVE(dvp, n)		VOP_CALL(dvp, vop_remove, dvp, n)
#define VOP_RMDIR(dvp, n)		VOP_CALL(dvp, vop_rmdir, dvp, n)
#define VOP_RENAME(fd, fn, td, tn, fl)	VOP_CALL(fd, vop_rename, fd, fn, td, tn, fl)
#define VOP_SETATTR(vp, vap)		VOP_CALL(vp, vop_setattr, vp, vap)
#define VOP_READ(vp, uio, fl)		VOP_CALL(vp, vop_read, vp, uio, fl)
#define VOP_WRITE(vp, uio, fl)		VOP_CALL(vp, vop_write, vp, uio, fl)
#define VOP_READDIR(vp, uio)		VOP_CALL(vp, vop_readdir, vp, uio)
int VOP_GETATTR(struct vnode *vp, struct vattr *vap);
int VOP_OPEN(struct vnode *vp, int oflags);
int VOP_CLOSE(struct vnode *vp, int oflags);
int VOP_FSYNC(struct vnode *vp, int datasync);

/* Mounts. */
struct vfsops {
	const char *vfs_name;		/* "ramfs", "tmpfs", "devfs", ... */
	/* Set mp->mnt_root (referenced) and mp->mnt_data. */
	int (*vfs_mount)(struct mount *mp, const char *data);
	int (*vfs_unmount)(struct mount *mp, int flags);
	int (*vfs_statfs)(struct mount *mp, struct statfs *sfp);
};

struct mount {
	TAILQ_ENTRY(mount) mnt_list;	/* vfs_mtx */
	const struct vfsops *mnt_op;
	struct vnode *mnt_root;		/* the root of this fs (referenced) */
	struct vnode *mnt_vnodecovered;	/* the dir it sits on; NULL for / */
	void *mnt_data;			/* the file system's private data */
	dev_t mnt_dev;			/* st_dev of its files */
	int mnt_flag;			/* MS_RDONLY */
	ino_t mnt_nextino;		/* vfs_mtx: inode number counter */
	int mnt_nactive;		/* vnodes with references (atomic) */
	bool mnt_listed;		/* vfs_mtx: on mountlist */
	char mnt_type[16];
	char mnt_path[128];		/* where it was mounted, from the root */
	char mnt_from[64];		/* mount(2)'s source ("host", a tag) */
};
TAILQ_HEAD(mntlist, mount);
extern struct mntlist mountlist;	/* vfs_mtx */
extern struct spinlock vfs_mtx;
extern struct vnode *rootvnode;		/* the root of "/" */

int vfs_register(const struct vfsops *vfsp);
const struct vfsops *vfs_byname(const char *name);
const struct vfsops *vfs_type_at(int i);	/* NULL past the last */
/* Mount a new fs of `type` on the directory `path` (NULL: as the root). */
int vfs_mount(const char *type, const char *path, const char *data,
    int flags);
/* The same with mount(2)'s source (NULL: the type), for fs that use it. */
int vfs_mount_from(const char *type, const char *source, const char *path,
    const char *data, int flags);
/* Mount without covering anything (tests); *mpp is freed by vfs_unmount_mp. */
int vfs_mount_detached(const char *type, const char *data,
    struct mount **mpp);
int vfs_mount_detached_from(const char *type, const char *source,
    const char *data, struct mount **mpp);
int vfs_unmount_path(const char *path, int flags);
int vfs_unmount_mp(struct mount *mp, int flags);
int vfs_statfs(struct mount *mp, struct statfs *sfp);

/* Vnode life. */
struct vnode *vnalloc(struct mount *mp, enum vtype type,
    const struct vnodeops *ops, void *data);
void vnfree(struct vnode *vp);	/* for VOP_INACTIVE of a dead file */
extern uint64_t numvnodes;	/* live vnodes (leak checks) */
void vref(struct vnode *vp);
void vrele(struct vnode *vp);
enum vtype iftovt(mode_t mode);
mode_t vttoif(enum vtype t);
int vttodt(enum vtype t);
void vfs_timestamp(struct timespec *ts);	/* now, from nanotime() */

/* Permissions: 0 or -EACCES; mode is R_OK|W_OK|X_OK. */
int vaccess(struct vnode *vp, int mode, const struct ucred *cred);
const struct ucred *vfs_cred(void);	/* curproc's, or root's */
mode_t vfs_umask(void);			/* curproc's, or 022 */

/* Readdir helper: append one record; 1 if it did not fit, <0 on fault. */
int vfs_dirent_emit(struct uio *uio, const char *name, ino_t ino,
    int dtype, off_t nextoff);

/*
 * Name lookup.  namei resolves ni_path relative to ni_startdir (NULL: the
 * current directory of curproc, or / with no process).  With NI_PARENT it
 * returns the parent directory in ni_dvp and the last component in ni_name
 * and, if that exists, the vnode in ni_vp (else ni_vp is NULL and the
 * result is 0): the form create, unlink and rename need (FreeBSD
 * LOCKPARENT without the locks).
 */
#define NI_FOLLOW	0x0001	/* follow a symlink in the last component */
#define NI_NOFOLLOW	0x0000
#define NI_PARENT	0x0002	/* return the parent and the last name */
#define NI_EMPTYPATH	0x0004	/* "" means ni_startdir itself */

#define MAXSYMLINKS	40

struct nameidata {
	/* in */
	const char *ni_path;		/* kernel string */
	int ni_flags;
	struct vnode *ni_startdir;	/* not consumed; NULL: cwd */
	/* out, each referenced when not NULL */
	struct vnode *ni_vp;
	struct vnode *ni_dvp;		/* NI_PARENT only */
	char ni_name[NAME_MAX + 1];	/* NI_PARENT: the last component */
	bool ni_trailslash;		/* the path ended in '/' */
};

void ni_init(struct nameidata *nd, const char *path, int flags,
    struct vnode *startdir);
int namei(struct nameidata *nd);
void ni_done(struct nameidata *nd);	/* vrele ni_vp, ni_dvp */
/* Path of vp from the root into buf (getcwd); -ERANGE if too small. */
int vn_fullpath(struct vnode *vp, char *buf, size_t size);

/* Kernel I/O on vnodes (vfs_vnops.c). */
int vn_open(const char *path, int oflags, mode_t mode, struct vnode **vpp);
int vn_openat(struct vnode *startdir, const char *path, int oflags,
    mode_t mode, struct vnode **vpp);
/*
 * kqueue: tell the vnode's knotes what happened (NOTE_WRITE, NOTE_DELETE,
 * ...; FreeBSD VFS_KNOTE_UNLOCKED), and VOP_SETATTR that does so.
 */
void vn_knote(struct vnode *vp, long hint);
int vn_setattr(struct vnode *vp, struct vattr *vap);
int vn_rdwr(enum uio_rw rw, struct vnode *vp, void *base, size_t len,
    off_t offset, enum uio_seg seg, int ioflag, size_t *resid);
int vn_truncate(struct vnode *vp, off_t length);
int vn_writechk(struct vnode *vp);	/* -ETXTBSY: a process runs it */
int vn_rdlink(struct vnode *vp, char *buf);	/* target, buf[PATH_MAX] */
void vn_stat(struct vnode *vp, struct stat *sb);

/* Boot: mount /, /dev, unpack the initramfs (fs/vfs_init.c). */
void vfs_init(struct bootinfo *bi);
/* Root fs only, no initramfs (idempotent; tests call it). */
void vfs_init_root(void);

#endif /* !_VNODE_H_ */
