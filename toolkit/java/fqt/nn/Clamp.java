package fqt.nn;

import fqt.kernels.ClampU8;
import fqt.quant.QuantParams;
import fqt.quant.Rounding;

/**
 * {@code min(max(x, lo), hi)}: {@link #relu6()} is lo 0, hi 6 (TorchScript's {@code hardtanh}).
 * Saturated outputs pass no error. Runs in place on the device, as ReLU does: the in-place output
 * keeps the mask ({@code qlo < y < qhi} iff {@code qlo < x < qhi}).
 */
public final class Clamp extends PassThroughLayer {
    final float lo, hi;
    private int qlo, qhi;

    public Clamp(float lo, float hi) {
        if (!(lo < hi) || Float.isNaN(lo) || Float.isNaN(hi)) throw new IllegalArgumentException("Clamp needs lo < hi, got " + lo + ", " + hi);
        this.lo = lo;
        this.hi = hi;
    }

    public static Clamp relu6() { return new Clamp(0f, 6f); }

    public float lo() { return lo; }
    public float hi() { return hi; }
    @Override public String kind() { return "Clamp"; }
    @Override public String describe() { return lo == 0f && hi == 6f ? "ReLU6" : "Clamp [" + lo + ", " + hi + "]"; }
    @Override protected int[] outputShape(int[] in) { return in.clone(); }
    @Override Layer copy() { return new Clamp(lo, hi); }
    private int n() { return size(inShape); }

    @Override
    void inputParams(QuantParams p) {
        qlo = p.quantize(lo, Rounding.NEAREST, null);
        qhi = p.quantize(hi, Rounding.NEAREST, null);
    }

    @Override void forwardF32(float[] x, float[] y) { ClampU8.forwardF32(x, lo, hi, y, n()); }
    @Override void forwardU8(byte[] x, int xZp, byte[] y) { ClampU8.forward(x, qlo, qhi, y, n()); }
    @Override void backwardF32(float[] x, float[] dy, float[] dx) { ClampU8.backwardF32Real(x, lo, hi, dy, dx, n()); }
    @Override void backwardU8F32(byte[] x, int xZp, float[] dy, float[] dx) { ClampU8.backwardF32(x, qlo, qhi, dy, dx, n()); }
    @Override void backwardU8(byte[] x, int xZp, byte[] dy, int eZp, byte[] dx) { ClampU8.backward(x, qlo, qhi, dy, eZp, dx, n()); }
}
