/*
 * Mirrors fqt.kernels.BiasGradU8: the bias gradient alone, uint8 errors:
 * gb[o] += float(sum (dy - dy_zp)) * sE over structure o's per consecutive elements (int32 sum).
 */
#ifndef FQT_BIAS_GRAD_U8_H
#define FQT_BIAS_GRAD_U8_H

#include <stdint.h>

void fqt_bias_grad_u8_backward(const uint8_t *dy, int32_t dy_zp, float s_e, float *gb, int32_t row0, int32_t per,
                               const int32_t *sel, int32_t n_sel);

#endif
