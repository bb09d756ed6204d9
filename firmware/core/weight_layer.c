/* Mirrors fqt.nn.WeightLayer with the kernel calls of fqt.nn.Linear and fqt.nn.Conv2d. */
#include "layer.h"

#include "bias_grad_f32.h"
#include "bias_grad_u8.h"
#include "clamp_u8.h"
#include "conv2d_f32.h"
#include "conv2d_u8.h"
#include "conv2d_u8f32.h"
#include "dsp_pairs.h"
#include "fqt_status.h"
#include "linear_f32.h"
#include "linear_u8.h"
#include "linear_u8f32.h"

int fqt_layer_has_weights(const fqt_layer *l) {
    return l->kind == FQT_LAYER_LINEAR || l->kind == FQT_LAYER_CONV2D;
}

int fqt_layer_requantizes(const fqt_layer *l) {
    return fqt_layer_has_weights(l) || l->kind == FQT_LAYER_ADD;
}

/* Conv2d.validOutputs: output positions whose kernel tap k lands inside the input. */
static int64_t valid_outputs(int32_t k, int32_t stride, int32_t pad, int32_t in, int32_t out) {
    int32_t lo = 0, hi = out;
    while (lo < out && lo * stride - pad + k < 0) lo++;
    while (hi > lo && (hi - 1) * stride - pad + k > in - 1) hi--;
    return hi - lo;
}

/* Java's macsPerStructure: executed MACs of one structure (padded taps are skipped, so not counted). */
static int64_t macs_per_structure(const fqt_layer *l) {
    const fqt_conv_geometry *g = &l->conv;
    int64_t n = 0;
    int32_t ky, kx;
    if (l->kind == FQT_LAYER_LINEAR) return l->in_features;
    for (ky = 0; ky < g->k_h; ky++) {
        for (kx = 0; kx < g->k_w; kx++) {
            n += valid_outputs(ky, g->stride, g->pad, g->in_h, fqt_conv_geometry_out_h(g))
                 * valid_outputs(kx, g->stride, g->pad, g->in_w, fqt_conv_geometry_out_w(g));
        }
    }
    return n * fqt_conv_geometry_in_per_group(g);
}

int fqt_weight_layer_forward(fqt_layer *l, const fqt_tensor *x, fqt_tensor *y, fqt_context *c) {
    fqt_weights *w = &l->w;
    float acc_scale;
    int32_t *bias_q, o;
    fqt_requantizer *rq;
    int status;
    c->forward_macs += macs_per_structure(l) * w->structures;
    if (!fqt_precision_quantized_features(c->precision)) {
        if (l->kind == FQT_LAYER_LINEAR) fqt_linear_f32_forward(x->f, w->real, w->bias, y->f, l->in_features, l->out_features);
        else fqt_conv2d_f32_forward(x->f, w->real, w->bias, y->f, &l->conv);
        return FQT_OK;
    }
    status = fqt_range_tracker_params(&l->out->range, &l->out->params);
    if (status != FQT_OK) return status;
    acc_scale = x->params->scale * w->params->scale;
    /* scratch_i32: the int32 biases, then (Conv2d) one output plane of accumulators. */
    bias_q = c->acc_scratch;
    for (o = 0; o < w->structures; o++) bias_q[o] = fqt_requantizer_quantize_bias(w->bias[o], acc_scale);
    y->params = &l->out->params;
    rq = fqt_context_requantizer(c, fqt_requantizer_multiplier(x->params->scale, w->params->scale, l->out->params.scale),
                                 l->out->params.zero_point, l->relu_follows);
    if (l->kind == FQT_LAYER_LINEAR) {
        fqt_linear_u8_forward(x->q, x->params->zero_point, w->q, w->params->zero_point, bias_q, y->q, l->in_features,
                              l->out_features, rq);
    } else {
        fqt_conv2d_u8_forward(x->q, x->params->zero_point, w->q, w->params->zero_point, bias_q, y->q, &l->conv,
                              bias_q + w->structures, c->pad_scratch, rq);
    }
    if (c->training && c->alpha_a > 0.0f) {
        float lo = (float) rq->acc_min * acc_scale, hi = (float) rq->acc_max * acc_scale;
        fqt_quant_params next;
        if (l->relu_follows) lo = 0.0f;
        fqt_range_tracker_observe(&l->out->range, lo, hi, c->alpha_a);
        /* Java sets outParams = outRange.params() here; the next forward computes the same, this reports its failure now. */
        return fqt_range_tracker_params(&l->out->range, &next);
    }
    return FQT_OK;
}

/*
 * The gradients of structures sel[0, n_sel) added to rows of gw and gb from structure row0 on
 * (WeightLayer.gradients); bias-only: the bias gradient (no MACs) alone.
 */
static void gradients(fqt_layer *l, const fqt_tensor *x, const fqt_tensor *dy, fqt_context *c, float *gw, float *gb, int32_t row0,
                      const int32_t *sel, int32_t n_sel) {
    fqt_weights *w = &l->w;
    int linear = l->kind == FQT_LAYER_LINEAR;
    int32_t per = dy->size / w->structures;
    switch (c->precision) {
    case FQT_PRECISION_FLOAT32:
        if (w->bias_only) fqt_bias_grad_f32_backward(dy->f, gb, row0, per, sel, n_sel);
        else if (linear) fqt_linear_f32_backward_weight(x->f, dy->f, gw, gb, row0, l->in_features, sel, n_sel);
        else fqt_conv2d_f32_backward_weight(x->f, dy->f, gw, gb, row0, &l->conv, sel, n_sel);
        break;
    case FQT_PRECISION_MIXED:
        if (w->bias_only) {
            fqt_bias_grad_f32_backward(dy->f, gb, row0, per, sel, n_sel);
        } else if (linear) {
            fqt_linear_u8f32_backward_weight(x->q, x->params->zero_point, x->params->scale, dy->f, gw, gb, row0, l->in_features,
                                             sel, n_sel);
        } else {
            fqt_conv2d_u8f32_backward_weight(x->q, x->params->zero_point, x->params->scale, dy->f, gw, gb, row0, &l->conv, sel,
                                             n_sel);
        }
        break;
    case FQT_PRECISION_UINT8: {
        float s_e = dy->params->scale, grad_scale = x->params->scale * dy->params->scale;
        if (w->bias_only) {
            fqt_bias_grad_u8_backward(dy->q, dy->params->zero_point, s_e, gb, row0, per, sel, n_sel);
        } else if (linear) {
            fqt_linear_u8_backward_weight(x->q, x->params->zero_point, dy->q, dy->params->zero_point, s_e, grad_scale, gw, gb,
                                          row0, l->in_features, sel, n_sel, (float *) (void *) c->acc_scratch);
        } else {
            fqt_conv2d_u8_backward_weight(x->q, x->params->zero_point, dy->q, dy->params->zero_point, s_e, grad_scale, gw, gb,
                                          row0, c->pad_scratch, &l->conv, sel, n_sel);
        }
        break;
    }
    }
}

/* What a structure's gradient alone needs: the row source of the layer's update in its backward step. */
typedef struct {
    fqt_layer *l;
    const fqt_tensor *x, *dy;
    fqt_context *c;
} row_job;

/* Structure o's gradient alone, in the scratch row (WeightLayer.rowGradient). */
static void row_gradient(void *user, int32_t o, float *row, float *row_bias) {
    const row_job *j = (const row_job *) user;
    int32_t i;
    for (i = 0; i < j->l->w.structure_size; i++) row[i] = 0.0f;
    *row_bias = 0.0f;
    gradients(j->l, j->x, j->dy, j->c, row, row_bias, o, &o, 1);
}

/*
 * Where the uint8 output saturated (255, or 0 above a zero point of 0) the clamp cut the gradient:
 * the error there becomes real zero, in place.
 */
void fqt_zero_saturated_errors(const fqt_tensor *y, fqt_tensor *dy) {
    int low = y->params->zero_point > 0;
    int32_t i = 0;
    if (dy->q != 0) {
#if defined(__ARM_FEATURE_DSP)
        /* Four bytes a turn: the error's zero point where y >= 255, and (low) where not y >= 1. */
        uint32_t e4 = fqt_dsp_bytes(dy->params->zero_point);
        for (; i + 4 <= y->size; i += 4) {
            uint32_t v = fqt_dsp_load4(y->q + i), d = fqt_dsp_bytes_ge_select(v, 0xFFFFFFFFu, e4, fqt_dsp_load4(dy->q + i));
            fqt_dsp_store4(dy->q + i, low ? fqt_dsp_bytes_ge_select(v, 0x01010101u, d, e4) : d);
        }
#endif
        /* The clamp's error rule, bounds 0 (or none) and 255 (Layer.zeroSaturatedErrors). */
        fqt_clamp_u8_backward(y->q + i, low ? 0 : -1, 255, dy->q + i, dy->params->zero_point, dy->q + i, y->size - i);
        return;
    }
    for (; i < y->size; i++) {
        int32_t q = y->q[i];
        if (q == 255 || (low && q == 0)) dy->f[i] = 0.0f;
    }
}

/* The error of the selected structures propagated to the input, with the weights as they are (WeightLayer.propagate). */
static int propagate(fqt_layer *l, const fqt_tensor *dy, fqt_tensor *dx, fqt_context *c, int32_t n_sel) {
    fqt_weights *w = &l->w;
    int32_t *sel = c->sel;
    int linear = l->kind == FQT_LAYER_LINEAR;
    switch (c->precision) {
    case FQT_PRECISION_FLOAT32:
        if (linear) fqt_linear_f32_backward_error(dy->f, w->real, dx->f, l->in_features, sel, n_sel);
        else fqt_conv2d_f32_backward_error(dy->f, w->real, dx->f, &l->conv, sel, n_sel);
        return FQT_OK;
    case FQT_PRECISION_MIXED:
        if (linear) {
            fqt_linear_u8f32_backward_error(dy->f, w->q, w->params->zero_point, w->params->scale, dx->f, l->in_features, sel, n_sel);
        } else {
            fqt_conv2d_u8f32_backward_error(dy->f, w->q, w->params->zero_point, w->params->scale, dx->f, &l->conv, sel, n_sel);
        }
        return FQT_OK;
    default: {
        float acc_scale = w->params->scale * dy->params->scale;
        if (linear) {
            fqt_linear_u8_backward_error(dy->q, dy->params->zero_point, w->q, w->params->zero_point, c->acc_scratch,
                                         l->in_features, sel, n_sel);
        } else {
            fqt_conv2d_u8_backward_error(dy->q, dy->params->zero_point, w->q, w->params->zero_point, c->acc_scratch,
                                         c->pad_scratch, &l->conv, sel, n_sel);
        }
        /* A float dx is one share of a fan-out's error: the model sums the shares and requantizes once. */
        if (dx->q == 0) {
            int32_t i;
            for (i = 0; i < dx->size; i++) dx->f[i] = (float) c->acc_scratch[i] * acc_scale;
            return FQT_OK;
        }
        return fqt_context_quantize_errors_acc(c, c->acc_scratch, acc_scale, l->err_range, dx);
    }
    }
}

int fqt_weight_layer_backward(fqt_layer *l, const fqt_tensor *x, const fqt_tensor *y, fqt_tensor *dy, fqt_tensor *dx,
                              fqt_context *c) {
    fqt_weights *w = &l->w;
    int32_t *sel = c->sel, n_sel, o;
    int weight_grad_on, status;
    row_job job;
    int32_t k;
    if (y->q != 0) fqt_zero_saturated_errors(y, dy);
    if (l->frozen || c->selector == 0 || l->full_update) {
        for (o = 0; o < w->structures; o++) sel[o] = o;
        n_sel = w->structures;
    } else {
        uint64_t start = fqt_context_now(c);
        n_sel = fqt_selector_select(c->selector, l->select_slot, dy, w->structures, sel);
        c->select_time += fqt_context_now(c) - start;
    }
    if (!l->frozen) {
        if (c->gradients != FQT_GRADIENTS_IN_PLACE) fqt_weights_mark_touched(w, sel, n_sel);
        if (c->on_select != 0) c->on_select(c->hook_user, l->index, sel, n_sel);
    }
    weight_grad_on = !l->frozen && !w->bias_only;
    c->backward_macs += macs_per_structure(l) * n_sel * ((weight_grad_on ? 1 : 0) + (dx != 0 ? 1 : 0));
    job.l = l;
    job.x = x;
    job.dy = dy;
    job.c = c;
    if (!l->frozen && c->gradients == FQT_GRADIENTS_FLOAT32) gradients(l, x, dy, c, w->grad, w->bias_grad, 0, sel, n_sel);
    if (!l->frozen && c->gradients == FQT_GRADIENTS_INT8) {
        for (k = 0; k < n_sel; k++) {
            row_gradient(&job, sel[k], c->grad_row, c->grad_row + w->structure_size);
            status = fqt_weights_accumulate(w, sel[k], c->grad_row, c->grad_row[w->structure_size], c->rounding, c->rng);
            if (status != FQT_OK) return status;
        }
    }
    if (dx != 0) {
        status = propagate(l, dy, dx, c, n_sel);
        if (status != FQT_OK) return status;
    }
    if (!l->frozen && c->gradients == FQT_GRADIENTS_IN_PLACE) {
        return fqt_weights_update_rows(w, c->optimizer, sel, n_sel, 1, row_gradient, &job, c->grad_row, c->rounding, c->rng);
    }
    return FQT_OK;
}
