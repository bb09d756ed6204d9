package fqt.kernels;

/**
 * Pooling window over [channels][inH][inW], no padding: {@code outH = (inH - kH) / stride + 1}.
 * Global average pooling is the window {@code kH = inH, kW = inW}.
 */
public record PoolGeometry(int channels, int inH, int inW, int kH, int kW, int stride) {
    public PoolGeometry {
        if (channels <= 0 || kH <= 0 || kW <= 0 || stride <= 0 || kH > inH || kW > inW) {
            throw new IllegalArgumentException("invalid pooling window " + kH + "x" + kW + " stride " + stride + " on " + channels + "x" + inH + "x" + inW);
        }
    }
    public int outH() { return (inH - kH) / stride + 1; }
    public int outW() { return (inW - kW) / stride + 1; }
    public int inSize() { return channels * inH * inW; }
    public int outSize() { return channels * outH() * outW(); }
    public int window() { return kH * kW; }
    /** Every input lies in at most one window (global pooling, or a stride of at least the kernel). */
    public boolean disjoint() { return stride >= kH && stride >= kW || outH() == 1 && outW() == 1; }

    /** Index of the window's top-left input for output (c, oy, ox). */
    int origin(int c, int oy, int ox) {
        return (c * inH + oy * stride) * inW + ox * stride;
    }
}
