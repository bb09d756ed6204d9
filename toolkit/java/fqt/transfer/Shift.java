package fqt.transfer;

import fqt.data.Dataset;
import java.util.SplittableRandom;

/** A change of input domain with the same classes: what a deployed sensor may see. Pixels are in [0, 1]. */
public enum Shift {
    /** {@code 1 - x}: dark garments on a light background. */
    INVERTED,
    /** Each channel turned 90 degrees clockwise (square images only). */
    ROTATED_90,
    /** Gaussian noise of standard deviation {@link #NOISE_STD}, seeded, clipped to [0, 1]. */
    NOISY;

    public static final float NOISE_STD = 0.3f;

    /** The shifted copy of {@code d}; {@code seed} drives the noise (samples in order, so the result is reproducible). */
    public Dataset apply(Dataset d, long seed) {
        int[] shape = d.shape();
        int c = shape[0], h = shape[1], w = shape[2];
        if (this == ROTATED_90 && h != w) throw new IllegalArgumentException(d.name() + ": ROTATED_90 needs square images, got " + h + "x" + w);
        SplittableRandom rng = new SplittableRandom(seed);
        return d.map(d.name() + "-" + name().toLowerCase(java.util.Locale.ROOT), x -> {
            float[] y = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                y[i] = switch (this) {
                    case INVERTED -> 1f - x[i];
                    case ROTATED_90 -> x[rotatedFrom(i, h, w)];
                    case NOISY -> Math.min(1f, Math.max(0f, x[i] + NOISE_STD * (float) rng.nextGaussian()));
                };
            }
            return y;
        });
    }

    /** Input index of output {@code i = (ch, y, x)} turned clockwise: {@code out[y][x] = in[h-1-x][y]}. */
    private static int rotatedFrom(int i, int h, int w) {
        int plane = h * w, ch = i / plane, y = (i % plane) / w, x = i % w;
        return ch * plane + (h - 1 - x) * w + y;
    }
}
