/* Mirrors fqt.kernels.AvgPool2dF32: sum in window order, then divide; also the MIXED backward (needs no features). */
#ifndef FQT_AVGPOOL2D_F32_H
#define FQT_AVGPOOL2D_F32_H

#include "pool_geometry.h"

void fqt_avgpool2d_f32_forward(const float *x, float *y, const fqt_pool_geometry *g);
void fqt_avgpool2d_f32_backward(const float *dy, float *dx, const fqt_pool_geometry *g);

#endif
