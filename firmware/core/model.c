#include "model.h"

#include <string.h>

#include "fqt_status.h"
#include "mean_squared_error.h"
#include "softmax_cross_entropy.h"

int fqt_model_needs_error(const fqt_model *m, int32_t t) {
    return t > 0 && m->runs[t - 1];
}

static int forward_layers(fqt_model *m, fqt_context *c) {
    fqt_tensor *out = &m->features[m->n_layers];
    int32_t i;
    for (i = 0; i < m->n_layers; i++) {
        fqt_layer *l = &m->layers[i];
        fqt_tensor *x = &m->features[l->inputs[0]], *y = &m->features[i + 1];
        int status = FQT_OK;
        if (fqt_layer_has_weights(l)) status = fqt_weight_layer_forward(l, x, y, c);
        else if (l->kind == FQT_LAYER_ADD) status = fqt_add_layer_forward(l, x, &m->features[l->inputs[1]], y, c);
        else fqt_pass_through_layer_forward(l, x, y);
        if (status != FQT_OK) return status;
    }
    if (out->q != 0) {
        for (i = 0; i < m->classes; i++) m->logits[i] = fqt_quant_params_dequantize(out->params, out->q[i]);
    }
    return FQT_OK;
}

int fqt_model_forward(fqt_model *m, fqt_context *c, const float *input) {
    fqt_tensor *x0 = &m->features[0];
    int32_t i;
    if (x0->q != 0) {
        x0->params = m->input_params;
        /* Inputs are data, not training arithmetic: nearest, no random draw. */
        fqt_quant_params_quantize_array(m->input_params, input, x0->q, x0->size, FQT_ROUNDING_NEAREST, 0);
    } else {
        for (i = 0; i < x0->size; i++) x0->f[i] = input[i];
    }
    return forward_layers(m, c);
}

int fqt_model_forward_codes(fqt_model *m, fqt_context *c, const uint8_t *codes) {
    fqt_tensor *x0 = &m->features[0];
    int32_t i;
    if (x0->q == 0) return FQT_ERR_INPUT;
    x0->params = m->input_params;
    for (i = 0; i < x0->size; i++) x0->q[i] = codes[i];
    return forward_layers(m, c);
}

static int fan_out(const fqt_model *m, int32_t t) {
    return m->n_readers[t] > 1;
}

/* Where the shares of fan-out t are summed: its float32 sum (UINT8) or its float error itself. */
static float *sum_of(fqt_model *m, int32_t t) {
    return m->sums[t] != 0 ? m->sums[t] : m->errors[t].f;
}

/* sum += the real values of one share ((q - zp) * scale for uint8 codes); the first share starts the sum at 0. */
static void add_share(fqt_model *m, int32_t t, const fqt_tensor *share, uint8_t *started) {
    float *sum = sum_of(m, t);
    int32_t i, n = share->size;
    if (!started[t]) {
        for (i = 0; i < n; i++) sum[i] = 0.0f;
        started[t] = 1;
    }
    if (share->q != 0) for (i = 0; i < n; i++) sum[i] += fqt_quant_params_dequantize(share->params, share->q[i]);
    else for (i = 0; i < n; i++) sum[i] += share->f[i];
}

/* memmove: the loader checks each planned buffer's bounds, not that the host kept them apart. */
static void copy_error(const fqt_tensor *from, fqt_tensor *to) {
    if (from->q != 0) {
        memmove(to->q, from->q, (size_t) from->size);
        *to->slot = *from->params;
        to->params = to->slot;
    } else {
        memmove(to->f, from->f, (size_t) from->size * sizeof(float));
    }
}

/* The tensor a reader writes its error for input t into: t's error, or (fan-out) its share. */
static fqt_tensor *error_target(fqt_model *m, int32_t t, int real_share) {
    fqt_tensor *s;
    if (!fan_out(m, t)) return &m->errors[t];
    s = &m->shares[t];
    /* UINT8: a weight layer's share is real-valued (float), a pass-through's uint8 codes (same bytes). */
    if (m->sums[t] != 0) {
        uint8_t *base = s->q != 0 ? s->q : (uint8_t *) (void *) s->f;
        s->q = real_share ? 0 : base;
        s->f = real_share ? (float *) (void *) base : 0;
    }
    return s;
}

int fqt_model_backward(fqt_model *m, fqt_context *c, int32_t label, float *loss) {
    int32_t n = m->n_layers, l, k;
    fqt_tensor *top = &m->errors[n];
    uint8_t started[FQT_MAX_LAYERS + 1];
    if (m->loss == 0 && (label < 0 || label >= m->classes)) return FQT_ERR_INPUT;
    if (m->loss == 0) *loss = fqt_softmax_cross_entropy_loss_and_error(m->logits, m->classes, label, m->loss_error);
    else *loss = fqt_mse_loss_and_error(m->logits, &m->features[0], m->classes, m->loss_error);
    if (top->q != 0) {
        int status = fqt_context_quantize_errors_f32(c, m->loss_error, m->loss_range, top);
        if (status != FQT_OK) return status;
    }
    if (c->selector != 0) fqt_selector_begin_sample(c->selector, *loss);
    memset(started, 0, sizeof started);
    for (l = n - 1; l >= 0; l--) {
        fqt_layer *layer = &m->layers[l];
        fqt_tensor *dy = &m->errors[l + 1], *y = &m->features[l + 1];
        int status = FQT_OK;
        if (!m->runs[l]) continue;
        if (fan_out(m, l + 1) && m->sums[l + 1] != 0) {
            /* UINT8: the summed error is requantized once, with its own range. */
            status = fqt_context_quantize_errors_f32(c, m->sums[l + 1], m->sum_ranges[l + 1], dy);
            if (status != FQT_OK) return status;
        }
        if (layer->kind == FQT_LAYER_ADD) {
            if (dy->q != 0) fqt_zero_saturated_errors(y, dy);
            for (k = 0; k < 2; k++) {
                int32_t t = layer->inputs[k];
                fqt_tensor *dx;
                if (!fqt_model_needs_error(m, t)) continue;
                dx = error_target(m, t, 0);
                copy_error(dy, dx);
                if (fan_out(m, t)) add_share(m, t, dx, started);
            }
        } else {
            int32_t t = layer->inputs[0];
            fqt_tensor *dx = 0;
            if (fqt_model_needs_error(m, t)) dx = error_target(m, t, fqt_layer_has_weights(layer));
            if (fqt_layer_has_weights(layer)) status = fqt_weight_layer_backward(layer, &m->features[t], y, dy, dx, c);
            else fqt_pass_through_layer_backward(layer, &m->features[t], dy, dx, c);
            if (status != FQT_OK) return status;
            if (dx != 0 && fan_out(m, t)) add_share(m, t, dx, started);
        }
    }
    for (l = 0; l < n; l++) {
        if (c->gradients != FQT_GRADIENTS_IN_PLACE && fqt_layer_has_weights(&m->layers[l]) && !m->layers[l].frozen) {
            m->layers[l].w.samples++;
        }
    }
    return FQT_OK;
}
