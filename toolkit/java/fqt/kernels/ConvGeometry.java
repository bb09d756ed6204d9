package fqt.kernels;

/**
 * Shapes of a 2-D convolution on one sample, NCHW without N: input [inC][inH][inW], weights
 * [outC][inC/groups][kH][kW], output [outC][outH][outW] with
 * {@code outH = (inH + 2*pad - kH) / stride + 1} (likewise outW). {@code groups == inC == outC} is a
 * depthwise convolution. Padding is implicit: padded inputs are real zeros and are simply skipped.
 */
public record ConvGeometry(int inC, int inH, int inW, int outC, int kH, int kW, int stride, int pad, int groups) {
    public ConvGeometry {
        if (inC <= 0 || inH <= 0 || inW <= 0 || outC <= 0 || kH <= 0 || kW <= 0 || stride <= 0 || pad < 0 || groups <= 0) {
            throw new IllegalArgumentException("invalid convolution " + this);
        }
        if (inC % groups != 0 || outC % groups != 0) {
            throw new IllegalArgumentException("channels " + inC + " -> " + outC + " are not divisible by groups " + groups);
        }
        if (inH + 2 * pad < kH || inW + 2 * pad < kW) {
            throw new IllegalArgumentException("kernel " + kH + "x" + kW + " is larger than the padded input " + (inH + 2 * pad) + "x" + (inW + 2 * pad));
        }
    }

    public int outH() { return (inH + 2 * pad - kH) / stride + 1; }
    public int outW() { return (inW + 2 * pad - kW) / stride + 1; }
    public int inPerGroup() { return inC / groups; }
    public int outPerGroup() { return outC / groups; }
    public int inSize() { return inC * inH * inW; }
    public int outSize() { return outC * outH() * outW(); }
    public int weightCount() { return outC * inPerGroup() * kH * kW; }
    /** Weights of one output channel (one structure for partial updates). */
    public int filterSize() { return inPerGroup() * kH * kW; }
    /** Multiply-accumulates of a full forward pass. */
    public long macs() { return (long) outSize() * filterSize(); }

    /** First input channel read by output channel {@code o}. */
    int firstInput(int o) { return (o / outPerGroup()) * inPerGroup(); }

    /** A kernel tap: input channel c, kernel row and column, and the weight's index. */
    public interface Tap { void at(int c, int ky, int kx, int weightIndex); }

    /**
     * The taps of output channel {@code o} in the order every convolution kernel uses (the
     * specification's loop order): input channel, kernel row, kernel column.
     */
    public void forEachTap(int o, Tap tap) {
        int cin = inPerGroup(), c0 = firstInput(o);
        for (int ci = 0; ci < cin; ci++)
            for (int ky = 0; ky < kH; ky++)
                for (int kx = 0; kx < kW; kx++) tap.at(c0 + ci, ky, kx, ((o * cin + ci) * kH + ky) * kW + kx);
    }

    /** An output row segment of a tap: its start in the output plane, the matching input index (step: stride), its length. */
    public interface Row { void at(int outStart, int inStart, int n); }

    /** The output rows, top to bottom, in which tap (c, ky, kx) reads inside the input (padding is skipped). */
    public void forEachRow(int c, int ky, int kx, Row row) {
        int oyLo = lo(ky, stride, pad), oyHi = hi(ky, stride, pad, inH, outH());
        int oxLo = lo(kx, stride, pad), oxHi = hi(kx, stride, pad, inW, outW());
        if (oxHi <= oxLo) return;
        for (int oy = oyLo; oy < oyHi; oy++) {
            int xRow = (c * inH + oy * stride - pad + ky) * inW - pad + kx;
            row.at(oy * outW() + oxLo, xRow + oxLo * stride, oxHi - oxLo);
        }
    }

    /** First output row whose kernel row {@code k} lands inside the input: oy*stride - pad + k >= 0. */
    static int lo(int k, int stride, int pad) {
        int num = pad - k;
        return num <= 0 ? 0 : (num + stride - 1) / stride;
    }

    /** One past the last output row whose kernel row {@code k} lands inside an input of size {@code in}. */
    static int hi(int k, int stride, int pad, int in, int out) {
        int num = in - 1 + pad - k;
        return num < 0 ? 0 : Math.min(out, num / stride + 1);
    }
}
