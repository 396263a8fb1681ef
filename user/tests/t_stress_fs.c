/*
 * t_stress_fs.c: a full file system and 100,000 open/close cycles.
 *
 * A 1 MiB tmpfs mounted on /tmp/stressfs is filled with 4 KiB writes until
 * write fails with ENOSPC: it must hold between 1 MiB less a few pages
 * (directory and inode overhead) and 1 MiB, further writes fail the same
 * way, and removing the file makes the space usable again.  (Where the
 * mount is not permitted, in a container, that part is not run.)  Then
 * one file is opened and closed 100,000 times: the descriptor number is
 * always the same (the lowest free one), and on Mica the kernel's counts
 * of open files, vnodes and heap objects (/dev/kstat) do not move.
 */
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "t.h"

#define DIR	"/tmp/stressfs"
#define CYCLES	100000

static long
kstat(const char *name)
{
	char b[1024], *p;
	int f, n;

	if ((f = open("/dev/kstat", O_RDONLY)) < 0)
		return (-1);
	n = (int)pread(f, b, sizeof(b) - 1, 0);
	close(f);
	if (n <= 0)
		return (-1);
	b[n] = '\0';
	if ((p = strstr(b, name)) == NULL)
		return (-1);
	return (strtol(p + strlen(name), NULL, 10));
}

static void
full_fs(void)
{
	char blk[4096];
	long total = 0;
	ssize_t n = 0;
	int fd;

	mkdir(DIR, 0755);
	if (mount("tmpfs", DIR, "tmpfs", 0, "size=1m") != 0) {
		printf("note: mount tmpfs: %s; full-fs checks not run\n",
		    strerror(errno));
		rmdir(DIR);
		return;
	}
	memset(blk, 'x', sizeof(blk));
	fd = open(DIR "/big", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK("create in the small tmpfs", fd >= 0);
	while (fd >= 0 && total < (8L << 20) &&
	    (n = write(fd, blk, sizeof(blk))) > 0)
		total += n;
	CHECK("write stops with ENOSPC", n == -1 && errno == ENOSPC);
	CHECK("it held about 1 MiB", total > (1L << 20) - 64 * 1024 &&
	    total <= (1L << 20));
	CHECK_ERR("a full fs stays full", write(fd, blk, sizeof(blk)),
	    ENOSPC);
	close(fd);
	CHECK("unlink the big file", unlink(DIR "/big") == 0);
	fd = open(DIR "/small", O_WRONLY | O_CREAT, 0644);
	CHECK("space is back", fd >= 0 &&
	    write(fd, blk, sizeof(blk)) == (ssize_t)sizeof(blk));
	close(fd);
	unlink(DIR "/small");
	CHECK("umount", umount(DIR) == 0);
	rmdir(DIR);
}

static void
open_close(void)
{
	long files = kstat("files"), vnodes = kstat("vnodes");
	long objs = kstat("kmem_objects");
	int first, fd, same = 1;

	first = open("/tmp/t_stress_fs.f", O_RDWR | O_CREAT, 0644);
	CHECK("create the file", first >= 0);
	close(first);
	files = kstat("files");
	vnodes = kstat("vnodes");
	objs = kstat("kmem_objects");
	for (int i = 0; i < CYCLES && first >= 0; i++) {
		fd = open("/tmp/t_stress_fs.f", O_RDONLY);
		if (fd != first) {
			same = 0;
			break;
		}
		close(fd);
	}
	CHECK("100,000 opens, always the lowest descriptor", same);
	if (files >= 0) {
		CHECK_EQ("open files unchanged", kstat("files"), files);
		CHECK_EQ("vnodes unchanged", kstat("vnodes"), vnodes);
		CHECK_EQ("heap objects unchanged", kstat("kmem_objects"),
		    objs);
	}
	unlink("/tmp/t_stress_fs.f");
}

int
main(void)
{
	t_init();
	full_fs();
	open_close();
	return (t_done());
}
