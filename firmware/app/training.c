#include "training.h"

#include <string.h>

#include "board.h"
#include "fqt_status.h"
#include "messages.h"
#include "model_blob.h"
#include "timing.h"

/* Most results a TRAIN_BATCH answer holds: count u16, then 32 bytes each. */
#define MAX_BATCH ((PROTO_MAX_PAYLOAD - 2u) / PROTO_SAMPLE_RESULT_BYTES)
/* Most predictions an EVALUATE answer holds. */
#define MAX_EVAL ((PROTO_MAX_PAYLOAD - 2u) / 4u)
/* Data bytes of a weights_chunk answer. */
#define MAX_CHUNK (PROTO_MAX_PAYLOAD - 8u)

/* The checkpoint image (READ_STATE / WRITE_STATE): a header of u32 words, then the arena. */
#define STATE_MAGIC 0x4B545146u /* "FQTK" read as a little-endian word */
#define STATE_VERSION 1u
#define STATE_FIXED_WORDS 7u /* magic, version, arena bytes, rng state, in_batch, loss range min, max */
#define STATE_HEAD_BYTES(layers) (4u * (STATE_FIXED_WORDS + (uint32_t)(layers)))

/* The arena: the RAM the linker left (board_arena). The blob goes to the board's Flash model store
 * (board.h) and stays put there, its frozen parameters used in place; the store starts on a page,
 * so 4-aligned as the blob loader wants. */
static uint8_t *arena;
static uint32_t arena_capacity;
static uint32_t state_head[STATE_FIXED_WORDS + FQT_MAX_LAYERS];

static fqt_model model;
static fqt_trainer trainer;
static int loaded;
static uint32_t blob_total, blob_received; /* the load in progress */
static uint32_t state_total, state_received; /* the state write in progress */
static size_t arena_used, image_len;
static uint8_t input_format;
static uint32_t next_sample;
static uint32_t trained;
static uint32_t trainable_structures;
static uint32_t sample_selected;
static uint32_t layer_selections[FQT_MAX_LAYERS];
/* A float32 input, aligned for the core; also where STAGE_INPUT assembles a sample (codes or floats). */
static float float_input[PROTO_MAX_PAYLOAD / 4u];
static uint32_t staged_received; /* bytes of the staged input so far */
/* What one answer is built from: each request encodes its answer before the next one runs, so the
 * three share their bytes (8 KiB less of the RAM the arena gets). */
static union {
    proto_sample_result results[MAX_BATCH];
    int32_t predicted[MAX_EVAL];
    uint8_t chunk[MAX_CHUNK];
} answer;

static uint8_t fail(uint8_t status, int32_t detail, uint8_t *resp, uint16_t *resp_len)
{
    *resp_len = (uint16_t)proto_detail_encode(detail, resp, PROTO_MAX_PAYLOAD);
    return status;
}

/* Counts the structures each sample updates: its updated fraction and the per-layer statistics. */
static void on_select(void *user, int32_t layer, const int32_t *sel, int32_t n_sel)
{
    (void)user;
    (void)sel;
    sample_selected += (uint32_t)n_sel;
    layer_selections[layer] += (uint32_t)n_sel;
}

void training_init(void)
{
    arena = board_arena(&arena_capacity);
}

uint32_t training_arena_capacity(void)
{
    return arena_capacity;
}

void training_reset(void)
{
    loaded = 0;
    blob_total = blob_received = 0;
    state_total = state_received = 0;
    staged_received = 0;
    image_len = 0;
    trained = 0;
    next_sample = 0;
    memset(layer_selections, 0, sizeof layer_selections);
}

/* After a blob has loaded: the hooks and settings of a fresh run. */
static void start_run(void)
{
    trainer.ctx.clock = timing_instructions;
    trainer.ctx.on_select = on_select;
    input_format = model.features[0].q != NULL ? PROTO_INPUT_CODES : PROTO_INPUT_FLOAT32;
    trainable_structures = 0;
    for (int32_t i = 0; i < model.n_layers; i++) {
        const fqt_layer *l = &model.layers[i];
        if (fqt_layer_has_weights(l) && !l->frozen) trainable_structures += (uint32_t)l->w.structures;
    }
    loaded = 1;
}

uint8_t training_load(const proto_frame *req, uint8_t *resp, uint16_t *resp_len)
{
    proto_load_model m;
    if (proto_load_model_decode(req->payload, req->len, &m) != PROTO_OK || m.offset + m.data.len > m.total_bytes) {
        return fail(PROTO_ERR_BAD_PAYLOAD, 0, resp, resp_len);
    }
    if (m.offset == 0u) {
        /* A new load: the model held so far is dropped. */
        training_reset();
        if (m.total_bytes > board_model_store_bytes()) {
            return fail(PROTO_ERR_CAPACITY, (int32_t)board_model_store_bytes(), resp, resp_len);
        }
        blob_total = m.total_bytes;
    } else if (m.total_bytes != blob_total || m.offset != blob_received) {
        return fail(PROTO_ERR_OFFSET, (int32_t)blob_received, resp, resp_len);
    }
    board_model_blob_write(m.offset, m.data.data, m.data.len);
    blob_received = m.offset + m.data.len;
    proto_load_ack ack = {blob_received, board_model_store_bytes(), 0u};
    if (blob_received == blob_total) {
        int status = fqt_model_blob_load(board_model_blob(), blob_total, arena, arena_capacity, &model, &trainer, &arena_used);
        blob_total = blob_received = 0;
        /* A model whose arena does not fit is "too big for the board", with the arena's capacity. */
        if (status == FQT_ERR_ARENA) return fail(PROTO_ERR_CAPACITY, (int32_t)arena_capacity, resp, resp_len);
        if (status != FQT_OK) return fail(PROTO_ERR_REFUSED, status, resp, resp_len);
        start_run();
        ack.arena_bytes = (uint32_t)arena_used;
    }
    *resp_len = (uint16_t)proto_load_ack_encode(&ack, resp, PROTO_MAX_PAYLOAD);
    return PROTO_OK;
}

uint8_t training_configure(const proto_frame *req, uint8_t *resp, uint16_t *resp_len)
{
    proto_configure m;
    if (proto_configure_decode(req->payload, req->len, &m) != PROTO_OK || m.input_format > PROTO_INPUT_FLOAT32) {
        return fail(PROTO_ERR_BAD_PAYLOAD, 0, resp, resp_len);
    }
    if (!loaded) return fail(PROTO_ERR_NO_MODEL, 0, resp, resp_len);
    if (m.input_format == PROTO_INPUT_CODES && model.features[0].q == NULL) {
        return fail(PROTO_ERR_REFUSED, FQT_ERR_INPUT, resp, resp_len);
    }
    input_format = m.input_format;
    next_sample = m.next_sample;
    return PROTO_OK;
}

/* Bytes of one input in the configured format. */
static uint32_t input_bytes(void)
{
    return (uint32_t)model.input_size * (input_format == PROTO_INPUT_CODES ? 1u : 4u);
}

/* The input as the core takes it: codes in place, floats copied (the frame's bytes are not aligned). */
static int run_sample(int last, int32_t label, const uint8_t *input, proto_sample_result *r)
{
    const float *x = NULL;
    const uint8_t *codes = NULL;
    uint64_t before[PROTO_PHASES] = {trainer.forward_time, trainer.backward_time, trainer.update_time,
                                     trainer.ctx.select_time};
    if (input_format == PROTO_INPUT_CODES) {
        codes = input;
    } else {
        if (input != (const uint8_t *)float_input) memcpy(float_input, input, input_bytes());
        x = float_input;
    }
    sample_selected = 0;
    int status = fqt_trainer_sample(&trainer, x, codes, label, last, &r->loss, &r->predicted);
    if (status != FQT_OK) return status;
    uint64_t after[PROTO_PHASES] = {trainer.forward_time, trainer.backward_time, trainer.update_time,
                                    trainer.ctx.select_time};
    for (int p = 0; p < PROTO_PHASES; p++) r->ticks[p] = (uint32_t)(after[p] - before[p]);
    r->sample = next_sample++;
    r->updated_fraction = trainable_structures == 0u ? 0.0f : (float)sample_selected / (float)trainable_structures;
    trained++;
    return FQT_OK;
}

uint8_t training_sample(const proto_frame *req, uint8_t *resp, uint16_t *resp_len)
{
    proto_train_sample m;
    if (proto_train_sample_decode(req->payload, req->len, &m) != PROTO_OK) return fail(PROTO_ERR_BAD_PAYLOAD, 0, resp, resp_len);
    if (!loaded) return fail(PROTO_ERR_NO_MODEL, 0, resp, resp_len);
    if (m.input.len != input_bytes()) return fail(PROTO_ERR_BAD_PAYLOAD, 0, resp, resp_len);
    int status = run_sample(m.flags & PROTO_SAMPLE_LAST_OF_EPOCH, m.label, m.input.data, &answer.results[0]);
    if (status != FQT_OK) return fail(PROTO_ERR_REFUSED, status, resp, resp_len);
    *resp_len = (uint16_t)proto_sample_result_encode(&answer.results[0], resp, PROTO_MAX_PAYLOAD);
    return PROTO_OK;
}

uint8_t training_batch(const proto_frame *req, uint8_t *resp, uint16_t *resp_len)
{
    proto_samples m;
    if (proto_samples_decode(req->payload, req->len, &m) != PROTO_OK || m.count > MAX_BATCH) {
        return fail(PROTO_ERR_BAD_PAYLOAD, 0, resp, resp_len);
    }
    if (!loaded) return fail(PROTO_ERR_NO_MODEL, 0, resp, resp_len);
    if (m.input_bytes != input_bytes()) return fail(PROTO_ERR_BAD_PAYLOAD, 0, resp, resp_len);
    for (uint16_t i = 0; i < m.count; i++) {
        int32_t label;
        const uint8_t *input;
        proto_samples_at(&m, i, &label, &input);
        int last = i + 1u == m.count && (m.flags & PROTO_SAMPLE_LAST_OF_EPOCH) != 0u;
        int status = run_sample(last, label, input, &answer.results[i]);
        if (status != FQT_OK) return fail(PROTO_ERR_REFUSED, status, resp, resp_len);
    }
    *resp_len = (uint16_t)proto_results_encode(answer.results, m.count, resp, PROTO_MAX_PAYLOAD);
    return PROTO_OK;
}

uint8_t training_evaluate(const proto_frame *req, uint8_t *resp, uint16_t *resp_len)
{
    proto_samples m;
    if (proto_samples_decode(req->payload, req->len, &m) != PROTO_OK || m.count > MAX_EVAL) {
        return fail(PROTO_ERR_BAD_PAYLOAD, 0, resp, resp_len);
    }
    if (!loaded) return fail(PROTO_ERR_NO_MODEL, 0, resp, resp_len);
    if (m.input_bytes != input_bytes()) return fail(PROTO_ERR_BAD_PAYLOAD, 0, resp, resp_len);
    if (m.flags & PROTO_EVAL_FIRST) fqt_trainer_begin_evaluation(&trainer);
    for (uint16_t i = 0; i < m.count; i++) {
        int32_t label;
        const uint8_t *input;
        proto_samples_at(&m, i, &label, &input);
        const float *x = NULL;
        const uint8_t *codes = NULL;
        if (input_format == PROTO_INPUT_CODES) {
            codes = input;
        } else {
            memcpy(float_input, input, input_bytes());
            x = float_input;
        }
        int status = fqt_trainer_predict(&trainer, x, codes, &answer.predicted[i]);
        if (status != FQT_OK) return fail(PROTO_ERR_REFUSED, status, resp, resp_len);
    }
    *resp_len = (uint16_t)proto_predictions_encode(answer.predicted, m.count, resp, PROTO_MAX_PAYLOAD);
    return PROTO_OK;
}

/* Answers a read of [offset, offset + max) of an image of total bytes; fill copies its bytes. */
static uint8_t read_chunk(const proto_read_weights *m, uint32_t total, void (*fill)(uint32_t offset, uint32_t n),
                          uint8_t *resp, uint16_t *resp_len)
{
    if (m->offset > total) return fail(PROTO_ERR_OFFSET, (int32_t)total, resp, resp_len);
    uint32_t n = total - m->offset;
    if (n > m->max_bytes) n = m->max_bytes;
    if (n > MAX_CHUNK) n = MAX_CHUNK;
    fill(m->offset, n);
    proto_weights_chunk c = {total, m->offset, {answer.chunk, n}};
    *resp_len = (uint16_t)proto_weights_chunk_encode(&c, resp, PROTO_MAX_PAYLOAD);
    return PROTO_OK;
}

static void fill_image(uint32_t offset, uint32_t n)
{
    memcpy(answer.chunk, board_model_image() + offset, n);
}

uint8_t training_read_weights(const proto_frame *req, uint8_t *resp, uint16_t *resp_len)
{
    proto_read_weights m;
    if (proto_read_weights_decode(req->payload, req->len, &m) != PROTO_OK) return fail(PROTO_ERR_BAD_PAYLOAD, 0, resp, resp_len);
    if (!loaded) return fail(PROTO_ERR_NO_MODEL, 0, resp, resp_len);
    if (m.offset == 0u) {
        /* A read starts: the image of this moment, so a multi-chunk read is consistent. */
        uint32_t cap = board_model_store_bytes();
        if (fqt_model_blob_size(&model, &trainer) > cap) return fail(PROTO_ERR_CAPACITY, (int32_t)cap, resp, resp_len);
        int status = fqt_model_blob_write(&model, &trainer, board_model_image(), cap, &image_len);
        if (status != FQT_OK) return fail(PROTO_ERR_REFUSED, status, resp, resp_len);
    }
    return read_chunk(&m, (uint32_t)image_len, fill_image, resp, resp_len);
}

uint8_t training_read_stats(const proto_frame *req, uint8_t *resp, uint16_t *resp_len)
{
    if (req->len != 0u) return fail(PROTO_ERR_BAD_PAYLOAD, 0, resp, resp_len);
    if (!loaded) return fail(PROTO_ERR_NO_MODEL, 0, resp, resp_len);
    /* The arena is laid out once per model: its high-water mark is its size. */
    proto_stats s = {PROTO_TIME_INSTRUCTIONS, trained, (uint32_t)arena_used, (uint32_t)arena_used,
                     {trainer.forward_time, trainer.backward_time, trainer.update_time, trainer.ctx.select_time},
                     (uint16_t)model.n_layers, NULL};
    *resp_len = (uint16_t)proto_stats_encode(&s, layer_selections, resp, PROTO_MAX_PAYLOAD);
    return PROTO_OK;
}

/*
 * The checkpoint: what a blob does not hold and the next samples depend on. The header has the
 * random stream's state, the samples in the open batch and each layer's count of them, and the
 * loss range when the model struct keeps it; the arena holds the rest (gradients, optimizer and
 * selector state, ranges). Restored over a load of the blob read at the same moment.
 */
static uint32_t state_bytes(void)
{
    return STATE_HEAD_BYTES(model.n_layers) + (uint32_t)arena_used;
}

static void fill_state(uint32_t offset, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++, offset++) {
        uint32_t head = STATE_HEAD_BYTES(model.n_layers);
        answer.chunk[i] = offset < head ? ((const uint8_t *)state_head)[offset] : arena[offset - head];
    }
}

uint8_t training_read_state(const proto_frame *req, uint8_t *resp, uint16_t *resp_len)
{
    proto_read_weights m;
    if (proto_read_weights_decode(req->payload, req->len, &m) != PROTO_OK) return fail(PROTO_ERR_BAD_PAYLOAD, 0, resp, resp_len);
    if (!loaded) return fail(PROTO_ERR_NO_MODEL, 0, resp, resp_len);
    if (m.offset == 0u) {
        state_head[0] = STATE_MAGIC;
        state_head[1] = STATE_VERSION;
        state_head[2] = (uint32_t)arena_used;
        state_head[3] = trainer.rng.state;
        state_head[4] = (uint32_t)trainer.in_batch;
        memcpy(&state_head[5], &model.loss_range_state.min, 4);
        memcpy(&state_head[6], &model.loss_range_state.max, 4);
        for (int32_t i = 0; i < model.n_layers; i++) state_head[STATE_FIXED_WORDS + i] = (uint32_t)model.layers[i].w.samples;
    }
    return read_chunk(&m, state_bytes(), fill_state, resp, resp_len);
}

uint8_t training_write_state(const proto_frame *req, uint8_t *resp, uint16_t *resp_len)
{
    proto_load_model m;
    if (proto_load_model_decode(req->payload, req->len, &m) != PROTO_OK || m.offset + m.data.len > m.total_bytes) {
        return fail(PROTO_ERR_BAD_PAYLOAD, 0, resp, resp_len);
    }
    if (!loaded) return fail(PROTO_ERR_NO_MODEL, 0, resp, resp_len);
    if (m.offset == 0u) {
        /* Only a state of this model's layout: refused before the arena is touched. */
        if (m.total_bytes != state_bytes()) return fail(PROTO_ERR_REFUSED, FQT_ERR_SIZE, resp, resp_len);
        state_total = m.total_bytes;
    } else if (m.total_bytes != state_total || m.offset != state_received) {
        return fail(PROTO_ERR_OFFSET, (int32_t)state_received, resp, resp_len);
    }
    uint32_t head = STATE_HEAD_BYTES(model.n_layers);
    for (uint32_t i = 0, at = m.offset; i < m.data.len; i++, at++) {
        if (at < head) ((uint8_t *)state_head)[at] = m.data.data[i];
        else arena[at - head] = m.data.data[i];
    }
    state_received = m.offset + m.data.len;
    proto_load_ack ack = {state_received, state_total, 0u};
    if (state_received == state_total) {
        state_total = state_received = 0;
        if (state_head[0] != STATE_MAGIC || state_head[1] != STATE_VERSION || state_head[2] != (uint32_t)arena_used) {
            loaded = 0; /* the arena holds another state now: the model must be loaded again */
            return fail(PROTO_ERR_REFUSED, FQT_ERR_SIZE, resp, resp_len);
        }
        trainer.rng.state = state_head[3];
        trainer.in_batch = (int32_t)state_head[4];
        memcpy(&model.loss_range_state.min, &state_head[5], 4);
        memcpy(&model.loss_range_state.max, &state_head[6], 4);
        for (int32_t i = 0; i < model.n_layers; i++) model.layers[i].w.samples = (int32_t)state_head[STATE_FIXED_WORDS + i];
        int status = fqt_model_blob_check_state(&model, &trainer);
        if (status != FQT_OK) {
            loaded = 0; /* the arena holds a state training cannot have produced: load the model again */
            return fail(PROTO_ERR_REFUSED, status, resp, resp_len);
        }
        ack.arena_bytes = (uint32_t)arena_used;
    }
    *resp_len = (uint16_t)proto_load_ack_encode(&ack, resp, PROTO_MAX_PAYLOAD);
    return PROTO_OK;
}

/* STAGE_INPUT: a chunk of one sample's input, in order from offset 0 (which starts a new one). */
uint8_t training_stage_input(const proto_frame *req, uint8_t *resp, uint16_t *resp_len)
{
    proto_load_model m;
    if (proto_load_model_decode(req->payload, req->len, &m) != PROTO_OK) return fail(PROTO_ERR_BAD_PAYLOAD, 0, resp, resp_len);
    if (!loaded) return fail(PROTO_ERR_NO_MODEL, 0, resp, resp_len);
    if (m.total_bytes != input_bytes() || m.offset > m.total_bytes || m.data.len > m.total_bytes - m.offset) {
        return fail(PROTO_ERR_BAD_PAYLOAD, 0, resp, resp_len);
    }
    if (m.offset == 0u) staged_received = 0;
    if (m.offset != staged_received) return fail(PROTO_ERR_OFFSET, (int32_t)staged_received, resp, resp_len);
    memcpy((uint8_t *)float_input + m.offset, m.data.data, m.data.len);
    staged_received = m.offset + m.data.len;
    proto_load_ack ack = {staged_received, m.total_bytes, 0u};
    *resp_len = (uint16_t)proto_load_ack_encode(&ack, resp, PROTO_MAX_PAYLOAD);
    return PROTO_OK;
}

/* Whether a whole input is staged: ERR_OFFSET with the bytes staged when not. */
static int staged_ready(uint8_t *resp, uint16_t *resp_len, uint8_t *status)
{
    if (!loaded) {
        *status = fail(PROTO_ERR_NO_MODEL, 0, resp, resp_len);
        return 0;
    }
    if (staged_received != input_bytes()) {
        *status = fail(PROTO_ERR_OFFSET, (int32_t)staged_received, resp, resp_len);
        return 0;
    }
    staged_received = 0; /* consumed: a resend is answered from the kept response, never run twice */
    return 1;
}

uint8_t training_train_staged(const proto_frame *req, uint8_t *resp, uint16_t *resp_len)
{
    proto_train_sample m;
    uint8_t status;
    if (proto_train_sample_decode(req->payload, req->len, &m) != PROTO_OK || m.input.len != 0u) {
        return fail(PROTO_ERR_BAD_PAYLOAD, 0, resp, resp_len);
    }
    if (!staged_ready(resp, resp_len, &status)) return status;
    int core = run_sample(m.flags & PROTO_SAMPLE_LAST_OF_EPOCH, m.label, (const uint8_t *)float_input, &answer.results[0]);
    if (core != FQT_OK) return fail(PROTO_ERR_REFUSED, core, resp, resp_len);
    *resp_len = (uint16_t)proto_results_encode(answer.results, 1u, resp, PROTO_MAX_PAYLOAD);
    return PROTO_OK;
}

uint8_t training_evaluate_staged(const proto_frame *req, uint8_t *resp, uint16_t *resp_len)
{
    proto_evaluate_staged m;
    uint8_t status;
    if (proto_evaluate_staged_decode(req->payload, req->len, &m) != PROTO_OK) return fail(PROTO_ERR_BAD_PAYLOAD, 0, resp, resp_len);
    if (!staged_ready(resp, resp_len, &status)) return status;
    if (m.flags & PROTO_EVAL_FIRST) fqt_trainer_begin_evaluation(&trainer);
    const uint8_t *codes = input_format == PROTO_INPUT_CODES ? (const uint8_t *)float_input : NULL;
    int core = fqt_trainer_predict(&trainer, codes ? NULL : float_input, codes, &answer.predicted[0]);
    if (core != FQT_OK) return fail(PROTO_ERR_REFUSED, core, resp, resp_len);
    *resp_len = (uint16_t)proto_predictions_encode(answer.predicted, 1u, resp, PROTO_MAX_PAYLOAD);
    return PROTO_OK;
}
