#include "weights.h"

#include <math.h>

#include "fqt_status.h"
#include "optimizer.h"
#include "rounding.h"

int32_t fqt_weights_count(const fqt_weights *w) {
    return w->structures * w->structure_size;
}

int fqt_weights_touched(const fqt_weights *w, int32_t o) {
    return w->touched == 0 || w->touched[o];
}

void fqt_weights_mark_touched(fqt_weights *w, const int32_t *sel, int32_t n_sel) {
    int32_t k;
    if (w->touched == 0) return;
    for (k = 0; k < n_sel; k++) w->touched[sel[k]] = 1;
}

/*
 * First pass (Java's Weights.applyDeltas): the weights' range after this update. A touched
 * structure's new real values v = dequantize(q) - delta are kept in its gradient buffer (cleared
 * after the update anyway), where the second pass quantizes them from; an untouched one's range is
 * that of its extreme codes (dequantization is monotonic).
 */
static void updated_range(fqt_weights *w, float *lo_out, float *hi_out) {
    const fqt_quant_params p = *w->params;
    float lo = INFINITY, hi = -INFINITY;
    int32_t o, i, size = w->structure_size;
    for (o = 0; o < w->structures; o++) {
        const uint8_t *q = w->q + o * size;
        float *g = w->grad + o * size;
        if (fqt_weights_touched(w, o)) {
            for (i = 0; i < size; i++) {
                float v = (float) ((int32_t) q[i] - p.zero_point) * p.scale - g[i];
                g[i] = v;
                if (v < lo) lo = v;
                if (v > hi) hi = v;
            }
        } else {
            int32_t c_min = 255, c_max = 0;
            float v_min, v_max;
            for (i = 0; i < size; i++) {
                if (q[i] < c_min) c_min = q[i];
                if (q[i] > c_max) c_max = q[i];
            }
            v_min = fqt_quant_params_dequantize(&p, c_min);
            v_max = fqt_quant_params_dequantize(&p, c_max);
            if (v_min < lo) lo = v_min;
            if (v_max > hi) hi = v_max;
        }
    }
    *lo_out = lo;
    *hi_out = hi;
}

/*
 * q[i] = quantize(next, v[i]) for n values in index order (one draw per value when stochastic):
 * fqt_quant_params_quantize, with rounding.h's array rounding on the M4/M7 (the same bytes).
 */
static void quantize_values(const float *v, int32_t n, const fqt_quant_params *next, uint8_t *q, fqt_rounding rounding,
                            fqt_xorshift32 *rng) {
    int32_t i;
#if defined(__ARM_FP) && defined(__ARM_FEATURE_DSP)
    fqt_rounding_modes f = fqt_rounding_fpscr();
    uint32_t state = rng != 0 ? rng->state : 0;
    float scale = next->scale;
    int32_t zp = next->zero_point;
    switch (rounding) {
    case FQT_ROUNDING_FLOOR:
        for (i = 0; i < n; i++) q[i] = (uint8_t) fqt_rounding_to_u8(v[i] / scale, zp, f);
        break;
    case FQT_ROUNDING_NEAREST:
        for (i = 0; i < n; i++) q[i] = (uint8_t) fqt_rounding_to_u8(v[i] / scale + 0.5f, zp, f);
        break;
    default:
        for (i = 0; i < n; i++) q[i] = (uint8_t) fqt_rounding_to_u8(fqt_rounding_offset(FQT_ROUNDING_STOCHASTIC, v[i] / scale, &state), zp, f);
        if (rng != 0) rng->state = state;
        break;
    }
#else
    for (i = 0; i < n; i++) q[i] = (uint8_t) fqt_quant_params_quantize(next, v[i], rounding, rng);
#endif
}

/*
 * Second pass: structure o's weights quantized with the new parameters, from the first pass's
 * values (touched) or their old real values (untouched, when the parameters changed), in index
 * order: the random draws stay in Java's order.
 */
static void requantize_structure(fqt_weights *w, int32_t o, const fqt_quant_params *next, fqt_rounding rounding, fqt_xorshift32 *rng) {
    const fqt_quant_params p = *w->params;
    int32_t i, size = w->structure_size;
    uint8_t *q = w->q + o * size;
    float *v = w->grad + o * size;
    if (!fqt_weights_touched(w, o)) for (i = 0; i < size; i++) v[i] = (float) ((int32_t) q[i] - p.zero_point) * p.scale;
    quantize_values(v, size, next, q, rounding, rng);
}

int fqt_weights_apply_deltas(fqt_weights *w, fqt_rounding rounding, fqt_xorshift32 *rng) {
    int32_t o, i, n = fqt_weights_count(w), size = w->structure_size;
    int status = FQT_OK;
    for (o = 0; o < w->structures; o++) if (fqt_weights_touched(w, o)) w->bias[o] -= w->bias_grad[o];
    if (w->bias_only) {
        /* The optimizer's weight deltas are dropped: the weights stay as they are. */
    } else if (w->q == 0) {
        for (o = 0; o < w->structures; o++) {
            if (!fqt_weights_touched(w, o)) continue;
            for (i = o * size; i < (o + 1) * size; i++) w->real[i] -= w->grad[i];
        }
    } else {
        float lo, hi;
        fqt_quant_params next;
        int rescale;
        updated_range(w, &lo, &hi);
        status = fqt_quant_params_from_range(lo, hi, &next);
        if (status != FQT_OK) return status;
        rescale = !fqt_quant_params_equal(&next, w->params);
        for (o = 0; o < w->structures; o++) {
            if (fqt_weights_touched(w, o) || rescale) requantize_structure(w, o, &next, rounding, rng);
        }
        *w->params = next;
    }
    if (w->grad != 0) {
        /* Four a turn: paired stores instead of one store per weight. */
        for (i = 0; i + 4 <= n; i += 4) w->grad[i] = w->grad[i + 1] = w->grad[i + 2] = w->grad[i + 3] = 0.0f;
        for (; i < n; i++) w->grad[i] = 0.0f;
    }
    for (o = 0; o < w->structures; o++) w->bias_grad[o] = 0.0f;
    if (w->touched != 0) for (o = 0; o < w->structures; o++) w->touched[o] = 0;
    w->samples = 0;
    return status;
}

int fqt_weights_accumulate(fqt_weights *w, int32_t o, float *row, float row_bias, fqt_rounding rounding, fqt_xorshift32 *rng) {
    int32_t j, size = w->structure_size;
    uint8_t *codes;
    float s, m = 0.0f;
    fqt_quant_params next;
    w->bias_grad[o] += row_bias;
    if (w->bias_only) return FQT_OK; /* no weight sums */
    codes = w->grad_codes + o * size;
    s = w->grad_scale[o];
    for (j = 0; j < size; j++) {
        float v = (float) ((int32_t) codes[j] - FQT_GRAD_ZERO_POINT) * s + row[j];
        float a = fabsf(v);
        row[j] = v;
        if (a != a || a > m) m = a; /* Java's Math.max: a NaN stays */
        if (m != m) break;
    }
    if (!(m <= 3.40282347e+38f)) return FQT_ERR_NONFINITE;
    next.scale = m / FQT_GRAD_STEPS;
    next.zero_point = FQT_GRAD_ZERO_POINT;
    w->grad_scale[o] = next.scale;
    if (next.scale == 0.0f) {
        for (j = 0; j < size; j++) codes[j] = FQT_GRAD_ZERO_POINT;
    } else {
        quantize_values(row, size, &next, codes, rounding, rng);
    }
    return FQT_OK;
}

/* Min and max of v[0, n), NaNs skipped (as Weights.min/max). */
static void min_max(const float *v, int32_t n, float *lo, float *hi) {
    int32_t i;
    for (i = 0; i < n; i++) {
        if (v[i] < *lo) *lo = v[i];
        if (v[i] > *hi) *hi = v[i];
    }
}

/* The real values of structure o's smallest and largest codes (dequantization is monotonic). */
static void code_range(const fqt_weights *w, int32_t o, float *lo, float *hi) {
    const uint8_t *q = w->q + o * w->structure_size;
    int32_t i, c_min = 255, c_max = 0;
    float v_min, v_max;
    for (i = 0; i < w->structure_size; i++) {
        if (q[i] < c_min) c_min = q[i];
        if (q[i] > c_max) c_max = q[i];
    }
    v_min = fqt_quant_params_dequantize(w->params, c_min);
    v_max = fqt_quant_params_dequantize(w->params, c_max);
    if (v_min < *lo) *lo = v_min;
    if (v_max > *hi) *hi = v_max;
}

int fqt_weights_update_rows(fqt_weights *w, const struct fqt_optimizer *opt, const int32_t *list, int32_t n, int32_t samples,
                            fqt_row_source source, void *user, float *row, fqt_rounding rounding, fqt_xorshift32 *rng) {
    int32_t size = w->structure_size, o, j, k;
    float *row_bias = row + size;
    fqt_quant_params p, next;
    float lo = INFINITY, hi = -INFINITY;
    int status, rescale;
    if (w->q == 0 || w->bias_only) {
        for (k = 0; k < n; k++) {
            o = list[k];
            source(user, o, row, row_bias);
            w->bias[o] -= fqt_optimizer_delta(opt, w, o, row, *row_bias, samples, 1);
            if (w->bias_only) continue; /* the weights stay: a standardization's weight deltas are dropped */
            for (j = 0; j < size; j++) w->real[o * size + j] -= row[j];
        }
        return FQT_OK;
    }
    p = *w->params;
    for (o = 0, k = 0; o < w->structures; o++) {
        const uint8_t *q = w->q + o * size;
        if (k < n && list[k] == o) {
            k++;
            source(user, o, row, row_bias);
            (void) fqt_optimizer_delta(opt, w, o, row, *row_bias, samples, 0);
            for (j = 0; j < size; j++) row[j] = (float) ((int32_t) q[j] - p.zero_point) * p.scale - row[j];
            min_max(row, size, &lo, &hi);
        } else {
            code_range(w, o, &lo, &hi);
        }
    }
    status = fqt_quant_params_from_range(lo, hi, &next);
    if (status != FQT_OK) return status;
    rescale = !fqt_quant_params_equal(&next, &p);
    for (o = 0, k = 0; o < w->structures; o++) {
        uint8_t *q = w->q + o * size;
        if (k < n && list[k] == o) {
            k++;
            source(user, o, row, row_bias);
            w->bias[o] -= fqt_optimizer_delta(opt, w, o, row, *row_bias, samples, 1);
            for (j = 0; j < size; j++) row[j] = (float) ((int32_t) q[j] - p.zero_point) * p.scale - row[j];
        } else if (rescale) {
            for (j = 0; j < size; j++) row[j] = (float) ((int32_t) q[j] - p.zero_point) * p.scale;
        } else {
            continue;
        }
        quantize_values(row, size, &next, q, rounding, rng);
    }
    *w->params = next;
    return FQT_OK;
}

/* INT8 sums as a row source: structure o's codes times its scale, and its bias sum. */
static void dequantize_sum(void *user, int32_t o, float *row, float *row_bias) {
    const fqt_weights *w = (const fqt_weights *) user;
    int32_t j, size = w->structure_size;
    const uint8_t *codes = w->grad_codes != 0 ? w->grad_codes + o * size : 0;
    float s = w->grad_scale != 0 ? w->grad_scale[o] : 0.0f;
    for (j = 0; j < size; j++) row[j] = codes != 0 ? (float) ((int32_t) codes[j] - FQT_GRAD_ZERO_POINT) * s : 0.0f;
    *row_bias = w->bias_grad[o];
}

int fqt_weights_update(fqt_weights *w, const struct fqt_optimizer *opt, fqt_gradients gradients, float *row, int32_t *list,
                       fqt_rounding rounding, fqt_xorshift32 *rng) {
    int32_t o, n = 0, count = fqt_weights_count(w);
    int status;
    if (w->samples == 0) return FQT_OK;
    if (gradients == FQT_GRADIENTS_INT8) {
        for (o = 0; o < w->structures; o++) if (fqt_weights_touched(w, o)) list[n++] = o;
        status = fqt_weights_update_rows(w, opt, list, n, w->samples, dequantize_sum, w, row, rounding, rng);
        if (w->grad_codes != 0) for (o = 0; o < count; o++) w->grad_codes[o] = FQT_GRAD_ZERO_POINT;
        for (o = 0; o < w->structures; o++) {
            if (w->grad_scale != 0) w->grad_scale[o] = 0.0f;
            w->bias_grad[o] = 0.0f;
        }
        if (w->touched != 0) for (o = 0; o < w->structures; o++) w->touched[o] = 0;
        w->samples = 0;
        return status;
    }
    for (o = 0; o < w->structures; o++) {
        if (fqt_weights_touched(w, o)) {
            float *g = w->grad != 0 ? w->grad + o * w->structure_size : 0;
            w->bias_grad[o] = fqt_optimizer_delta(opt, w, o, g, w->bias_grad[o], w->samples, 1);
        }
    }
    return fqt_weights_apply_deltas(w, rounding, rng);
}
