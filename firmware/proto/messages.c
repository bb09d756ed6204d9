#include "messages.h"

#include <string.h>

/* Appends to out[0..cap); once a value does not fit, full is set and nothing more is written. */
typedef struct {
    uint8_t *out;
    uint32_t cap;
    uint32_t len;
    int full;
} writer;

/* Reads p[0..len); reading past the end sets bad and yields zeros. */
typedef struct {
    const uint8_t *p;
    uint32_t len;
    uint32_t at;
    int bad;
} reader;

static writer writer_of(uint8_t *out, uint32_t cap)
{
    writer w = {out, cap, 0, 0};
    return w;
}

static reader reader_of(const uint8_t *p, uint32_t len)
{
    reader r = {p, len, 0, 0};
    return r;
}

static void put(writer *w, const void *data, uint32_t n)
{
    if (w->full || n > w->cap - w->len) {
        w->full = 1;
        return;
    }
    if (n > 0u) {
        memcpy(w->out + w->len, data, n);
    }
    w->len += n;
}

static void put_uint(writer *w, uint64_t v, uint32_t bytes)
{
    uint8_t b[8];
    for (uint32_t i = 0; i < bytes; i++) {
        b[i] = (uint8_t)(v >> (8u * i));
    }
    put(w, b, bytes);
}

static void put_u8(writer *w, uint8_t v)
{
    put_uint(w, v, 1u);
}

static void put_u16(writer *w, uint16_t v)
{
    put_uint(w, v, 2u);
}

static void put_u32(writer *w, uint32_t v)
{
    put_uint(w, v, 4u);
}

static void put_f32(writer *w, float v)
{
    uint32_t bits;
    memcpy(&bits, &v, 4u);
    put_u32(w, bits);
}

/* u8 length, then the bytes. */
static void put_counted(writer *w, proto_bytes b)
{
    if (b.len > 255u) {
        w->full = 1;
        return;
    }
    put_u8(w, (uint8_t)b.len);
    put(w, b.data, b.len);
}

static uint32_t finish(const writer *w)
{
    return w->full ? 0u : w->len;
}

/* The next n bytes in place, or NULL past the end. */
static const uint8_t *take(reader *r, uint32_t n)
{
    if (r->bad || n > r->len - r->at) {
        r->bad = 1;
        return NULL;
    }
    const uint8_t *p = r->p + r->at;
    r->at += n;
    return p;
}

static uint64_t get_uint(reader *r, uint32_t bytes)
{
    const uint8_t *p = take(r, bytes);
    uint64_t v = 0;
    for (uint32_t i = 0; p != NULL && i < bytes; i++) {
        v |= (uint64_t)p[i] << (8u * i);
    }
    return v;
}

static uint8_t get_u8(reader *r)
{
    return (uint8_t)get_uint(r, 1u);
}

static uint16_t get_u16(reader *r)
{
    return (uint16_t)get_uint(r, 2u);
}

static uint32_t get_u32(reader *r)
{
    return (uint32_t)get_uint(r, 4u);
}

static int32_t get_i32(reader *r)
{
    return (int32_t)get_u32(r);
}

static float get_f32(reader *r)
{
    uint32_t bits = get_u32(r);
    float v;
    memcpy(&v, &bits, 4u);
    return v;
}

static proto_bytes get_counted(reader *r)
{
    proto_bytes b;
    b.len = get_u8(r);
    b.data = take(r, b.len);
    return b;
}

/* Everything from here to the end. */
static proto_bytes get_rest(reader *r)
{
    proto_bytes b;
    b.len = r->bad ? 0u : r->len - r->at;
    b.data = take(r, b.len);
    return b;
}

/* PROTO_OK when the layout read every byte and no more. */
static int done(const reader *r)
{
    return (!r->bad && r->at == r->len) ? PROTO_OK : PROTO_ERR_BAD_PAYLOAD;
}

uint32_t proto_get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

uint32_t proto_detail_encode(int32_t detail, uint8_t *out, uint32_t cap)
{
    writer w = writer_of(out, cap);
    put_u32(&w, (uint32_t)detail);
    return finish(&w);
}

int proto_detail_decode(const uint8_t *p, uint32_t len, int32_t *detail)
{
    reader r = reader_of(p, len);
    *detail = get_i32(&r);
    return done(&r);
}

uint32_t proto_hello_encode(const proto_hello *m, uint8_t *out, uint32_t cap)
{
    writer w = writer_of(out, cap);
    put_u8(&w, m->version);
    put_u16(&w, m->max_payload);
    return finish(&w);
}

int proto_hello_decode(const uint8_t *p, uint32_t len, proto_hello *m)
{
    reader r = reader_of(p, len);
    m->version = get_u8(&r);
    m->max_payload = get_u16(&r);
    return done(&r);
}

uint32_t proto_info_encode(const proto_info *m, uint8_t *out, uint32_t cap)
{
    writer w = writer_of(out, cap);
    put_u32(&w, m->clock_hz);
    put_u32(&w, m->ram_bytes);
    put_counted(&w, m->core);
    put_counted(&w, m->firmware_version);
    put_counted(&w, m->build_id);
    put_u32(&w, m->arena_capacity);
    put_u32(&w, m->blob_capacity);
    put_counted(&w, m->board);
    put_u32(&w, m->stack_used);
    return finish(&w);
}

int proto_info_decode(const uint8_t *p, uint32_t len, proto_info *m)
{
    reader r = reader_of(p, len);
    m->clock_hz = get_u32(&r);
    m->ram_bytes = get_u32(&r);
    m->core = get_counted(&r);
    m->firmware_version = get_counted(&r);
    m->build_id = get_counted(&r);
    m->arena_capacity = get_u32(&r);
    m->blob_capacity = get_u32(&r);
    m->board = get_counted(&r);
    m->stack_used = get_u32(&r);
    return done(&r);
}

uint32_t proto_load_model_encode(const proto_load_model *m, uint8_t *out, uint32_t cap)
{
    writer w = writer_of(out, cap);
    put_u32(&w, m->total_bytes);
    put_u32(&w, m->offset);
    put(&w, m->data.data, m->data.len);
    return finish(&w);
}

int proto_load_model_decode(const uint8_t *p, uint32_t len, proto_load_model *m)
{
    reader r = reader_of(p, len);
    m->total_bytes = get_u32(&r);
    m->offset = get_u32(&r);
    m->data = get_rest(&r);
    return done(&r);
}

uint32_t proto_load_ack_encode(const proto_load_ack *m, uint8_t *out, uint32_t cap)
{
    writer w = writer_of(out, cap);
    put_u32(&w, m->received_bytes);
    put_u32(&w, m->capacity_bytes);
    put_u32(&w, m->arena_bytes);
    return finish(&w);
}

int proto_load_ack_decode(const uint8_t *p, uint32_t len, proto_load_ack *m)
{
    reader r = reader_of(p, len);
    m->received_bytes = get_u32(&r);
    m->capacity_bytes = get_u32(&r);
    m->arena_bytes = get_u32(&r);
    return done(&r);
}

uint32_t proto_configure_encode(const proto_configure *m, uint8_t *out, uint32_t cap)
{
    writer w = writer_of(out, cap);
    put_u8(&w, m->input_format);
    put_u32(&w, m->next_sample);
    return finish(&w);
}

int proto_configure_decode(const uint8_t *p, uint32_t len, proto_configure *m)
{
    reader r = reader_of(p, len);
    m->input_format = get_u8(&r);
    m->next_sample = get_u32(&r);
    if (m->input_format > PROTO_INPUT_FLOAT32) {
        return PROTO_ERR_BAD_PAYLOAD;
    }
    return done(&r);
}

uint32_t proto_evaluate_staged_encode(const proto_evaluate_staged *m, uint8_t *out, uint32_t cap)
{
    writer w = writer_of(out, cap);
    put_u8(&w, m->flags);
    return finish(&w);
}

int proto_evaluate_staged_decode(const uint8_t *p, uint32_t len, proto_evaluate_staged *m)
{
    reader r = reader_of(p, len);
    m->flags = get_u8(&r);
    return done(&r);
}

uint32_t proto_train_sample_encode(const proto_train_sample *m, uint8_t *out, uint32_t cap)
{
    writer w = writer_of(out, cap);
    put_u8(&w, m->flags);
    put_u32(&w, (uint32_t)m->label);
    put(&w, m->input.data, m->input.len);
    return finish(&w);
}

int proto_train_sample_decode(const uint8_t *p, uint32_t len, proto_train_sample *m)
{
    reader r = reader_of(p, len);
    m->flags = get_u8(&r);
    m->label = get_i32(&r);
    m->input = get_rest(&r);
    return done(&r);
}

static void put_result(writer *w, const proto_sample_result *m)
{
    put_u32(w, m->sample);
    put_f32(w, m->loss);
    put_u32(w, (uint32_t)m->predicted);
    for (int i = 0; i < PROTO_PHASES; i++) {
        put_u32(w, m->ticks[i]);
    }
    put_f32(w, m->updated_fraction);
}

static void get_result(reader *r, proto_sample_result *m)
{
    m->sample = get_u32(r);
    m->loss = get_f32(r);
    m->predicted = get_i32(r);
    for (int i = 0; i < PROTO_PHASES; i++) {
        m->ticks[i] = get_u32(r);
    }
    m->updated_fraction = get_f32(r);
}

uint32_t proto_sample_result_encode(const proto_sample_result *m, uint8_t *out, uint32_t cap)
{
    writer w = writer_of(out, cap);
    put_result(&w, m);
    return finish(&w);
}

int proto_sample_result_decode(const uint8_t *p, uint32_t len, proto_sample_result *m)
{
    reader r = reader_of(p, len);
    get_result(&r, m);
    return done(&r);
}

uint32_t proto_samples_encode(uint8_t flags, uint16_t count, uint16_t input_bytes, const int32_t *labels,
                              const uint8_t *inputs, uint8_t *out, uint32_t cap)
{
    writer w = writer_of(out, cap);
    put_u8(&w, flags);
    put_u16(&w, count);
    put_u16(&w, input_bytes);
    for (uint16_t i = 0; i < count; i++) {
        put_u32(&w, (uint32_t)labels[i]);
        put(&w, inputs + (uint32_t)i * input_bytes, input_bytes);
    }
    return finish(&w);
}

int proto_samples_decode(const uint8_t *p, uint32_t len, proto_samples *m)
{
    reader r = reader_of(p, len);
    m->flags = get_u8(&r);
    m->count = get_u16(&r);
    m->input_bytes = get_u16(&r);
    /* Compared in 64 bits: 65535 samples of 65535 bytes overflow 32. */
    uint64_t bytes = (uint64_t)m->count * (4u + m->input_bytes);
    if (m->count == 0u || bytes > len) {
        return PROTO_ERR_BAD_PAYLOAD;
    }
    m->samples = take(&r, (uint32_t)bytes);
    return done(&r);
}

void proto_samples_at(const proto_samples *m, uint16_t i, int32_t *label, const uint8_t **input)
{
    const uint8_t *s = m->samples + (uint32_t)i * (4u + m->input_bytes);
    *label = (int32_t)proto_get_u32(s);
    *input = s + 4;
}

uint32_t proto_results_encode(const proto_sample_result *results, uint16_t count, uint8_t *out, uint32_t cap)
{
    writer w = writer_of(out, cap);
    put_u16(&w, count);
    for (uint16_t i = 0; i < count; i++) {
        put_result(&w, &results[i]);
    }
    return finish(&w);
}

int proto_results_decode(const uint8_t *p, uint32_t len, proto_results *m)
{
    reader r = reader_of(p, len);
    m->count = get_u16(&r);
    m->results = take(&r, (uint32_t)m->count * PROTO_SAMPLE_RESULT_BYTES);
    return done(&r);
}

void proto_results_at(const proto_results *m, uint16_t i, proto_sample_result *r)
{
    reader rd = reader_of(m->results + (uint32_t)i * PROTO_SAMPLE_RESULT_BYTES, PROTO_SAMPLE_RESULT_BYTES);
    get_result(&rd, r);
}

uint32_t proto_predictions_encode(const int32_t *predicted, uint16_t count, uint8_t *out, uint32_t cap)
{
    writer w = writer_of(out, cap);
    put_u16(&w, count);
    for (uint16_t i = 0; i < count; i++) {
        put_u32(&w, (uint32_t)predicted[i]);
    }
    return finish(&w);
}

int proto_predictions_decode(const uint8_t *p, uint32_t len, proto_predictions *m)
{
    reader r = reader_of(p, len);
    m->count = get_u16(&r);
    m->predicted = take(&r, (uint32_t)m->count * 4u);
    return done(&r);
}

int32_t proto_predictions_at(const proto_predictions *m, uint16_t i)
{
    return (int32_t)proto_get_u32(m->predicted + 4u * i);
}

uint32_t proto_read_weights_encode(const proto_read_weights *m, uint8_t *out, uint32_t cap)
{
    writer w = writer_of(out, cap);
    put_u32(&w, m->offset);
    put_u16(&w, m->max_bytes);
    return finish(&w);
}

int proto_read_weights_decode(const uint8_t *p, uint32_t len, proto_read_weights *m)
{
    reader r = reader_of(p, len);
    m->offset = get_u32(&r);
    m->max_bytes = get_u16(&r);
    return done(&r);
}

uint32_t proto_weights_chunk_encode(const proto_weights_chunk *m, uint8_t *out, uint32_t cap)
{
    writer w = writer_of(out, cap);
    put_u32(&w, m->total_bytes);
    put_u32(&w, m->offset);
    put(&w, m->data.data, m->data.len);
    return finish(&w);
}

int proto_weights_chunk_decode(const uint8_t *p, uint32_t len, proto_weights_chunk *m)
{
    reader r = reader_of(p, len);
    m->total_bytes = get_u32(&r);
    m->offset = get_u32(&r);
    m->data = get_rest(&r);
    return done(&r);
}

uint32_t proto_stats_encode(const proto_stats *m, const uint32_t *selections, uint8_t *out, uint32_t cap)
{
    writer w = writer_of(out, cap);
    put_u8(&w, m->time_unit);
    put_u32(&w, m->samples);
    put_u32(&w, m->arena_bytes);
    put_u32(&w, m->arena_high_water_bytes);
    for (int i = 0; i < PROTO_PHASES; i++) {
        put_uint(&w, m->ticks[i], 8u);
    }
    put_u16(&w, m->layers);
    for (uint16_t i = 0; i < m->layers; i++) {
        put_u32(&w, selections[i]);
    }
    return finish(&w);
}

int proto_stats_decode(const uint8_t *p, uint32_t len, proto_stats *m)
{
    reader r = reader_of(p, len);
    m->time_unit = get_u8(&r);
    m->samples = get_u32(&r);
    m->arena_bytes = get_u32(&r);
    m->arena_high_water_bytes = get_u32(&r);
    for (int i = 0; i < PROTO_PHASES; i++) {
        m->ticks[i] = get_uint(&r, 8u);
    }
    m->layers = get_u16(&r);
    m->selections = take(&r, (uint32_t)m->layers * 4u);
    return done(&r);
}

uint32_t proto_stats_selection_at(const proto_stats *m, uint16_t layer)
{
    return proto_get_u32(m->selections + 4u * layer);
}
