#include "linear_u8f32.h"

void fqt_linear_u8f32_backward_error(const float *dy, const uint8_t *w, int32_t w_zp, float s_w, float *dx, int32_t in,
                                     const int32_t *sel, int32_t n_sel) {
    int32_t k, i;
    for (i = 0; i < in; i++) dx[i] = 0.0f;
    for (k = 0; k < n_sel; k++) {
        int32_t o = sel[k];
        int32_t row = o * in;
        float e = dy[o] * s_w;
        for (i = 0; i < in; i++) dx[i] += e * (float) ((int32_t) w[row + i] - w_zp);
    }
}

void fqt_linear_u8f32_backward_weight(const uint8_t *x, int32_t x_zp, float s_x, const float *dy, float *gw, float *gb,
                                      int32_t row0, int32_t in, const int32_t *sel, int32_t n_sel) {
    int32_t k, i;
    for (k = 0; k < n_sel; k++) {
        int32_t o = sel[k];
        int32_t row = (o - row0) * in;
        float d;
        gb[o - row0] += dy[o];
        d = dy[o] * s_x;
        for (i = 0; i < in; i++) gw[row + i] += d * (float) ((int32_t) x[i] - x_zp);
    }
}
