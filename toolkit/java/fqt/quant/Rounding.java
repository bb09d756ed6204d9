package fqt.quant;

/**
 * How a float32 value becomes an integer when a tensor is (re)quantized. All three are specified on
 * float32 values so C reproduces them bit for bit ({@code firmware/core/rounding.c}).
 */
public enum Rounding {
    /** floor(v): the paper's choice; biased by half a step on average. */
    FLOOR,
    /** floor(v + 0.5f), ties up: one float32 add, then floor (not rint: simpler to mirror). */
    NEAREST,
    /** floor(v + u), u uniform in [0,1) from {@link Xorshift32#nextUnit()}: unbiased in expectation. Draws one number per call. */
    STOCHASTIC;

    /** Largest magnitude kept before the int conversion; callers clamp to [0, 255] anyway. */
    static final float LIMIT = 0x1.0p30f;

    public int round(float v, Xorshift32 rng) {
        return switch (this) {
            case FLOOR -> floorToInt(v);
            case NEAREST -> floorToInt(v + 0.5f);
            case STOCHASTIC -> floorToInt(v + rng.nextUnit());
        };
    }

    /** floor for float32, saturating at +-2^30 so the int conversion is defined in C too; NaN maps to 0. */
    public static int floorToInt(float v) {
        if (!(v > -LIMIT)) return v != v ? 0 : (int) -LIMIT;
        if (v > LIMIT) return (int) LIMIT;
        int i = (int) v; // truncates toward zero
        return (float) i > v ? i - 1 : i;
    }
}
