#include "arena.h"

#include "conv2d_u8.h"

typedef struct {
    uint8_t *base; /* NULL: measure only */
    size_t end;
} arena;

/* Each buffer starts at the previous end rounded up to its alignment; empty buffers take no place. */
static void *place(arena *a, size_t bytes, size_t align) {
    size_t offset;
    if (bytes == 0) return 0;
    offset = (a->end + align - 1) / align * align;
    a->end = offset + bytes;
    return a->base != 0 ? a->base + offset : 0;
}

static void *place4(arena *a, size_t bytes) {
    return place(a, bytes, 4);
}

static int trained(const fqt_layer *l) {
    return !l->frozen && !l->w.bias_only;
}

/* 1. Parameters, per layer with weights in model order. */
static void parameters(arena *a, fqt_model *m, fqt_trainer *t) {
    const fqt_train_config *cfg = &t->config;
    int quantized = fqt_precision_quantized_features(cfg->precision);
    int ema_errors = cfg->precision == FQT_PRECISION_UINT8 && cfg->error_range == FQT_ERROR_RANGE_EMA;
    size_t value_bytes = quantized ? 1 : 4;
    int32_t i;
    for (i = 0; i < m->n_layers; i++) {
        fqt_layer *l = &m->layers[i];
        fqt_weights *w = &l->w;
        size_t count = (size_t) fqt_weights_count(w), s = (size_t) w->structures;
        if (!fqt_layer_has_weights(l)) continue;
        if (trained(l)) {
            void *p = place4(a, count * value_bytes);
            if (quantized) w->q = (uint8_t *) p;
            else w->real = (float *) p;
        }
        if (!l->frozen) w->bias = (float *) place4(a, 4 * s);
        if (quantized && trained(l)) w->params = (fqt_quant_params *) place4(a, sizeof(fqt_quant_params));
        w->grad = 0;
        w->touched = 0;
        if (!l->frozen) {
            size_t per_weight = trained(l) ? count : 0;
            w->grad = (float *) place4(a, 4 * per_weight);
            w->bias_grad = (float *) place4(a, 4 * s);
            w->opt = (float *) place4(a, per_weight * (size_t) fqt_optimizer_state_bytes_per_weight(&cfg->optimizer)
                                             + s * (size_t) fqt_optimizer_state_bytes_per_structure(&cfg->optimizer));
            if (fqt_train_config_ranking(cfg)) w->touched = (uint8_t *) place4(a, s);
        }
        if (quantized) l->out = (fqt_output_qparams *) place4(a, sizeof(fqt_output_qparams));
        l->err_range = ema_errors && i > m->lowest ? (fqt_range_tracker *) place4(a, sizeof(fqt_range_tracker)) : 0;
    }
    {
        /* Java tracks the loss range in every mode and keeps it with the model; the arena holds it only for EMA. */
        fqt_range_tracker *loss_range = ema_errors ? (fqt_range_tracker *) place4(a, sizeof(fqt_range_tracker)) : 0;
        m->loss_range = loss_range != 0 ? loss_range : &m->loss_range_state;
    }
}

static int in_place(const fqt_layer *l) {
    return l->kind == FQT_LAYER_RELU || l->kind == FQT_LAYER_FLATTEN;
}

/* 2. Features: kept buffers x<t> in model order, then the ping-pong slots feat_a and feat_b. */
static void features(arena *a, fqt_model *m, const fqt_trainer *t) {
    size_t value_bytes = fqt_precision_quantized_features(t->config.precision) ? 1 : 4;
    int32_t n = m->n_layers, buffers = 0, b, l, others = 0;
    int32_t buffer_of[FQT_MAX_LAYERS + 1], first[FQT_MAX_LAYERS + 1];
    uint8_t kept[FQT_MAX_LAYERS + 1];
    uint8_t *slot_of[FQT_MAX_LAYERS + 1];
    size_t slot[2] = {0, 0};
    uint8_t *slot_base[2];
    for (l = 0; l <= n; l++) {
        if (l > 0 && in_place(&m->layers[l - 1])) {
            buffer_of[l] = buffer_of[l - 1];
        } else {
            buffer_of[l] = buffers;
            first[buffers] = l;
            kept[buffers] = 0;
            buffers++;
        }
    }
    for (l = m->lowest; l < n; l++) {
        const fqt_layer *layer = &m->layers[l];
        if ((fqt_layer_has_weights(layer) && trained(layer)) || layer->kind == FQT_LAYER_RELU || layer->kind == FQT_LAYER_MAXPOOL2D) {
            kept[buffer_of[l]] = 1;
        }
        /* Its uint8 output: the backward pass zeroes the errors where it saturated (ARENA.md 2; the logits stay put anyway). */
        if (fqt_layer_has_weights(layer) && value_bytes == 1 && l + 1 < n) kept[buffer_of[l + 1]] = 1;
    }
    for (b = 0; b < buffers; b++) {
        size_t bytes = (size_t) m->features[first[b]].size * value_bytes;
        if (kept[b]) {
            slot_of[b] = (uint8_t *) place4(a, bytes);
        } else {
            int k = others++ % 2;
            if (bytes > slot[k]) slot[k] = bytes;
        }
    }
    slot_base[0] = (uint8_t *) place4(a, slot[0]);
    slot_base[1] = (uint8_t *) place4(a, slot[1]);
    others = 0;
    for (b = 0; b < buffers; b++) if (!kept[b]) slot_of[b] = slot_base[others++ % 2];
    for (l = 0; l <= n; l++) {
        fqt_tensor *x = &m->features[l];
        x->q = value_bytes == 1 ? slot_of[buffer_of[l]] : 0;
        x->f = value_bytes == 4 ? (float *) (void *) slot_of[buffer_of[l]] : 0;
    }
}

/* 3. Errors of tensors lowest+1..n: err_a when n - t is even, else err_b; UINT8 adds their qparams and the loss. */
static void errors(arena *a, fqt_model *m, const fqt_trainer *t) {
    int quantized_errors = fqt_precision_quantized_errors(t->config.precision);
    size_t error_bytes = quantized_errors ? 1 : 4, err[2] = {0, 0};
    int32_t n = m->n_layers, tt;
    uint8_t *buf[2];
    fqt_quant_params *qp[2] = {0, 0};
    for (tt = m->lowest + 1; tt <= n; tt++) {
        size_t bytes = (size_t) m->errors[tt].size * error_bytes;
        if (bytes > err[(n - tt) % 2]) err[(n - tt) % 2] = bytes;
    }
    buf[0] = (uint8_t *) place4(a, err[0]);
    buf[1] = (uint8_t *) place4(a, err[1]);
    if (quantized_errors) {
        qp[0] = (fqt_quant_params *) place4(a, err[0] > 0 ? sizeof(fqt_quant_params) : 0);
        qp[1] = (fqt_quant_params *) place4(a, err[1] > 0 ? sizeof(fqt_quant_params) : 0);
        m->loss_error = (float *) place4(a, 4 * (size_t) m->classes);
        m->logits = m->loss_error; /* softmax runs in place */
    } else {
        m->loss_error = (float *) (void *) buf[0];
        /* FLOAT32 logits are the last features; MIXED dequantizes them into err_a, softmax in place. */
        m->logits = t->config.precision == FQT_PRECISION_FLOAT32 ? m->features[n].f : m->loss_error;
    }
    for (tt = 0; tt <= n; tt++) {
        fqt_tensor *e = &m->errors[tt];
        int k = (n - tt) % 2;
        int used = tt > m->lowest;
        e->q = used && quantized_errors ? buf[k] : 0;
        e->f = used && !quantized_errors ? (float *) (void *) buf[k] : 0;
        e->slot = used ? qp[k] : 0;
        e->params = 0;
    }
}

static size_t max_size(size_t a, size_t b) {
    return a > b ? a : b;
}

/*
 * 4. scratch_i32, the largest need of one layer with weights, then scratch_i16, the padded int16
 * planes of the DSP 3x3 kernels (conv2d_u8.c; allocated on every CPU).
 */
static void scratch(arena *a, fqt_model *m, fqt_trainer *t) {
    fqt_precision p = t->config.precision;
    int uint8 = p == FQT_PRECISION_UINT8;
    size_t ints = 0, shorts = 0;
    int32_t i;
    for (i = 0; i < m->n_layers; i++) {
        const fqt_layer *l = &m->layers[i];
        const fqt_conv_geometry *g = &l->conv;
        if (!fqt_layer_has_weights(l)) continue;
        if (fqt_precision_quantized_features(p)) {
            size_t plane = l->kind == FQT_LAYER_CONV2D
                ? (size_t) fqt_conv_geometry_out_h(g) * (size_t) fqt_conv_geometry_out_w(g) : 0;
            ints = max_size(ints, (size_t) l->w.structures + plane);
        }
        if (uint8 && i > m->lowest) ints = max_size(ints, (size_t) l->in_size);
        /* UINT8 weight gradient of a trained Linear: its input as float32 (linear_u8.c). */
        if (uint8 && l->kind == FQT_LAYER_LINEAR && trained(l)) ints = max_size(ints, (size_t) l->in_features);
        if (l->kind == FQT_LAYER_CONV2D && fqt_precision_quantized_features(p) && fqt_conv2d_u8_padded(g)) {
            size_t padded = (size_t) (g->in_h + 2) * (size_t) (g->in_w + 2);
            shorts = max_size(shorts, (size_t) g->in_c * padded);
            if (uint8 && trained(l)) shorts = max_size(shorts, (size_t) g->in_c * padded + (size_t) g->in_h * (size_t) (g->in_w + 2));
            if (uint8 && i > m->lowest) shorts = max_size(shorts, (size_t) g->out_c * padded);
        }
    }
    t->ctx.acc_scratch = (int32_t *) place4(a, 4 * ints);
    t->ctx.pad_scratch = (int16_t *) place4(a, 2 * shorts);
}

/* 5. Selection: select_idx, then with ranking the selector's buffers. */
static void selection(arena *a, fqt_model *m, fqt_trainer *t) {
    size_t backward = 0, updated = 0, updated_layers = 0;
    int32_t i;
    for (i = 0; i < m->n_layers; i++) {
        fqt_layer *l = &m->layers[i];
        size_t s = (size_t) l->w.structures;
        if (!fqt_layer_has_weights(l)) continue;
        if (i >= m->lowest && s > backward) backward = s;
        if (!l->frozen) {
            if (s > updated) updated = s;
            l->select_slot = (int32_t) updated_layers++;
        }
    }
    t->ctx.sel = (int32_t *) place4(a, 4 * backward);
    if (!fqt_train_config_ranking(&t->config)) return;
    t->selector.key = (int32_t *) place4(a, 4 * updated);
    t->selector.mag = (float *) place4(a, fqt_precision_quantized_errors(t->config.precision) ? 0 : 4 * updated);
    t->selector.scratch = (int64_t *) place(a, 8 * updated, 8);
    t->selector.state = (float *) place4(a, t->config.error_by == FQT_ERROR_BY_SAMPLE_LOSS ? 8 : 4 * updated_layers);
}

size_t fqt_arena_layout(fqt_model *m, fqt_trainer *t, uint8_t *base) {
    arena a;
    a.base = base;
    a.end = 0;
    parameters(&a, m, t);
    features(&a, m, t);
    errors(&a, m, t);
    scratch(&a, m, t);
    selection(&a, m, t);
    t->eval_ctx.acc_scratch = t->ctx.acc_scratch;
    t->eval_ctx.pad_scratch = t->ctx.pad_scratch;
    t->eval_ctx.sel = t->ctx.sel;
    return (a.end + 3) / 4 * 4;
}
