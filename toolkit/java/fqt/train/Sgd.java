package fqt.train;

import fqt.nn.UpdateRule;
import fqt.nn.Weights;

/** See {@link Optimizer#sgd(float)}. No state. */
public record Sgd(float lr) implements Optimizer, UpdateRule<Void> {
    public Sgd {
        HyperParameters.check("sgd learning rate", lr, 0f, Float.MAX_VALUE, true);
    }

    @Override
    public float delta(Weights w, Void state, int o, float[] g, int from, float gb, int samples, boolean commit) {
        float k = lr / (float) samples;
        for (int i = from; i < from + w.structureSize; i++) g[i] = g[i] * k;
        return gb * k;
    }

    @Override public Void newState(Weights w) { return null; }
    @Override public String name() { return "sgd"; }
    @Override public String describe() { return "sgd(" + lr + ")"; }
    @Override public int stateBytesPerWeight() { return 0; }
    @Override public int stateBytesPerStructure() { return 0; }
}
