package fqt.memory;

/** What a buffer of a {@link MemoryPlan} holds: the categories of its breakdown. */
public enum Kind {
    /** Activations: the values a backward pass needs, and the ping-pong slots of the others. */
    FEATURES,
    /** Backpropagated errors (two ping-pong buffers) and the float32 loss error. */
    ERRORS,
    /** The activation region: features and errors, sharing bytes by lifetime. */
    ACTIVATIONS,
    /** int32 accumulators and quantized biases of the layer running now. */
    SCRATCH,
    /** Weight tensors (uint8 or float32). */
    WEIGHTS,
    /** One float32 per structure. */
    BIASES,
    /** Gradient sums of a batch (float32, or int8 with a scale per structure) and the one-structure gradient row. */
    GRADIENTS,
    /** Optimizer state (momentum, Adam moments, running mean/std). */
    OPTIMIZER,
    /** Scale and zero point of a tensor (8 B), with its running range where one is tracked (16 B). */
    QPARAMS,
    /** Selected structure indices, ranking keys and state of partial updates, touched flags. */
    SELECTION,
    /** Bytes between buffers lost to alignment (never a buffer; only in breakdowns). */
    PADDING;

    /** Lower-case name, as in tables and plots. */
    public String label() { return name().toLowerCase(java.util.Locale.ROOT); }
}
