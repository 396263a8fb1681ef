/*
 * user/bench/b_event.c: waiting for one ready descriptor among many.
 *
 *   kevent1, kevent10k  kevent() with a zero timeout on a kqueue watching
 *                       1 or 10,000 pipes (EVFILT_READ), exactly one of
 *                       them readable: the call returns that one event
 *   epoll1, epoll10k    the same with epoll_wait() (Linux's counterpart;
 *                       n/a where epoll is missing)
 *   poll1, poll1k       poll() on 1 or 1,000 pipe read ends, one readable
 *
 * kqueue is Mica's (system calls 1000-1003, user/include/sys/event.h); on
 * Linux kqueue() fails with ENOSYS and the kevent rows say n/a.  The
 * layout below is Mica's struct kevent (FreeBSD 12's), used when the
 * header is not there yet.
 */
#include <poll.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench.h"

#if __has_include(<sys/event.h>)
#include <sys/event.h>
#else
#define SYS_kqueue	1000
#define SYS_kevent	1001
#define EVFILT_READ	(-1)
#define EV_ADD		0x0001
struct kevent {
	uint64_t	ident;
	int16_t		filter;
	uint16_t	flags;
	uint32_t	fflags;
	int64_t		data;
	void		*udata;
	uint64_t	ext[4];
};
static int
kqueue(void)
{
	return ((int)syscall(SYS_kqueue));
}
static int
kevent(int kq, const struct kevent *ch, int nch, struct kevent *ev, int nev,
    const struct timespec *ts)
{
	return ((int)syscall(SYS_kevent, kq, ch, nch, ev, nev, ts));
}
#endif

#define NBIG	10000

static int (*pfd)[2];		/* the pipes; the last one has a byte */
static int npipes;
static int qfd;			/* the kqueue or epoll descriptor */
static struct pollfd *pollv;
static int npoll;

/* Make n pipes (reusing those already made), the last one readable. */
static int
mkpipes(int n)
{
	char c = 'x';

	if (bench_nofile(2L * n + 64) != 0) {
		bench_fail("pipes", "setrlimit RLIMIT_NOFILE");
		return (-1);
	}
	if (npipes > 0)
		read(pfd[npipes - 1][0], &c, 1);
	pfd = realloc(pfd, sizeof(*pfd) * n);
	for (; npipes < n; npipes++)
		if (pipe(pfd[npipes]) != 0) {
			bench_fail("pipes", "pipe");
			return (-1);
		}
	npipes = n;
	if (write(pfd[n - 1][1], &c, 1) != 1) {
		bench_fail("pipes", "write");
		return (-1);
	}
	return (0);
}

static int
b_kevent(void *arg, long n)
{
	struct timespec zero = { 0, 0 };
	struct kevent ev;

	while (n-- > 0)
		if (kevent(qfd, NULL, 0, &ev, 1, &zero) != 1) {
			bench_fail("kevent", "kevent did not return 1");
			return (-1);
		}
	return (0);
}

static int
b_epoll(void *arg, long n)
{
	struct epoll_event ev;

	while (n-- > 0)
		if (epoll_wait(qfd, &ev, 1, 0) != 1) {
			bench_fail("epoll", "epoll_wait did not return 1");
			return (-1);
		}
	return (0);
}

static int
b_poll(void *arg, long n)
{
	while (n-- > 0)
		if (poll(pollv, npoll, 0) != 1) {
			bench_fail("poll", "poll did not return 1");
			return (-1);
		}
	return (0);
}

static void
run_kevent(const char *name, int n)
{
	struct kevent kev;
	int i;

	if (mkpipes(n) != 0)
		return;
	qfd = kqueue();
	if (qfd < 0) {
		bench_na(name, "no-kqueue");
		return;
	}
	for (i = 0; i < n; i++) {
		memset(&kev, 0, sizeof(kev));
		kev.ident = pfd[i][0];
		kev.filter = EVFILT_READ;
		kev.flags = EV_ADD;
		if (kevent(qfd, &kev, 1, NULL, 0, NULL) != 0) {
			bench_fail(name, "EV_ADD");
			close(qfd);
			return;
		}
	}
	bench_latency(name, b_kevent, NULL);
	close(qfd);
}

static void
run_epoll(const char *name, int n)
{
	struct epoll_event ev;
	int i;

	if (mkpipes(n) != 0)
		return;
	qfd = epoll_create1(0);
	if (qfd < 0) {
		bench_na(name, "no-epoll");
		return;
	}
	for (i = 0; i < n; i++) {
		memset(&ev, 0, sizeof(ev));
		ev.events = EPOLLIN;
		ev.data.fd = pfd[i][0];
		if (epoll_ctl(qfd, EPOLL_CTL_ADD, pfd[i][0], &ev) != 0) {
			bench_fail(name, "EPOLL_CTL_ADD");
			close(qfd);
			return;
		}
	}
	bench_latency(name, b_epoll, NULL);
	close(qfd);
}

static void
run_poll(const char *name, int n)
{
	int i;

	if (mkpipes(n) != 0)
		return;
	pollv = realloc(pollv, sizeof(*pollv) * n);
	for (i = 0; i < n; i++) {
		pollv[i].fd = pfd[i][0];
		pollv[i].events = POLLIN;
		pollv[i].revents = 0;
	}
	npoll = n;
	bench_latency(name, b_poll, NULL);
}

int
main(int argc, char **argv)
{
	bench_init(argc, argv);
	run_poll("poll1", 1);
	run_kevent("kevent1", 1);
	run_epoll("epoll1", 1);
	run_poll("poll1k", 1000);
	run_kevent("kevent10k", NBIG);
	run_epoll("epoll10k", NBIG);
	return (bench_failed);
}
