/* Requests, responses and their payloads (PROTOCOL.md), mirrored by fqt.wire.Messages. All
 * numbers are little-endian. A decoded payload points into the frame it came from; arrays are
 * left in place and read with the _at accessors. Encoders return the bytes written, 0 when cap
 * is too small (no payload here encodes to 0 bytes); decoders return PROTO_OK or
 * PROTO_ERR_BAD_PAYLOAD, checking that the layout uses every byte. */
#ifndef PROTO_MESSAGES_H
#define PROTO_MESSAGES_H

#include <stdint.h>

/* Request types; a response has the request's type | PROTO_RESPONSE_BIT (frame.h). */
#define PROTO_HELLO 0x01u        /* empty; answer proto_hello. The host's first request */
#define PROTO_INFO 0x02u         /* empty; answer proto_info */
#define PROTO_ECHO 0x03u         /* any bytes; answer the same bytes */
#define PROTO_RESET 0x04u        /* empty; answer empty: model, settings and statistics dropped */
#define PROTO_LOAD_MODEL 0x10u   /* proto_load_model; answer proto_load_ack */
#define PROTO_CONFIGURE 0x11u    /* proto_configure; answer empty */
#define PROTO_TRAIN_SAMPLE 0x12u /* proto_train_sample; answer proto_sample_result */
#define PROTO_TRAIN_BATCH 0x13u  /* proto_samples; answer proto_results */
#define PROTO_EVALUATE 0x14u     /* proto_samples; answer proto_predictions */
#define PROTO_READ_WEIGHTS 0x15u /* proto_read_weights; answer proto_weights_chunk */
#define PROTO_READ_STATS 0x16u   /* empty; answer proto_stats */
/* Checkpoints: the board's whole training state as an image it alone reads, in the layouts of
 * READ_WEIGHTS (proto_read_weights; answer proto_weights_chunk) and LOAD_MODEL (proto_load_model;
 * answer proto_load_ack), restored over a load of the blob read at the same moment. */
#define PROTO_READ_STATE 0x17u
#define PROTO_WRITE_STATE 0x18u
/* One sample in several frames, for a line too noisy for a whole sample in one: STAGE_INPUT sends
 * chunks of its input (proto_load_model, total_bytes the model's input bytes; answer
 * proto_load_ack), then TRAIN_STAGED (proto_train_sample with no input; answer proto_results
 * of one) or EVALUATE_STAGED (proto_evaluate_staged; answer proto_predictions
 * of one) runs it; either consumes the staged input. */
#define PROTO_STAGE_INPUT 0x19u
#define PROTO_TRAIN_STAGED 0x1Au
#define PROTO_EVALUATE_STAGED 0x1Bu
/* Sent by the board alone, as type 0xFF with seq 0, for a frame it could not accept: status
 * PROTO_ERR_BAD_FRAME, detail the proto_frame_status. The host resends at once. */
#define PROTO_NAK 0x7Fu

/* Response statuses. Every response other than PROTO_OK carries a 4-byte detail (i32). */
#define PROTO_OK 0x00u
#define PROTO_ERR_BAD_FRAME 0x01u    /* NAK; detail: the proto_frame_status */
#define PROTO_ERR_UNKNOWN_TYPE 0x02u /* detail: 0 */
#define PROTO_ERR_BAD_PAYLOAD 0x03u  /* the payload does not fit the type's layout; detail: 0 */
#define PROTO_ERR_UNSUPPORTED 0x04u  /* a type this firmware does not implement; detail: 0 */
#define PROTO_ERR_NO_MODEL 0x05u     /* the request needs a loaded model; detail: 0 */
#define PROTO_ERR_CAPACITY 0x06u     /* the model blob exceeds the board; detail: capacity in bytes */
#define PROTO_ERR_OFFSET 0x07u       /* a load chunk out of order; detail: the offset expected */
#define PROTO_ERR_REFUSED 0x08u      /* the training core refused; detail: its fqt_status code */

#define PROTO_DETAIL_BYTES 4u

/* proto_configure.input_format */
#define PROTO_INPUT_CODES 0u   /* uint8 codes, quantized with the model's input parameters */
#define PROTO_INPUT_FLOAT32 1u /* float32 values */

/* Sample flags: proto_train_sample.flags, proto_samples.flags */
#define PROTO_SAMPLE_LAST_OF_EPOCH 0x01u /* training: the (last) sample ends the epoch and its batch */
#define PROTO_EVAL_FIRST 0x01u           /* evaluate: these samples start an evaluation (reseeds it) */

/* proto_stats.time_unit: what the tick counts count. */
#define PROTO_TIME_INSTRUCTIONS 0u /* QEMU under -icount shift=0 */
#define PROTO_TIME_CYCLES 1u       /* DWT cycle counter */
#define PROTO_TIME_MICROS 2u       /* a microsecond timer (Cortex-M0+) */

/* Phases of a training step, the order of every per-phase array. */
#define PROTO_PHASE_FORWARD 0
#define PROTO_PHASE_BACKWARD 1
#define PROTO_PHASE_UPDATE 2
#define PROTO_PHASE_SELECTION 3
#define PROTO_PHASES 4

#define PROTO_SAMPLE_RESULT_BYTES 32u

typedef struct {
    const uint8_t *data;
    uint32_t len;
} proto_bytes;

/* Answer to HELLO. */
typedef struct {
    uint8_t version;      /* PROTO_VERSION of the board */
    uint16_t max_payload; /* largest payload it sends and accepts */
} proto_hello;

/* Answer to INFO: strings and the build id are u8-length-prefixed. */
typedef struct {
    uint32_t clock_hz;
    uint32_t ram_bytes;
    proto_bytes core;             /* e.g. "cortex-m4f" */
    proto_bytes firmware_version; /* e.g. "0.1.0" */
    proto_bytes build_id;         /* raw GNU build-id */
    uint32_t arena_capacity;      /* the largest training arena it holds */
    uint32_t blob_capacity;       /* the largest model blob it holds */
    proto_bytes board;            /* the board profile it was linked for, e.g. "nrf52840" */
    uint32_t stack_used;          /* the deepest the stack has gone since reset */
} proto_info;

/* One chunk of a model blob (fqt.wire.ModelBlob bytes): total_bytes u32, offset u32, data. Chunks
 * go in order from offset 0, which starts a new load; the last one loads the model. */
typedef struct {
    uint32_t total_bytes;
    uint32_t offset;
    proto_bytes data;
} proto_load_model;

/* Answer to a chunk: the bytes held so far; arena_bytes is the arena the loaded model uses,
 * 0 until the last chunk has loaded it. */
typedef struct {
    uint32_t received_bytes;
    uint32_t capacity_bytes;
    uint32_t arena_bytes;
} proto_load_ack;

/* Session settings the model blob does not hold. */
typedef struct {
    uint8_t input_format;  /* PROTO_INPUT_ */
    uint32_t next_sample;  /* index the board gives the next training sample (a resumed run continues) */
} proto_configure;

/* flags u8 (PROTO_EVAL_FIRST): EVALUATE_STAGED's request */
typedef struct {
    uint8_t flags;
} proto_evaluate_staged;

/* flags u8, label i32, input (the model's input in input_format) */
typedef struct {
    uint8_t flags;
    int32_t label;
    proto_bytes input;
} proto_train_sample;

/* What one training sample did: 32 bytes. */
typedef struct {
    uint32_t sample;             /* its index in the run */
    float loss;
    int32_t predicted;           /* before the update */
    uint32_t ticks[PROTO_PHASES]; /* per phase, in the stats' time_unit */
    float updated_fraction;      /* share of the trainable structures updated */
} proto_sample_result;

/* Several samples of one input size: flags u8, count u16, input_bytes u16, then count times
 * (label i32, input_bytes bytes). count >= 1. */
typedef struct {
    uint8_t flags;
    uint16_t count;
    uint16_t input_bytes;
    const uint8_t *samples;
} proto_samples;

/* Answer to TRAIN_BATCH: count u16, then count proto_sample_result. */
typedef struct {
    uint16_t count;
    const uint8_t *results;
} proto_results;

/* Answer to EVALUATE: count u16, then count predicted classes (i32). */
typedef struct {
    uint16_t count;
    const uint8_t *predicted;
} proto_predictions;

/* A part of the blob of the model's current state: offset u32, max_bytes u16. */
typedef struct {
    uint32_t offset;
    uint16_t max_bytes;
} proto_read_weights;

/* total_bytes u32 (of the whole blob), offset u32, data. */
typedef struct {
    uint32_t total_bytes;
    uint32_t offset;
    proto_bytes data;
} proto_weights_chunk;

/* Answer to READ_STATS: time_unit u8, samples u32, arena_bytes u32, arena_high_water_bytes u32,
 * ticks u64 per phase (totals over the run), layers u16, then per layer the number of times one
 * of its structures was selected for update (u32). */
typedef struct {
    uint8_t time_unit;
    uint32_t samples;
    uint32_t arena_bytes;
    uint32_t arena_high_water_bytes;
    uint64_t ticks[PROTO_PHASES];
    uint16_t layers;
    const uint8_t *selections;
} proto_stats;

uint32_t proto_get_u32(const uint8_t *p);

/* The 4-byte detail of a response whose status is not PROTO_OK. */
uint32_t proto_detail_encode(int32_t detail, uint8_t *out, uint32_t cap);
int proto_detail_decode(const uint8_t *p, uint32_t len, int32_t *detail);

uint32_t proto_hello_encode(const proto_hello *m, uint8_t *out, uint32_t cap);
int proto_hello_decode(const uint8_t *p, uint32_t len, proto_hello *m);

uint32_t proto_info_encode(const proto_info *m, uint8_t *out, uint32_t cap);
int proto_info_decode(const uint8_t *p, uint32_t len, proto_info *m);

uint32_t proto_load_model_encode(const proto_load_model *m, uint8_t *out, uint32_t cap);
int proto_load_model_decode(const uint8_t *p, uint32_t len, proto_load_model *m);

uint32_t proto_load_ack_encode(const proto_load_ack *m, uint8_t *out, uint32_t cap);
int proto_load_ack_decode(const uint8_t *p, uint32_t len, proto_load_ack *m);

uint32_t proto_configure_encode(const proto_configure *m, uint8_t *out, uint32_t cap);
int proto_configure_decode(const uint8_t *p, uint32_t len, proto_configure *m);

uint32_t proto_evaluate_staged_encode(const proto_evaluate_staged *m, uint8_t *out, uint32_t cap);
int proto_evaluate_staged_decode(const uint8_t *p, uint32_t len, proto_evaluate_staged *m);

uint32_t proto_train_sample_encode(const proto_train_sample *m, uint8_t *out, uint32_t cap);
int proto_train_sample_decode(const uint8_t *p, uint32_t len, proto_train_sample *m);

uint32_t proto_sample_result_encode(const proto_sample_result *m, uint8_t *out, uint32_t cap);
int proto_sample_result_decode(const uint8_t *p, uint32_t len, proto_sample_result *m);

/* labels[count]; inputs: count * input_bytes bytes, one sample after the other. */
uint32_t proto_samples_encode(uint8_t flags, uint16_t count, uint16_t input_bytes, const int32_t *labels,
                              const uint8_t *inputs, uint8_t *out, uint32_t cap);
int proto_samples_decode(const uint8_t *p, uint32_t len, proto_samples *m);
/* Sample i < m->count: its label and a pointer to its m->input_bytes input bytes. */
void proto_samples_at(const proto_samples *m, uint16_t i, int32_t *label, const uint8_t **input);

uint32_t proto_results_encode(const proto_sample_result *results, uint16_t count, uint8_t *out, uint32_t cap);
int proto_results_decode(const uint8_t *p, uint32_t len, proto_results *m);
void proto_results_at(const proto_results *m, uint16_t i, proto_sample_result *r);

uint32_t proto_predictions_encode(const int32_t *predicted, uint16_t count, uint8_t *out, uint32_t cap);
int proto_predictions_decode(const uint8_t *p, uint32_t len, proto_predictions *m);
int32_t proto_predictions_at(const proto_predictions *m, uint16_t i);

uint32_t proto_read_weights_encode(const proto_read_weights *m, uint8_t *out, uint32_t cap);
int proto_read_weights_decode(const uint8_t *p, uint32_t len, proto_read_weights *m);

uint32_t proto_weights_chunk_encode(const proto_weights_chunk *m, uint8_t *out, uint32_t cap);
int proto_weights_chunk_decode(const uint8_t *p, uint32_t len, proto_weights_chunk *m);

/* selections[m->layers] */
uint32_t proto_stats_encode(const proto_stats *m, const uint32_t *selections, uint8_t *out, uint32_t cap);
int proto_stats_decode(const uint8_t *p, uint32_t len, proto_stats *m);
uint32_t proto_stats_selection_at(const proto_stats *m, uint16_t layer);

#endif
