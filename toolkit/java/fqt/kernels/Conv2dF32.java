package fqt.kernels;

/**
 * 2-D (grouped) convolution in float32. Loop order, shared by all convolution kernels
 * ({@link ConvGeometry#forEachTap}, {@link ConvGeometry#forEachRow}): output channel, input channel,
 * kernel row, kernel column, then the output rows; each weight is read once and swept over the
 * plane. Float sums therefore run over (channel, ky, kx), the bias last.
 */
public final class Conv2dF32 {
    private Conv2dF32() {}

    public static void forward(float[] x, float[] w, float[] b, float[] y, ConvGeometry g) {
        int plane = g.outH() * g.outW(), s = g.stride();
        for (int o = 0; o < g.outC(); o++) {
            int base = o * plane;
            java.util.Arrays.fill(y, base, base + plane, 0f);
            g.forEachTap(o, (c, ky, kx, wi) -> g.forEachRow(c, ky, kx, (out, in, n) -> {
                float wv = w[wi];
                for (int k = 0; k < n; k++) y[base + out + k] += wv * x[in + k * s];
            }));
            float bo = b[o];
            for (int i = base; i < base + plane; i++) y[i] += bo;
        }
    }

    /** {@code dx = sum over selected o, ky, kx of w * dy} (scatter into the input plane). */
    public static void backwardError(float[] dy, float[] w, float[] dx, ConvGeometry g, int[] sel, int nSel) {
        int plane = g.outH() * g.outW(), s = g.stride();
        java.util.Arrays.fill(dx, 0, g.inSize(), 0f);
        for (int k = 0; k < nSel; k++) {
            int base = sel[k] * plane;
            g.forEachTap(sel[k], (c, ky, kx, wi) -> g.forEachRow(c, ky, kx, (out, in, n) -> {
                float wv = w[wi];
                for (int j = 0; j < n; j++) dx[in + j * s] += wv * dy[base + out + j];
            }));
        }
    }

    /** {@code gw[o][c][ky][kx] += sum over the plane of dy * x}; {@code gb[o] += sum of dy[o]}. */
    public static void backwardWeight(float[] x, float[] dy, float[] gw, float[] gb, ConvGeometry g, int[] sel, int nSel) {
        int plane = g.outH() * g.outW(), s = g.stride();
        for (int k = 0; k < nSel; k++) {
            int o = sel[k], base = o * plane;
            float sumE = 0f;
            for (int i = base; i < base + plane; i++) sumE += dy[i];
            gb[o] += sumE;
            g.forEachTap(o, (c, ky, kx, wi) -> {
                float[] acc = {0f};
                g.forEachRow(c, ky, kx, (out, in, n) -> {
                    float a = acc[0];
                    for (int j = 0; j < n; j++) a += dy[base + out + j] * x[in + j * s];
                    acc[0] = a;
                });
                gw[wi] += acc[0];
            });
        }
    }
}
