/*
 * kern_misc.c: the small system calls about a process and the machine:
 * arch_prctl, prctl, uname, sethostname, sysinfo, resource limits and
 * usage, times, reboot (FreeBSD kern_resource.c, kern_mib.c; semantics of
 * the Linux man pages).
 *
 * uname answers sysname "Mica" with a Linux-shaped release "5.15.0-mica":
 * musl and busybox only need the structure, and programs that parse the
 * release as a Linux version find a recent one.
 */
#include <acpi.h>
#include <clock.h>
#include <file.h>
#include <kernel.h>
#include <ktest.h>
#include <libkern.h>
#include <proc.h>
#include <procsys.h>
#include <spinlock.h>
#include <sysstat.h>
#include <trap.h>
#include <uapi/errno.h>
#include <uapi/resource.h>
#include <vm_param.h>
#include <vm_phys.h>
#include <x86.h>

#define ARCH_SET_GS	0x1001
#define ARCH_SET_FS	0x1002
#define ARCH_GET_FS	0x1003
#define ARCH_GET_GS	0x1004

/*
 * arch_prctl(2): ARCH_SET_FS sets the FS base (thread pointer), ARCH_GET_FS
 * stores it at *addr.  EPERM: the address is not a canonical user address;
 * EFAULT: bad pointer for ARCH_GET_FS; EINVAL: any other code.
 */
long
sys_arch_prctl(int code, uint64_t addr)
{
	struct thread *td = curthread;

	switch (code) {
	case ARCH_SET_FS:
		if (addr >= VM_MAXUSER_ADDRESS)
			return (-EPERM);
		td->td_fsbase = addr;
		wrmsr(MSR_FSBASE, addr);
		return (0);
	case ARCH_GET_FS:
		return (copyout(&td->td_fsbase, (void *)addr, 8));
	}
	return (-EINVAL);
}

#define PR_SET_NAME	15
#define PR_GET_NAME	16

/*
 * prctl(2): PR_SET_NAME (first 15 bytes of the string) and PR_GET_NAME
 * (16 bytes); EFAULT: bad pointer; EINVAL: any other option.
 */
long
sys_prctl(int option, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct proc *p = curproc;
	char name[16];
	size_t done;
	int error;

	switch (option) {
	case PR_SET_NAME:
		error = copyinstr((void *)a2, name, sizeof(name), &done);
		if (error != 0 && error != -ENAMETOOLONG)
			return (error);
		name[sizeof(name) - 1] = '\0';
		memcpy(p->p_comm, name, sizeof(name));
		return (0);
	case PR_GET_NAME:
		memcpy(name, p->p_comm, sizeof(name));
		name[sizeof(name) - 1] = '\0';
		return (copyout(name, (void *)a2, sizeof(name)));
	}
	return (-EINVAL);
}

struct utsname {
	char sysname[65], nodename[65], release[65], version[65],
	    machine[65], domainname[65];
};

static struct spinlock host_lock = SPINLOCK_INIT("hostname");
static char hostname[65] = "mica";	/* host_lock */

/* The host name, for /proc/sys/kernel/hostname. */
void
kern_gethostname(char *buf, size_t len)
{
	spin_lock(&host_lock);
	strlcpy(buf, hostname, len);
	spin_unlock(&host_lock);
}

/* uname(2): EFAULT on a bad pointer. */
long
sys_uname(void *buf)
{
	struct utsname u;

	memset(&u, 0, sizeof(u));
	strlcpy(u.sysname, "Mica", sizeof(u.sysname));
	spin_lock(&host_lock);
	strlcpy(u.nodename, hostname, sizeof(u.nodename));
	spin_unlock(&host_lock);
	strlcpy(u.release, "5.15.0-mica", sizeof(u.release));
	strlcpy(u.version, "#1 Mica " MICA_VERSION, sizeof(u.version));
	strlcpy(u.machine, "x86_64", sizeof(u.machine));
	strlcpy(u.domainname, "(none)", sizeof(u.domainname));
	return (copyout(&u, buf, sizeof(u)));
}

/*
 * sethostname(2): EPERM: not root; EINVAL: len over 64; EFAULT.
 */
long
sys_sethostname(const char *name, size_t len)
{
	char buf[65];
	int error;

	if (curproc->p_ucred.cr_euid != 0)
		return (-EPERM);
	if (len > 64)
		return (-EINVAL);
	if ((error = copyin(name, buf, len)) != 0)
		return (error);
	buf[len] = '\0';
	spin_lock(&host_lock);
	memcpy(hostname, buf, len + 1);
	spin_unlock(&host_lock);
	return (0);
}

struct l_sysinfo {
	int64_t uptime;
	uint64_t loads[3];
	uint64_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
	uint16_t procs, pad;
	uint32_t pad2;
	uint64_t totalhigh, freehigh;
	uint32_t mem_unit;
	char _f[4];
};
_Static_assert(sizeof(struct l_sysinfo) == 112, "struct sysinfo size");

/* sysinfo(2): uptime, memory in bytes (mem_unit 1), procs.  EFAULT. */
long
sys_sysinfo(void *info)
{
	struct l_sysinfo si;

	memset(&si, 0, sizeof(si));
	si.uptime = kern_uptime_ns() / NSEC_PER_SEC;
	si.totalram = vm_phys_total_count() * PAGE_SIZE;
	si.freeram = vm_phys_free_count() * PAGE_SIZE;
	si.procs = nprocs;
	/* Loads in 1 << 16 fixed point (SI_LOAD_SHIFT), as /proc/loadavg. */
	for (int i = 0; i < 3; i++)
		si.loads[i] = averunnable[i] << (16 - FSHIFT);
	si.mem_unit = 1;
	return (copyout(&si, info, sizeof(si)));
}

/*
 * prlimit64(2): get and/or set a resource limit of pid (0: the caller).
 * EINVAL: resource out of range or new cur > new max; EPERM: raising a
 * hard limit without privilege, or another user's process; ESRCH: no
 * such process; EFAULT.
 */
long
sys_prlimit64(pid_t pid, int resource, const struct rlimit *unew,
    struct rlimit *uold)
{
	struct proc *p, *me = curproc;
	struct rlimit nl, ol;
	int error;

	if (resource < 0 || resource >= RLIM_NLIMITS)
		return (-EINVAL);
	if (unew != NULL) {
		if ((error = copyin(unew, &nl, sizeof(nl))) != 0)
			return (error);
		if (nl.rlim_cur > nl.rlim_max)
			return (-EINVAL);
	}
	spin_lock(&proc_lock);
	p = pid == 0 ? me : pfind(pid);
	if (p == NULL || p->p_state == PRS_ZOMBIE) {
		spin_unlock(&proc_lock);
		return (-ESRCH);
	}
	if (p != me && me->p_ucred.cr_euid != 0 &&
	    (me->p_ucred.cr_uid != p->p_ucred.cr_uid ||
	    me->p_ucred.cr_uid != p->p_ucred.cr_euid)) {
		spin_unlock(&proc_lock);
		return (-EPERM);
	}
	ol.rlim_cur = p->p_rlimit[resource][0];
	ol.rlim_max = p->p_rlimit[resource][1];
	if (unew != NULL) {
		if (nl.rlim_max > ol.rlim_max && me->p_ucred.cr_euid != 0) {
			spin_unlock(&proc_lock);
			return (-EPERM);
		}
		if (resource == RLIMIT_NOFILE && nl.rlim_max > 1048576) {
			spin_unlock(&proc_lock);
			return (-EPERM);
		}
		p->p_rlimit[resource][0] = nl.rlim_cur;
		p->p_rlimit[resource][1] = nl.rlim_max;
	}
	spin_unlock(&proc_lock);
	if (uold != NULL)
		return (copyout(&ol, uold, sizeof(ol)));
	return (0);
}

/* getrlimit(2), setrlimit(2): prlimit64 on the caller. */
long
sys_getrlimit(int resource, struct rlimit *rlim)
{
	if (resource < 0 || resource >= RLIM_NLIMITS)
		return (-EINVAL);
	return (sys_prlimit64(0, resource, NULL, rlim));
}

long
sys_setrlimit(int resource, const struct rlimit *rlim)
{
	if (resource < 0 || resource >= RLIM_NLIMITS)
		return (-EINVAL);
	if (rlim == NULL)
		return (-EFAULT);
	return (sys_prlimit64(0, resource, rlim, NULL));
}

static void
ticks_tv(uint64_t t, struct l_timeval *tv)
{
	tv->tv_sec = t / HZ;
	tv->tv_usec = (t % HZ) * (1000000 / HZ);
}

/*
 * getrusage(2): user and system time (tick resolution) and context
 * switches of RUSAGE_SELF, RUSAGE_THREAD or RUSAGE_CHILDREN (reaped
 * ones); other fields 0.  EINVAL: bad who; EFAULT.
 */
long
sys_getrusage(int who, struct rusage *uru)
{
	struct proc *p = curproc;
	struct thread *td = curthread;
	struct rusage ru;

	memset(&ru, 0, sizeof(ru));
	switch (who) {
	case RUSAGE_SELF:
	case RUSAGE_THREAD:
		ticks_tv(p->p_uticks, &ru.ru_utime);
		ticks_tv(p->p_sticks, &ru.ru_stime);
		ru.ru_nvcsw = td->td_nvcsw;
		ru.ru_nivcsw = td->td_nivcsw;
		break;
	case RUSAGE_CHILDREN:
		ticks_tv(p->p_cuticks, &ru.ru_utime);
		ticks_tv(p->p_csticks, &ru.ru_stime);
		break;
	default:
		return (-EINVAL);
	}
	return (copyout(&ru, uru, sizeof(ru)));
}

/*
 * times(2): the process's and its reaped children's times in clock ticks
 * (sysconf(_SC_CLK_TCK) = 100); returns the ticks since boot.  EFAULT.
 */
long
sys_times(struct tms *buf)
{
	struct proc *p = curproc;
	struct tms t;
	int error;

	t.tms_utime = p->p_uticks;
	t.tms_stime = p->p_sticks;
	t.tms_cutime = p->p_cuticks;
	t.tms_cstime = p->p_csticks;
	if (buf != NULL && (error = copyout(&t, buf, sizeof(t))) != 0)
		return (error);
	return ((long)(kern_uptime_ns() / (NSEC_PER_SEC / HZ)));
}

#define LINUX_REBOOT_MAGIC1		0xfee1dead
#define LINUX_REBOOT_MAGIC2		672274793
#define LINUX_REBOOT_MAGIC2A		85072278
#define LINUX_REBOOT_MAGIC2B		369367448
#define LINUX_REBOOT_MAGIC2C		537993216
#define LINUX_REBOOT_CMD_RESTART	0x01234567
#define LINUX_REBOOT_CMD_HALT		0xcdef0123
#define LINUX_REBOOT_CMD_CAD_ON		0x89abcdef
#define LINUX_REBOOT_CMD_CAD_OFF	0x00000000
#define LINUX_REBOOT_CMD_POWER_OFF	0x4321fedc

static void __noreturn
halt_forever(void)
{
	for (;;) {
		disable_intr();
		halt();
	}
}

/*
 * reboot(2): POWER_OFF leaves QEMU through isa-debug-exit with the pass
 * verdict when that device is there, else powers off through ACPI (S5;
 * halts if that fails); RESTART resets through the FADT reset register or
 * the keyboard controller (kernel/acpi.c); HALT stops the CPU; CAD_ON/CAD_OFF are accepted.  EPERM:
 * not root; EINVAL: bad magic numbers or command.
 */
long
sys_reboot(int magic1, int magic2, unsigned int cmd, void *arg)
{
	if (curproc->p_ucred.cr_euid != 0)
		return (-EPERM);
	if ((uint32_t)magic1 != LINUX_REBOOT_MAGIC1 ||
	    (magic2 != LINUX_REBOOT_MAGIC2 && magic2 != LINUX_REBOOT_MAGIC2A &&
	    magic2 != LINUX_REBOOT_MAGIC2B && magic2 != LINUX_REBOOT_MAGIC2C))
		return (-EINVAL);
	switch (cmd) {
	case LINUX_REBOOT_CMD_CAD_ON:
	case LINUX_REBOOT_CMD_CAD_OFF:
		return (0);
	case LINUX_REBOOT_CMD_POWER_OFF:
	case LINUX_REBOOT_CMD_HALT:
	case LINUX_REBOOT_CMD_RESTART:
		break;
	default:
		return (-EINVAL);
	}
	(void)sys_sync();	/* nothing to write today: all in memory */
	if (cmd == LINUX_REBOOT_CMD_POWER_OFF) {
		printk("Mica: power off\n");
		qemu_exit(QEMU_EXIT_PASS);
		acpi_poweroff();
		halt_forever();
	}
	if (cmd == LINUX_REBOOT_CMD_RESTART) {
		printk("Mica: restart\n");
		acpi_reset();
		halt_forever();
	}
	printk("Mica: system halted\n");
	halt_forever();
}
