#include "session.h"

void proto_session_init(proto_session *s)
{
    proto_rx_init(&s->rx, s->rx_buf, sizeof s->rx_buf);
    s->wire_len = 0;
    s->out = s->wire;
    s->out_len = 0;
    s->answered = 0;
    s->last_seq = 0;
    s->last_crc = 0;
}

/* A NAK for a frame that was not accepted: its seq cannot be trusted, so it carries 0. */
static proto_session_event nak(proto_session *s, proto_frame_status why)
{
    uint8_t body[PROTO_BODY_BYTES(PROTO_DETAIL_BYTES)];
    uint16_t len = (uint16_t)proto_detail_encode((int32_t)why, body + PROTO_HEADER_BYTES, PROTO_DETAIL_BYTES);
    s->out = s->nak;
    s->out_len = proto_frame_encode(body, PROTO_NAK | PROTO_RESPONSE_BIT, PROTO_ERR_BAD_FRAME, 0u, len, s->nak,
                                    sizeof s->nak);
    return PROTO_SESSION_SEND;
}

proto_session_event proto_session_push(proto_session *s, uint8_t byte, proto_frame *req)
{
    switch (proto_rx_push(&s->rx, byte)) {
    case PROTO_RX_MORE:
        return PROTO_SESSION_NONE;
    case PROTO_RX_OVERFLOW:
        return nak(s, PROTO_FRAME_ERR_TOO_LONG);
    case PROTO_RX_FRAME:
        break;
    }
    proto_frame_status st = proto_frame_decode(s->rx.buf, s->rx.len, req);
    if (st != PROTO_FRAME_OK) {
        return nak(s, st);
    }
    if (s->answered && req->seq == s->last_seq && req->crc == s->last_crc) {
        s->out = s->wire;
        s->out_len = s->wire_len;
        return PROTO_SESSION_SEND;
    }
    return PROTO_SESSION_REQUEST;
}

uint8_t *proto_session_payload(proto_session *s)
{
    return s->body + PROTO_HEADER_BYTES;
}

void proto_session_respond(proto_session *s, const proto_frame *req, uint8_t status, uint16_t len)
{
    s->wire_len = proto_frame_encode(s->body, (uint8_t)(req->type | PROTO_RESPONSE_BIT), status, req->seq, len,
                                     s->wire, sizeof s->wire);
    s->answered = 1;
    s->last_seq = req->seq;
    s->last_crc = req->crc;
    s->out = s->wire;
    s->out_len = s->wire_len;
}

const uint8_t *proto_session_out(const proto_session *s, size_t *len)
{
    *len = s->out_len;
    return s->out;
}
