/* COBS, Consistent Overhead Byte Stuffing (Cheshire and Baker, 1999): rewrites a block of bytes
 * so it holds no 0x00, which is then free to end a frame on the line. The data is cut into runs
 * at each zero and after 254 non-zero bytes; each run is sent as a code byte (1 + its length)
 * followed by its bytes; a code below 0xFF stands for a zero after its run, except at the end.
 * Mirrored by fqt.wire.Cobs. Caller buffers, no allocation (the cobs-c pattern). */
#ifndef PROTO_COBS_H
#define PROTO_COBS_H

#include <stddef.h>
#include <stdint.h>

/* Largest encoding of n bytes: one code byte per started run of 254, at least one. */
#define PROTO_COBS_ENCODED_MAX(n) ((n) + (n) / 254u + 1u)

typedef enum {
    PROTO_COBS_OK = 0,
    PROTO_COBS_OUT_FULL,  /* out_cap too small: nothing usable was written */
    PROTO_COBS_ZERO_BYTE, /* decode: the input holds a 0x00, which COBS never produces */
    PROTO_COBS_TRUNCATED  /* decode: a code byte promises more bytes than the input has */
} proto_cobs_status;

typedef struct {
    size_t out_len;
    proto_cobs_status status;
} proto_cobs_result;

/* Encodes in[0..n) into out; the buffers must not overlap. */
proto_cobs_result proto_cobs_encode(uint8_t *out, size_t out_cap, const uint8_t *in, size_t n);

/* Decodes in[0..n) into out; out == in is allowed (the decoded bytes never pass the read position). */
proto_cobs_result proto_cobs_decode(uint8_t *out, size_t out_cap, const uint8_t *in, size_t n);

#endif
