package fqt.train;

import fqt.data.Dataset;
import fqt.nn.Loss;
import fqt.nn.Model;
import java.util.Arrays;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * A model's predictions on a labelled data set, in the model's precision on the evaluation stream
 * of its training configuration ({@link TrainingConfig#evaluationContext()}, as
 * {@link TrainingRun#testAccuracy()} is computed): accuracy, confusion matrix and a table per class.
 */
public final class Evaluation {
    private final String data;
    private final int[] labels;
    private final int[] predicted;
    /** confusion[true class][predicted class]: samples. */
    private final int[][] confusion;

    private Evaluation(String data, int classes, int[] labels, int[] predicted) {
        this.data = data;
        this.labels = labels;
        this.predicted = predicted;
        this.confusion = new int[classes][classes];
        for (int i = 0; i < labels.length; i++) confusion[labels[i]][predicted[i]]++;
    }

    /**
     * Evaluates {@code model}, trained with {@code config}, on {@code data}. A classifier's only: a
     * model trained with {@link Loss#MSE} reconstructs its input and has no classes to confuse
     * (its metric is {@link Model#meanSquaredError}, per sample {@link Model#reconstructionErrors}).
     */
    public static Evaluation of(Model model, TrainingConfig config, Dataset data) {
        if (config.loss() == Loss.MSE) {
            throw new IllegalArgumentException("an Evaluation (accuracy, confusion matrix) needs a classifier; this model was trained with MSE"
                    + " to reconstruct its input: use TrainingRun.reconstructionErrors(data) or testMse()");
        }
        int[] labels = new int[data.size()];
        for (int i = 0; i < labels.length; i++) labels[i] = data.label(i);
        return new Evaluation(data.name(), model.classes(), labels, model.predict(data, config.evaluationContext()));
    }

    public String data() { return data; }
    public int samples() { return labels.length; }
    /** The model's classes (the data may use fewer). */
    public int classes() { return confusion.length; }
    /** The predicted class of each sample (a copy). */
    public int[] predictions() { return predicted.clone(); }

    public int correct() {
        int n = 0;
        for (int c = 0; c < confusion.length; c++) n += confusion[c][c];
        return n;
    }

    /** Correct predictions over samples; NaN for an empty data set. */
    public double accuracy() { return labels.length == 0 ? Double.NaN : (double) correct() / labels.length; }

    /** {@code confusion()[t][p]}: samples of true class t predicted as class p (a copy). */
    public int[][] confusion() {
        int[][] copy = new int[confusion.length][];
        for (int t = 0; t < copy.length; t++) copy[t] = confusion[t].clone();
        return copy;
    }

    /**
     * One row per class: class, samples (of that true class), correct, accuracy (correct / samples,
     * which is also the class's recall), precision (correct / samples predicted as the class) and
     * recall. A ratio with nothing to divide by is NaN.
     */
    public Table perClass() {
        IntColumn cls = IntColumn.create("class"), samples = IntColumn.create("samples"), correct = IntColumn.create("correct");
        DoubleColumn accuracy = DoubleColumn.create("accuracy"), precision = DoubleColumn.create("precision"), recall = DoubleColumn.create("recall");
        for (int c = 0; c < confusion.length; c++) {
            int predictedAsC = 0;
            for (int[] row : confusion) predictedAsC += row[c];
            cls.append(c);
            samples.append(samplesOf(c));
            correct.append(confusion[c][c]);
            accuracy.append(recall(c));
            precision.append(ratio(confusion[c][c], predictedAsC));
            recall.append(recall(c));
        }
        return Table.create("per class: " + data).addColumns(cls, samples, correct, accuracy, precision, recall);
    }

    private int samplesOf(int c) { return Arrays.stream(confusion[c]).sum(); }
    private double recall(int c) { return ratio(confusion[c][c], samplesOf(c)); }
    private static double ratio(int a, int b) { return b == 0 ? Double.NaN : (double) a / b; }

    /** Accuracy, then the class with the lowest recall and the most frequent confusion. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(String.format("%s: accuracy %.4f (%d of %d correct), %d classes", data, accuracy(), correct(), samples(),
                classes()));
        int worst = -1, from = -1, to = -1;
        for (int t = 0; t < confusion.length; t++) {
            if (samplesOf(t) > 0 && (worst < 0 || recall(t) < recall(worst))) worst = t;
            for (int p = 0; p < confusion.length; p++) {
                if (p != t && confusion[t][p] > 0 && (from < 0 || confusion[t][p] > confusion[from][to])) {
                    from = t;
                    to = p;
                }
            }
        }
        if (worst >= 0) sb.append(String.format("%n  lowest recall: class %d, %.4f", worst, recall(worst)));
        if (from >= 0) sb.append(String.format("%n  most confused: class %d predicted as %d, %d samples", from, to, confusion[from][to]));
        return sb.toString();
    }
}
