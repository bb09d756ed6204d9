package fqt.nn;

import fqt.kernels.ReluF32;
import fqt.kernels.ReluU8;

/** max(x, 0). After a Linear or Conv2d in a quantized model the clamp is fused into that layer's requantization. */
public final class ReLU extends PassThroughLayer {
    @Override public String kind() { return "ReLU"; }
    @Override protected int[] outputShape(int[] in) { return in.clone(); }
    @Override Layer copy() { return new ReLU(); }
    private int n() { return size(inShape); }

    @Override void forwardF32(float[] x, float[] y) { ReluF32.forward(x, y, n()); }
    @Override void forwardU8(byte[] x, int xZp, byte[] y) { ReluU8.forward(x, xZp, y, n()); }
    @Override void backwardF32(float[] x, float[] dy, float[] dx) { ReluF32.backward(x, dy, dx, n()); }
    @Override void backwardU8F32(byte[] x, int xZp, float[] dy, float[] dx) { ReluU8.backwardF32(x, xZp, dy, dx, n()); }
    @Override void backwardU8(byte[] x, int xZp, byte[] dy, int eZp, byte[] dx) { ReluU8.backward(x, xZp, dy, eZp, dx, n()); }
}
