package fqt.quant;

/**
 * int32 accumulator to uint8: {@code q = clamp(round(float(acc) * multiplier) + zeroPoint, lo, 255)},
 * with {@code multiplier = (sIn * sW) / sOut} computed once in float32 in that order. It also
 * records the smallest and largest accumulator it saw, so the output's real range is known
 * without a float copy of the tensor. {@code lo} is the zero point when a ReLU follows (fused clamp).
 * Mirrored by {@code firmware/core/requantize.c}.
 */
public final class Requantizer {
    private float multiplier;
    private int zeroPoint;
    private int lo;
    private Rounding rounding;
    private Xorshift32 rng;
    private int accMin;
    private int accMax;

    public Requantizer reset(float multiplier, int zeroPoint, boolean reluClamp, Rounding rounding, Xorshift32 rng) {
        this.multiplier = multiplier;
        this.zeroPoint = zeroPoint;
        this.lo = reluClamp ? zeroPoint : QuantParams.QMIN;
        this.rounding = rounding;
        this.rng = rng;
        this.accMin = Integer.MAX_VALUE;
        this.accMax = Integer.MIN_VALUE;
        return this;
    }

    /** The float32 multiplier, in the one order both sides use. */
    public static float multiplier(float sIn, float sW, float sOut) {
        return (sIn * sW) / sOut;
    }

    /** A float32 bias in accumulator units ({@code accScale = sIn * sW}), rounded to nearest, ties up. */
    public static int quantizeBias(float bias, float accScale) {
        return Rounding.floorToInt(bias / accScale + 0.5f);
    }

    public int apply(int acc) {
        if (acc < accMin) accMin = acc;
        if (acc > accMax) accMax = acc;
        int q = rounding.round((float) acc * multiplier, rng) + zeroPoint;
        return q < lo ? lo : (q > QuantParams.QMAX ? QuantParams.QMAX : q);
    }

    public int accMin() { return accMin; }
    public int accMax() { return accMax; }
}
