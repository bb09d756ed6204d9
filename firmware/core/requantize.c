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

#if defined(__ARM_FEATURE_DSP) && defined(__ARM_FP)
/*
 * The array loop on Cortex-M4F/M7 in about half the instructions of fqt_requantizer_apply, with the
 * same bytes: rounding as rounding.h's fqt_rounding_to_u8 (or, with a fused ReLU, the clamp at the
 * zero point by fqt_rounding_to_u8_above_zp). The running accumulator range is tested with one
 * unsigned comparison, acc - min > max - min (exact for every int32: x - min mod 2^32 maps
 * [min, max] onto [0, max - min]); only values outside it take the branch that widens it.
 */
static inline __attribute__((always_inline)) void apply_loop(fqt_requantizer *rq, const int32_t *acc, uint8_t *y, int32_t n,
                                                              fqt_rounding rounding, int above_zp) {
    fqt_rounding_modes f = fqt_rounding_fpscr();
    uint32_t state = rq->rng != 0 ? rq->rng->state : 0, span;
    int32_t acc_min = rq->acc_min, acc_max = rq->acc_max, zp = rq->zero_point, i;
    float m = rq->multiplier;
    if (n > 0 && acc_min > acc_max) acc_min = acc_max = acc[0]; /* a fresh range starts at the first value */
    span = (uint32_t) acc_max - (uint32_t) acc_min;
    for (i = 0; i < n; i++) {
        int32_t a = acc[i];
        float s;
        if ((uint32_t) a - (uint32_t) acc_min > span) {
            if (a < acc_min) acc_min = a;
            else acc_max = a;
            span = (uint32_t) acc_max - (uint32_t) acc_min;
        }
        s = fqt_rounding_offset(rounding, (float) a * m, &state);
        y[i] = (uint8_t) (above_zp ? fqt_rounding_to_u8_above_zp(s, zp) : fqt_rounding_to_u8(s, zp, f));
    }
    if (rq->rng != 0) rq->rng->state = state;
    rq->acc_min = acc_min;
    rq->acc_max = acc_max;
}

void fqt_requantizer_apply_array(fqt_requantizer *rq, const int32_t *acc, uint8_t *y, int32_t n) {
    /* lo is the zero point (fused ReLU) or 0; the clamp is at the zero point when they are equal. */
    int above_zp = rq->lo == rq->zero_point;
    switch (rq->rounding) {
    case FQT_ROUNDING_FLOOR:
        if (above_zp) apply_loop(rq, acc, y, n, FQT_ROUNDING_FLOOR, 1);
        else apply_loop(rq, acc, y, n, FQT_ROUNDING_FLOOR, 0);
        break;
    case FQT_ROUNDING_NEAREST:
        if (above_zp) apply_loop(rq, acc, y, n, FQT_ROUNDING_NEAREST, 1);
        else apply_loop(rq, acc, y, n, FQT_ROUNDING_NEAREST, 0);
        break;
    default:
        if (above_zp) apply_loop(rq, acc, y, n, FQT_ROUNDING_STOCHASTIC, 1);
        else apply_loop(rq, acc, y, n, FQT_ROUNDING_STOCHASTIC, 0);
        break;
    }
}
#else
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
#endif
