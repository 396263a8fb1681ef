/*
 * kern_clock.c: the tick, time since boot and wall-clock time.
 *
 * Three clocks, one ruler.  At boot the PIT (fixed 1.193182 MHz) measures
 * how fast the TSC and the LAPIC timer run.  From then on:
 *  - nanouptime() is the TSC scaled to nanoseconds -- fine-grained and
 *    monotonic, with no interrupt needed;
 *  - the LAPIC timer interrupts HZ times a second; each interrupt is a
 *    tick: hardclock() bumps `ticks` and calls sched_clock() for the
 *    scheduler (if there is no usable LAPIC timer, PIT channel 0 through
 *    the I/O APIC ticks instead);
 *  - nanotime() is the CMOS RTC second read at boot plus uptime.
 * FreeBSD: sys/kern/kern_clock.c (hardclock), sys/x86/x86/tsc.c.
 */
#include <clock.h>
#include <cpu.h>
#include <kernel.h>
#include <lapic.h>
#include <trap.h>
#include <x86.h>

volatile uint64_t ticks;	/* written only by hardclock */
uint64_t ticks_lost;		/* hardclock: ticks made up from the TSC */

static uint64_t tsc_hz;		/* these: written once by clock_init */
static uint64_t tsc_base;	/* TSC at uptime 0 */
static uint64_t tsc_mult;	/* ns = (tsc delta * tsc_mult) >> 32 */
static uint64_t boot_epoch;	/* RTC second at tsc_base */
static const char *tick_source = "none";

#define CAL_US		20000	/* one calibration window: 20 ms */
#define CAL_RUNS	5

uint64_t
tsc_freq_hz(void)
{
	return (tsc_hz);
}

uint64_t
nanouptime(void)
{
	uint64_t d;

	if (tsc_hz == 0)
		return (0);
	d = rdtsc() - tsc_base;
	return ((uint64_t)(((unsigned __int128)d * tsc_mult) >> 32));
}

uint64_t
boottime_sec(void)
{
	return (boot_epoch);
}

uint64_t
nanotime(void)
{
	return (boot_epoch * NSEC_PER_SEC + nanouptime());
}

void
delay_us(uint64_t us)
{
	uint64_t start = rdtsc(), n;

	if (tsc_hz == 0) {
		/* Before calibration: assume a fast (10 GHz) TSC. */
		n = us * 10000;
	} else
		n = us * tsc_hz / 1000000;
	while (rdtsc() - start < n)
		__asm__ volatile("pause");
}

/*
 * A virtual CPU that was not scheduled for a while (a busy host) loses
 * timer interrupts: the hypervisor merges the missed periods into one.
 * So a tick also catches up with the TSC -- `ticks` never falls behind
 * nanouptime() -- and the scheduler is told once per interrupt.
 */
void
hardclock(struct trapframe *tf)
{
	uint64_t due = nanouptime() / (NSEC_PER_SEC / HZ);

	if (due > ticks + 1) {
		ticks_lost += due - ticks - 1;
		ticks = due;
	} else
		ticks++;
	sched_clock(tf);
}

static void
clock_intr(struct trapframe *tf, void *arg)
{
	hardclock(tf);
}

static void
sort64(uint64_t *v, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			uint64_t t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

/*
 * One reading of the three clocks, taken as close together as possible:
 * the PIT count and the LAPIC count bracketed by two TSC reads.  A reading
 * whose bracket is wide (the virtual CPU was preempted inside it) is
 * worth little, so the tightest of a few is kept.
 */
struct clock_sample {
	uint64_t tsc;		/* midpoint of the bracket */
	uint64_t width;		/* TSC cycles the bracket took */
	uint16_t pit;
	uint32_t apic;
};

static void
clock_sample(struct clock_sample *cs)
{
	struct clock_sample s;

	cs->width = UINT64_MAX;
	for (int i = 0; i < 5; i++) {
		uint64_t t1, t2;

		t1 = rdtsc();
		s.pit = pit_ch2_read();
		s.apic = lapic_present() ? lapic_timer_count() : 0;
		t2 = rdtsc();
		s.tsc = t1 + (t2 - t1) / 2;
		s.width = t2 - t1;
		if (s.width < cs->width)
			*cs = s;
	}
}

/*
 * Time CAL_RUNS windows of about CAL_US on PIT channel 2, reading the PIT,
 * TSC and LAPIC timer at both ends; the rates are the counts divided by the
 * PIT's measure of the window.  The medians win.
 */
static void
clock_calibrate(uint64_t *tsc_out, uint64_t *apic_out)
{
	uint64_t tsc[CAL_RUNS], apic[CAL_RUNS];
	const uint32_t want = (uint64_t)CAL_US * PIT_HZ / 1000000;

	for (int i = 0; i < CAL_RUNS; i++) {
		struct clock_sample a, b;
		uint32_t dpit;

		if (lapic_present())
			lapic_timer_count_start();
		pit_ch2_start();
		/* Let the count start moving (it loads on the next clock). */
		while (pit_ch2_read() > 0xff00)
			;
		clock_sample(&a);
		while ((uint16_t)(a.pit - pit_ch2_read()) < want)
			;
		clock_sample(&b);
		dpit = (uint16_t)(a.pit - b.pit);
		tsc[i] = (b.tsc - a.tsc) * PIT_HZ / dpit;
		apic[i] = (uint64_t)(a.apic - b.apic) * PIT_HZ / dpit;
	}
	if (lapic_present())
		lapic_timer_stop();
	sort64(tsc, CAL_RUNS);
	sort64(apic, CAL_RUNS);
	*tsc_out = tsc[CAL_RUNS / 2];
	*apic_out = apic[CAL_RUNS / 2];
}

void
clock_init(void)
{
	uint64_t apic_hz;
	char opt[16];
	bool want_pit;

	clock_calibrate(&tsc_hz, &apic_hz);
	if (tsc_hz < 1000000)
		panic("clock: TSC runs at %lu Hz; cannot keep time", tsc_hz);
	tsc_mult = (NSEC_PER_SEC << 32) / tsc_hz;
	tsc_base = rdtsc();
	boot_epoch = rtc_read_epoch();
	printk("clock: TSC %lu.%03lu MHz%s, LAPIC timer %lu.%03lu MHz, "
	    "RTC epoch %lu\n", tsc_hz / 1000000, tsc_hz / 1000 % 1000,
	    cpu_features.invariant_tsc ? " (invariant)" : "",
	    apic_hz / 1000000, apic_hz / 1000 % 1000, boot_epoch);

	/* clock=pit forces the fallback tick (for testing it). */
	want_pit = cmdline_value("clock", opt, sizeof(opt)) &&
	    opt[0] == 'p' && opt[1] == 'i' && opt[2] == 't';
	if (lapic_present() && apic_hz >= 100000 && !want_pit) {
		lapic_timer_hz = apic_hz;
		intr_establish(LAPIC_TIMER_VECTOR, clock_intr, NULL);
		lapic_timer_periodic((uint32_t)(apic_hz / HZ),
		    LAPIC_TIMER_VECTOR);
		tick_source = "LAPIC timer";
	} else if (ioapic_present()) {
		intr_establish(IRQ_VECTOR(0), clock_intr, NULL);
		pit_periodic_start(HZ);
		ioapic_route_irq(0, IRQ_VECTOR(0));
		tick_source = "PIT channel 0";
	} else
		printk(KERN_ERR "clock: no timer interrupt source\n");
	printk("clock: %d Hz tick from the %s\n", HZ, tick_source);
}
