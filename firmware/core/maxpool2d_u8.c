#include "maxpool2d_u8.h"

#include "dsp_pairs.h"
#include "quant_params.h"

/*
 * The usual window, 2x2 with stride 2, takes row pointers instead of an index computation per
 * output (with the DSP extension, two outputs from two words: byte maxima with USUB8 and SEL); its
 * backward pass writes each window's error where first_max2x2 says: the windows do not overlap, so
 * clamp(e_zp + e - e_zp) is e, as the general loop gives it.
 */
static int window2x2(const fqt_pool_geometry *g) {
    return g->k_h == 2 && g->k_w == 2 && g->stride == 2;
}

/*
 * Offset of the first maximum of the 2x2 window at `top` (rows in_w apart) in the loops' order:
 * top-left, top-right, bottom-left, bottom-right (Java's MaxPool2dU8.argmax, the same form).
 */
static inline int32_t first_max2x2(const uint8_t *top, int32_t in_w) {
    int32_t a = top[0], b = top[1], d = top[in_w], e = top[in_w + 1];
    int32_t m0 = a > b ? a : b, m1 = d > e ? d : e, m = m0 > m1 ? m0 : m1;
    return a == m ? 0 : (b == m ? 1 : (d == m ? in_w : in_w + 1));
}

void fqt_maxpool2d_u8_forward(const uint8_t *x, uint8_t *y, const fqt_pool_geometry *g) {
    int32_t out_h = fqt_pool_geometry_out_h(g), out_w = fqt_pool_geometry_out_w(g), o = 0, c, oy, ox;
    if (window2x2(g)) {
        for (c = 0; c < g->channels; c++) {
            for (oy = 0; oy < out_h; oy++) {
                const uint8_t *r0 = x + (c * g->in_h + 2 * oy) * g->in_w, *r1 = r0 + g->in_w;
                ox = 0;
#if defined(__ARM_FEATURE_DSP)
                for (; ox + 2 <= out_w; ox += 2, o += 2) {
                    uint32_t a = fqt_dsp_load4(r0 + 2 * ox), b = fqt_dsp_load4(r1 + 2 * ox);
                    uint32_t m = fqt_dsp_bytes_ge_select(a, b, a, b), n = fqt_dsp_bytes_ge_select(m, m >> 8, m, m >> 8);
                    y[o] = (uint8_t) n;
                    y[o + 1] = (uint8_t) (n >> 16);
                }
#endif
                for (; ox < out_w; ox++) {
                    int32_t a = r0[2 * ox], b = r0[2 * ox + 1], d = r1[2 * ox], e = r1[2 * ox + 1];
                    a = a > b ? a : b;
                    d = d > e ? d : e;
                    y[o++] = (uint8_t) (a > d ? a : d);
                }
            }
        }
        return;
    }
    for (c = 0; c < g->channels; c++)
        for (oy = 0; oy < out_h; oy++)
            for (ox = 0; ox < out_w; ox++) y[o++] = x[fqt_maxpool2d_u8_argmax(x, g, c, oy, ox)];
}

void fqt_maxpool2d_u8_backward(const uint8_t *x, const uint8_t *dy, int32_t e_zp, uint8_t *dx, const fqt_pool_geometry *g) {
    int32_t out_h = fqt_pool_geometry_out_h(g), out_w = fqt_pool_geometry_out_w(g), in_size = fqt_pool_geometry_in_size(g);
    int32_t o = 0, c, oy, ox, i;
    for (i = 0; i < in_size; i++) dx[i] = (uint8_t) e_zp;
    if (window2x2(g)) {
        for (c = 0; c < g->channels; c++) {
            for (oy = 0; oy < out_h; oy++) {
                int32_t row = (c * g->in_h + 2 * oy) * g->in_w;
                for (ox = 0; ox < out_w; ox++) {
                    i = row + 2 * ox;
                    dx[i + first_max2x2(x + i, g->in_w)] = dy[o++];
                }
            }
        }
        return;
    }
    for (c = 0; c < g->channels; c++)
        for (oy = 0; oy < out_h; oy++)
            for (ox = 0; ox < out_w; ox++) {
                i = fqt_maxpool2d_u8_argmax(x, g, c, oy, ox);
                dx[i] = (uint8_t) fqt_quant_params_clamp((int32_t) dx[i] + (int32_t) dy[o++] - e_zp);
            }
}

void fqt_maxpool2d_u8_backward_f32(const uint8_t *x, const float *dy, float *dx, const fqt_pool_geometry *g) {
    int32_t out_h = fqt_pool_geometry_out_h(g), out_w = fqt_pool_geometry_out_w(g), in_size = fqt_pool_geometry_in_size(g);
    int32_t o = 0, c, oy, ox, i;
    for (i = 0; i < in_size; i++) dx[i] = 0.0f;
    for (c = 0; c < g->channels; c++)
        for (oy = 0; oy < out_h; oy++)
            for (ox = 0; ox < out_w; ox++) dx[fqt_maxpool2d_u8_argmax(x, g, c, oy, ox)] += dy[o++];
}

int32_t fqt_maxpool2d_u8_argmax(const uint8_t *x, const fqt_pool_geometry *g, int32_t c, int32_t oy, int32_t ox) {
    int32_t origin = fqt_pool_geometry_origin(g, c, oy, ox), best = origin, best_v = x[origin], ky, kx;
    if (g->k_h == 2 && g->k_w == 2) return origin + first_max2x2(x + origin, g->in_w);
    for (ky = 0; ky < g->k_h; ky++)
        for (kx = 0; kx < g->k_w; kx++) {
            int32_t i = origin + ky * g->in_w + kx;
            if ((int32_t) x[i] > best_v) {
                best = i;
                best_v = x[i];
            }
        }
    return best;
}
