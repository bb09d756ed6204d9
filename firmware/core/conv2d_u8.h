/* Mirrors fqt.kernels.Conv2dU8: uint8 features, weights and errors, int32 accumulation; loop order as conv2d_f32. */
#ifndef FQT_CONV2D_U8_H
#define FQT_CONV2D_U8_H

#include <stdint.h>
#include "conv_geometry.h"
#include "requantize.h"

/*
 * 1 when the DSP kernels (Cortex-M4/M7) read padded int16 planes for this geometry (3x3, stride 1,
 * padding 1). `pad` is then the arena's scratch_i16 (ARENA.md): forward in_c padded planes
 * ((in_h + 2) x (in_w + 2) int16), weight gradient the same plus in_h x (in_w + 2), error propagation
 * out_c padded planes. Builds without the DSP extension ignore it.
 */
int fqt_conv2d_u8_padded(const fqt_conv_geometry *g);
/* acc is caller scratch of at least out_h*out_w int32. */
void fqt_conv2d_u8_forward(const uint8_t *x, int32_t x_zp, const uint8_t *w, int32_t w_zp, const int32_t *bias_q,
                           uint8_t *y, const fqt_conv_geometry *g, int32_t *acc, int16_t *pad, fqt_requantizer *rq);
/* int32 input errors for the selected output channels (sel ascending); the caller requantizes dx_acc. */
void fqt_conv2d_u8_backward_error(const uint8_t *dy, int32_t dy_zp, const uint8_t *w, int32_t w_zp, int32_t *dx_acc,
                                  int16_t *pad, const fqt_conv_geometry *g, const int32_t *sel, int32_t n_sel);
/* gw += float(sum (dy-dy_zp)(x-x_zp)) * grad_scale (grad_scale = sX * sE); gb[o] += float(sum (dy-dy_zp)) * sE. */
void fqt_conv2d_u8_backward_weight(const uint8_t *x, int32_t x_zp, const uint8_t *dy, int32_t dy_zp, float s_e,
                                   float grad_scale, float *gw, float *gb, int32_t row0, int16_t *pad, const fqt_conv_geometry *g,
                                   const int32_t *sel, int32_t n_sel);

#endif
