package fqt.djl;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import fqt.data.Dataset;

import java.util.SplittableRandom;

/**
 * The float baseline: {@link DjlModels#smallCnn} trained with DJL's training API on libtorch (CPU),
 * softmax cross-entropy, plain SGD (fixed learning rate, no momentum, no weight decay), on an
 * in-memory {@link Dataset}.
 *
 * <p>One instance owns one model and its trainer; close it to free the native memory. Not
 * thread-safe, and only one instance may be inside {@link #step} at a time in a JVM: DJL's PyTorch
 * gradient collector is a process-wide singleton.
 *
 * <p>Weights start from DJL's defaults (Xavier/He normal, magnitude 2 over fan-in; zero biases),
 * drawn from libtorch's generator seeded with the given seed.
 */
public final class TorchBaseline implements AutoCloseable {

    /**
     * {@link #trainSamplesPerSecond} trains at least this many steps, and for at least
     * {@link #WARMUP_SECONDS}, before it starts its clock: on this project's 2-core machines a fresh
     * JVM needs some hundreds of steps (about a second) before the JIT and libtorch settle, and
     * rates measured earlier come out 30-50 % low.
     */
    public static final int WARMUP_STEPS = 20;
    /** Minimum warm-up time of {@link #trainSamplesPerSecond}, in seconds. */
    public static final double WARMUP_SECONDS = 1.0;

    /**
     * Training speed of one run.
     *
     * @param batch            samples per SGD step
     * @param intraOpThreads   libtorch intra-op threads during the run
     * @param samples          samples trained while the clock ran (whole batches, so at least the requested number)
     * @param seconds          wall time of those steps
     * @param samplesPerSecond {@code samples / seconds}
     * @param finalLoss        mean loss of the last batch
     */
    public record Throughput(int batch, int intraOpThreads, int samples, double seconds, double samplesPerSecond,
                             float finalLoss) {
        @Override
        public String toString() {
            return String.format("batch %d, %d thread(s): %.1f samples/s (%d samples in %.3f s), final loss %.4f",
                    batch, intraOpThreads, samplesPerSecond, samples, seconds, finalLoss);
        }
    }

    /** Mean loss and top-1 accuracy over a dataset. */
    public record Evaluation(double loss, double accuracy, int samples) {}

    private final int[] shape;
    private final int classes;
    private final Model model;
    private final Trainer trainer;
    private final float[] sample;
    private float[] features = new float[0];
    private int[] labels = new int[0];

    private TorchBaseline(int[] shape, int classes, Model model, Trainer trainer) {
        this.shape = shape.clone();
        this.classes = classes;
        this.model = model;
        this.trainer = trainer;
        this.sample = new float[shape[0] * shape[1] * shape[2]];
    }

    /**
     * A freshly initialized small CNN with its SGD trainer.
     *
     * @param shape   {channels, height, width} of one sample
     * @param classes number of output classes
     * @param lr      SGD learning rate
     * @param seed    seeds libtorch's generator before the weights are drawn
     */
    public static TorchBaseline create(int[] shape, int classes, float lr, long seed) {
        if (shape.length != 3) throw new IllegalArgumentException("shape must be {channels, height, width}");
        return create(DjlModels.smallCnn(shape[0], shape[1], shape[2], classes), shape, classes, lr, seed);
    }

    /**
     * Any DJL block that maps {@code shape} samples to {@code classes} logits (e.g.
     * {@link DjlModels#smallCnnBn}) with the same SGD trainer: float pretraining in Java, whose
     * result {@code Import.djl(baseline.model())} brings into the toolkit.
     */
    public static TorchBaseline create(Block block, int[] shape, int classes, float lr, long seed) {
        if (shape.length != 3) throw new IllegalArgumentException("shape must be {channels, height, width}");
        Torch.engine().setRandomSeed((int) (seed ^ (seed >>> 32)));
        Model model = Model.newInstance("fqt-small-cnn", Device.cpu(), Torch.ENGINE);
        try {
            model.setBlock(block);
            // DJL's default optimizer is Adam: set plain SGD explicitly.
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(lr)).build())
                    .optDevices(new Device[] {Device.cpu()});
            Trainer trainer = model.newTrainer(config);
            trainer.initialize(new Shape(1, shape[0], shape[1], shape[2]));
            return new TorchBaseline(shape, classes, model, trainer);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** Same as {@link #create(int[], int, float, long)} with the data's shape and class count. */
    public static TorchBaseline create(Dataset data, float lr, long seed) {
        return create(data.shape(), data.classes(), lr, seed);
    }

    /**
     * One SGD step on {@code count} samples of {@code data}: {@code indices[from..from+count)}.
     * Includes copying the samples into NDArrays, forward, loss, backward and the optimizer step.
     *
     * @return the batch's mean loss before the update
     */
    public float step(Dataset data, int[] indices, int from, int count) {
        checkCompatible(data);
        fill(data, indices, from, count);
        // Everything made in this step (inputs, activations, loss) lives in a sub-manager and is
        // freed when it closes; the weights live in the model's manager.
        try (NDManager batchManager = trainer.getManager().newSubManager()) {
            NDArray x = batchManager.create(features, new Shape(count, shape[0], shape[1], shape[2]));
            NDArray y = batchManager.create(labels);
            NDArray loss;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDArray logits = trainer.forward(new NDList(x)).singletonOrThrow();
                loss = trainer.getLoss().evaluate(new NDList(y), new NDList(logits));
                collector.backward(loss);
            }
            trainer.step(); // SGD update; the gradients are zero afterwards (checked), so none carry over
            return loss.getFloat();
        }
    }

    /**
     * Trains {@code steps} SGD steps of {@code batch} samples, drawn epoch by epoch from a fresh
     * seeded permutation of {@code data}.
     *
     * @return the loss of every step, in order
     */
    public float[] fit(Dataset data, int batch, int steps, long seed) {
        Sampler sampler = new Sampler(data.size(), batch, seed);
        float[] losses = new float[steps];
        for (int s = 0; s < steps; s++) {
            losses[s] = step(data, sampler.next(), 0, batch);
        }
        return losses;
    }

    /** Mean loss and top-1 accuracy over all of {@code data}, without training (batches of 256). */
    public Evaluation evaluate(Dataset data) {
        checkCompatible(data);
        int n = data.size();
        int[] all = new int[n];
        for (int i = 0; i < n; i++) all[i] = i;
        double lossSum = 0;
        long correct = 0;
        for (int from = 0; from < n; from += 256) {
            int count = Math.min(256, n - from);
            fill(data, all, from, count);
            try (NDManager batchManager = trainer.getManager().newSubManager()) {
                NDArray x = batchManager.create(features, new Shape(count, shape[0], shape[1], shape[2]));
                NDArray y = batchManager.create(labels);
                NDArray logits = trainer.evaluate(new NDList(x)).singletonOrThrow();
                lossSum += trainer.getLoss().evaluate(new NDList(y), new NDList(logits)).getFloat() * count;
                long[] predicted = logits.argMax(1).toLongArray();
                for (int k = 0; k < count; k++) {
                    if (predicted[k] == labels[k]) correct++;
                }
            }
        }
        return new Evaluation(n == 0 ? Double.NaN : lossSum / n, n == 0 ? Double.NaN : (double) correct / n, n);
    }

    /**
     * Training speed of the small CNN on {@code data} with libtorch's current intra-op thread count.
     * After a warm-up ({@link #WARMUP_STEPS} steps and {@link #WARMUP_SECONDS}, whichever takes
     * longer) the clock runs over whole steps (copy into NDArrays, forward, loss, backward, SGD
     * step, reading the loss) until at least {@code samples} samples are done. Single runs vary by
     * 10-20 % (more with 2 threads on 2 cores); repeat and take the median for a benchmark.
     */
    public static Throughput trainSamplesPerSecond(Dataset data, int batch, int samples, float lr, long seed) {
        if (batch < 1 || samples < 1) throw new IllegalArgumentException("batch and samples must be >= 1");
        try (TorchBaseline baseline = create(data, lr, seed)) {
            Sampler sampler = new Sampler(data.size(), batch, seed);
            long warmupEnd = System.nanoTime() + (long) (WARMUP_SECONDS * 1e9);
            for (int s = 0; s < WARMUP_STEPS || System.nanoTime() < warmupEnd; s++) {
                baseline.step(data, sampler.next(), 0, batch);
            }
            int steps = (samples + batch - 1) / batch;
            float loss = Float.NaN;
            long start = System.nanoTime();
            for (int s = 0; s < steps; s++) loss = baseline.step(data, sampler.next(), 0, batch);
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Throughput(batch, Torch.intraOpThreads(), steps * batch, seconds, steps * batch / seconds, loss);
        }
    }

    /**
     * As {@link #trainSamplesPerSecond(Dataset, int, int, float, long)} with libtorch set to
     * {@code threads} intra-op threads for the run (restored afterwards; the setting is process-wide).
     */
    public static Throughput trainSamplesPerSecond(Dataset data, int batch, int samples, float lr, long seed, int threads) {
        int previous = Torch.setIntraOpThreads(threads);
        try {
            return trainSamplesPerSecond(data, batch, samples, lr, seed);
        } finally {
            Torch.setIntraOpThreads(previous);
        }
    }

    /** The DJL block being trained (for inspection; do not close it). */
    public Block block() {
        return model.getBlock();
    }

    /** The DJL model being trained ({@code Import.djl(baseline.model())}; closed with this baseline). */
    public Model model() {
        return model;
    }

    @Override
    public void close() {
        trainer.close();
        model.close();
    }

    /** Copies the selected samples and labels into the reusable host buffers, sized exactly (DJL wraps the whole array). */
    private void fill(Dataset data, int[] indices, int from, int count) {
        int n = sample.length;
        if (count < 1 || from < 0 || from + count > indices.length) {
            throw new IllegalArgumentException("batch [" + from + ", " + (from + count) + ") outside the " + indices.length + " indices");
        }
        if (features.length != count * n) {
            features = new float[count * n];
            labels = new int[count];
        }
        for (int k = 0; k < count; k++) {
            int i = indices[from + k];
            data.copySample(i, sample);
            System.arraycopy(sample, 0, features, k * n, n);
            labels[k] = data.label(i);
        }
    }

    private void checkCompatible(Dataset data) {
        int[] s = data.shape();
        if (s[0] != shape[0] || s[1] != shape[1] || s[2] != shape[2] || data.classes() > classes) {
            throw new IllegalArgumentException(data + " does not fit a model for " + shape[0] + "x" + shape[1] + "x"
                    + shape[2] + " samples and " + classes + " classes");
        }
    }

    /** Batches of indices walked through a fresh seeded permutation every epoch. */
    private static final class Sampler {
        private final int size;
        private final int[] batch;
        private final SplittableRandom seeds;
        private int[] order;
        private int position;

        Sampler(int size, int batch, long seed) {
            if (size < 1) throw new IllegalArgumentException("empty dataset");
            this.size = size;
            this.batch = new int[batch];
            this.seeds = new SplittableRandom(seed);
            this.order = Dataset.permutation(size, seeds.nextLong());
        }

        int[] next() {
            for (int k = 0; k < batch.length; k++) {
                if (position == size) {
                    order = Dataset.permutation(size, seeds.nextLong());
                    position = 0;
                }
                batch[k] = order[position++];
            }
            return batch;
        }
    }
}
