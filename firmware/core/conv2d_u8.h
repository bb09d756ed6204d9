/* Mirrors fqt.kernels.Conv2dU8: uint8 features, weights and errors, int32 accumulation; loop order as conv2d_f32. */
#ifndef FQT_CONV2D_U8_H
#define FQT_CONV2D_U8_H

#include <stdint.h>
#include "conv_geometry.h"
#include "requantize.h"

/* acc is caller scratch of at least out_h*out_w int32. */
void fqt_conv2d_u8_forward(const uint8_t *x, int32_t x_zp, const uint8_t *w, int32_t w_zp, const int32_t *bias_q,
                           uint8_t *y, const fqt_conv_geometry *g, int32_t *acc, fqt_requantizer *rq);
/* int32 input errors (scatter) for the selected output channels; the caller requantizes dx_acc. */
void fqt_conv2d_u8_backward_error(const uint8_t *dy, int32_t dy_zp, const uint8_t *w, int32_t w_zp, int32_t *dx_acc,
                                  const fqt_conv_geometry *g, const int32_t *sel, int32_t n_sel);
/* gw += float(sum (dy-dy_zp)(x-x_zp)) * grad_scale (grad_scale = sX * sE); gb[o] += float(sum (dy-dy_zp)) * sE. */
void fqt_conv2d_u8_backward_weight(const uint8_t *x, int32_t x_zp, const uint8_t *dy, int32_t dy_zp, float s_e,
                                   float grad_scale, float *gw, float *gb, const fqt_conv_geometry *g,
                                   const int32_t *sel, int32_t n_sel);

#endif
