#include "xorshift32.h"

void fqt_xorshift32_init(fqt_xorshift32 *r, uint32_t seed) {
    r->state = seed == 0 ? FQT_XORSHIFT32_ZERO_SEED_REPLACEMENT : seed;
}

void fqt_xorshift32_init_long(fqt_xorshift32 *r, int64_t seed) {
    uint64_t s = (uint64_t) seed;
    fqt_xorshift32_init(r, (uint32_t) (s ^ (s >> 32)));
}
