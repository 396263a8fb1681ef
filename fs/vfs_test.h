/*
 * vfs_test.h: small helpers shared by the file-system ktests (fs/NAME_test.c):
 * read and write through descriptors with kernel buffers, look a path up.
 */
#ifndef _VFS_TEST_H_
#define _VFS_TEST_H_

#include <file.h>
#include <libkern.h>
#include <vnode.h>

static inline ssize_t
kt_read(int fd, void *buf, size_t n)
{
	struct iovec iov = { buf, n };
	struct uio uio = { &iov, 1, 0, (ssize_t)n, UIO_SYSSPACE, UIO_READ };

	return (kern_readv(fd, &uio, 0));
}

static inline ssize_t
kt_write(int fd, const void *buf, size_t n)
{
	struct iovec iov = { (void *)buf, n };
	struct uio uio = { &iov, 1, 0, (ssize_t)n, UIO_SYSSPACE, UIO_WRITE };

	return (kern_writev(fd, &uio, 0));
}

static inline int
kt_open(const char *path, int flags, mode_t mode)
{
	return (kern_openat(AT_FDCWD, path, UIO_SYSSPACE, flags, mode));
}

/* namei(path) -> referenced vnode or NULL; *err gets the errno. */
static inline struct vnode *
kt_namei(const char *path, int flags, struct vnode *start, int *err)
{
	struct nameidata nd;

	ni_init(&nd, path, flags, start);
	*err = namei(&nd);
	return (*err == 0 ? nd.ni_vp : NULL);
}

/* Write a whole file (created or truncated); 0 or errno. */
static inline int
kt_mkfile(const char *path, const char *data)
{
	int fd = kt_open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	ssize_t n;

	if (fd < 0)
		return (fd);
	n = kt_write(fd, data, strlen(data));
	kern_close(fd);
	return (n < 0 ? (int)n : 0);
}

#endif /* !_VFS_TEST_H_ */
