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

#if defined(__ARM_FP)
/*
 * g0[i] += d0 * x[i] and g1[i] += d1 * x[i] for i < 4: one VLDM of x, one VLDM and one VSTM per
 * row, the products and sums one by one (VMUL then VADD, as in C: nothing fused).
 */
static inline void two_rows4(float *g0, float *g1, const float *x, float d0, float d1) {
    __asm__ volatile(
        "vldmia %[x], {s8-s11}\n\t"
        "vldmia %[g0], {s0-s3}\n\t"
        "vmul.f32 s12, s8, %[d0]\n\tvmul.f32 s13, s9, %[d0]\n\tvmul.f32 s14, s10, %[d0]\n\tvmul.f32 s15, s11, %[d0]\n\t"
        "vadd.f32 s0, s0, s12\n\tvadd.f32 s1, s1, s13\n\tvadd.f32 s2, s2, s14\n\tvadd.f32 s3, s3, s15\n\t"
        "vstmia %[g0], {s0-s3}\n\t"
        "vldmia %[g1], {s4-s7}\n\t"
        "vmul.f32 s12, s8, %[d1]\n\tvmul.f32 s13, s9, %[d1]\n\tvmul.f32 s14, s10, %[d1]\n\tvmul.f32 s15, s11, %[d1]\n\t"
        "vadd.f32 s4, s4, s12\n\tvadd.f32 s5, s5, s13\n\tvadd.f32 s6, s6, s14\n\tvadd.f32 s7, s7, s15\n\t"
        "vstmia %[g1], {s4-s7}"
        :
        : [x] "r"(x), [g0] "r"(g0), [g1] "r"(g1), [d0] "w"(d0), [d1] "w"(d1)
        : "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "s12", "s13", "s14", "s15", "memory");
}
#endif

void fqt_linear_u8_backward_weight(const uint8_t *x, int32_t x_zp, const uint8_t *dy, int32_t dy_zp, float s_e,
                                   float grad_scale, float *gw, float *gb, int32_t in, const int32_t *sel, int32_t n_sel,
                                   float *x_real) {
    int32_t k = 0, i;
    /* float(x[i] - x_zp) once, not once per row: the same value (exact). */
    for (i = 0; i < in; i++) x_real[i] = (float) ((int32_t) x[i] - x_zp);
    for (k = 0; k < n_sel; k++) gb[sel[k]] += (float) ((int32_t) dy[sel[k]] - dy_zp) * s_e;
    k = 0;
#if defined(__ARM_FP)
    for (; k + 2 <= n_sel; k += 2) {
        float *g0 = gw + sel[k] * in, *g1 = gw + sel[k + 1] * in;
        float d0 = (float) ((int32_t) dy[sel[k]] - dy_zp) * grad_scale, d1 = (float) ((int32_t) dy[sel[k + 1]] - dy_zp) * grad_scale;
        for (i = 0; i + 4 <= in; i += 4) two_rows4(g0 + i, g1 + i, x_real + i, d0, d1);
        for (; i < in; i++) {
            g0[i] += d0 * x_real[i];
            g1[i] += d1 * x_real[i];
        }
    }
#endif
    for (; k < n_sel; k++) {
        float *g = gw + sel[k] * in, d = (float) ((int32_t) dy[sel[k]] - dy_zp) * grad_scale;
        for (i = 0; i < in; i++) g[i] += d * x_real[i];
    }
}
