package fqt.nn;

/** {C, H, W} to {C*H*W}: a copy in the same order (buffers are per layer here; the device plan aliases them). */
public final class Flatten extends PassThroughLayer {
    @Override public String kind() { return "Flatten"; }
    @Override protected int[] outputShape(int[] in) { return new int[] {size(in)}; }
    @Override Layer copy() { return new Flatten(); }
    private int n() { return size(inShape); }

    @Override void forwardF32(float[] x, float[] y) { System.arraycopy(x, 0, y, 0, n()); }
    @Override void forwardU8(byte[] x, int xZp, byte[] y) { System.arraycopy(x, 0, y, 0, n()); }
    @Override void backwardF32(float[] x, float[] dy, float[] dx) { System.arraycopy(dy, 0, dx, 0, n()); }
    @Override void backwardU8F32(byte[] x, int xZp, float[] dy, float[] dx) { System.arraycopy(dy, 0, dx, 0, n()); }
    @Override void backwardU8(byte[] x, int xZp, byte[] dy, int eZp, byte[] dx) { System.arraycopy(dy, 0, dx, 0, n()); }
}
