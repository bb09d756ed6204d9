package fqt.nn;

import fqt.kernels.Conv2dF32;
import fqt.kernels.Conv2dU8;
import fqt.kernels.Conv2dU8F32;
import fqt.kernels.ConvGeometry;
import fqt.parallel.Parts;
import fqt.quant.QuantParams;
import fqt.quant.Requantizer;
import fqt.quant.Xorshift32;

/**
 * 2-D convolution with square stride and padding; {@code groups == in == out} makes it depthwise
 * ({@link #depthwise}). Structures are its output channels (filters).
 */
public final class Conv2d extends WeightLayer {
    final int inChannels, outChannels, kH, kW, stride, pad, groups;
    ConvGeometry g;
    private long macsPerStructure;
    /** Host working memory of the uint8 kernels (see Conv2dU8.Scratch). */
    private Conv2dU8.Scratch scratch;
    /** Each part's working memory in a loop over structures: output planes, requantizers and weight-gradient memory (host working memory). */
    private int[][] partWide = new int[0][];
    private Conv2dU8.GradientPart[] gradientParts = new Conv2dU8.GradientPart[0];
    private Requantizer[] partRq = new Requantizer[0];

    public Conv2d(int inChannels, int outChannels, int kernel, int stride, int pad) {
        this(inChannels, outChannels, kernel, kernel, stride, pad, 1);
    }

    public Conv2d(int inChannels, int outChannels, int kH, int kW, int stride, int pad, int groups) {
        super(outChannels, (inChannels / Math.max(groups, 1)) * kH * kW);
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kH = kH;
        this.kW = kW;
        this.stride = stride;
        this.pad = pad;
        this.groups = groups;
    }

    /** One filter per channel: the spatial half of a depthwise-separable block. */
    public static Conv2d depthwise(int channels, int kernel, int stride, int pad) {
        return new Conv2d(channels, channels, kernel, kernel, stride, pad, channels);
    }

    @Override public String kind() { return groups == 1 ? "Conv2d" : (groups == inChannels && groups == outChannels ? "DepthwiseConv2d" : "Conv2d"); }

    @Override
    public String describe() {
        return kind() + " " + inChannels + "->" + outChannels + " " + kH + "x" + kW + (stride != 1 ? " s" + stride : "")
                + (pad != 0 ? " p" + pad : "") + (groups != 1 && !kind().startsWith("Depthwise") ? " g" + groups : "");
    }

    public ConvGeometry geometry() { return g; }

    @Override
    protected int[] outputShape(int[] in) {
        if (in.length != 3 || in[0] != inChannels) throw shapeError("{" + inChannels + ", H, W}", in);
        try {
            g = new ConvGeometry(inChannels, in[1], in[2], outChannels, kH, kW, stride, pad, groups);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name() + ": " + e.getMessage(), e);
        }
        scratch = new Conv2dU8.Scratch(g);
        long n = 0;
        for (int ky = 0; ky < kH; ky++)
            for (int kx = 0; kx < kW; kx++)
                n += (long) validOutputs(ky, g.inH(), g.outH()) * validOutputs(kx, g.inW(), g.outW());
        macsPerStructure = n * g.inPerGroup();
        return new int[] {outChannels, g.outH(), g.outW()};
    }

    @Override Layer copy() { return copyStateTo(new Conv2d(inChannels, outChannels, kH, kW, stride, pad, groups)); }

    /** Executed MACs: padded taps are skipped, so this counts only the taps inside the input. */
    @Override public long forwardMacs() { return macsPerStructure() * outChannels; }

    /** Counted once the input shape is known: the taps inside the input, over every output position. */
    @Override long macsPerStructure() { return macsPerStructure; }

    private int validOutputs(int k, int in, int out) {
        int lo = 0;
        while (lo < out && lo * stride - pad + k < 0) lo++;
        int hi = out;
        while (hi > lo && (hi - 1) * stride - pad + k > in - 1) hi--;
        return hi - lo;
    }

    @Override
    int scratchInts(Precision p) {
        return p == Precision.UINT8 ? g.inSize() : 0; // the int32 input errors; the rest is in Conv2dU8.Scratch
    }

    @Override void forwardF32(float[] x, float[] y) { Conv2dF32.forward(x, w.real, w.bias, y, g); }

    @Override
    void forwardU8(byte[] x, int xZp, byte[] y, Requantizer rq) {
        int parts = parts(outChannels);
        if (g.stride() != 1 || parts == 1) {
            Conv2dU8.forward(x, xZp, w.q, w.params.zeroPoint(), biasQ, y, g, scratch, rq);
            return;
        }
        // Output channels in parts, each with its slice of the draws one pass would take.
        Conv2dU8.prepareForward(x, xZp, g, scratch);
        if (partWide.length < parts) {
            partWide = new int[parts][];
            partRq = new Requantizer[parts];
            for (int p = 0; p < parts; p++) {
                partWide[p] = scratch.newWide();
                partRq[p] = new Requantizer();
            }
        }
        for (int p = 0; p < parts; p++) rq.part(partRq[p]);
        Xorshift32 draws = rq.takeDraws(g.outSize());
        int plane = g.outH() * g.outW();
        Parts.run(parts, p -> {
            int from = p * outChannels / parts, to = (p + 1) * outChannels / parts;
            Xorshift32.Made m = Xorshift32.made(draws, from * plane, (to - from) * plane);
            Conv2dU8.forwardChannels(w.q, w.params.zeroPoint(), biasQ, y, g, from, to, scratch, partWide[p], partRq[p], m.d, m.at - from * plane);
        });
        for (int p = 0; p < parts; p++) rq.merge(partRq[p]);
    }

    @Override void weightGradF32(float[] x, float[] dy, float[] gw, float[] gb, int[] s, int nSel) { Conv2dF32.backwardWeight(x, dy, gw, gb, g, s, nSel); }
    @Override void errorF32(float[] dy, float[] dx, int nSel) { Conv2dF32.backwardError(dy, w.real, dx, g, sel, nSel); }

    @Override
    void weightGradU8F32(byte[] x, QuantParams xp, float[] dy, float[] gw, float[] gb, int[] s, int nSel) {
        Conv2dU8F32.backwardWeight(x, xp.zeroPoint(), xp.scale(), dy, gw, gb, g, s, nSel);
    }

    @Override
    void errorU8F32(float[] dy, float[] dx, int nSel) {
        Conv2dU8F32.backwardError(dy, w.q, w.params.zeroPoint(), w.params.scale(), dx, g, sel, nSel);
    }

    @Override
    void weightGradU8(byte[] x, QuantParams xp, byte[] dy, QuantParams ep, float[] gw, float[] gb, int[] s, int nSel) {
        Conv2dU8.prepareWeightGrad(x, xp.zeroPoint(), dy, ep.zeroPoint(), g, scratch);
        int parts = parts(nSel);
        if (gradientParts.length < parts) {
            gradientParts = new Conv2dU8.GradientPart[parts];
            for (int p = 0; p < parts; p++) gradientParts[p] = scratch.newGradientPart();
        }
        float sE = ep.scale(), gradScale = xp.scale() * ep.scale();
        Parts.run(parts, p -> Conv2dU8.weightGradRows(sE, gradScale, gw, gb, g, s, p * nSel / parts, (p + 1) * nSel / parts, scratch, gradientParts[p]));
    }

    @Override
    void errorU8(byte[] dy, int eZp, int[] dxAcc, int nSel) {
        int channels = Parts.cut(g.inC(), macsPerStructure() * nSel, MACS_PER_PART);
        if (g.stride() != 1 || channels == 1) {
            Conv2dU8.backwardError(dy, eZp, w.q, w.params.zeroPoint(), dxAcc, g, sel, nSel, scratch);
            return;
        }
        // The selected channels' taps in parts, then the input channels in parts.
        scratch.allocateErrorPlanes();
        int parts = parts(nSel);
        Parts.run(parts, p -> Conv2dU8.prepareError(dy, eZp, g, sel, p * nSel / parts, (p + 1) * nSel / parts, scratch));
        Parts.run(channels, p -> Conv2dU8.errorChannels(w.q, w.params.zeroPoint(), dxAcc, g, sel, nSel,
                p * g.inC() / channels, (p + 1) * g.inC() / channels, scratch));
    }
}
