#include "bias_grad_u8.h"

void fqt_bias_grad_u8_backward(const uint8_t *dy, int32_t dy_zp, float s_e, float *gb, int32_t row0, int32_t per,
                               const int32_t *sel, int32_t n_sel) {
    int32_t k, i;
    for (k = 0; k < n_sel; k++) {
        int32_t o = sel[k], base = o * per;
        int32_t sum_e = 0;
        for (i = base; i < base + per; i++) sum_e += (int32_t) dy[i] - dy_zp;
        gb[o - row0] += (float) sum_e * s_e;
    }
}
