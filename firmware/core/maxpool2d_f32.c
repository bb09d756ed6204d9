#include "maxpool2d_f32.h"

void fqt_maxpool2d_f32_forward(const float *x, float *y, const fqt_pool_geometry *g) {
    int32_t out_h = fqt_pool_geometry_out_h(g), out_w = fqt_pool_geometry_out_w(g), o = 0, c, oy, ox;
    for (c = 0; c < g->channels; c++)
        for (oy = 0; oy < out_h; oy++)
            for (ox = 0; ox < out_w; ox++) y[o++] = x[fqt_maxpool2d_f32_argmax(x, g, c, oy, ox)];
}

void fqt_maxpool2d_f32_backward(const float *x, const float *dy, float *dx, const fqt_pool_geometry *g) {
    int32_t out_h = fqt_pool_geometry_out_h(g), out_w = fqt_pool_geometry_out_w(g), in_size = fqt_pool_geometry_in_size(g);
    int32_t o = 0, c, oy, ox, i;
    for (i = 0; i < in_size; i++) dx[i] = 0.0f;
    for (c = 0; c < g->channels; c++)
        for (oy = 0; oy < out_h; oy++)
            for (ox = 0; ox < out_w; ox++) dx[fqt_maxpool2d_f32_argmax(x, g, c, oy, ox)] += dy[o++];
}

int32_t fqt_maxpool2d_f32_argmax(const float *x, const fqt_pool_geometry *g, int32_t c, int32_t oy, int32_t ox) {
    int32_t origin = fqt_pool_geometry_origin(g, c, oy, ox), best = origin, ky, kx;
    for (ky = 0; ky < g->k_h; ky++)
        for (kx = 0; kx < g->k_w; kx++) {
            int32_t i = origin + ky * g->in_w + kx;
            if (x[i] > x[best]) best = i;
        }
    return best;
}
