package fqt.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import fqt.quant.Requantizer;
import fqt.quant.Rounding;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The uint8 convolution kernels against the textbook formulas, computed naively in long integers. */
class Conv2dU8Test {
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "stride1_pad1, 3, 6, 6, 4, 3, 3, 1, 1, 1",
            "stride2_pad1, 2, 7, 5, 3, 3, 3, 2, 1, 1",
            "nonsquare_nopad, 2, 5, 6, 2, 3, 2, 1, 0, 1",
            "depthwise_stride2, 4, 6, 6, 4, 3, 3, 2, 1, 4",
            "grouped, 4, 5, 5, 6, 3, 3, 1, 1, 2"})
    void matchesTheDefinition(String name, int inC, int inH, int inW, int outC, int kH, int kW, int stride, int pad, int groups) {
        ConvGeometry g = new ConvGeometry(inC, inH, inW, outC, kH, kW, stride, pad, groups);
        SplittableRandom r = new SplittableRandom(name.hashCode());
        byte[] x = bytes(r, g.inSize()), w = bytes(r, g.weightCount()), dy = bytes(r, g.outSize());
        int xZp = 17, wZp = 130, eZp = 99;
        int[] bias = new int[outC];
        for (int o = 0; o < outC; o++) bias[o] = r.nextInt(-5000, 5000);
        int oh = g.outH(), ow = g.outW(), cin = g.inPerGroup();

        long[] acc = new long[g.outSize()];
        long[] dx = new long[g.inSize()];
        long[] gw = new long[g.weightCount()];
        for (int o = 0; o < outC; o++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++) {
                    int yi = (o * oh + oy) * ow + ox;
                    acc[yi] = bias[o];
                    for (int ci = 0; ci < cin; ci++)
                        for (int ky = 0; ky < kH; ky++)
                            for (int kx = 0; kx < kW; kx++) {
                                int iy = oy * stride - pad + ky, ix = ox * stride - pad + kx;
                                if (iy < 0 || iy >= inH || ix < 0 || ix >= inW) continue;
                                int c = (o / (outC / groups)) * cin + ci;
                                int xi = (c * inH + iy) * inW + ix, wi = ((o * cin + ci) * kH + ky) * kW + kx;
                                long xv = (x[xi] & 0xFF) - xZp, wv = (w[wi] & 0xFF) - wZp, ev = (dy[yi] & 0xFF) - eZp;
                                acc[yi] += xv * wv;
                                dx[xi] += ev * wv;
                                gw[wi] += ev * xv;
                            }
                }

        var scratch = new Conv2dU8.Scratch(g);
        byte[] y = new byte[g.outSize()];
        Requantizer rq = new Requantizer().reset(1f, 0, false, Rounding.FLOOR, null);
        Conv2dU8.forward(x, xZp, w, wZp, bias, y, g, scratch, rq);
        byte[] expectedY = new byte[g.outSize()];
        for (int i = 0; i < y.length; i++) expectedY[i] = (byte) Math.max(0, Math.min(255, acc[i]));
        assertArrayEquals(expectedY, y, "forward (multiplier 1 makes the output the clamped accumulator)");

        int[] sel = java.util.stream.IntStream.range(0, outC).toArray();
        int[] dxAcc = new int[g.inSize()];
        Conv2dU8.backwardError(dy, eZp, w, wZp, dxAcc, g, sel, outC, scratch);
        assertArrayEquals(java.util.Arrays.stream(dx).mapToInt(v -> (int) v).toArray(), dxAcc, "backward error");

        float[] gwF = new float[g.weightCount()], gb = new float[outC];
        Conv2dU8.backwardWeight(x, xZp, dy, eZp, 1f, 1f, gwF, gb, g, sel, outC, scratch);
        float[] expectedGw = new float[gw.length];
        for (int i = 0; i < gw.length; i++) expectedGw[i] = (float) gw[i];
        assertArrayEquals(expectedGw, gwF, "backward weight");
    }

    private static byte[] bytes(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) r.nextInt(256);
        return b;
    }
}
