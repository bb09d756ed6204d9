/* Mirrors fqt.quant.QuantParams: affine uint8, real = scale * (q - zero_point), q in [0, 255]. */
#ifndef FQT_QUANT_PARAMS_H
#define FQT_QUANT_PARAMS_H

#include <stdint.h>
#include "rounding.h"

#define FQT_QMIN 0
#define FQT_QMAX 255

typedef struct {
    float scale;
    int32_t zero_point;
} fqt_quant_params;

/*
 * The method's rule: widen [min, max] to contain 0, scale = (max - min) / 255,
 * zero_point = floor(-min / scale); an all-zero range gets scale 1/255. Returns FQT_ERR_NONFINITE
 * where Java throws (a non-finite range or scale) and leaves *out unchanged then.
 */
int fqt_quant_params_from_range(float min, float max, fqt_quant_params *out);
int32_t fqt_quant_params_quantize(const fqt_quant_params *p, float real, fqt_rounding rounding, fqt_xorshift32 *rng);
float fqt_quant_params_dequantize(const fqt_quant_params *p, int32_t q);
int32_t fqt_quant_params_clamp(int32_t q);
void fqt_quant_params_quantize_array(const fqt_quant_params *p, const float *src, uint8_t *dst, int32_t n,
                                     fqt_rounding rounding, fqt_xorshift32 *rng);
/* Java's record equality: the scale compared bit for bit, and the zero point. */
int fqt_quant_params_equal(const fqt_quant_params *a, const fqt_quant_params *b);
/* Whether p could come from a QuantParams constructor: finite scale > 0, zero point in [0, 255]. */
int fqt_quant_params_valid(const fqt_quant_params *p);

#endif
