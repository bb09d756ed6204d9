#include "maxpool2d_u8.h"

#include "quant_params.h"

void fqt_maxpool2d_u8_forward(const uint8_t *x, uint8_t *y, const fqt_pool_geometry *g) {
    int32_t out_h = fqt_pool_geometry_out_h(g), out_w = fqt_pool_geometry_out_w(g), o = 0, c, oy, ox;
    for (c = 0; c < g->channels; c++)
        for (oy = 0; oy < out_h; oy++)
            for (ox = 0; ox < out_w; ox++) y[o++] = x[fqt_maxpool2d_u8_argmax(x, g, c, oy, ox)];
}

void fqt_maxpool2d_u8_backward(const uint8_t *x, const uint8_t *dy, int32_t e_zp, uint8_t *dx, const fqt_pool_geometry *g) {
    int32_t out_h = fqt_pool_geometry_out_h(g), out_w = fqt_pool_geometry_out_w(g), in_size = fqt_pool_geometry_in_size(g);
    int32_t o = 0, c, oy, ox, i;
    for (i = 0; i < in_size; i++) dx[i] = (uint8_t) e_zp;
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
