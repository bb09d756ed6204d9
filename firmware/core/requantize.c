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

int32_t fqt_requantizer_apply(fqt_requantizer *rq, int32_t acc) {
    int32_t q;
    if (acc < rq->acc_min) rq->acc_min = acc;
    if (acc > rq->acc_max) rq->acc_max = acc;
    q = fqt_rounding_round(rq->rounding, (float) acc * rq->multiplier, rq->rng) + rq->zero_point;
    return q < rq->lo ? rq->lo : (q > FQT_QMAX ? FQT_QMAX : q);
}
