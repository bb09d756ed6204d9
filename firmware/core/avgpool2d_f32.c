#include "avgpool2d_f32.h"

void fqt_avgpool2d_f32_forward(const float *x, float *y, const fqt_pool_geometry *g) {
    int32_t out_h = fqt_pool_geometry_out_h(g), out_w = fqt_pool_geometry_out_w(g), o = 0, c, oy, ox, ky, kx;
    float n = (float) fqt_pool_geometry_window(g);
    for (c = 0; c < g->channels; c++)
        for (oy = 0; oy < out_h; oy++)
            for (ox = 0; ox < out_w; ox++) {
                int32_t origin = fqt_pool_geometry_origin(g, c, oy, ox);
                float sum = 0.0f;
                for (ky = 0; ky < g->k_h; ky++)
                    for (kx = 0; kx < g->k_w; kx++) sum += x[origin + ky * g->in_w + kx];
                y[o++] = sum / n;
            }
}

void fqt_avgpool2d_f32_backward(const float *dy, float *dx, const fqt_pool_geometry *g) {
    int32_t out_h = fqt_pool_geometry_out_h(g), out_w = fqt_pool_geometry_out_w(g), in_size = fqt_pool_geometry_in_size(g);
    int32_t o = 0, c, oy, ox, ky, kx, i;
    float n = (float) fqt_pool_geometry_window(g);
    for (i = 0; i < in_size; i++) dx[i] = 0.0f;
    for (c = 0; c < g->channels; c++)
        for (oy = 0; oy < out_h; oy++)
            for (ox = 0; ox < out_w; ox++) {
                int32_t origin = fqt_pool_geometry_origin(g, c, oy, ox);
                float share = dy[o++] / n;
                for (ky = 0; ky < g->k_h; ky++)
                    for (kx = 0; kx < g->k_w; kx++) dx[origin + ky * g->in_w + kx] += share;
            }
}
