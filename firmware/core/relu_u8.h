/*
 * Mirrors fqt.kernels.ReluU8: real zero is the zero point, so y = max(x, zp) with the input's
 * parameters; the error passes where x > zp, elsewhere it is the error's zero point (real 0).
 */
#ifndef FQT_RELU_U8_H
#define FQT_RELU_U8_H

#include <stdint.h>

void fqt_relu_u8_forward(const uint8_t *x, int32_t x_zp, uint8_t *y, int32_t n);
void fqt_relu_u8_backward(const uint8_t *x, int32_t x_zp, const uint8_t *dy, int32_t e_zp, uint8_t *dx, int32_t n);
/* MIXED: uint8 features, float32 errors. */
void fqt_relu_u8_backward_f32(const uint8_t *x, int32_t x_zp, const float *dy, float *dx, int32_t n);

#endif
