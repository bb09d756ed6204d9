package fqt.djl;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * The same samples run through DJL and through the imported toolkit model: the largest absolute
 * difference of each output (logit) over all samples, the overall largest and where it occurred,
 * how often both pick the same class, and both accuracies on the samples' labels.
 *
 * @param samples             samples compared
 * @param maxAbsDiffPerOutput largest |DJL - toolkit| of each output
 * @param maxAbsDiff          largest over all outputs
 * @param worstSample         sample of the largest difference
 * @param worstOutput         output of the largest difference
 * @param sameClass           samples where both predict the same class (argmax)
 * @param djlAccuracy         DJL's accuracy on the samples' labels
 * @param importedAccuracy    the toolkit model's (float32) accuracy on the same labels
 * @param tolerance           the largest difference accepted
 */
public record Verification(int samples, double[] maxAbsDiffPerOutput, double maxAbsDiff, int worstSample, int worstOutput,
                           int sameClass, double djlAccuracy, double importedAccuracy, double tolerance) {

    public boolean passed() { return maxAbsDiff <= tolerance; }

    /** One row per output: output index and its largest absolute difference. */
    public Table table() {
        IntColumn output = IntColumn.create("output");
        DoubleColumn diff = DoubleColumn.create("max_abs_diff");
        for (int o = 0; o < maxAbsDiffPerOutput.length; o++) {
            output.append(o);
            diff.append(maxAbsDiffPerOutput[o]);
        }
        return Table.create("verification").addColumns(output, diff);
    }

    @Override
    public String toString() {
        return String.format("%d samples: max |DJL - toolkit| %.3g (sample %d, output %d; tolerance %.1g), same class %d/%d, "
                        + "accuracy DJL %.4f, toolkit %.4f", samples, maxAbsDiff, worstSample, worstOutput, tolerance, sameClass,
                samples, djlAccuracy, importedAccuracy);
    }
}
