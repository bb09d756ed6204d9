package fqt.nn;

/** The three training modes the paper compares. */
public enum Precision {
    /** Plain float32 training: the reference. */
    FLOAT32,
    /** uint8 weights and features, float32 errors and gradients. */
    MIXED,
    /** Everything in RAM is uint8: features, errors and weights (gradient buffers are float32 sums). */
    UINT8;

    public boolean quantizedFeatures() { return this != FLOAT32; }
    public boolean quantizedErrors() { return this == UINT8; }
}
