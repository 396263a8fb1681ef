/*
 * kern_sysstat.c: CPU time by state and the load averages (Linux
 * kernel/sched/loadavg.c in miniature).
 *
 * sched_clock calls sysstat_tick on every tick with what the CPU was
 * doing; the tick is charged to user, system or idle time, and every
 * LOAD_FREQ ticks the number of runnable threads is folded into
 * averunnable: load = load * e + n * (1 - e), in fixed point, with
 * e = exp(-5 s / 1, 5, 15 min) as Linux's EXP_1, EXP_5, EXP_15.
 */
#include <sysstat.h>

struct sysstat sysstat;
uint64_t averunnable[3];

#define EXP_1		1884		/* FIXED_1 / exp(5 s / 1 min) */
#define EXP_5		2014		/* FIXED_1 / exp(5 s / 5 min) */
#define EXP_15		2037		/* FIXED_1 / exp(5 s / 15 min) */

static uint64_t load_countdown = LOAD_FREQ;

uint64_t
calc_load(uint64_t load, uint64_t exp, uint64_t active)
{
	uint64_t newload;

	newload = load * exp + active * (FIXED_1 - exp);
	if (active >= load)
		newload += FIXED_1 - 1;		/* round up while rising */
	return (newload / FIXED_1);
}

void
sysstat_tick(bool user, bool idle, int nrunning)
{
	uint64_t active;

	if (user)
		sysstat.cp_time[CP_USER]++;
	else if (idle)
		sysstat.cp_time[CP_IDLE]++;
	else
		sysstat.cp_time[CP_SYS]++;
	if (--load_countdown > 0)
		return;
	load_countdown = LOAD_FREQ;
	active = (uint64_t)(nrunning > 0 ? nrunning : 0) * FIXED_1;
	averunnable[0] = calc_load(averunnable[0], EXP_1, active);
	averunnable[1] = calc_load(averunnable[1], EXP_5, active);
	averunnable[2] = calc_load(averunnable[2], EXP_15, active);
}
