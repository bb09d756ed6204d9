/* The bytes on the serial line, until the framed protocol (COBS + CRC, firmware/proto/) takes its
 * place: only this file and link.c change then, not the dispatch.
 *
 *   request:  0xA5, type, length (u16 little-endian), payload
 *   response: 0x5A, type, status, length (u16 little-endian), payload
 *
 * The host speaks first and the board only answers: QEMU drops what the guest sends before the
 * host has opened the pseudo-terminal. */
#ifndef FQT_LINK_H
#define FQT_LINK_H

#include <stdint.h>

#define LINK_REQUEST_MAGIC 0xA5u
#define LINK_RESPONSE_MAGIC 0x5Au
#define LINK_MAX_PAYLOAD 4096u

/* Outcome of link_receive. */
enum link_result {
    LINK_OK,        /* a whole request is in type, payload and *len */
    LINK_TOO_LONG,  /* the header announced more than LINK_MAX_PAYLOAD bytes; *len holds it */
    LINK_TIMED_OUT, /* the request stopped arriving midway and was dropped */
};

/* Waits for the next request; payload must hold LINK_MAX_PAYLOAD bytes. */
enum link_result link_receive(uint8_t *type, uint8_t *payload, uint32_t *len);

void link_send(uint8_t type, uint8_t status, const uint8_t *payload, uint32_t len);

#endif
