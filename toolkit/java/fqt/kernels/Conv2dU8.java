package fqt.kernels;

import fqt.quant.Requantizer;
import fqt.quant.Xorshift32;

/** 2-D (grouped) convolution on uint8 features, weights and errors, int32 accumulation; loop order as {@link Conv2dF32}. */
public final class Conv2dU8 {
    private Conv2dU8() {}

    /**
     * Host working memory of these kernels: zero-point-free int copies of the uint8 tensors, so the
     * inner loops are plain int multiply-adds (the C port builds int16 pairs for the DSP's dual
     * multiply-accumulate the same way), and for unit stride the zero-padded input and "wide"
     * planes (rows of the padded width) that turn each kernel tap into one long contiguous loop
     * over a shifted view of one array ({@link Rows#mulAdd9}). Integer sums are exact: none of this
     * changes a bit of the results.
     */
    public static final class Scratch {
        final int[] in, err, acc, padded, wide;
        /** Strided input errors: the centred dy of their own (the weight gradients' {@code err} may be in use on another thread). */
        final int[] errForErrors;
        /** The working memory of {@link #weightGradRows} when the selection runs as one part. */
        final GradientPart gradient;
        final int paddedW, paddedPlane, wideLength;
        /** Where an error plane's values start: the largest backward shift of a tap, {@code (kH - 1) * paddedW + kW - 1}. */
        final int errMargin;
        /**
         * Input errors: output channel o's centred errors on the padded input's rows, from
         * {@code errPlanes[o][errMargin]} on (0 elsewhere), so that tap (ky, kx) reads where its
         * errors land at the shift {@code errMargin - ky * paddedW - kx}; made by {@link #allocateErrorPlanes}.
         */
        private int[][] errPlanes;
        private final int errPlaneCount;
        /** Input errors per input channel, over the padded plane. */
        final int[][] dxPlanes;

        public Scratch(ConvGeometry g) {
            paddedW = g.inW() + 2 * g.pad();
            paddedPlane = (g.inH() + 2 * g.pad()) * paddedW;
            wideLength = (g.outH() - 1) * paddedW + g.outW();
            errMargin = (g.kH() - 1) * paddedW + g.kW() - 1;
            in = new int[g.inSize()];
            err = new int[g.outSize()];
            acc = new int[g.outH() * g.outW()];
            boolean unit = g.stride() == 1;
            errForErrors = new int[unit ? 0 : g.outSize()];
            padded = new int[unit ? g.inC() * paddedPlane : 0];
            wide = new int[unit ? wideLength : 0];
            gradient = new GradientPart(unit ? wideLength : 0);
            dxPlanes = new int[unit ? g.inC() : 0][paddedPlane];
            errPlaneCount = unit ? g.outC() : 0;
        }

        /** Makes the error planes on first use (a model that never propagates errors through this layer needs none); call it before parts run. */
        public void allocateErrorPlanes() {
            if (errPlanes == null) errPlanes = new int[errPlaneCount][errMargin + paddedPlane];
        }

        /** One more "wide" accumulator plane, for a part of {@link #forwardChannels} on another thread. */
        public int[] newWide() { return new int[wide.length]; }

        /** One more working memory of {@link #weightGradRows}, for a part on another thread. */
        public GradientPart newGradientPart() { return new GradientPart(wideLength); }
    }

    /** One part's working memory of {@link #weightGradRows}: one channel's widened errors and the nine tap sums of a 3x3 kernel. */
    public static final class GradientPart {
        final int[] errWide;
        final int[] sums = new int[9];

        GradientPart(int wideLength) { errWide = new int[wideLength]; }
    }

    /** {@code y = requant(biasQ[o] + sum (x - xZp)(w - wZp))} over the kernel taps inside the input. */
    public static void forward(byte[] x, int xZp, byte[] w, int wZp, int[] biasQ, byte[] y, ConvGeometry g, Scratch sc, Requantizer rq) {
        int outH = g.outH(), outW = g.outW(), plane = outH * outW;
        if (g.stride() == 1) {
            prepareForward(x, xZp, g, sc);
            Xorshift32.Made m = Xorshift32.made(rq.takeDraws(g.outSize()), 0, g.outSize());
            forwardChannels(w, wZp, biasQ, y, g, 0, g.outC(), sc, sc.wide, rq, m.d, m.at);
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

    /** Unit stride: the centred, zero-padded input, which {@link #forwardChannels} reads. */
    public static void prepareForward(byte[] x, int xZp, ConvGeometry g, Scratch sc) {
        pad(x, xZp, g, sc);
    }

    /**
     * Unit stride: output channels [from, to) from the prepared input, channel o requantized with
     * the draws from {@code draws[at + o * plane]} on (row-major, as one pass over the output would
     * draw them). Parts of the channels may run side by side, each with its own {@code wide}
     * ({@link Scratch#newWide}) and a {@link Requantizer#part}.
     */
    public static void forwardChannels(byte[] w, int wZp, int[] biasQ, byte[] y, ConvGeometry g, int from, int to, Scratch sc, int[] wide,
                                       Requantizer rq, int[] draws, int at) {
        int outH = g.outH(), outW = g.outW(), plane = outH * outW;
        int cin = g.inPerGroup(), kH = g.kH(), kW = g.kW(), pW = sc.paddedW, n = sc.wideLength;
        for (int o = from; o < to; o++) {
            java.util.Arrays.fill(wide, biasQ[o]);
            int c0 = g.firstInput(o);
            for (int ci = 0; ci < cin; ci++) {
                int base = (c0 + ci) * sc.paddedPlane, wi = (o * cin + ci) * kH * kW;
                if (kH == 3 && kW == 3) {
                    Rows.mulAdd9(wide, w, wi, wZp, sc.padded, base, pW, 1, n);
                    continue;
                }
                for (int ky = 0; ky < kH; ky++)
                    for (int kx = 0; kx < kW; kx++) Rows.mulAdd(wide, 0, (w[wi + ky * kW + kx] & 0xFF) - wZp, sc.padded, base + ky * pW + kx, 1, n);
            }
            rq.applyRows(wide, 0, pW, outH, outW, y, o * plane, draws, at + o * plane);
        }
    }

    /**
     * int32 input errors {@code dxAcc} from the selected output channels; the caller requantizes
     * them. Unit stride: {@link #prepareError} of the selection, then {@link #errorChannels} of every input channel.
     */
    public static void backwardError(byte[] dy, int dyZp, byte[] w, int wZp, int[] dxAcc, ConvGeometry g, int[] sel, int nSel, Scratch sc) {
        if (g.stride() == 1) {
            sc.allocateErrorPlanes();
            prepareError(dy, dyZp, g, sel, 0, nSel, sc);
            errorChannels(w, wZp, dxAcc, g, sel, nSel, 0, g.inC(), sc);
            return;
        }
        int plane = g.outH() * g.outW();
        center(dy, dyZp, sc.errForErrors, g.outSize());
        java.util.Arrays.fill(dxAcc, 0, g.inSize(), 0);
        for (int k = 0; k < nSel; k++) {
            int o = sel[k];
            g.forEachTap(o, (c, ky, kx, wi) -> g.forEachRow(c, ky, kx, (aRow, xRow, n) ->
                    Rows.scatter(dxAcc, xRow, g.stride(), (w[wi] & 0xFF) - wZp, sc.errForErrors, o * plane + aRow, n)));
        }
    }

    /**
     * Unit stride: the error planes of the output channels {@code sel[from, to)} (allocated, see
     * {@link Scratch#allocateErrorPlanes}), from their centred errors. Parts of one selection may run side by side.
     */
    public static void prepareError(byte[] dy, int dyZp, ConvGeometry g, int[] sel, int from, int to, Scratch sc) {
        int outH = g.outH(), outW = g.outW(), plane = outH * outW, pW = sc.paddedW;
        for (int k = from; k < to; k++) {
            int o = sel[k];
            int[] e = sc.errPlanes[o];
            java.util.Arrays.fill(e, 0);
            for (int oy = 0; oy < outH; oy++)
                for (int ox = 0, src = o * plane + oy * outW, dst = sc.errMargin + oy * pW; ox < outW; ox++) e[dst + ox] = (dy[src + ox] & 0xFF) - dyZp;
        }
    }

    /**
     * Unit stride: the int32 input errors of the input channels [from, to) into {@code dxAcc}, from
     * the error planes {@link #prepareError} made for the selection; parts of the channels may run side by side.
     */
    public static void errorChannels(byte[] w, int wZp, int[] dxAcc, ConvGeometry g, int[] sel, int nSel, int from, int to, Scratch sc) {
        int cin = g.inPerGroup(), kH = g.kH(), kW = g.kW(), pW = sc.paddedW, m = sc.errMargin, n = sc.paddedPlane;
        for (int c = from; c < to; c++) {
            int[] dst = sc.dxPlanes[c];
            java.util.Arrays.fill(dst, 0);
            for (int k = 0; k < nSel; k++) {
                int o = sel[k], ci = c - g.firstInput(o);
                if (ci < 0 || ci >= cin) continue; // channel c is not one of this filter's inputs (grouped)
                int wi = (o * cin + ci) * kH * kW;
                if (kH == 3 && kW == 3) {
                    Rows.mulAdd9(dst, w, wi, wZp, sc.errPlanes[o], m, -pW, -1, n);
                    continue;
                }
                for (int ky = 0; ky < kH; ky++)
                    for (int kx = 0; kx < kW; kx++) Rows.mulAdd(dst, 0, (w[wi + ky * kW + kx] & 0xFF) - wZp, sc.errPlanes[o], m - ky * pW - kx, 1, n);
            }
            for (int iy = 0; iy < g.inH(); iy++) System.arraycopy(dst, (iy + g.pad()) * pW + g.pad(), dxAcc, (c * g.inH() + iy) * g.inW(), g.inW());
        }
    }

    /**
     * {@code gw[o][c][ky][kx] += float(sum (dy-dyZp)(x-xZp)) * gradScale} with {@code gradScale = sX * sE};
     * {@code gb[o] += float(sum (dy-dyZp)) * sE}: {@link #prepareWeightGrad}, then {@link #weightGradRows} of the whole selection.
     */
    public static void backwardWeight(byte[] x, int xZp, byte[] dy, int dyZp, float sE, float gradScale,
                                      float[] gw, float[] gb, ConvGeometry g, int[] sel, int nSel, Scratch sc) {
        prepareWeightGrad(x, xZp, dy, dyZp, g, sc);
        weightGradRows(sE, gradScale, gw, gb, g, sel, 0, nSel, sc, sc.gradient);
    }

    /** The centred (and padded) x and dy that {@link #weightGradRows} reads. */
    public static void prepareWeightGrad(byte[] x, int xZp, byte[] dy, int dyZp, ConvGeometry g, Scratch sc) {
        center(dy, dyZp, sc.err, g.outSize());
        if (g.stride() == 1) pad(x, xZp, g, sc);
        else center(x, xZp, sc.in, g.inSize());
    }

    /**
     * The weight gradients of the structures {@code sel[from, to)} from the prepared x and dy; parts
     * of one selection may run side by side, each with its own {@link Scratch#newGradientPart}.
     */
    public static void weightGradRows(float sE, float gradScale, float[] gw, float[] gb, ConvGeometry g, int[] sel, int from, int to,
                                      Scratch sc, GradientPart part) {
        int plane = g.outH() * g.outW();
        int[] errWide = part.errWide;
        for (int k = from; k < to; k++) {
            int o = sel[k];
            int sumE = 0;
            for (int i = o * plane; i < (o + 1) * plane; i++) sumE += sc.err[i];
            gb[o] += (float) sumE * sE;
            if (g.stride() == 1) {
                widen(sc.err, o * plane, g, sc, errWide);
                int cin = g.inPerGroup(), kH = g.kH(), kW = g.kW(), c0 = g.firstInput(o);
                if (kH == 3 && kW == 3) {
                    for (int ci = 0; ci < cin; ci++) {
                        Rows.gradient9(errWide, sc.padded, (c0 + ci) * sc.paddedPlane, sc.paddedW, sc.wideLength, gradScale, gw,
                                (o * cin + ci) * 9, part.sums);
                    }
                    continue;
                }
                for (int ci = 0; ci < cin; ci++)
                    for (int ky = 0; ky < kH; ky++) {
                        int xo = (c0 + ci) * sc.paddedPlane + ky * sc.paddedW, wi = ((o * cin + ci) * kH + ky) * kW;
                        for (int kx = 0; kx < kW; kx++) { // one weight each: the order of the taps does not matter
                            gw[wi + kx] += (float) Rows.dot(errWide, 0, sc.padded, xo + kx, 1, sc.wideLength) * gradScale;
                        }
                    }
                continue;
            }
            g.forEachTap(o, (c, ky, kx, wi) -> {
                int[] sum = {0};
                g.forEachRow(c, ky, kx, (aRow, xRow, n) -> sum[0] += Rows.dot(sc.err, o * plane + aRow, sc.in, xRow, g.stride(), n));
                gw[wi] += (float) sum[0] * gradScale;
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
    private static void widen(int[] err, int from, ConvGeometry g, Scratch sc, int[] errWide) {
        java.util.Arrays.fill(errWide, 0);
        for (int oy = 0; oy < g.outH(); oy++) System.arraycopy(err, from + oy * g.outW(), errWide, oy * sc.paddedW, g.outW());
    }
}
