/* Mirrors fqt.kernels.Conv2dU8F32: MIXED backward, uint8 weights and features, float32 errors; loop order as conv2d_f32. */
#ifndef FQT_CONV2D_U8F32_H
#define FQT_CONV2D_U8F32_H

#include <stdint.h>
#include "conv_geometry.h"

/* dx += (sW * float(w-w_zp)) * dy, scattered over the selected output channels. */
void fqt_conv2d_u8f32_backward_error(const float *dy, const uint8_t *w, int32_t w_zp, float s_w, float *dx,
                                     const fqt_conv_geometry *g, const int32_t *sel, int32_t n_sel);
/* gw += (sum dy * float(x-x_zp)) * sX; gb[o] += sum of dy[o]. */
void fqt_conv2d_u8f32_backward_weight(const uint8_t *x, int32_t x_zp, float s_x, const float *dy, float *gw, float *gb, int32_t row0,
                                      const fqt_conv_geometry *g, const int32_t *sel, int32_t n_sel);

#endif
