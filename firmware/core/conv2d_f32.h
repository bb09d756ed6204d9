/*
 * Mirrors fqt.kernels.Conv2dF32: 2-D (grouped) convolution in float32. Loop order, shared by all
 * convolution kernels: output channel, input channel, kernel row, kernel column, then the output
 * plane; float sums therefore run over (channel, ky, kx), bias last.
 */
#ifndef FQT_CONV2D_F32_H
#define FQT_CONV2D_F32_H

#include <stdint.h>
#include "conv_geometry.h"

void fqt_conv2d_f32_forward(const float *x, const float *w, const float *b, float *y, const fqt_conv_geometry *g);
/* dx = sum over selected o, ky, kx of w * dy (scatter into the input plane). */
void fqt_conv2d_f32_backward_error(const float *dy, const float *w, float *dx, const fqt_conv_geometry *g,
                                   const int32_t *sel, int32_t n_sel);
/* gw[o][c][ky][kx] += sum over the plane of dy * x; gb[o] += sum of dy[o]. */
void fqt_conv2d_f32_backward_weight(const float *x, const float *dy, float *gw, float *gb, int32_t row0, const fqt_conv_geometry *g,
                                    const int32_t *sel, int32_t n_sel);

#endif
