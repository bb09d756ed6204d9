package fqt.kernels;

/**
 * Bias gradient alone, float32 errors (FLOAT32 and MIXED): {@code gb[o] += sum of dy over structure o},
 * the structure's {@code per} consecutive error elements (a conv output plane, or one row's output)
 * summed in index order from 0. Adds the same bits as the bias part of the weight-gradient kernels;
 * used by bias-only updates, which skip the weight gradient.
 */
public final class BiasGradF32 {
    private BiasGradF32() {}

    public static void backward(float[] dy, float[] gb, int per, int[] sel, int nSel) {
        for (int k = 0; k < nSel; k++) {
            int o = sel[k], base = o * per;
            float sumE = 0f;
            for (int i = base; i < base + per; i++) sumE += dy[i];
            gb[o] += sumE;
        }
    }
}
