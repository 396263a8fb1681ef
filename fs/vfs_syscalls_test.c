/*
 * vfs_syscalls_test.c: ktests of the file system calls through real user
 * pointers.  Two pages of user memory are mapped at UVA (PML4 slot 2 of
 * the running page tables, as kernel/trap_test.c does with slot 1); the
 * test fills them through their kernel alias and passes user addresses,
 * so copyin/copyout/copyinstr run for real.  The page after them is
 * unmapped: pointers there, and kernel pointers, must give EFAULT.
 */
#include <clock.h>
#include <cpu.h>
#include <ktest.h>
#include <vm_param.h>
#include <x86.h>

#include "vfs_test.h"

#define UVA		0x0000010000000000UL	/* PML4 index 2 */
#define UBAD		(UVA + 2 * PAGE_SIZE)	/* unmapped */
#define PG_P		0x001UL
#define PG_RW		0x002UL
#define PG_U		0x004UL
#define PG_NX		(1UL << 63)

static uint64_t u_pdpt[512] __aligned(PAGE_SIZE);
static uint64_t u_pd[512] __aligned(PAGE_SIZE);
static uint64_t u_pt[512] __aligned(PAGE_SIZE);
static uint8_t u_mem[2 * PAGE_SIZE] __aligned(PAGE_SIZE);

static bool
umap(void)
{
	uint64_t *pml4 = PHYS_TO_DMAP(rcr3() & ~PAGE_MASK);
	uint64_t nx = cpu_features.nx ? PG_NX : 0;

	if (pml4[2] != 0)
		return (false);
	memset(u_mem, 0, sizeof(u_mem));
	u_pdpt[0] = KVA_TO_PHYS(u_pd) | PG_P | PG_RW | PG_U;
	u_pd[0] = KVA_TO_PHYS(u_pt) | PG_P | PG_RW | PG_U;
	u_pt[0] = KVA_TO_PHYS(u_mem) | PG_P | PG_RW | PG_U | nx;
	u_pt[1] = KVA_TO_PHYS(u_mem + PAGE_SIZE) | PG_P | PG_RW | PG_U | nx;
	pml4[2] = KVA_TO_PHYS(u_pdpt) | PG_P | PG_RW | PG_U;
	lcr3(rcr3());
	return (true);
}

static void
uunmap(void)
{
	uint64_t *pml4 = PHYS_TO_DMAP(rcr3() & ~PAGE_MASK);

	pml4[2] = 0;
	lcr3(rcr3());
}

/* Put a string at offset off of user memory; its user address. */
static const char *
ustr(size_t off, const char *s)
{
	strlcpy((char *)u_mem + off, s, sizeof(u_mem) - off);
	return ((const char *)(UVA + off));
}

static void *
uptr(size_t off)
{
	return ((void *)(UVA + off));
}

KTEST(vfs_sys_user_pointers)
{
	struct stat *sb = (struct stat *)(u_mem + 1024);
	int fd;

	KT_ASSERT(umap());
	/* open, write, pread, fstat, stat with user memory. */
	fd = sys_open(ustr(0, "/tmp/kt_user"), O_CREAT | O_RDWR, 0600);
	KT_ASSERT(fd >= 0);
	ustr(100, "user data!");
	KT_EQ(sys_write(fd, uptr(100), 10), 10);
	memset(u_mem + 200, 0, 16);
	KT_EQ(sys_pread64(fd, uptr(200), 16, 5), 5);
	KT_ASSERT(memcmp(u_mem + 200, "data!", 5) == 0);
	KT_EQ(sys_pread64(fd, uptr(200), 1, -1), -EINVAL);
	KT_EQ(sys_fstat(fd, uptr(1024)), 0);
	KT_EQ(sb->st_size, 10);
	KT_EQ(sb->st_mode, S_IFREG | 0600);
	KT_EQ(sys_stat(ustr(0, "/tmp/kt_user"), uptr(1024)), 0);
	KT_EQ(sb->st_size, 10);
	KT_EQ(sys_lstat(ustr(0, "/tmp/kt_nothere"), uptr(1024)), -ENOENT);
	/* Bad pointers: unmapped user memory and kernel memory. */
	KT_EQ(sys_lseek(fd, 0, SEEK_SET), 0);
	KT_EQ(sys_read(fd, (void *)UBAD, 4), -EFAULT);
	KT_EQ(sys_read(fd, u_mem, 4), -EFAULT);		/* kernel alias */
	KT_EQ(sys_write(fd, (void *)UBAD, 4), -EFAULT);
	KT_EQ(sys_read(fd, uptr(0), (size_t)-1), -EINVAL);
	KT_EQ(sys_fstat(fd, (void *)UBAD), -EFAULT);
	KT_EQ(sys_open((const char *)UBAD, O_RDONLY, 0), -EFAULT);
	KT_EQ(sys_open("/tmp/kt_user", O_RDONLY, 0), -EFAULT);
	KT_EQ(sys_stat(ustr(0, "/tmp/kt_user"), (void *)UBAD), -EFAULT);
	/* A path running into the unmapped page without a NUL. */
	memset(u_mem + 2 * PAGE_SIZE - 8, 'x', 8);
	KT_EQ(sys_open(uptr(2 * PAGE_SIZE - 8), O_RDONLY, 0), -EFAULT);
	KT_EQ(sys_read(-1, uptr(0), 1), -EBADF);
	KT_EQ(sys_write(1000, uptr(0), 1), -EBADF);
	KT_EQ(sys_close(fd), 0);
	KT_EQ(sys_unlink(ustr(0, "/tmp/kt_user")), 0);
	KT_EQ(sys_unlink(ustr(0, "/tmp/kt_user")), -ENOENT);
	uunmap();
}

KTEST(vfs_sys_vectors_dirs_pipes)
{
	struct iovec *iov = (struct iovec *)(u_mem + 512);
	struct pollfd *pfd = (struct pollfd *)(u_mem + 600);
	int *fds = (int *)(u_mem + 640);
	int fd, n;

	KT_ASSERT(umap());
	KT_EQ(sys_mkdir(ustr(0, "/tmp/kt_sv"), 0755), 0);
	KT_EQ(sys_mkdir(ustr(0, "/tmp/kt_sv"), 0755), -EEXIST);
	fd = sys_open(ustr(0, "/tmp/kt_sv/f"), O_CREAT | O_WRONLY, 0644);
	KT_ASSERT(fd >= 0);
	/* writev gathers two user buffers. */
	ustr(100, "abc");
	ustr(200, "defg");
	iov[0] = (struct iovec){ uptr(100), 3 };
	iov[1] = (struct iovec){ uptr(200), 4 };
	KT_EQ(sys_writev(fd, uptr(512), 2), 7);
	KT_EQ(sys_writev(fd, uptr(512), -1), -EINVAL);
	KT_EQ(sys_writev(fd, uptr(512), 1025), -EINVAL);
	KT_EQ(sys_writev(fd, (void *)UBAD, 1), -EFAULT);
	iov[1].iov_len = (size_t)-1;
	KT_EQ(sys_writev(fd, uptr(512), 2), -EINVAL);
	KT_EQ(sys_close(fd), 0);
	/* rename, symlink, readlink through user strings. */
	KT_EQ(sys_rename(ustr(0, "/tmp/kt_sv/f"), ustr(300, "/tmp/kt_sv/g")),
	    0);
	KT_EQ(sys_symlink(ustr(0, "g"), ustr(300, "/tmp/kt_sv/l")), 0);
	KT_EQ(sys_readlink(ustr(300, "/tmp/kt_sv/l"), uptr(100), 64), 1);
	KT_EQ(u_mem[100], 'g');
	KT_EQ(sys_readlink(ustr(300, "/tmp/kt_sv/l"), uptr(100), 0), -EINVAL);
	KT_EQ(sys_readlink(ustr(300, "/tmp/kt_sv/g"), uptr(100), 8), -EINVAL);
	/* getdents64 into user memory: ., .., g, l. */
	fd = sys_open(ustr(0, "/tmp/kt_sv"), O_RDONLY | O_DIRECTORY, 0);
	KT_ASSERT(fd >= 0);
	n = sys_getdents64(fd, uptr(PAGE_SIZE), PAGE_SIZE);
	KT_EQ(n, 4 * 24);
	KT_ASSERT(strcmp(((struct linux_dirent64 *)(u_mem + PAGE_SIZE +
	    48))->d_name, "g") == 0);
	KT_EQ(sys_getdents64(fd, uptr(PAGE_SIZE), PAGE_SIZE), 0);
	KT_EQ(sys_lseek(fd, 0, SEEK_SET), 0);
	/* Old getdents: d_type in the last byte of each record. */
	n = sys_getdents(fd, uptr(PAGE_SIZE), PAGE_SIZE);
	KT_EQ(n, 4 * 24);
	KT_ASSERT(strcmp(((struct linux_dirent *)(u_mem + PAGE_SIZE + 48))->
	    d_name, "g") == 0);
	KT_EQ(u_mem[PAGE_SIZE + 48 + 23], DT_REG);
	KT_EQ(sys_close(fd), 0);
	/* pipe2 and poll with user arrays. */
	KT_EQ(sys_pipe2(uptr(640), O_NONBLOCK), 0);
	KT_ASSERT(fds[0] >= 0 && fds[1] >= 0);
	pfd[0] = (struct pollfd){ fds[0], POLLIN, 0 };
	pfd[1] = (struct pollfd){ fds[1], POLLOUT, 0 };
	pfd[2] = (struct pollfd){ 999, POLLIN, 0 };
	KT_EQ(sys_poll(uptr(600), 3, 0), 2);
	KT_EQ(pfd[0].revents, 0);
	KT_EQ(pfd[1].revents, POLLOUT);
	KT_EQ(pfd[2].revents, POLLNVAL);
	KT_EQ(sys_write(fds[1], ustr(100, "xyz"), 3), 3);
	KT_EQ(sys_ioctl(fds[0], FIONREAD, (unsigned long)uptr(700)), 0);
	KT_EQ(*(int *)(u_mem + 700), 3);
	KT_EQ(sys_poll(uptr(600), 1, 10), 1);
	KT_EQ(pfd[0].revents, POLLIN);
	KT_EQ(sys_ioctl(fds[0], 0x1234, 0), -ENOTTY);
	/* Drained: poll times out after (at least) its 30 ms. */
	KT_EQ(sys_read(fds[0], uptr(100), 16), 3);
	{
		uint64_t t0 = nanouptime();

		KT_EQ(sys_poll(uptr(600), 1, 30), 0);
		KT_ASSERT(nanouptime() - t0 >= 30000000ULL);
		KT_EQ(pfd[0].revents, 0);
	}
	KT_EQ(sys_write(fds[1], ustr(100, "xyz"), 3), 3);
	KT_EQ(sys_close(fds[0]), 0);
	KT_EQ(sys_close(fds[1]), 0);
	KT_EQ(sys_pipe2((void *)UBAD, 0), -EFAULT);
	KT_EQ(sys_poll((void *)UBAD, 1, 0), -EFAULT);
	/* getcwd without a process: "/"; too small: ERANGE. */
	KT_EQ(sys_getcwd(uptr(100), 64), 2);
	KT_ASSERT(strcmp((char *)u_mem + 100, "/") == 0);
	KT_EQ(sys_getcwd(uptr(100), 1), -ERANGE);
	KT_EQ(sys_rmdir(ustr(0, "/tmp/kt_sv")), -ENOTEMPTY);
	uunmap();
}
