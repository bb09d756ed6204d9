/* Mirrors fqt.quant.Rounding: float32 to int, specified on float32 values. */
#ifndef FQT_ROUNDING_H
#define FQT_ROUNDING_H

#include <stdint.h>
#include "xorshift32.h"

/* Values are Java's ordinals (also the model blob's codes). */
typedef enum {
    FQT_ROUNDING_FLOOR = 0,      /* floor(v) */
    FQT_ROUNDING_NEAREST = 1,    /* floor(v + 0.5f), ties up */
    FQT_ROUNDING_STOCHASTIC = 2  /* floor(v + u), u from the rng: draws one number per call */
} fqt_rounding;

/* Largest magnitude kept before the int conversion. */
#define FQT_ROUNDING_LIMIT 0x1.0p30f

/* floor for float32, saturating at +-2^30 so the conversion is defined; NaN maps to 0. */
static inline int32_t fqt_rounding_floor_to_int(float v) {
    if (!(v > -FQT_ROUNDING_LIMIT)) return v != v ? 0 : (int32_t) -FQT_ROUNDING_LIMIT;
    if (v > FQT_ROUNDING_LIMIT) return (int32_t) FQT_ROUNDING_LIMIT;
    {
        int32_t i = (int32_t) v; /* truncates toward zero; defined since |v| <= 2^30 */
        return (float) i > v ? i - 1 : i;
    }
}

/* Inline: every requantized value and every quantized weight goes through here. */
static inline int32_t fqt_rounding_round(fqt_rounding rounding, float v, fqt_xorshift32 *rng) {
    switch (rounding) {
    case FQT_ROUNDING_FLOOR: return fqt_rounding_floor_to_int(v);
    case FQT_ROUNDING_NEAREST: return fqt_rounding_floor_to_int(v + 0.5f);
    default: return fqt_rounding_floor_to_int(v + fqt_xorshift32_next_unit(rng));
    }
}


#if defined(__ARM_FP) && defined(__ARM_FEATURE_DSP)
#include <arm_acle.h>
/*
 * Cortex-M4F/M7: rounding of a whole array with fewer instructions and the same results.
 * fqt_rounding_to_u8(s, zp, f) = clamp(fqt_rounding_floor_to_int(s) + zp, 0, 255):
 * - floor(s) is VCVTR under the rounding mode "toward minus infinity", set in FPSCR for that one
 *   instruction only (every other float operation keeps round-to-nearest). It saturates to int32
 *   and maps NaN to 0, as fqt_rounding_floor_to_int does.
 * - SSAT to 16 bits stands for the saturation at +-2^30 (any |floor| above 32767 ends at 0 or 255
 *   either way), USAT to [0, 255] for the clamp.
 * f is the pair of FPSCR values fqt_rounding_fpscr reads once per array.
 */
typedef struct {
    uint32_t nearest, down;
} fqt_rounding_modes;

static inline fqt_rounding_modes fqt_rounding_fpscr(void) {
    fqt_rounding_modes f;
    __asm__ volatile("vmrs %0, fpscr" : "=r"(f.nearest));
    f.down = (f.nearest & ~(3u << 22)) | (2u << 22); /* RMode, bits 23:22: 10 = toward minus infinity */
    return f;
}

/* floor(s) saturated to int32, NaN to 0. */
static inline __attribute__((always_inline)) int32_t fqt_rounding_floor_fast(float s, fqt_rounding_modes f) {
    int32_t r;
    float t;
    __asm__ volatile("vmsr fpscr, %2\n\tvcvtr.s32.f32 %1, %3\n\tvmsr fpscr, %4\n\tvmov %0, %1"
                     : "=r"(r), "=&t"(t) : "r"(f.down), "t"(s), "r"(f.nearest));
    return r;
}

static inline __attribute__((always_inline)) int32_t fqt_rounding_to_u8(float s, int32_t zp, fqt_rounding_modes f) {
    return __usat(__ssat(fqt_rounding_floor_fast(s, f), 16) + zp, 8);
}

/*
 * The same with the clamp at zp instead of 0 (a fused ReLU, or a zero point of 0): USAT to
 * [0, 255], then UQADD8 adds zp saturating at 255. Here the plain VCVT (toward zero) serves:
 * truncation and floor differ only below 0, where both end at the clamp.
 */
static inline __attribute__((always_inline)) int32_t fqt_rounding_to_u8_above_zp(float s, int32_t zp) {
    int32_t r;
    float t;
    __asm__("vcvt.s32.f32 %1, %2\n\tvmov %0, %1" : "=r"(r), "=&t"(t) : "t"(s));
    return (int32_t) __uqadd8((uint32_t) __usat(r, 8), (uint32_t) zp);
}

/* fqt_xorshift32_next_unit's value from the next state x: (x >> 8) * 2^-24 as one fixed-point VCVT (exact). */
static inline __attribute__((always_inline)) float fqt_rounding_unit(uint32_t x) {
    float u;
    __asm__("vmov %0, %1\n\tvcvt.f32.u32 %0, %0, #24" : "=&t"(u) : "r"(x >> 8));
    return u;
}

/* s + the rounding's offset (0, 0.5 or the next unit of *state), as fqt_rounding_round adds it. */
static inline __attribute__((always_inline)) float fqt_rounding_offset(fqt_rounding rounding, float s, uint32_t *state) {
    if (rounding == FQT_ROUNDING_NEAREST) return s + 0.5f;
    if (rounding == FQT_ROUNDING_STOCHASTIC) {
        uint32_t x = *state;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        *state = x;
        return s + fqt_rounding_unit(x);
    }
    return s;
}
#endif

#endif
