package fqt.nn;

/** What training minimizes, and the metric that goes with it. */
public enum Loss {
    /** Softmax cross-entropy against the label; the metric is accuracy. */
    CROSS_ENTROPY,
    /** Mean squared error of the output against the input (a reconstruction); the metric is the mean error. */
    MSE;

    /** The metric's column name in result tables: "acc" or "mse". */
    public String metric() { return this == CROSS_ENTROPY ? "acc" : "mse"; }
}
