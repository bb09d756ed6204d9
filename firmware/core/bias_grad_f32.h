/*
 * Mirrors fqt.kernels.BiasGradF32: the bias gradient alone, float32 errors (FLOAT32 and MIXED):
 * gb[o] += sum of dy over structure o's per consecutive elements, in index order; used by bias-only updates.
 */
#ifndef FQT_BIAS_GRAD_F32_H
#define FQT_BIAS_GRAD_F32_H

#include <stdint.h>

void fqt_bias_grad_f32_backward(const float *dy, float *gb, int32_t row0, int32_t per, const int32_t *sel, int32_t n_sel);

#endif
