/*
 * kevent_bench.c: kevent latency with 1 and with 10,000 registered pipes,
 * one of them readable.  Each call polls ({0, 0} timeout) and collects
 * the one pending event; a figure is the mean over NCALLS calls (ns per
 * call, CLOCK_MONOTONIC), and the best of ROUNDS rounds, taken in turn
 * for the two kqueues, is reported (the CPU is shared: the minimum is
 * the least disturbed).  With an active queue the two figures should be
 * close: the cost follows the events returned, not those registered.
 *
 *   kevent_bench [NPIPES] [NCALLS]     defaults 10000 and 10000
 *
 * Needs RLIMIT_NOFILE above 2 * NPIPES (it raises it; root in Mica).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/event.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS	5

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec);
}

/* A kqueue watching npipes pipes, the last one readable. */
static int
setup(int npipes)
{
	struct kevent kev;
	int kq = kqueue(), p[2];

	if (kq < 0) {
		perror("kqueue");
		exit(1);
	}
	for (int i = 0; i < npipes; i++) {
		if (pipe(p) != 0) {
			perror("pipe");
			exit(1);
		}
		EV_SET(&kev, p[0], EVFILT_READ, EV_ADD, 0, 0, NULL);
		if (kevent(kq, &kev, 1, NULL, 0, NULL) != 0) {
			perror("kevent");
			exit(1);
		}
		if (i == npipes - 1)
			write(p[1], "x", 1);
	}
	return (kq);
}

static double
measure(int kq, int ncalls)
{
	struct timespec zero = { 0, 0 };
	struct kevent ev[8];
	uint64_t t0;

	for (int i = 0; i < 100; i++)		/* warm up */
		kevent(kq, NULL, 0, ev, 8, &zero);
	t0 = now_ns();
	for (int i = 0; i < ncalls; i++) {
		if (kevent(kq, NULL, 0, ev, 8, &zero) != 1) {
			fprintf(stderr, "kevent: expected 1 event\n");
			exit(1);
		}
	}
	return ((double)(now_ns() - t0) / ncalls);
}

int
main(int argc, char **argv)
{
	int npipes = argc > 1 ? atoi(argv[1]) : 10000;
	int ncalls = argc > 2 ? atoi(argv[2]) : 10000;
	struct rlimit rl = { 2 * npipes + 100, 2 * npipes + 100 };
	double one = 0, many = 0, t;
	int kq1, kqn;

	if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
		perror("setrlimit");
	kq1 = setup(1);
	kqn = setup(npipes);
	for (int r = 0; r < ROUNDS; r++) {
		t = measure(kq1, ncalls);
		one = (r == 0 || t < one) ? t : one;
		t = measure(kqn, ncalls);
		many = (r == 0 || t < many) ? t : many;
	}
	printf("kevent: %.0f ns/call with 1 registered pipe\n", one);
	printf("kevent: %.0f ns/call with %d registered pipes (one active)\n",
	    many, npipes);
	printf("kevent: ratio %.2f (must be < 2)\n", many / one);
	return (many < 2 * one ? 0 : 1);
}
