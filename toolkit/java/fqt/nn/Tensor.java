package fqt.nn;

import fqt.quant.QuantParams;
import java.util.Arrays;

/**
 * One sample's features or errors between two layers: float32 values in {@link #f}, or uint8
 * codes in {@link #q} with their {@link #params}. Exactly one of the two arrays is non-null.
 */
public final class Tensor {
    public final int[] shape;
    public final int size;
    public final float[] f;
    public final byte[] q;
    public QuantParams params;

    private Tensor(int[] shape, boolean quantized) {
        this.shape = shape.clone();
        this.size = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        this.f = quantized ? null : new float[size];
        this.q = quantized ? new byte[size] : null;
    }

    public static Tensor float32(int[] shape) { return new Tensor(shape, false); }
    public static Tensor uint8(int[] shape) { return new Tensor(shape, true); }
    public boolean quantized() { return q != null; }

    /** Real value of element i, whatever the storage. */
    public float real(int i) {
        return q != null ? params.dequantize(q[i] & 0xFF) : f[i];
    }

    public float[] toFloat() {
        float[] out = new float[size];
        for (int i = 0; i < size; i++) out[i] = real(i);
        return out;
    }

    @Override
    public String toString() {
        return (quantized() ? "uint8" : "float32") + Arrays.toString(shape) + (params != null ? " " + params : "");
    }
}
