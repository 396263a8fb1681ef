/*
 * pit.c: the 8254 programmable interval timer, Mica's reference clock.
 *
 * The PIT counts at a fixed, known 1.193182 MHz on every PC, which makes it
 * the ruler against which the TSC and the LAPIC timer (whose rates vary)
 * are measured at boot.  Channel 2 is used for that because its gate is
 * driven through port 0x61 and its count can be read back at any moment,
 * with no interrupt.  Channel 0 (IRQ 0) is the fallback tick when the
 * LAPIC timer cannot be used.
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
#define PIT_LATCH	0x00	/* with a channel select: counter latch */
#define NMI_SC_PORT	0x61	/* 0: gate 2, 1: speaker, 5: out 2 */
#define NMI_SC_GATE2	0x01
#define NMI_SC_SPKR	0x02
#define NMI_SC_OUT2	0x20

/*
 * Start channel 2 counting down from 0xffff (55 ms until it wraps) at
 * PIT_HZ; pit_ch2_read() then tells how far it got.
 */
void
pit_ch2_start(void)
{
	/* Gate low (stops the count), speaker off. */
	outb(NMI_SC_PORT, inb(NMI_SC_PORT) & ~(NMI_SC_GATE2 | NMI_SC_SPKR));
	outb(PIT_MODE, PIT_SEL_CH2 | PIT_LOHI | PIT_M0);
	outb(PIT_CH2, 0xff);
	outb(PIT_CH2, 0xff);
	/* Gate high: counting starts now. */
	outb(NMI_SC_PORT, inb(NMI_SC_PORT) | NMI_SC_GATE2);
}

/* Latch and read channel 2's count. */
uint16_t
pit_ch2_read(void)
{
	uint8_t lo, hi;

	outb(PIT_MODE, PIT_SEL_CH2 | PIT_LATCH);
	lo = inb(PIT_CH2);
	hi = inb(PIT_CH2);
	return ((uint16_t)(hi << 8) | lo);
}

void
pit_periodic_start(int hz)
{
	uint32_t count = (PIT_HZ + hz / 2) / hz;

	outb(PIT_MODE, PIT_SEL_CH0 | PIT_LOHI | PIT_M2);
	outb(PIT_CH0, count & 0xff);
	outb(PIT_CH0, count >> 8);
}
