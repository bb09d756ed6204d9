#include "relu_u8.h"

void fqt_relu_u8_forward(const uint8_t *x, int32_t x_zp, uint8_t *y, int32_t n) {
    int32_t i;
    for (i = 0; i < n; i++) y[i] = (int32_t) x[i] > x_zp ? x[i] : (uint8_t) x_zp;
}

void fqt_relu_u8_backward(const uint8_t *x, int32_t x_zp, const uint8_t *dy, int32_t e_zp, uint8_t *dx, int32_t n) {
    int32_t i;
    for (i = 0; i < n; i++) dx[i] = (int32_t) x[i] > x_zp ? dy[i] : (uint8_t) e_zp;
}

void fqt_relu_u8_backward_f32(const uint8_t *x, int32_t x_zp, const float *dy, float *dx, int32_t n) {
    int32_t i;
    for (i = 0; i < n; i++) dx[i] = (int32_t) x[i] > x_zp ? dy[i] : 0.0f;
}
