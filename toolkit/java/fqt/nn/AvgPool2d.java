package fqt.nn;

import fqt.kernels.AvgPool2dF32;
import fqt.kernels.AvgPool2dU8;
import fqt.kernels.PoolGeometry;

/** Average pooling over kH x kW windows (no padding); {@link #global()} averages each whole channel. */
public final class AvgPool2d extends PassThroughLayer {
    final int kH, kW, stride;
    final boolean global;
    PoolGeometry g;

    public AvgPool2d(int kernel) { this(kernel, kernel, kernel, false); }

    public AvgPool2d(int kH, int kW, int stride) { this(kH, kW, stride, false); }

    private AvgPool2d(int kH, int kW, int stride, boolean global) {
        this.kH = kH;
        this.kW = kW;
        this.stride = stride;
        this.global = global;
    }

    /** Global average pooling: {C, H, W} to {C, 1, 1}. */
    public static AvgPool2d global() { return new AvgPool2d(0, 0, 1, true); }

    @Override public String kind() { return global ? "GlobalAvgPool2d" : "AvgPool2d"; }
    @Override public String describe() { return global ? kind() : "AvgPool2d " + kH + "x" + kW + (stride != kH ? " s" + stride : ""); }
    @Override Layer copy() { return new AvgPool2d(kH, kW, stride, global); }

    public PoolGeometry geometry() { return g; }

    @Override
    protected int[] outputShape(int[] in) {
        if (in.length != 3 || (!global && (in[1] < kH || in[2] < kW))) throw shapeError("{C, H >= " + kH + ", W >= " + kW + "}", in);
        g = global ? new PoolGeometry(in[0], in[1], in[2], in[1], in[2], 1) : new PoolGeometry(in[0], in[1], in[2], kH, kW, stride);
        return new int[] {in[0], g.outH(), g.outW()};
    }

    @Override void forwardF32(float[] x, float[] y) { AvgPool2dF32.forward(x, y, g); }
    @Override void forwardU8(byte[] x, int xZp, byte[] y) { AvgPool2dU8.forward(x, y, g); }
    @Override void backwardF32(float[] x, float[] dy, float[] dx) { AvgPool2dF32.backward(dy, dx, g); }
    @Override void backwardU8F32(byte[] x, int xZp, float[] dy, float[] dx) { AvgPool2dF32.backward(dy, dx, g); }
    @Override void backwardU8(byte[] x, int xZp, byte[] dy, int eZp, byte[] dx) { AvgPool2dU8.backward(dy, eZp, dx, g); }

    /** Disjoint windows pass their codes on and divide the scale by the window instead (exact: AvgPool2dU8.backward). */
    @Override
    fqt.quant.QuantParams errorParams(fqt.quant.QuantParams dy) {
        return g.disjoint() ? new fqt.quant.QuantParams(dy.scale() / g.window(), dy.zeroPoint()) : dy;
    }
}
