package fqt.kernels;

/** Fully connected layer in float32: {@code y[o] = sum_i x[i] * w[o][i] + b[o]}, w row-major [out][in]. */
public final class LinearF32 {
    private LinearF32() {}

    public static void forward(float[] x, float[] w, float[] b, float[] y, int in, int out) {
        for (int o = 0; o < out; o++) {
            int row = o * in;
            float acc = 0f;
            for (int i = 0; i < in; i++) acc += x[i] * w[row + i];
            y[o] = acc + b[o];
        }
    }

    /** {@code dx[i] = sum over selected o of dy[o] * w[o][i]}. */
    public static void backwardError(float[] dy, float[] w, float[] dx, int in, int[] sel, int nSel) {
        java.util.Arrays.fill(dx, 0, in, 0f);
        for (int k = 0; k < nSel; k++) {
            int o = sel[k];
            int row = o * in;
            float e = dy[o];
            for (int i = 0; i < in; i++) dx[i] += e * w[row + i];
        }
    }

    /** {@code gw[o][i] += dy[o] * x[i]}, {@code gb[o] += dy[o]} for the selected rows. */
    public static void backwardWeight(float[] x, float[] dy, float[] gw, float[] gb, int in, int[] sel, int nSel) {
        for (int k = 0; k < nSel; k++) {
            int o = sel[k];
            int row = (o) * in;
            float e = dy[o];
            gb[o] += e;
            for (int i = 0; i < in; i++) gw[row + i] += e * x[i];
        }
    }
}
