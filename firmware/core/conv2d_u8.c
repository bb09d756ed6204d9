#include "conv2d_u8.h"

#include "dsp_pairs.h"

/*
 * The plain C loops are the reference and run everywhere. With the DSP extension, stride-1
 * convolutions with 3-wide kernels run on int16 pairs with SMLAD (dsp_pairs.h), four outputs at a
 * time: the usual 3x3 "same" layer a whole kernel at a time (rows3x3), other heights one kernel
 * row at a time (rows3), the weight gradient three taps at a time (dots3). Integer sums are exact,
 * so the order changes no bit. Other geometries take the plain loops on every CPU.
 */

#if defined(__ARM_FEATURE_DSP)
static int use_dsp(const fqt_conv_geometry *g) {
    return g->stride == 1 && g->k_w == 3;
}

/* The usual 3x3 layer: stride 1, padding 1, output as large as the input (rows3x3's case). */
static int same3x3(const fqt_conv_geometry *g) {
    return g->stride == 1 && g->k_h == 3 && g->k_w == 3 && g->pad == 1 && g->in_w >= 4;
}

static int32_t max_i32(int32_t a, int32_t b) { return a > b ? a : b; }
static int32_t min_i32(int32_t a, int32_t b) { return a < b ? a : b; }

/*
 * A 3-tap correlation over `rows` rows: out[r][t] += sum of w[k] * (v[r][t + k + off] - zp) over
 * k = 0..2 with t + k + off inside [0, m), for t in [0, n); rows are out_stride and v_stride apart.
 * The forward pass runs it on input rows (off = -pad, taps w[kx]), the error propagation on error
 * rows with the kernel row reversed. Outputs in [t_lo, t_hi) read all three taps: four at a time,
 * then two, then one; the outputs outside sum the taps they have.
 */
static void rows3(int32_t *out, int32_t out_stride, int32_t n, const uint8_t *v, int32_t v_stride, int32_t m, int32_t off,
                  int32_t rows, int32_t zp, const int32_t *w) {
    int32_t t_lo = min_i32(max_i32(0, -off), n), t_hi = max_i32(min_i32(n, m - off - 2), t_lo);
    int32_t t_quads = t_lo + (t_hi - t_lo) / 4 * 4, r, t, k;
    uint32_t minus_zp = fqt_dsp_minus_zp(zp);
    int32_t w02 = fqt_dsp_pack(w[0], w[2]), w1 = w[1];
    for (r = 0; r < rows; r++, out += out_stride, v += v_stride) {
        for (t = t_lo; t < t_quads; t += 4) {
            /* Four outputs read six values: the words at v+j (v0..v3) and v+j+2 (v2..v5). */
            const uint8_t *p = v + t + off;
            uint32_t a = fqt_dsp_load4(p), b = fqt_dsp_load4(p + 2);
            int32_t a02 = fqt_dsp_even(a, minus_zp), a13 = fqt_dsp_odd(a, minus_zp);
            int32_t b24 = fqt_dsp_even(b, minus_zp), b35 = fqt_dsp_odd(b, minus_zp);
            out[t] = __smlabb(a13, w1, __smlad(a02, w02, out[t]));
            out[t + 1] = __smlatb(a02, w1, __smlad(a13, w02, out[t + 1]));
            out[t + 2] = __smlabb(b35, w1, __smlad(b24, w02, out[t + 2]));
            out[t + 3] = __smlatb(b24, w1, __smlad(b35, w02, out[t + 3]));
        }
        if (t + 2 <= t_hi) {
            uint32_t a = fqt_dsp_load4(v + t + off);
            int32_t a02 = fqt_dsp_even(a, minus_zp), a13 = fqt_dsp_odd(a, minus_zp);
            out[t] = __smlabb(a13, w1, __smlad(a02, w02, out[t]));
            out[t + 1] = __smlatb(a02, w1, __smlad(a13, w02, out[t + 1]));
            t += 2;
        }
        if (t < t_hi) {
            for (k = 0; k < 3; k++) out[t] += w[k] * ((int32_t) v[t + off + k] - zp);
        }
        for (t = 0; t < n; t++) {
            int32_t j, k_hi;
            if (t == t_lo && (t = t_hi) == n) break;
            j = t + off;
            k_hi = min_i32(3, m - j);
            for (k = max_i32(0, -j); k < k_hi; k++) out[t] += w[k] * ((int32_t) v[j + k] - zp);
        }
    }
}

/*
 * A whole 3x3 "same" correlation of one plane: out[y][t] += sum over r, k = 0..2 of w9[3r + k] *
 * (v[y + r - 1][t + k - 1] - zp), taps outside the plane skipped; out and v are h x n. The three
 * kernel rows run together, so each output is loaded and stored once per plane, not per row. A
 * row above or below the plane gets weights 0 on the middle row instead (adds exactly nothing).
 */
static void rows3x3(int32_t *out, int32_t h, int32_t n, const uint8_t *v, int32_t zp, const int32_t *w9) {
    uint32_t minus_zp = fqt_dsp_minus_zp(zp);
    int32_t t_quads = 1 + (n - 2) / 4 * 4, y, t, r, k;
    int32_t w02[3], w1[3], inside[3];
    for (y = 0; y < h; y++, out += n) {
        const uint8_t *row[3];
        if (y <= 1 || y == h - 1) {
            /* The first, second and last rows change which kernel rows lie inside the plane. */
            for (r = 0; r < 3; r++) {
                inside[r] = y + r - 1 >= 0 && y + r - 1 < h;
                w02[r] = inside[r] ? fqt_dsp_pack(w9[3 * r], w9[3 * r + 2]) : 0;
                w1[r] = inside[r] ? w9[3 * r + 1] : 0;
            }
        }
        row[1] = v + y * n;
        row[0] = y > 0 ? row[1] - n : row[1];
        row[2] = y < h - 1 ? row[1] + n : row[1];
        for (t = 1; t < t_quads; t += 4) {
            int32_t a0 = out[t], a1 = out[t + 1], a2 = out[t + 2], a3 = out[t + 3];
#pragma GCC unroll 3
            for (r = 0; r < 3; r++) {
                const uint8_t *p = row[r] + t - 1;
                uint32_t a = fqt_dsp_load4(p), b = fqt_dsp_load4(p + 2);
                int32_t a02 = fqt_dsp_even(a, minus_zp), a13 = fqt_dsp_odd(a, minus_zp);
                int32_t b24 = fqt_dsp_even(b, minus_zp), b35 = fqt_dsp_odd(b, minus_zp);
                a0 = __smlabb(a13, w1[r], __smlad(a02, w02[r], a0));
                a1 = __smlatb(a02, w1[r], __smlad(a13, w02[r], a1));
                a2 = __smlabb(b35, w1[r], __smlad(b24, w02[r], a2));
                a3 = __smlatb(b24, w1[r], __smlad(b35, w02[r], a3));
            }
            out[t] = a0;
            out[t + 1] = a1;
            out[t + 2] = a2;
            out[t + 3] = a3;
        }
        if (t + 2 <= n - 1) {
            int32_t a0 = out[t], a1 = out[t + 1];
#pragma GCC unroll 3
            for (r = 0; r < 3; r++) {
                uint32_t a = fqt_dsp_load4(row[r] + t - 1);
                int32_t a02 = fqt_dsp_even(a, minus_zp), a13 = fqt_dsp_odd(a, minus_zp);
                a0 = __smlabb(a13, w1[r], __smlad(a02, w02[r], a0));
                a1 = __smlatb(a02, w1[r], __smlad(a13, w02[r], a1));
            }
            out[t] = a0;
            out[t + 1] = a1;
            t += 2;
        }
        if (t < n - 1) {
            for (r = 0; r < 3; r++) {
                if (!inside[r]) continue;
                for (k = 0; k < 3; k++) out[t] += w9[3 * r + k] * ((int32_t) row[r][t + k - 1] - zp);
            }
        }
#pragma GCC unroll 3
        for (r = 0; r < 3; r++) {
            /* out[0] lacks tap 0: v0*w1 + v1*w2; out[n-1] lacks tap 2: v[n-2]*w0 + v[n-1]*w1. */
            uint32_t a = fqt_dsp_load4(row[r]), b = fqt_dsp_load4(row[r] + n - 4);
            out[0] = __smlabb(fqt_dsp_even(a, minus_zp), w1[r], __smlabt(fqt_dsp_odd(a, minus_zp), w02[r], out[0]));
            out[n - 1] = __smlatb(fqt_dsp_even(b, minus_zp), w02[r], __smlatb(fqt_dsp_odd(b, minus_zp), w1[r], out[n - 1]));
        }
    }
}

/*
 * The weight gradient's sums over `rows` rows: acc[k] += sum over t in [0, n) of (e[r][t] - e_zp)
 * * (x[r][t + k + off] - x_zp), k = 0..2, for the t with t + k + off inside [0, m). Interior
 * outputs four at a time, then one by one; the edges sum the taps they have.
 */
static void dots3(const uint8_t *e, int32_t e_stride, int32_t n, int32_t e_zp, const uint8_t *x, int32_t x_stride, int32_t m,
                  int32_t off, int32_t x_zp, int32_t rows, int32_t *acc) {
    int32_t t_lo = min_i32(max_i32(0, -off), n), t_hi = max_i32(min_i32(n, m - off - 2), t_lo);
    int32_t t_quads = t_lo + (t_hi - t_lo) / 4 * 4, same = off == -1 && m == n && n >= 4, r, t, k;
    uint32_t minus_e_zp = fqt_dsp_minus_zp(e_zp), minus_x_zp = fqt_dsp_minus_zp(x_zp);
    int32_t acc0 = acc[0], acc1 = acc[1], acc2 = acc[2];
    if (same) {
        /*
         * Padding 1, rows of one width, contiguous (e_stride = x_stride = n): one long row, whose
         * quads run across the row ends; the two taps that wrapped around each row end are taken
         * back (exact in int32).
         */
        for (r = 1; r < rows; r++) {
            int32_t start = r * n;
            acc0 -= ((int32_t) e[start] - e_zp) * ((int32_t) x[start - 1] - x_zp);
            acc2 -= ((int32_t) e[start - 1] - e_zp) * ((int32_t) x[start] - x_zp);
        }
        n *= rows;
        t_hi = n - 1;
        t_quads = 1 + (n - 2) / 4 * 4;
        rows = 1;
    }
    for (r = 0; r < rows; r++, e += e_stride, x += x_stride) {
        for (t = t_lo; t < t_quads; t += 4) {
            const uint8_t *p = x + t + off;
            uint32_t ev = fqt_dsp_load4(e + t), a = fqt_dsp_load4(p), b = fqt_dsp_load4(p + 2);
            int32_t e02 = fqt_dsp_even(ev, minus_e_zp), e13 = fqt_dsp_odd(ev, minus_e_zp);
            int32_t a02 = fqt_dsp_even(a, minus_x_zp), a13 = fqt_dsp_odd(a, minus_x_zp);
            int32_t b24 = fqt_dsp_even(b, minus_x_zp), b35 = fqt_dsp_odd(b, minus_x_zp);
            acc0 = __smlad(e13, a13, __smlad(e02, a02, acc0));
            acc1 = __smlad(e13, b24, __smlad(e02, a13, acc1));
            acc2 = __smlad(e13, b35, __smlad(e02, b24, acc2));
        }
        for (; t < t_hi; t++) {
            const uint8_t *p = x + t + off;
            int32_t ec = (int32_t) e[t] - e_zp;
            acc0 += ec * ((int32_t) p[0] - x_zp);
            acc1 += ec * ((int32_t) p[1] - x_zp);
            acc2 += ec * ((int32_t) p[2] - x_zp);
        }
        if (same) {
            /* e[0] lacks tap 0, e[n-1] tap 2. */
            int32_t first = (int32_t) e[0] - e_zp, last = (int32_t) e[n - 1] - e_zp;
            acc1 += first * ((int32_t) x[0] - x_zp);
            acc2 += first * ((int32_t) x[1] - x_zp);
            acc0 += last * ((int32_t) x[n - 2] - x_zp);
            acc1 += last * ((int32_t) x[n - 1] - x_zp);
            continue;
        }
        for (t = 0; t < n; t++) {
            int32_t j, k_hi, ec;
            if (t == t_lo && (t = t_hi) == n) break;
            j = t + off;
            k_hi = min_i32(3, m - j);
            ec = (int32_t) e[t] - e_zp;
            for (k = max_i32(0, -j); k < k_hi; k++) {
                int32_t d = ec * ((int32_t) x[j + k] - x_zp);
                if (k == 0) acc0 += d;
                else if (k == 1) acc1 += d;
                else acc2 += d;
            }
        }
    }
    acc[0] = acc0;
    acc[1] = acc1;
    acc[2] = acc2;
}
#endif

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
#if defined(__ARM_FEATURE_DSP)
            if (same3x3(g)) {
                const uint8_t *wf = w + (o * cin + ci) * 9;
                int32_t w9[9];
                for (i = 0; i < 9; i++) w9[i] = (int32_t) wf[i] - w_zp;
                rows3x3(acc, out_h, out_w, x + c * g->in_h * g->in_w, x_zp, w9);
                continue;
            }
#endif
            for (ky = 0; ky < g->k_h; ky++) {
                int32_t oy_lo = fqt_conv_geometry_lo(ky, s, p), oy_hi = fqt_conv_geometry_hi(ky, s, p, g->in_h, out_h);
#if defined(__ARM_FEATURE_DSP)
                if (use_dsp(g)) {
                    const uint8_t *wr = w + ((o * cin + ci) * g->k_h + ky) * 3;
                    int32_t wc[3] = {(int32_t) wr[0] - w_zp, (int32_t) wr[1] - w_zp, (int32_t) wr[2] - w_zp};
                    if (oy_lo < oy_hi) {
                        rows3(acc + oy_lo * out_w, out_w, out_w, x + (c * g->in_h + oy_lo - p + ky) * g->in_w, g->in_w, g->in_w,
                              -p, oy_hi - oy_lo, x_zp, wc);
                    }
                    continue;
                }
#endif
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
        fqt_requantizer_apply_array(rq, acc, y + base, plane);
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
#if defined(__ARM_FEATURE_DSP)
            if (same3x3(g)) {
                /* The input gets the error correlated with the kernel turned by 180 degrees. */
                const uint8_t *wf = w + (o * cin + ci) * 9;
                int32_t w9[9];
                for (i = 0; i < 9; i++) w9[i] = (int32_t) wf[8 - i] - w_zp;
                rows3x3(dx_acc + c * g->in_h * g->in_w, g->in_h, g->in_w, dy + base, dy_zp, w9);
                continue;
            }
#endif
            for (ky = 0; ky < g->k_h; ky++) {
                int32_t oy_lo = fqt_conv_geometry_lo(ky, s, p), oy_hi = fqt_conv_geometry_hi(ky, s, p, g->in_h, out_h);
#if defined(__ARM_FEATURE_DSP)
                if (use_dsp(g)) {
                    /* Input column ix gets tap kx from error column ix + p - kx: the kernel row reversed. */
                    const uint8_t *wr = w + ((o * cin + ci) * g->k_h + ky) * 3;
                    int32_t wc[3] = {(int32_t) wr[2] - w_zp, (int32_t) wr[1] - w_zp, (int32_t) wr[0] - w_zp};
                    if (oy_lo < oy_hi) {
                        rows3(dx_acc + (c * g->in_h + oy_lo - p + ky) * g->in_w, g->in_w, g->in_w, dy + base + oy_lo * out_w,
                              out_w, out_w, p - 2, oy_hi - oy_lo, dy_zp, wc);
                    }
                    continue;
                }
#endif
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
#if defined(__ARM_FEATURE_DSP)
                if (use_dsp(g)) {
                    int32_t acc[3] = {0, 0, 0};
                    float *gr = gw + ((o * cin + ci) * g->k_h + ky) * 3;
                    if (oy_lo < oy_hi) {
                        dots3(dy + base + oy_lo * out_w, out_w, out_w, dy_zp, x + (c * g->in_h + oy_lo - p + ky) * g->in_w, g->in_w,
                              g->in_w, -p, x_zp, oy_hi - oy_lo, acc);
                    }
                    for (kx = 0; kx < 3; kx++) gr[kx] += (float) acc[kx] * grad_scale;
                    continue;
                }
#endif
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
