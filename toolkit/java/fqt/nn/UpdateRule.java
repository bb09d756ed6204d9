package fqt.nn;

/**
 * Turns the gradient sum of one structure into its update delta ({@code w -= delta} follows). The
 * optimizers of {@code fqt.train} implement it; each owns its state type {@code S} (momentum
 * velocities, Adam moments, the standardization's running mean and deviation), which the weights
 * keep for it between updates.
 */
public interface UpdateRule<S> {
    /** The state of a layer that this rule has not updated yet (null for a stateless rule). */
    S newState(Weights w);

    /**
     * Structure {@code o}'s delta from its gradient summed over {@code samples} samples: the weight
     * sums {@code g[from, from + structureSize)} become their deltas in place and the bias delta is
     * returned. With {@code commit} false the state stays as it was: on the device, a quantized update
     * that keeps no gradient buffer computes each delta twice, once for the weights' new range and
     * once to apply it, and both must see the same state (the simulator keeps the first, see
     * {@link Weights}). The simulator calls it for different
     * structures at once on several threads ({@code fqt.parallel.Parts}): it may read and write
     * structure o's state only.
     */
    float delta(Weights w, S state, int o, float[] g, int from, float gb, int samples, boolean commit);

    /**
     * {@link #delta} of each structure {@code list[from, to)}: its row of g (at
     * {@code o * structureSize}) becomes its deltas and {@code gb[o]} its bias delta. The structures
     * are independent, so a rule may interleave their loops (the values are each delta's own);
     * this one makes them one after the other.
     */
    default void deltas(Weights w, S state, int[] list, int from, int to, float[] g, float[] gb, int samples, boolean commit) {
        for (int k = from; k < to; k++) {
            int o = list[k];
            gb[o] = delta(w, state, o, g, o * w.structureSize, gb[o], samples, commit);
        }
    }
}
