/*
 * uapi/resource.h: resource limits and usage, as Linux x86-64 lays them
 * out (getrlimit(2), getrusage(2), times(2)).
 */
#ifndef _UAPI_RESOURCE_H_
#define _UAPI_RESOURCE_H_

#include <types.h>

#define RLIMIT_CPU		0
#define RLIMIT_FSIZE		1
#define RLIMIT_DATA		2
#define RLIMIT_STACK		3
#define RLIMIT_CORE		4
#define RLIMIT_RSS		5
#define RLIMIT_NPROC		6
#define RLIMIT_NOFILE		7
#define RLIMIT_MEMLOCK		8
#define RLIMIT_AS		9
#define RLIMIT_LOCKS		10
#define RLIMIT_SIGPENDING	11
#define RLIMIT_MSGQUEUE		12
#define RLIMIT_NICE		13
#define RLIMIT_RTPRIO		14
#define RLIMIT_RTTIME		15
#define RLIM_NLIMITS		16
#define RLIM_INFINITY		(~0UL)

struct rlimit {
	uint64_t rlim_cur;
	uint64_t rlim_max;
};

struct l_timeval {
	int64_t tv_sec;
	int64_t tv_usec;
};

struct l_timespec {
	int64_t tv_sec;
	int64_t tv_nsec;
};

struct rusage {
	struct l_timeval ru_utime;
	struct l_timeval ru_stime;
	int64_t ru_maxrss, ru_ixrss, ru_idrss, ru_isrss, ru_minflt, ru_majflt,
	    ru_nswap, ru_inblock, ru_oublock, ru_msgsnd, ru_msgrcv,
	    ru_nsignals, ru_nvcsw, ru_nivcsw;
};

#define RUSAGE_SELF	0
#define RUSAGE_CHILDREN	(-1)
#define RUSAGE_THREAD	1

struct tms {
	int64_t tms_utime, tms_stime, tms_cutime, tms_cstime;
};

#endif /* !_UAPI_RESOURCE_H_ */
