/* Frames: what travels on the serial line (PROTOCOL.md). A frame's body is a 7-byte header,
 * the payload and a CRC-32C of both; on the line it is COBS-encoded and followed by two 0x00:
 * the first ends it, the second ends it all the same when the first is lost or garbled on a noisy
 * line (a lost end would cost a timeout); the empty frame it makes otherwise is skipped.
 *
 *   header: version u8, type u8, seq u16, status u8, length u16 (little-endian)
 *
 * Every protocol version keeps byte 0 the version and the last 4 bytes the CRC, so an intact
 * frame of another version is recognized as such. Mirrored by fqt.wire.Frame. */
#ifndef PROTO_FRAME_H
#define PROTO_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "cobs.h"

#define PROTO_VERSION 1u
#define PROTO_HEADER_BYTES 7u
#define PROTO_CRC_BYTES 4u
/* Largest payload either side sends or accepts in this version. */
#define PROTO_MAX_PAYLOAD 4096u
/* A response's type is its request's type with this bit set. */
#define PROTO_RESPONSE_BIT 0x80u
/* The 0x00 after each frame. */
#define PROTO_DELIMITER_BYTES 2u

/* Bytes of a frame body with an n-byte payload, and its worst case on the line (delimiters included). */
#define PROTO_BODY_BYTES(n) (PROTO_HEADER_BYTES + (n) + PROTO_CRC_BYTES)
#define PROTO_WIRE_BYTES(n) (PROTO_COBS_ENCODED_MAX(PROTO_BODY_BYTES(n)) + PROTO_DELIMITER_BYTES)

/* Why a frame was not accepted, in the order the checks run. */
typedef enum {
    PROTO_FRAME_OK = 0,
    PROTO_FRAME_ERR_COBS = 1,     /* not a valid COBS encoding */
    PROTO_FRAME_ERR_SHORT = 2,    /* fewer bytes than a header and a CRC */
    PROTO_FRAME_ERR_TOO_LONG = 3, /* more than PROTO_MAX_PAYLOAD bytes of payload */
    PROTO_FRAME_ERR_CRC = 4,      /* CRC-32C mismatch: garbled on the line */
    PROTO_FRAME_ERR_VERSION = 5,  /* intact, but another protocol version */
    PROTO_FRAME_ERR_LENGTH = 6    /* intact, but the length field disagrees with the bytes */
} proto_frame_status;

/* A decoded frame; payload points into the buffer it was decoded in. */
typedef struct {
    uint8_t type;
    uint8_t status;
    uint16_t seq;
    uint16_t len;
    const uint8_t *payload;
    uint32_t crc; /* the frame's CRC-32C: a resent request carries the same */
} proto_frame;

/* "ok", "cobs", "short", "too_long", "crc", "version" or "length" (the test vectors' names). */
const char *proto_frame_status_name(proto_frame_status s);

/* Writes the header and the CRC around the len payload bytes the caller has put at
 * body + PROTO_HEADER_BYTES (body holds PROTO_BODY_BYTES(len)), then the frame's line bytes (COBS,
 * then the delimiters) to out. Returns their count, 0 when out_cap is too small; PROTO_WIRE_BYTES(len)
 * always suffices. */
size_t proto_frame_encode(uint8_t *body, uint8_t type, uint8_t status, uint16_t seq, uint16_t len, uint8_t *out,
                          size_t out_cap);

/* Decodes the COBS bytes of one frame (what came between two 0x00) in place. */
proto_frame_status proto_frame_decode(uint8_t *buf, size_t n, proto_frame *f);

/* Collects line bytes into frames. */
typedef struct {
    uint8_t *buf;
    size_t cap;
    size_t len;
    int overflow; /* the current frame outgrew buf: its bytes are dropped until its 0x00 */
    int ended;    /* buf[0..len) is a whole frame, cleared by the next push */
} proto_rx;

typedef enum {
    PROTO_RX_MORE,    /* no frame has ended */
    PROTO_RX_FRAME,   /* a frame ended: its COBS bytes are buf[0..len) until the next push */
    PROTO_RX_OVERFLOW /* a frame ended that did not fit buf */
} proto_rx_event;

/* buf should hold PROTO_WIRE_BYTES(PROTO_MAX_PAYLOAD) - PROTO_DELIMITER_BYTES bytes (a frame without its 0x00). */
void proto_rx_init(proto_rx *rx, uint8_t *buf, size_t cap);

/* Takes one line byte. Empty frames (0x00 after 0x00) are skipped: the spare delimiter, or a lone
 * 0x00 a sender sends to end whatever partial frame the other side holds. */
proto_rx_event proto_rx_push(proto_rx *rx, uint8_t byte);

#endif
