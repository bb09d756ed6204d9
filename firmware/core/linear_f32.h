/* Mirrors fqt.kernels.LinearF32: y[o] = sum_i x[i] * w[o][i] + b[o], w row-major [out][in]. */
#ifndef FQT_LINEAR_F32_H
#define FQT_LINEAR_F32_H

#include <stdint.h>

void fqt_linear_f32_forward(const float *x, const float *w, const float *b, float *y, int32_t in, int32_t out);
/* dx[i] = sum over selected o of dy[o] * w[o][i]. */
void fqt_linear_f32_backward_error(const float *dy, const float *w, float *dx, int32_t in, const int32_t *sel, int32_t n_sel);
/* gw[o][i] += dy[o] * x[i], gb[o] += dy[o] for the selected rows. */
void fqt_linear_f32_backward_weight(const float *x, const float *dy, float *gw, float *gb, int32_t row0, int32_t in,
                                    const int32_t *sel, int32_t n_sel);

#endif
