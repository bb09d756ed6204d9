package fqt.train;

import fqt.nn.Weights;

/**
 * See {@link Optimizer#adam(float)}. State: first and second moments per weight and bias, and per
 * structure the running powers beta^t (a structure's t counts its own updates, as partial updates
 * skip structures).
 */
final class Adam implements Optimizer {
    private final float lr, beta1, beta2;

    Adam(float lr, float beta1, float beta2) {
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
    }

    private static final class State {
        final float[] m, v, mb, vb, pow1, pow2;
        State(int count, int structures) {
            m = new float[count];
            v = new float[count];
            mb = new float[structures];
            vb = new float[structures];
            pow1 = new float[structures];
            pow2 = new float[structures];
            java.util.Arrays.fill(pow1, 1f);
            java.util.Arrays.fill(pow2, 1f);
        }
    }

    @Override
    public void delta(Weights w, int o) {
        if (w.optimizerState == null) w.optimizerState = new State(w.count(), w.structures);
        State s = (State) w.optimizerState;
        s.pow1[o] = s.pow1[o] * beta1;
        s.pow2[o] = s.pow2[o] * beta2;
        float c1 = 1f - s.pow1[o], c2 = 1f - s.pow2[o];
        float n = (float) w.samples();
        float[] g = w.grad();
        for (int i = o * w.structureSize; i < (o + 1) * w.structureSize; i++) g[i] = step(s.m, s.v, i, g[i] / n, c1, c2);
        w.biasGrad()[o] = step(s.mb, s.vb, o, w.biasGrad()[o] / n, c1, c2);
    }

    private float step(float[] m, float[] v, int i, float g, float c1, float c2) {
        m[i] = beta1 * m[i] + (1f - beta1) * g;
        v[i] = beta2 * v[i] + (1f - beta2) * (g * g);
        return lr * (m[i] / c1) / ((float) Math.sqrt(v[i] / c2) + EPS);
    }

    @Override public String describe() { return "adam(" + lr + ")"; }
    @Override public int stateBytesPerWeight() { return 8; }
    @Override public int stateBytesPerStructure() { return 16; }
}
