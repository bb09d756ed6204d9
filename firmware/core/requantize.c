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
 * same bytes:
 * - floor(s): VCVTR under the rounding mode "toward minus infinity", set in FPSCR for that one
 *   instruction only (every other float operation keeps round-to-nearest). It saturates to int32
 *   and maps NaN to 0, as fqt_rounding_floor_to_int maps NaN to 0.
 * - The saturation at +-2^30 and the clamp: SSAT to 16 bits first (any |floor| above 32767 ends at
 *   255 or at lo either way), then + zero point, USAT to [0, 255], and max with lo on bytes (SEL).
 * - The stochastic unit (x >> 8) * 2^-24 as one fixed-point VCVT with 24 fraction bits: exact.
 */
static inline __attribute__((always_inline)) int32_t floor_toward_minus_inf(float s, uint32_t fpscr_rm, uint32_t fpscr_rn) {
    int32_t r;
    float t;
    __asm__ volatile("vmsr fpscr, %2\n\tvcvtr.s32.f32 %1, %3\n\tvmsr fpscr, %4\n\tvmov %0, %1"
                     : "=r"(r), "=&t"(t) : "r"(fpscr_rm), "t"(s), "r"(fpscr_rn));
    return r;
}

static inline __attribute__((always_inline)) float unit_of(uint32_t x) {
    float u;
    __asm__("vmov %0, %1\n\tvcvt.f32.u32 %0, %0, #24" : "=&t"(u) : "r"(x >> 8));
    return u;
}

static inline __attribute__((always_inline)) void apply_loop(fqt_requantizer *rq, const int32_t *acc, uint8_t *y, int32_t n,
                                                              fqt_rounding rounding) {
    uint32_t fpscr_rn, fpscr_rm, state = rq->rng != 0 ? rq->rng->state : 0, lo4 = fqt_dsp_bytes(rq->lo);
    int32_t acc_min = rq->acc_min, acc_max = rq->acc_max, zp = rq->zero_point, i;
    float m = rq->multiplier;
    __asm__ volatile("vmrs %0, fpscr" : "=r"(fpscr_rn));
    fpscr_rm = (fpscr_rn & ~(3u << 22)) | (2u << 22); /* RMode, bits 23:22: 10 = toward minus infinity */
    for (i = 0; i < n; i++) {
        int32_t a = acc[i], q;
        float s = (float) a * m;
        if (a < acc_min) acc_min = a;
        if (a > acc_max) acc_max = a;
        if (rounding == FQT_ROUNDING_NEAREST) {
            s = s + 0.5f;
        } else if (rounding == FQT_ROUNDING_STOCHASTIC) {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            s = s + unit_of(state);
        }
        q = __usat(__ssat(floor_toward_minus_inf(s, fpscr_rm, fpscr_rn), 16) + zp, 8);
        y[i] = (uint8_t) fqt_dsp_bytes_ge_select((uint32_t) q, lo4, (uint32_t) q, lo4);
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
