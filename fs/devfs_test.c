/*
 * devfs_test.c: ktests of /dev: the memory devices (null, zero, full,
 * random, urandom) with their Linux numbers, make_dev/destroy_dev, and a
 * device node made with mknod outside /dev.
 */
#include <cdev.h>
#include <ktest.h>

#include "vfs_test.h"

KTEST(devfs_null_zero_full)
{
	char buf[64];
	struct stat sb;
	int fd;

	fd = kt_open("/dev/zero", O_RDWR, 0);
	KT_ASSERT(fd >= 0);
	memset(buf, 0xff, sizeof(buf));
	KT_EQ(kt_read(fd, buf, sizeof(buf)), 64);
	for (int i = 0; i < 64; i++)
		KT_EQ(buf[i], 0);
	KT_EQ(kt_write(fd, buf, 10), 10);
	KT_EQ(sys_lseek(fd, 100, SEEK_SET), 100);
	kern_close(fd);

	fd = kt_open("/dev/full", O_WRONLY, 0);
	KT_ASSERT(fd >= 0);
	KT_EQ(kt_write(fd, "x", 1), -ENOSPC);
	KT_EQ(kt_read(fd, buf, 1), -EBADF);	/* opened write-only */
	kern_close(fd);
	fd = kt_open("/dev/full", O_RDONLY, 0);
	buf[0] = 1;
	KT_EQ(kt_read(fd, buf, 1), 1);
	KT_EQ(buf[0], 0);
	kern_close(fd);

	fd = kt_open("/dev/null", O_RDWR, 0);
	KT_ASSERT(fd >= 0);
	KT_EQ(kt_read(fd, buf, sizeof(buf)), 0);
	KT_EQ(kt_write(fd, buf, 33), 33);
	kern_close(fd);

	KT_EQ(kern_fstatat(AT_FDCWD, "/dev/null", 0, &sb), 0);
	KT_EQ(sb.st_mode, S_IFCHR | 0666);
	KT_EQ(sb.st_rdev, makedev(1, 3));
	KT_EQ(kern_fstatat(AT_FDCWD, "/dev/urandom", 0, &sb), 0);
	KT_EQ(sb.st_rdev, makedev(1, 9));
	KT_EQ(kern_fstatat(AT_FDCWD, "/dev/full", 0, &sb), 0);
	KT_EQ(sb.st_rdev, makedev(1, 7));
}

KTEST(devfs_random)
{
	uint64_t a[4] = { 0 }, b[4] = { 0 };
	int fd;

	fd = kt_open("/dev/urandom", O_RDONLY, 0);
	KT_ASSERT(fd >= 0);
	KT_EQ(kt_read(fd, a, sizeof(a)), 32);
	KT_EQ(kt_read(fd, b, sizeof(b)), 32);
	kern_close(fd);
	KT_ASSERT(a[0] | a[1] | a[2] | a[3]);
	KT_ASSERT(memcmp(a, b, sizeof(a)) != 0);
	arc4rand(a, sizeof(a));
	KT_ASSERT(memcmp(a, b, sizeof(a)) != 0);
	fd = kt_open("/dev/random", O_RDONLY, 0);
	KT_EQ(kt_read(fd, a, 7), 7);
	kern_close(fd);
}

static int kt_dev_reads;

static int
ktdev_read(struct cdev *dev, struct uio *uio, int ioflag)
{
	char c = (char)('0' + dev->si_unit);

	kt_dev_reads++;
	return (uiomove(&c, 1, uio));
}

static const struct cdevsw ktdev_cdevsw = {
	.d_name = "ktdev",
	.d_read = ktdev_read,
};

KTEST(devfs_make_destroy_mknod)
{
	struct cdev *dev;
	char c = 0;
	int fd;

	dev = make_dev(&ktdev_cdevsw, 7, makedev(240, 7), 0600, "ktdev7");
	KT_ASSERT(dev != NULL);
	fd = kt_open("/dev/ktdev7", O_RDONLY, 0);
	KT_ASSERT(fd >= 0);
	KT_EQ(kt_read(fd, &c, 1), 1);
	KT_EQ(c, '7');
	KT_EQ(sys_lseek(fd, 0, SEEK_SET), -ESPIPE);	/* not D_SEEKABLE */
	kern_close(fd);
	/* The same device through a node made with mknod elsewhere. */
	KT_EQ(kern_mknodat(AT_FDCWD, "/tmp/kt_ktdev", S_IFCHR | 0600,
	    makedev(240, 7)), 0);
	fd = kt_open("/tmp/kt_ktdev", O_RDONLY, 0);
	KT_ASSERT(fd >= 0);
	KT_EQ(kt_read(fd, &c, 1), 1);
	kern_close(fd);
	KT_EQ(kt_dev_reads, 2);
	destroy_dev(dev);
	KT_EQ(kt_open("/dev/ktdev7", O_RDONLY, 0), -ENOENT);
	KT_EQ(kt_open("/tmp/kt_ktdev", O_RDONLY, 0), -ENXIO);
	KT_EQ(kern_unlinkat(AT_FDCWD, "/tmp/kt_ktdev", 0), 0);
	/* One directory level (pts/N), no more, no empty component. */
	KT_ASSERT(make_dev(&ktdev_cdevsw, 0, makedev(240, 0), 0600,
	    "a/b/c") == NULL);
	KT_ASSERT(make_dev(&ktdev_cdevsw, 0, makedev(240, 0), 0600,
	    "/b") == NULL);
	KT_ASSERT(make_dev(&ktdev_cdevsw, 0, makedev(240, 0), 0600,
	    "a/") == NULL);
	dev = make_dev(&ktdev_cdevsw, 8, makedev(240, 8), 0600, "ktd/ktdev8");
	KT_ASSERT(dev != NULL);
	fd = kt_open("/dev/ktd/ktdev8", O_RDONLY, 0);
	KT_ASSERT(fd >= 0);
	KT_EQ(kt_read(fd, &c, 1), 1);
	KT_EQ(c, '8');
	kern_close(fd);
	destroy_dev(dev);
	KT_EQ(kt_open("/dev/ktd/ktdev8", O_RDONLY, 0), -ENOENT);
	KT_EQ(kern_unlinkat(AT_FDCWD, "/dev/ktd", AT_REMOVEDIR), 0);
}
