package fqt.kernels;

/** MIXED backward of a 2-D (grouped) convolution: uint8 weights and features, float32 errors; loop order as {@link Conv2dF32}. */
public final class Conv2dU8F32 {
    private Conv2dU8F32() {}

    /** {@code dx += (sW * float(w-wZp)) * dy}, scattered over the selected output channels. */
    public static void backwardError(float[] dy, byte[] w, int wZp, float sW, float[] dx, ConvGeometry g, int[] sel, int nSel) {
        int plane = g.outH() * g.outW(), s = g.stride();
        java.util.Arrays.fill(dx, 0, g.inSize(), 0f);
        for (int k = 0; k < nSel; k++) {
            int base = sel[k] * plane;
            g.forEachTap(sel[k], (c, ky, kx, wi) -> g.forEachRow(c, ky, kx, (out, in, n) -> {
                float wv = sW * (float) ((w[wi] & 0xFF) - wZp);
                for (int j = 0; j < n; j++) dx[in + j * s] += wv * dy[base + out + j];
            }));
        }
    }

    /** {@code gw += (sum dy * float(x-xZp)) * sX}; {@code gb[o] += sum of dy[o]}. */
    public static void backwardWeight(byte[] x, int xZp, float sX, float[] dy, float[] gw, float[] gb, ConvGeometry g, int[] sel, int nSel) {
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
                    for (int j = 0; j < n; j++) a += dy[base + out + j] * (float) ((x[in + j * s] & 0xFF) - xZp);
                    acc[0] = a;
                });
                gw[wi] += acc[0] * sX;
            });
        }
    }
}
