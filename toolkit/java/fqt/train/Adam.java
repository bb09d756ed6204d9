package fqt.train;

import fqt.nn.UpdateRule;
import fqt.nn.Weights;

/**
 * See {@link Optimizer#adam(float, float, float)}. State: first and second moments per weight and bias, and per
 * structure the running powers beta^t (a structure's t counts its own updates, as partial updates
 * skip structures).
 */
public record Adam(float lr, float beta1, float beta2) implements Optimizer, UpdateRule<Adam.State> {
    public Adam {
        HyperParameters.check("Adam learning rate", lr, 0f, Float.MAX_VALUE, true);
        HyperParameters.check("Adam beta1", beta1, 0f, Math.nextDown(1f), false);
        HyperParameters.check("Adam beta2", beta2, 0f, Math.nextDown(1f), false);
    }

    /** Moments of the weights and biases, and per structure the running powers beta^t. */
    public static final class State {
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
    public State newState(Weights w) { return new State(w.count(), w.structures); }

    @Override
    public float delta(Weights w, State s, int o, float[] g, int from, float gb, int samples, boolean commit) {
        float pow1 = s.pow1[o] * beta1, pow2 = s.pow2[o] * beta2;
        if (commit) {
            s.pow1[o] = pow1;
            s.pow2[o] = pow2;
        }
        float c1 = 1f - pow1, c2 = 1f - pow2;
        float n = (float) samples;
        for (int j = 0, i = o * w.structureSize; j < w.structureSize; j++, i++) {
            g[from + j] = step(s.m, s.v, i, g[from + j] / n, c1, c2, commit);
        }
        return step(s.mb, s.vb, o, gb / n, c1, c2, commit);
    }

    private float step(float[] m, float[] v, int i, float g, float c1, float c2, boolean commit) {
        float mi = beta1 * m[i] + (1f - beta1) * g;
        float vi = beta2 * v[i] + (1f - beta2) * (g * g);
        if (commit) {
            m[i] = mi;
            v[i] = vi;
        }
        return lr * (mi / c1) / ((float) Math.sqrt(vi / c2) + EPS);
    }

    @Override public String name() { return "adam"; }
    @Override public String describe() { return "adam(" + lr + ", beta1 " + beta1 + ", beta2 " + beta2 + ")"; }
    @Override public int stateBytesPerWeight() { return 8; }
    @Override public int stateBytesPerStructure() { return 16; }
}
