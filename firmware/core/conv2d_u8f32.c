#include "conv2d_u8f32.h"

void fqt_conv2d_u8f32_backward_error(const float *dy, const uint8_t *w, int32_t w_zp, float s_w, float *dx,
                                     const fqt_conv_geometry *g, const int32_t *sel, int32_t n_sel) {
    int32_t out_h = fqt_conv_geometry_out_h(g), out_w = fqt_conv_geometry_out_w(g), plane = out_h * out_w;
    int32_t cin = fqt_conv_geometry_in_per_group(g), s = g->stride, p = g->pad, in_size = fqt_conv_geometry_in_size(g);
    int32_t k, ci, ky, kx, oy, ox, i;
    for (i = 0; i < in_size; i++) dx[i] = 0.0f;
    for (k = 0; k < n_sel; k++) {
        int32_t o = sel[k], base = o * plane, c0 = fqt_conv_geometry_first_input(g, o);
        for (ci = 0; ci < cin; ci++) {
            int32_t c = c0 + ci;
            for (ky = 0; ky < g->k_h; ky++) {
                int32_t oy_lo = fqt_conv_geometry_lo(ky, s, p), oy_hi = fqt_conv_geometry_hi(ky, s, p, g->in_h, out_h);
                for (kx = 0; kx < g->k_w; kx++) {
                    int32_t ox_lo = fqt_conv_geometry_lo(kx, s, p), ox_hi = fqt_conv_geometry_hi(kx, s, p, g->in_w, out_w);
                    float wv = s_w * (float) ((int32_t) w[((o * cin + ci) * g->k_h + ky) * g->k_w + kx] - w_zp);
                    for (oy = oy_lo; oy < oy_hi; oy++) {
                        int32_t x_row = (c * g->in_h + oy * s - p + ky) * g->in_w - p + kx;
                        int32_t y_row = base + oy * out_w;
                        for (ox = ox_lo; ox < ox_hi; ox++) dx[x_row + ox * s] += wv * dy[y_row + ox];
                    }
                }
            }
        }
    }
}

void fqt_conv2d_u8f32_backward_weight(const uint8_t *x, int32_t x_zp, float s_x, const float *dy, float *gw, float *gb,
                                      int32_t row0, const fqt_conv_geometry *g, const int32_t *sel, int32_t n_sel) {
    int32_t out_h = fqt_conv_geometry_out_h(g), out_w = fqt_conv_geometry_out_w(g), plane = out_h * out_w;
    int32_t cin = fqt_conv_geometry_in_per_group(g), s = g->stride, p = g->pad;
    int32_t k, ci, ky, kx, oy, ox, i;
    for (k = 0; k < n_sel; k++) {
        int32_t o = sel[k], base = o * plane, c0 = fqt_conv_geometry_first_input(g, o);
        float sum_e = 0.0f;
        for (i = base; i < base + plane; i++) sum_e += dy[i];
        gb[o - row0] += sum_e;
        for (ci = 0; ci < cin; ci++) {
            int32_t c = c0 + ci;
            for (ky = 0; ky < g->k_h; ky++) {
                int32_t oy_lo = fqt_conv_geometry_lo(ky, s, p), oy_hi = fqt_conv_geometry_hi(ky, s, p, g->in_h, out_h);
                for (kx = 0; kx < g->k_w; kx++) {
                    int32_t ox_lo = fqt_conv_geometry_lo(kx, s, p), ox_hi = fqt_conv_geometry_hi(kx, s, p, g->in_w, out_w);
                    float acc = 0.0f;
                    for (oy = oy_lo; oy < oy_hi; oy++) {
                        int32_t x_row = (c * g->in_h + oy * s - p + ky) * g->in_w - p + kx;
                        int32_t y_row = base + oy * out_w;
                        for (ox = ox_lo; ox < ox_hi; ox++) acc += dy[y_row + ox] * (float) ((int32_t) x[x_row + ox * s] - x_zp);
                    }
                    gw[(((o - row0) * cin + ci) * g->k_h + ky) * g->k_w + kx] += acc * s_x;
                }
            }
        }
    }
}
