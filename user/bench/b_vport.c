/*
 * user/bench/b_vport.c: raw virtio-serial port bandwidth.
 *
 *   vport_write   64 MiB written in 64 KiB writes to the first port
 *                 /dev/vport*p1 (tools/bench gives both kernels a
 *                 virtserialport backed by a host file), MB/s
 *
 * The reference for the 9P-over-virtio-serial rows, which Linux cannot
 * run (no such 9P transport): the same port carried raw.  Without a port
 * it reports n/a.
 */
#include <fcntl.h>
#include <glob.h>
#include <unistd.h>

#include "bench.h"

#define CHUNK	65536

static char buf[CHUNK];

int
main(int argc, char **argv)
{
	double v[9], t0;
	long len, off, n;
	glob_t g;
	int fd, r;

	bench_init(argc, argv);
	if (glob("/dev/vport*p1", 0, NULL, &g) != 0 || g.gl_pathc == 0) {
		bench_na("vport_write", "no-port");
		return (0);
	}
	fd = open(g.gl_pathv[0], O_WRONLY);
	if (fd < 0) {
		bench_fail("vport_write", g.gl_pathv[0]);
		return (1);
	}
	len = bench_mb() << 20;
	memset(buf, 'v', sizeof(buf));
	for (r = 0; r < bench_rounds(); r++) {
		t0 = bench_now();
		/* A port write may be short (Linux takes 32 KiB at most). */
		for (off = 0; off < len; off += n) {
			n = write(fd, buf, len - off < CHUNK ? len - off : CHUNK);
			if (n <= 0) {
				bench_fail("vport_write", "write");
				return (1);
			}
		}
		v[r] = len / ((bench_now() - t0) / 1e9) / 1e6;
	}
	close(fd);
	bench_print("vport_write", bench_median(v, bench_rounds()), "MB/s");
	return (bench_failed);
}
