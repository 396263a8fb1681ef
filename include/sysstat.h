/*
 * sysstat.h: system-wide activity counters and load averages, the numbers
 * behind /proc/stat, /proc/loadavg, /proc/vmstat and sysinfo(2).
 *
 * The counters are bumped where the event happens (the clock tick, the
 * context switch, the interrupt dispatcher, fork, vm_fault) and only ever
 * grow; readers take them without a lock (64-bit loads on one CPU).  Load
 * averages are Linux's: every LOAD_FREQ ticks the number of runnable
 * threads is folded into three exponentially damped averages held in
 * fixed point with FSHIFT fraction bits (1, 5 and 15 minutes).
 */
#ifndef _SYSSTAT_H_
#define _SYSSTAT_H_

#include <types.h>

/* The ten columns of the "cpu" line of /proc/stat, in Linux order. */
enum { CP_USER, CP_NICE, CP_SYS, CP_IDLE, CP_IOWAIT, CP_IRQ, CP_SOFTIRQ,
	CP_STEAL, CP_GUEST, CP_GUEST_NICE, CPUSTATES };

struct sysstat {
	uint64_t cp_time[CPUSTATES];	/* ticks spent in each state */
	uint64_t intr;			/* hardware interrupts taken */
	uint64_t swtch;			/* context switches */
	uint64_t forks;			/* processes created since boot */
};
extern struct sysstat sysstat;

/* mm/vm_fault.c: page faults resolved (pgfault) and read from a file. */
extern uint64_t vm_cnt_faults, vm_cnt_majfaults;

#define FSHIFT		11		/* bits of fraction */
#define FIXED_1		(1UL << FSHIFT)
#define LOAD_FREQ	(5 * 100)	/* 5 s of ticks (HZ = 100) */
extern uint64_t averunnable[3];		/* 1, 5, 15 min, FIXED_1 = 1.0 */

/* kernel/kern_sysstat.c, called from sched_clock on every tick. */
void sysstat_tick(bool user, bool idle, int nrunning);
/* Pure: one damping step, Linux's calc_load (exposed for host tests). */
uint64_t calc_load(uint64_t load, uint64_t exp, uint64_t active);

#endif /* !_SYSSTAT_H_ */
