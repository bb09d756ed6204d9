package fqt.train;

import fqt.data.Dataset;
import fqt.nn.Context;
import fqt.nn.ErrorRange;
import fqt.nn.Gradients;
import fqt.nn.Loss;
import fqt.nn.Model;
import fqt.nn.Precision;
import fqt.nn.WeightLayer;
import fqt.quant.Rounding;
import fqt.select.PartialUpdates;
import java.io.PrintStream;
import java.util.List;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.Table;

/**
 * The settings of a training run, chained: {@code precision(UINT8).optimizer(sgd(0.05f))
 * .rounding(STOCHASTIC).batch(16).epochs(3).seed(7).fit(train, test)}; what is not set is
 * {@link Defaults}. {@link #config()} freezes the settings into a {@link TrainingConfig}, which
 * {@code fit} and {@code Board.deploy} use, so changing the builder later changes no earlier run.
 * Training is per sample, as on the device: forward, loss, backward into the gradient buffers;
 * every {@code batch} samples the optimizer updates the weights. The same settings and seed
 * reproduce a run to the bit.
 */
public final class Training {
    private final Model model;
    private Precision precision = Defaults.PRECISION;
    private Optimizer optimizer = Defaults.OPTIMIZER;
    private Rounding rounding = Defaults.ROUNDING;
    private ErrorRange errorRange = Defaults.ERROR_RANGE;
    private float alphaA = Defaults.ALPHA_A;
    private float alphaE = Defaults.ALPHA_E;
    private int batch = Defaults.BATCH;
    private int epochs = Defaults.EPOCHS;
    private long seed = Defaults.SEED;
    private int calibration = Defaults.CALIBRATION;
    private int trainLast = Defaults.TRAIN_LAST;
    private PartialUpdates partialUpdates = Defaults.PARTIAL_UPDATES;
    private boolean biasOnly = Defaults.BIAS_ONLY;
    private Loss loss = Defaults.LOSS;
    private Gradients gradients = Defaults.GRADIENTS;
    private PrintStream progress = Progress.defaultStream();

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
    public Training calibration(int samples) { this.calibration = samples; return this; }
    /** Trains only the last {@code n} layers with weights; the others are frozen (transfer learning). */
    public Training trainLast(int n) { this.trainLast = n; return this; }
    /** The paper's dynamic partial updates (default {@link PartialUpdates#full()}); every fit gets a fresh selector. */
    public Training partialUpdates(PartialUpdates p) { this.partialUpdates = p; return this; }
    /**
     * Bias-only updates (TinyTL): every layer with weights but the last updates only its biases
     * (errors still flow through it); the last layer, the classifier head, trains fully.
     */
    public Training biasOnly(boolean b) { this.biasOnly = b; return this; }
    /** What training minimizes: {@link Loss#CROSS_ENTROPY} (labels) or {@link Loss#MSE} (reconstruct the input). */
    public Training loss(Loss l) { this.loss = l; return this; }
    /**
     * Where gradients wait for their update: {@link Gradients#AUTO} (default: in place at batch 1,
     * int8 sums in UINT8 batches), or FLOAT32 sums (4 B per weight, fastest), INT8 sums or
     * IN_PLACE (batch 1) in any precision.
     */
    public Training gradients(Gradients g) { this.gradients = g; return this; }
    /** Where the progress bar goes (null: nowhere); not a training setting. */
    public Training progress(PrintStream out) { this.progress = out; return this; }
    /** Every setting at once, e.g. a run's {@code config()} to train it again. */
    public Training config(TrainingConfig c) {
        precision = c.precision();
        optimizer = c.optimizer();
        rounding = c.rounding();
        errorRange = c.errorRange();
        alphaA = c.alphaA();
        alphaE = c.alphaE();
        batch = c.batch();
        epochs = c.epochs();
        seed = c.seed();
        calibration = c.calibration();
        trainLast = c.trainLast();
        partialUpdates = c.partialUpdates();
        biasOnly = c.biasOnly();
        loss = c.loss();
        gradients = c.gradients();
        return this;
    }

    /** The model the run starts from, as given (not yet copied, frozen or quantized). */
    public Model model() { return model; }

    /** The settings as they are now, frozen (checked: a bad value throws naming it). */
    public TrainingConfig config() {
        return new TrainingConfig(precision, rounding, optimizer, partialUpdates, errorRange, alphaA, alphaE, batch, epochs, seed,
                calibration, trainLast, biasOnly, loss, gradients);
    }

    /** The model a run of {@code c} starts from: a copy of {@code model}, frozen and quantized as configured. */
    public static Model prepareModel(Model model, TrainingConfig c, Dataset train) {
        if (c.precision() == Precision.FLOAT32 && model.quantized()) {
            throw new IllegalArgumentException("FLOAT32 training needs a float model; this one is quantized (train it in MIXED or UINT8)");
        }
        for (WeightLayer w : model.weightLayers()) w.weights().checkFinite(w.name());
        Model m = model.copy();
        if (c.trainLast() > 0) m.trainLast(c.trainLast());
        List<WeightLayer> w = m.weightLayers();
        if (c.biasOnly()) for (int i = 0; i < w.size() - 1; i++) w.get(i).updateBiasOnly(true);
        if (c.precision().quantizedFeatures() && !m.quantized()) m.quantize(train.shuffled(c.seed()).take(c.calibration()));
        return m;
    }

    /** {@link #prepareModel(Model, TrainingConfig, Dataset)} of this training's model and settings. */
    public Model prepareModel(Dataset train) { return prepareModel(model, config(), train); }

    /** Trains on {@code train}; {@code test} (may be null) is evaluated after every epoch. */
    public TrainingRun fit(Dataset train, Dataset test) {
        return fit(train, test, true);
    }

    /** The last {@link #fit}'s passes: how many samples ran in flight (tests). */
    SamplesInFlight passes;

    /** {@link #fit}; {@code inFlight} false runs one sample at a time (the reference the overlap is tested against). */
    TrainingRun fit(Dataset train, Dataset test, boolean inFlight) {
        TrainingConfig cfg = config();
        if (train == null || train.isEmpty()) throw new IllegalArgumentException("the training set is empty");
        model.checkInput(train);
        if (test != null) model.checkInput(test);
        if (test != null && test.isEmpty()) throw new IllegalArgumentException("the test set is empty: pass null to train without a test");
        Model m = prepareModel(model, cfg, train);
        Optimizer opt = cfg.optimizer();
        Precision precision = cfg.precision();
        int epochs = cfg.epochs(), batch = cfg.batch();
        long seed = cfg.seed();
        Context c = cfg.context();
        c.selection = cfg.partialUpdates().selector(m);
        // The metric: accuracy (train_acc, test_acc) for cross-entropy, the mean reconstruction error (train_mse, test_mse) for MSE.
        String metric = cfg.loss().metric(), trainCol = "train_" + metric, testCol = "test_" + metric;
        boolean mse = cfg.loss() == Loss.MSE;
        Table history = Table.create("history").addColumns(IntColumn.create("epoch"), IntColumn.create("step"),
                LongColumn.create("samples"), DoubleColumn.create("loss"), DoubleColumn.create(trainCol),
                DoubleColumn.create(testCol), DoubleColumn.create("seconds"), LongColumn.create("forward_macs"),
                LongColumn.create("backward_macs"), DoubleColumn.create("update_fraction"), DoubleColumn.create("backward_seconds"));
        Table epochTable = Table.create("epochs").addColumns(IntColumn.create("epoch"), DoubleColumn.create("loss"),
                DoubleColumn.create(trainCol), DoubleColumn.create(testCol), DoubleColumn.create("seconds"));
        passes = new SamplesInFlight(m, train, c, cfg, inFlight);
        long t0 = System.nanoTime();
        long samplesDone = 0;
        int step = 0;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            int[] order = Dataset.permutation(train.size(), seed * 1_000_003L + epoch);
            Progress bar = new Progress(progress, precision + " epoch " + epoch + "/" + epochs, train.size());
            double epochLoss = 0, batchLoss = 0;
            int correct = 0, inBatch = 0;
            c.resetCounters();
            for (int k = 0; k < order.length; k++) {
                float[] logits = passes.forward(order[k]);
                if (!mse && argmax(logits) == train.label(order[k])) correct++;
                boolean batchEnds = inBatch + 1 == batch || k == order.length - 1;
                float loss = passes.backward(train.label(order[k]), batchEnds ? -1 : order[k + 1]);
                if (!Float.isFinite(loss)) {
                    throw new ArithmeticException("loss became " + loss + " at epoch " + epoch + ", sample " + (k + 1)
                            + " (" + precision + ", " + opt.describe() + "): lower the learning rate");
                }
                epochLoss += loss;
                batchLoss += loss;
                inBatch++;
                samplesDone++;
                if (batchEnds) {
                    passes.settle();
                    for (WeightLayer w : m.weightLayers()) if (!w.frozen()) opt.update(w.weights(), c.gradients, cfg.rounding(), c.rng);
                    step++;
                    boolean last = k == order.length - 1;
                    double testAcc = last && test != null ? cfg.evaluate(m, test) : Double.NaN;
                    // Train MSE: the mean loss of the epoch's samples so far (each sample's MSE, in training, before its update).
                    double trainMetric = mse ? epochLoss / (k + 1) : (double) correct / (k + 1);
                    appendStep(history, trainCol, testCol, epoch, step, samplesDone, batchLoss / inBatch, trainMetric, testAcc,
                            (System.nanoTime() - t0) / 1e9, passes.takeBackwardNanos() / 1e9, c);
                    c.resetCounters();
                    batchLoss = 0;
                    inBatch = 0;
                    double lossSoFar = epochLoss / (k + 1), accSoFar = (double) correct / (k + 1);
                    bar.update(k + 1, () -> mse ? String.format("mse %.4f", lossSoFar) : String.format("loss %.3f, acc %.3f", lossSoFar, accSoFar));
                    if (last) {
                        epochTable.intColumn("epoch").append(epoch);
                        epochTable.doubleColumn("loss").append(epochLoss / order.length);
                        epochTable.doubleColumn(trainCol).append(mse ? epochLoss / order.length : (double) correct / order.length);
                        epochTable.doubleColumn(testCol).append(testAcc);
                        epochTable.doubleColumn("seconds").append((System.nanoTime() - t0) / 1e9);
                    }
                }
            }
        }
        return new TrainingRun(cfg, m, history, epochTable);
    }

    private static void appendStep(Table h, String trainCol, String testCol, int epoch, int step, long samples, double loss,
                                   double trainAcc, double testAcc, double seconds, double backwardSeconds, Context c) {
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
        h.doubleColumn(trainCol).append(trainAcc);
        h.doubleColumn(testCol).append(testAcc);
        h.doubleColumn("seconds").append(seconds);
        h.longColumn("forward_macs").append(fwd);
        h.longColumn("backward_macs").append(bwd);
        h.doubleColumn("update_fraction").append(avail == 0 ? Double.NaN : (double) sel / avail);
        h.doubleColumn("backward_seconds").append(backwardSeconds);
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }
}
