package fqt.select;

import java.util.Arrays;

/**
 * The arithmetic of dynamic partial updates (method section 4) as pure, allocation-free functions
 * on flat arrays: structure magnitudes, the budget and the top-k rule. {@code firmware/core/select.c}
 * mirrors them function for function; every float32 step is written in the order C evaluates it
 * (compile without contraction, {@code -ffp-contract=off}, as for the other kernels).
 *
 * <p>A layer's output error is laid out structure by structure: structure {@code s} owns the
 * {@code per} consecutive elements from {@code s * per} (a conv output plane, a fully connected
 * row's single output).
 */
public final class Select {
    private Select() {}

    /** uint8 errors: {@code mag[s] = sum of |q - zp|} over structure s, exact in int32. */
    public static void magnitudesU8(byte[] dy, int zp, int structures, int per, int[] mag) {
        for (int s = 0; s < structures; s++) {
            int sum = 0;
            for (int i = s * per; i < (s + 1) * per; i++) sum += Math.abs((dy[i] & 0xFF) - zp);
            mag[s] = sum;
        }
    }

    /** float32 errors: {@code mag[s] = sum of |e|} over structure s, a float32 sum in index order from 0. */
    public static void magnitudesF32(float[] dy, int structures, int per, float[] mag) {
        for (int s = 0; s < structures; s++) {
            float sum = 0f;
            for (int i = s * per; i < (s + 1) * per; i++) sum += Math.abs(dy[i]);
            mag[s] = sum;
        }
    }

    /**
     * Mean |error| of a uint8 layer in real units: {@code (float(total) * scale) / float(size)} with
     * {@code total} the int32 sum of the magnitudes (exact below 2^31, i.e. up to 8.4 M elements).
     */
    public static float meanU8(int[] mag, int structures, float scale, int size) {
        int total = 0;
        for (int s = 0; s < structures; s++) total += mag[s];
        return (float) total * scale / (float) size;
    }

    /** Mean |error| of a float32 layer: the float32 sum of the magnitudes in structure order, divided by {@code size}. */
    public static float meanF32(float[] mag, int structures, int size) {
        float total = 0f;
        for (int s = 0; s < structures; s++) total += mag[s];
        return total / (float) size;
    }

    /**
     * The budget {@code k = max(1, floor((lambdaMin + r * (lambdaMax - lambdaMin)) * n))}, clipped to
     * n, with {@code r = e / eMax} (0 when eMax is 0), in float32, one rounding per step:
     * <pre>
     *   r      = e / eMax
     *   span   = lambdaMax - lambdaMin
     *   lambda = lambdaMin + (r * span)
     *   k      = (int) (lambda * (float) n)     truncation is floor here: the product is >= 0
     * </pre>
     * With lambdaMin = lambdaMax = 1 every structure is kept.
     */
    public static int budget(float lambdaMin, float lambdaMax, float e, float eMax, int n) {
        float r = eMax > 0f ? e / eMax : 0f;
        float span = lambdaMax - lambdaMin;
        float lambda = lambdaMin + r * span;
        int k = (int) (lambda * (float) n);
        if (k < 1) k = 1;
        if (k > n) k = n;
        return k;
    }

    /**
     * Writes the {@code k} structures with the largest keys into {@code sel[0..k)}, ascending, and
     * returns k; equal keys go to the lower index. Keys are non-negative ints: uint8 magnitudes, or
     * the bit patterns of non-negative float32 magnitudes ({@link Float#floatToRawIntBits}), which
     * order the same way as the floats. Sorts {@code (key << 32) | (n - 1 - s)} ascending in
     * {@code scratch} (length >= n), takes the last k, and lists them ascending with one flag pass
     * over the scratch: O(n log n), deterministic.
     */
    public static int topK(int[] key, int n, int k, long[] scratch, int[] sel) {
        if (k >= n) {
            for (int s = 0; s < n; s++) sel[s] = s;
            return n;
        }
        for (int s = 0; s < n; s++) scratch[s] = ((long) key[s] << 32) | (n - 1 - s);
        Arrays.sort(scratch, 0, n);
        // The top k are the last k sorted keys; flag their indices in the (now free) scratch and emit them ascending.
        for (int j = 0; j < k; j++) sel[j] = n - 1 - (int) (scratch[n - 1 - j] & 0xFFFFFFFFL);
        Arrays.fill(scratch, 0, n, 0L);
        for (int j = 0; j < k; j++) scratch[sel[j]] = 1L;
        int m = 0;
        for (int s = 0; s < n; s++) if (scratch[s] != 0L) sel[m++] = s;
        return k;
    }
}
