/*
 * user/bench/b_9p.c: sequential read and write of a file on a 9P mount.
 *
 *   9p_write_DEV, 9p_read_DEV   64 MiB in 64 KiB requests, MB/s
 *
 * b_9p DIR DEV [-q|-s]: DIR is where the host share is mounted (the runner
 * mounts it), DEV names the transport in the result (virtio9p, vserial).
 * Without a mounted DIR it reports n/a: the 9P client is not in every
 * kernel yet.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench.h"

#define CHUNK	65536

static char buf[CHUNK];

int
main(int argc, char **argv)
{
	char path[256], wname[64], rname[64];
	double vw[9], vr[9], t0;
	struct stat st, pst;
	long len, off;
	int fd, r;

	if (argc < 3) {
		fprintf(stderr, "usage: b_9p DIR DEV [-q|-s]\n");
		return (2);
	}
	bench_init(argc - 2, argv + 2);
	snprintf(wname, sizeof(wname), "9p_write_%s", argv[2]);
	snprintf(rname, sizeof(rname), "9p_read_%s", argv[2]);
	snprintf(path, sizeof(path), "%s/..", argv[1]);
	if (stat(argv[1], &st) != 0 || stat(path, &pst) != 0 ||
	    st.st_dev == pst.st_dev) {
		bench_na(wname, "not-mounted");
		bench_na(rname, "not-mounted");
		return (0);
	}
	snprintf(path, sizeof(path), "%s/bench.9p", argv[1]);
	len = bench_mb() << 20;
	memset(buf, '9', sizeof(buf));
	for (r = 0; r < bench_rounds(); r++) {
		fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
		if (fd < 0) {
			bench_fail(wname, "open");
			return (1);
		}
		t0 = bench_now();
		for (off = 0; off < len; off += CHUNK)
			if (write(fd, buf, CHUNK) != CHUNK) {
				bench_fail(wname, "write");
				return (1);
			}
		fsync(fd);
		vw[r] = len / ((bench_now() - t0) / 1e9) / 1e6;
		close(fd);
		fd = open(path, O_RDONLY);
		t0 = bench_now();
		for (off = 0; off < len; off += CHUNK)
			if (read(fd, buf, CHUNK) != CHUNK) {
				bench_fail(rname, "read");
				return (1);
			}
		vr[r] = len / ((bench_now() - t0) / 1e9) / 1e6;
		close(fd);
	}
	unlink(path);
	bench_print(wname, bench_median(vw, bench_rounds()), "MB/s");
	bench_print(rname, bench_median(vr, bench_rounds()), "MB/s");
	return (bench_failed);
}
