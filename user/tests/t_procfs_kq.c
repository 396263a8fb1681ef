/*
 * t_procfs_kq.c: kqueue EVFILT_READ on /proc files reports them readable
 * as regular files are (data: the bytes from the offset to the end of the
 * snapshot taken at open), and no longer once they are read to the end.
 * Linux has no kqueue: on the host this reports one skip line.
 */
#include <fcntl.h>

#include "kq.h"

int
main(void)
{
	struct kevent ev[2];
	char buf[8192];
	ssize_t n, total = 0;
	int kq, fd;

	t_init();
	kq_require("procfs-kq");
	kq = kqueue();
	fd = open("/proc/self/status", O_RDONLY);
	CHECK("open", fd >= 0);
	CHECK_EQ("add", kq_change(kq, fd, EVFILT_READ, EV_ADD, 0, 0, NULL),
	    0);
	n = kq_poll(kq, ev, 2);
	CHECK_EQ("readable-at-open", n, 1);
	CHECK("data-is-size", n == 1 && ev[0].data > 200);
	n = read(fd, buf, 100);
	CHECK_EQ("read-100", n, 100);
	total = n;
	n = kq_poll(kq, ev, 2);
	CHECK("data-after-100", n == 1 && ev[0].data > 100);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		total += n;
	CHECK_EQ("at-eof-no-event", kq_poll(kq, ev, 2), 0);
	close(fd);
	fd = open("/proc/meminfo", O_RDONLY);
	kq_change(kq, fd, EVFILT_READ, EV_ADD, 0, 0, NULL);
	n = kq_poll(kq, ev, 2);
	CHECK("meminfo-readable", n == 1 && ev[0].ident == (uintptr_t)fd);
	close(fd);
	close(kq);
	return (t_done());
}
