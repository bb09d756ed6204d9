#include "avgpool2d_u8.h"

#include "quant_params.h"

/* Java's Math.floorDiv for a positive divisor. */
static int32_t floor_div(int32_t a, int32_t b) {
    int32_t q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}

void fqt_avgpool2d_u8_forward(const uint8_t *x, uint8_t *y, const fqt_pool_geometry *g) {
    int32_t out_h = fqt_pool_geometry_out_h(g), out_w = fqt_pool_geometry_out_w(g), n = fqt_pool_geometry_window(g);
    int32_t o = 0, c, oy, ox, ky, kx;
    for (c = 0; c < g->channels; c++)
        for (oy = 0; oy < out_h; oy++)
            for (ox = 0; ox < out_w; ox++) {
                int32_t origin = fqt_pool_geometry_origin(g, c, oy, ox);
                int32_t sum = 0;
                for (ky = 0; ky < g->k_h; ky++)
                    for (kx = 0; kx < g->k_w; kx++) sum += x[origin + ky * g->in_w + kx];
                y[o++] = (uint8_t) ((2 * sum + n) / (2 * n));
            }
}

void fqt_avgpool2d_u8_backward(const uint8_t *dy, int32_t e_zp, uint8_t *dx, const fqt_pool_geometry *g) {
    int32_t out_h = fqt_pool_geometry_out_h(g), out_w = fqt_pool_geometry_out_w(g), n = fqt_pool_geometry_window(g);
    int32_t in_size = fqt_pool_geometry_in_size(g), disjoint = fqt_pool_geometry_disjoint(g), o = 0, c, oy, ox, ky, kx, i;
    for (i = 0; i < in_size; i++) dx[i] = (uint8_t) e_zp;
    for (c = 0; c < g->channels; c++)
        for (oy = 0; oy < out_h; oy++)
            for (ox = 0; ox < out_w; ox++) {
                int32_t origin = fqt_pool_geometry_origin(g, c, oy, ox);
                int32_t code = dy[o++], share = floor_div(2 * (code - e_zp) + n, 2 * n);
                for (ky = 0; ky < g->k_h; ky++)
                    for (kx = 0; kx < g->k_w; kx++) {
                        i = origin + ky * g->in_w + kx;
                        dx[i] = (uint8_t) (disjoint ? code : fqt_quant_params_clamp((int32_t) dx[i] + share));
                    }
            }
}
