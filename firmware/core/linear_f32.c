#include "linear_f32.h"

void fqt_linear_f32_forward(const float *x, const float *w, const float *b, float *y, int32_t in, int32_t out) {
    int32_t o, i;
    for (o = 0; o < out; o++) {
        int32_t row = o * in;
        float acc = 0.0f;
        for (i = 0; i < in; i++) acc += x[i] * w[row + i];
        y[o] = acc + b[o];
    }
}

void fqt_linear_f32_backward_error(const float *dy, const float *w, float *dx, int32_t in, const int32_t *sel, int32_t n_sel) {
    int32_t k, i;
    for (i = 0; i < in; i++) dx[i] = 0.0f;
    for (k = 0; k < n_sel; k++) {
        int32_t o = sel[k];
        int32_t row = o * in;
        float e = dy[o];
        for (i = 0; i < in; i++) dx[i] += e * w[row + i];
    }
}

void fqt_linear_f32_backward_weight(const float *x, const float *dy, float *gw, float *gb, int32_t row0, int32_t in,
                                    const int32_t *sel, int32_t n_sel) {
    int32_t k, i;
    for (k = 0; k < n_sel; k++) {
        int32_t o = sel[k];
        int32_t row = (o - row0) * in;
        float e = dy[o];
        gb[o - row0] += e;
        for (i = 0; i < in; i++) gw[row + i] += e * x[i];
    }
}
