#include "quant_params.h"

#include <float.h>
#include <string.h>

#include "fqt_status.h"

static int is_finite(float v) {
    return v == v && v - v == 0.0f;
}

int fqt_quant_params_from_range(float min, float max, fqt_quant_params *out) {
    float lo, hi, scale;
    if (!is_finite(min) || !is_finite(max)) return FQT_ERR_NONFINITE;
    /* Java's Math.min/max; a signed zero cannot change scale or zero point. */
    lo = min < 0.0f ? min : 0.0f;
    hi = max > 0.0f ? max : 0.0f;
    scale = (hi - lo) / 255.0f;
    if (!(scale >= FLT_MIN)) {
        out->scale = 1.0f / 255.0f;
        out->zero_point = 0;
        return FQT_OK;
    }
    if (!is_finite(scale)) return FQT_ERR_NONFINITE;
    out->scale = scale;
    out->zero_point = fqt_quant_params_clamp(fqt_rounding_floor_to_int(-lo / scale));
    return FQT_OK;
}

int32_t fqt_quant_params_quantize(const fqt_quant_params *p, float real, fqt_rounding rounding, fqt_xorshift32 *rng) {
    return fqt_quant_params_clamp(fqt_rounding_round(rounding, real / p->scale, rng) + p->zero_point);
}

float fqt_quant_params_dequantize(const fqt_quant_params *p, int32_t q) {
    return (float) (q - p->zero_point) * p->scale;
}

int32_t fqt_quant_params_clamp(int32_t q) {
    return q < FQT_QMIN ? FQT_QMIN : (q > FQT_QMAX ? FQT_QMAX : q);
}

void fqt_quant_params_quantize_array(const fqt_quant_params *p, const float *src, uint8_t *dst, int32_t n,
                                     fqt_rounding rounding, fqt_xorshift32 *rng) {
    int32_t i;
    for (i = 0; i < n; i++) dst[i] = (uint8_t) fqt_quant_params_quantize(p, src[i], rounding, rng);
}

int fqt_quant_params_equal(const fqt_quant_params *a, const fqt_quant_params *b) {
    return memcmp(&a->scale, &b->scale, sizeof(float)) == 0 && a->zero_point == b->zero_point;
}

int fqt_quant_params_valid(const fqt_quant_params *p) {
    return p->scale > 0.0f && is_finite(p->scale) && p->zero_point >= FQT_QMIN && p->zero_point <= FQT_QMAX;
}
