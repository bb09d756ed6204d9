#include "requantize.h"

#include "quant_params.h"

void fqt_requantizer_reset(fqt_requantizer *rq, float multiplier, int32_t zero_point, int relu_clamp,
                           fqt_rounding rounding, fqt_xorshift32 *rng) {
    rq->multiplier = multiplier;
    rq->zero_point = zero_point;
    rq->lo = relu_clamp ? zero_point : FQT_QMIN;
    rq->rounding = rounding;
    rq->rng = rng;
    rq->acc_min = INT32_MAX;
    rq->acc_max = INT32_MIN;
}

float fqt_requantizer_multiplier(float s_in, float s_w, float s_out) {
    return (s_in * s_w) / s_out;
}

int32_t fqt_requantizer_quantize_bias(float bias, float acc_scale) {
    return fqt_rounding_floor_to_int(bias / acc_scale + 0.5f);
}

void fqt_requantizer_apply_array(fqt_requantizer *rq, const int32_t *acc, uint8_t *y, int32_t n) {
    fqt_requantizer r = *rq;
    fqt_xorshift32 rng;
    int32_t i;
    if (rq->rng != 0) {
        rng = *rq->rng;
        r.rng = &rng;
    }
    for (i = 0; i < n; i++) y[i] = (uint8_t) fqt_requantizer_apply(&r, acc[i]);
    if (rq->rng != 0) *rq->rng = rng;
    rq->acc_min = r.acc_min;
    rq->acc_max = r.acc_max;
}
