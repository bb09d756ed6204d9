/* Mirrors fqt.quant.Xorshift32: Marsaglia's xorshift32 (13, 17, 5), the only random source. */
#ifndef FQT_XORSHIFT32_H
#define FQT_XORSHIFT32_H

#include <stdint.h>

/* Replaces a zero seed, which would make xorshift emit zeros forever. */
#define FQT_XORSHIFT32_ZERO_SEED_REPLACEMENT 0x9E3779B9u

typedef struct {
    uint32_t state;
} fqt_xorshift32;

void fqt_xorshift32_init(fqt_xorshift32 *r, uint32_t seed);
/* Java's Xorshift32(long): folds the 64-bit seed as (int) (seed ^ (seed >>> 32)). */
void fqt_xorshift32_init_long(fqt_xorshift32 *r, int64_t seed);
/* Inline, as the next two: stochastic rounding draws once per requantized value. */
static inline uint32_t fqt_xorshift32_next_int(fqt_xorshift32 *r) {
    uint32_t x = r->state;
    x ^= x << 13;
    x ^= x >> 17; /* unsigned: Java's >>> */
    x ^= x << 5;
    r->state = x;
    return x;
}

/* Uniform in [0, 1): the top 24 bits times 2^-24, exact in float32. */
static inline float fqt_xorshift32_next_unit(fqt_xorshift32 *r) {
    return (float) (fqt_xorshift32_next_int(r) >> 8) * 0x1.0p-24f;
}

#endif
