/*
 * mmap_bench.c: the costs issue 4 asks for, measured from user space.
 *
 *   mmap_bench [DIR]      (DIR for the test file, default /tmp)
 *
 * - page fault: ns per page for the first write to each page of 64 MiB of
 *   anonymous memory, and for the first read of each page of a 64 MiB
 *   MAP_SHARED file mapping whose pages are already in the page cache;
 * - mmap+munmap: ns per pair for 1 MiB anonymous (MAP_PRIVATE) and 1 MiB
 *   of the file (MAP_SHARED), with 10 and with 10,000 other mappings in
 *   the address space (one-page mappings with alternating protections, so
 *   that none merge).
 * The MAP_FIXED variants place the mapping at a known free address, which
 * separates the cost of the map operations from the search for space.
 * One line per figure: `name value unit`.  A static Linux program: the
 * same binary runs on Linux for comparison.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define MIB		(1024L * 1024)
#define FAULT_BYTES	(64 * MIB)
#define ROUNDS		2000

static long pg;

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec * 1e9 + ts.tv_nsec);
}

static void
die(const char *what)
{
	perror(what);
	exit(1);
}

static void
fault_anon(void)
{
	char *p;
	double t;

	p = mmap(NULL, FAULT_BYTES, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		die("mmap anon");
	t = now_ns();
	for (long off = 0; off < FAULT_BYTES; off += pg)
		p[off] = 1;
	t = now_ns() - t;
	printf("fault_anon_64MiB %.0f ns/page\n", t / (FAULT_BYTES / pg));
	munmap(p, FAULT_BYTES);
}

static void
fault_file(int fd)
{
	volatile char *p;
	double t;
	long sum = 0;

	p = mmap(NULL, FAULT_BYTES, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap file");
	t = now_ns();
	for (long off = 0; off < FAULT_BYTES; off += pg)
		sum += p[off];
	t = now_ns() - t;
	printf("fault_file_64MiB %.0f ns/page\n", t / (FAULT_BYTES / pg));
	munmap((void *)p, FAULT_BYTES);
}

/*
 * ns per mmap+munmap of 1 MiB (fd < 0: anonymous); at a fixed address
 * (MAP_FIXED at a free place) when at != NULL, which leaves out the search
 * for a free range.
 */
static double
map_unmap(int fd, void *at)
{
	int fl = at != NULL ? MAP_FIXED : 0;
	double t;
	void *p;

	t = now_ns();
	for (int i = 0; i < ROUNDS; i++) {
		p = fd < 0 ? mmap(at, MIB, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | fl, -1, 0) :
		    mmap(at, MIB, PROT_READ | PROT_WRITE, MAP_SHARED | fl, fd,
		    0);
		if (p == MAP_FAILED)
			die("mmap 1 MiB");
		if (munmap(p, MIB) != 0)
			die("munmap");
	}
	return ((now_ns() - t) / ROUNDS);
}

/* Bring the number of filler mappings up to n. */
static void
fill_to(int n)
{
	static int have;

	for (; have < n; have++)
		if (mmap(NULL, pg, (have & 1) ? PROT_READ :
		    PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		    0) == MAP_FAILED)
			die("filler mmap");
}

int
main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "/tmp";
	char path[256], *buf;
	void *at;
	int fd;

	setvbuf(stdout, NULL, _IONBF, 0);
	pg = sysconf(_SC_PAGESIZE);
	snprintf(path, sizeof(path), "%s/mmap_bench.%d", dir, (int)getpid());
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		die("open");
	unlink(path);
	buf = calloc(1, MIB);
	for (long i = 0; i < FAULT_BYTES / MIB; i++)
		if (write(fd, buf, MIB) != MIB)
			die("write");
	free(buf);

	fault_anon();
	fault_file(fd);
	/* A free 1 MiB for the MAP_FIXED runs, far below the fillers. */
	at = mmap(NULL, 64 * MIB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
	    0);
	if (at == MAP_FAILED)
		die("mmap reserve");
	munmap(at, 64 * MIB);
	fill_to(10);
	for (int k = 0; k < 2; k++) {
		int n = k == 0 ? 10 : 10000;

		fill_to(n);
		printf("mmap_munmap_anon_1MiB_%dmaps %.0f ns\n", n,
		    map_unmap(-1, NULL));
		printf("mmap_munmap_file_1MiB_%dmaps %.0f ns\n", n,
		    map_unmap(fd, NULL));
		printf("mmap_munmap_anon_1MiB_fixed_%dmaps %.0f ns\n", n,
		    map_unmap(-1, at));
		printf("mmap_munmap_file_1MiB_fixed_%dmaps %.0f ns\n", n,
		    map_unmap(fd, at));
	}
	close(fd);
	return (0);
}
