#include "relu_f32.h"

void fqt_relu_f32_forward(const float *x, float *y, int32_t n) {
    int32_t i;
    for (i = 0; i < n; i++) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
}

void fqt_relu_f32_backward(const float *x, const float *dy, float *dx, int32_t n) {
    int32_t i;
    for (i = 0; i < n; i++) dx[i] = x[i] > 0.0f ? dy[i] : 0.0f;
}
