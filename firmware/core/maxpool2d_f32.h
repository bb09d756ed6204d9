/* Mirrors fqt.kernels.MaxPool2dF32: the backward pass recomputes the argmax (first maximum wins). */
#ifndef FQT_MAXPOOL2D_F32_H
#define FQT_MAXPOOL2D_F32_H

#include <stdint.h>
#include "pool_geometry.h"

void fqt_maxpool2d_f32_forward(const float *x, float *y, const fqt_pool_geometry *g);
void fqt_maxpool2d_f32_backward(const float *x, const float *dy, float *dx, const fqt_pool_geometry *g);
int32_t fqt_maxpool2d_f32_argmax(const float *x, const fqt_pool_geometry *g, int32_t c, int32_t oy, int32_t ox);

#endif
