package fqt.nn;

/**
 * Chooses which output structures (conv filters, fully connected rows) of a trainable layer take
 * part in this sample's backward pass. The default keeps all of them; {@code fqt.select} implements
 * the paper's dynamic partial updates.
 */
@FunctionalInterface
public interface Selection {
    /**
     * Writes the chosen structure indices, ascending, into {@code sel} and returns how many.
     * @param layer index of the layer in its model
     * @param dy the layer's output error for this sample
     * @param structures the layer's number of structures
     */
    int select(int layer, Tensor dy, int structures, int[] sel);

    /** Called by {@link Model#backward} with the sample's loss before any layer selects (stateful selectors). */
    default void beginSample(float loss) {}

    Selection ALL = (layer, dy, structures, sel) -> {
        for (int i = 0; i < structures; i++) sel[i] = i;
        return structures;
    };
}
