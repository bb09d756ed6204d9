/*
 * Mirrors fqt.kernels.LinearU8: uint8 features, weights and errors; products of zero-point-corrected
 * values accumulated in int32 (exact, so a SIMD path may reorder the sum and keep the bits).
 */
#ifndef FQT_LINEAR_U8_H
#define FQT_LINEAR_U8_H

#include <stdint.h>
#include "requantize.h"

/* y[o] = requant(bias_q[o] + sum_i (x[i]-x_zp)(w[o][i]-w_zp)). */
void fqt_linear_u8_forward(const uint8_t *x, int32_t x_zp, const uint8_t *w, int32_t w_zp, const int32_t *bias_q,
                           uint8_t *y, int32_t in, int32_t out, fqt_requantizer *rq);
/* dx_acc[i] = sum over selected o of (dy[o]-dy_zp)(w[o][i]-w_zp); the caller requantizes. */
void fqt_linear_u8_backward_error(const uint8_t *dy, int32_t dy_zp, const uint8_t *w, int32_t w_zp, int32_t *dx_acc,
                                  int32_t in, const int32_t *sel, int32_t n_sel);
/*
 * gw[o][i] += (float(e) * grad_scale) * float(x[i]-x_zp), e = dy[o]-dy_zp, grad_scale = sX * sE; gb[o] += float(e) * sE.
 * x_real: scratch of `in` floats (the arena's scratch_i32, ARENA.md).
 */
void fqt_linear_u8_backward_weight(const uint8_t *x, int32_t x_zp, const uint8_t *dy, int32_t dy_zp, float s_e,
                                   float grad_scale, float *gw, float *gb, int32_t row0, int32_t in, const int32_t *sel, int32_t n_sel,
                                   float *x_real);

#endif
