/*
 * file.h: open files, descriptor tables and the file system calls
 * (FreeBSD sys/file.h and sys/filedesc.h).
 *
 * A struct file is one open of something -- a vnode, a pipe end, a device
 * -- with the open flags and the offset; a descriptor is an index into the
 * process's filedesc table pointing at a file.  dup and fork share a file
 * (and so its offset); each holder counts in f_count.  What a file does is
 * in its fileops, so read(2) never needs to know what it reads.
 *
 * API for proc (fork, exec, exit) and others:
 *   fdinit()               a new empty table (the first process)
 *   fdcopy(fdp)            fork: a copy sharing every open file
 *   fdcloseexec(fdp)       exec: close the O_CLOEXEC descriptors
 *   fdfree(fdp)            exit: close everything, free the table
 *   fget(fd, &fp) / fdrop(fp)  look a descriptor up / release it
 *   falloc(&fp) + finstall(fdp, fp, flags, &fd)
 *   selwakeup(&si)         an object became ready: wake poll/select
 */
#ifndef _FILE_H_
#define _FILE_H_

#include <event.h>
#include <spinlock.h>
#include <types.h>
#include <uapi/fcntl.h>
#include <uapi/poll.h>
#include <uapi/stat.h>
#include <uio.h>

struct file;
struct uio;
struct knote;
struct vnode;
struct filedesc;

struct fileops {
	int (*fo_read)(struct file *fp, struct uio *uio, int flags);
	int (*fo_write)(struct file *fp, struct uio *uio, int flags);
	/* data is a user pointer (copyin/copyout); -ENOTTY if unknown. */
	int (*fo_ioctl)(struct file *fp, unsigned long cmd, void *data);
	int (*fo_poll)(struct file *fp, int events);	/* ready events now */
	int (*fo_kqfilter)(struct file *fp, struct knote *kn);
	int (*fo_stat)(struct file *fp, struct stat *sb);
	int (*fo_close)(struct file *fp);	/* the last reference went */
	/* NULL: the file cannot seek (-ESPIPE). */
	off_t (*fo_seek)(struct file *fp, off_t offset, int whence);
};

/* fo_read/fo_write flags: use uio_offset instead of f_offset (pread). */
#define FOF_OFFSET	0x0001

enum { DTYPE_NONE, DTYPE_VNODE, DTYPE_PIPE, DTYPE_DEV, DTYPE_FIFO,
	DTYPE_KQUEUE, DTYPE_OTHER };

struct file {
	const struct fileops *f_ops;
	void *f_data;			/* pipe, cdev, kqueue, ... */
	struct vnode *f_vnode;		/* referenced, if opened by name */
	int f_type;			/* DTYPE_* */
	int f_flag;			/* f_lock: O_ACCMODE|O_APPEND|O_NONBLOCK */
	int f_count;			/* f_lock: references */
	off_t f_offset;			/* f_lock, for the file's position */
	struct spinlock f_lock;
};

#define FREAD(fp)	(((fp)->f_flag & O_ACCMODE) != O_WRONLY)
#define FWRITE(fp)	(((fp)->f_flag & O_ACCMODE) != O_RDONLY)
/* Flags F_SETFL may change. */
#define FCNTLFLAGS	(O_APPEND | O_NONBLOCK | O_ASYNC | O_DIRECT | O_NOATIME)

#define UF_EXCLOSE	0x01		/* close on exec */

struct filedesc {
	struct spinlock fd_lock;
	struct file **fd_ofiles;	/* fd_lock: [fd_nfiles] */
	uint8_t *fd_ofileflags;		/* fd_lock: UF_* per descriptor */
	int fd_nfiles;			/* fd_lock: size of the arrays */
	int fd_refcnt;			/* fd_lock */
	LIST_HEAD(, kqueue) fd_kqlist;	/* kqueue_mtx: its kqueues */
};

#define NOFILE_DEFAULT	1024		/* RLIMIT_NOFILE when unset */
#include <uapi/resource.h>	/* RLIMIT_NOFILE */

struct filedesc *fdinit(void);
struct filedesc *fdcopy(struct filedesc *fdp);
void fdcloseexec(struct filedesc *fdp);
void fdfree(struct filedesc *fdp);

int falloc(struct file **fpp);	/* f_count 1, DTYPE_NONE */
void ffree(struct file *fp);	/* undo falloc before the file is opened */
extern uint64_t nfiles;		/* live struct files (leak checks) */
extern uint64_t npipes;		/* live pipes, FIFOs too (pipe.c) */
int fdalloc(struct filedesc *fdp, int minfd, int *fdp_out);
int finstall(struct filedesc *fdp, struct file *fp, int flags, int *fd);
int fget(int fd, struct file **fpp);	/* -EBADF; fdrop when done */
/* No reference when the table is not shared; fdrop_light when done. */
int fget_light(int fd, struct file **fpp, bool *held);
void fdrop_light(struct file *fp, bool held);
void fhold(struct file *fp);
void fdrop(struct file *fp);
int kern_close(int fd);
/* The caller's table (or the kernel's, for code with no process). */
struct filedesc *fd_curtable(void);
int kern_dup(int oldfd, int newfd, int flags, int minfd, bool fixed);

/* Kernel-side open/read/write (used by init, tests). */
int kern_openat(int dirfd, const char *path, int pathseg, int flags,
    mode_t mode);
ssize_t kern_readv(int fd, struct uio *uio, int flags);
ssize_t kern_writev(int fd, struct uio *uio, int flags);
/* Descriptor -> starting directory for *at() calls (referenced). */
int fgetvp_at(int dirfd, struct vnode **vpp);

/*
 * The working halves of the path system calls: paths are kernel strings
 * (fs/vfs_syscalls.c, vfs_syscalls2.c, vfs_attr.c).
 */
struct nameidata;
int user_path(const char *upath, char **kpath);	/* kmalloc'd copy */
/*
 * PATHCALL(upath, call): copy the user path upath into a kernel string
 * named path_, evaluate call (which uses path_), free the copy and yield
 * call's result, or user_path's error if the copy failed.  The caller
 * includes <kmem.h>.
 */
#define PATHCALL(upath, call) ({					\
	char *path_;							\
	long r_ = user_path((upath), &path_);				\
	if (r_ == 0) {							\
		r_ = (call);						\
		kfree(path_);						\
	}								\
	r_;								\
})

int at_startdir(int dirfd, const char *path, struct vnode **vpp);
int namei_at(int dirfd, const char *path, int flags, struct nameidata *nd);
int kern_mknodat(int dirfd, const char *path, mode_t mode, dev_t dev);
int kern_mkdirat(int dirfd, const char *path, mode_t mode);
int kern_unlinkat(int dirfd, const char *path, int flag);
int kern_renameat2(int fdir, const char *from, int tdir, const char *to,
    unsigned flags);
int kern_symlinkat(const char *target, int dirfd, const char *path);
int kern_readlinkat(int dirfd, const char *path, struct uio *uio);
int kern_linkat(int fdir, const char *from, int tdir, const char *to,
    int flags);
int kern_getdents64(int fd, struct uio *uio);
int kern_fstatat(int dirfd, const char *path, int flag, struct stat *sb);
int kern_chdir(const char *path);
int kern_truncate(const char *path, off_t length);
int kern_utimensat(int dirfd, const char *path, const struct timespec *ts,
    int flags);

/* poll/select wakeups: objects call selwakeup when they become ready. */
struct selinfo {
	struct knlist si_note;		/* kqueue: knotes on the object */
};
/* Wake poll/select sleepers and fire the knotes on si_note (knote()). */
void selwakeup(struct selinfo *sip);
/* Only the poll/select half (kqueue code, which holds kqueue_mtx). */
void selwakeup_poll(void);

/* Vnode files (vfs_vnops.c); pipes (pipe.c); devices (devfs.c). */
extern const struct fileops vnops;
extern const struct fileops pipeops;
extern const struct fileops devfs_ops;
int vn_openfile(struct vnode *vp, int flags, struct file *fp);
int kern_pipe2(int fds[2], int flags);
/* A pipe's owner and mode, as fstat shows them (fchmod, fchown). */
struct vattr;
void pipe_getattr(struct file *fp, struct vattr *va);
void pipe_setattr(struct file *fp, const struct vattr *va);
/* Open the device behind a VCHR vnode into fp. */
int devfs_open_vnode(struct vnode *vp, int flags, struct file *fp);
/* FIFO open: attach fp to the vnode's pipe. */
int fifo_open(struct vnode *vp, int flags, struct file *fp);

/* Random bytes from the kernel CSPRNG (fs/dev_random.c). */
void arc4rand(void *buf, size_t n);


/* The system calls (Linux x86-64 numbers in include/uapi/syscalls.def). */
long sys_read(int fd, void *buf, size_t count);
long sys_write(int fd, const void *buf, size_t count);
long sys_readv(int fd, const struct iovec *iov, int iovcnt);
long sys_writev(int fd, const struct iovec *iov, int iovcnt);
long sys_pread64(int fd, void *buf, size_t count, off_t off);
long sys_pwrite64(int fd, const void *buf, size_t count, off_t off);
long sys_lseek(int fd, off_t off, int whence);
long sys_open(const char *path, int flags, mode_t mode);
long sys_openat(int dirfd, const char *path, int flags, mode_t mode);
long sys_creat(const char *path, mode_t mode);
long sys_close(int fd);
long sys_dup(int fd);
long sys_dup2(int oldfd, int newfd);
long sys_dup3(int oldfd, int newfd, int flags);
long sys_fcntl(int fd, int cmd, unsigned long arg);
long sys_ioctl(int fd, unsigned long cmd, unsigned long arg);
long sys_stat(const char *path, struct stat *sb);
long sys_lstat(const char *path, struct stat *sb);
long sys_fstat(int fd, struct stat *sb);
long sys_newfstatat(int dirfd, const char *path, struct stat *sb, int flag);
long sys_statx(int dirfd, const char *path, int flags, unsigned mask,
    struct statx *sx);
long sys_getdents64(int fd, void *dirp, unsigned count);
long sys_getdents(int fd, void *dirp, unsigned count);
long sys_mkdir(const char *path, mode_t mode);
long sys_mkdirat(int dirfd, const char *path, mode_t mode);
long sys_mknod(const char *path, mode_t mode, dev_t dev);
long sys_mknodat(int dirfd, const char *path, mode_t mode, dev_t dev);
long sys_unlink(const char *path);
long sys_unlinkat(int dirfd, const char *path, int flag);
long sys_rmdir(const char *path);
long sys_rename(const char *from, const char *to);
long sys_renameat(int fdir, const char *from, int tdir, const char *to);
long sys_renameat2(int fdir, const char *from, int tdir, const char *to,
    unsigned flags);
long sys_symlink(const char *target, const char *path);
long sys_symlinkat(const char *target, int dirfd, const char *path);
long sys_readlink(const char *path, char *buf, int bufsiz);
long sys_readlinkat(int dirfd, const char *path, char *buf, int bufsiz);
long sys_link(const char *from, const char *to);
long sys_linkat(int fdir, const char *from, int tdir, const char *to,
    int flags);
long sys_truncate(const char *path, off_t length);
long sys_ftruncate(int fd, off_t length);
long sys_chdir(const char *path);
long sys_fchdir(int fd);
long sys_getcwd(char *buf, size_t size);
long sys_umask(mode_t mask);
long sys_access(const char *path, int mode);
long sys_faccessat(int dirfd, const char *path, int mode);
long sys_faccessat2(int dirfd, const char *path, int mode, int flags);
long sys_chmod(const char *path, mode_t mode);
long sys_fchmod(int fd, mode_t mode);
long sys_fchmodat(int dirfd, const char *path, mode_t mode);
long sys_chown(const char *path, uid_t uid, gid_t gid);
long sys_fchown(int fd, uid_t uid, gid_t gid);
long sys_lchown(const char *path, uid_t uid, gid_t gid);
long sys_fchownat(int dirfd, const char *path, uid_t uid, gid_t gid,
    int flags);
long sys_utimensat(int dirfd, const char *path, const struct timespec *ts,
    int flags);
long sys_utimes(const char *path, const struct timeval *tv);
long sys_utime(const char *path, const int64_t *times);	/* utimbuf */
long sys_statfs(const char *path, struct statfs *buf);
long sys_fstatfs(int fd, struct statfs *buf);
long sys_sendfile(int outfd, int infd, off_t *offset, size_t count);
long sys_poll(struct pollfd *fds, unsigned nfds, int timeout);
long sys_ppoll(struct pollfd *fds, unsigned nfds, const struct timespec *ts,
    const uint64_t *sigmask, size_t sigsetsize);
long sys_select(int nfds, linux_fd_set *rd, linux_fd_set *wr,
    linux_fd_set *ex, struct timeval *tv);
long sys_pselect6(int nfds, linux_fd_set *rd, linux_fd_set *wr,
    linux_fd_set *ex, struct timespec *ts, void *sig);
long sys_mount(const char *source, const char *target, const char *type,
    unsigned long flags, const void *data);
long sys_umount2(const char *target, int flags);
long sys_sync(void);
long sys_fsync(int fd);
long sys_fdatasync(int fd);
long sys_pipe(int *fds);
long sys_pipe2(int *fds, int flags);

#endif /* !_FILE_H_ */
