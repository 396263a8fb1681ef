/*
 * user/bench/b_vm.c: virtual memory.
 *
 *   fault     first touch of an anonymous page, per 4 KiB page, 64 MiB
 *             touched per round (MADV_NOHUGEPAGE, so that Linux's
 *             transparent huge pages do not turn 512 faults into one)
 *   mmap1m    mmap of 1 MiB anonymous, touch every page, munmap
 *   mprotect  mprotect of one page in a map of 10,000 entries (alternate
 *             pages read-only), back and forth: merges and splits entries
 */
#include <sys/mman.h>
#include <unistd.h>

#include "bench.h"

#define PG	4096L
#define NENT	10000L

static char *mpbase;

static int
b_mmap1m(void *arg, long n)
{
	char *p;
	long i;

	while (n-- > 0) {
		p = mmap(NULL, 1L << 20, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			bench_fail("mmap1m", "mmap");
			return (-1);
		}
		for (i = 0; i < (1L << 20); i += PG)
			p[i] = 1;
		munmap(p, 1L << 20);
	}
	return (0);
}

static int
b_mprotect(void *arg, long n)
{
	char *pg = mpbase + (NENT / 2) * PG;	/* an even (writable) page */

	for (; n > 0; n -= 2) {
		if (mprotect(pg, PG, PROT_READ) != 0 ||
		    mprotect(pg, PG, PROT_READ | PROT_WRITE) != 0) {
			bench_fail("mprotect", "mprotect");
			return (-1);
		}
	}
	return (0);
}

static void
fault(void)
{
	long len = bench_mb() << 20, i;
	double v[9], t0;
	char *p;
	int r;

	for (r = 0; r < bench_rounds(); r++) {
		p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			bench_fail("fault", "mmap");
			return;
		}
		madvise(p, len, MADV_NOHUGEPAGE);	/* errors do not matter */
		t0 = bench_now();
		for (i = 0; i < len; i += PG)
			p[i] = 1;
		v[r] = (bench_now() - t0) / (len / PG);
		munmap(p, len);
	}
	bench_print("fault", bench_median(v, bench_rounds()), "ns");
}

int
main(int argc, char **argv)
{
	long i;

	bench_init(argc, argv);
	fault();
	bench_latency("mmap1m", b_mmap1m, NULL);

	mpbase = mmap(NULL, NENT * PG, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mpbase == MAP_FAILED) {
		bench_fail("mprotect", "mmap");
		return (1);
	}
	for (i = 1; i < NENT; i += 2)
		if (mprotect(mpbase + i * PG, PG, PROT_READ) != 0) {
			bench_fail("mprotect", "building the map");
			return (1);
		}
	bench_latency("mprotect", b_mprotect, NULL);
	return (bench_failed);
}
