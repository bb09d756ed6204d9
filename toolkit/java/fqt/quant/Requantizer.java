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
    /** Host working memory of {@link #applyRows}: the scaled accumulators before rounding. */
    private float[] scaled = new float[0];
    /** Host working memory of {@link #applyRows}: the accumulators' min and max so far, which {@link Lanes#scale} updates. */
    private final int[] range = new int[2];

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

    /**
     * {@link #apply} to {@code rows x cols} accumulators {@code acc[accOff + r * accStride + c]},
     * into {@code y[yOff + r * cols + c]}, in row-major order (the same values and random draws,
     * in the same order, as calling apply on each).
     */
    public void applyRows(int[] acc, int accOff, int accStride, int rows, int cols, byte[] y, int yOff) {
        Xorshift32.Made m = Xorshift32.made(takeDraws(rows * cols), 0, rows * cols);
        applyRows(acc, accOff, accStride, rows, cols, y, yOff, m.d, m.at);
    }

    /**
     * Takes n draws when the rounding is stochastic ({@link Xorshift32#take}) and returns the stream,
     * whose {@link Xorshift32#made} makes them (null when the rounding draws nothing: {@link Xorshift32#made(Xorshift32, int, int)} gives none).
     */
    public Xorshift32 takeDraws(int n) {
        return Xorshift32.taken(rounding, rng, n);
    }

    /**
     * {@link #applyRows(int[], int, int, int, int, byte[], int)} with the draws taken ahead: element
     * i (row-major) uses {@code draws[at + i]} when stochastic. Parts of one tensor run side by side
     * this way, each with a {@link #part} of this requantizer and its slice of the draws.
     */
    public void applyRows(int[] acc, int accOff, int accStride, int rows, int cols, byte[] y, int yOff, int[] draws, int at) {
        int n = rows * cols;
        if (scaled.length < n) scaled = new float[n];
        float[] f = scaled;
        float m = multiplier;
        int[] range = this.range; // the accumulators' min and max so far
        range[0] = accMin;
        range[1] = accMax;
        for (int r = 0; r < rows; r++) {
            int a = accOff + r * accStride, o = r * cols;
            int c = RoundingLoops.VECTORS && cols >= Lanes.LANES ? Lanes.scale(acc, a, cols, m, f, o, range) : 0;
            for (; c < cols; c++) {
                int v = acc[a + c];
                range[0] = Math.min(range[0], v);
                range[1] = Math.max(range[1], v);
                f[o + c] = (float) v * m;
            }
        }
        accMin = range[0];
        accMax = range[1];
        RoundingLoops.round(f, 0, n, y, yOff, zeroPoint, lo, rounding, draws, at);
    }

    /** {@code into} set up as this requantizer, with its own accumulator range and working memory: one part of a tensor. */
    public Requantizer part(Requantizer into) {
        into.multiplier = multiplier;
        into.zeroPoint = zeroPoint;
        into.lo = lo;
        into.rounding = rounding;
        into.rng = rng;
        into.accMin = Integer.MAX_VALUE;
        into.accMax = Integer.MIN_VALUE;
        return into;
    }

    /** Adds a part's accumulator range to this one's. */
    public void merge(Requantizer part) {
        accMin = Math.min(accMin, part.accMin);
        accMax = Math.max(accMax, part.accMax);
    }

    public int accMin() { return accMin; }
    public int accMax() { return accMax; }
}
