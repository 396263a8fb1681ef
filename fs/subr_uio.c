/*
 * subr_uio.c: uiomove, the one place where file data crosses between a
 * kernel buffer and a struct uio (FreeBSD kern/subr_uio.c).
 *
 * The uio says which way (uio_rw) and whose memory (uio_segflg); user
 * memory goes through copyin/copyout so a bad pointer is -EFAULT.  On a
 * fault the uio has advanced over what was copied before it.
 */
#include <libkern.h>
#include <trap.h>
#include <uapi/errno.h>
#include <uio.h>

int
uiomove(void *cp, size_t n, struct uio *uio)
{
	char *kp = cp;
	int error = 0;

	while (n > 0 && uio->uio_resid > 0 && uio->uio_iovcnt > 0) {
		struct iovec *iov = uio->uio_iov;
		size_t cnt = MIN(iov->iov_len, n);

		if (iov->iov_len == 0) {
			uio->uio_iov++;
			uio->uio_iovcnt--;
			continue;
		}
		if (uio->uio_segflg == UIO_SYSSPACE) {
			if (uio->uio_rw == UIO_READ)
				memcpy(iov->iov_base, kp, cnt);
			else
				memcpy(kp, iov->iov_base, cnt);
		} else if (uio->uio_rw == UIO_READ)
			error = copyout(kp, iov->iov_base, cnt);
		else
			error = copyin(iov->iov_base, kp, cnt);
		if (error != 0)
			return (error);
		iov->iov_base = (char *)iov->iov_base + cnt;
		iov->iov_len -= cnt;
		uio->uio_resid -= cnt;
		uio->uio_offset += cnt;
		kp += cnt;
		n -= cnt;
	}
	return (0);
}
