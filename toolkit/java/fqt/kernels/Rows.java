package fqt.kernels;

/**
 * The inner loops of the integer kernels over one row, with a unit-stride path the JIT vectorizes
 * or that runs lane by lane in {@link RowLanes} with the Vector API (the C port puts its DSP dual
 * multiply-accumulate in the same places). Integer sums are exact, so the paths agree to the bit.
 */
final class Rows {
    private Rows() {}

    /** Whether the loops below run lane by lane ({@link fqt.quant.RoundingLoops#vectorized()}). */
    static final boolean VECTORS = fqt.quant.RoundingLoops.vectorized();

    /** The first {@code n - n % lanes} elements, which the lanes do. */
    private static int whole(int n) { return VECTORS ? n - n % RowLanes.LANES : 0; }

    /** {@code acc[a + k] += w * x[xo + k*s]} for k in [0, n). */
    static void mulAdd(int[] acc, int a, int w, int[] x, int xo, int s, int n) {
        if (s == 1) {
            for (int k = 0; k < n; k++) acc[a + k] += w * x[xo + k];
        } else {
            for (int k = 0; k < n; k++) acc[a + k] += w * x[xo + k * s];
        }
    }

    /** {@code dst[xo + k*s] += w * e[eo + k]} for k in [0, n). */
    static void scatter(int[] dst, int xo, int s, int w, int[] e, int eo, int n) {
        if (s == 1) {
            for (int k = 0; k < n; k++) dst[xo + k] += w * e[eo + k];
        } else {
            for (int k = 0; k < n; k++) dst[xo + k * s] += w * e[eo + k];
        }
    }

    /** {@code sum over k in [0, n) of e[eo + k] * x[xo + k*s]}. */
    static int dot(int[] e, int eo, int[] x, int xo, int s, int n) {
        int acc = 0;
        if (s == 1) {
            int k = whole(n);
            if (k > 0) acc = RowLanes.dot(e, eo, x, xo, k);
            for (; k < n; k++) acc += e[eo + k] * x[xo + k];
        } else {
            for (int k = 0; k < n; k++) acc += e[eo + k] * x[xo + k * s];
        }
        return acc;
    }

    /**
     * {@code acc[k] += w0 * x0[k] + w1 * x1[k] + w2 * x2[k]} for k in [0, n): three taps in one pass,
     * every array read at the same index (the JIT vectorizes this; a shifted read of an int array
     * next to an int store it cannot prove distinct stops it).
     */
    static void mulAdd3(int[] acc, int w0, int[] x0, int w1, int[] x1, int w2, int[] x2, int n) {
        for (int k = 0; k < n; k++) acc[k] += w0 * x0[k] + w1 * x1[k] + w2 * x2[k];
    }

    /** {@code sum over k in [0, n) of x[k] * (w[wo + k] & 0xFF)}: a row of uint8 codes against int values. */
    static int dotCodes(int[] x, byte[] w, int wo, int n) {
        int k = whole(n), acc = k > 0 ? RowLanes.dotCodes(x, w, wo, k) : 0;
        for (; k < n; k++) acc += x[k] * (w[wo + k] & 0xFF);
        return acc;
    }

    /** {@code acc[k] += e * (w[wo + k] & 0xFF)} for k in [0, n). */
    static void mulAddCodes(int[] acc, int e, byte[] w, int wo, int n) {
        int k = whole(n);
        if (k > 0) RowLanes.mulAddCodes(acc, e, w, wo, k);
        for (; k < n; k++) acc[k] += e * (w[wo + k] & 0xFF);
    }
}
