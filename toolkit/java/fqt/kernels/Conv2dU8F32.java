package fqt.kernels;

import static fqt.kernels.ConvGeometry.hi;
import static fqt.kernels.ConvGeometry.lo;

/** MIXED backward of a 2-D (grouped) convolution: uint8 weights and features, float32 errors; loop order as {@link Conv2dF32}. */
public final class Conv2dU8F32 {
    private Conv2dU8F32() {}

    /** {@code dx += (sW * float(w-wZp)) * dy}, scattered over the selected output channels. */
    public static void backwardError(float[] dy, byte[] w, int wZp, float sW, float[] dx, ConvGeometry g, int[] sel, int nSel) {
        int outH = g.outH(), outW = g.outW(), plane = outH * outW, cin = g.inPerGroup();
        int s = g.stride(), p = g.pad();
        java.util.Arrays.fill(dx, 0, g.inSize(), 0f);
        for (int k = 0; k < nSel; k++) {
            int o = sel[k], base = o * plane, c0 = g.firstInput(o);
            for (int ci = 0; ci < cin; ci++) {
                int c = c0 + ci;
                for (int ky = 0; ky < g.kH(); ky++) {
                    int oyLo = lo(ky, s, p), oyHi = hi(ky, s, p, g.inH(), outH);
                    for (int kx = 0; kx < g.kW(); kx++) {
                        int oxLo = lo(kx, s, p), oxHi = hi(kx, s, p, g.inW(), outW);
                        float wv = sW * (float) ((w[((o * cin + ci) * g.kH() + ky) * g.kW() + kx] & 0xFF) - wZp);
                        for (int oy = oyLo; oy < oyHi; oy++) {
                            int xRow = (c * g.inH() + oy * s - p + ky) * g.inW() - p + kx;
                            int yRow = base + oy * outW;
                            for (int ox = oxLo; ox < oxHi; ox++) dx[xRow + ox * s] += wv * dy[yRow + ox];
                        }
                    }
                }
            }
        }
    }

    /** {@code gw += (sum dy * float(x-xZp)) * sX}; {@code gb[o] += sum of dy[o]}. */
    public static void backwardWeight(byte[] x, int xZp, float sX, float[] dy, float[] gw, float[] gb, ConvGeometry g, int[] sel, int nSel) {
        int outH = g.outH(), outW = g.outW(), plane = outH * outW, cin = g.inPerGroup();
        int s = g.stride(), p = g.pad();
        for (int k = 0; k < nSel; k++) {
            int o = sel[k], base = o * plane, c0 = g.firstInput(o);
            float sumE = 0f;
            for (int i = base; i < base + plane; i++) sumE += dy[i];
            gb[o] += sumE;
            for (int ci = 0; ci < cin; ci++) {
                int c = c0 + ci;
                for (int ky = 0; ky < g.kH(); ky++) {
                    int oyLo = lo(ky, s, p), oyHi = hi(ky, s, p, g.inH(), outH);
                    for (int kx = 0; kx < g.kW(); kx++) {
                        int oxLo = lo(kx, s, p), oxHi = hi(kx, s, p, g.inW(), outW);
                        float acc = 0f;
                        for (int oy = oyLo; oy < oyHi; oy++) {
                            int xRow = (c * g.inH() + oy * s - p + ky) * g.inW() - p + kx;
                            int yRow = base + oy * outW;
                            for (int ox = oxLo; ox < oxHi; ox++) acc += dy[yRow + ox] * (float) ((x[xRow + ox * s] & 0xFF) - xZp);
                        }
                        gw[((o * cin + ci) * g.kH() + ky) * g.kW() + kx] += acc * sX;
                    }
                }
            }
        }
    }
}
