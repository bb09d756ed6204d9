/* libFuzzer target "frame": arbitrary line bytes into the board's side of the protocol (frame
 * reader, COBS, CRC, header checks, NAKs, duplicates) and every payload decoder with its
 * accessors. CRC-32C keeps random bytes from passing as frames, so the input is also sealed into
 * a valid frame (first byte the type, the rest the payload) and sent twice: run, then answered
 * from the kept response. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "frame.h"
#include "messages.h"
#include "session.h"

static proto_session session;
static uint8_t body[PROTO_BODY_BYTES(PROTO_MAX_PAYLOAD)];
static uint8_t wire[PROTO_WIRE_BYTES(PROTO_MAX_PAYLOAD)];
static volatile uint32_t sink; /* keeps the reads of decoded data from being optimized away */

/* Every decoder on p[0..len); on success, every element its accessors reach. */
static void decode_all(const uint8_t *p, uint32_t len)
{
    int32_t detail;
    proto_hello hello;
    proto_info info;
    proto_load_model load;
    proto_load_ack ack;
    proto_configure configure;
    proto_train_sample sample;
    proto_sample_result result;
    proto_samples samples;
    proto_results results;
    proto_predictions predictions;
    proto_read_weights read_weights;
    proto_weights_chunk chunk;
    proto_stats stats;
    if (proto_detail_decode(p, len, &detail) == PROTO_OK) {
        sink += (uint32_t)detail;
    }
    if (proto_hello_decode(p, len, &hello) == PROTO_OK) {
        sink += hello.max_payload;
    }
    if (proto_info_decode(p, len, &info) == PROTO_OK) {
        sink += info.core.len ? info.core.data[info.core.len - 1u] : 0u;
        sink += info.build_id.len ? info.build_id.data[info.build_id.len - 1u] : 0u;
    }
    if (proto_load_model_decode(p, len, &load) == PROTO_OK && load.data.len > 0u) {
        sink += load.data.data[load.data.len - 1u];
    }
    if (proto_load_ack_decode(p, len, &ack) == PROTO_OK) {
        sink += ack.arena_bytes;
    }
    if (proto_configure_decode(p, len, &configure) == PROTO_OK) {
        sink += configure.next_sample;
    }
    if (proto_train_sample_decode(p, len, &sample) == PROTO_OK && sample.input.len > 0u) {
        sink += sample.input.data[sample.input.len - 1u];
    }
    if (proto_sample_result_decode(p, len, &result) == PROTO_OK) {
        sink += result.ticks[PROTO_PHASES - 1];
    }
    if (proto_samples_decode(p, len, &samples) == PROTO_OK) {
        for (uint16_t i = 0; i < samples.count; i++) {
            int32_t label;
            const uint8_t *input;
            proto_samples_at(&samples, i, &label, &input);
            sink += (uint32_t)label + (samples.input_bytes ? input[samples.input_bytes - 1u] : 0u);
        }
    }
    if (proto_results_decode(p, len, &results) == PROTO_OK) {
        for (uint16_t i = 0; i < results.count; i++) {
            proto_results_at(&results, i, &result);
            sink += result.sample;
        }
    }
    if (proto_predictions_decode(p, len, &predictions) == PROTO_OK) {
        for (uint16_t i = 0; i < predictions.count; i++) {
            sink += (uint32_t)proto_predictions_at(&predictions, i);
        }
    }
    if (proto_read_weights_decode(p, len, &read_weights) == PROTO_OK) {
        sink += read_weights.max_bytes;
    }
    if (proto_weights_chunk_decode(p, len, &chunk) == PROTO_OK && chunk.data.len > 0u) {
        sink += chunk.data.data[chunk.data.len - 1u];
    }
    if (proto_stats_decode(p, len, &stats) == PROTO_OK) {
        for (uint16_t i = 0; i < stats.layers; i++) {
            sink += proto_stats_selection_at(&stats, i);
        }
    }
}

/* Feeds bytes to the session as the board does; a request is decoded by every decoder and echoed. */
static void feed(const uint8_t *data, size_t size)
{
    for (size_t i = 0; i < size; i++) {
        proto_frame req;
        switch (proto_session_push(&session, data[i], &req)) {
        case PROTO_SESSION_REQUEST:
            decode_all(req.payload, req.len);
            memcpy(proto_session_payload(&session), req.payload, req.len);
            proto_session_respond(&session, &req, PROTO_OK, req.len);
            break;
        case PROTO_SESSION_SEND:
        case PROTO_SESSION_NONE:
            break;
        }
        size_t n;
        const uint8_t *out = proto_session_out(&session, &n);
        sink += n ? out[n - 1u] : 0u;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    proto_session_init(&session);
    feed(data, size);
    uint32_t len = size > 0u ? (uint32_t)size - 1u : 0u;
    decode_all(data + (size > 0u), len);
    if (size > 0u && len <= PROTO_MAX_PAYLOAD) {
        memcpy(body + PROTO_HEADER_BYTES, data + 1, len);
        size_t n = proto_frame_encode(body, data[0], 0u, (uint16_t)size, (uint16_t)len, wire, sizeof wire);
        feed(wire, n);
        feed(wire, n);
    }
    return 0;
}
