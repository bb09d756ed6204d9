package fqt.kernels;

/**
 * Bias gradient alone, uint8 errors: {@code gb[o] += float(sum (dy - dyZp)) * sE} over structure o's
 * {@code per} consecutive error elements (int32 sum). Adds the same bits as the bias part of
 * {@link LinearU8#backwardWeight} and {@link Conv2dU8#backwardWeight}; used by bias-only updates.
 */
public final class BiasGradU8 {
    private BiasGradU8() {}

    public static void backward(byte[] dy, int dyZp, float sE, float[] gb, int per, int[] sel, int nSel) {
        for (int k = 0; k < nSel; k++) {
            int o = sel[k], base = o * per;
            int sumE = 0;
            for (int i = base; i < base + per; i++) sumE += (dy[i] & 0xFF) - dyZp;
            gb[o] += (float) sumE * sE;
        }
    }
}
