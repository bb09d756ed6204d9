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

/* The layer propagates an error to its input (whose producer runs backward). */
static int propagates(const fqt_model *m, const fqt_layer *l) {
    return fqt_model_needs_error(m, l->inputs[0]);
}

/* 1. Parameters, per layer with weights (and Add: its output's qparams) in model order. */
static void parameters(arena *a, fqt_model *m, fqt_trainer *t) {
    const fqt_train_config *cfg = &t->config;
    int quantized = fqt_precision_quantized_features(cfg->precision);
    int ema_errors = cfg->precision == FQT_PRECISION_UINT8 && cfg->error_range == FQT_ERROR_RANGE_EMA;
    size_t value_bytes = quantized ? 1 : 4;
    fqt_gradients gradients = fqt_train_config_gradients(cfg);
    int32_t i;
    for (i = 0; i < m->n_layers; i++) {
        fqt_layer *l = &m->layers[i];
        fqt_weights *w = &l->w;
        size_t count = (size_t) fqt_weights_count(w), s = (size_t) w->structures;
        if (l->kind == FQT_LAYER_ADD && quantized) l->out = (fqt_output_qparams *) place4(a, sizeof(fqt_output_qparams));
        if (!fqt_layer_has_weights(l)) continue;
        if (trained(l)) {
            void *p = place4(a, count * value_bytes);
            if (quantized) w->q = (uint8_t *) p;
            else w->real = (float *) p;
        }
        if (!l->frozen) w->bias = (float *) place4(a, 4 * s);
        if (quantized && trained(l)) w->params = (fqt_quant_params *) place4(a, sizeof(fqt_quant_params));
        w->grad = 0;
        w->grad_codes = 0;
        w->grad_scale = 0;
        w->bias_grad = 0;
        w->touched = 0;
        if (!l->frozen) {
            size_t per_weight = trained(l) ? count : 0;
            if (gradients == FQT_GRADIENTS_FLOAT32) {
                w->grad = (float *) place4(a, 4 * per_weight);
            } else if (gradients == FQT_GRADIENTS_INT8) {
                w->grad_codes = (uint8_t *) place4(a, per_weight);
                w->grad_scale = (float *) place4(a, per_weight != 0 ? 4 * s : 0);
            }
            if (gradients != FQT_GRADIENTS_IN_PLACE) w->bias_grad = (float *) place4(a, 4 * s);
            w->opt = (float *) place4(a, per_weight * (size_t) fqt_optimizer_state_bytes_per_weight(&cfg->optimizer)
                                             + s * (size_t) fqt_optimizer_state_bytes_per_structure(&cfg->optimizer));
            if (fqt_train_config_ranking(cfg) && gradients != FQT_GRADIENTS_IN_PLACE) w->touched = (uint8_t *) place4(a, s);
        }
        if (quantized) l->out = (fqt_output_qparams *) place4(a, sizeof(fqt_output_qparams));
        /* UINT8 EMA: the range of the errors it requantizes itself (a fan-out's sum has its own). */
        l->err_range = ema_errors && propagates(m, l) && m->n_readers[l->inputs[0]] == 1
            ? (fqt_range_tracker *) place4(a, sizeof(fqt_range_tracker)) : 0;
    }
    {
        /* Java tracks the loss range in every mode and keeps it with the model; the arena holds it only for EMA. */
        fqt_range_tracker *loss_range = ema_errors ? (fqt_range_tracker *) place4(a, sizeof(fqt_range_tracker)) : 0;
        m->loss_range = loss_range != 0 ? loss_range : &m->loss_range_state;
    }
    for (i = 0; i <= m->n_layers; i++) {
        int fan = i < m->n_layers && m->n_readers[i] > 1 && fqt_model_needs_error(m, i);
        m->sum_ranges[i] = ema_errors && fan ? (fqt_range_tracker *) place4(a, sizeof(fqt_range_tracker)) : 0;
    }
}

static void *at(uint8_t *region, int32_t offset) {
    return region != 0 && offset >= 0 ? region + offset : 0;
}

/*
 * 2. The activation region, its buffers at the offsets of the blob's plan (the host's lifetime
 * planner, fqt.memory.ActivationPlan): features, errors (UINT8: 8 bytes of qparams, then the
 * codes), fan-outs' sums and shares, the UINT8 loss.
 */
static void activations(arena *a, fqt_model *m, const fqt_trainer *t) {
    int quantized = fqt_precision_quantized_features(t->config.precision);
    int uint8_errors = fqt_precision_quantized_errors(t->config.precision);
    uint8_t *region = (uint8_t *) place4(a, m->region_bytes);
    int32_t n = m->n_layers, tt;
    for (tt = 0; tt <= n; tt++) {
        fqt_tensor *x = &m->features[tt], *e = &m->errors[tt], *s = &m->shares[tt];
        uint8_t *xb = (uint8_t *) at(region, m->feature_at[tt]), *eb = (uint8_t *) at(region, m->error_at[tt]);
        uint8_t *sb = (uint8_t *) at(region, m->share_at[tt]);
        x->q = quantized ? xb : 0;
        x->f = quantized ? 0 : (float *) (void *) xb;
        e->slot = uint8_errors && eb != 0 ? (fqt_quant_params *) (void *) eb : 0;
        e->q = uint8_errors && eb != 0 ? eb + 8 : 0;
        e->f = !uint8_errors ? (float *) (void *) eb : 0;
        e->params = 0;
        s->size = e->size;
        s->slot = uint8_errors && sb != 0 ? (fqt_quant_params *) (void *) sb : 0;
        s->q = uint8_errors && sb != 0 ? sb + 8 : 0;
        s->f = !uint8_errors ? (float *) (void *) sb : 0;
        s->params = 0;
        m->sums[tt] = (float *) at(region, m->sum_at[tt]);
    }
    if (uint8_errors) {
        m->loss_error = (float *) at(region, m->loss_at);
        m->logits = m->loss_error; /* softmax runs in place */
    } else {
        m->loss_error = m->errors[n].f;
        /* FLOAT32 logits are the last features; MIXED dequantizes them into the output's error, softmax in place. */
        m->logits = t->config.precision == FQT_PRECISION_FLOAT32 ? m->features[n].f : m->loss_error;
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
        if (uint8 && propagates(m, l)) ints = max_size(ints, (size_t) l->in_size);
        /* UINT8 weight gradient of a trained Linear: its input as float32 (linear_u8.c). */
        if (uint8 && l->kind == FQT_LAYER_LINEAR && trained(l)) ints = max_size(ints, (size_t) l->in_features);
        if (l->kind == FQT_LAYER_CONV2D && fqt_precision_quantized_features(p) && fqt_conv2d_u8_padded(g)) {
            size_t padded = (size_t) (g->in_h + 2) * (size_t) (g->in_w + 2);
            shorts = max_size(shorts, (size_t) g->in_c * padded);
            if (uint8 && trained(l)) shorts = max_size(shorts, (size_t) g->in_c * padded + (size_t) g->in_h * (size_t) (g->in_w + 2));
            if (uint8 && propagates(m, l)) shorts = max_size(shorts, (size_t) g->out_c * padded);
        }
    }
    t->ctx.acc_scratch = (int32_t *) place4(a, 4 * ints);
    t->ctx.pad_scratch = (int16_t *) place4(a, 2 * shorts);
}

/* 3b. grad_row (INT8 and IN_PLACE gradients): the largest structure of a layer that updates, then its bias. */
static void gradient_row(arena *a, fqt_model *m, fqt_trainer *t) {
    size_t floats = 0;
    int32_t i;
    t->ctx.grad_row = 0;
    if (fqt_train_config_gradients(&t->config) == FQT_GRADIENTS_FLOAT32) return;
    for (i = 0; i < m->n_layers; i++) {
        const fqt_layer *l = &m->layers[i];
        if (fqt_layer_has_weights(l) && !l->frozen) floats = max_size(floats, (size_t) l->w.structure_size + 1);
    }
    t->ctx.grad_row = (float *) place4(a, 4 * floats);
}

/* 5. Selection: select_idx, then with ranking the selector's buffers. */
static void selection(arena *a, fqt_model *m, fqt_trainer *t) {
    size_t backward = 0, updated = 0, updated_layers = 0;
    int32_t i;
    for (i = 0; i < m->n_layers; i++) {
        fqt_layer *l = &m->layers[i];
        size_t s = (size_t) l->w.structures;
        if (!fqt_layer_has_weights(l)) continue;
        if (m->runs[i] && s > backward) backward = s;
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
    activations(&a, m, t);
    scratch(&a, m, t);
    gradient_row(&a, m, t);
    selection(&a, m, t);
    t->eval_ctx.acc_scratch = t->ctx.acc_scratch;
    t->eval_ctx.pad_scratch = t->ctx.pad_scratch;
    t->eval_ctx.sel = t->ctx.sel;
    return (a.end + 3) / 4 * 4;
}
