#include "weights.h"

#include <math.h>

#include "fqt_status.h"
#include "optimizer.h"

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

/* Real value of weight i of structure o after this update (computed the same way in both passes). */
static float updated(const fqt_weights *w, int32_t o, int32_t i) {
    float v = fqt_quant_params_dequantize(w->params, w->q[i]);
    return fqt_weights_touched(w, o) ? v - w->grad[i] : v;
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
        float lo = INFINITY, hi = -INFINITY;
        fqt_quant_params next;
        int rescale;
        for (o = 0; o < w->structures; o++) {
            for (i = o * size; i < (o + 1) * size; i++) {
                float v = updated(w, o, i);
                if (v < lo) lo = v;
                if (v > hi) hi = v;
            }
        }
        status = fqt_quant_params_from_range(lo, hi, &next);
        if (status != FQT_OK) return status;
        rescale = !fqt_quant_params_equal(&next, w->params);
        for (o = 0; o < w->structures; o++) {
            if (!fqt_weights_touched(w, o) && !rescale) continue;
            for (i = o * size; i < (o + 1) * size; i++) {
                w->q[i] = (uint8_t) fqt_quant_params_quantize(&next, updated(w, o, i), rounding, rng);
            }
        }
        *w->params = next;
    }
    if (w->grad != 0) for (i = 0; i < n; i++) w->grad[i] = 0.0f;
    for (o = 0; o < w->structures; o++) w->bias_grad[o] = 0.0f;
    if (w->touched != 0) for (o = 0; o < w->structures; o++) w->touched[o] = 0;
    w->samples = 0;
    return status;
}
