package fqt.nn;

/**
 * Where a layer keeps its gradients between the backward pass of a sample and the update that
 * uses them: one rule, {@link #of}, shared by the simulator, the memory plan and the firmware
 * ({@code weights.c}), which derives it from the same two settings.
 */
public enum Gradients {
    /** float32 sums of the batch, one per weight and bias: MIXED and FLOAT32 batches. */
    FLOAT32,
    /**
     * int8 sums of the batch (codes with zero point 128) with one float32 scale per structure,
     * requantized after each sample with the training's rounding; float32 bias sums: UINT8 batches.
     */
    INT8,
    /**
     * No buffer: with one sample per batch each structure is updated in the layer's own backward
     * step, right after the layer has propagated its error with the old weights.
     */
    IN_PLACE;

    public static Gradients of(Precision precision, int batch) {
        if (batch == 1) return IN_PLACE;
        return precision == Precision.UINT8 ? INT8 : FLOAT32;
    }
}
