#include "linear_u8.h"

#include "dsp_pairs.h"

/*
 * The plain C loops are the reference and run everywhere. With the DSP extension the forward pass
 * takes two rows and four inputs per step, and the error propagation two selected rows per pass,
 * with SMLAD on int16 pairs (dsp_pairs.h); the leftovers take the plain loops. Integer sums are
 * exact, so the order changes no bit.
 */

void fqt_linear_u8_forward(const uint8_t *x, int32_t x_zp, const uint8_t *w, int32_t w_zp, const int32_t *bias_q,
                           uint8_t *y, int32_t in, int32_t out, fqt_requantizer *rq) {
    int32_t o = 0, i;
#if defined(__ARM_FEATURE_DSP)
    uint32_t minus_x_zp = fqt_dsp_minus_zp(x_zp), minus_w_zp = fqt_dsp_minus_zp(w_zp);
    for (; o + 2 <= out; o += 2) {
        const uint8_t *w0 = w + o * in, *w1 = w0 + in;
        int32_t acc0 = bias_q[o], acc1 = bias_q[o + 1];
        for (i = 0; i + 4 <= in; i += 4) {
            uint32_t xv = fqt_dsp_load4(x + i), a = fqt_dsp_load4(w0 + i), b = fqt_dsp_load4(w1 + i);
            int32_t x02 = fqt_dsp_even(xv, minus_x_zp), x13 = fqt_dsp_odd(xv, minus_x_zp);
            acc0 = __smlad(x13, fqt_dsp_odd(a, minus_w_zp), __smlad(x02, fqt_dsp_even(a, minus_w_zp), acc0));
            acc1 = __smlad(x13, fqt_dsp_odd(b, minus_w_zp), __smlad(x02, fqt_dsp_even(b, minus_w_zp), acc1));
        }
        for (; i < in; i++) {
            acc0 += ((int32_t) x[i] - x_zp) * ((int32_t) w0[i] - w_zp);
            acc1 += ((int32_t) x[i] - x_zp) * ((int32_t) w1[i] - w_zp);
        }
        /* Requantized in output order: stochastic rounding draws in Java's order. */
        y[o] = (uint8_t) fqt_requantizer_apply(rq, acc0);
        y[o + 1] = (uint8_t) fqt_requantizer_apply(rq, acc1);
    }
#endif
    for (; o < out; o++) {
        int32_t row = o * in;
        int32_t acc = bias_q[o];
        for (i = 0; i < in; i++) acc += ((int32_t) x[i] - x_zp) * ((int32_t) w[row + i] - w_zp);
        y[o] = (uint8_t) fqt_requantizer_apply(rq, acc);
    }
}

void fqt_linear_u8_backward_error(const uint8_t *dy, int32_t dy_zp, const uint8_t *w, int32_t w_zp, int32_t *dx_acc,
                                  int32_t in, const int32_t *sel, int32_t n_sel) {
    int32_t k = 0, i;
    for (i = 0; i < in; i++) dx_acc[i] = 0;
#if defined(__ARM_FEATURE_DSP)
    {
        uint32_t minus_w_zp = fqt_dsp_minus_zp(w_zp);
        for (; k + 2 <= n_sel; k += 2) {
            /* dx[i] += (e0, e1) . (w0[i], w1[i]): the pairs run across the two rows. */
            const uint8_t *w0 = w + sel[k] * in, *w1 = w + sel[k + 1] * in;
            int32_t e0 = (int32_t) dy[sel[k]] - dy_zp, e1 = (int32_t) dy[sel[k + 1]] - dy_zp, e = fqt_dsp_pack(e0, e1);
            for (i = 0; i + 4 <= in; i += 4) {
                uint32_t a = fqt_dsp_load4(w0 + i), b = fqt_dsp_load4(w1 + i);
                int32_t a02 = fqt_dsp_even(a, minus_w_zp), a13 = fqt_dsp_odd(a, minus_w_zp);
                int32_t b02 = fqt_dsp_even(b, minus_w_zp), b13 = fqt_dsp_odd(b, minus_w_zp);
                dx_acc[i] = __smlad(e, fqt_dsp_lows(a02, b02), dx_acc[i]);
                dx_acc[i + 1] = __smlad(e, fqt_dsp_lows(a13, b13), dx_acc[i + 1]);
                dx_acc[i + 2] = __smlad(e, fqt_dsp_highs(a02, b02), dx_acc[i + 2]);
                dx_acc[i + 3] = __smlad(e, fqt_dsp_highs(a13, b13), dx_acc[i + 3]);
            }
            for (; i < in; i++) dx_acc[i] += e0 * ((int32_t) w0[i] - w_zp) + e1 * ((int32_t) w1[i] - w_zp);
        }
    }
#endif
    for (; k < n_sel; k++) {
        int32_t o = sel[k];
        int32_t row = o * in;
        int32_t e = (int32_t) dy[o] - dy_zp;
        for (i = 0; i < in; i++) dx_acc[i] += e * ((int32_t) w[row + i] - w_zp);
    }
}

void fqt_linear_u8_backward_weight(const uint8_t *x, int32_t x_zp, const uint8_t *dy, int32_t dy_zp, float s_e,
                                   float grad_scale, float *gw, float *gb, int32_t in, const int32_t *sel, int32_t n_sel) {
    int32_t k, i;
    for (k = 0; k < n_sel; k++) {
        int32_t o = sel[k];
        int32_t row = o * in;
        int32_t e = (int32_t) dy[o] - dy_zp;
        float d;
        gb[o] += (float) e * s_e;
        d = (float) e * grad_scale;
        for (i = 0; i < in; i++) gw[row + i] += d * (float) ((int32_t) x[i] - x_zp);
    }
}
