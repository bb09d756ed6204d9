#include "xorshift32.h"

void fqt_xorshift32_init(fqt_xorshift32 *r, uint32_t seed) {
    r->state = seed == 0 ? FQT_XORSHIFT32_ZERO_SEED_REPLACEMENT : seed;
}

void fqt_xorshift32_init_long(fqt_xorshift32 *r, int64_t seed) {
    uint64_t s = (uint64_t) seed;
    fqt_xorshift32_init(r, (uint32_t) (s ^ (s >> 32)));
}

uint32_t fqt_xorshift32_next_int(fqt_xorshift32 *r) {
    uint32_t x = r->state;
    x ^= x << 13;
    x ^= x >> 17; /* unsigned: Java's >>> */
    x ^= x << 5;
    r->state = x;
    return x;
}

float fqt_xorshift32_next_unit(fqt_xorshift32 *r) {
    return (float) (fqt_xorshift32_next_int(r) >> 8) * 0x1.0p-24f;
}
