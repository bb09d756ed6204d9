package fqt.train;

import fqt.data.Dataset;
import fqt.nn.Model;
import fqt.nn.Precision;
import tech.tablesaw.api.Table;

/**
 * The result of {@link Training#fit}: the trained model, a row per optimizer step
 * ({@link #history()}) and per epoch ({@link #epochs()}).
 */
public final class TrainingRun {
    private final TrainingConfig config;
    private final Model model;
    private final Table history;
    private final Table epochs;

    TrainingRun(TrainingConfig config, Model model, Table history, Table epochs) {
        this.config = config;
        this.model = model;
        this.history = history;
        this.epochs = epochs;
    }

    public Model model() { return model; }
    public Precision precision() { return config.precision(); }
    /** The settings this run was trained with, frozen at {@code fit}. */
    public TrainingConfig config() { return config; }

    /**
     * One row per optimizer step: epoch, step, samples, loss, train_acc, test_acc (at epoch ends),
     * seconds (since the start), forward_macs, backward_macs, update_fraction (structures updated /
     * available), backward_seconds (wall time of the step's backward passes).
     */
    public Table history() { return history; }

    /** One row per epoch: epoch, loss, train_acc, test_acc, seconds. */
    public Table epochs() { return epochs; }

    public double testAccuracy() { return last("test_acc"); }
    public double trainAccuracy() { return last("train_acc"); }
    public double loss() { return last("loss"); }
    public double seconds() { return last("seconds"); }

    /** The trained model's class for each sample, in the run's precision on the evaluation stream (as {@link #testAccuracy()}). */
    public int[] predict(Dataset data) { return model.predict(data, config.evaluationContext()); }

    /** The trained model's class for one sample ({@link #predict(Dataset)}). */
    public int predict(float[] sample) { return model.predict(sample, config.evaluationContext()); }

    /** Accuracy, confusion matrix and per-class table of the trained model on {@code data}. */
    public Evaluation evaluate(Dataset data) { return Evaluation.of(model, config, data); }

    private double last(String column) {
        return epochs.rowCount() == 0 ? Double.NaN : epochs.doubleColumn(column).getDouble(epochs.rowCount() - 1);
    }

    @Override
    public String toString() {
        return String.format("%s %s: test_acc %.4f, train_acc %.4f, loss %.4f after %d epochs (%.1f s)",
                config.precision(), config.optimizer().describe(), testAccuracy(), trainAccuracy(), loss(), epochs.rowCount(), seconds());
    }
}
