package fqt.kernels;

import static fqt.kernels.ConvGeometry.hi;
import static fqt.kernels.ConvGeometry.lo;

import fqt.quant.Requantizer;

/** 2-D (grouped) convolution on uint8 features, weights and errors, int32 accumulation; loop order as {@link Conv2dF32}. */
public final class Conv2dU8 {
    private Conv2dU8() {}

    /**
     * {@code acc} is caller scratch of outH*outW ints, {@code xc} of inSize ints: the input minus its
     * zero point, made once so the inner loops are plain int multiply-adds (the C port uses int16
     * pairs for the DSP's dual multiply-accumulate the same way). Integer sums are exact, so this
     * changes no bit of the result.
     */
    public static void forward(byte[] x, int xZp, byte[] w, int wZp, int[] biasQ, byte[] y, ConvGeometry g, int[] acc, int[] xc, Requantizer rq) {
        int outH = g.outH(), outW = g.outW(), plane = outH * outW, cin = g.inPerGroup();
        int s = g.stride(), p = g.pad();
        center(x, xZp, xc, g.inSize());
        for (int o = 0; o < g.outC(); o++) {
            int c0 = g.firstInput(o);
            java.util.Arrays.fill(acc, 0, plane, biasQ[o]);
            for (int ci = 0; ci < cin; ci++) {
                int c = c0 + ci;
                for (int ky = 0; ky < g.kH(); ky++) {
                    int oyLo = lo(ky, s, p), oyHi = hi(ky, s, p, g.inH(), outH);
                    for (int kx = 0; kx < g.kW(); kx++) {
                        int oxLo = lo(kx, s, p), oxHi = hi(kx, s, p, g.inW(), outW);
                        int wv = (w[((o * cin + ci) * g.kH() + ky) * g.kW() + kx] & 0xFF) - wZp;
                        for (int oy = oyLo; oy < oyHi; oy++) {
                            int xRow = (c * g.inH() + oy * s - p + ky) * g.inW() - p + kx;
                            Rows.mulAdd(acc, oy * outW + oxLo, wv, xc, xRow + oxLo * s, s, oxHi - oxLo);
                        }
                    }
                }
            }
            int base = o * plane;
            for (int i = 0; i < plane; i++) y[base + i] = (byte) rq.apply(acc[i]);
        }
    }

    /**
     * int32 input errors (scatter) for the selected output channels; the caller requantizes {@code dxAcc}.
     * {@code ec} is scratch of outSize ints for the centered errors.
     */
    public static void backwardError(byte[] dy, int dyZp, byte[] w, int wZp, int[] dxAcc, ConvGeometry g, int[] sel, int nSel, int[] ec) {
        int outH = g.outH(), outW = g.outW(), plane = outH * outW, cin = g.inPerGroup();
        int s = g.stride(), p = g.pad();
        center(dy, dyZp, ec, g.outSize());
        java.util.Arrays.fill(dxAcc, 0, g.inSize(), 0);
        for (int k = 0; k < nSel; k++) {
            int o = sel[k], base = o * plane, c0 = g.firstInput(o);
            for (int ci = 0; ci < cin; ci++) {
                int c = c0 + ci;
                for (int ky = 0; ky < g.kH(); ky++) {
                    int oyLo = lo(ky, s, p), oyHi = hi(ky, s, p, g.inH(), outH);
                    for (int kx = 0; kx < g.kW(); kx++) {
                        int oxLo = lo(kx, s, p), oxHi = hi(kx, s, p, g.inW(), outW);
                        int wv = (w[((o * cin + ci) * g.kH() + ky) * g.kW() + kx] & 0xFF) - wZp;
                        for (int oy = oyLo; oy < oyHi; oy++) {
                            int xRow = (c * g.inH() + oy * s - p + ky) * g.inW() - p + kx;
                            Rows.scatter(dxAcc, xRow + oxLo * s, s, wv, ec, base + oy * outW + oxLo, oxHi - oxLo);
                        }
                    }
                }
            }
        }
    }

    /**
     * {@code gw[o][c][ky][kx] += float(sum (dy-dyZp)(x-xZp)) * gradScale} with {@code gradScale = sX * sE};
     * {@code gb[o] += float(sum (dy-dyZp)) * sE}. {@code xc}, {@code ec}: scratch of inSize and outSize ints.
     */
    public static void backwardWeight(byte[] x, int xZp, byte[] dy, int dyZp, float sE, float gradScale,
                                      float[] gw, float[] gb, ConvGeometry g, int[] sel, int nSel, int[] xc, int[] ec) {
        int outH = g.outH(), outW = g.outW(), plane = outH * outW, cin = g.inPerGroup();
        int s = g.stride(), p = g.pad();
        center(x, xZp, xc, g.inSize());
        center(dy, dyZp, ec, g.outSize());
        for (int k = 0; k < nSel; k++) {
            int o = sel[k], base = o * plane, c0 = g.firstInput(o);
            int sumE = 0;
            for (int i = base; i < base + plane; i++) sumE += ec[i];
            gb[o] += (float) sumE * sE;
            for (int ci = 0; ci < cin; ci++) {
                int c = c0 + ci;
                for (int ky = 0; ky < g.kH(); ky++) {
                    int oyLo = lo(ky, s, p), oyHi = hi(ky, s, p, g.inH(), outH);
                    for (int kx = 0; kx < g.kW(); kx++) {
                        int oxLo = lo(kx, s, p), oxHi = hi(kx, s, p, g.inW(), outW);
                        int acc = 0;
                        for (int oy = oyLo; oy < oyHi; oy++) {
                            int xRow = (c * g.inH() + oy * s - p + ky) * g.inW() - p + kx;
                            acc += Rows.dot(ec, base + oy * outW + oxLo, xc, xRow + oxLo * s, s, oxHi - oxLo);
                        }
                        gw[((o * cin + ci) * g.kH() + ky) * g.kW() + kx] += (float) acc * gradScale;
                    }
                }
            }
        }
    }

    /** {@code dst[i] = src[i] - zeroPoint} for the first n values. */
    static void center(byte[] src, int zeroPoint, int[] dst, int n) {
        for (int i = 0; i < n; i++) dst[i] = (src[i] & 0xFF) - zeroPoint;
    }
}
