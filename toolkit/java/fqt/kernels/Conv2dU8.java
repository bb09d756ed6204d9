package fqt.kernels;

import fqt.quant.Requantizer;

/** 2-D (grouped) convolution on uint8 features, weights and errors, int32 accumulation; loop order as {@link Conv2dF32}. */
public final class Conv2dU8 {
    private Conv2dU8() {}

    /**
     * Host working memory of these kernels: zero-point-free int copies of the uint8 tensors, so the
     * inner loops are plain int multiply-adds (the C port builds int16 pairs for the DSP's dual
     * multiply-accumulate the same way), and for unit stride the zero-padded input and "wide"
     * planes that turn each kernel tap into one long contiguous loop. Integer sums are exact: none
     * of this changes a bit of the results.
     */
    public static final class Scratch {
        final int[] in, err, acc, padded, wide, errWide;
        final int paddedW, paddedPlane, wideLength;

        public Scratch(ConvGeometry g) {
            paddedW = g.inW() + 2 * g.pad();
            paddedPlane = (g.inH() + 2 * g.pad()) * paddedW;
            wideLength = (g.outH() - 1) * paddedW + g.outW();
            in = new int[g.inSize()];
            err = new int[g.outSize()];
            acc = new int[g.outH() * g.outW()];
            boolean unit = g.stride() == 1;
            padded = new int[unit ? g.inC() * paddedPlane : 0];
            wide = new int[unit ? wideLength : 0];
            errWide = new int[unit ? wideLength : 0];
        }
    }

    /** {@code y = requant(biasQ[o] + sum (x - xZp)(w - wZp))} over the kernel taps inside the input. */
    public static void forward(byte[] x, int xZp, byte[] w, int wZp, int[] biasQ, byte[] y, ConvGeometry g, Scratch sc, Requantizer rq) {
        int outH = g.outH(), outW = g.outW(), plane = outH * outW;
        if (g.stride() == 1) {
            pad(x, xZp, g, sc);
            for (int o = 0; o < g.outC(); o++) {
                java.util.Arrays.fill(sc.wide, biasQ[o]);
                g.forEachTap(o, (c, ky, kx, wi) -> Rows.mulAdd(sc.wide, 0, (w[wi] & 0xFF) - wZp, sc.padded,
                        c * sc.paddedPlane + ky * sc.paddedW + kx, 1, sc.wideLength));
                for (int oy = 0; oy < outH; oy++)
                    for (int ox = 0; ox < outW; ox++) y[o * plane + oy * outW + ox] = (byte) rq.apply(sc.wide[oy * sc.paddedW + ox]);
            }
            return;
        }
        center(x, xZp, sc.in, g.inSize());
        for (int o = 0; o < g.outC(); o++) {
            java.util.Arrays.fill(sc.acc, 0, plane, biasQ[o]);
            g.forEachTap(o, (c, ky, kx, wi) -> g.forEachRow(c, ky, kx, (aRow, xRow, n) ->
                    Rows.mulAdd(sc.acc, aRow, (w[wi] & 0xFF) - wZp, sc.in, xRow, g.stride(), n)));
            for (int i = 0; i < plane; i++) y[o * plane + i] = (byte) rq.apply(sc.acc[i]);
        }
    }

    /** int32 input errors {@code dxAcc} (scatter) from the selected output channels; the caller requantizes them. */
    public static void backwardError(byte[] dy, int dyZp, byte[] w, int wZp, int[] dxAcc, ConvGeometry g, int[] sel, int nSel, Scratch sc) {
        int plane = g.outH() * g.outW();
        center(dy, dyZp, sc.err, g.outSize());
        if (g.stride() == 1) {
            int[] dxPadded = sc.padded; // the padded input is not needed any more in this pass
            java.util.Arrays.fill(dxPadded, 0);
            for (int k = 0; k < nSel; k++) {
                int o = sel[k];
                widen(sc.err, o * plane, g, sc);
                g.forEachTap(o, (c, ky, kx, wi) -> Rows.scatter(dxPadded, c * sc.paddedPlane + ky * sc.paddedW + kx, 1,
                        (w[wi] & 0xFF) - wZp, sc.errWide, 0, sc.wideLength));
            }
            for (int c = 0; c < g.inC(); c++)
                for (int iy = 0; iy < g.inH(); iy++)
                    System.arraycopy(dxPadded, c * sc.paddedPlane + (iy + g.pad()) * sc.paddedW + g.pad(), dxAcc, (c * g.inH() + iy) * g.inW(), g.inW());
            return;
        }
        java.util.Arrays.fill(dxAcc, 0, g.inSize(), 0);
        for (int k = 0; k < nSel; k++) {
            int o = sel[k];
            g.forEachTap(o, (c, ky, kx, wi) -> g.forEachRow(c, ky, kx, (aRow, xRow, n) ->
                    Rows.scatter(dxAcc, xRow, g.stride(), (w[wi] & 0xFF) - wZp, sc.err, o * plane + aRow, n)));
        }
    }

    /**
     * {@code gw[o][c][ky][kx] += float(sum (dy-dyZp)(x-xZp)) * gradScale} with {@code gradScale = sX * sE};
     * {@code gb[o] += float(sum (dy-dyZp)) * sE}.
     */
    public static void backwardWeight(byte[] x, int xZp, byte[] dy, int dyZp, float sE, float gradScale,
                                      float[] gw, float[] gb, ConvGeometry g, int[] sel, int nSel, Scratch sc) {
        int plane = g.outH() * g.outW();
        center(dy, dyZp, sc.err, g.outSize());
        boolean unit = g.stride() == 1;
        if (unit) pad(x, xZp, g, sc);
        else center(x, xZp, sc.in, g.inSize());
        for (int k = 0; k < nSel; k++) {
            int o = sel[k];
            int sumE = 0;
            for (int i = o * plane; i < (o + 1) * plane; i++) sumE += sc.err[i];
            gb[o] += (float) sumE * sE;
            if (unit) widen(sc.err, o * plane, g, sc);
            g.forEachTap(o, (c, ky, kx, wi) -> {
                int acc;
                if (unit) {
                    acc = Rows.dot(sc.errWide, 0, sc.padded, c * sc.paddedPlane + ky * sc.paddedW + kx, 1, sc.wideLength);
                } else {
                    int[] sum = {0};
                    g.forEachRow(c, ky, kx, (aRow, xRow, n) -> sum[0] += Rows.dot(sc.err, o * plane + aRow, sc.in, xRow, g.stride(), n));
                    acc = sum[0];
                }
                gw[wi] += (float) acc * gradScale;
            });
        }
    }

    /** {@code dst[i] = src[i] - zeroPoint} for the first n values. */
    static void center(byte[] src, int zeroPoint, int[] dst, int n) {
        for (int i = 0; i < n; i++) dst[i] = (src[i] & 0xFF) - zeroPoint;
    }

    /** The centered input inside a zero border of {@code pad}: every tap then reads a valid value. */
    private static void pad(byte[] x, int xZp, ConvGeometry g, Scratch sc) {
        java.util.Arrays.fill(sc.padded, 0);
        for (int c = 0; c < g.inC(); c++)
            for (int iy = 0; iy < g.inH(); iy++) {
                int src = (c * g.inH() + iy) * g.inW(), dst = c * sc.paddedPlane + (iy + g.pad()) * sc.paddedW + g.pad();
                for (int ix = 0; ix < g.inW(); ix++) sc.padded[dst + ix] = (x[src + ix] & 0xFF) - xZp;
            }
    }

    /** One output channel's centered errors laid out with the padded row width, zeros in between rows. */
    private static void widen(int[] err, int from, ConvGeometry g, Scratch sc) {
        java.util.Arrays.fill(sc.errWide, 0);
        for (int oy = 0; oy < g.outH(); oy++) System.arraycopy(err, from + oy * g.outW(), sc.errWide, oy * sc.paddedW, g.outW());
    }
}
