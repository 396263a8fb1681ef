/*
 * uart.c: polled 16550 UART driver (115200 baud, 8N1, FIFOs on).
 *
 * Output waits for the transmit holding register to drain; the wait is
 * bounded so that a machine without the port never hangs the console.
 * Input is read by the tty layer (kernel/tty.c) from the receive
 * interrupt, which uart_intr_enable turns on (IER bit 0; OUT2 in MCR
 * already connects the IRQ line), or by polling uart_getc.
 */
#include <uart.h>
#include <x86.h>

#define UART_DATA	0	/* RBR/THR, DLL when DLAB */
#define UART_IER	1	/* interrupt enable, DLM when DLAB */
#define UART_FCR	2
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define UART_SCR	7

#define IER_ERBFI	0x01	/* interrupt on received data */

#define LSR_DR		0x01	/* data ready */
#define LSR_THRE	0x20	/* transmit holding register empty */

static bool uart_ok[2];	/* written once at boot */

static int
uart_index(uint16_t port)
{
	return (port == COM1_PORT ? 0 : 1);
}

bool
uart_present(uint16_t port)
{
	return (uart_ok[uart_index(port)]);
}

void
uart_init(uint16_t port)
{
	/* A scratch register that does not hold a value means no UART. */
	outb(port + UART_SCR, 0x5a);
	if (inb(port + UART_SCR) != 0x5a)
		return;
	outb(port + UART_IER, 0x00);
	outb(port + UART_LCR, 0x80);	/* DLAB: set the divisor */
	outb(port + UART_DATA, 0x01);	/* 115200 = 115200 / 1 */
	outb(port + UART_IER, 0x00);
	outb(port + UART_LCR, 0x03);	/* 8N1 */
	outb(port + UART_FCR, 0xc7);	/* FIFOs on, cleared, 14-byte level */
	outb(port + UART_MCR, 0x0b);	/* DTR, RTS, OUT2 (IRQ line) */
	uart_ok[uart_index(port)] = true;
}

void
uart_putc(uint16_t port, int c)
{
	int spins = 100000;

	if (!uart_ok[uart_index(port)])
		return;
	while ((inb(port + UART_LSR) & LSR_THRE) == 0 && --spins > 0)
		__asm__ volatile("pause");
	outb(port + UART_DATA, (uint8_t)c);
}

int
uart_getc(uint16_t port)
{
	if (!uart_ok[uart_index(port)])
		return (-1);
	if ((inb(port + UART_LSR) & LSR_DR) == 0)
		return (-1);
	return (inb(port + UART_DATA));
}

void
uart_intr_enable(uint16_t port, bool on)
{
	if (!uart_ok[uart_index(port)])
		return;
	outb(port + UART_IER, on ? IER_ERBFI : 0);
	/* Drain what came before, so the line is not held asserted. */
	while (inb(port + UART_LSR) & LSR_DR)
		(void)inb(port + UART_DATA);
	(void)inb(port + UART_FCR);	/* IIR: clear a pending THRE state */
}
