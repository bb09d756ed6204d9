package fqt.train;

import fqt.nn.Weights;

/**
 * See {@link Optimizer#standardizedSgd(float, float)}. A structure's gradient is its weights' and its
 * bias's: standardized together, the bias step is bounded like any weight's (dividing the bias
 * gradient by the weights' std alone lets it explode when a layer's inputs are small).
 * State: smoothed mean and std per structure.
 */
final class StandardizedSgd implements Optimizer {
    private final float lr;
    private final float alphaNorm;

    StandardizedSgd(float lr, float alphaNorm) {
        this.lr = lr;
        this.alphaNorm = alphaNorm;
    }

    private static final class State {
        final float[] mean, std;
        final boolean[] seen;
        State(int structures) {
            mean = new float[structures];
            std = new float[structures];
            seen = new boolean[structures];
        }
    }

    @Override
    public void delta(Weights w, int o) {
        if (w.optimizerState == null) w.optimizerState = new State(w.structures);
        State s = (State) w.optimizerState;
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
        for (int i = from; i < to; i++) g[i] = (g[i] - s.mean[o]) * k;
        w.biasGrad()[o] = (gb - s.mean[o]) * k;
    }

    @Override public String describe() { return "standardizedSgd(" + lr + ", alphaNorm " + alphaNorm + ")"; }
    @Override public int stateBytesPerWeight() { return 0; }
    @Override public int stateBytesPerStructure() { return 8; }
}
