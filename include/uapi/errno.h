/*
 * uapi/errno.h: Linux errno values, the ones user space sees.
 *
 * Kernel functions and system call handlers return these negated (-ENOENT).
 * ERESTART is internal: a system call interrupted by a signal whose handler
 * has SA_RESTART is restarted instead of failing with EINTR; it never
 * reaches user space.
 */
#ifndef _UAPI_ERRNO_H_
#define _UAPI_ERRNO_H_

#define EPERM		1
#define ENOENT		2
#define ESRCH		3
#define EINTR		4
#define EIO		5
#define ENXIO		6
#define E2BIG		7
#define ENOEXEC		8
#define EBADF		9
#define ECHILD		10
#define EAGAIN		11
#define EWOULDBLOCK	EAGAIN
#define ENOMEM		12
#define EACCES		13
#define EFAULT		14
#define ENOTBLK		15
#define EBUSY		16
#define EEXIST		17
#define EXDEV		18
#define ENODEV		19
#define ENOTDIR		20
#define EISDIR		21
#define EINVAL		22
#define ENFILE		23
#define EMFILE		24
#define ENOTTY		25
#define ETXTBSY		26
#define EFBIG		27
#define ENOSPC		28
#define ESPIPE		29
#define EROFS		30
#define EMLINK		31
#define EPIPE		32
#define EDOM		33
#define ERANGE		34
#define EDEADLK		35
#define ENAMETOOLONG	36
#define ENOLCK		37
#define ENOSYS		38
#define ENOTEMPTY	39
#define ELOOP		40
#define ENOMSG		42
#define EIDRM		43
#define ENOSTR		60
#define ENODATA		61
#define ETIME		62
#define EPROTO		71
#define EOVERFLOW	75
#define EBADFD		77
#define EILSEQ		84
#define ENOTSOCK	88
#define EDESTADDRREQ	89
#define EMSGSIZE	90
#define EPROTOTYPE	91
#define ENOPROTOOPT	92
#define EPROTONOSUPPORT	93
#define EOPNOTSUPP	95
#define ENOTSUP		EOPNOTSUPP
#define EAFNOSUPPORT	97
#define EADDRINUSE	98
#define ECONNRESET	104
#define ENOBUFS		105
#define EISCONN		106
#define ENOTCONN	107
#define ETIMEDOUT	110
#define ECONNREFUSED	111
#define EALREADY	114
#define EINPROGRESS	115
#define ECANCELED	125

#define ERESTART	512	/* internal: restart the system call */
#define EJUSTRETURN	513	/* internal: the handler set the frame (sigreturn) */

#endif /* !_UAPI_ERRNO_H_ */
