/*
 * lapic.h: the interrupt controllers -- local APIC, I/O APIC, legacy 8259s.
 *
 * Interrupts reach the CPU through its local APIC: the LAPIC timer, and
 * device interrupts that the I/O APIC turns from pin numbers (GSIs) into
 * vectors.  The two 8259 PICs are remapped to 0x20-0x2f and masked; only
 * their spurious interrupts can still arrive there.  Vector plan:
 *   0x00-0x1f exceptions          0x20-0x2f masked 8259 (spurious only)
 *   0x30-0x3f ISA IRQ 0-15        0x40-0xef other devices (MSI, PCI INTx)
 *   0xf0 LAPIC timer   0xfe LAPIC error   0xff APIC spurious
 */
#ifndef _LAPIC_H_
#define _LAPIC_H_

#include <types.h>

#define ICU_OFFSET		0x20	/* 8259 vectors after remapping */
#define IRQ_VECTOR(irq)		(0x30 + (irq))
#define LAPIC_TIMER_VECTOR	0xf0
#define LAPIC_ERROR_VECTOR	0xfe

/* drivers/pic.c */
void pic_init(void);			/* remap to ICU_OFFSET, mask all */
void pic_spurious(int irq);		/* an interrupt on a masked 8259 */

/* drivers/lapic.c */
void lapic_init(void);
bool lapic_present(void);
uint32_t lapic_id(void);
void lapic_eoi(void);
/* Calibration: count down from 2^32-1, masked; read the current count. */
void lapic_timer_count_start(void);
uint32_t lapic_timer_count(void);
void lapic_timer_periodic(uint32_t count, int vector);
void lapic_timer_stop(void);
extern uint64_t lapic_timer_hz;		/* after division by 16 */

/* drivers/pit.c: the 8254 timer, 1193182 Hz. */
#define PIT_HZ			1193182
void pit_ch2_start(void);		/* count down from 0xffff, no irq */
uint16_t pit_ch2_read(void);
void pit_periodic_start(int hz);	/* channel 0 (IRQ 0), fallback tick */

/* drivers/rtc.c: the CMOS clock, read once at boot. */
uint64_t rtc_read_epoch(void);		/* seconds since 1970, 0 if bad */

/* drivers/ioapic.c */
void ioapic_init(void);
bool ioapic_present(void);
int irq_to_gsi(int irq);		/* ISA IRQ -> I/O APIC pin */
int ioapic_mask_irq(int irq);
int ioapic_route_gsi(int gsi, int vector, bool level, bool active_low);

#endif /* !_LAPIC_H_ */
