/*
 * user/bench/bench.h: the timing harness shared by the benchmarks.
 *
 * Every benchmark program times an operation with
 * clock_gettime(CLOCK_MONOTONIC) and prints one machine-readable line per
 * result, `bench NAME VALUE UNIT`, which tools/bench collects from Mica and
 * from Linux booted the same way.  The one idea: a result is the median of
 * several rounds, and a round of a latency benchmark runs as many
 * iterations as fit in a target time (calibrated by doubling), so the same
 * binary gives stable numbers on a fast host and on a slow emulator.
 *
 * Modes (first argument): none = full, `-q` = quick (shorter rounds),
 * `-s` = smoke (one tiny round, for `make test`: checks that it runs, not
 * how fast).  bench_mb() scales the sizes of the bulk benchmarks the same
 * way (64 MiB full, 16 MiB quick, 1 MiB smoke).
 */
#ifndef BENCH_H
#define BENCH_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

enum { BENCH_FULL, BENCH_QUICK, BENCH_SMOKE };
static int bench_mode = BENCH_FULL;
static int bench_failed;

static inline double
bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec * 1e9 + (double)ts.tv_nsec);
}

static inline void
bench_init(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "-q") == 0)
		bench_mode = BENCH_QUICK;
	else if (argc > 1 && strcmp(argv[1], "-s") == 0)
		bench_mode = BENCH_SMOKE;
	setvbuf(stdout, NULL, _IOLBF, 0);
}

static inline int
bench_rounds(void)
{
	return (bench_mode == BENCH_SMOKE ? 1 : bench_mode == BENCH_QUICK ?
	    3 : 5);
}

/* Size in MiB of the bulk benchmarks (page faults, page cache, 9P). */
static inline long
bench_mb(void)
{
	return (bench_mode == BENCH_SMOKE ? 1 : bench_mode == BENCH_QUICK ?
	    16 : 64);
}

static inline int
bench_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x < y ? -1 : x > y);
}

static inline double
bench_median(double *v, int n)
{
	qsort(v, n, sizeof(*v), bench_cmp);
	return (n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2);
}

static inline void
bench_print(const char *name, double value, const char *unit)
{
	printf("bench %s %.1f %s\n", name, value, unit);
}

/* A benchmark that cannot run here (no such call): say so, not a failure. */
static inline void
bench_na(const char *name, const char *why)
{
	printf("bench %s n/a %s\n", name, why);
}

static inline void
bench_fail(const char *name, const char *what)
{
	printf("bench-error %s: %s: %s\n", name, what, strerror(errno));
	bench_failed = 1;
}

/*
 * Time fn(arg, n) (which runs the operation n times) and print the median
 * nanoseconds per operation.  fn returns 0, or -1 after bench_fail().
 */
typedef int bench_fn(void *arg, long n);

static inline void
bench_latency(const char *name, bench_fn *fn, void *arg)
{
	double target, t0, t, v[9];
	long n;
	int r;

	if (bench_mode == BENCH_SMOKE) {
		t0 = bench_now();
		if (fn(arg, 3) != 0)
			return;
		bench_print(name, (bench_now() - t0) / 3, "ns");
		return;
	}
	target = bench_mode == BENCH_QUICK ? 30e6 : 100e6;
	/* Calibrate: double n until one run takes a tenth of the target. */
	for (n = 1;; n *= 2) {
		t0 = bench_now();
		if (fn(arg, n) != 0)
			return;
		t = bench_now() - t0;
		if (t >= target / 10 || n >= (1L << 30))
			break;
	}
	n = (long)(n * (target / (t > 1 ? t : 1)));
	if (n < 1)
		n = 1;
	for (r = 0; r < bench_rounds(); r++) {
		t0 = bench_now();
		if (fn(arg, n) != 0)
			return;
		v[r] = (bench_now() - t0) / n;
	}
	bench_print(name, bench_median(v, bench_rounds()), "ns");
}

/* Raise RLIMIT_NOFILE to at least want descriptors; 0 or -1. */
static inline int
bench_nofile(long want)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return (-1);
	if ((long)rl.rlim_cur >= want)
		return (0);
	rl.rlim_cur = want;
	if ((long)rl.rlim_max < want)
		rl.rlim_max = want;
	return (setrlimit(RLIMIT_NOFILE, &rl));
}

#endif
