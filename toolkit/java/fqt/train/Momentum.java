package fqt.train;

import fqt.nn.UpdateRule;
import fqt.nn.Weights;

/** See {@link Optimizer#momentum(float, float)}. State: one velocity per weight and bias. */
public record Momentum(float lr, float mu) implements Optimizer, UpdateRule<Momentum.State> {
    public Momentum {
        HyperParameters.check("momentum learning rate", lr, 0f, Float.MAX_VALUE, true);
        HyperParameters.check("momentum mu", mu, 0f, Math.nextDown(1f), false);
    }

    /** The velocities of the weights and of the biases. */
    public record State(float[] v, float[] vb) {}

    @Override public State newState(Weights w) { return new State(new float[w.count()], new float[w.structures]); }

    @Override
    public float delta(Weights w, State s, int o, float[] g, int from, float gb, int samples, boolean commit) {
        float n = (float) samples;
        for (int j = 0, i = o * w.structureSize; j < w.structureSize; j++, i++) {
            float v = mu * s.v[i] + g[from + j] / n;
            if (commit) s.v[i] = v;
            g[from + j] = lr * v;
        }
        float vb = mu * s.vb[o] + gb / n;
        if (commit) s.vb[o] = vb;
        return lr * vb;
    }

    @Override public String name() { return "momentum"; }
    @Override public String describe() { return "momentum(" + lr + ", " + mu + ")"; }
    @Override public int stateBytesPerWeight() { return 4; }
    @Override public int stateBytesPerStructure() { return 4; }
}
