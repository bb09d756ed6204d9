#include "model_blob.h"

#include <string.h>

#include "arena.h"
#include "crc32.h"
#include "fqt_status.h"

/* Offsets of the fixed part (firmware/BLOB.md). */
#define OFF_VERSION 4
#define OFF_HEADER_BYTES 6
#define OFF_BLOB_BYTES 8
#define OFF_FLAGS 12
#define OFF_CONFIG 16
#define OFF_MODEL 76
#define OFF_INPUT_PARAMS 100
#define OFF_LOSS_RANGE 108
#define OFF_LAYERS 120
/* kind, flags, input count, 0, record bytes, two u16 input tensors */
#define LAYER_HEADER_BYTES 12
/* Add's data: output qparams 8, output range 12. */
#define ADD_DATA 20
/* Plan section: region bytes, entry count; entries of role, 0, u16 tensor, offset, bytes. */
#define PLAN_ENTRY_BYTES 12
enum { PLAN_FEATURES = 1, PLAN_ERRORS = 2, PLAN_ERROR_SUM = 3, PLAN_ERROR_SHARE = 4, PLAN_LOSS = 5 };
/* Weight layer data after the geometry: weight qparams 8, out qparams 8, out range 12. */
#define WEIGHT_DATA_FIXED 28

static const uint8_t MAGIC[4] = {'F', 'Q', 'T', 'B'};

static uint32_t rd_u32(const uint8_t *p) {
    return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 | (uint32_t) p[3] << 24;
}

static uint16_t rd_u16(const uint8_t *p) {
    return (uint16_t) (p[0] | p[1] << 8);
}

static float rd_f32(const uint8_t *p) {
    uint32_t bits = rd_u32(p);
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

static int32_t rd_i32(const uint8_t *p) {
    uint32_t u = rd_u32(p);
    int32_t i;
    memcpy(&i, &u, sizeof i);
    return i;
}

static void wr_u32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t) v;
    p[1] = (uint8_t) (v >> 8);
    p[2] = (uint8_t) (v >> 16);
    p[3] = (uint8_t) (v >> 24);
}

static void wr_f32(uint8_t *p, float f) {
    uint32_t bits;
    memcpy(&bits, &f, sizeof bits);
    wr_u32(p, bits);
}

static int is_finite(float v) {
    return v == v && v - v == 0.0f;
}

static int all_zero(const uint8_t *p, size_t n) {
    size_t i;
    for (i = 0; i < n; i++) if (p[i] != 0) return 0;
    return 1;
}

static size_t pad4(size_t n) {
    return (n + 3) / 4 * 4;
}

static int32_t geometry_words(fqt_layer_kind kind) {
    switch (kind) {
    case FQT_LAYER_LINEAR: return 2;
    case FQT_LAYER_CONV2D: return 9;
    case FQT_LAYER_MAXPOOL2D:
    case FQT_LAYER_AVGPOOL2D: return 6;
    case FQT_LAYER_CLAMP: return 2;
    default: return 0;
    }
}

static int little_endian(void) {
    uint32_t one = 1;
    uint8_t first;
    memcpy(&first, &one, 1);
    return first == 1;
}

/* A u32 dimension read as int32; anything from 2^15 up is rejected by the geometry checks. */
static int32_t dim(const uint8_t *p) {
    uint32_t v = rd_u32(p);
    return v > 0x7FFFFFFFu ? -1 : (int32_t) v;
}

static int parse_config(const uint8_t *b, fqt_train_config *cfg) {
    const uint8_t *c = b + OFF_CONFIG;
    float lr = rd_f32(c + 24), p1 = rd_f32(c + 28), p2 = rd_f32(c + 32);
    uint32_t batch = rd_u32(c + 12);
    if (c[0] > 2 || c[1] > 2 || c[2] > 2 || c[3] > 3 || c[44] > 1 || c[45] > 1 || c[46] > 1 || c[47] > FQT_MAX_LAYERS) {
        return FQT_ERR_CONFIG;
    }
    cfg->precision = (fqt_precision) c[0];
    cfg->rounding = (fqt_rounding) c[1];
    cfg->error_range = (fqt_error_range) c[2];
    cfg->alpha_a = rd_f32(c + 4);
    cfg->alpha_e = rd_f32(c + 8);
    if (!(cfg->alpha_a >= 0.0f && cfg->alpha_a <= 1.0f && cfg->alpha_e >= 0.0f && cfg->alpha_e <= 1.0f)) return FQT_ERR_CONFIG;
    if (batch < 1 || batch > 0x7FFFFFFFu) return FQT_ERR_CONFIG;
    cfg->batch = (int32_t) batch;
    cfg->seed = (int64_t) ((uint64_t) rd_u32(c + 16) | (uint64_t) rd_u32(c + 20) << 32);
    if (!is_finite(lr) || !is_finite(p1) || !is_finite(p2)) return FQT_ERR_CONFIG;
    memset(&cfg->optimizer, 0, sizeof cfg->optimizer);
    cfg->optimizer.kind = (fqt_optimizer_kind) c[3];
    cfg->optimizer.lr = lr;
    switch (cfg->optimizer.kind) {
    case FQT_OPTIMIZER_SGD: if (p1 != 0.0f || p2 != 0.0f) return FQT_ERR_CONFIG; break;
    case FQT_OPTIMIZER_STANDARDIZED_SGD: cfg->optimizer.alpha_norm = p1; if (p2 != 0.0f) return FQT_ERR_CONFIG; break;
    case FQT_OPTIMIZER_MOMENTUM: cfg->optimizer.mu = p1; if (p2 != 0.0f) return FQT_ERR_CONFIG; break;
    case FQT_OPTIMIZER_ADAM: cfg->optimizer.beta1 = p1; cfg->optimizer.beta2 = p2; break;
    }
    cfg->lambda_min = rd_f32(c + 36);
    cfg->lambda_max = rd_f32(c + 40);
    cfg->error_by = (fqt_error_by) c[44];
    cfg->full_head = c[45];
    cfg->bias_only = c[46];
    cfg->train_last = c[47];
    cfg->epochs = rd_u32(c + 48);
    cfg->calibration = rd_u32(c + 52);
    if (c[56] > 1 || c[57] > 3 || !all_zero(c + 58, 2)) return FQT_ERR_CONFIG;
    cfg->loss = c[56];
    cfg->gradients = (fqt_gradients) c[57];
    if (cfg->gradients == FQT_GRADIENTS_IN_PLACE && cfg->batch != 1) return FQT_ERR_CONFIG;
    if (cfg->epochs < 1 || cfg->epochs > 0x7FFFFFFFu || cfg->calibration < 1 || cfg->calibration > 0x7FFFFFFFu) return FQT_ERR_CONFIG;
    if (!(cfg->lambda_min >= 0.0f && cfg->lambda_min <= 1.0f && cfg->lambda_max >= cfg->lambda_min && cfg->lambda_max <= 1.0f)) {
        return FQT_ERR_CONFIG;
    }
    return FQT_OK;
}

/* A stored range: seen flag (0 or 1), then min and max; unseen ranges are all zeros. */
static int parse_range(const uint8_t *p, fqt_range_tracker *r) {
    float min = rd_f32(p + 4), max = rd_f32(p + 8);
    if (p[0] > 1 || !all_zero(p + 1, 3)) return FQT_ERR_PARAMS;
    if (p[0] == 0) {
        if (!all_zero(p + 4, 8)) return FQT_ERR_PARAMS;
        fqt_range_tracker_clear(r);
        return FQT_OK;
    }
    if (!is_finite(min) || !is_finite(max) || min > max) return FQT_ERR_PARAMS;
    fqt_range_tracker_set(r, min, max);
    return FQT_OK;
}

static int parse_params(const uint8_t *p, int quantized, fqt_quant_params *q) {
    if (!quantized) return all_zero(p, 8) ? FQT_OK : FQT_ERR_PARAMS;
    q->scale = rd_f32(p);
    q->zero_point = rd_i32(p + 4);
    return fqt_quant_params_valid(q) ? FQT_OK : FQT_ERR_PARAMS;
}

/* Shape of the tensor between layers while parsing. */
typedef struct {
    int32_t rank;
    int32_t d[3];
} shape;

static int64_t shape_size(const shape *s) {
    int64_t n = 1;
    int32_t i;
    for (i = 0; i < s->rank; i++) n *= s->d[i];
    return n;
}

static int set_shape3(shape *s, int32_t c, int32_t h, int32_t w) {
    s->rank = 3;
    s->d[0] = c;
    s->d[1] = h;
    s->d[2] = w;
    return shape_size(s) <= FQT_MODEL_BLOB_MAX_ELEMENTS ? FQT_OK : FQT_ERR_LAYER;
}

/* Geometry of one layer against the incoming shape; sets the layer's sizes and the outgoing shape. */
static int parse_geometry(const uint8_t *g, fqt_layer *l, shape *s) {
    int32_t i;
    int64_t in = shape_size(s);
    l->in_size = (int32_t) in;
    switch (l->kind) {
    case FQT_LAYER_LINEAR:
        l->in_features = dim(g);
        l->out_features = dim(g + 4);
        if (l->in_features != in || l->out_features < 1 || l->out_features > 32767) return FQT_ERR_LAYER;
        if ((int64_t) l->in_features * l->out_features > FQT_MODEL_BLOB_MAX_ELEMENTS) return FQT_ERR_LAYER;
        l->w.structures = l->out_features;
        l->w.structure_size = l->in_features;
        s->rank = 1;
        s->d[0] = l->out_features;
        break;
    case FQT_LAYER_CONV2D: {
        fqt_conv_geometry *c = &l->conv;
        int32_t *f[9];
        f[0] = &c->in_c; f[1] = &c->in_h; f[2] = &c->in_w; f[3] = &c->out_c; f[4] = &c->k_h;
        f[5] = &c->k_w; f[6] = &c->stride; f[7] = &c->pad; f[8] = &c->groups;
        for (i = 0; i < 9; i++) *f[i] = dim(g + 4 * i);
        if (s->rank != 3 || c->in_c != s->d[0] || c->in_h != s->d[1] || c->in_w != s->d[2]) return FQT_ERR_LAYER;
        if (!fqt_conv_geometry_valid(c)) return FQT_ERR_LAYER;
        if ((int64_t) c->out_c * fqt_conv_geometry_filter_size(c) > FQT_MODEL_BLOB_MAX_ELEMENTS) return FQT_ERR_LAYER;
        l->w.structures = c->out_c;
        l->w.structure_size = fqt_conv_geometry_filter_size(c);
        if (set_shape3(s, c->out_c, fqt_conv_geometry_out_h(c), fqt_conv_geometry_out_w(c)) != FQT_OK) return FQT_ERR_LAYER;
        break;
    }
    case FQT_LAYER_MAXPOOL2D:
    case FQT_LAYER_AVGPOOL2D: {
        fqt_pool_geometry *p = &l->pool;
        p->channels = dim(g);
        p->in_h = dim(g + 4);
        p->in_w = dim(g + 8);
        p->k_h = dim(g + 12);
        p->k_w = dim(g + 16);
        p->stride = dim(g + 20);
        if (s->rank != 3 || p->channels != s->d[0] || p->in_h != s->d[1] || p->in_w != s->d[2]) return FQT_ERR_LAYER;
        if (!fqt_pool_geometry_valid(p)) return FQT_ERR_LAYER;
        if (set_shape3(s, p->channels, fqt_pool_geometry_out_h(p), fqt_pool_geometry_out_w(p)) != FQT_OK) return FQT_ERR_LAYER;
        break;
    }
    case FQT_LAYER_FLATTEN:
        s->rank = 1;
        s->d[0] = (int32_t) in;
        break;
    case FQT_LAYER_CLAMP:
        l->clamp_lo = rd_f32(g);
        l->clamp_hi = rd_f32(g + 4);
        if (!(l->clamp_lo < l->clamp_hi)) return FQT_ERR_LAYER;
        break;
    default: /* ReLU and Add keep the shape */
        break;
    }
    l->out_size = (int32_t) shape_size(s);
    return FQT_OK;
}

/*
 * The layer flags say what trainLast and biasOnly made of the model (Java's Training.prepareModel):
 * with trainLast n exactly the last n layers with weights train, with biasOnly every one but the
 * last is bias-only. Marks the head (the last layer with weights) for fullHead.
 */
static int check_trained_layers(fqt_model *m, const fqt_train_config *cfg) {
    int32_t i, n = 0, k = 0;
    for (i = 0; i < m->n_layers; i++) n += fqt_layer_has_weights(&m->layers[i]);
    if (cfg->train_last > n) return FQT_ERR_CONFIG;
    for (i = 0; i < m->n_layers; i++) {
        fqt_layer *l = &m->layers[i];
        if (!fqt_layer_has_weights(l)) continue;
        if (cfg->train_last > 0 && l->frozen != (k < n - (int32_t) cfg->train_last)) return FQT_ERR_CONFIG;
        if (cfg->bias_only && k < n - 1 && !l->w.bias_only) return FQT_ERR_CONFIG;
        l->full_update = (uint8_t) (cfg->full_head && k == n - 1);
        k++;
    }
    return FQT_OK;
}

static int64_t tensor_size(const fqt_model *m, int32_t t) {
    return t == 0 ? m->input_size : m->layers[t - 1].out_size;
}

/* The bytes the plan must give each buffer of a tensor, or 0 when the tensor has no such buffer (ARENA.md 2). */
static int64_t planned_bytes(const fqt_model *m, const fqt_train_config *cfg, int32_t role, int32_t t) {
    int quantized = fqt_precision_quantized_features(cfg->precision), u8 = fqt_precision_quantized_errors(cfg->precision);
    int64_t size = tensor_size(m, t);
    int fan = t < m->n_layers && m->n_readers[t] > 1 && fqt_model_needs_error(m, t);
    switch (role) {
    case PLAN_FEATURES: return size * (quantized ? 1 : 4);
    case PLAN_ERRORS: return fqt_model_needs_error(m, t) || t == m->n_layers ? size * (u8 ? 1 : 4) + (u8 ? 8 : 0) : 0;
    case PLAN_ERROR_SUM: return fan && u8 ? 4 * size : 0;
    case PLAN_ERROR_SHARE: return fan ? 4 * size + (u8 ? 8 : 0) : 0;
    case PLAN_LOSS: return u8 && t == m->n_layers ? 4 * (int64_t) m->classes : 0;
    default: return 0;
    }
}

/*
 * The activation plan: every buffer the model needs exactly once, with its bytes, 4-aligned inside
 * the region; the host planned which buffers share bytes (the firmware does not plan twice).
 */
static int parse_plan(const uint8_t *p, size_t len, fqt_model *m, const fqt_train_config *cfg) {
    uint32_t count, k;
    int32_t t, role, *slot = 0, need = 0, have = 0;
    if (len < 8) return FQT_ERR_SIZE;
    m->region_bytes = rd_u32(p);
    count = rd_u32(p + 4);
    if (m->region_bytes % 4 != 0 || m->region_bytes > 0x7FFFFFF0u) return FQT_ERR_LAYER;
    if (count > (len - 8) / PLAN_ENTRY_BYTES || len != 8 + (size_t) count * PLAN_ENTRY_BYTES) return FQT_ERR_SIZE;
    for (t = 0; t <= m->n_layers; t++) m->feature_at[t] = m->error_at[t] = m->sum_at[t] = m->share_at[t] = -1;
    m->loss_at = -1;
    for (k = 0; k < count; k++) {
        const uint8_t *e = p + 8 + PLAN_ENTRY_BYTES * k;
        uint32_t offset = rd_u32(e + 4), bytes = rd_u32(e + 8);
        t = rd_u16(e + 2);
        role = e[0];
        if (e[1] != 0 || t > m->n_layers || role < PLAN_FEATURES || role > PLAN_LOSS) return FQT_ERR_LAYER;
        if (planned_bytes(m, cfg, role, t) != (int64_t) bytes || bytes == 0) return FQT_ERR_LAYER;
        if (offset % 4 != 0 || offset > m->region_bytes || bytes > m->region_bytes - offset) return FQT_ERR_LAYER;
        switch (role) {
        case PLAN_FEATURES: slot = &m->feature_at[t]; break;
        case PLAN_ERRORS: slot = &m->error_at[t]; break;
        case PLAN_ERROR_SUM: slot = &m->sum_at[t]; break;
        case PLAN_ERROR_SHARE: slot = &m->share_at[t]; break;
        default: slot = &m->loss_at; break;
        }
        if (*slot != -1) return FQT_ERR_LAYER;
        *slot = (int32_t) offset;
        have++;
    }
    for (t = 0; t <= m->n_layers; t++) for (role = PLAN_FEATURES; role <= PLAN_LOSS; role++) need += planned_bytes(m, cfg, role, t) > 0;
    if (need != have) return FQT_ERR_LAYER;
    m->plan = p;
    m->plan_bytes = (uint32_t) len;
    return FQT_OK;
}

/*
 * Checks everything and fills m (not the arena) and cfg; data[i] gets the blob offset of weight
 * layer i's data (after its geometry).
 */
static int parse(const uint8_t *b, size_t len, fqt_model *m, fqt_train_config *cfg, uint32_t *data) {
    const uint8_t *mh = b + OFF_MODEL;
    uint32_t n_layers, classes, total;
    size_t off, end;
    int quantized, status, any_trained = 0;
    shape s, shapes[FQT_MAX_LAYERS + 1];
    int32_t i;
    if (len < OFF_LAYERS + 4) return FQT_ERR_TRUNCATED;
    if (memcmp(b, MAGIC, 4) != 0) return FQT_ERR_MAGIC;
    if (rd_u16(b + OFF_VERSION) != FQT_MODEL_BLOB_VERSION) return FQT_ERR_VERSION;
    total = rd_u32(b + OFF_BLOB_BYTES);
    if (rd_u16(b + OFF_HEADER_BYTES) != FQT_MODEL_BLOB_HEADER_BYTES || total != len || total % 4 != 0) return FQT_ERR_SIZE;
    if (fqt_crc32_update(0, b, len - 4) != rd_u32(b + len - 4)) return FQT_ERR_CRC;
    if (rd_u32(b + OFF_FLAGS) != 0) return FQT_ERR_VERSION;
    status = parse_config(b, cfg);
    if (status != FQT_OK) return status;
    quantized = fqt_precision_quantized_features(cfg->precision);

    memset(m, 0, sizeof *m);
    s.rank = mh[0];
    if (s.rank < 1 || s.rank > 3 || !all_zero(mh + 1, 3)) return FQT_ERR_LAYER;
    for (i = 0; i < 3; i++) {
        s.d[i] = dim(mh + 4 + 4 * i);
        if (i < s.rank ? (s.d[i] < 1 || s.d[i] > 32767) : s.d[i] != 0) return FQT_ERR_LAYER;
        m->input_shape[i] = s.d[i];
    }
    if (shape_size(&s) > FQT_MODEL_BLOB_MAX_ELEMENTS) return FQT_ERR_LAYER;
    m->input_rank = s.rank;
    m->input_size = (int32_t) shape_size(&s);
    classes = rd_u32(mh + 16);
    n_layers = rd_u32(mh + 20);
    if (classes < 1 || classes > 32767) return FQT_ERR_LAYER;
    if (n_layers < 1) return FQT_ERR_LAYER;
    if (n_layers > FQT_MAX_LAYERS) return FQT_ERR_TOO_MANY_LAYERS;
    m->classes = (int32_t) classes;
    m->n_layers = (int32_t) n_layers;
    {
        fqt_quant_params input;
        status = parse_params(b + OFF_INPUT_PARAMS, quantized, &input);
        if (status != FQT_OK) return status;
    }
    status = parse_range(b + OFF_LOSS_RANGE, &m->loss_range_state);
    if (status != FQT_OK) return status;
    if (!quantized && fqt_range_tracker_seen(&m->loss_range_state)) return FQT_ERR_PARAMS;

    off = OFF_LAYERS;
    end = len - 4;
    shapes[0] = s;
    m->features[0].size = m->input_size;
    m->errors[0].size = m->input_size;
    memset(m->n_readers, 0, sizeof m->n_readers);
    for (i = 0; i < m->n_layers; i++) {
        fqt_layer *l = &m->layers[i];
        const uint8_t *r = b + off;
        uint32_t record;
        size_t expect;
        int32_t k;
        if (end - off < LAYER_HEADER_BYTES) return FQT_ERR_TRUNCATED;
        l->kind = (fqt_layer_kind) r[0];
        l->index = i;
        if (r[0] < FQT_LAYER_LINEAR || r[0] > FQT_LAYER_CLAMP || r[3] != 0) return FQT_ERR_LAYER;
        if (r[1] & ~3u || (r[1] != 0 && !fqt_layer_has_weights(l))) return FQT_ERR_LAYER;
        /* The graph: each layer reads tensors earlier layers wrote (no cycle, no dangling input). */
        l->n_inputs = r[2];
        if (l->n_inputs != (l->kind == FQT_LAYER_ADD ? 2 : 1)) return FQT_ERR_LAYER;
        l->inputs[1] = 0;
        for (k = 0; k < 2; k++) {
            int32_t tensor = rd_u16(r + 8 + 2 * k);
            if (k >= l->n_inputs) {
                if (tensor != 0) return FQT_ERR_LAYER;
                continue;
            }
            if (tensor > i) return FQT_ERR_LAYER;
            l->inputs[k] = tensor;
            m->n_readers[tensor]++;
            m->last_reader[tensor] = i;
        }
        s = shapes[l->inputs[0]];
        if (l->kind == FQT_LAYER_ADD) {
            const shape *o = &shapes[l->inputs[1]];
            if (o->rank != s.rank || memcmp(o->d, s.d, sizeof s.d) != 0) return FQT_ERR_LAYER;
        }
        record = rd_u32(r + 4);
        expect = LAYER_HEADER_BYTES + 4 * (size_t) geometry_words(l->kind);
        if (record < expect || record % 4 != 0 || record > end - off) return FQT_ERR_SIZE;
        status = parse_geometry(r + LAYER_HEADER_BYTES, l, &s);
        if (status != FQT_OK) return status;
        shapes[i + 1] = s;
        m->features[i + 1].size = l->out_size;
        m->errors[i + 1].size = l->out_size;
        data[i] = (uint32_t) (off + expect);
        if (l->kind == FQT_LAYER_ADD) {
            const uint8_t *d = b + off + expect;
            fqt_quant_params p;
            fqt_range_tracker range;
            if (record != expect + ADD_DATA) return FQT_ERR_SIZE;
            if (parse_params(d, quantized, &p) != FQT_OK || parse_range(d + 8, &range) != FQT_OK) return FQT_ERR_PARAMS;
            if (quantized) {
                fqt_quant_params from_range;
                if (!fqt_range_tracker_seen(&range) || fqt_range_tracker_params(&range, &from_range) != FQT_OK
                    || !fqt_quant_params_equal(&from_range, &p)) return FQT_ERR_PARAMS;
            } else if (fqt_range_tracker_seen(&range)) {
                return FQT_ERR_PARAMS;
            }
        } else if (fqt_layer_has_weights(l)) {
            const uint8_t *d = b + off + expect;
            size_t count = (size_t) fqt_weights_count(&l->w), k2;
            fqt_quant_params p;
            fqt_range_tracker range;
            l->frozen = (uint8_t) (r[1] & 1u);
            l->w.bias_only = (uint8_t) ((r[1] >> 1) & 1u);
            if (!l->frozen) any_trained = 1;
            expect += WEIGHT_DATA_FIXED + pad4(count * (quantized ? 1 : 4)) + 4 * (size_t) l->w.structures;
            if (record != expect) return FQT_ERR_SIZE;
            if (parse_params(d, quantized, &p) != FQT_OK || parse_params(d + 8, quantized, &p) != FQT_OK) return FQT_ERR_PARAMS;
            if (parse_range(d + 16, &range) != FQT_OK) return FQT_ERR_PARAMS;
            if (quantized) {
                fqt_quant_params from_range;
                /* Java keeps outParams == outRange.params(): anything else is not a model it wrote. */
                if (!fqt_range_tracker_seen(&range) || fqt_range_tracker_params(&range, &from_range) != FQT_OK
                    || !fqt_quant_params_equal(&from_range, &p)) return FQT_ERR_PARAMS;
                if (!all_zero(d + WEIGHT_DATA_FIXED + count, pad4(count) - count)) return FQT_ERR_PARAMS;
            } else {
                if (fqt_range_tracker_seen(&range)) return FQT_ERR_PARAMS;
                for (k2 = 0; k2 < count; k2++) if (!is_finite(rd_f32(d + WEIGHT_DATA_FIXED + 4 * k2))) return FQT_ERR_PARAMS;
            }
            d += WEIGHT_DATA_FIXED + pad4(count * (quantized ? 1 : 4));
            for (k2 = 0; k2 < (size_t) l->w.structures; k2++) if (!is_finite(rd_f32(d + 4 * k2))) return FQT_ERR_PARAMS;
        } else if (record != expect) {
            return FQT_ERR_SIZE;
        }
        off += record;
    }
    /* Every tensor but the output is read. */
    for (i = 0; i < m->n_layers; i++) if (m->n_readers[i] == 0) return FQT_ERR_LAYER;
    if (s.rank != 1 || s.d[0] != m->classes) return FQT_ERR_LAYER;
    if (!any_trained) return FQT_ERR_LAYER;
    status = check_trained_layers(m, cfg);
    if (status != FQT_OK) return status;
    m->loss = cfg->loss;
    if (m->loss == 1 && m->classes != m->input_size) return FQT_ERR_LAYER; /* MSE: the output reconstructs the input */
    for (i = 0; i < m->n_layers; i++) {
        fqt_layer *l = &m->layers[i];
        int32_t k;
        l->relu_follows = (uint8_t) (fqt_layer_requantizes(l) && m->n_readers[i + 1] == 1
                                     && m->layers[m->last_reader[i + 1]].kind == FQT_LAYER_RELU);
        m->runs[i] = (uint8_t) (fqt_layer_has_weights(l) && !l->frozen);
        for (k = 0; k < l->n_inputs; k++) if (fqt_model_needs_error(m, l->inputs[k])) m->runs[i] = 1;
    }
    return parse_plan(b + off, end - off, m, cfg);
}

static void load_range(const uint8_t *p, fqt_range_tracker *r) {
    if (p[0] == 0) fqt_range_tracker_clear(r);
    else fqt_range_tracker_set(r, rd_f32(p + 4), rd_f32(p + 8));
}

/* Fills the arena from the validated blob; Flash-resident parameters are used in place. */
static void load(const uint8_t *b, fqt_model *m, fqt_trainer *t, const uint32_t *data) {
    int quantized = fqt_precision_quantized_features(t->config.precision);
    int32_t i, k;
    /* The blob is const data (Flash); the model never writes the parameters it does not update. */
    uint8_t *blob = (uint8_t *) (uintptr_t) b;
    m->input_params = quantized ? (const fqt_quant_params *) (const void *) (b + OFF_INPUT_PARAMS) : 0;
    load_range(b + OFF_LOSS_RANGE, m->loss_range);
    for (i = 0; i <= m->n_layers; i++) if (m->sum_ranges[i] != 0) fqt_range_tracker_clear(m->sum_ranges[i]);
    for (i = 0; i < m->n_layers; i++) {
        fqt_layer *l = &m->layers[i];
        fqt_weights *w = &l->w;
        uint8_t *d;
        size_t count, weight_bytes;
        int trained;
        if (l->kind == FQT_LAYER_ADD && quantized) {
            d = blob + data[i];
            l->out->params.scale = rd_f32(d);
            l->out->params.zero_point = rd_i32(d + 4);
            load_range(d + 8, &l->out->range);
        }
        if (!fqt_layer_has_weights(l)) continue;
        d = blob + data[i];
        count = (size_t) fqt_weights_count(w);
        weight_bytes = count * (quantized ? 1 : 4);
        trained = !l->frozen && !w->bias_only;
        if (trained) {
            memcpy(quantized ? (void *) w->q : (void *) w->real, d + WEIGHT_DATA_FIXED, weight_bytes);
        } else if (quantized) {
            w->q = d + WEIGHT_DATA_FIXED;
        } else {
            w->real = (float *) (void *) (d + WEIGHT_DATA_FIXED);
        }
        if (!l->frozen) memcpy(w->bias, d + WEIGHT_DATA_FIXED + pad4(weight_bytes), 4 * (size_t) w->structures);
        else w->bias = (float *) (void *) (d + WEIGHT_DATA_FIXED + pad4(weight_bytes));
        if (quantized) {
            if (trained) memcpy(w->params, d, sizeof(fqt_quant_params));
            else w->params = (fqt_quant_params *) (void *) d;
            l->out->params.scale = rd_f32(d + 8);
            l->out->params.zero_point = rd_i32(d + 12);
            load_range(d + 16, &l->out->range);
        }
        if (l->err_range != 0) fqt_range_tracker_clear(l->err_range);
        w->samples = 0;
        if (!l->frozen) {
            if (w->grad != 0) for (k = 0; k < (int32_t) count; k++) w->grad[k] = 0.0f;
            if (w->grad_codes != 0) for (k = 0; k < (int32_t) count; k++) w->grad_codes[k] = FQT_GRAD_ZERO_POINT;
            if (w->grad_scale != 0) for (k = 0; k < w->structures; k++) w->grad_scale[k] = 0.0f;
            if (w->bias_grad != 0) for (k = 0; k < w->structures; k++) w->bias_grad[k] = 0.0f;
            if (w->touched != 0) for (k = 0; k < w->structures; k++) w->touched[k] = 0;
            fqt_optimizer_init_state(&t->config.optimizer, w);
        }
    }
}

int fqt_model_blob_load(const uint8_t *blob, size_t len, uint8_t *arena, size_t arena_bytes, fqt_model *m,
                        fqt_trainer *t, size_t *arena_used) {
    uint32_t data[FQT_MAX_LAYERS];
    size_t need;
    int status;
    *arena_used = 0;
    if (blob == 0 || m == 0 || t == 0 || ((uintptr_t) blob & 3u) != 0 || ((uintptr_t) arena & 7u) != 0 || !little_endian()) {
        return FQT_ERR_INPUT;
    }
    memset(t, 0, sizeof *t);
    status = parse(blob, len, m, &t->config, data);
    if (status != FQT_OK) return status;
    t->model = m;
    need = fqt_arena_layout(m, t, 0);
    *arena_used = need;
    if (arena == 0 || need > arena_bytes) return FQT_ERR_ARENA;
    fqt_arena_layout(m, t, arena);
    load(blob, m, t, data);
    t->selector.lambda_min = t->config.lambda_min;
    t->selector.lambda_max = t->config.lambda_max;
    t->selector.error_by = t->config.error_by;
    if (fqt_train_config_ranking(&t->config)) {
        /* The largest errors seen so far start at 0, as Java's Selector fields. */
        int32_t slots = 0, i;
        if (t->config.error_by == FQT_ERROR_BY_SAMPLE_LOSS) slots = 2;
        else for (i = 0; i < m->n_layers; i++) if (fqt_layer_has_weights(&m->layers[i]) && !m->layers[i].frozen) slots++;
        for (i = 0; i < slots; i++) t->selector.state[i] = 0.0f;
    }
    fqt_trainer_init(t);
    return FQT_OK;
}

static size_t layer_bytes(const fqt_layer *l, int quantized) {
    size_t n = LAYER_HEADER_BYTES + 4 * (size_t) geometry_words(l->kind);
    if (l->kind == FQT_LAYER_ADD) n += ADD_DATA;
    if (fqt_layer_has_weights(l)) {
        n += WEIGHT_DATA_FIXED + pad4((size_t) fqt_weights_count(&l->w) * (quantized ? 1 : 4)) + 4 * (size_t) l->w.structures;
    }
    return n;
}

size_t fqt_model_blob_size(const fqt_model *m, const fqt_trainer *t) {
    int quantized = fqt_precision_quantized_features(t->config.precision);
    size_t n = OFF_LAYERS + m->plan_bytes + 4;
    int32_t i;
    for (i = 0; i < m->n_layers; i++) n += layer_bytes(&m->layers[i], quantized);
    return n;
}

static void wr_params(uint8_t *p, const fqt_quant_params *q) {
    wr_f32(p, q->scale);
    wr_u32(p + 4, (uint32_t) q->zero_point);
}

static void wr_range(uint8_t *p, const fqt_range_tracker *r) {
    if (!fqt_range_tracker_seen(r)) return; /* all zeros */
    p[0] = 1;
    wr_f32(p + 4, r->min);
    wr_f32(p + 8, r->max);
}

static void wr_config(uint8_t *c, const fqt_train_config *cfg) {
    const fqt_optimizer *o = &cfg->optimizer;
    c[0] = (uint8_t) cfg->precision;
    c[1] = (uint8_t) cfg->rounding;
    c[2] = (uint8_t) cfg->error_range;
    c[3] = (uint8_t) o->kind;
    wr_f32(c + 4, cfg->alpha_a);
    wr_f32(c + 8, cfg->alpha_e);
    wr_u32(c + 12, (uint32_t) cfg->batch);
    wr_u32(c + 16, (uint32_t) (uint64_t) cfg->seed);
    wr_u32(c + 20, (uint32_t) ((uint64_t) cfg->seed >> 32));
    wr_f32(c + 24, o->lr);
    switch (o->kind) {
    case FQT_OPTIMIZER_STANDARDIZED_SGD: wr_f32(c + 28, o->alpha_norm); break;
    case FQT_OPTIMIZER_MOMENTUM: wr_f32(c + 28, o->mu); break;
    case FQT_OPTIMIZER_ADAM: wr_f32(c + 28, o->beta1); wr_f32(c + 32, o->beta2); break;
    default: break;
    }
    wr_f32(c + 36, cfg->lambda_min);
    wr_f32(c + 40, cfg->lambda_max);
    c[44] = (uint8_t) cfg->error_by;
    c[45] = cfg->full_head;
    c[46] = cfg->bias_only;
    c[47] = cfg->train_last;
    wr_u32(c + 48, cfg->epochs);
    wr_u32(c + 52, cfg->calibration);
    c[56] = cfg->loss;
    c[57] = (uint8_t) cfg->gradients;
}

static void wr_geometry(uint8_t *g, const fqt_layer *l) {
    int32_t v[9], n = geometry_words(l->kind), i;
    switch (l->kind) {
    case FQT_LAYER_LINEAR:
        v[0] = l->in_features; v[1] = l->out_features;
        break;
    case FQT_LAYER_CONV2D:
        v[0] = l->conv.in_c; v[1] = l->conv.in_h; v[2] = l->conv.in_w; v[3] = l->conv.out_c; v[4] = l->conv.k_h;
        v[5] = l->conv.k_w; v[6] = l->conv.stride; v[7] = l->conv.pad; v[8] = l->conv.groups;
        break;
    case FQT_LAYER_MAXPOOL2D:
    case FQT_LAYER_AVGPOOL2D:
        v[0] = l->pool.channels; v[1] = l->pool.in_h; v[2] = l->pool.in_w; v[3] = l->pool.k_h; v[4] = l->pool.k_w;
        v[5] = l->pool.stride;
        break;
    case FQT_LAYER_CLAMP:
        wr_f32(g, l->clamp_lo);
        wr_f32(g + 4, l->clamp_hi);
        return;
    default:
        break;
    }
    for (i = 0; i < n; i++) wr_u32(g + 4 * i, (uint32_t) v[i]);
}

int fqt_model_blob_write(const fqt_model *m, const fqt_trainer *t, uint8_t *out, size_t cap, size_t *len) {
    int quantized = fqt_precision_quantized_features(t->config.precision);
    size_t n = fqt_model_blob_size(m, t), off = OFF_LAYERS;
    uint8_t *mh = out + OFF_MODEL;
    int32_t i, k;
    *len = 0;
    if (n > cap) return FQT_ERR_ARENA;
    memset(out, 0, n);
    memcpy(out, MAGIC, 4);
    out[OFF_VERSION] = FQT_MODEL_BLOB_VERSION;
    out[OFF_HEADER_BYTES] = FQT_MODEL_BLOB_HEADER_BYTES;
    wr_u32(out + OFF_BLOB_BYTES, (uint32_t) n);
    wr_config(out + OFF_CONFIG, &t->config);
    mh[0] = (uint8_t) m->input_rank;
    for (i = 0; i < m->input_rank; i++) wr_u32(mh + 4 + 4 * i, (uint32_t) m->input_shape[i]);
    wr_u32(mh + 16, (uint32_t) m->classes);
    wr_u32(mh + 20, (uint32_t) m->n_layers);
    if (quantized) wr_params(out + OFF_INPUT_PARAMS, m->input_params);
    wr_range(out + OFF_LOSS_RANGE, m->loss_range);
    for (i = 0; i < m->n_layers; i++) {
        const fqt_layer *l = &m->layers[i];
        uint8_t *r = out + off;
        size_t record = layer_bytes(l, quantized);
        r[0] = (uint8_t) l->kind;
        r[1] = (uint8_t) (l->frozen | l->w.bias_only << 1);
        r[2] = (uint8_t) l->n_inputs;
        wr_u32(r + 4, (uint32_t) record);
        r[8] = (uint8_t) l->inputs[0];
        r[9] = (uint8_t) (l->inputs[0] >> 8);
        if (l->n_inputs > 1) {
            r[10] = (uint8_t) l->inputs[1];
            r[11] = (uint8_t) (l->inputs[1] >> 8);
        }
        wr_geometry(r + LAYER_HEADER_BYTES, l);
        if (l->kind == FQT_LAYER_ADD && quantized) {
            fqt_quant_params p;
            int status = fqt_range_tracker_params(&l->out->range, &p);
            if (status != FQT_OK) return status;
            wr_params(r + LAYER_HEADER_BYTES, &p);
            wr_range(r + LAYER_HEADER_BYTES + 8, &l->out->range);
        }
        if (fqt_layer_has_weights(l)) {
            const fqt_weights *w = &l->w;
            uint8_t *d = r + LAYER_HEADER_BYTES + 4 * (size_t) geometry_words(l->kind);
            int32_t count = fqt_weights_count(w);
            if (quantized) {
                /* Java's outParams after the last sample: from the running range. */
                fqt_quant_params p;
                int status = fqt_range_tracker_params(&l->out->range, &p);
                if (status != FQT_OK) return status;
                wr_params(d, w->params);
                wr_params(d + 8, &p);
                wr_range(d + 16, &l->out->range);
                memcpy(d + WEIGHT_DATA_FIXED, w->q, (size_t) count);
                d += WEIGHT_DATA_FIXED + pad4((size_t) count);
            } else {
                for (k = 0; k < count; k++) wr_f32(d + WEIGHT_DATA_FIXED + 4 * (size_t) k, w->real[k]);
                d += WEIGHT_DATA_FIXED + 4 * (size_t) count;
            }
            for (k = 0; k < w->structures; k++) wr_f32(d + 4 * (size_t) k, w->bias[k]);
        }
        off += record;
    }
    memcpy(out + off, m->plan, m->plan_bytes);
    wr_u32(out + n - 4, fqt_crc32_update(0, out, n - 4));
    *len = n;
    return FQT_OK;
}

/* Unseen as clear() leaves it, or finite with min <= max. */
static int range_ok(const fqt_range_tracker *r) {
    if (r == 0 || (r->min == 1.0f && r->max == -1.0f)) return 1;
    return is_finite(r->min) && is_finite(r->max) && r->min <= r->max;
}

static int all_finite(const float *v, size_t n) {
    size_t i;
    if (v == 0) return 1;
    for (i = 0; i < n; i++) if (!is_finite(v[i])) return 0;
    return 1;
}

int fqt_model_blob_check_state(const fqt_model *m, const fqt_trainer *t) {
    int quantized = fqt_precision_quantized_features(t->config.precision);
    const fqt_optimizer *o = &t->config.optimizer;
    int32_t i;
    if (t->rng.state == 0u || t->in_batch < 0 || t->in_batch >= t->config.batch) return FQT_ERR_CONFIG;
    if (!range_ok(m->loss_range)) return FQT_ERR_PARAMS;
    for (i = 0; i <= m->n_layers; i++) if (!range_ok(m->sum_ranges[i])) return FQT_ERR_PARAMS;
    for (i = 0; i < m->n_layers; i++) {
        const fqt_layer *l = &m->layers[i];
        const fqt_weights *w = &l->w;
        size_t count = (size_t) fqt_weights_count(w), s = (size_t) w->structures;
        if (quantized && fqt_layer_requantizes(l)) {
            fqt_quant_params p;
            if (!fqt_quant_params_valid(&l->out->params) || !fqt_range_tracker_seen(&l->out->range) || !range_ok(&l->out->range)
                || fqt_range_tracker_params(&l->out->range, &p) != FQT_OK) return FQT_ERR_PARAMS;
        }
        if (!fqt_layer_has_weights(l)) continue;
        if (!range_ok(l->err_range)) return FQT_ERR_PARAMS;
        if (w->samples < 0 || w->samples > t->config.batch || (l->frozen && w->samples != 0)) return FQT_ERR_CONFIG;
        if (l->frozen) continue;
        if (!l->w.bias_only && (quantized ? !fqt_quant_params_valid(w->params) : !all_finite(w->real, count))) return FQT_ERR_PARAMS;
        if (!all_finite(w->bias, s) || !all_finite(w->bias_grad, w->bias_grad != 0 ? s : 0)
            || !all_finite(w->grad, w->grad != 0 && !w->bias_only ? count : 0)
            || !all_finite(w->grad_scale, w->grad_scale != 0 ? s : 0)) {
            return FQT_ERR_PARAMS;
        }
        {
            size_t per_weight = w->bias_only ? 0 : count;
            size_t floats = (per_weight * (size_t) fqt_optimizer_state_bytes_per_weight(o)
                             + s * (size_t) fqt_optimizer_state_bytes_per_structure(o)) / 4;
            if (!all_finite(w->opt, floats)) return FQT_ERR_PARAMS;
        }
    }
    return FQT_OK;
}
