package fqt.djl;

import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;
import fqt.data.DataSplit;
import fqt.data.Dataset;
import fqt.testing.TestData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TorchBaselineTest {

    /**
     * A short run on real data learns, and {@link TorchBaseline#evaluate} (batches of 256, the last
     * one partial) agrees with the toolkit's own float model of the trained weights.
     */
    @Test
    void sgdOnTheSmallCnnLearnsFashionMnistAndEvaluatesAsTheToolkitDoes() {
        DataSplit data = TestData.fashionMnist();
        Dataset train = data.train().shuffled(1).take(2000), test = data.test().shuffled(2).take(500);
        try (TorchBaseline baseline = TorchBaseline.create(train, 0.05f, 42)) {
            TorchBaseline.Evaluation before = baseline.evaluate(test);
            float[] losses = baseline.fit(train, 16, 300, 7);
            TorchBaseline.Evaluation after = baseline.evaluate(test);
            double first = mean(losses, 0, 30), last = mean(losses, losses.length - 30, losses.length);
            System.out.printf("Fashion-MNIST: loss %.3f -> %.3f over 300 steps of 16; test accuracy %.3f -> %.3f, test loss %.3f -> %.3f%n",
                    first, last, before.accuracy(), after.accuracy(), before.loss(), after.loss());
            assertTrue(last < 0.5 * first, "training loss should at least halve: " + first + " -> " + last);
            assertTrue(after.loss() < 0.6 * before.loss(), "test loss should fall: " + before.loss() + " -> " + after.loss());
            assertTrue(after.accuracy() > 0.6, "accuracy should be far above chance (0.1): " + after.accuracy());
            assertEquals(test.size(), after.samples());
            try (ImportedModel fp = Import.djl(baseline.model())) {
                assertEquals(fp.evaluate(test), after.accuracy(), 1e-12, "the toolkit's float model of the same weights");
            }
        }
    }

    /**
     * On a linear model (softmax regression) whose gradient is known in closed form, each step
     * returns the batch's mean cross-entropy before the update and moves the weights by exactly
     * {@code -lr} times the mean gradient of that batch alone: no momentum, no weight decay, no
     * gradient left over from the step before. The last batch has another size.
     */
    @Test
    void eachStepIsPlainSgdOnTheMeanLossOfItsBatch() {
        int classes = 3, features = 4;
        Dataset data = randomData(40, classes, 11);
        float lr = 0.5f;
        SequentialBlock linear = new SequentialBlock().add(Blocks.batchFlattenBlock()).add(Linear.builder().setUnits(classes).build());
        try (TorchBaseline baseline = TorchBaseline.create(linear, data.shape(), classes, lr, 3)) {
            int[] order = Dataset.permutation(data.size(), 5);
            for (int[] batch : new int[][] {{0, 8}, {8, 8}, {16, 5}}) {
                double[] w = toDouble(parameter(baseline, "weight")), b = toDouble(parameter(baseline, "bias"));
                double[] gw = new double[w.length], gb = new double[b.length];
                double loss = 0;
                for (int k = batch[0]; k < batch[0] + batch[1]; k++) {
                    float[] x = data.sample(order[k]);
                    double[] p = new double[classes];
                    double max = Double.NEGATIVE_INFINITY, sum = 0;
                    for (int c = 0; c < classes; c++) {
                        p[c] = b[c];
                        for (int i = 0; i < features; i++) p[c] += w[c * features + i] * x[i];
                        max = Math.max(max, p[c]);
                    }
                    for (int c = 0; c < classes; c++) sum += p[c] = Math.exp(p[c] - max);
                    int y = data.label(order[k]);
                    loss -= Math.log(p[y] / sum) / batch[1];
                    for (int c = 0; c < classes; c++) {
                        double d = (p[c] / sum - (c == y ? 1 : 0)) / batch[1];
                        gb[c] += d;
                        for (int i = 0; i < features; i++) gw[c * features + i] += d * x[i];
                    }
                }
                float got = baseline.step(data, order, batch[0], batch[1]);
                assertEquals(loss, got, 1e-5, "loss of batch at " + batch[0]);
                assertArrayEquals(minus(w, lr, gw), toDouble(parameter(baseline, "weight")), 1e-5, "weights after batch at " + batch[0]);
                assertArrayEquals(minus(b, lr, gb), toDouble(parameter(baseline, "bias")), 1e-5, "bias after batch at " + batch[0]);
            }
        }
    }

    /**
     * With learning rate 0 the weights stay, so the mean of an epoch's step losses is the mean
     * loss over the data set exactly when the epoch visits every sample once.
     */
    @Test
    void fitVisitsEverySampleOncePerEpoch() {
        Dataset data = randomData(48, 4, 12);
        SequentialBlock linear = new SequentialBlock().add(Blocks.batchFlattenBlock()).add(Linear.builder().setUnits(4).build());
        try (TorchBaseline baseline = TorchBaseline.create(linear, data.shape(), 4, 0f, 4)) {
            double all = baseline.evaluate(data).loss();
            float[] losses = baseline.fit(data, 16, 6, 9); // two epochs of three steps
            assertEquals(all, mean(losses, 0, 3), 1e-5, "epoch 1");
            assertEquals(all, mean(losses, 3, 6), 1e-5, "epoch 2");
            assertNotEquals(losses[0], losses[1], "different batches");
        }
    }

    @Test
    void theSeedDecidesTheInitialWeights() {
        Dataset train = Squares.make("squares", 200, 4, 3);
        float[] a = fit(train, 5), b = fit(train, 5), c = fit(train, 6);
        assertArrayEquals(a, b, 1e-5f, "same seeds, same training");
        assertNotEquals(a[0], c[0], "another seed, other weights: another first loss on the same batch");
    }

    private static float[] fit(Dataset train, long seed) {
        try (TorchBaseline baseline = TorchBaseline.create(train, 0.05f, seed)) {
            return baseline.fit(train, 8, 5, 9);
        }
    }

    /** The clock covers whole steps: the requested samples rounded up to whole batches, and the rate is theirs. */
    @Test
    void throughputCountsTheSamplesItTimed() {
        Dataset data = Squares.make("squares", 512, 10, 4);
        for (int[] batchAndSamples : new int[][] {{1, 7}, {16, 100}}) {
            int batch = batchAndSamples[0], samples = batchAndSamples[1];
            TorchBaseline.Throughput t = TorchBaseline.trainSamplesPerSecond(data, batch, samples, 0.05f, 11);
            System.out.println(Torch.describe() + " train " + t);
            assertEquals((samples + batch - 1) / batch * batch, t.samples(), t.toString());
            assertEquals(t.samples() / t.seconds(), t.samplesPerSecond(), 1e-9 * t.samplesPerSecond());
            assertEquals(Torch.intraOpThreads(), t.intraOpThreads());
            assertTrue(Float.isFinite(t.finalLoss()) && t.finalLoss() > 0, t.toString());
        }
    }

    /** One against two intra-op threads; slow, and two threads are erratic when the machine is busy. */
    @Test
    @Tag("slow")
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void throughputWithOneAndTwoThreads() {
        Dataset data = Squares.make("squares", 1024, 10, 4);
        int before = Torch.intraOpThreads();
        for (int repeat = 0; repeat < 2; repeat++) {
            for (int threads : new int[] {1, 2}) {
                for (int batch : new int[] {1, 16}) {
                    TorchBaseline.Throughput t = TorchBaseline.trainSamplesPerSecond(data, batch, batch == 1 ? 3000 : 20000, 0.05f, 11, threads);
                    System.out.println(Torch.describe() + " train " + t);
                    assertEquals(threads, t.intraOpThreads());
                }
            }
        }
        assertEquals(before, Torch.intraOpThreads(), "thread count restored");
    }

    /** Samples of 1x2x2 uniform in [-1, 1] with uniform random labels. */
    private static Dataset randomData(int n, int classes, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * 4];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble(-1, 1);
        return new Dataset("random", new int[] {1, 2, 2}, classes, x, r.ints(n, 0, classes).toArray());
    }

    /** The Linear layer's parameter whose name ends in {@code _suffix}, copied. */
    private static float[] parameter(TorchBaseline baseline, String suffix) {
        for (Pair<String, Parameter> p : baseline.block().getParameters()) {
            if (p.getKey().endsWith("_" + suffix)) return p.getValue().getArray().toFloatArray();
        }
        throw new AssertionError("no parameter *_" + suffix + " in " + baseline.block().getParameters().keys());
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) d[i] = v[i];
        return d;
    }

    private static double[] minus(double[] v, double lr, double[] g) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) d[i] = v[i] - lr * g[i];
        return d;
    }

    private static double mean(float[] v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) s += v[i];
        return s / (to - from);
    }
}
