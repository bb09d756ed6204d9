#include "uart.h"

#include "board.h"

/* CMSDK APB UART registers (ARM DDI 0479). */
#define UART0_BASE 0x40004000u
#define UART_DATA (*(volatile uint32_t *)(UART0_BASE + 0x00u))
#define UART_STATE (*(volatile uint32_t *)(UART0_BASE + 0x04u))
#define UART_CTRL (*(volatile uint32_t *)(UART0_BASE + 0x08u))
#define UART_BAUDDIV (*(volatile uint32_t *)(UART0_BASE + 0x10u))

#define STATE_TX_FULL 0x1u
#define STATE_RX_FULL 0x2u
#define CTRL_TX_EN 0x1u
#define CTRL_RX_EN 0x2u

void uart_init(uint32_t baud)
{
    /* QEMU ignores the rate, but a divider below 16 is invalid on the real IP. */
    UART_BAUDDIV = BOARD_CLOCK_HZ / baud;
    UART_CTRL = CTRL_TX_EN | CTRL_RX_EN;
}

void uart_putc(uint8_t c)
{
    while (UART_STATE & STATE_TX_FULL) {
    }
    UART_DATA = c;
}

uint8_t uart_getc(void)
{
    while (!(UART_STATE & STATE_RX_FULL)) {
    }
    return (uint8_t)UART_DATA;
}

int uart_poll(void)
{
    if (!(UART_STATE & STATE_RX_FULL)) {
        return -1;
    }
    return (int)(UART_DATA & 0xFFu);
}
