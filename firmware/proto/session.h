/* The board's side of a link session, free of any UART: line bytes in, requests out, line bytes
 * to send back. It gives exactly-once execution: a request resent with the same sequence number
 * and the same bytes (same CRC) is answered with the kept response, never run again. A frame it
 * cannot accept is answered with a NAK so the host resends at once instead of timing out.
 * The host's side is fqt.board.Link. */
#ifndef PROTO_SESSION_H
#define PROTO_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "frame.h"
#include "messages.h"

typedef struct {
    proto_rx rx;
    uint8_t rx_buf[PROTO_WIRE_BYTES(PROTO_MAX_PAYLOAD) - PROTO_DELIMITER_BYTES];
    uint8_t body[PROTO_BODY_BYTES(PROTO_MAX_PAYLOAD)];   /* the response being built */
    uint8_t wire[PROTO_WIRE_BYTES(PROTO_MAX_PAYLOAD)];   /* the last response as sent, for duplicates */
    size_t wire_len;
    uint8_t nak[PROTO_WIRE_BYTES(PROTO_DETAIL_BYTES)];
    const uint8_t *out; /* what to send after PROTO_SESSION_SEND: wire or nak */
    size_t out_len;
    int answered;       /* last_seq and last_crc name the request wire answers */
    uint16_t last_seq;
    uint32_t last_crc;
} proto_session;

typedef enum {
    PROTO_SESSION_NONE,    /* nothing to do yet */
    PROTO_SESSION_REQUEST, /* a new request: run it, then call proto_session_respond */
    PROTO_SESSION_SEND     /* send proto_session_out (a NAK or a kept response) */
} proto_session_event;

void proto_session_init(proto_session *s);

/* Takes one line byte; on PROTO_SESSION_REQUEST *req holds the request, valid until the next push. */
proto_session_event proto_session_push(proto_session *s, uint8_t byte, proto_frame *req);

/* Where the handler writes the response payload: PROTO_MAX_PAYLOAD bytes, apart from the request's. */
uint8_t *proto_session_payload(proto_session *s);

/* Seals the response to req (len payload bytes already at proto_session_payload) and keeps it;
 * then send proto_session_out. */
void proto_session_respond(proto_session *s, const proto_frame *req, uint8_t status, uint16_t len);

/* The bytes to send now. */
const uint8_t *proto_session_out(const proto_session *s, size_t *len);

#endif
