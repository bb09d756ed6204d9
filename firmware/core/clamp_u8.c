#include "clamp_u8.h"

void fqt_clamp_u8_forward(const uint8_t *x, int32_t qlo, int32_t qhi, uint8_t *y, int32_t n) {
    int32_t i;
    for (i = 0; i < n; i++) {
        int32_t q = x[i];
        y[i] = (uint8_t) (q < qlo ? qlo : (q > qhi ? qhi : q));
    }
}

void fqt_clamp_u8_backward(const uint8_t *x, int32_t qlo, int32_t qhi, const uint8_t *dy, int32_t e_zp, uint8_t *dx, int32_t n) {
    int32_t i;
    for (i = 0; i < n; i++) dx[i] = (int32_t) x[i] > qlo && (int32_t) x[i] < qhi ? dy[i] : (uint8_t) e_zp;
}

void fqt_clamp_u8_backward_f32(const uint8_t *x, int32_t qlo, int32_t qhi, const float *dy, float *dx, int32_t n) {
    int32_t i;
    for (i = 0; i < n; i++) dx[i] = (int32_t) x[i] > qlo && (int32_t) x[i] < qhi ? dy[i] : 0.0f;
}

void fqt_clamp_f32_forward(const float *x, float lo, float hi, float *y, int32_t n) {
    int32_t i;
    for (i = 0; i < n; i++) y[i] = x[i] < lo ? lo : (x[i] > hi ? hi : x[i]);
}

void fqt_clamp_f32_backward(const float *x, float lo, float hi, const float *dy, float *dx, int32_t n) {
    int32_t i;
    for (i = 0; i < n; i++) dx[i] = x[i] > lo && x[i] < hi ? dy[i] : 0.0f;
}
