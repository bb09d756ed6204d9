package fqt.kernels;

import fqt.quant.Requantizer;

/**
 * Fully connected layer on uint8 features, weights and errors. Products of zero-point-corrected
 * values are accumulated in int32 (exact, so the order of the sum does not matter here).
 */
public final class LinearU8 {
    private LinearU8() {}

    /**
     * {@code y[o] = requant(biasQ[o] + sum_i (x[i]-xZp)(w[o][i]-wZp))}: {@link #prepareForward}, then
     * {@link #accumulators} of every row, requantized in row order. {@code xc} and {@code acc} are
     * caller scratch of {@code in} and {@code out} ints.
     */
    public static void forward(byte[] x, int xZp, byte[] w, int wZp, int[] biasQ, byte[] y, int in, int out, int[] xc, int[] acc, Requantizer rq) {
        int sumX = prepareForward(x, xZp, in, xc);
        accumulators(xc, sumX, w, wZp, biasQ, acc, in, 0, out);
        rq.applyRows(acc, 0, out, 1, out, y, 0);
    }

    /** {@code xc[i] = (x[i] & 0xFF) - xZp}, made once and not once per row; returns their sum. */
    public static int prepareForward(byte[] x, int xZp, int in, int[] xc) {
        int sumX = 0;
        for (int i = 0; i < in; i++) {
            xc[i] = (x[i] & 0xFF) - xZp;
            sumX += xc[i];
        }
        return sumX;
    }

    /**
     * The int32 accumulators of the rows [from, to): {@code acc[o] = biasQ[o] + sum_i xc[i] * w[o][i] - wZp * sumX}
     * (int32 arithmetic is exact modulo 2^32, so it is the zero-point-corrected sum, without a
     * zero-point-free copy of the weights); parts of one layer may run side by side.
     */
    public static void accumulators(int[] xc, int sumX, byte[] w, int wZp, int[] biasQ, int[] acc, int in, int from, int to) {
        for (int o = from; o < to; o++) acc[o] = biasQ[o] + Rows.dotCodes(xc, w, o * in, in) - wZp * sumX;
    }

    /**
     * int32 input errors {@code dxAcc[i] = sum over selected o of (dy[o]-dyZp)(w[o][i]-wZp)}, taken
     * as {@code sum_o e_o * w[o][i] - wZp * sum_o e_o} (the same int, as in {@link #forward}); the caller requantizes.
     */
    public static void backwardError(byte[] dy, int dyZp, byte[] w, int wZp, int[] dxAcc, int in, int[] sel, int nSel) {
        java.util.Arrays.fill(dxAcc, 0, in, 0);
        int sumE = 0;
        for (int k = 0; k < nSel; k++) {
            int o = sel[k], e = (dy[o] & 0xFF) - dyZp;
            sumE += e;
            Rows.mulAddCodes(dxAcc, e, w, o * in, in);
        }
        int shift = wZp * sumE;
        for (int i = 0; i < in; i++) dxAcc[i] -= shift;
    }

    /**
     * {@code gw[o][i] += (float(e) * gradScale) * float(x[i]-xZp)} with {@code e = dy[o]-dyZp} and
     * {@code gradScale = sX * sE}; {@code gb[o] += float(e) * sE}. {@code xf} is caller scratch of
     * {@code in} floats for {@code float(x[i]-xZp)} (exact conversions, made once):
     * {@link #prepareWeightGrad}, then {@link #weightGradRows} of the whole selection.
     */
    public static void backwardWeight(byte[] x, int xZp, byte[] dy, int dyZp, float sE, float gradScale,
                                      float[] gw, float[] gb, int in, int[] sel, int nSel, float[] xf) {
        prepareWeightGrad(x, xZp, in, xf);
        weightGradRows(dy, dyZp, sE, gradScale, gw, gb, in, sel, 0, nSel, xf);
    }

    /** {@code xf[i] = float(x[i]-xZp)}, which {@link #weightGradRows} reads. */
    public static void prepareWeightGrad(byte[] x, int xZp, int in, float[] xf) {
        for (int i = 0; i < in; i++) xf[i] = (float) ((x[i] & 0xFF) - xZp);
    }

    /**
     * {@link #weightGradRows}' factors of the rows {@code sel[0, n)}: row o's weight gradient is
     * {@code a[o] * xf}, its bias gradient {@code ab[o]}, with {@code e = (dy[o] & 0xFF) - dyZp}.
     */
    public static void rowFactors(byte[] dy, int dyZp, float sE, float gradScale, float[] a, float[] ab, int[] sel, int n) {
        for (int k = 0; k < n; k++) {
            int o = sel[k];
            float e = error(dy, dyZp, o);
            a[o] = e * gradScale;
            ab[o] = e * sE;
        }
    }

    /** The weight gradients of the rows {@code sel[from, to)} from the prepared xf; parts of one selection may run side by side. */
    public static void weightGradRows(byte[] dy, int dyZp, float sE, float gradScale, float[] gw, float[] gb, int in, int[] sel, int from, int to,
                                      float[] xf) {
        for (int k = from; k < to; k++) {
            int o = sel[k];
            int row = o * in;
            float e = error(dy, dyZp, o);
            gb[o] += e * sE;
            Rows.addScaled(gw, row, e * gradScale, xf, in);
        }
    }

    /** Output o's error without its zero point, as the float both gradient forms multiply. */
    private static float error(byte[] dy, int dyZp, int o) {
        return (float) ((dy[o] & 0xFF) - dyZp);
    }
}
