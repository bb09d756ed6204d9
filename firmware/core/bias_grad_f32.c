#include "bias_grad_f32.h"

void fqt_bias_grad_f32_backward(const float *dy, float *gb, int32_t row0, int32_t per, const int32_t *sel, int32_t n_sel) {
    int32_t k, i;
    for (k = 0; k < n_sel; k++) {
        int32_t o = sel[k], base = o * per;
        float sum_e = 0.0f;
        for (i = base; i < base + per; i++) sum_e += dy[i];
        gb[o - row0] += sum_e;
    }
}
