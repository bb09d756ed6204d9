package fqt.kernels;

import fqt.quant.QuantParams;
import fqt.quant.Rounding;
import fqt.quant.Xorshift32;

/**
 * The sum of two uint8 tensors, requantized to the output's parameters: with {@code m1 = s1 / sy}
 * and {@code m2 = s2 / sy} in float32, each element is
 * {@code v = float(q1 - z1) * m1 + float(q2 - z2) * m2} (two products, then their sum, in float32)
 * and {@code y = clamp(round(v) + zy, lo, 255)}, rounded once with the run's rounding (index order,
 * one draw per element when stochastic); {@code lo} is {@code zy} when a ReLU follows (fused), else 0.
 * Mirrored by {@code firmware/core/add_u8.c}.
 */
public final class AddU8 {
    private AddU8() {}

    /** Returns {min v, max v}: the output's real range is that times {@code sy}. */
    public static float[] forward(byte[] x1, QuantParams p1, byte[] x2, QuantParams p2, QuantParams py, boolean relu,
                                  Rounding rounding, Xorshift32 rng, byte[] y, int n) {
        float m1 = p1.scale() / py.scale(), m2 = p2.scale() / py.scale();
        int z1 = p1.zeroPoint(), z2 = p2.zeroPoint(), zy = py.zeroPoint(), lo = relu ? zy : QuantParams.QMIN;
        float vMin = Float.POSITIVE_INFINITY, vMax = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            float a = (float) ((x1[i] & 0xFF) - z1) * m1;
            float b = (float) ((x2[i] & 0xFF) - z2) * m2;
            float v = a + b;
            if (v < vMin) vMin = v;
            if (v > vMax) vMax = v;
            int q = rounding.round(v, rng) + zy;
            y[i] = (byte) (q < lo ? lo : Math.min(q, QuantParams.QMAX));
        }
        return new float[] {vMin, vMax};
    }

    /** Float32 features: {@code y = x1 + x2}. */
    public static void forwardF32(float[] x1, float[] x2, float[] y, int n) {
        for (int i = 0; i < n; i++) y[i] = x1[i] + x2[i];
    }
}
