package fqt.train;

import fqt.nn.Weights;

/** See {@link Optimizer#momentum(float, float)}. State: one velocity per weight and bias. */
final class Momentum implements Optimizer {
    private final float lr;
    private final float mu;

    Momentum(float lr, float mu) {
        this.lr = lr;
        this.mu = mu;
    }

    private record State(float[] v, float[] vb) {}

    @Override
    public void delta(Weights w, int o) {
        if (w.optimizerState == null) w.optimizerState = new State(new float[w.count()], new float[w.structures]);
        State s = (State) w.optimizerState;
        float n = (float) w.samples();
        float[] g = w.grad();
        for (int i = o * w.structureSize; i < (o + 1) * w.structureSize; i++) {
            s.v[i] = mu * s.v[i] + g[i] / n;
            g[i] = lr * s.v[i];
        }
        s.vb[o] = mu * s.vb[o] + w.biasGrad()[o] / n;
        w.biasGrad()[o] = lr * s.vb[o];
    }

    @Override public String describe() { return "momentum(" + lr + ", " + mu + ")"; }
    @Override public int stateBytesPerWeight() { return 4; }
    @Override public int stateBytesPerStructure() { return 4; }
}
