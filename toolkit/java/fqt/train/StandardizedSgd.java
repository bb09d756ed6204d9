package fqt.train;

import fqt.nn.UpdateRule;
import fqt.nn.Weights;

/**
 * See {@link Optimizer#standardizedSgd(float, float)}. A structure's gradient is its weights' and its
 * bias's: standardized together, the bias step is bounded like any weight's (dividing the bias
 * gradient by the weights' std alone lets it explode when a layer's inputs are small).
 * State: smoothed mean and std per structure.
 */
public record StandardizedSgd(float lr, float alphaNorm) implements Optimizer, UpdateRule<StandardizedSgd.State> {
    public StandardizedSgd {
        HyperParameters.check("standardized SGD learning rate", lr, 0f, Float.MAX_VALUE, true);
        HyperParameters.check("standardized SGD alphaNorm", alphaNorm, 0f, 1f, true);
    }

    /** Per structure: the smoothed mean and std, and whether a batch has set them yet. */
    public static final class State {
        final float[] mean, std;
        final boolean[] seen;
        /** Host working memory: the touched structures of one update. */
        final int[] list;
        State(int structures) {
            mean = new float[structures];
            std = new float[structures];
            seen = new boolean[structures];
            list = new int[structures];
        }
    }

    @Override public State newState(Weights w) { return new State(w.structures); }

    /**
     * Four structures at a time: their sums run side by side (each in its own order, exactly as in
     * {@link #delta}), so the float adds of different structures overlap instead of waiting on one
     * another.
     */
    @Override
    public void deltas(Weights w, State s) {
        int n = 0;
        for (int o = 0; o < w.structures; o++) if (w.touched(o)) s.list[n++] = o;
        int k = 0;
        for (; k + 4 <= n; k += 4) delta4(w, s, s.list[k], s.list[k + 1], s.list[k + 2], s.list[k + 3]);
        for (; k < n; k++) delta(w, s, s.list[k]);
    }

    private void delta4(Weights w, State s, int o0, int o1, int o2, int o3) {
        float[] g = w.grad();
        float[] bg = w.biasGrad();
        int size = w.structureSize;
        int f0 = o0 * size, f1 = o1 * size, f2 = o2 * size, f3 = o3 * size;
        float n = (float) (size + 1);
        float gb0 = bg[o0], gb1 = bg[o1], gb2 = bg[o2], gb3 = bg[o3];
        float sum0 = gb0, sum1 = gb1, sum2 = gb2, sum3 = gb3;
        for (int i = 0; i < size; i++) {
            sum0 += g[f0 + i];
            sum1 += g[f1 + i];
            sum2 += g[f2 + i];
            sum3 += g[f3 + i];
        }
        float mean0 = sum0 / n, mean1 = sum1 / n, mean2 = sum2 / n, mean3 = sum3 / n;
        float db0 = gb0 - mean0, db1 = gb1 - mean1, db2 = gb2 - mean2, db3 = gb3 - mean3;
        float sq0 = db0 * db0, sq1 = db1 * db1, sq2 = db2 * db2, sq3 = db3 * db3;
        for (int i = 0; i < size; i++) {
            float d0 = g[f0 + i] - mean0;
            float d1 = g[f1 + i] - mean1;
            float d2 = g[f2 + i] - mean2;
            float d3 = g[f3 + i] - mean3;
            sq0 += d0 * d0;
            sq1 += d1 * d1;
            sq2 += d2 * d2;
            sq3 += d3 * d3;
        }
        apply(w, s, o0, gb0, mean0, sq0, n);
        apply(w, s, o1, gb1, mean1, sq1, n);
        apply(w, s, o2, gb2, mean2, sq2, n);
        apply(w, s, o3, gb3, mean3, sq3, n);
    }

    @Override
    public void delta(Weights w, State s, int o) {
        float[] g = w.grad();
        float gb = w.biasGrad()[o];
        int from = o * w.structureSize, to = from + w.structureSize;
        float n = (float) (w.structureSize + 1); // the bias is one more element of its structure
        float sum = gb;
        for (int i = from; i < to; i++) sum += g[i];
        float mean = sum / n;
        float db = gb - mean;
        float sq = db * db;
        for (int i = from; i < to; i++) {
            float d = g[i] - mean;
            sq += d * d;
        }
        apply(w, s, o, gb, mean, sq, n);
    }

    /** The rest of {@link #delta} once a structure's mean and sum of squared deviations are known. */
    private void apply(Weights w, State s, int o, float gb, float mean, float sq, float n) {
        float[] g = w.grad();
        int from = o * w.structureSize, to = from + w.structureSize;
        float std = (float) Math.sqrt(sq / n); // sqrt of a float is correctly rounded on both sides
        if (!s.seen[o]) {
            s.mean[o] = mean;
            s.std[o] = std;
            s.seen[o] = true;
        } else {
            s.mean[o] = s.mean[o] + alphaNorm * (mean - s.mean[o]);
            s.std[o] = s.std[o] + alphaNorm * (std - s.std[o]);
        }
        float k = lr / (s.std[o] + EPS);
        float m = s.mean[o];
        for (int i = from; i < to; i++) g[i] = (g[i] - m) * k;
        w.biasGrad()[o] = (gb - m) * k;
    }

    @Override public String name() { return "standardized"; }
    @Override public String describe() { return "standardizedSgd(" + lr + ", alphaNorm " + alphaNorm + ")"; }
    @Override public int stateBytesPerWeight() { return 0; }
    @Override public int stateBytesPerStructure() { return 8; }
}
