package fqt.select;

import fqt.nn.Model;
import fqt.nn.Selection;

/**
 * Dynamic partial gradient updates (method section 4), an immutable configuration:
 * {@code PartialUpdates.lambdaMin(0.1).lambdaMax(1.0).errorBy(SAMPLE_LOSS)}. For every sample and
 * trainable layer the structures (conv filters, fully connected rows) are ranked by the summed
 * magnitude of their output error and only the top {@code k} take part in the backward pass: no
 * weight gradient and no error propagation for the others. The budget k ({@link Select#budget})
 * grows from {@code lambdaMin * N} to {@code lambdaMax * N} with the current error relative to the
 * largest seen so far in the run. {@link #full()} ({@code lambdaMin 1}) keeps every structure.
 *
 * <p>{@link #fullHead(boolean)} exempts the last layer with weights, the classifier head. Its largest
 * error is always the true class's ({@code |p_y - 1|} is the sum of the other probabilities), so a
 * budget of one row (a 10-class head at lambda 0.1) only ever raises the true logit and nothing pushes
 * wrong classes down: accuracy suffers and training can diverge ({@code ./fqt experiment
 * partial-updates --select-head}). The head costs little; the default follows the method (every
 * trainable layer).
 *
 * <p>The lambdas are given as doubles and kept as float32, the precision the budget rule and the
 * device use.
 * Use with {@code Training.partialUpdates(p)}, which installs a fresh {@link #selector} per run.
 */
public record PartialUpdates(float lambdaMin, float lambdaMax, ErrorBy errorBy, boolean fullHead) {
    /** What the current error e, relative to its largest value so far, means. */
    public enum ErrorBy {
        /** The sample's loss; its largest value is tracked over the run. */
        SAMPLE_LOSS,
        /** The layer's mean |output error| in real units; its largest value is tracked per layer. */
        LAYER_MEAN_ERROR
    }

    public PartialUpdates {
        if (!(lambdaMin >= 0 && lambdaMin <= 1)) throw new IllegalArgumentException("lambdaMin must be in [0, 1], got " + lambdaMin);
        if (!(lambdaMax >= lambdaMin && lambdaMax <= 1)) {
            throw new IllegalArgumentException("lambdaMax must be in [lambdaMin, 1] = [" + lambdaMin + ", 1], got " + lambdaMax);
        }
        if (errorBy == null) throw new IllegalArgumentException("errorBy must not be null");
    }

    /** Budgets from {@code v * N} (lambdaMax 1, errors by sample loss). */
    public static PartialUpdates lambdaMin(double v) { return new PartialUpdates((float) v, 1f, ErrorBy.SAMPLE_LOSS, false); }

    /** Full updates: every structure of every sample. */
    public static PartialUpdates full() { return lambdaMin(1.0); }

    public PartialUpdates lambdaMax(double v) { return new PartialUpdates(lambdaMin, (float) v, errorBy, fullHead); }
    public PartialUpdates errorBy(ErrorBy e) { return new PartialUpdates(lambdaMin, lambdaMax, e, fullHead); }
    /** Whether the last layer with weights updates every structure (default false: see above). */
    public PartialUpdates fullHead(boolean b) { return new PartialUpdates(lambdaMin, lambdaMax, errorBy, b); }

    /** Whether structures are ranked at all (lambdaMin below 1). */
    public boolean ranking() { return lambdaMin < 1f; }

    /**
     * A fresh selector for one training run of {@code m} (it keeps the largest errors seen). With
     * {@code lambdaMin = 1} the budget is always N, so no ranking is done at all.
     */
    public Selection selector(Model m) {
        return !ranking() ? Selection.ALL : new Selector(m, lambdaMin, lambdaMax, errorBy, fullHead);
    }

    @Override
    public String toString() {
        return "PartialUpdates(lambdaMin " + lambdaMin + ", lambdaMax " + lambdaMax + ", " + errorBy + (fullHead ? ", full head" : "") + ")";
    }
}
