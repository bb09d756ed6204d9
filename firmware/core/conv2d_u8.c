#include "conv2d_u8.h"

/* The plain C path is the reference; a DSP path (__ARM_FEATURE_DSP) goes beside it with the same bits. */

void fqt_conv2d_u8_forward(const uint8_t *x, int32_t x_zp, const uint8_t *w, int32_t w_zp, const int32_t *bias_q,
                           uint8_t *y, const fqt_conv_geometry *g, int32_t *acc, fqt_requantizer *rq) {
    int32_t out_h = fqt_conv_geometry_out_h(g), out_w = fqt_conv_geometry_out_w(g), plane = out_h * out_w;
    int32_t cin = fqt_conv_geometry_in_per_group(g), s = g->stride, p = g->pad;
    int32_t o, ci, ky, kx, oy, ox, i;
    for (o = 0; o < g->out_c; o++) {
        int32_t c0 = fqt_conv_geometry_first_input(g, o), base;
        for (i = 0; i < plane; i++) acc[i] = bias_q[o];
        for (ci = 0; ci < cin; ci++) {
            int32_t c = c0 + ci;
            for (ky = 0; ky < g->k_h; ky++) {
                int32_t oy_lo = fqt_conv_geometry_lo(ky, s, p), oy_hi = fqt_conv_geometry_hi(ky, s, p, g->in_h, out_h);
                for (kx = 0; kx < g->k_w; kx++) {
                    int32_t ox_lo = fqt_conv_geometry_lo(kx, s, p), ox_hi = fqt_conv_geometry_hi(kx, s, p, g->in_w, out_w);
                    int32_t wv = (int32_t) w[((o * cin + ci) * g->k_h + ky) * g->k_w + kx] - w_zp;
                    for (oy = oy_lo; oy < oy_hi; oy++) {
                        int32_t x_row = (c * g->in_h + oy * s - p + ky) * g->in_w - p + kx;
                        int32_t a_row = oy * out_w;
                        for (ox = ox_lo; ox < ox_hi; ox++) acc[a_row + ox] += wv * ((int32_t) x[x_row + ox * s] - x_zp);
                    }
                }
            }
        }
        base = o * plane;
        for (i = 0; i < plane; i++) y[base + i] = (uint8_t) fqt_requantizer_apply(rq, acc[i]);
    }
}

void fqt_conv2d_u8_backward_error(const uint8_t *dy, int32_t dy_zp, const uint8_t *w, int32_t w_zp, int32_t *dx_acc,
                                  const fqt_conv_geometry *g, const int32_t *sel, int32_t n_sel) {
    int32_t out_h = fqt_conv_geometry_out_h(g), out_w = fqt_conv_geometry_out_w(g), plane = out_h * out_w;
    int32_t cin = fqt_conv_geometry_in_per_group(g), s = g->stride, p = g->pad, in_size = fqt_conv_geometry_in_size(g);
    int32_t k, ci, ky, kx, oy, ox, i;
    for (i = 0; i < in_size; i++) dx_acc[i] = 0;
    for (k = 0; k < n_sel; k++) {
        int32_t o = sel[k], base = o * plane, c0 = fqt_conv_geometry_first_input(g, o);
        for (ci = 0; ci < cin; ci++) {
            int32_t c = c0 + ci;
            for (ky = 0; ky < g->k_h; ky++) {
                int32_t oy_lo = fqt_conv_geometry_lo(ky, s, p), oy_hi = fqt_conv_geometry_hi(ky, s, p, g->in_h, out_h);
                for (kx = 0; kx < g->k_w; kx++) {
                    int32_t ox_lo = fqt_conv_geometry_lo(kx, s, p), ox_hi = fqt_conv_geometry_hi(kx, s, p, g->in_w, out_w);
                    int32_t wv = (int32_t) w[((o * cin + ci) * g->k_h + ky) * g->k_w + kx] - w_zp;
                    for (oy = oy_lo; oy < oy_hi; oy++) {
                        int32_t x_row = (c * g->in_h + oy * s - p + ky) * g->in_w - p + kx;
                        int32_t y_row = base + oy * out_w;
                        for (ox = ox_lo; ox < ox_hi; ox++) dx_acc[x_row + ox * s] += wv * ((int32_t) dy[y_row + ox] - dy_zp);
                    }
                }
            }
        }
    }
}

void fqt_conv2d_u8_backward_weight(const uint8_t *x, int32_t x_zp, const uint8_t *dy, int32_t dy_zp, float s_e,
                                   float grad_scale, float *gw, float *gb, const fqt_conv_geometry *g,
                                   const int32_t *sel, int32_t n_sel) {
    int32_t out_h = fqt_conv_geometry_out_h(g), out_w = fqt_conv_geometry_out_w(g), plane = out_h * out_w;
    int32_t cin = fqt_conv_geometry_in_per_group(g), s = g->stride, p = g->pad;
    int32_t k, ci, ky, kx, oy, ox, i;
    for (k = 0; k < n_sel; k++) {
        int32_t o = sel[k], base = o * plane, c0 = fqt_conv_geometry_first_input(g, o);
        int32_t sum_e = 0;
        for (i = base; i < base + plane; i++) sum_e += (int32_t) dy[i] - dy_zp;
        gb[o] += (float) sum_e * s_e;
        for (ci = 0; ci < cin; ci++) {
            int32_t c = c0 + ci;
            for (ky = 0; ky < g->k_h; ky++) {
                int32_t oy_lo = fqt_conv_geometry_lo(ky, s, p), oy_hi = fqt_conv_geometry_hi(ky, s, p, g->in_h, out_h);
                for (kx = 0; kx < g->k_w; kx++) {
                    int32_t ox_lo = fqt_conv_geometry_lo(kx, s, p), ox_hi = fqt_conv_geometry_hi(kx, s, p, g->in_w, out_w);
                    int32_t acc = 0;
                    for (oy = oy_lo; oy < oy_hi; oy++) {
                        int32_t x_row = (c * g->in_h + oy * s - p + ky) * g->in_w - p + kx;
                        int32_t y_row = base + oy * out_w;
                        for (ox = ox_lo; ox < ox_hi; ox++) {
                            acc += ((int32_t) dy[y_row + ox] - dy_zp) * ((int32_t) x[x_row + ox * s] - x_zp);
                        }
                    }
                    gw[((o * cin + ci) * g->k_h + ky) * g->k_w + kx] += (float) acc * grad_scale;
                }
            }
        }
    }
}
