/*
 * uart.h: the 16550 serial ports, COM1 for the console.
 */
#ifndef _UART_H_
#define _UART_H_

#include <types.h>

#define COM1_PORT	0x3f8
#define COM2_PORT	0x2f8

void uart_init(uint16_t port);
void uart_putc(uint16_t port, int c);
int uart_getc(uint16_t port);		/* -1 when nothing is waiting */
bool uart_present(uint16_t port);
void uart_intr_enable(uint16_t port, bool on);	/* receive interrupt */

#endif /* !_UART_H_ */
