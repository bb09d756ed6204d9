package fqt.quant;

/**
 * Whole-array forms of {@code clamp(round(v) + zeroPoint, lo, 255)} for the host's hot loops: the
 * same values, the same random draws in the same order as calling {@link Rounding#round} element
 * by element (index order, one draw per element when stochastic), only faster.
 *
 * <p>Stochastic rounding spends most of its time waiting on the serial xorshift chain. Long runs
 * are therefore cut into blocks of {@link #LANES} segments of {@link #LANE} elements; the state
 * that starts segment j is the block's state advanced by {@code j * LANE} steps, computed with a
 * precomputed jump (xorshift is linear over GF(2), so {@code step^LANE} is a 32x32 bit matrix,
 * applied as four byte-indexed tables). The segments then step side by side, each drawing exactly
 * the numbers the serial loop would draw for its elements. The final state is the last segment's.
 */
public final class RoundingLoops {
    private RoundingLoops() {}

    /** Elements per segment, and segments stepped side by side. */
    static final int LANE = 256;
    static final int LANES = 4;
    /** The jump {@code step^LANE}: the image of byte b of the state is {@code JUMP[b][byte value]}. */
    private static final int[] JUMP0 = new int[256], JUMP1 = new int[256], JUMP2 = new int[256], JUMP3 = new int[256];

    static {
        int[] column = new int[32]; // step^LANE of each single-bit state (linear map, so it is a column)
        for (int bit = 0; bit < 32; bit++) {
            int x = 1 << bit;
            for (int k = 0; k < LANE; k++) x = Xorshift32.step(x);
            column[bit] = x;
        }
        int[][] tables = {JUMP0, JUMP1, JUMP2, JUMP3};
        for (int b = 0; b < 4; b++)
            for (int v = 0; v < 256; v++) {
                int image = 0;
                for (int bit = 0; bit < 8; bit++) if ((v >>> bit & 1) != 0) image ^= column[8 * b + bit];
                tables[b][v] = image;
            }
    }

    /** The xorshift state {@link #LANE} steps after {@code x}. */
    static int jump(int x) {
        return JUMP0[x & 0xFF] ^ JUMP1[(x >>> 8) & 0xFF] ^ JUMP2[(x >>> 16) & 0xFF] ^ JUMP3[x >>> 24];
    }

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
        int shift = qOff - from;
        switch (rounding) {
            case FLOOR -> {
                for (int i = from; i < to; i++) q[i + shift] = (byte) code(v[i], zeroPoint, lo);
            }
            case NEAREST -> {
                for (int i = from; i < to; i++) q[i + shift] = (byte) code(v[i] + 0.5f, zeroPoint, lo);
            }
            case STOCHASTIC -> rng.setState(stochastic(v, from, to, q, shift, zeroPoint, lo, rng.state()));
        }
    }

    private static int stochastic(float[] v, int from, int to, byte[] q, int shift, int zp, int lo, int state) {
        int i = from;
        int x0 = state;
        while (to - i >= LANES * LANE) {
            int x1 = jump(x0), x2 = jump(x1), x3 = jump(x2);
            int b1 = i + LANE, b2 = i + 2 * LANE, b3 = i + 3 * LANE;
            for (int k = 0; k < LANE; k++) {
                x0 = Xorshift32.step(x0);
                x1 = Xorshift32.step(x1);
                x2 = Xorshift32.step(x2);
                x3 = Xorshift32.step(x3);
                q[i + k + shift] = (byte) code(v[i + k] + Xorshift32.unit(x0), zp, lo);
                q[b1 + k + shift] = (byte) code(v[b1 + k] + Xorshift32.unit(x1), zp, lo);
                q[b2 + k + shift] = (byte) code(v[b2 + k] + Xorshift32.unit(x2), zp, lo);
                q[b3 + k + shift] = (byte) code(v[b3 + k] + Xorshift32.unit(x3), zp, lo);
            }
            x0 = x3;
            i += LANES * LANE;
        }
        for (; i < to; i++) {
            x0 = Xorshift32.step(x0);
            q[i + shift] = (byte) code(v[i] + Xorshift32.unit(x0), zp, lo);
        }
        return x0;
    }
}
