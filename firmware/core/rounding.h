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

#endif
