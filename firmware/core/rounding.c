#include "rounding.h"

int32_t fqt_rounding_round(fqt_rounding rounding, float v, fqt_xorshift32 *rng) {
    switch (rounding) {
    case FQT_ROUNDING_FLOOR: return fqt_rounding_floor_to_int(v);
    case FQT_ROUNDING_NEAREST: return fqt_rounding_floor_to_int(v + 0.5f);
    default: return fqt_rounding_floor_to_int(v + fqt_xorshift32_next_unit(rng));
    }
}

int32_t fqt_rounding_floor_to_int(float v) {
    if (!(v > -FQT_ROUNDING_LIMIT)) return v != v ? 0 : (int32_t) -FQT_ROUNDING_LIMIT;
    if (v > FQT_ROUNDING_LIMIT) return (int32_t) FQT_ROUNDING_LIMIT;
    {
        int32_t i = (int32_t) v; /* truncates toward zero; defined since |v| <= 2^30 */
        return (float) i > v ? i - 1 : i;
    }
}
