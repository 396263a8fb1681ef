/*
 * procfs_test.c: ktests of the /proc file system type: mount and unmount,
 * a system file read through the file layer, the names that must not
 * exist, refused writes and creates, and the snapshot kept by an open
 * file across a regeneration.
 */
#include <kmem.h>
#include <ktest.h>
#include <printf.h>

#include "../vfs_test.h"

KTEST(procfs_mount_read)
{
	char buf[256];
	int fd, err;
	ssize_t n;
	uint64_t inuse;

	KT_EQ(kern_mkdirat(AT_FDCWD, "/tmp/kt_proc", 0755), 0);
	/* The first open of the thread grows its descriptor table. */
	kern_close(kt_open("/dev/null", O_RDONLY, 0));
	inuse = kmem_inuse();
	KT_EQ(vfs_mount("proc", "/tmp/kt_proc", NULL, 0), 0);
	fd = kt_open("/tmp/kt_proc/meminfo", O_RDONLY, 0);
	KT_ASSERT(fd >= 0);
	n = kt_read(fd, buf, sizeof(buf) - 1);
	KT_ASSERT(n > 100);
	buf[n] = '\0';
	KT_ASSERT(strncmp(buf, "MemTotal:", 9) == 0);
	/* Short reads continue the same snapshot. */
	KT_EQ(sys_lseek(fd, 3, SEEK_SET), 3);
	KT_EQ(kt_read(fd, buf, 6), 6);
	KT_ASSERT(strncmp(buf, "Total:", 6) == 0);
	KT_EQ(vfs_unmount_path("/tmp/kt_proc", 0), -EBUSY);
	kern_close(fd);
	fd = kt_open("/tmp/kt_proc/uptime", O_RDONLY, 0);
	KT_ASSERT(fd >= 0);
	n = kt_read(fd, buf, sizeof(buf) - 1);
	KT_ASSERT(n >= 10 && buf[n - 1] == '\n');
	kern_close(fd);
	KT_ASSERT(kt_namei("/tmp/kt_proc/abc", 0, NULL, &err) == NULL);
	KT_EQ(err, -ENOENT);
	KT_ASSERT(kt_namei("/tmp/kt_proc/-1", 0, NULL, &err) == NULL);
	KT_EQ(err, -ENOENT);
	KT_ASSERT(kt_namei("/tmp/kt_proc/0", 0, NULL, &err) == NULL);
	KT_EQ(err, -ENOENT);
	KT_ASSERT(kt_namei("/tmp/kt_proc/99999", 0, NULL, &err) == NULL);
	KT_EQ(err, -ENOENT);
	KT_EQ(kt_open("/tmp/kt_proc/stat", O_WRONLY, 0), -EACCES);
	KT_EQ(kt_open("/tmp/kt_proc/newfile", O_CREAT | O_WRONLY, 0644),
	    -ENOENT);
	KT_EQ(kern_mkdirat(AT_FDCWD, "/tmp/kt_proc/dir", 0755), -ENOENT);
	KT_EQ(vfs_unmount_path("/tmp/kt_proc", 0), 0);
	/* Every node, snapshot and the mount itself were freed. */
	KT_EQ(kmem_inuse(), inuse);
	KT_EQ(kern_unlinkat(AT_FDCWD, "/tmp/kt_proc", AT_REMOVEDIR), 0);
}
