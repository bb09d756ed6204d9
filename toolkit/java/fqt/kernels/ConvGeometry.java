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
