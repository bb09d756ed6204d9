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
            int k = whole(n);
            if (k > 0) RowLanes.mulAdd(acc, a, w, x, xo, k);
            for (; k < n; k++) acc[a + k] += w * x[xo + k];
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
     * A 3x3 kernel in one pass: {@code acc[k] += sum over (ky, kx) of ((w[wi + 3 ky + kx] & 0xFF) - wZp)
     * * x[base + ky * rowStep + kx * colStep + k]} for k in [0, n). Every tap reads x shifted, so
     * this runs lane by lane with the Vector API (the JIT does not vectorize shifted reads of an
     * array it cannot prove distinct from acc); without it, element by element.
     */
    static void mulAdd9(int[] acc, byte[] w, int wi, int wZp, int[] x, int base, int rowStep, int colStep, int n) {
        int w0 = (w[wi] & 0xFF) - wZp, w1 = (w[wi + 1] & 0xFF) - wZp, w2 = (w[wi + 2] & 0xFF) - wZp;
        int w3 = (w[wi + 3] & 0xFF) - wZp, w4 = (w[wi + 4] & 0xFF) - wZp, w5 = (w[wi + 5] & 0xFF) - wZp;
        int w6 = (w[wi + 6] & 0xFF) - wZp, w7 = (w[wi + 7] & 0xFF) - wZp, w8 = (w[wi + 8] & 0xFF) - wZp;
        int k = whole(n);
        if (k > 0) RowLanes.mulAdd9(acc, w0, w1, w2, w3, w4, w5, w6, w7, w8, x, base, rowStep, colStep, k);
        int r = rowStep, c = colStep;
        for (; k < n; k++) {
            int b = base + k;
            acc[k] += w0 * x[b] + w1 * x[b + c] + w2 * x[b + 2 * c] + w3 * x[b + r] + w4 * x[b + r + c] + w5 * x[b + r + 2 * c]
                    + w6 * x[b + 2 * r] + w7 * x[b + 2 * r + c] + w8 * x[b + 2 * r + 2 * c];
        }
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

    /** {@code y[yo + k] += a * x[k]} for k in [0, n): the product rounded to float, then the sum. */
    static void addScaled(float[] y, int yo, float a, float[] x, int n) {
        int k = VECTORS ? n - n % RowLanes.FLOAT_LANES : 0;
        if (k > 0) RowLanes.addScaled(y, yo, a, x, k);
        for (; k < n; k++) y[yo + k] += a * x[k];
    }

    /**
     * The weight gradients of a 3x3 kernel's taps in one pass over the errors:
     * {@code gw[wi + 3 ky + kx] += float(sum over k in [0, n) of e[k] * x[base + ky * rowStep + kx + k]) * scale}.
     * {@code sums} is caller scratch of 9 ints.
     */
    static void gradient9(int[] e, int[] x, int base, int rowStep, int n, float scale, float[] gw, int wi, int[] sums) {
        int k = whole(n);
        if (k > 0) RowLanes.dot9(e, x, base, rowStep, k, sums);
        else java.util.Arrays.fill(sums, 0, 9, 0);
        for (int t = 0; t < 9; t++) {
            int xo = base + (t / 3) * rowStep + t % 3, sum = sums[t];
            for (int j = k; j < n; j++) sum += e[j] * x[xo + j];
            gw[wi + t] += (float) sum * scale;
        }
    }
}
