/*
 * Mirrors fqt.kernels.ClampU8: min(max(x, lo), hi) (ReLU6: lo 0, hi 6). On uint8 features the
 * bounds are codes qlo = quantize(lo), qhi = quantize(hi) (nearest) with the input's parameters;
 * the error passes where qlo < x < qhi, elsewhere it is real zero.
 */
#ifndef FQT_CLAMP_U8_H
#define FQT_CLAMP_U8_H

#include <stdint.h>

void fqt_clamp_u8_forward(const uint8_t *x, int32_t qlo, int32_t qhi, uint8_t *y, int32_t n);
void fqt_clamp_u8_backward(const uint8_t *x, int32_t qlo, int32_t qhi, const uint8_t *dy, int32_t e_zp, uint8_t *dx, int32_t n);
/* MIXED: uint8 features, float32 errors. */
void fqt_clamp_u8_backward_f32(const uint8_t *x, int32_t qlo, int32_t qhi, const float *dy, float *dx, int32_t n);
/* FLOAT32: the same rule on real values. */
void fqt_clamp_f32_forward(const float *x, float lo, float hi, float *y, int32_t n);
void fqt_clamp_f32_backward(const float *x, float lo, float hi, const float *dy, float *dx, int32_t n);

#endif
