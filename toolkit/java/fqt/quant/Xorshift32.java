package fqt.quant;

/**
 * Marsaglia's xorshift32 (shifts 13, 17, 5): the only random source of the training arithmetic,
 * used for stochastic rounding. Mirrored by {@code firmware/core/xorshift32.c}; both sides must draw
 * the same numbers in the same order, so every call site documents when it draws.
 */
public final class Xorshift32 {
    /** Replaces a zero seed, which would make xorshift emit zeros forever. */
    static final int ZERO_SEED_REPLACEMENT = 0x9E3779B9;
    private int state;

    public Xorshift32(int seed) {
        this.state = seed == 0 ? ZERO_SEED_REPLACEMENT : seed;
    }

    public Xorshift32(long seed) {
        this((int) (seed ^ (seed >>> 32)));
    }

    /** Next 32 random bits (never zero). */
    public int nextInt() {
        state = step(state);
        return state;
    }

    /** Uniform in [0, 1): the top 24 bits times 2^-24, exact in float32. */
    public float nextUnit() {
        return unit(nextInt());
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

    public void setState(int state) { this.state = state == 0 ? ZERO_SEED_REPLACEMENT : state; }
}
