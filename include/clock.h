/*
 * clock.h: time since boot, the periodic tick and wall-clock time.
 *
 * The tick (HZ per second) drives preemption and timeouts; nanouptime()
 * comes from the TSC calibrated at boot against the PIT, so it is far finer
 * than a tick and never goes backwards.  Wall-clock time is the CMOS RTC
 * read once at boot plus uptime.
 */
#ifndef _CLOCK_H_
#define _CLOCK_H_

#include <types.h>

struct trapframe;

#define HZ		100
#define NSEC_PER_SEC	1000000000ULL

extern volatile uint64_t ticks;		/* timer ticks since boot */
extern uint64_t ticks_lost;		/* missed timer interrupts made up */

void clock_init(void);			/* calibrate TSC, start the tick */
uint64_t nanouptime(void);		/* ns since boot, monotonic */
uint64_t nanotime(void);		/* ns since the Unix epoch */
uint64_t boottime_sec(void);		/* the epoch second of boot */
uint64_t tsc_freq_hz(void);
void delay_us(uint64_t us);		/* busy wait */

/* Called on every tick, with interrupts off (scheduler, callouts). */
void hardclock(struct trapframe *tf);

#endif /* !_CLOCK_H_ */
