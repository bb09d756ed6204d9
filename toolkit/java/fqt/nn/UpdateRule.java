package fqt.nn;

/**
 * Turns the summed gradient of one structure, left in {@link Weights#grad()} and
 * {@link Weights#biasGrad()}, into the update delta in the same place ({@code w -= delta} follows).
 * The optimizers of {@code fqt.train} implement it; each owns its state type {@code S} (momentum
 * velocities, Adam moments, the standardization's running mean and deviation), which the weights
 * keep for it between batches.
 */
public interface UpdateRule<S> {
    /** The state of a layer that this rule has not updated yet (null for a stateless rule). */
    S newState(Weights w);

    void delta(Weights w, S state, int structure);

    /**
     * {@link #delta} of every touched structure of {@code w}. A rule may work on several structures
     * at once (host speed) as long as each structure's own float32 operations stay those of
     * {@link #delta}, in the same order: structures do not depend on each other.
     */
    default void deltas(Weights w, S state) {
        for (int o = 0; o < w.structures; o++) if (w.touched(o)) delta(w, state, o);
    }
}
