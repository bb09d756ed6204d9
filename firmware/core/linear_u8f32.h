/* Mirrors fqt.kernels.LinearU8F32: MIXED backward, uint8 weights and features, float32 errors and gradients. */
#ifndef FQT_LINEAR_U8F32_H
#define FQT_LINEAR_U8F32_H

#include <stdint.h>

/* dx[i] = sum over selected o of (dy[o] * sW) * float(w[o][i]-w_zp). */
void fqt_linear_u8f32_backward_error(const float *dy, const uint8_t *w, int32_t w_zp, float s_w, float *dx, int32_t in,
                                     const int32_t *sel, int32_t n_sel);
/* gw[o][i] += (dy[o] * sX) * float(x[i]-x_zp), gb[o] += dy[o]. */
void fqt_linear_u8f32_backward_weight(const uint8_t *x, int32_t x_zp, float s_x, const float *dy, float *gw, float *gb, int32_t row0,
                                      int32_t in, const int32_t *sel, int32_t n_sel);

#endif
