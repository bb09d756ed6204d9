/*
 * Mirrors fqt.kernels.MaxPool2dU8: the output keeps the input's quantization parameters (max
 * commutes with a monotonic affine map); errors keep the output error's parameters.
 */
#ifndef FQT_MAXPOOL2D_U8_H
#define FQT_MAXPOOL2D_U8_H

#include <stdint.h>
#include "pool_geometry.h"

void fqt_maxpool2d_u8_forward(const uint8_t *x, uint8_t *y, const fqt_pool_geometry *g);
/* dx starts at the zero point; each output error adds (dy - zp) at its argmax, clamped. */
void fqt_maxpool2d_u8_backward(const uint8_t *x, const uint8_t *dy, int32_t e_zp, uint8_t *dx, const fqt_pool_geometry *g);
/* MIXED: uint8 features pick the argmax, float32 errors are routed. */
void fqt_maxpool2d_u8_backward_f32(const uint8_t *x, const float *dy, float *dx, const fqt_pool_geometry *g);
int32_t fqt_maxpool2d_u8_argmax(const uint8_t *x, const fqt_pool_geometry *g, int32_t c, int32_t oy, int32_t ox);

#endif
