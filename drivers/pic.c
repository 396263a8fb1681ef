/*
 * pic.c: the two legacy 8259 interrupt controllers, put out of the way.
 *
 * Mica takes interrupts through the APICs, but the 8259s are still there
 * and power up mapped over the exception vectors 8-15.  pic_init remaps
 * them to 0x20-0x2f and masks every line, so that the only thing they can
 * still deliver -- a spurious IRQ 7 or 15 -- lands on a harmless vector.
 */
#include <lapic.h>
#include <x86.h>

#define IO_ICU1		0x20	/* master: command, data = +1 */
#define IO_ICU2		0xa0	/* slave */
#define ICW1_INIT	0x11	/* edge, cascade, ICW4 follows */
#define ICW4_8086	0x01
#define OCW2_EOI	0x20
#define OCW3_ISR	0x0b	/* next read of the command port: ISR */

uint64_t pic_spurious_count;

void
pic_init(void)
{
	outb(IO_ICU1, ICW1_INIT);
	outb(IO_ICU2, ICW1_INIT);
	outb(IO_ICU1 + 1, ICU_OFFSET);		/* ICW2: vector base */
	outb(IO_ICU2 + 1, ICU_OFFSET + 8);
	outb(IO_ICU1 + 1, 1 << 2);		/* ICW3: slave on IRQ 2 */
	outb(IO_ICU2 + 1, 2);			/* ICW3: slave identity */
	outb(IO_ICU1 + 1, ICW4_8086);
	outb(IO_ICU2 + 1, ICW4_8086);
	outb(IO_ICU1 + 1, 0xff);		/* OCW1: mask everything */
	outb(IO_ICU2 + 1, 0xff);
}

/*
 * With every line masked only spurious interrupts get here.  A spurious
 * IRQ 15 still told the master that its cascade line fired, so the master
 * wants an EOI; a spurious IRQ 7 wants none.  A real interrupt (ISR bit
 * set) gets its EOI too, to be safe.
 */
void
pic_spurious(int irq)
{
	uint16_t port = irq < 8 ? IO_ICU1 : IO_ICU2;

	pic_spurious_count++;
	outb(port, OCW3_ISR);
	if (inb(port) & (1 << (irq & 7))) {
		outb(port, OCW2_EOI);
		if (irq >= 8)
			outb(IO_ICU1, OCW2_EOI);
	} else if (irq >= 8)
		outb(IO_ICU1, OCW2_EOI);
}
