#include "linear_u8.h"

#include "dsp_pairs.h"

/* Row pairs listed at a time by the error propagation's DSP path (12 bytes each, on the stack). */
#define PAIRS_PER_CHUNK 32

/*
 * The plain C loops are the reference and run everywhere. With the DSP extension the forward pass
 * takes two rows and four inputs per step, the error propagation four inputs over all selected rows,
 * with SMLAD on int16 pairs (dsp_pairs.h); the leftovers take the plain loops. Integer sums are
 * exact, so the order changes no bit.
 */

void fqt_linear_u8_forward(const uint8_t *x, int32_t x_zp, const uint8_t *w, int32_t w_zp, const int32_t *bias_q,
                           uint8_t *y, int32_t in, int32_t out, fqt_requantizer *rq) {
    int32_t o = 0, i;
#if defined(__ARM_FEATURE_DSP)
    uint32_t minus_x_zp = fqt_dsp_minus_zp(x_zp), minus_w_zp = fqt_dsp_minus_zp(w_zp);
    for (; o + 2 <= out; o += 2) {
        const uint8_t *w0 = w + o * in, *w1 = w0 + in, *xp = x, *x_end = x + in - in % 4;
        int32_t acc0 = bias_q[o], acc1 = bias_q[o + 1];
        /* Pointers that step (post-incremented loads), no index arithmetic. */
        for (; xp < x_end; xp += 4, w0 += 4, w1 += 4) {
            uint32_t xv = fqt_dsp_load4(xp), a = fqt_dsp_load4(w0), b = fqt_dsp_load4(w1);
            int32_t x02 = fqt_dsp_even(xv, minus_x_zp), x13 = fqt_dsp_odd(xv, minus_x_zp);
            acc0 = __smlad(x13, fqt_dsp_odd(a, minus_w_zp), __smlad(x02, fqt_dsp_even(a, minus_w_zp), acc0));
            acc1 = __smlad(x13, fqt_dsp_odd(b, minus_w_zp), __smlad(x02, fqt_dsp_even(b, minus_w_zp), acc1));
        }
        i = in - in % 4;
        w0 = w + o * in;
        w1 = w0 + in;
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
        /*
         * Four inputs at a time summed over the selected rows in registers, two rows a turn:
         * PKHBT/PKHTB put the bytes of rows p and q side by side (p[i], p[i+1], q[i], q[i+1]),
         * so one UXTAB16 gives the pair (p[i], q[i]) and one more, rotated, (p[i+1], q[i+1]) for
         * SMLAD with (e_p, e_q). The rows come in chunks, their errors and addresses listed first.
         */
        struct { int32_t e; const uint8_t *p, *q; } pairs[PAIRS_PER_CHUNK];
        uint32_t minus_w_zp = fqt_dsp_minus_zp(w_zp);
        int32_t in4 = in - in % 4;
        while (k + 2 <= n_sel) {
            int32_t n = 0, j;
            for (; k + 2 <= n_sel && n < PAIRS_PER_CHUNK; k += 2, n++) {
                pairs[n].e = fqt_dsp_pack((int32_t) dy[sel[k]] - dy_zp, (int32_t) dy[sel[k + 1]] - dy_zp);
                pairs[n].p = w + sel[k] * in;
                pairs[n].q = w + sel[k + 1] * in;
            }
            for (i = 0; i < in4; i += 4) {
                int32_t a0 = dx_acc[i], a1 = dx_acc[i + 1], a2 = dx_acc[i + 2], a3 = dx_acc[i + 3];
                for (j = 0; j < n; j++) {
                    uint32_t a = fqt_dsp_load4(pairs[j].p + i), b = fqt_dsp_load4(pairs[j].q + i);
                    uint32_t lo = (uint32_t) fqt_dsp_lows((int32_t) a, (int32_t) b), hi = (uint32_t) fqt_dsp_highs((int32_t) a, (int32_t) b);
                    int32_t e = pairs[j].e;
                    a0 = __smlad(e, fqt_dsp_even(lo, minus_w_zp), a0);
                    a1 = __smlad(e, fqt_dsp_odd(lo, minus_w_zp), a1);
                    a2 = __smlad(e, fqt_dsp_even(hi, minus_w_zp), a2);
                    a3 = __smlad(e, fqt_dsp_odd(hi, minus_w_zp), a3);
                }
                dx_acc[i] = a0;
                dx_acc[i + 1] = a1;
                dx_acc[i + 2] = a2;
                dx_acc[i + 3] = a3;
            }
            for (j = 0; j < n; j++) {
                int32_t e0 = (int16_t) pairs[j].e, e1 = pairs[j].e >> 16;
                for (i = in4; i < in; i++) dx_acc[i] += e0 * ((int32_t) pairs[j].p[i] - w_zp) + e1 * ((int32_t) pairs[j].q[i] - w_zp);
            }
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
                                   float grad_scale, float *gw, float *gb, int32_t row0, int32_t in, const int32_t *sel,
                                   int32_t n_sel, float *x_real) {
    int32_t k = 0, i;
    /* float(x[i] - x_zp) once, not once per row: the same value (exact). */
    for (i = 0; i < in; i++) x_real[i] = (float) ((int32_t) x[i] - x_zp);
    for (k = 0; k < n_sel; k++) gb[sel[k] - row0] += (float) ((int32_t) dy[sel[k]] - dy_zp) * s_e;
    k = 0;
#if defined(__ARM_FP)
    for (; k + 2 <= n_sel; k += 2) {
        float *g0 = gw + (sel[k] - row0) * in, *g1 = gw + (sel[k + 1] - row0) * in;
        float d0 = (float) ((int32_t) dy[sel[k]] - dy_zp) * grad_scale, d1 = (float) ((int32_t) dy[sel[k + 1]] - dy_zp) * grad_scale;
        for (i = 0; i + 4 <= in; i += 4) two_rows4(g0 + i, g1 + i, x_real + i, d0, d1);
        for (; i < in; i++) {
            g0[i] += d0 * x_real[i];
            g1[i] += d1 * x_real[i];
        }
    }
#endif
    for (; k < n_sel; k++) {
        float *g = gw + (sel[k] - row0) * in, d = (float) ((int32_t) dy[sel[k]] - dy_zp) * grad_scale;
        for (i = 0; i < in; i++) g[i] += d * x_real[i];
    }
}
