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
    public void delta(Weights w, State s, int o) {
        float n = (float) w.samples();
        float[] g = w.grad();
        for (int i = o * w.structureSize; i < (o + 1) * w.structureSize; i++) {
            s.v[i] = mu * s.v[i] + g[i] / n;
            g[i] = lr * s.v[i];
        }
        s.vb[o] = mu * s.vb[o] + w.biasGrad()[o] / n;
        w.biasGrad()[o] = lr * s.vb[o];
    }

    @Override public String name() { return "momentum"; }
    @Override public String describe() { return "momentum(" + lr + ", " + mu + ")"; }
    @Override public int stateBytesPerWeight() { return 4; }
    @Override public int stateBytesPerStructure() { return 4; }
}
