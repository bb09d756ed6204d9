#include "add_u8.h"

#include <math.h>

void fqt_add_u8_forward(const uint8_t *x1, const fqt_quant_params *p1, const uint8_t *x2, const fqt_quant_params *p2,
                        const fqt_quant_params *py, int relu, fqt_rounding rounding, fqt_xorshift32 *rng, uint8_t *y,
                        int32_t n, float *v_min, float *v_max) {
    float m1 = p1->scale / py->scale, m2 = p2->scale / py->scale, lo_v = HUGE_VALF, hi_v = -HUGE_VALF;
    int32_t z1 = p1->zero_point, z2 = p2->zero_point, zy = py->zero_point, lo = relu ? zy : FQT_QMIN, i;
    for (i = 0; i < n; i++) {
        float a = (float) ((int32_t) x1[i] - z1) * m1;
        float b = (float) ((int32_t) x2[i] - z2) * m2;
        float v = a + b;
        int32_t q;
        if (v < lo_v) lo_v = v;
        if (v > hi_v) hi_v = v;
        q = fqt_rounding_round(rounding, v, rng) + zy;
        y[i] = (uint8_t) (q < lo ? lo : (q > FQT_QMAX ? FQT_QMAX : q));
    }
    *v_min = lo_v;
    *v_max = hi_v;
}

void fqt_add_f32_forward(const float *x1, const float *x2, float *y, int32_t n) {
    int32_t i;
    for (i = 0; i < n; i++) y[i] = x1[i] + x2[i];
}
