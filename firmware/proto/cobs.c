#include "cobs.h"

proto_cobs_result proto_cobs_encode(uint8_t *out, size_t out_cap, const uint8_t *in, size_t n)
{
    proto_cobs_result r = {0, PROTO_COBS_OK};
    size_t at = 0;
    for (;;) {
        /* One run: the non-zero bytes up to the next zero, the end, or 254 bytes. */
        size_t run = 0;
        while (at + run < n && in[at + run] != 0u && run < 254u) {
            run++;
        }
        if (r.out_len + 1u + run > out_cap) {
            r.status = PROTO_COBS_OUT_FULL;
            return r;
        }
        out[r.out_len++] = (uint8_t)(run + 1u);
        for (size_t i = 0; i < run; i++) {
            out[r.out_len++] = in[at + i];
        }
        at += run;
        if (run < 254u) {
            if (at == n) {
                return r; /* the run ended at the end of the data */
            }
            at++; /* the zero this run's code stands for */
        } else if (at == n) {
            /* A full run at the very end still takes an empty run after it (strict COBS). */
            if (r.out_len + 1u > out_cap) {
                r.status = PROTO_COBS_OUT_FULL;
                return r;
            }
            out[r.out_len++] = 1u;
            return r;
        }
    }
}

proto_cobs_result proto_cobs_decode(uint8_t *out, size_t out_cap, const uint8_t *in, size_t n)
{
    proto_cobs_result r = {0, PROTO_COBS_OK};
    size_t at = 0;
    while (at < n) {
        uint8_t code = in[at++];
        if (code == 0u) {
            r.status = PROTO_COBS_ZERO_BYTE;
            return r;
        }
        size_t run = (size_t)code - 1u;
        if (run > n - at) {
            r.status = PROTO_COBS_TRUNCATED;
            return r;
        }
        if (r.out_len + run > out_cap) {
            r.status = PROTO_COBS_OUT_FULL;
            return r;
        }
        for (size_t i = 0; i < run; i++) {
            uint8_t b = in[at++];
            if (b == 0u) {
                r.status = PROTO_COBS_ZERO_BYTE;
                return r;
            }
            out[r.out_len++] = b;
        }
        if (code < 0xFFu && at < n) {
            if (r.out_len + 1u > out_cap) {
                r.status = PROTO_COBS_OUT_FULL;
                return r;
            }
            out[r.out_len++] = 0u;
        }
    }
    return r;
}
