/*
 * uapi/poll.h: poll(2) events and struct pollfd, select(2) fd_set.
 */
#ifndef _UAPI_POLL_H_
#define _UAPI_POLL_H_

#include <types.h>

#define POLLIN		0x0001
#define POLLPRI		0x0002
#define POLLOUT		0x0004
#define POLLERR		0x0008
#define POLLHUP		0x0010
#define POLLNVAL	0x0020
#define POLLRDNORM	0x0040
#define POLLRDBAND	0x0080
#define POLLWRNORM	0x0100
#define POLLWRBAND	0x0200
#define POLLRDHUP	0x2000

struct pollfd {
	int fd;
	short events;
	short revents;
};

#define FD_SETSIZE	1024
typedef struct {
	uint64_t fds_bits[FD_SETSIZE / 64];
} linux_fd_set;

#endif /* !_UAPI_POLL_H_ */
