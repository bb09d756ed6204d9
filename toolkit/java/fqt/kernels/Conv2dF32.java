package fqt.kernels;

import static fqt.kernels.ConvGeometry.hi;
import static fqt.kernels.ConvGeometry.lo;

/**
 * 2-D (grouped) convolution in float32. Loop order, shared by all convolution kernels: output
 * channel, input channel, kernel row, kernel column, then the output plane; each weight is read
 * once and swept over the plane. Float sums therefore run over (channel, ky, kx), bias last.
 */
public final class Conv2dF32 {
    private Conv2dF32() {}

    public static void forward(float[] x, float[] w, float[] b, float[] y, ConvGeometry g) {
        int outH = g.outH(), outW = g.outW(), plane = outH * outW, cin = g.inPerGroup();
        int s = g.stride(), p = g.pad();
        for (int o = 0; o < g.outC(); o++) {
            int base = o * plane, c0 = g.firstInput(o);
            java.util.Arrays.fill(y, base, base + plane, 0f);
            for (int ci = 0; ci < cin; ci++) {
                int c = c0 + ci;
                for (int ky = 0; ky < g.kH(); ky++) {
                    int oyLo = lo(ky, s, p), oyHi = hi(ky, s, p, g.inH(), outH);
                    for (int kx = 0; kx < g.kW(); kx++) {
                        int oxLo = lo(kx, s, p), oxHi = hi(kx, s, p, g.inW(), outW);
                        float wv = w[((o * cin + ci) * g.kH() + ky) * g.kW() + kx];
                        for (int oy = oyLo; oy < oyHi; oy++) {
                            int xRow = (c * g.inH() + oy * s - p + ky) * g.inW() - p + kx;
                            int yRow = base + oy * outW;
                            for (int ox = oxLo; ox < oxHi; ox++) y[yRow + ox] += wv * x[xRow + ox * s];
                        }
                    }
                }
            }
            float bo = b[o];
            for (int i = base; i < base + plane; i++) y[i] += bo;
        }
    }

    /** {@code dx = sum over selected o, ky, kx of w * dy} (scatter into the input plane). */
    public static void backwardError(float[] dy, float[] w, float[] dx, ConvGeometry g, int[] sel, int nSel) {
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
                        float wv = w[((o * cin + ci) * g.kH() + ky) * g.kW() + kx];
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

    /** {@code gw[o][c][ky][kx] += sum over the plane of dy * x}; {@code gb[o] += sum of dy[o]}. */
    public static void backwardWeight(float[] x, float[] dy, float[] gw, float[] gb, ConvGeometry g, int[] sel, int nSel) {
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
                            for (int ox = oxLo; ox < oxHi; ox++) acc += dy[yRow + ox] * x[xRow + ox * s];
                        }
                        gw[((o * cin + ci) * g.kH() + ky) * g.kW() + kx] += acc;
                    }
                }
            }
        }
    }
}
