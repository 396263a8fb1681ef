/*
 * procsys.h: the system calls of the process code (kernel/kern_*.c,
 * sched.c), each documented with its errors where it is defined.  Kept
 * out of proc.h because the syscall table (kernel/syscall.c) includes
 * proc.h and declares every handler its own way.
 */
#ifndef _PROCSYS_H_
#define _PROCSYS_H_

#include <proc.h>

struct rusage;
struct l_timespec;
struct l_timeval;
struct tms;
struct rlimit;
long sys_fork(void);				/* kern_fork.c */
long sys_vfork(void);
long sys_clone(uint64_t flags, uint64_t newsp, int *ptid, int *ctid,
    uint64_t tls);
long sys_execve(const char *path, char *const *argv, char *const *envp);
long sys_exit(int code);			/* kern_exit.c */
long sys_exit_group(int code);
long sys_wait4(pid_t pid, int *status, int options, struct rusage *ru);
long sys_waitid(int idtype, pid_t id, void *infop, int options,
    struct rusage *ru);
long sys_sched_yield(void);			/* sched.c */
long sys_futex(uint32_t *uaddr, int op, uint32_t val,
    const struct l_timespec *ts, uint32_t *uaddr2, uint32_t val3);
long sys_clock_gettime(int clock, struct l_timespec *tp);  /* kern_time.c */
long sys_clock_getres(int clock, struct l_timespec *res);
long sys_gettimeofday(struct l_timeval *tv, void *tz);
long sys_time(int64_t *t);
long sys_nanosleep(const struct l_timespec *rqtp, struct l_timespec *rmtp);
long sys_clock_nanosleep(int clock, int flags, const struct l_timespec *rqtp,
    struct l_timespec *rmtp);
long sys_getpid(void);				/* kern_prot.c */
long sys_getppid(void);
long sys_gettid(void);
long sys_getuid(void);
long sys_geteuid(void);
long sys_getgid(void);
long sys_getegid(void);
long sys_setuid(uid_t uid);
long sys_setgid(gid_t gid);
long sys_setreuid(uid_t ruid, uid_t euid);
long sys_setregid(gid_t rgid, gid_t egid);
long sys_setresuid(uid_t ruid, uid_t euid, uid_t suid);
long sys_setresgid(gid_t rgid, gid_t egid, gid_t sgid);
long sys_getresuid(uid_t *ruid, uid_t *euid, uid_t *suid);
long sys_getresgid(gid_t *rgid, gid_t *egid, gid_t *sgid);
long sys_getgroups(int size, gid_t *list);
long sys_setgroups(int size, const gid_t *list);
long sys_setpgid(pid_t pid, pid_t pgid);
long sys_getpgid(pid_t pid);
long sys_getpgrp(void);
long sys_setsid(void);
long sys_getsid(pid_t pid);
long sys_set_tid_address(int *tidptr);
long sys_arch_prctl(int code, uint64_t addr);	/* kern_misc.c */
long sys_uname(void *buf);
long sys_sethostname(const char *name, size_t len);
long sys_sysinfo(void *info);
long sys_prlimit64(pid_t pid, int resource, const struct rlimit *new,
    struct rlimit *old);
long sys_getrlimit(int resource, struct rlimit *rlim);
long sys_setrlimit(int resource, const struct rlimit *rlim);
long sys_getrusage(int who, struct rusage *ru);
long sys_times(struct tms *buf);
long sys_getrandom(void *buf, size_t len, unsigned int flags);
long sys_prctl(int option, uint64_t a2, uint64_t a3, uint64_t a4,
    uint64_t a5);
long sys_reboot(int magic1, int magic2, unsigned int cmd, void *arg);

#endif /* !_PROCSYS_H_ */
