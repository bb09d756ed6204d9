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
        float std = (float) Math.sqrt(sq / n); // sqrt of a float is correctly rounded on both sides
        float m = s.seen[o] ? s.mean[o] + alphaNorm * (mean - s.mean[o]) : mean;
        float sd = s.seen[o] ? s.std[o] + alphaNorm * (std - s.std[o]) : std;
        if (commit) {
            s.mean[o] = m;
            s.std[o] = sd;
            s.seen[o] = true;
        }
        float k = lr / (sd + EPS);
        for (int i = from; i < to; i++) g[i] = (g[i] - m) * k;
        return (gb - m) * k;
    }

    @Override public String name() { return "standardized"; }
    @Override public String describe() { return "standardizedSgd(" + lr + ", alphaNorm " + alphaNorm + ")"; }
    @Override public int stateBytesPerWeight() { return 0; }
    @Override public int stateBytesPerStructure() { return 8; }
}
