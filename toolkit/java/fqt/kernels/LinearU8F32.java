package fqt.kernels;

/** MIXED backward of a fully connected layer: uint8 weights and features, float32 errors and gradients. */
public final class LinearU8F32 {
    private LinearU8F32() {}

    /** {@code dx[i] = sum over selected o of (dy[o] * sW) * float(w[o][i]-wZp)}. */
    public static void backwardError(float[] dy, byte[] w, int wZp, float sW, float[] dx, int in, int[] sel, int nSel) {
        java.util.Arrays.fill(dx, 0, in, 0f);
        for (int k = 0; k < nSel; k++) {
            int o = sel[k];
            int row = o * in;
            float e = dy[o] * sW;
            for (int i = 0; i < in; i++) dx[i] += e * (float) ((w[row + i] & 0xFF) - wZp);
        }
    }

    /** {@code gw[o][i] += (dy[o] * sX) * float(x[i]-xZp)}, {@code gb[o] += dy[o]}. */
    public static void backwardWeight(byte[] x, int xZp, float sX, float[] dy, float[] gw, float[] gb, int in, int[] sel, int nSel) {
        for (int k = 0; k < nSel; k++) {
            int o = sel[k];
            int row = (o) * in;
            gb[o] += dy[o];
            float d = dy[o] * sX;
            for (int i = 0; i < in; i++) gw[row + i] += d * (float) ((x[i] & 0xFF) - xZp);
        }
    }
}
