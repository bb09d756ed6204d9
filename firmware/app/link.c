#include "link.h"

#include "board.h"
#include "timing.h"
#include "uart.h"

/* Board time a request may pause between two bytes before it is dropped, so a host that died
 * mid-request cannot leave the board waiting for bytes that belong to the next one. */
#define BYTE_TIMEOUT_TICKS (BOARD_CLOCK_HZ / 5u)

/* The next byte, or -1 when none arrives within BYTE_TIMEOUT_TICKS. */
static int next_byte(void)
{
    uint64_t deadline = timing_ticks() + BYTE_TIMEOUT_TICKS;
    for (;;) {
        int c = uart_poll();
        if (c >= 0) {
            return c;
        }
        if (timing_ticks() > deadline) {
            return -1;
        }
    }
}

enum link_result link_receive(uint8_t *type, uint8_t *payload, uint32_t *len)
{
    while (uart_getc() != LINK_REQUEST_MAGIC) {
        /* skip anything before the start of a request */
    }
    int header[3];
    for (int i = 0; i < 3; i++) {
        header[i] = next_byte();
        if (header[i] < 0) {
            return LINK_TIMED_OUT;
        }
    }
    *type = (uint8_t)header[0];
    *len = (uint32_t)header[1] | ((uint32_t)header[2] << 8);
    if (*len > LINK_MAX_PAYLOAD) {
        return LINK_TOO_LONG;
    }
    for (uint32_t i = 0; i < *len; i++) {
        int c = next_byte();
        if (c < 0) {
            return LINK_TIMED_OUT;
        }
        payload[i] = (uint8_t)c;
    }
    return LINK_OK;
}

void link_send(uint8_t type, uint8_t status, const uint8_t *payload, uint32_t len)
{
    uart_putc(LINK_RESPONSE_MAGIC);
    uart_putc(type);
    uart_putc(status);
    uart_putc((uint8_t)(len & 0xFFu));
    uart_putc((uint8_t)(len >> 8));
    for (uint32_t i = 0; i < len; i++) {
        uart_putc(payload[i]);
    }
}
