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

    /** Per structure: the smoothed mean and std, and whether an update has set them yet. */
    public static final class State {
        final float[] mean, std;
        final boolean[] seen;
        State(int structures) {
            mean = new float[structures];
            std = new float[structures];
            seen = new boolean[structures];
        }
    }

    @Override public State newState(Weights w) { return new State(w.structures); }

    @Override
    public float delta(Weights w, State s, int o, float[] g, int from, float gb, int samples, boolean commit) {
        int to = from + w.structureSize;
        float sum = gb;
        for (int i = from; i < to; i++) sum += g[i];
        float mean = sum / n(w), db = gb - mean, sq = db * db;
        for (int i = from; i < to; i++) {
            float d = g[i] - mean;
            sq += d * d;
        }
        return step(w, s, o, g, from, gb, mean, sq, commit);
    }

    /** The bias is one more element of its structure. */
    private static float n(Weights w) { return (float) (w.structureSize + 1); }

    /**
     * Structure o's delta from its mean and sum of squared deviations: the std, the smoothed mean and
     * std (committed to the state when {@code commit}), then the standardized step.
     */
    private float step(Weights w, State s, int o, float[] g, int from, float gb, float mean, float sq, boolean commit) {
        float std = (float) Math.sqrt(sq / n(w)); // sqrt of a float is correctly rounded on both sides
        float m = s.seen[o] ? s.mean[o] + alphaNorm * (mean - s.mean[o]) : mean;
        float sd = s.seen[o] ? s.std[o] + alphaNorm * (std - s.std[o]) : std;
        if (commit) {
            s.mean[o] = m;
            s.std[o] = sd;
            s.seen[o] = true;
        }
        float k = lr / (sd + EPS);
        for (int i = from, to = from + w.structureSize; i < to; i++) g[i] = (g[i] - m) * k;
        return (gb - m) * k;
    }

    /**
     * {@link #delta} of four structures at a time with their serial sums interleaved: each sum
     * still adds its elements in index order (the same bits), but four chains of additions run
     * side by side instead of one waiting on each addition's latency.
     */
    @Override
    public void deltas(Weights w, State s, int[] list, int from, int to, float[] g, float[] gb, int samples, boolean commit) {
        int size = w.structureSize, k = from;
        float n = n(w);
        for (; k + 4 <= to; k += 4) {
            int o0 = list[k], o1 = list[k + 1], o2 = list[k + 2], o3 = list[k + 3];
            int f0 = o0 * size, f1 = o1 * size, f2 = o2 * size, f3 = o3 * size;
            float s0 = gb[o0], s1 = gb[o1], s2 = gb[o2], s3 = gb[o3];
            for (int i = 0; i < size; i++) {
                s0 += g[f0 + i];
                s1 += g[f1 + i];
                s2 += g[f2 + i];
                s3 += g[f3 + i];
            }
            float m0 = s0 / n, m1 = s1 / n, m2 = s2 / n, m3 = s3 / n;
            float d0 = gb[o0] - m0, d1 = gb[o1] - m1, d2 = gb[o2] - m2, d3 = gb[o3] - m3;
            float q0 = d0 * d0, q1 = d1 * d1, q2 = d2 * d2, q3 = d3 * d3;
            for (int i = 0; i < size; i++) {
                float e0 = g[f0 + i] - m0, e1 = g[f1 + i] - m1, e2 = g[f2 + i] - m2, e3 = g[f3 + i] - m3;
                q0 += e0 * e0;
                q1 += e1 * e1;
                q2 += e2 * e2;
                q3 += e3 * e3;
            }
            gb[o0] = step(w, s, o0, g, f0, gb[o0], m0, q0, commit);
            gb[o1] = step(w, s, o1, g, f1, gb[o1], m1, q1, commit);
            gb[o2] = step(w, s, o2, g, f2, gb[o2], m2, q2, commit);
            gb[o3] = step(w, s, o3, g, f3, gb[o3], m3, q3, commit);
        }
        for (; k < to; k++) {
            int o = list[k];
            gb[o] = delta(w, s, o, g, o * size, gb[o], samples, commit);
        }
    }

    @Override public String name() { return "standardized"; }
    @Override public String describe() { return "standardizedSgd(" + lr + ", alphaNorm " + alphaNorm + ")"; }
    @Override public int stateBytesPerWeight() { return 0; }
    @Override public int stateBytesPerStructure() { return 8; }
}
