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
#include "dsp_pairs.h"

/*
 * The array loop on Cortex-M4F/M7 in about half the instructions of fqt_requantizer_apply, with the
 * same bytes: rounding as in rounding.h's fqt_rounding_to_u8, then max with lo on bytes (SEL).
 */
static inline __attribute__((always_inline)) void apply_loop(fqt_requantizer *rq, const int32_t *acc, uint8_t *y, int32_t n,
                                                              fqt_rounding rounding) {
    fqt_rounding_modes f = fqt_rounding_fpscr();
    uint32_t state = rq->rng != 0 ? rq->rng->state : 0, lo4 = fqt_dsp_bytes(rq->lo);
    int32_t acc_min = rq->acc_min, acc_max = rq->acc_max, zp = rq->zero_point, i;
    float m = rq->multiplier;
    for (i = 0; i < n; i++) {
        int32_t a = acc[i];
        uint32_t q;
        if (a < acc_min) acc_min = a;
        if (a > acc_max) acc_max = a;
        q = (uint32_t) fqt_rounding_to_u8(fqt_rounding_offset(rounding, (float) a * m, &state), zp, f);
        y[i] = (uint8_t) fqt_dsp_bytes_ge_select(q, lo4, q, lo4);
    }
    if (rq->rng != 0) rq->rng->state = state;
    rq->acc_min = acc_min;
    rq->acc_max = acc_max;
}

void fqt_requantizer_apply_array(fqt_requantizer *rq, const int32_t *acc, uint8_t *y, int32_t n) {
    switch (rq->rounding) {
    case FQT_ROUNDING_FLOOR: apply_loop(rq, acc, y, n, FQT_ROUNDING_FLOOR); break;
    case FQT_ROUNDING_NEAREST: apply_loop(rq, acc, y, n, FQT_ROUNDING_NEAREST); break;
    default: apply_loop(rq, acc, y, n, FQT_ROUNDING_STOCHASTIC); break;
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
