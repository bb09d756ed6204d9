package fqt.train;

import fqt.data.Dataset;
import fqt.nn.Loss;
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
     * available), backward_seconds (wall time of the step's backward passes). A run trained with
     * {@link Loss#MSE} has train_mse and test_mse in place of train_acc and test_acc
     * ({@link Loss#metric()}): train_mse is the mean loss of the epoch's samples so far, test_mse the
     * test set's mean reconstruction error.
     */
    public Table history() { return history; }

    /** One row per epoch: epoch, loss, train_acc, test_acc, seconds (train_mse, test_mse for {@link Loss#MSE}). */
    public Table epochs() { return epochs; }

    public double testAccuracy() { return last(metricColumn("test", Loss.CROSS_ENTROPY)); }
    public double trainAccuracy() { return last(metricColumn("train", Loss.CROSS_ENTROPY)); }
    /** Mean reconstruction error on the test set after the last epoch (a run trained with {@link Loss#MSE}). */
    public double testMse() { return last(metricColumn("test", Loss.MSE)); }
    /** Mean training loss of the last epoch (a run trained with {@link Loss#MSE}). */
    public double trainMse() { return last(metricColumn("train", Loss.MSE)); }
    /** The last epoch's test metric, whichever the loss: accuracy or mean reconstruction error. */
    public double testMetric() { return last("test_" + config.loss().metric()); }
    public double trainMetric() { return last("train_" + config.loss().metric()); }
    /** The last epoch's mean training loss (cross-entropy, or MSE: then it is {@link #trainMse()}). */
    public double loss() { return last("loss"); }
    public double seconds() { return last("seconds"); }

    private String metricColumn(String split, Loss wanted) {
        if (config.loss() != wanted) {
            throw new IllegalStateException("this run minimized " + config.loss() + ", whose metric is " + config.loss().metric() + ", not "
                    + wanted.metric() + ": use " + (config.loss() == Loss.MSE ? split + "Mse()" : split + "Accuracy()") + " or " + split + "Metric()");
        }
        return split + "_" + wanted.metric();
    }

    /** The trained model's class for each sample, in the run's precision on the evaluation stream (as {@link #testAccuracy()}). */
    public int[] predict(Dataset data) { requireClassifier("predict"); return model.predict(data, config.evaluationContext()); }

    /** The trained model's class for one sample ({@link #predict(Dataset)}). */
    public int predict(float[] sample) { requireClassifier("predict"); return model.predict(sample, config.evaluationContext()); }

    /**
     * The reconstruction error (MSE of the output against the input) of each sample, in the run's
     * precision on the evaluation stream: an autoencoder's anomaly scores. Their mean is {@link #testMse()} on the test set.
     */
    public float[] reconstructionErrors(Dataset data) { return model.reconstructionErrors(data, config.evaluationContext()); }

    /** Accuracy, confusion matrix and per-class table of the trained model on {@code data} (a classifier: cross-entropy). */
    public Evaluation evaluate(Dataset data) { return Evaluation.of(model, config, data); }

    private void requireClassifier(String what) {
        if (config.loss() == Loss.MSE) {
            throw new IllegalStateException(what + " needs a classifier; this run minimized MSE (a reconstruction): use reconstructionErrors(data) or testMse()");
        }
    }

    private double last(String column) {
        return epochs.rowCount() == 0 ? Double.NaN : epochs.doubleColumn(column).getDouble(epochs.rowCount() - 1);
    }

    @Override
    public String toString() {
        String m = config.loss().metric();
        return String.format("%s %s: test_%s %.4f, train_%s %.4f, loss %.4f after %d epochs (%.1f s)",
                config.precision(), config.optimizer().describe(), m, testMetric(), m, trainMetric(), loss(), epochs.rowCount(), seconds());
    }
}
