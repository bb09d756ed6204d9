package fqt.data;

import java.util.Arrays;

/**
 * Labelled samples held in memory: one flat float32 array, sample after sample, each of shape
 * {@code channels x height x width} (a time-series window is {@code channels x 1 x length}).
 * Immutable: every selection returns a new dataset that shares nothing mutable with this one.
 * Serializable, so a sweep can ship it to a cluster's workers.
 */
public final class Dataset implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final String name;
    private final int[] shape;
    private final int classes;
    private final float[] features;
    private final int[] labels;

    public Dataset(String name, int[] shape, int classes, float[] features, int[] labels) {
        if (shape.length != 3) {
            throw new IllegalArgumentException(name + ": sample shape must be {channels, height, width}, got " + Arrays.toString(shape));
        }
        int size = shape[0] * shape[1] * shape[2];
        if (size <= 0 || features.length != (long) size * labels.length) {
            throw new IllegalArgumentException(name + ": expected " + labels.length + " samples of " + size
                    + " values = " + (long) size * labels.length + " values, got " + features.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException(name + ": label " + labels[i] + " of sample " + i + " is outside [0, " + classes + ")");
            }
        }
        for (int i = 0; i < features.length; i++) {
            if (!Float.isFinite(features[i])) {
                throw new IllegalArgumentException(name + ": sample " + i / size + " holds a non-finite value (" + features[i] + ")");
            }
        }
        this.name = name;
        this.shape = shape.clone();
        this.classes = classes;
        this.features = features;
        this.labels = labels;
    }

    public String name() { return name; }
    /** {channels, height, width} of one sample. */
    public int[] shape() { return shape.clone(); }
    public int sampleSize() { return shape[0] * shape[1] * shape[2]; }
    public int classes() { return classes; }
    public int size() { return labels.length; }
    public boolean isEmpty() { return labels.length == 0; }
    public int label(int i) { return labels[i]; }

    /** Copies sample {@code i} into {@code dst} (length {@link #sampleSize()}). */
    public void copySample(int i, float[] dst) {
        System.arraycopy(features, i * sampleSize(), dst, 0, sampleSize());
    }

    public float[] sample(int i) {
        float[] dst = new float[sampleSize()];
        copySample(i, dst);
        return dst;
    }

    /** The samples at the given indices, in that order. */
    public Dataset select(int[] indices) {
        int n = sampleSize();
        float[] f = new float[indices.length * n];
        int[] l = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            System.arraycopy(features, indices[k] * n, f, k * n, n);
            l[k] = labels[indices[k]];
        }
        return new Dataset(name, shape, classes, f, l);
    }

    /** The first {@code n} samples (all of them if there are fewer). */
    public Dataset take(int n) {
        if (n < 0) throw new IllegalArgumentException(name + ": cannot take " + n + " samples");
        int[] idx = new int[Math.min(n, size())];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        return select(idx);
    }

    /** A seeded permutation (Fisher-Yates driven by {@link java.util.SplittableRandom}). */
    public Dataset shuffled(long seed) {
        return select(permutation(size(), seed));
    }

    /** Samples whose label is one of {@code keep}, relabelled 0..keep.length-1 in the order given. */
    public Dataset classes(int... keep) {
        int[] map = new int[classes];
        Arrays.fill(map, -1);
        for (int k = 0; k < keep.length; k++) {
            // A bad or repeated class would otherwise surface as an index error or a silently unused label.
            if (keep[k] < 0 || keep[k] >= classes || map[keep[k]] >= 0) {
                throw new IllegalArgumentException(name + ": classes " + Arrays.toString(keep)
                        + " must be distinct and in [0, " + classes + ")");
            }
            map[keep[k]] = k;
        }
        int[] idx = java.util.stream.IntStream.range(0, size()).filter(i -> map[labels[i]] >= 0).toArray();
        Dataset sel = select(idx);
        int[] l = new int[idx.length];
        for (int i = 0; i < idx.length; i++) l[i] = map[labels[idx[i]]];
        return new Dataset(name, shape, keep.length, sel.features, l);
    }

    /** Applies {@code f} to every sample (e.g. an augmentation or a sensor shift); labels unchanged. */
    public Dataset map(String newName, java.util.function.UnaryOperator<float[]> f) {
        int n = sampleSize();
        float[] out = new float[features.length];
        for (int i = 0; i < size(); i++) {
            float[] y = f.apply(sample(i));
            if (y.length != n) throw new IllegalArgumentException(newName + ": map changed the sample size from " + n + " to " + y.length);
            System.arraycopy(y, 0, out, i * n, n);
        }
        return new Dataset(newName, shape, classes, out, labels.clone());
    }

    /** Number of samples of each class, indexed by label. */
    public int[] classCounts() {
        int[] counts = new int[classes];
        for (int l : labels) counts[l]++;
        return counts;
    }

    public static int[] permutation(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i]; p[i] = p[j]; p[j] = t;
        }
        return p;
    }

    @Override
    public String toString() {
        return name + ": " + size() + " samples of " + shape[0] + "x" + shape[1] + "x" + shape[2] + ", " + classes + " classes";
    }
}
