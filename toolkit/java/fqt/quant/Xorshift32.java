package fqt.quant;

import fqt.parallel.Parts;

/**
 * Marsaglia's xorshift32 (shifts 13, 17, 5): the only random source of the training arithmetic,
 * used for stochastic rounding. Mirrored by {@code firmware/core/xorshift32.c}; both sides must draw
 * the same numbers in the same order, so every call site documents when it draws.
 *
 * <p>On the host a loop that rounds many values takes its draws at once ({@link #take}) and each of
 * its parts makes the draws it uses ({@link #made}), on its own thread, into that thread's working
 * memory, where the rounding reads them: draws made ahead in one place and read on another core
 * cost three times as much as making them (the cache lines travel), measured in training. The
 * serial chain costs a few cycles per draw, so a take is cut into segments of {@link #SEGMENT}
 * draws, each started from the take's first state advanced by a multiple of SEGMENT steps (xorshift
 * is linear over GF(2), so {@code step^SEGMENT} is a 32x32 bit matrix, applied as four byte-indexed
 * tables), and the segments are stepped side by side as the lanes of one vector with the Vector API.
 * The numbers and their order are exactly the serial chain's, and {@link #state()} is always the
 * state after the last number handed out.
 */
public final class Xorshift32 {
    /** Replaces a zero seed, which would make xorshift emit zeros forever. */
    static final int ZERO_SEED_REPLACEMENT = 0x9E3779B9;
    /** Draws per segment of a take. */
    static final int SEGMENT = 256;
    /** Steps of the short jump, which brings a take's last segment start to its end. */
    private static final int SHORT = 16;
    /** The jumps {@code step^SEGMENT} and {@code step^SHORT}: the image of byte b of the state is {@code table[b][byte value]}. */
    private static final int[][] JUMP = jumpTables(SEGMENT), SHORT_JUMP = jumpTables(SHORT);

    private static int[][] jumpTables(int steps) {
        int[] column = new int[32]; // step^steps of each single-bit state (a linear map, so it is a column)
        for (int bit = 0; bit < 32; bit++) {
            int x = 1 << bit;
            for (int k = 0; k < steps; k++) x = step(x);
            column[bit] = x;
        }
        int[][] tables = new int[4][256];
        for (int b = 0; b < 4; b++)
            for (int v = 0; v < 256; v++) {
                int image = 0;
                for (int bit = 0; bit < 8; bit++) if ((v >>> bit & 1) != 0) image ^= column[8 * b + bit];
                tables[b][v] = image;
            }
        return tables;
    }

    private int state;
    /** Draws handed out since this generator was made or its state set ({@link #handedOut}). */
    private long handedOut;
    /**
     * The last take's segment starts: the state before draw {@code c * SEGMENT} of the take, for c up
     * to its last segment, and as many more entries (their values unused) as a vector has lanes (host working memory).
     */
    private int[] starts = new int[0];
    /** Draws in the last take. */
    private int taken;

    public Xorshift32(int seed) {
        this.state = seed == 0 ? ZERO_SEED_REPLACEMENT : seed;
    }

    public Xorshift32(long seed) {
        this((int) (seed ^ (seed >>> 32)));
    }

    /** Next 32 random bits (never zero). */
    public int nextInt() {
        state = step(state);
        handedOut++;
        return state;
    }

    /** Uniform in [0, 1): the top 24 bits times 2^-24, exact in float32. */
    public float nextUnit() {
        return unit(nextInt());
    }

    /**
     * Hands out the next {@code n} draws at once, without making them: draw i of the take is made by
     * {@link #made} on the thread that uses it, until the next take on this generator. state() now
     * follows the take. Costs one table jump per {@link #SEGMENT} draws.
     */
    public void take(int n) {
        int segments = (n + SEGMENT - 1) / SEGMENT;
        int spare = RoundingLoops.VECTORS ? Lanes.SEGMENTS_PER_VECTOR : 0;
        if (starts.length < segments + spare) starts = new int[segments + spare + segments / 2];
        int x = state;
        for (int c = 0; c < segments; c++) {
            starts[c] = x;
            if (c + 1 < segments) x = jump(x, JUMP);
        }
        if (n > 0) state = advance(x, n - (segments - 1) * SEGMENT);
        taken = n;
        handedOut += n;
    }

    /** Takes n draws from {@code rng} when the rounding is stochastic, and returns it; null (no draws) otherwise. */
    public static Xorshift32 taken(Rounding rounding, Xorshift32 rng, int n) {
        if (rounding != Rounding.STOCHASTIC) return null;
        rng.take(n);
        return rng;
    }

    /** A thread's draws of a take: draw {@code from + i} of the take is {@code d[at + i]}. */
    public static final class Made {
        public int[] d;
        public int at;
    }

    /** What {@link #made(Xorshift32, int, int)} gives without a stream: no draws. */
    private static final Made NONE = new Made();
    /** Per thread, one Made per {@link Parts#depth}: a part's draws stay while a part nested in it runs on the same thread. */
    private static final ThreadLocal<Made[]> MADE = ThreadLocal.withInitial(() -> new Made[0]);

    /**
     * Makes the draws {@code [from, from + count)} of the last take on the calling thread, into its
     * working memory for the current {@link Parts#depth}: valid until this thread makes draws again
     * at that depth. Parts of one loop each make their own slice.
     */
    public Made made(int from, int count) {
        if (from < 0 || count < 0 || from + count > taken) {
            throw new IllegalArgumentException("draws [" + from + ", " + (from + count) + ") of a take of " + taken);
        }
        Made[] byDepth = MADE.get();
        int depth = Parts.depth();
        if (byDepth.length <= depth) {
            byDepth = java.util.Arrays.copyOf(byDepth, depth + 1);
            MADE.set(byDepth);
        }
        Made m = byDepth[depth];
        if (m == null) m = byDepth[depth] = new Made();
        int c0 = from / SEGMENT, c1 = (from + count + SEGMENT - 1) / SEGMENT;
        int need = (c1 - c0) * SEGMENT;
        if (m.d == null || m.d.length < need) m.d = new int[need + need / 2];
        m.at = from - c0 * SEGMENT;
        if (count == 0) return m;
        if (!RoundingLoops.VECTORS || m.at + count <= SERIAL_DRAWS) {
            int x = starts[c0];
            for (int k = 0, end = m.at + count; k < end; k++) m.d[k] = x = step(x);
        } else {
            int[] tile = Lanes.tile();
            for (int c = c0; c < c1; c += Lanes.SEGMENTS_PER_VECTOR) {
                Lanes.segments(starts, c, Math.min(Lanes.SEGMENTS_PER_VECTOR, c1 - c), m.d, (c - c0) * SEGMENT, tile);
            }
        }
        return m;
    }

    /** {@code s.made(from, count)}, or no draws when s is null (a rounding that draws nothing). */
    public static Made made(Xorshift32 s, int from, int count) {
        return s == null ? NONE : s.made(from, count);
    }

    /** Draws below which stepping the chain one by one beats a vector of segments (which steps a whole segment per lane). */
    private static final int SERIAL_DRAWS = 128;

    /** Draws handed out so far: the stream position, counted from this generator's making. */
    public long handedOut() { return handedOut; }

    /** Passes over the next {@code n} draws as if they were taken. */
    public void skip(long n) {
        handedOut += n;
        state = advance(state, n);
    }

    /** The state {@code n} draws after {@code x}: SEGMENT-step jumps, then short ones, then single steps. */
    public static int advance(int x, long n) {
        for (long k = 0; k < n / SEGMENT; k++) x = jump(x, JUMP);
        for (long k = 0; k < n % SEGMENT / SHORT; k++) x = jump(x, SHORT_JUMP);
        for (long k = 0; k < n % SHORT; k++) x = step(x);
        return x;
    }

    /** The state {@link #SEGMENT} steps after {@code x}. */
    static int jump(int x) {
        return jump(x, JUMP);
    }

    private static int jump(int x, int[][] t) {
        return t[0][x & 0xFF] ^ t[1][(x >>> 8) & 0xFF] ^ t[2][(x >>> 16) & 0xFF] ^ t[3][x >>> 24];
    }

    /** One xorshift step from a state to the next, for loops that keep the state in a local. */
    public static int step(int x) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        return x;
    }

    /** The [0, 1) float of a drawn state. */
    public static float unit(int drawn) {
        return (drawn >>> 8) * 0x1.0p-24f;
    }

    public int state() { return state; }

    public void setState(int state) {
        this.state = state == 0 ? ZERO_SEED_REPLACEMENT : state;
        taken = 0;
        handedOut = 0;
    }
}
