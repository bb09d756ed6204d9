#include "frame.h"

#include "crc32c.h"

static void put_u16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put_u32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

static uint16_t get_u16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

const char *proto_frame_status_name(proto_frame_status s)
{
    switch (s) {
    case PROTO_FRAME_OK:
        return "ok";
    case PROTO_FRAME_ERR_COBS:
        return "cobs";
    case PROTO_FRAME_ERR_SHORT:
        return "short";
    case PROTO_FRAME_ERR_TOO_LONG:
        return "too_long";
    case PROTO_FRAME_ERR_CRC:
        return "crc";
    case PROTO_FRAME_ERR_VERSION:
        return "version";
    case PROTO_FRAME_ERR_LENGTH:
        return "length";
    }
    return "unknown";
}

size_t proto_frame_encode(uint8_t *body, uint8_t type, uint8_t status, uint16_t seq, uint16_t len, uint8_t *out,
                          size_t out_cap)
{
    body[0] = PROTO_VERSION;
    body[1] = type;
    put_u16(body + 2, seq);
    body[4] = status;
    put_u16(body + 5, len);
    size_t n = PROTO_HEADER_BYTES + len;
    put_u32(body + n, proto_crc32c(0, body, n));
    proto_cobs_result r = proto_cobs_encode(out, out_cap, body, n + PROTO_CRC_BYTES);
    if (r.status != PROTO_COBS_OK || r.out_len + PROTO_DELIMITER_BYTES > out_cap) {
        return 0;
    }
    for (size_t i = 0; i < PROTO_DELIMITER_BYTES; i++) {
        out[r.out_len + i] = 0u;
    }
    return r.out_len + PROTO_DELIMITER_BYTES;
}

proto_frame_status proto_frame_decode(uint8_t *buf, size_t n, proto_frame *f)
{
    proto_cobs_result r = proto_cobs_decode(buf, n, buf, n);
    if (r.status != PROTO_COBS_OK) {
        return PROTO_FRAME_ERR_COBS;
    }
    if (r.out_len < PROTO_BODY_BYTES(0u)) {
        return PROTO_FRAME_ERR_SHORT;
    }
    size_t payload_len = r.out_len - PROTO_BODY_BYTES(0u);
    if (payload_len > PROTO_MAX_PAYLOAD) {
        return PROTO_FRAME_ERR_TOO_LONG;
    }
    size_t crc_at = r.out_len - PROTO_CRC_BYTES;
    f->crc = get_u32(buf + crc_at);
    if (proto_crc32c(0, buf, crc_at) != f->crc) {
        return PROTO_FRAME_ERR_CRC;
    }
    if (buf[0] != PROTO_VERSION) {
        return PROTO_FRAME_ERR_VERSION;
    }
    f->type = buf[1];
    f->seq = get_u16(buf + 2);
    f->status = buf[4];
    f->len = get_u16(buf + 5);
    f->payload = buf + PROTO_HEADER_BYTES;
    if (f->len != payload_len) {
        return PROTO_FRAME_ERR_LENGTH;
    }
    return PROTO_FRAME_OK;
}

void proto_rx_init(proto_rx *rx, uint8_t *buf, size_t cap)
{
    rx->buf = buf;
    rx->cap = cap;
    rx->len = 0;
    rx->overflow = 0;
    rx->ended = 0;
}

proto_rx_event proto_rx_push(proto_rx *rx, uint8_t byte)
{
    if (rx->ended) {
        rx->len = 0;
        rx->ended = 0;
    }
    if (byte != 0u) {
        if (rx->len < rx->cap) {
            rx->buf[rx->len++] = byte;
        } else {
            rx->overflow = 1;
        }
        return PROTO_RX_MORE;
    }
    if (rx->overflow) {
        rx->len = 0;
        rx->overflow = 0;
        return PROTO_RX_OVERFLOW;
    }
    if (rx->len == 0u) {
        return PROTO_RX_MORE;
    }
    rx->ended = 1;
    return PROTO_RX_FRAME;
}
