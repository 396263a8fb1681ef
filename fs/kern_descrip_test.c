/*
 * kern_descrip_test.c: ktests of descriptors and open(2) semantics:
 * dup/dup2/dup3/F_DUPFD sharing one offset, close-on-exec through
 * fdcopy + fdcloseexec, EBADF, the open flags (O_CREAT|O_EXCL, O_TRUNC,
 * O_APPEND, O_DIRECTORY, O_NOFOLLOW), lseek, and mount/umount.
 */
#include <ktest.h>

#include "vfs_test.h"

KTEST(descrip_dup_share_offset)
{
	char buf[8];
	int fd, fd2, fd3;

	KT_EQ(kt_mkfile("/tmp/kt_dup", "abcdef"), 0);
	fd = kt_open("/tmp/kt_dup", O_RDONLY, 0);
	KT_ASSERT(fd >= 0);
	fd2 = sys_dup(fd);
	KT_ASSERT(fd2 > fd);
	KT_EQ(kt_read(fd, buf, 2), 2);
	KT_EQ(kt_read(fd2, buf, 2), 2);		/* shares the offset */
	KT_EQ(buf[0], 'c');
	fd3 = sys_fcntl(fd, F_DUPFD_CLOEXEC, 40);
	KT_EQ(fd3, 40);
	KT_EQ(sys_fcntl(fd3, F_GETFD, 0), FD_CLOEXEC);
	KT_EQ(sys_fcntl(fd2, F_GETFD, 0), 0);
	KT_EQ(sys_dup2(fd, fd2), fd2);		/* replaces fd2 */
	KT_EQ(sys_dup2(fd, fd), fd);
	KT_EQ(sys_dup3(fd, fd, 0), -EINVAL);
	KT_EQ(sys_dup3(fd, fd2, O_CLOEXEC), fd2);
	KT_EQ(sys_fcntl(fd2, F_GETFD, 0), FD_CLOEXEC);
	KT_EQ(sys_dup3(fd, fd2, O_APPEND), -EINVAL);
	KT_EQ(sys_dup(-1), -EBADF);
	KT_EQ(sys_dup2(999, 3), -EBADF);
	KT_EQ(sys_dup2(fd, -1), -EBADF);
	KT_EQ(sys_fcntl(fd, F_DUPFD, -1), -EINVAL);
	KT_EQ(sys_fcntl(fd, 12345, 0), -EINVAL);
	KT_EQ(sys_fcntl(fd, F_GETFL, 0), O_RDONLY);
	KT_EQ(sys_fcntl(fd, F_SETFL, O_APPEND | O_NONBLOCK | O_WRONLY), 0);
	KT_EQ(sys_fcntl(fd, F_GETFL, 0), O_RDONLY | O_APPEND | O_NONBLOCK);
	KT_EQ(kern_close(fd), 0);
	KT_EQ(kern_close(fd), -EBADF);
	KT_EQ(kt_read(fd2, buf, 2), 2);		/* still open through dups */
	KT_EQ(buf[0], 'e');
	KT_EQ(kern_close(fd2), 0);
	KT_EQ(kern_close(fd3), 0);
	KT_EQ(kt_read(fd3, buf, 1), -EBADF);
}

KTEST(descrip_fork_exec_tables)
{
	struct filedesc *fdp, *copy;
	struct file *fp;
	int keep, drop;

	keep = kt_open("/dev/null", O_RDONLY, 0);
	drop = kt_open("/dev/null", O_RDONLY | O_CLOEXEC, 0);
	KT_ASSERT(keep >= 0 && drop >= 0);
	KT_EQ(fget(keep, &fp), 0);
	fdp = fdinit();
	KT_ASSERT(fdp != NULL);
	fdrop(fp);
	copy = fdcopy(NULL);			/* the current table */
	KT_ASSERT(copy != NULL && copy->fd_nfiles > drop);
	KT_ASSERT(copy->fd_ofiles[keep] != NULL);
	KT_ASSERT(copy->fd_ofiles[drop] != NULL);
	KT_EQ(copy->fd_ofiles[keep]->f_count, 2);	/* shared with us */
	fdcloseexec(copy);
	KT_ASSERT(copy->fd_ofiles[keep] != NULL);
	KT_ASSERT(copy->fd_ofiles[drop] == NULL);
	fp = copy->fd_ofiles[keep];
	fdfree(copy);
	KT_EQ(fp->f_count, 1);
	fdfree(fdp);
	KT_EQ(kern_close(keep), 0);
	KT_EQ(kern_close(drop), 0);
}

KTEST(vfs_open_flags)
{
	char buf[16];
	int fd;

	KT_EQ(kern_mkdirat(AT_FDCWD, "/tmp/kt_of", 0755), 0);
	KT_EQ(kt_mkfile("/tmp/kt_of/f", "0123456789"), 0);
	KT_EQ(kern_symlinkat("f", AT_FDCWD, "/tmp/kt_of/l"), 0);
	KT_EQ(kt_open("/tmp/kt_of/f", O_CREAT | O_EXCL | O_WRONLY, 0644),
	    -EEXIST);
	KT_EQ(kt_open("/tmp/kt_of/l", O_CREAT | O_EXCL | O_WRONLY, 0644),
	    -EEXIST);
	KT_EQ(kt_open("/tmp/kt_of/f", O_RDONLY | O_DIRECTORY, 0), -ENOTDIR);
	KT_EQ(kt_open("/tmp/kt_of", O_WRONLY, 0), -EISDIR);
	KT_EQ(kt_open("/tmp/kt_of/new/", O_CREAT | O_WRONLY, 0644), -EISDIR);
	KT_EQ(kt_open("/tmp/kt_of/l", O_RDONLY | O_NOFOLLOW, 0), -ELOOP);
	KT_EQ(kt_open("/tmp/kt_of/missing", O_RDONLY, 0), -ENOENT);
	/* O_CREAT through a dangling symlink creates its target. */
	KT_EQ(kern_symlinkat("made", AT_FDCWD, "/tmp/kt_of/dang"), 0);
	KT_EQ(kt_open("/tmp/kt_of/dang", O_CREAT | O_EXCL | O_WRONLY, 0644),
	    -EEXIST);
	KT_EQ(kt_open("/tmp/kt_of/dang", O_CREAT | O_WRONLY | O_NOFOLLOW,
	    0644), -ELOOP);
	fd = kt_open("/tmp/kt_of/dang", O_CREAT | O_WRONLY, 0644);
	KT_ASSERT(fd >= 0);
	kern_close(fd);
	{
		struct stat sb;

		KT_EQ(kern_fstatat(AT_FDCWD, "/tmp/kt_of/made",
		    AT_SYMLINK_NOFOLLOW, &sb), 0);
		KT_EQ(sb.st_mode & S_IFMT, S_IFREG);
	}
	/* O_APPEND writes at the end whatever the offset. */
	fd = kt_open("/tmp/kt_of/l", O_WRONLY | O_APPEND, 0);
	KT_ASSERT(fd >= 0);
	KT_EQ(sys_lseek(fd, 0, SEEK_SET), 0);
	KT_EQ(kt_write(fd, "ab", 2), 2);
	KT_EQ(sys_lseek(fd, 0, SEEK_CUR), 12);
	KT_EQ(sys_lseek(fd, -13, SEEK_END), -EINVAL);
	KT_EQ(sys_lseek(fd, -2, SEEK_END), 10);
	KT_EQ(sys_lseek(fd, 0, 7), -EINVAL);
	KT_EQ(kt_read(fd, buf, 1), -EBADF);
	kern_close(fd);
	fd = kt_open("/tmp/kt_of/f", O_RDONLY, 0);
	KT_EQ(kt_read(fd, buf, sizeof(buf)), 12);
	KT_ASSERT(memcmp(buf, "0123456789ab", 12) == 0);
	KT_EQ(kt_write(fd, "x", 1), -EBADF);
	kern_close(fd);
	/* O_TRUNC empties it; a new file gets the mode minus umask 022. */
	fd = kt_open("/tmp/kt_of/f", O_RDWR | O_TRUNC, 0);
	KT_EQ(kt_read(fd, buf, sizeof(buf)), 0);
	kern_close(fd);
	fd = kt_open("/tmp/kt_of/g", O_CREAT | O_RDWR, 0777);
	KT_ASSERT(fd >= 0);
	{
		struct stat sb;
		struct file *fp;

		KT_EQ(fget(fd, &fp), 0);
		KT_EQ(fp->f_ops->fo_stat(fp, &sb), 0);
		fdrop(fp);
		KT_EQ(sb.st_mode, S_IFREG | 0755);
		KT_EQ(sb.st_nlink, 1);
		KT_EQ(sb.st_size, 0);
	}
	kern_close(fd);
	KT_EQ(kern_linkat(AT_FDCWD, "/tmp/kt_of/g", AT_FDCWD, "/tmp/kt_of/h",
	    0), 0);
	KT_EQ(kern_linkat(AT_FDCWD, "/tmp/kt_of", AT_FDCWD, "/tmp/kt_of/dl",
	    0), -EPERM);
	KT_EQ(kern_linkat(AT_FDCWD, "/tmp/kt_of/g", AT_FDCWD, "/kt_of_g", 0),
	    -EXDEV);
	{
		struct stat sb;

		KT_EQ(kern_fstatat(AT_FDCWD, "/tmp/kt_of/h", 0, &sb), 0);
		KT_EQ(sb.st_nlink, 2);
		KT_EQ(kern_fstatat(AT_FDCWD, "/tmp/kt_of/l",
		    AT_SYMLINK_NOFOLLOW, &sb), 0);
		KT_EQ(sb.st_mode & S_IFMT, S_IFLNK);
		KT_EQ(kern_fstatat(AT_FDCWD, "/tmp/kt_of/l", 0x8, &sb),
		    -EINVAL);
	}
}

KTEST(vfs_mount_umount)
{
	struct vnode *vp;
	int fd, err;

	KT_EQ(kern_mkdirat(AT_FDCWD, "/tmp/kt_mnt", 0755), 0);
	KT_EQ(vfs_mount("nosuchfs", "/tmp/kt_mnt", NULL, 0), -ENODEV);
	KT_EQ(vfs_mount("tmpfs", "/tmp/kt_mnt/none", NULL, 0), -ENOENT);
	KT_EQ(vfs_mount("tmpfs", "/tmp/kt_mnt", "size=1m", 0), 0);
	KT_EQ(kt_mkfile("/tmp/kt_mnt/inside", "x"), 0);
	vp = kt_namei("/tmp/kt_mnt/inside", 0, NULL, &err);
	KT_ASSERT(vp != NULL);
	KT_ASSERT(vp->v_mount->mnt_root->v_mount == vp->v_mount);
	vrele(vp);
	fd = kt_open("/tmp/kt_mnt/inside", O_RDONLY, 0);
	KT_EQ(vfs_unmount_path("/tmp/kt_mnt", 0), -EBUSY);
	kern_close(fd);
	KT_EQ(vfs_unmount_path("/tmp/kt_mnt/inside", 0), -EINVAL);
	KT_EQ(vfs_unmount_path("/", 0), -EBUSY);
	KT_EQ(vfs_unmount_path("/tmp/kt_mnt", 0), 0);
	/* The covered directory shows again, empty. */
	KT_ASSERT(kt_namei("/tmp/kt_mnt/inside", 0, NULL, &err) == NULL);
	KT_EQ(err, -ENOENT);
	KT_EQ(kern_unlinkat(AT_FDCWD, "/tmp/kt_mnt", AT_REMOVEDIR), 0);
}

KTEST(vfs_times_modes)
{
	struct timespec ts[2] = { { 1000, 5 }, { 2000, UTIME_OMIT } };
	struct stat sb, sb2;
	int fd;

	KT_EQ(kt_mkfile("/tmp/kt_tm", "t"), 0);
	KT_EQ(kern_fstatat(AT_FDCWD, "/tmp/kt_tm", 0, &sb), 0);
	KT_EQ(kern_utimensat(AT_FDCWD, "/tmp/kt_tm", ts, 0), 0);
	KT_EQ(kern_fstatat(AT_FDCWD, "/tmp/kt_tm", 0, &sb2), 0);
	KT_EQ(sb2.st_atim.tv_sec, 1000);
	KT_EQ(sb2.st_atim.tv_nsec, 5);
	KT_EQ(sb2.st_mtim.tv_sec, sb.st_mtim.tv_sec);	/* omitted */
	KT_EQ(sb2.st_mtim.tv_nsec, sb.st_mtim.tv_nsec);
	ts[1].tv_nsec = 1000000000;
	KT_EQ(kern_utimensat(AT_FDCWD, "/tmp/kt_tm", ts, 0), -EINVAL);
	KT_EQ(kern_utimensat(AT_FDCWD, "/tmp/kt_tm", NULL, 0x2), -EINVAL);
	KT_EQ(kern_utimensat(AT_FDCWD, "/tmp/kt_tm", NULL, 0), 0);
	KT_EQ(kern_fstatat(AT_FDCWD, "/tmp/kt_tm", 0, &sb2), 0);
	KT_ASSERT(sb2.st_mtim.tv_sec >= sb.st_mtim.tv_sec &&
	    sb2.st_atim.tv_sec > 1000);
	fd = kt_open("/tmp/kt_tm", O_RDONLY, 0);
	KT_EQ(sys_fchmod(fd, 04751), 0);
	KT_EQ(sys_fstat(fd, NULL), -EFAULT);
	KT_EQ(kern_fstatat(fd, "", AT_EMPTY_PATH, &sb2), 0);
	KT_EQ(sb2.st_mode, S_IFREG | 04751);
	KT_EQ(sys_fchown(fd, 12, 34), 0);
	KT_EQ(kern_fstatat(AT_FDCWD, "/tmp/kt_tm", 0, &sb2), 0);
	KT_EQ(sb2.st_uid, 12);
	KT_EQ(sb2.st_gid, 34);
	KT_EQ(kern_fstatat(fd, "x", 0, &sb2), -ENOTDIR);
	KT_EQ(sys_ftruncate(fd, 0), -EINVAL);	/* read-only */
	kern_close(fd);
}
