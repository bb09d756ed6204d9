package fqt.train;

import fqt.data.Dataset;
import fqt.nn.Context;
import fqt.nn.ErrorRange;
import fqt.nn.Model;
import fqt.nn.Precision;
import fqt.nn.Selection;
import fqt.nn.WeightLayer;
import fqt.quant.Rounding;
import fqt.quant.Xorshift32;
import fqt.select.PartialUpdates;
import java.io.PrintStream;
import java.util.List;
import java.util.function.Function;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.Table;

/**
 * The settings of a training run, chained: {@code precision(UINT8).optimizer(standardizedSgd(0.05))
 * .rounding(STOCHASTIC).batch(16).epochs(3).seed(7).fit(train, test)}. Training is per sample, as
 * on the device: forward, loss, backward into the gradient buffers; every {@code batch} samples the
 * optimizer updates the weights. The same settings and seed reproduce a run to the bit.
 */
public final class Training {
    /** Seed of the rounding stream used by evaluations, so testing never disturbs training's stream. */
    public static final int EVAL_SEED = 0x5EED;

    private final Model model;
    private Precision precision = Precision.FLOAT32;
    private Optimizer optimizer;
    private Rounding rounding = Rounding.STOCHASTIC;
    private ErrorRange errorRange = ErrorRange.EXACT;
    private float alphaA = 0.01f;
    private float alphaE = 0.1f;
    private int batch = 16;
    private int epochs = 1;
    private long seed = 1;
    private int calibrationSamples = 512;
    private int trainLast;
    /** The selection of a run, made for the run's own model copy (selectors may keep state). */
    private Function<Model, Selection> selection = m -> Selection.ALL;
    /** What {@link #partialUpdates} set, for the memory plan; null after {@link #selection}. */
    private PartialUpdates partialUpdates;
    private boolean biasOnly;
    private PrintStream progress = System.err;

    Training(Model model) {
        this.model = model;
    }

    public Training precision(Precision p) { this.precision = p; return this; }
    public Training optimizer(Optimizer o) { this.optimizer = o; return this; }
    public Training rounding(Rounding r) { this.rounding = r; return this; }
    public Training errorRange(ErrorRange e) { this.errorRange = e; return this; }
    /** Moving-average rate of the feature ranges during training (0 keeps the calibrated ranges). */
    public Training alphaA(float a) { this.alphaA = a; return this; }
    /** Moving-average rate of the error ranges ({@link ErrorRange#EMA}). */
    public Training alphaE(float a) { this.alphaE = a; return this; }
    public Training batch(int n) { this.batch = n; return this; }
    public Training epochs(int n) { this.epochs = n; return this; }
    public Training seed(long s) { this.seed = s; return this; }
    /** Training samples used to calibrate feature ranges when a float model is quantized. */
    public Training calibration(int samples) { this.calibrationSamples = samples; return this; }
    /** Trains only the last {@code n} layers with weights; the others are frozen (transfer learning). */
    public Training trainLast(int n) { this.trainLast = n; return this; }
    /** Which structures each sample updates (default: all); replaces {@link #partialUpdates}. */
    public Training selection(Selection s) { this.selection = m -> s; this.partialUpdates = null; return this; }
    /** The paper's dynamic partial updates; every fit gets a fresh selector. Replaces {@link #selection}. */
    public Training partialUpdates(PartialUpdates p) { this.selection = p::selector; this.partialUpdates = p; return this; }
    /**
     * Bias-only updates (TinyTL): every layer with weights but the last updates only its biases
     * (errors still flow through it); the last layer, the classifier head, trains fully.
     */
    public Training biasOnly(boolean b) { this.biasOnly = b; return this; }
    /** Where the progress bar goes (null: nowhere). */
    public Training progress(PrintStream out) { this.progress = out; return this; }

    public Precision precision() { return precision; }
    public Rounding rounding() { return rounding; }
    public long seed() { return seed; }
    public int batch() { return batch; }
    public int epochs() { return epochs; }
    public Optimizer optimizerOrDefault() { return optimizer != null ? optimizer : Optimizer.standardizedSgd(0.01f); }
    public int trainLast() { return trainLast; }
    public boolean biasOnly() { return biasOnly; }
    public ErrorRange errorRange() { return errorRange; }
    public float alphaA() { return alphaA; }
    public float alphaE() { return alphaE; }
    /** The partial updates set with {@link #partialUpdates}, or null (full updates or a custom selection). */
    public PartialUpdates partialUpdatesOrNull() { return partialUpdates; }
    String describeOptimizer() { return optimizerOrDefault().describe(); }

    private void validate(Dataset train) {
        if (batch < 1) throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        if (calibrationSamples < 1) throw new IllegalArgumentException("calibration must be >= 1 sample, got " + calibrationSamples);
        if (alphaA < 0 || alphaA > 1 || alphaE < 0 || alphaE > 1) throw new IllegalArgumentException("alphaA and alphaE must be in [0, 1]");
        if (train == null || train.isEmpty()) throw new IllegalArgumentException("the training set is empty");
        if (precision == Precision.FLOAT32 && model.quantized()) {
            throw new IllegalArgumentException("FLOAT32 training needs a float model; this one is quantized");
        }
    }

    /** The model this run starts from: a copy, frozen and quantized as configured. */
    public Model prepareModel(Dataset train) {
        Model m = model.copy();
        if (trainLast > 0) m.trainLast(trainLast);
        List<WeightLayer> w = m.weightLayers();
        if (biasOnly) for (int i = 0; i < w.size() - 1; i++) w.get(i).updateBiasOnly(true);
        if (precision.quantizedFeatures() && !m.quantized()) m.quantize(train.shuffled(seed).take(calibrationSamples));
        return m;
    }

    /** Trains on {@code train}; {@code test} (may be null) is evaluated after every epoch. */
    public TrainingRun fit(Dataset train, Dataset test) {
        validate(train);
        model.checkInput(train);
        if (test != null) model.checkInput(test);
        Model m = prepareModel(train);
        Optimizer opt = optimizerOrDefault();
        Context c = new Context(precision, rounding, errorRange, alphaA, alphaE, new Xorshift32(seed));
        c.selection = selection.apply(m);
        Table history = Table.create("history").addColumns(IntColumn.create("epoch"), IntColumn.create("step"),
                LongColumn.create("samples"), DoubleColumn.create("loss"), DoubleColumn.create("train_acc"),
                DoubleColumn.create("test_acc"), DoubleColumn.create("seconds"), LongColumn.create("forward_macs"),
                LongColumn.create("backward_macs"), DoubleColumn.create("update_fraction"), DoubleColumn.create("backward_seconds"));
        Table epochTable = Table.create("epochs").addColumns(IntColumn.create("epoch"), DoubleColumn.create("loss"),
                DoubleColumn.create("train_acc"), DoubleColumn.create("test_acc"), DoubleColumn.create("seconds"));
        float[] x = new float[train.sampleSize()];
        long t0 = System.nanoTime();
        long samplesDone = 0;
        long backwardNanos = 0; // wall time of Model.backward in the current step: what partial updates save
        int step = 0;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            int[] order = Dataset.permutation(train.size(), seed * 1_000_003L + epoch);
            Progress bar = new Progress(progress, precision + " epoch " + epoch + "/" + epochs, train.size());
            double epochLoss = 0, batchLoss = 0;
            int correct = 0, inBatch = 0;
            c.resetCounters();
            for (int k = 0; k < order.length; k++) {
                train.copySample(order[k], x);
                float[] logits = m.forward(x, c);
                if (argmax(logits) == train.label(order[k])) correct++;
                long b0 = System.nanoTime();
                float loss = m.backward(train.label(order[k]), c);
                backwardNanos += System.nanoTime() - b0;
                if (!Float.isFinite(loss)) {
                    throw new ArithmeticException("loss became " + loss + " at epoch " + epoch + ", sample " + (k + 1)
                            + " (" + precision + ", " + opt.describe() + "): lower the learning rate");
                }
                epochLoss += loss;
                batchLoss += loss;
                inBatch++;
                samplesDone++;
                if (inBatch == batch || k == order.length - 1) {
                    for (WeightLayer w : m.weightLayers()) if (!w.frozen()) w.weights().update(opt, rounding, c.rng);
                    step++;
                    boolean last = k == order.length - 1;
                    double testAcc = last && test != null ? evaluate(m, test) : Double.NaN;
                    appendStep(history, epoch, step, samplesDone, batchLoss / inBatch, (double) correct / (k + 1), testAcc,
                            (System.nanoTime() - t0) / 1e9, backwardNanos / 1e9, c);
                    c.resetCounters();
                    backwardNanos = 0;
                    batchLoss = 0;
                    inBatch = 0;
                    bar.update(k + 1, String.format("loss %.3f, acc %.3f", epochLoss / (k + 1), (double) correct / (k + 1)));
                    if (last) {
                        epochTable.intColumn("epoch").append(epoch);
                        epochTable.doubleColumn("loss").append(epochLoss / order.length);
                        epochTable.doubleColumn("train_acc").append((double) correct / order.length);
                        epochTable.doubleColumn("test_acc").append(testAcc);
                        epochTable.doubleColumn("seconds").append((System.nanoTime() - t0) / 1e9);
                    }
                }
            }
        }
        return new TrainingRun(this, m, history, epochTable);
    }

    private static void appendStep(Table h, int epoch, int step, long samples, double loss, double trainAcc, double testAcc,
                                   double seconds, double backwardSeconds, Context c) {
        long fwd = 0, bwd = 0, sel = 0, avail = 0;
        for (int i = 0; i < c.forwardMacs.length; i++) {
            fwd += c.forwardMacs[i];
            bwd += c.backwardMacs[i];
            sel += c.selected[i];
            avail += c.available[i];
        }
        h.intColumn("epoch").append(epoch);
        h.intColumn("step").append(step);
        h.longColumn("samples").append(samples);
        h.doubleColumn("loss").append(loss);
        h.doubleColumn("train_acc").append(trainAcc);
        h.doubleColumn("test_acc").append(testAcc);
        h.doubleColumn("seconds").append(seconds);
        h.longColumn("forward_macs").append(fwd);
        h.longColumn("backward_macs").append(bwd);
        h.doubleColumn("update_fraction").append(avail == 0 ? Double.NaN : (double) sel / avail);
        h.doubleColumn("backward_seconds").append(backwardSeconds);
    }

    /** Test accuracy of a model trained in this run's precision and rounding (own rounding stream). */
    public double evaluate(Model m, Dataset test) {
        Context e = new Context(precision, rounding, errorRange, alphaA, alphaE, new Xorshift32(EVAL_SEED));
        return m.accuracy(test, e);
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }
}
