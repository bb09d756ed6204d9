package fqt.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fqt.quant.QuantParams;
import fqt.quant.Requantizer;
import fqt.quant.Rounding;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The uint8 convolution kernels against a reference in plain double arithmetic on the real values
 * the codes stand for ({@code real = scale * (q - zeroPoint)}). The scales are powers of two, so
 * everything the kernels compute in float32 is exact and the forward pass must give the
 * reference's code for every output; the backward passes are also compared with the convolution of
 * the unquantized values, within the error that rounding the operands to their grids allows.
 */
class Conv2dU8Test {
    static final QuantParams X = new QuantParams(0x1p-5f, 20), W = new QuantParams(0x1p-8f, 131), E = new QuantParams(0x1p-7f, 120);
    static final int Y_ZP = 128;

    /** Both code paths (unit stride's padded planes, the general one), kernel widths 3 and others, groups. */
    static Stream<Arguments> geometries() {
        return Stream.of(
                Arguments.of("stride1_pad1", new ConvGeometry(3, 6, 6, 4, 3, 3, 1, 1, 1)),
                Arguments.of("stride2_pad1", new ConvGeometry(2, 7, 5, 3, 3, 3, 2, 1, 1)),
                Arguments.of("nonsquare_nopad", new ConvGeometry(2, 5, 6, 2, 3, 2, 1, 0, 1)),
                Arguments.of("depthwise_stride2", new ConvGeometry(4, 6, 6, 4, 3, 3, 2, 1, 4)),
                Arguments.of("grouped", new ConvGeometry(4, 5, 5, 6, 3, 3, 1, 1, 2)),
                Arguments.of("k5_stride3_pad2", new ConvGeometry(2, 9, 8, 2, 5, 5, 3, 2, 1)),
                Arguments.of("k1_stride1_pad2", new ConvGeometry(3, 4, 5, 2, 1, 1, 1, 2, 1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("geometries")
    void forwardGivesTheReferencesCodes(String name, ConvGeometry g) {
        int outC = g.outC();
        Operands q = Operands.random(g, name.hashCode());
        float accScale = X.scale() * W.scale();
        int[] biasQ = new int[outC];
        double[] bias = new double[outC];
        for (int o = 0; o < outC; o++) {
            biasQ[o] = Requantizer.quantizeBias((o - outC / 2f) * 0.3f, accScale);
            bias[o] = (double) accScale * biasQ[o];
        }
        double[] y = Reference.of(g, q.xq, q.wq, bias, new double[g.outSize()], new boolean[outC]).y;
        float sY = outputScale(y);

        var scratch = new Conv2dU8.Scratch(g);
        for (Rounding rounding : new Rounding[] {Rounding.NEAREST, Rounding.FLOOR}) {
            for (boolean relu : new boolean[] {false, true}) {
                byte[] got = new byte[g.outSize()];
                Requantizer rq = new Requantizer().reset(Requantizer.multiplier(X.scale(), W.scale(), sY), Y_ZP, relu, rounding, null);
                Conv2dU8.forward(q.x, X.zeroPoint(), q.w, W.zeroPoint(), biasQ, got, g, scratch, rq);
                int lo = relu ? Y_ZP : 0, unclamped = 0;
                byte[] expected = new byte[y.length];
                for (int i = 0; i < y.length; i++) {
                    long code = (long) Math.floor(y[i] / sY + (rounding == Rounding.NEAREST ? 0.5 : 0)) + Y_ZP;
                    if (code > lo && code < 255) unclamped++;
                    expected[i] = (byte) Math.max(lo, Math.min(255, code));
                }
                assertArrayEquals(expected, got, rounding + (relu ? " with the ReLU clamp" : ""));
                if (!relu) assertTrue(unclamped >= 0.8 * y.length, unclamped + " of " + y.length + " outputs inside the range");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("geometries")
    void backwardMatchesTheFloatConvolutionOfTheSelectedChannels(String name, ConvGeometry g) {
        int outC = g.outC();
        Operands q = Operands.random(g, name.hashCode());
        // Every other output channel, last first: the kernels must use sel's values, not 0..nSel-1.
        int[] sel = new int[(outC + 1) / 2];
        boolean[] selected = new boolean[outC];
        for (int k = 0; k < sel.length; k++) selected[sel[k] = outC - 1 - 2 * k] = true;

        var scratch = new Conv2dU8.Scratch(g);
        int[] dxAcc = new int[g.inSize()];
        Conv2dU8.backwardError(q.e, E.zeroPoint(), q.w, W.zeroPoint(), dxAcc, g, sel, sel.length, scratch);
        float[] gw = new float[g.weightCount()], gb = new float[outC];
        Arrays.fill(gw, 0.25f); // the kernel accumulates: these stay on unselected channels
        Arrays.fill(gb, -0.5f);
        Conv2dU8.backwardWeight(q.x, X.zeroPoint(), q.e, E.zeroPoint(), E.scale(), X.scale() * E.scale(), gw, gb, g, sel, sel.length, scratch);
        double[] dx = new double[dxAcc.length];
        for (int i = 0; i < dx.length; i++) dx[i] = (double) E.scale() * W.scale() * dxAcc[i];
        double[] dw = new double[gw.length], db = new double[outC];
        for (int i = 0; i < dw.length; i++) dw[i] = gw[i] - 0.25;
        for (int o = 0; o < outC; o++) db[o] = gb[o] + 0.5;

        // The real values the codes stand for: exact (up to float32 rounding of the gradients' accumulation).
        Reference dequantized = Reference.of(g, q.xq, q.wq, new double[outC], q.eq, selected);
        assertArrayEquals(dequantized.dx, dx, 0, "input errors");
        assertArrayEquals(dequantized.gw, dw, 1e-5, "weight gradient");
        assertArrayEquals(dequantized.gb, db, 1e-5, "bias gradient");

        // The unquantized values: each operand is off by at most half its step.
        Reference real = Reference.of(g, q.xReal, q.wReal, new double[outC], q.eReal, selected);
        assertWithin(real.dx, real.dxBound, dx, "input errors");
        assertWithin(real.gw, real.gwBound, dw, "weight gradient");
        assertWithin(real.gb, real.gbBound, db, "bias gradient");
    }

    /** |got - expected| within the bound everywhere, and the bound tight enough to mean something. */
    private static void assertWithin(double[] expected, double[] bound, double[] got, String what) {
        double boundSum = 0, squares = 0;
        for (int i = 0; i < got.length; i++) {
            assertTrue(Math.abs(got[i] - expected[i]) <= bound[i] + 1e-9, what + " [" + i + "]: " + got[i] + " vs " + expected[i] + " +- " + bound[i]);
            boundSum += bound[i];
            squares += expected[i] * expected[i];
        }
        double rms = Math.sqrt(squares / got.length);
        assertTrue(boundSum / got.length < 0.15 * rms, what + ": mean bound " + boundSum / got.length + " against rms " + rms);
    }

    /** The power of two that puts at least 90 % of the real outputs inside the codes around {@link #Y_ZP}. */
    private static float outputScale(double[] y) {
        double[] mag = Arrays.stream(y).map(Math::abs).sorted().toArray();
        double p90 = mag[(int) (0.9 * (mag.length - 1))];
        return (float) Math.pow(2, Math.ceil(Math.log(p90 / 127) / Math.log(2)));
    }

    /** Random real inputs, weights and output errors inside their ranges, their nearest codes and the codes' real values. */
    private record Operands(double[] xReal, double[] wReal, double[] eReal, byte[] x, byte[] w, byte[] e, double[] xq, double[] wq, double[] eq) {
        static Operands random(ConvGeometry g, long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            double[] xReal = uniform(r, g.inSize(), X), wReal = uniform(r, g.weightCount(), W), eReal = uniform(r, g.outSize(), E);
            byte[] x = codes(xReal, X), w = codes(wReal, W), e = codes(eReal, E);
            return new Operands(xReal, wReal, eReal, x, w, e, reals(x, X), reals(w, W), reals(e, E));
        }

        private static double[] uniform(SplittableRandom r, int n, QuantParams p) {
            return r.doubles(n, p.min(), p.max()).map(v -> (float) v).toArray(); // float32 values, as the kernels' inputs are
        }

        private static byte[] codes(double[] v, QuantParams p) {
            byte[] q = new byte[v.length];
            for (int i = 0; i < v.length; i++) q[i] = (byte) p.quantize((float) v[i], Rounding.NEAREST, null);
            return q;
        }

        private static double[] reals(byte[] q, QuantParams p) {
            double[] v = new double[q.length];
            for (int i = 0; i < q.length; i++) v[i] = (double) p.scale() * ((q[i] & 0xFF) - p.zeroPoint());
            return v;
        }
    }

    /**
     * The textbook convolution of one sample in double: output y (with bias), and for the selected
     * output channels the input errors dx, weight gradient gw and bias gradient gb of output errors
     * e, each with the bound of its error when x, w and e are each off by up to half a step of
     * {@link #X}, {@link #W}, {@link #E}.
     */
    private record Reference(double[] y, double[] dx, double[] gw, double[] gb, double[] dxBound, double[] gwBound, double[] gbBound) {
        static Reference of(ConvGeometry g, double[] x, double[] w, double[] bias, double[] e, boolean[] selected) {
            double hx = X.scale() / 2.0, hw = W.scale() / 2.0, he = E.scale() / 2.0;
            int oh = g.outH(), ow = g.outW(), cin = g.inPerGroup();
            Reference f = new Reference(new double[g.outSize()], new double[g.inSize()], new double[g.weightCount()], new double[g.outC()],
                    new double[g.inSize()], new double[g.weightCount()], new double[g.outC()]);
            for (int o = 0; o < g.outC(); o++)
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++) {
                        int yi = (o * oh + oy) * ow + ox;
                        f.y[yi] = bias[o];
                        if (selected[o]) {
                            f.gb[o] += e[yi];
                            f.gbBound[o] += he;
                        }
                        for (int ci = 0; ci < cin; ci++)
                            for (int ky = 0; ky < g.kH(); ky++)
                                for (int kx = 0; kx < g.kW(); kx++) {
                                    int iy = oy * g.stride() - g.pad() + ky, ix = ox * g.stride() - g.pad() + kx;
                                    if (iy < 0 || iy >= g.inH() || ix < 0 || ix >= g.inW()) continue; // padding: real zeros
                                    int c = (o / g.outPerGroup()) * cin + ci;
                                    int xi = (c * g.inH() + iy) * g.inW() + ix, wi = ((o * cin + ci) * g.kH() + ky) * g.kW() + kx;
                                    f.y[yi] += x[xi] * w[wi];
                                    if (!selected[o]) continue;
                                    f.dx[xi] += e[yi] * w[wi];
                                    f.gw[wi] += e[yi] * x[xi];
                                    f.dxBound[xi] += Math.abs(e[yi]) * hw + Math.abs(w[wi]) * he + he * hw;
                                    f.gwBound[wi] += Math.abs(e[yi]) * hx + Math.abs(x[xi]) * he + he * hx;
                                }
                    }
            return f;
        }
    }
}
