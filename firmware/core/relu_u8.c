#include "relu_u8.h"

#include "dsp_pairs.h"

/* With the DSP extension, four bytes a turn (USUB8 and SEL, dsp_pairs.h); the same bytes. */

void fqt_relu_u8_forward(const uint8_t *x, int32_t x_zp, uint8_t *y, int32_t n) {
    int32_t i = 0;
#if defined(__ARM_FEATURE_DSP)
    uint32_t zp4 = fqt_dsp_bytes(x_zp);
    for (; i + 4 <= n; i += 4) {
        uint32_t v = fqt_dsp_load4(x + i);
        fqt_dsp_store4(y + i, fqt_dsp_bytes_ge_select(v, zp4, v, zp4));
    }
#endif
    for (; i < n; i++) y[i] = (int32_t) x[i] > x_zp ? x[i] : (uint8_t) x_zp;
}

void fqt_relu_u8_backward(const uint8_t *x, int32_t x_zp, const uint8_t *dy, int32_t e_zp, uint8_t *dx, int32_t n) {
    int32_t i = 0;
#if defined(__ARM_FEATURE_DSP)
    /* x > zp is x >= zp + 1; no byte exceeds a zero point of 255. */
    uint32_t above4 = fqt_dsp_bytes(x_zp + 1), e4 = fqt_dsp_bytes(e_zp);
    if (x_zp < 255) {
        for (; i + 4 <= n; i += 4) fqt_dsp_store4(dx + i, fqt_dsp_bytes_ge_select(fqt_dsp_load4(x + i), above4, fqt_dsp_load4(dy + i), e4));
    }
#endif
    for (; i < n; i++) dx[i] = (int32_t) x[i] > x_zp ? dy[i] : (uint8_t) e_zp;
}

void fqt_relu_u8_backward_f32(const uint8_t *x, int32_t x_zp, const float *dy, float *dx, int32_t n) {
    int32_t i;
    for (i = 0; i < n; i++) dx[i] = (int32_t) x[i] > x_zp ? dy[i] : 0.0f;
}
