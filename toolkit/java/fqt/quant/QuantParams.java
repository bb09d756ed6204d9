package fqt.quant;

/**
 * Affine uint8 quantization of one tensor: {@code real = scale * (q - zeroPoint)}, q in [0, 255].
 * The range always contains 0, so real zero (padding, ReLU, a skipped error) is exactly representable.
 */
public record QuantParams(float scale, int zeroPoint) {
    public static final int QMIN = 0;
    public static final int QMAX = 255;
    /** The parameters of errors fixed to [-1, 1], as on the authors' poster. */
    public static final QuantParams UNIT_RANGE = fromRange(-1f, 1f);

    public QuantParams {
        if (!(scale > 0) || !Float.isFinite(scale)) throw new IllegalArgumentException("scale must be finite and > 0, got " + scale);
        if (zeroPoint < QMIN || zeroPoint > QMAX) throw new IllegalArgumentException("zeroPoint must be in [0, 255], got " + zeroPoint);
    }

    /**
     * The method's rule: widen [min, max] to contain 0, {@code scale = (max - min) / 255},
     * {@code zeroPoint = floor(-min / scale)}. An all-zero range gets scale 1/255 (any scale represents zeros).
     */
    public static QuantParams fromRange(float min, float max) {
        if (!Float.isFinite(min) || !Float.isFinite(max)) {
            throw new ArithmeticException("non-finite range [" + min + ", " + max + "]: a NaN or Inf reached a quantized tensor");
        }
        float lo = Math.min(min, 0f);
        float hi = Math.max(max, 0f);
        float scale = (hi - lo) / 255f;
        if (!(scale >= Float.MIN_NORMAL)) return new QuantParams(1f / 255f, 0);
        int zp = clamp(Rounding.floorToInt(-lo / scale));
        return new QuantParams(scale, zp);
    }

    public int quantize(float real, Rounding rounding, Xorshift32 rng) {
        return clamp(rounding.round(real / scale, rng) + zeroPoint);
    }

    public float dequantize(int q) {
        return (float) (q - zeroPoint) * scale;
    }

    public float min() { return dequantize(QMIN); }
    public float max() { return dequantize(QMAX); }

    public static int clamp(int q) {
        return q < QMIN ? QMIN : (q > QMAX ? QMAX : q);
    }

    /** Quantizes a whole float array into {@code dst} (uint8 stored in Java's signed bytes). */
    public void quantize(float[] src, byte[] dst, Rounding rounding, Xorshift32 rng) {
        for (int i = 0; i < src.length; i++) dst[i] = (byte) quantize(src[i], rounding, rng);
    }

    public void dequantize(byte[] src, float[] dst) {
        for (int i = 0; i < src.length; i++) dst[i] = dequantize(src[i] & 0xFF);
    }
}
