package fqt.nn;

/**
 * Where a layer keeps its gradients between the backward pass of a sample and the update that
 * uses them. A training's setting is one of these; {@link #AUTO} (the default) is {@link #of}, the
 * rule the simulator, the memory plan and the firmware ({@code train.c}) share, and any other
 * value is taken as given: memory and compute trade against each other (README, "Gradients
 * without float32 buffers").
 */
public enum Gradients {
    /** {@link #of}: IN_PLACE at batch 1, INT8 in UINT8 batches, FLOAT32 otherwise. */
    AUTO,
    /** float32 sums of the batch, one per weight and bias: 4 B per weight, the fastest. */
    FLOAT32,
    /**
     * int8 sums of the batch (codes with zero point 128) with one float32 scale per structure,
     * requantized after each sample with the training's rounding; float32 bias sums.
     */
    INT8,
    /**
     * No buffer: with one sample per batch each structure is updated in the layer's own backward
     * step, right after the layer has propagated its error with the old weights.
     */
    IN_PLACE;

    /** The rule of {@link #AUTO}. */
    public static Gradients of(Precision precision, int batch) {
        if (batch == 1) return IN_PLACE;
        return precision == Precision.UINT8 ? INT8 : FLOAT32;
    }

    /** What a training with this setting uses: {@link #of} for AUTO, else this. */
    public Gradients resolve(Precision precision, int batch) {
        return this == AUTO ? of(precision, batch) : this;
    }
}
