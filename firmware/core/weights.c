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

int fqt_weights_update(fqt_weights *w, const struct fqt_optimizer *opt, fqt_rounding rounding, fqt_xorshift32 *rng) {
    int32_t o;
    if (w->samples == 0) return FQT_OK;
    for (o = 0; o < w->structures; o++) if (fqt_weights_touched(w, o)) fqt_optimizer_delta(opt, w, o);
    return fqt_weights_apply_deltas(w, rounding, rng);
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
 * Second pass: structure o's weights quantized with the new parameters, from the first pass's
 * values (touched) or their old real values (untouched, when the parameters changed), in index
 * order: the random draws stay in Java's order.
 */
static void requantize_structure(fqt_weights *w, int32_t o, const fqt_quant_params *next, fqt_rounding rounding, fqt_xorshift32 *rng) {
    const fqt_quant_params p = *w->params;
    int32_t i, size = w->structure_size, touched = fqt_weights_touched(w, o);
    uint8_t *q = w->q + o * size;
    float *v = w->grad + o * size;
    if (!touched) for (i = 0; i < size; i++) v[i] = (float) ((int32_t) q[i] - p.zero_point) * p.scale;
#if defined(__ARM_FP) && defined(__ARM_FEATURE_DSP)
    /* fqt_quant_params_quantize with rounding.h's array rounding: the same bytes. */
    fqt_rounding_modes f = fqt_rounding_fpscr();
    uint32_t state = rng != 0 ? rng->state : 0;
    float scale = next->scale;
    int32_t zp = next->zero_point;
    switch (rounding) {
    case FQT_ROUNDING_FLOOR:
        for (i = 0; i < size; i++) q[i] = (uint8_t) fqt_rounding_to_u8(v[i] / scale, zp, f);
        break;
    case FQT_ROUNDING_NEAREST:
        for (i = 0; i < size; i++) q[i] = (uint8_t) fqt_rounding_to_u8(v[i] / scale + 0.5f, zp, f);
        break;
    default:
        for (i = 0; i < size; i++) q[i] = (uint8_t) fqt_rounding_to_u8(fqt_rounding_offset(FQT_ROUNDING_STOCHASTIC, v[i] / scale, &state), zp, f);
        if (rng != 0) rng->state = state;
        break;
    }
#else
    for (i = 0; i < size; i++) q[i] = (uint8_t) fqt_quant_params_quantize(next, v[i], rounding, rng);
#endif
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
