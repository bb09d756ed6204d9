package fqt.nn;

/**
 * Turns the summed gradient of one structure, left in {@link Weights#grad()} and
 * {@link Weights#biasGrad()}, into the update delta in the same place ({@code w -= delta} follows).
 * The optimizers of {@code fqt.train} implement it.
 */
@FunctionalInterface
public interface UpdateRule {
    void delta(Weights w, int structure);
}
