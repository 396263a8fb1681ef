/*
 * user/bench/b_syscall.c: the cost of entering the kernel.
 *
 *   null      getppid(): a system call that does almost nothing
 *   read1     read of 1 byte from /dev/zero (file descriptor lookup, device)
 *   openclose open+close of /etc/hostname (path lookup, file allocation)
 *   stat      stat of /etc/hostname (path lookup, attribute copy-out)
 *
 * The system calls go through syscall() so that no libc caching hides them.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench.h"

#define PATH	"/etc/hostname"

static int zfd = -1;

static int
b_null(void *arg, long n)
{
	while (n-- > 0)
		syscall(SYS_getppid);
	return (0);
}

static int
b_read1(void *arg, long n)
{
	char c;

	while (n-- > 0)
		if (syscall(SYS_read, zfd, &c, 1) != 1) {
			bench_fail("read1", "read /dev/zero");
			return (-1);
		}
	return (0);
}

static int
b_openclose(void *arg, long n)
{
	long fd;

	while (n-- > 0) {
		fd = syscall(SYS_open, PATH, O_RDONLY);
		if (fd < 0) {
			bench_fail("openclose", "open " PATH);
			return (-1);
		}
		syscall(SYS_close, fd);
	}
	return (0);
}

static int
b_stat(void *arg, long n)
{
	struct stat st;

	while (n-- > 0)
		if (syscall(SYS_stat, PATH, &st) != 0) {
			bench_fail("stat", "stat " PATH);
			return (-1);
		}
	return (0);
}

int
main(int argc, char **argv)
{
	bench_init(argc, argv);
	bench_latency("null", b_null, NULL);
	zfd = open("/dev/zero", O_RDONLY);
	if (zfd < 0)
		bench_fail("read1", "open /dev/zero");
	else
		bench_latency("read1", b_read1, NULL);
	bench_latency("openclose", b_openclose, NULL);
	bench_latency("stat", b_stat, NULL);
	return (bench_failed);
}
