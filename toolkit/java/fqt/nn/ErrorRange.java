package fqt.nn;

/** Where the quantization range of a uint8 error tensor comes from (UINT8 mode). */
public enum ErrorRange {
    /** [-1, 1] always, as on the authors' poster. */
    FIXED,
    /** A moving average of the observed ranges (rate alpha_e); the first sample uses its own range. */
    EMA,
    /** The exact range of this sample's errors, read from the int32 accumulators before requantizing. */
    EXACT
}
