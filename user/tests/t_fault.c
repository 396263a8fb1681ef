/*
 * t_fault.c: bad user pointers and unknown system calls.
 *
 * Every call gets NULL, (void *)1, an unmapped page, read-only memory where
 * the kernel must write, and kernel-half addresses, and must fail with
 * EFAULT while this process goes on running.  The calls are made with
 * syscall() so that libc cannot look at the pointers first.  Unknown call
 * numbers answer ENOSYS.
 */
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "t.h"

static const char rodata[64] = "read-only";

int
main(void)
{
	char path[64], name[64];
	struct {
		const char *what;
		void *p;
	} bad[5];
	struct stat st;
	int fd, nbad = 0;
	char *gone;

	t_init();
	gone = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE |
	    MAP_ANONYMOUS, -1, 0);
	munmap(gone, 4096);
	bad[nbad].what = "null"; bad[nbad++].p = T_NULL;
	bad[nbad].what = "one"; bad[nbad++].p = T_LOW;
	bad[nbad].what = "unmapped"; bad[nbad++].p = gone;
	bad[nbad].what = "kernel-dmap"; bad[nbad++].p = T_KERNEL;
	bad[nbad].what = "kernel-text"; bad[nbad++].p =
	    t_ptr(0xffffffff80100000UL);

	strcpy(path, "/tmp/t_fault.XXXXXX");
	fd = mkstemp(path);
	write(fd, "some bytes to read back", 23);

	for (int i = 0; i < nbad; i++) {
		lseek(fd, 0, SEEK_SET);
		snprintf(name, sizeof(name), "read-%s", bad[i].what);
		CHECK_ERR(name, syscall(SYS_read, fd, bad[i].p, 10), EFAULT);
		snprintf(name, sizeof(name), "write-%s", bad[i].what);
		CHECK_ERR(name, syscall(SYS_write, fd, bad[i].p, 10), EFAULT);
		snprintf(name, sizeof(name), "open-%s", bad[i].what);
		CHECK_ERR(name, syscall(SYS_open, bad[i].p, O_RDONLY), EFAULT);
		snprintf(name, sizeof(name), "stat-path-%s", bad[i].what);
		CHECK_ERR(name, syscall(SYS_stat, bad[i].p, &st), EFAULT);
		snprintf(name, sizeof(name), "stat-buf-%s", bad[i].what);
		CHECK_ERR(name, syscall(SYS_stat, "/", bad[i].p), EFAULT);
	}

	/* The kernel must not write into read-only user memory. */
	lseek(fd, 0, SEEK_SET);
	CHECK_ERR("read-into-rodata", syscall(SYS_read, fd, rodata, 5),
	    EFAULT);
	CHECK("rodata-intact", strcmp(rodata, "read-only") == 0);

	/* A sample of other calls with pointer arguments. */
	CHECK_ERR("fstat-efault", syscall(SYS_fstat, fd, T_LOW), EFAULT);
	CHECK_ERR("getcwd-efault", syscall(SYS_getcwd, T_LOW, 100), EFAULT);
	CHECK_ERR("uname-efault", syscall(SYS_uname, T_KERNEL), EFAULT);
	CHECK_ERR("clock-gettime-efault", syscall(SYS_clock_gettime,
	    CLOCK_MONOTONIC, T_LOW), EFAULT);
	CHECK_ERR("rt-sigaction-efault", syscall(SYS_rt_sigaction, SIGUSR1,
	    T_LOW, NULL, 8), EFAULT);
	CHECK_ERR("rt-sigprocmask-efault", syscall(SYS_rt_sigprocmask,
	    SIG_BLOCK, T_KERNEL, NULL, 8), EFAULT);
	CHECK_ERR("nanosleep-efault", syscall(SYS_nanosleep, T_LOW, NULL),
	    EFAULT);
	CHECK_ERR("readv-iov-efault", syscall(SYS_readv, fd, T_LOW, 1),
	    EFAULT);
	CHECK_ERR("mkdir-efault", syscall(SYS_mkdir, T_NULL, 0755), EFAULT);
	CHECK_ERR("chdir-efault", syscall(SYS_chdir, T_KERNEL), EFAULT);
	{
		pid_t pid = fork();

		if (pid == 0)
			_exit(0);
		usleep(50000);
		CHECK_ERR("wait4-status-efault", syscall(SYS_wait4, pid, T_LOW,
		    0, NULL), EFAULT);
		waitpid(pid, NULL, 0);
	}

	/* Unknown system calls. */
	CHECK_ERR("enosys-400", syscall(400), ENOSYS);
	CHECK_ERR("enosys-500", syscall(500), ENOSYS);
	CHECK_ERR("enosys-999", syscall(999), ENOSYS);
	CHECK_ERR("enosys-huge", syscall(100000), ENOSYS);
	CHECK_ERR("enosys-negative", syscall(-1L), ENOSYS);

	/* After all of that, this process still works normally. */
	lseek(fd, 0, SEEK_SET);
	{
		char buf[8];

		CHECK("still-alive", read(fd, buf, 4) == 4 &&
		    memcmp(buf, "some", 4) == 0);
	}
	close(fd);
	unlink(path);
	return (t_done());
}
