/* CMSDK APB UART0 at 0x40004000, polled (no interrupts). */
#ifndef FQT_UART_H
#define FQT_UART_H

#include <stdint.h>

void uart_init(uint32_t baud);

/* Waits until the transmit buffer has room, then sends one byte. */
void uart_putc(uint8_t c);

/* Waits until a byte has arrived and returns it. */
uint8_t uart_getc(void);

/* The received byte (0..255) if one is waiting, else -1; never waits. */
int uart_poll(void);

#endif
