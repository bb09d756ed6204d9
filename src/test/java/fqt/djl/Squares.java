package fqt.djl;

import fqt.data.Dataset;

import java.util.SplittableRandom;

/**
 * A small learnable image set for tests: on a noisy dark 1x28x28 background, class {@code k} has
 * a bright 6x6 square near its own spot of a 4x3 grid, jittered by up to 2 pixels.
 */
final class Squares {
    private Squares() {}

    static Dataset make(String name, int samples, int classes, long seed) {
        if (classes > 12) throw new IllegalArgumentException("at most 12 classes");
        int side = 28;
        float[] x = new float[samples * side * side];
        int[] y = new int[samples];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int s = 0; s < samples; s++) {
            int k = rng.nextInt(classes);
            y[s] = k;
            int base = s * side * side;
            for (int p = 0; p < side * side; p++) x[base + p] = (float) (0.1 * rng.nextDouble());
            int top = 2 + 8 * (k / 4) + rng.nextInt(-2, 3);
            int left = 1 + 7 * (k % 4) + rng.nextInt(-1, 2);
            for (int r = Math.max(0, top); r < Math.min(side, top + 6); r++) {
                for (int c = Math.max(0, left); c < Math.min(side, left + 6); c++) {
                    x[base + r * side + c] = (float) (0.7 + 0.3 * rng.nextDouble());
                }
            }
        }
        return new Dataset(name, new int[] {1, side, side}, classes, x, y);
    }
}
