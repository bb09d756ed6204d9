/*
 * Mirrors fqt.kernels.AddU8: the sum of two uint8 tensors requantized to the output's parameters,
 * v = float(q1 - z1) * (s1 / sy) + float(q2 - z2) * (s2 / sy) in float32 (two products, then their
 * sum), y = clamp(round(v) + zy, lo, 255), one rounding per element in index order; lo = zy when a
 * ReLU follows (fused), else 0.
 */
#ifndef FQT_ADD_U8_H
#define FQT_ADD_U8_H

#include <stdint.h>
#include "quant_params.h"
#include "rounding.h"

/* Writes the smallest and largest v to v_min, v_max (the real range is that times sy). */
void fqt_add_u8_forward(const uint8_t *x1, const fqt_quant_params *p1, const uint8_t *x2, const fqt_quant_params *p2,
                        const fqt_quant_params *py, int relu, fqt_rounding rounding, fqt_xorshift32 *rng, uint8_t *y,
                        int32_t n, float *v_min, float *v_max);
/* Float32 features: y = x1 + x2. */
void fqt_add_f32_forward(const float *x1, const float *x2, float *y, int32_t n);

#endif
