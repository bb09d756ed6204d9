/*
 * Mirrors fqt.quant.Requantizer: int32 accumulator to uint8,
 * q = clamp(round(float(acc) * multiplier) + zero_point, lo, 255), multiplier = (sIn * sW) / sOut in
 * float32. Records the smallest and largest accumulator, so an output's real range is known without
 * a float copy. lo is the zero point when a ReLU follows (fused clamp).
 */
#ifndef FQT_REQUANTIZE_H
#define FQT_REQUANTIZE_H

#include <stdint.h>
#include "quant_params.h"
#include "rounding.h"

typedef struct {
    float multiplier;
    int32_t zero_point;
    int32_t lo;
    fqt_rounding rounding;
    fqt_xorshift32 *rng;
    int32_t acc_min;
    int32_t acc_max;
} fqt_requantizer;

void fqt_requantizer_reset(fqt_requantizer *rq, float multiplier, int32_t zero_point, int relu_clamp,
                           fqt_rounding rounding, fqt_xorshift32 *rng);
/* The float32 multiplier, in the one order both sides use. */
float fqt_requantizer_multiplier(float s_in, float s_w, float s_out);
/* A float32 bias in accumulator units (acc_scale = sIn * sW), rounded to nearest, ties up. */
int32_t fqt_requantizer_quantize_bias(float bias, float acc_scale);
/*
 * y[i] = apply(acc[i]) for i in [0, n), in index order (the random draws stay in Java's order),
 * with the requantizer and its random state in registers: a store to y may alias neither.
 */
void fqt_requantizer_apply_array(fqt_requantizer *rq, const int32_t *acc, uint8_t *y, int32_t n);
/* Inline: called once per output value of every quantized kernel. */
static inline int32_t fqt_requantizer_apply(fqt_requantizer *rq, int32_t acc) {
    int32_t q;
    if (acc < rq->acc_min) rq->acc_min = acc;
    if (acc > rq->acc_max) rq->acc_max = acc;
    q = fqt_rounding_round(rq->rounding, (float) acc * rq->multiplier, rq->rng) + rq->zero_point;
    return q < rq->lo ? rq->lo : (q > FQT_QMAX ? FQT_QMAX : q);
}

#endif
