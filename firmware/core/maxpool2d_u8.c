#include "maxpool2d_u8.h"

#include "dsp_pairs.h"
#include "quant_params.h"

/*
 * The usual window, 2x2 with stride 2, takes row pointers instead of an index computation per
 * output (with the DSP extension, two outputs from two words: byte maxima with USUB8 and SEL), and
 * the backward pass writes each window whole: the windows do not overlap, so an input gets its
 * window's error or the zero point, as the general loops give it.
 */
static int window2x2(const fqt_pool_geometry *g) {
    return g->k_h == 2 && g->k_w == 2 && g->stride == 2;
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
                const uint8_t *r0 = x + row, *r1 = r0 + g->in_w;
                uint8_t *d0 = dx + row, *d1 = d0 + g->in_w;
                for (ox = 0; ox < out_w; ox++) {
                    /* The first maximum in the order top-left, top-right, bottom-left, bottom-right. */
                    int32_t k = 2 * ox, best = 0, v = r0[k];
                    if (r0[k + 1] > v) { best = 1; v = r0[k + 1]; }
                    if (r1[k] > v) { best = 2; v = r1[k]; }
                    if (r1[k + 1] > v) best = 3;
                    (best < 2 ? d0 : d1)[k + (best & 1)] = dy[o++];
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
    if (g->k_h == 2 && g->k_w == 2) {
        /* The usual 2x2 window unrolled, in the loops' order: the first maximum still wins. */
        int32_t right = origin + 1, below = origin + g->in_w, diagonal = below + 1;
        if (x[right] > best_v) {
            best = right;
            best_v = x[right];
        }
        if (x[below] > best_v) {
            best = below;
            best_v = x[below];
        }
        return x[diagonal] > best_v ? diagonal : best;
    }
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
