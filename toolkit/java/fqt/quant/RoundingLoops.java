package fqt.quant;

/**
 * Whole-array forms of {@code clamp(round(v) + zeroPoint, lo, 255)} for the host's hot loops: the
 * same values, the same random draws in the same order as calling {@link Rounding#round} element
 * by element (index order, one draw per element when stochastic), only faster: the draws are taken
 * in one piece ({@link Xorshift32#take}) and made where they are used ({@link Xorshift32#made}), and with the JDK's Vector API module
 * ({@code --add-modules jdk.incubator.vector}, which the launcher, the tests and the notebook
 * kernel pass) the codes are computed lane by lane in {@link Lanes}. Without the module
 * the same loop runs element by element.
 */
public final class RoundingLoops {
    private RoundingLoops() {}

    /** Whether the Vector API is there (the class using it is loaded only then). */
    static final boolean VECTORS = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent() && Lanes.usable();

    /** Whether the loops run lane by lane (the Vector API module is there and the machine has vectors of 8 floats or more). */
    public static boolean vectorized() { return VECTORS; }

    /**
     * {@code clamp(floorToInt(v) + zeroPoint)} into [lo, 255], with zeroPoint and lo in [0, 255]:
     * v is first clamped to [-1024, 1024], which changes no result (beyond that range both sides
     * saturate at 0 or 255), so the int conversion needs no saturation branches; NaN still gives
     * {@code floorToInt(NaN) = 0}.
     */
    static int code(float v, int zeroPoint, int lo) {
        float c = v < -1024f ? -1024f : (v > 1024f ? 1024f : v);
        int i = (int) c; // truncates toward zero; NaN gives 0
        int q = ((float) i > c ? i - 1 : i) + zeroPoint;
        return q < lo ? lo : (q > QuantParams.QMAX ? QuantParams.QMAX : q);
    }

    /**
     * {@code q[qOff + i - from] = clamp(round(v[i]) + zeroPoint, lo, 255)} for i in [from, to), in
     * index order. Stochastic rounding draws from {@code rng} (one draw per element, in index order)
     * and leaves it where the element-wise loop would.
     */
    public static void round(float[] v, int from, int to, byte[] q, int qOff, int zeroPoint, int lo, Rounding rounding, Xorshift32 rng) {
        Xorshift32.Made m = Xorshift32.made(Xorshift32.taken(rounding, rng, to - from), 0, to - from);
        round(v, from, to, q, qOff, zeroPoint, lo, rounding, m.d, m.at);
    }

    /**
     * {@link #round(float[], int, int, byte[], int, int, int, Rounding, Xorshift32)} with the draws
     * taken ahead: element i of [from, to) uses {@code draws[at + i - from]} when stochastic. The
     * parts of one loop run on several threads this way, each with its slice of one {@link Xorshift32#take}
     * made on its thread ({@link Xorshift32#made}).
     */
    public static void round(float[] v, int from, int to, byte[] q, int qOff, int zeroPoint, int lo, Rounding rounding, int[] draws, int at) {
        round(v, from, to, 1f, q, qOff, zeroPoint, lo, rounding, draws, at);
    }

    /**
     * {@link #round(float[], int, int, byte[], int, int, int, Rounding, int[], int)} of the quotients
     * {@code v[i] / divisor} (each the float32 quotient, as if stored first; v is left as it is).
     */
    public static void round(float[] v, int from, int to, float divisor, byte[] q, int qOff, int zeroPoint, int lo, Rounding rounding,
                             int[] draws, int at) {
        int n = to - from;
        switch (rounding) {
            case FLOOR -> codes(v, from, n, divisor, 0f, null, 0, q, qOff, zeroPoint, lo, VECTORS);
            case NEAREST -> codes(v, from, n, divisor, 0.5f, null, 0, q, qOff, zeroPoint, lo, VECTORS);
            case STOCHASTIC -> codes(v, from, n, divisor, 0f, draws, at, q, qOff, zeroPoint, lo, VECTORS);
        }
    }

    /**
     * {@code q[qOff + i] = code(v[from + i] / div + u_i)} for i in [0, n), with {@code u_i} the unit
     * of draw {@code d[dAt + i]}, or {@code add} when d is null (0 floors, 0.5 rounds to nearest);
     * a divisor of 1 divides nothing (x / 1 is x); {@code vectors}: lane by lane as far as whole vectors go.
     */
    static void codes(float[] v, int from, int n, float div, float add, int[] d, int dAt, byte[] q, int qOff, int zp, int lo, boolean vectors) {
        int i = vectors ? Lanes.codes(v, from, n, div, add, d, dAt, q, qOff, zp, lo) : 0;
        for (; i < n; i++) {
            float x = div == 1f ? v[from + i] : v[from + i] / div;
            q[qOff + i] = (byte) code(d == null ? (add == 0f ? x : x + add) : x + Xorshift32.unit(d[dAt + i]), zp, lo);
        }
    }
}
