package fqt.quant;

/**
 * The per-weight loops of the int8 gradient sums and of the uint8 weight updates, written here
 * element by element (the specification the firmware's loops mirror) and run lane by lane in
 * {@link Lanes} when the Vector API is there ({@link RoundingLoops#vectorized()}): the same bits.
 */
public final class WeightLoops {
    private WeightLoops() {}

    /**
     * {@code v[i] = float((codes[i] & 0xFF) - zeroPoint) * scale + v[i]} for i in [from, from + n)
     * (a sum's real value plus one sample's gradient); returns {@code max |v[i]|}, NaN if one is NaN
     * (as Math.max makes it; max is associative and commutative, so the order does not matter).
     */
    public static float addCodes(byte[] codes, int zeroPoint, float scale, float[] v, int from, int n) {
        return addCodes(codes, zeroPoint, scale, v, from, n, RoundingLoops.VECTORS);
    }

    /** {@link #addCodes}; {@code vectors}: lane by lane as far as whole vectors go. */
    static float addCodes(byte[] codes, int zeroPoint, float scale, float[] v, int from, int n, boolean vectors) {
        int i = vectors ? n - n % Lanes.LANES : 0;
        float m = i > 0 ? Lanes.addCodes(codes, zeroPoint, scale, v, from, i) : 0f;
        for (i += from; i < from + n; i++) {
            v[i] = (float) ((codes[i] & 0xFF) - zeroPoint) * scale + v[i];
            m = Math.max(m, Math.abs(v[i]));
        }
        return m;
    }

    /**
     * {@link #addCodes} of a gradient row {@code a * x[i - from]} (a linear layer's: an output's
     * error times the input) without writing the row first: {@code v[i] = float((codes[i] & 0xFF) -
     * zeroPoint) * scale + (0f + a * x[i - from])}, the same floats as clearing v, adding the row and
     * then the codes (0f + p is p but for a negative zero); returns {@code max |v[i]|}.
     */
    public static float addCodesOfRow(byte[] codes, int zeroPoint, float scale, float a, float[] x, float[] v, int from, int n) {
        return addCodesOfRow(codes, zeroPoint, scale, a, x, v, from, n, RoundingLoops.VECTORS);
    }

    /** {@link #addCodesOfRow}; {@code vectors}: lane by lane as far as whole vectors go. */
    static float addCodesOfRow(byte[] codes, int zeroPoint, float scale, float a, float[] x, float[] v, int from, int n, boolean vectors) {
        int i = vectors ? n - n % Lanes.LANES : 0;
        float m = i > 0 ? Lanes.addCodesOfRow(codes, zeroPoint, scale, a, x, v, from, i) : 0f;
        for (; i < n; i++) {
            v[from + i] = (float) ((codes[from + i] & 0xFF) - zeroPoint) * scale + (0f + a * x[i]);
            m = Math.max(m, Math.abs(v[from + i]));
        }
        return m;
    }

    /**
     * {@code v[i] = float((codes[i] & 0xFF) - zeroPoint) * scale - v[i]} for i in [from, from + n)
     * (a weight's real value minus its delta: its new value), and their min and max into
     * {@code lo[o]}, {@code hi[o]} by comparisons: a NaN is skipped, as the firmware's comparison
     * loop skips it; neither the order of the comparisons nor the sign of a zero extreme changes
     * the parameters {@link QuantParams#fromRange} makes of them.
     */
    public static void subtractFromCodes(byte[] codes, int zeroPoint, float scale, float[] v, int from, int n, float[] lo, float[] hi, int o) {
        subtractFromCodes(codes, zeroPoint, scale, v, from, n, lo, hi, o, RoundingLoops.VECTORS);
    }

    /** {@link #subtractFromCodes}; {@code vectors}: lane by lane as far as whole vectors go. */
    static void subtractFromCodes(byte[] codes, int zeroPoint, float scale, float[] v, int from, int n, float[] lo, float[] hi, int o,
                                  boolean vectors) {
        int i = vectors ? n - n % Lanes.LANES : 0;
        float mn = Float.POSITIVE_INFINITY, mx = Float.NEGATIVE_INFINITY;
        if (i > 0) {
            Lanes.subtractFromCodes(codes, zeroPoint, scale, v, from, i, lo, hi, o);
            mn = lo[o];
            mx = hi[o];
        }
        for (i += from; i < from + n; i++) {
            float x = (float) ((codes[i] & 0xFF) - zeroPoint) * scale - v[i];
            v[i] = x;
            if (x < mn) mn = x;
            if (x > mx) mx = x;
        }
        lo[o] = mn;
        hi[o] = mx;
    }
}
