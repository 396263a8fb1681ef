/*
 * uio.h: a description of an I/O transfer (FreeBSD struct uio).
 *
 * read/write/readv/pread and device and file-system code all move data
 * through a uio: a list of iovecs in user or kernel space, the file offset
 * and the bytes left.  uiomove copies between a kernel buffer and the
 * uio's current position, advancing it; a bad user pointer gives -EFAULT.
 */
#ifndef _UIO_H_
#define _UIO_H_

#include <types.h>

struct iovec {
	void *iov_base;
	size_t iov_len;
};

enum uio_seg { UIO_USERSPACE, UIO_SYSSPACE };
enum uio_rw { UIO_READ, UIO_WRITE };

struct uio {
	struct iovec *uio_iov;
	int uio_iovcnt;
	off_t uio_offset;
	ssize_t uio_resid;	/* bytes still to move */
	enum uio_seg uio_segflg;
	enum uio_rw uio_rw;	/* UIO_READ: kernel -> uio buffer */
};

/* Copy up to n bytes between cp and the uio; 0 or -EFAULT. */
int uiomove(void *cp, size_t n, struct uio *uio);

#define UIO_MAXIOV	1024	/* IOV_MAX */
#define MAX_RW_COUNT	0x7ffff000L	/* one transfer at most (Linux): INT_MAX
					 * rounded down to pages */

#endif /* !_UIO_H_ */
