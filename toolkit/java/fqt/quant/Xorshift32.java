package fqt.quant;

import fqt.parallel.Parts;

/**
 * Marsaglia's xorshift32 (shifts 13, 17, 5): the only random source of the training arithmetic,
 * used for stochastic rounding. Mirrored by {@code firmware/core/xorshift32.c}; both sides must draw
 * the same numbers in the same order, so every call site documents when it draws.
 *
 * <p>On the host the draws are made ahead, in blocks ({@link #take}): the serial chain costs a
 * few cycles per draw, so a block is cut into {@link #CHAINS} segments of {@link #SEGMENT} draws,
 * each started from the block's state advanced by a multiple of SEGMENT steps (xorshift is linear
 * over GF(2), so {@code step^SEGMENT} is a 32x32 bit matrix, applied as four byte-indexed tables),
 * and the segments are stepped side by side (as the lanes of one vector with the Vector API), the
 * blocks of a large take in {@link Parts} on several threads. The numbers and their order are
 * exactly the serial chain's, and {@link #state()} is always the state after the last number handed out.
 */
public final class Xorshift32 {
    /** Replaces a zero seed, which would make xorshift emit zeros forever. */
    static final int ZERO_SEED_REPLACEMENT = 0x9E3779B9;
    /** Draws per segment of a block made ahead, and segments stepped side by side. */
    static final int SEGMENT = 256;
    static final int CHAINS = 8;
    static final int BLOCK = SEGMENT * CHAINS;
    /** The jump {@code step^SEGMENT}: the image of byte b of the state is {@code JUMP[b][byte value]}. */
    private static final int[] JUMP0 = new int[256], JUMP1 = new int[256], JUMP2 = new int[256], JUMP3 = new int[256];

    static {
        int[] column = new int[32]; // step^SEGMENT of each single-bit state (linear map, so it is a column)
        for (int bit = 0; bit < 32; bit++) {
            int x = 1 << bit;
            for (int k = 0; k < SEGMENT; k++) x = step(x);
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

    private int state;
    /** Draws handed out since this generator was made or its state set ({@link #handedOut}). */
    private long handedOut;
    /** Draws made ahead: {@code ahead[head, end)} follow {@link #state} (host working memory). */
    private int[] ahead = new int[0];
    private int head, end;
    /** The start of each segment of the blocks being made, and a tile per part for {@link Lanes#blocks} (host working memory). */
    private int[] starts = new int[0];
    private int[][] tiles;

    public Xorshift32(int seed) {
        this.state = seed == 0 ? ZERO_SEED_REPLACEMENT : seed;
    }

    public Xorshift32(long seed) {
        this((int) (seed ^ (seed >>> 32)));
    }

    /** Next 32 random bits (never zero). */
    public int nextInt() {
        state = head < end ? ahead[head++] : step(state);
        handedOut++;
        return state;
    }

    /** Uniform in [0, 1): the top 24 bits times 2^-24, exact in float32. */
    public float nextUnit() {
        return unit(nextInt());
    }

    /**
     * Hands out the next {@code n} draws at once: they are {@code drawn()[at, at + n)} for the
     * returned {@code at}, valid until the next call on this generator, which state() now follows.
     */
    public int take(int n) {
        if (end - head < n) makeAhead(n);
        int at = head;
        head += n;
        handedOut += n;
        if (n > 0) state = ahead[head - 1];
        return at;
    }

    /** Draws handed out so far: the stream position, counted from this generator's making. */
    public long handedOut() { return handedOut; }

    /** Passes over the next {@code n} draws as if they were taken (those made ahead are dropped, the rest jumped over). */
    public void skip(long n) {
        long kept = end - head;
        if (n <= kept) {
            take((int) n);
            return;
        }
        int from = kept > 0 ? ahead[end - 1] : state;
        handedOut += n;
        state = advance(from, n - kept);
        head = end = 0;
    }

    /** The state {@code n} draws after {@code x}: SEGMENT-step jumps, then single steps. */
    public static int advance(int x, long n) {
        for (long k = 0; k < n / SEGMENT; k++) x = jump(x);
        for (long k = 0; k < n % SEGMENT; k++) x = step(x);
        return x;
    }

    /** The array {@link #take} indexes. */
    public int[] drawn() { return ahead; }

    /** Draws per part below which making blocks is not worth a thread. */
    private static final int DRAWS_PER_PART = 4 * BLOCK;
    /**
     * Blocks made at least whenever draws run out again: the many small takes of a training (a
     * tensor's requantization) are then served from draws made in parts on every core, instead of
     * a few blocks at a time on one. A stream's first take makes only what it needs (an evaluation
     * of one sample starts a stream of its own).
     */
    static final int AHEAD_BLOCKS = 16;

    /**
     * Keeps the draws not handed out yet at the front, then makes whole blocks after them until n
     * are ready: each block's start is the last one's jumped CHAINS times, so the blocks are made
     * in {@link Parts} side by side, in whole vectors of blocks (a block left over would be made
     * element by element, at twice the cost of the draws it holds: the spare ones wait for the next take).
     */
    private void makeAhead(int n) {
        int kept = end - head;
        int unit = RoundingLoops.VECTORS ? Lanes.BLOCKS_PER_VECTOR : 1;
        int wanted = ahead.length == 0 ? n - kept : Math.max(n - kept, AHEAD_BLOCKS * BLOCK);
        int units = (wanted + unit * BLOCK - 1) / (unit * BLOCK), blocks = units * unit;
        if (ahead.length < kept + blocks * BLOCK) {
            int[] bigger = new int[kept + blocks * BLOCK];
            System.arraycopy(ahead, head, bigger, 0, kept);
            ahead = bigger;
        } else {
            System.arraycopy(ahead, head, ahead, 0, kept);
        }
        if (starts.length < blocks * CHAINS) starts = new int[blocks * CHAINS];
        int x = kept > 0 ? ahead[kept - 1] : state;
        for (int c = 0; c < blocks * CHAINS; c++) starts[c] = x = c == 0 ? x : jump(x);
        int[] d = ahead, s = starts;
        int parts = Parts.cut(units, (long) blocks * BLOCK, DRAWS_PER_PART);
        if (RoundingLoops.VECTORS && (tiles == null || tiles.length < parts)) tiles = new int[parts][Lanes.TILE];
        int[][] t = tiles;
        Parts.run(parts, p -> {
            int b = p * units / parts * unit;
            blocks(s, b, (p + 1) * units / parts * unit - b, d, kept + b * BLOCK, t == null ? null : t[p]);
        });
        head = 0;
        end = kept + blocks * BLOCK;
    }

    /**
     * {@code count} blocks, the first one's segments starting after the states {@code s[b * CHAINS, ...)},
     * into {@code d[at, at + count * BLOCK)}; {@code tile} (or null for element by element): the
     * segments as the lanes of vectors, with {@link Lanes#TILE} ints of working memory.
     */
    static void blocks(int[] s, int b, int count, int[] d, int at, int[] tile) {
        int k = 0;
        if (tile != null) for (; k + Lanes.BLOCKS_PER_VECTOR <= count; k += Lanes.BLOCKS_PER_VECTOR) Lanes.blocks(s, (b + k) * CHAINS, d, at + k * BLOCK, tile);
        for (; k < count; k++) block(s, (b + k) * CHAINS, d, at + k * BLOCK);
    }

    /** One block element by element: the segments after the states {@code s[c, c + CHAINS)} into {@code d[at, at + BLOCK)}. */
    private static void block(int[] s, int c, int[] d, int at) {
        int x0 = s[c], x1 = s[c + 1], x2 = s[c + 2], x3 = s[c + 3], x4 = s[c + 4], x5 = s[c + 5], x6 = s[c + 6], x7 = s[c + 7];
        for (int k = at; k < at + SEGMENT; k++) {
            d[k] = x0 = step(x0);
            d[k + SEGMENT] = x1 = step(x1);
            d[k + 2 * SEGMENT] = x2 = step(x2);
            d[k + 3 * SEGMENT] = x3 = step(x3);
            d[k + 4 * SEGMENT] = x4 = step(x4);
            d[k + 5 * SEGMENT] = x5 = step(x5);
            d[k + 6 * SEGMENT] = x6 = step(x6);
            d[k + 7 * SEGMENT] = x7 = step(x7);
        }
    }

    /** The state {@link #SEGMENT} steps after {@code x}. */
    static int jump(int x) {
        return JUMP0[x & 0xFF] ^ JUMP1[(x >>> 8) & 0xFF] ^ JUMP2[(x >>> 16) & 0xFF] ^ JUMP3[x >>> 24];
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
        head = end = 0;
        handedOut = 0;
    }
}
