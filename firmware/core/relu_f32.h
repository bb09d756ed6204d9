/* Mirrors fqt.kernels.ReluF32: the backward pass passes the error where the input was positive. */
#ifndef FQT_RELU_F32_H
#define FQT_RELU_F32_H

#include <stdint.h>

void fqt_relu_f32_forward(const float *x, float *y, int32_t n);
void fqt_relu_f32_backward(const float *x, const float *dy, float *dx, int32_t n);

#endif
