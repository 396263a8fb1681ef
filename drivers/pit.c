/*
 * pit.c: the 8254 programmable interval timer, Mica's reference clock.
 *
 * The PIT counts at a fixed, known 1.193182 MHz on every PC, which makes it
 * the ruler against which the TSC and the LAPIC timer (whose rates vary)
 * are measured at boot.  Channel 2 is used for that because its gate and
 * output can be driven and polled through port 0x61 without any
 * interrupt.  Channel 0 (IRQ 0) is the fallback tick when the LAPIC timer
 * cannot be used.
 */
#include <lapic.h>
#include <x86.h>

#define PIT_CH0		0x40
#define PIT_CH2		0x42
#define PIT_MODE	0x43
#define PIT_SEL_CH0	0x00
#define PIT_SEL_CH2	0x80
#define PIT_LOHI	0x30	/* write low byte, then high byte */
#define PIT_M0		0x00	/* interrupt on terminal count */
#define PIT_M2		0x04	/* rate generator */
#define NMI_SC_PORT	0x61	/* bit 0 gate 2, bit 1 speaker, bit 5 out 2 */
#define NMI_SC_GATE2	0x01
#define NMI_SC_SPKR	0x02
#define NMI_SC_OUT2	0x20

/* Start channel 2 counting `us` microseconds down; OUT2 rises at zero. */
void
pit_oneshot_start(uint32_t us)
{
	uint64_t count = (uint64_t)us * PIT_HZ / 1000000;

	if (count > 0xffff)
		count = 0xffff;
	if (count == 0)
		count = 1;
	/* Gate low (stops the count), speaker off. */
	outb(NMI_SC_PORT, inb(NMI_SC_PORT) & ~(NMI_SC_GATE2 | NMI_SC_SPKR));
	outb(PIT_MODE, PIT_SEL_CH2 | PIT_LOHI | PIT_M0);
	outb(PIT_CH2, count & 0xff);
	outb(PIT_CH2, count >> 8);
	/* Gate high: counting starts now. */
	outb(NMI_SC_PORT, inb(NMI_SC_PORT) | NMI_SC_GATE2);
}

bool
pit_oneshot_done(void)
{
	return ((inb(NMI_SC_PORT) & NMI_SC_OUT2) != 0);
}

void
pit_periodic_start(int hz)
{
	uint32_t count = (PIT_HZ + hz / 2) / hz;

	outb(PIT_MODE, PIT_SEL_CH0 | PIT_LOHI | PIT_M2);
	outb(PIT_CH0, count & 0xff);
	outb(PIT_CH0, count >> 8);
}
