package fqt.kernels;

import fqt.quant.Requantizer;

/**
 * Fully connected layer on uint8 features, weights and errors. Products of zero-point-corrected
 * values are accumulated in int32 (exact, so the order of the sum does not matter here).
 */
public final class LinearU8 {
    private LinearU8() {}

    /**
     * {@code y[o] = requant(biasQ[o] + sum_i (x[i]-xZp)(w[o][i]-wZp))}. {@code xc} is caller scratch
     * of {@code in} ints for the zero-point-free input (made once, not once per row).
     */
    public static void forward(byte[] x, int xZp, byte[] w, int wZp, int[] biasQ, byte[] y, int in, int out, int[] xc, Requantizer rq) {
        for (int i = 0; i < in; i++) xc[i] = (x[i] & 0xFF) - xZp;
        for (int o = 0; o < out; o++) {
            int row = o * in;
            int acc = biasQ[o];
            for (int i = 0; i < in; i++) acc += xc[i] * ((w[row + i] & 0xFF) - wZp);
            y[o] = (byte) rq.apply(acc);
        }
    }

    /** int32 input errors {@code dxAcc[i] = sum over selected o of (dy[o]-dyZp)(w[o][i]-wZp)}; the caller requantizes. */
    public static void backwardError(byte[] dy, int dyZp, byte[] w, int wZp, int[] dxAcc, int in, int[] sel, int nSel) {
        java.util.Arrays.fill(dxAcc, 0, in, 0);
        for (int k = 0; k < nSel; k++) {
            int o = sel[k];
            int row = o * in;
            int e = (dy[o] & 0xFF) - dyZp;
            for (int i = 0; i < in; i++) dxAcc[i] += e * ((w[row + i] & 0xFF) - wZp);
        }
    }

    /**
     * {@code gw[o][i] += (float(e) * gradScale) * float(x[i]-xZp)} with {@code e = dy[o]-dyZp} and
     * {@code gradScale = sX * sE}; {@code gb[o] += float(e) * sE}. {@code xf} is caller scratch of
     * {@code in} floats for {@code float(x[i]-xZp)} (exact conversions, made once).
     */
    public static void backwardWeight(byte[] x, int xZp, byte[] dy, int dyZp, float sE, float gradScale,
                                      float[] gw, float[] gb, int in, int[] sel, int nSel, float[] xf) {
        for (int i = 0; i < in; i++) xf[i] = (float) ((x[i] & 0xFF) - xZp);
        for (int k = 0; k < nSel; k++) {
            int o = sel[k];
            int row = o * in;
            int e = (dy[o] & 0xFF) - dyZp;
            gb[o] += (float) e * sE;
            float d = (float) e * gradScale;
            for (int i = 0; i < in; i++) gw[row + i] += d * xf[i];
        }
    }
}
