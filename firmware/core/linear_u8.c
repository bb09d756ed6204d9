#include "linear_u8.h"

/* The plain C path is the reference; a DSP path (__ARM_FEATURE_DSP) goes beside it with the same bits. */

void fqt_linear_u8_forward(const uint8_t *x, int32_t x_zp, const uint8_t *w, int32_t w_zp, const int32_t *bias_q,
                           uint8_t *y, int32_t in, int32_t out, fqt_requantizer *rq) {
    int32_t o, i;
    for (o = 0; o < out; o++) {
        int32_t row = o * in;
        int32_t acc = bias_q[o];
        for (i = 0; i < in; i++) acc += ((int32_t) x[i] - x_zp) * ((int32_t) w[row + i] - w_zp);
        y[o] = (uint8_t) fqt_requantizer_apply(rq, acc);
    }
}

void fqt_linear_u8_backward_error(const uint8_t *dy, int32_t dy_zp, const uint8_t *w, int32_t w_zp, int32_t *dx_acc,
                                  int32_t in, const int32_t *sel, int32_t n_sel) {
    int32_t k, i;
    for (i = 0; i < in; i++) dx_acc[i] = 0;
    for (k = 0; k < n_sel; k++) {
        int32_t o = sel[k];
        int32_t row = o * in;
        int32_t e = (int32_t) dy[o] - dy_zp;
        for (i = 0; i < in; i++) dx_acc[i] += e * ((int32_t) w[row + i] - w_zp);
    }
}

void fqt_linear_u8_backward_weight(const uint8_t *x, int32_t x_zp, const uint8_t *dy, int32_t dy_zp, float s_e,
                                   float grad_scale, float *gw, float *gb, int32_t in, const int32_t *sel, int32_t n_sel) {
    int32_t k, i;
    for (k = 0; k < n_sel; k++) {
        int32_t o = sel[k];
        int32_t row = o * in;
        int32_t e = (int32_t) dy[o] - dy_zp;
        float d;
        gb[o] += (float) e * s_e;
        d = (float) e * grad_scale;
        for (i = 0; i < in; i++) gw[row + i] += d * (float) ((int32_t) x[i] - x_zp);
    }
}
