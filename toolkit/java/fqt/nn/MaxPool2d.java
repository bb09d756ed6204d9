package fqt.nn;

import fqt.kernels.MaxPool2dF32;
import fqt.kernels.MaxPool2dU8;
import fqt.kernels.PoolGeometry;
import fqt.parallel.Parts;

/** Max pooling over kH x kW windows (no padding); the error goes to the first maximum of each window. */
public final class MaxPool2d extends PassThroughLayer {
    final int kH, kW, stride;
    PoolGeometry g;

    public MaxPool2d(int kernel) { this(kernel, kernel, kernel); }

    public MaxPool2d(int kH, int kW, int stride) {
        this.kH = kH;
        this.kW = kW;
        this.stride = stride;
    }

    @Override public String kind() { return "MaxPool2d"; }
    @Override public String describe() { return "MaxPool2d " + kH + "x" + kW + (stride != kH ? " s" + stride : ""); }
    @Override Layer copy() { return new MaxPool2d(kH, kW, stride); }

    public PoolGeometry geometry() { return g; }

    @Override
    protected int[] outputShape(int[] in) {
        if (in.length != 3 || in[1] < kH || in[2] < kW) throw shapeError("{C, H >= " + kH + ", W >= " + kW + "}", in);
        g = new PoolGeometry(in[0], in[1], in[2], kH, kW, stride);
        return new int[] {in[0], g.outH(), g.outW()};
    }

    @Override void forwardF32(float[] x, float[] y) { MaxPool2dF32.forward(x, y, g); }
    @Override void forwardU8(byte[] x, int xZp, byte[] y) {
        int parts = parts();
        Parts.run(parts, p -> MaxPool2dU8.forwardChannels(x, y, g, p * g.channels() / parts, (p + 1) * g.channels() / parts));
    }
    @Override void backwardF32(float[] x, float[] dy, float[] dx) { MaxPool2dF32.backward(x, dy, dx, g); }
    @Override void backwardU8F32(byte[] x, int xZp, float[] dy, float[] dx) { MaxPool2dU8.backwardF32(x, dy, dx, g); }
    @Override void backwardU8(byte[] x, int xZp, byte[] dy, int eZp, byte[] dx) {
        int parts = parts();
        Parts.run(parts, p -> MaxPool2dU8.backwardChannels(x, dy, eZp, dx, g, p * g.channels() / parts, (p + 1) * g.channels() / parts));
    }

    /** Inputs per part below which pooling channels is not worth a thread. */
    private static final int INPUTS_PER_PART = 1024;

    /** The parts the uint8 pooling of the channels is cut into ({@link Parts}). */
    private int parts() {
        return Parts.cut(g.channels(), g.inSize(), INPUTS_PER_PART);
    }
}
