package fqt.quant;

/**
 * exp and log in plain float32 steps (no libm), so the loss and softmax are bit-identical on the
 * host and on the device ({@code firmware/core/float_math.c}). Accuracy: a few ulp, ample for a loss.
 * Each expression is written in the order C evaluates it; with no fused multiply-add on either side.
 */
public final class FloatMath {
    private FloatMath() {}

    private static final float LOG2E = 1.44269504f;
    private static final float LN2_HI = 0.693145752f; // ln 2 split so n * LN2_HI is exact for |n| < 2^11
    private static final float LN2_LO = 1.42860677e-6f;
    private static final float LN2 = 0.693147181f;

    /** e^x for x in float32; inputs are clamped to [-87, 88] (results stay normal floats). */
    public static float exp(float x) {
        if (x != x) return x;
        if (x < -87f) x = -87f;
        if (x > 88f) x = 88f;
        int n = Rounding.floorToInt(x * LOG2E + 0.5f);
        float fn = (float) n;
        float r = (x - fn * LN2_HI) - fn * LN2_LO; // |r| <= ln2/2
        float p = 1f / 720f;
        p = 1f / 120f + r * p;
        p = 1f / 24f + r * p;
        p = 1f / 6f + r * p;
        p = 0.5f + r * p;
        p = 1f + r * p;
        p = 1f + r * p;
        return p * Float.intBitsToFloat((n + 127) << 23);
    }

    /** Natural log for x > 0 (normal floats); returns -88.7 for zero or subnormal inputs, NaN for negatives. */
    public static float log(float x) {
        if (!(x >= 0f)) return Float.NaN;
        if (x < Float.MIN_NORMAL) return -88.72284f;
        if (x == Float.POSITIVE_INFINITY) return x;
        int bits = Float.floatToRawIntBits(x);
        int e = ((bits >>> 23) & 0xFF) - 127;
        float m = Float.intBitsToFloat((bits & 0x007FFFFF) | 0x3F800000); // in [1, 2)
        if (m > 1.41421356f) { // keep m in [sqrt(1/2), sqrt(2)) for a fast-converging series
            m = m * 0.5f;
            e = e + 1;
        }
        float f = m - 1f;
        float s = f / (2f + f);
        float s2 = s * s;
        float p = 1f / 9f;
        p = 1f / 7f + s2 * p;
        p = 1f / 5f + s2 * p;
        p = 1f / 3f + s2 * p;
        p = 1f + s2 * p;
        return (float) e * LN2 + 2f * s * p;
    }
}
