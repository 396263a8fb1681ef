/*
 * user/bench/b_file.c: file write and read through the page cache.
 *
 *   file_write  64 MiB written in 64 KiB writes to a new file in /tmp
 *               (ramfs on Mica, the initramfs's tmpfs/ramfs on Linux)
 *   file_read   the same 64 MiB read back in 64 KiB reads
 *
 * Values are MB/s (10^6 bytes per second): higher is better.
 */
#include <fcntl.h>
#include <unistd.h>

#include "bench.h"

#define PATH	"/tmp/bench.file"
#define CHUNK	65536

static char buf[CHUNK];

int
main(int argc, char **argv)
{
	double vw[9], vr[9], t0;
	long len, off;
	int fd, r;

	bench_init(argc, argv);
	len = bench_mb() << 20;
	memset(buf, 'b', sizeof(buf));
	for (r = 0; r < bench_rounds(); r++) {
		unlink(PATH);
		fd = open(PATH, O_RDWR | O_CREAT | O_TRUNC, 0644);
		if (fd < 0) {
			bench_fail("file_write", "open " PATH);
			return (1);
		}
		t0 = bench_now();
		for (off = 0; off < len; off += CHUNK)
			if (write(fd, buf, CHUNK) != CHUNK) {
				bench_fail("file_write", "write");
				return (1);
			}
		vw[r] = len / ((bench_now() - t0) / 1e9) / 1e6;
		if (lseek(fd, 0, SEEK_SET) != 0) {
			bench_fail("file_read", "lseek");
			return (1);
		}
		t0 = bench_now();
		for (off = 0; off < len; off += CHUNK)
			if (read(fd, buf, CHUNK) != CHUNK) {
				bench_fail("file_read", "read");
				return (1);
			}
		vr[r] = len / ((bench_now() - t0) / 1e9) / 1e6;
		close(fd);
	}
	unlink(PATH);
	bench_print("file_write", bench_median(vw, bench_rounds()), "MB/s");
	bench_print("file_read", bench_median(vr, bench_rounds()), "MB/s");
	return (bench_failed);
}
