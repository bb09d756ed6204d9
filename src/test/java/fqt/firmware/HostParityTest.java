package fqt.firmware;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fqt.data.DataSplit;
import fqt.data.Dataset;
import fqt.nn.AvgPool2d;
import fqt.nn.Clamp;
import fqt.nn.Graph;
import fqt.nn.Loss;
import fqt.nn.Conv2d;
import fqt.nn.ErrorRange;
import fqt.nn.Flatten;
import fqt.nn.Linear;
import fqt.nn.MaxPool2d;
import fqt.nn.Model;
import fqt.nn.Gradients;
import fqt.nn.Models;
import fqt.nn.Precision;
import fqt.nn.ReLU;
import fqt.quant.Rounding;
import fqt.select.PartialUpdates;
import fqt.testing.TestData;
import fqt.train.Fqt;
import fqt.train.Optimizer;
import fqt.train.Training;
import fqt.train.TrainingRun;
import fqt.wire.ModelBlob;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host build of firmware/core/ trains exactly as Java: same seed, same samples, and the runs end
 * with identical bytes: per-sample losses (float bits) and predictions, the structures selected
 * per sample and layer, evaluation predictions, the arena size (equal to the Java memory plan) and
 * the final model blob (weight codes, quantization parameters, biases, ranges).
 */
class HostParityTest {
    static final DataSplit DATA = TestData.fashionMnist();

    @TempDir
    Path dir;

    /** The acceptance training of issue 5: the small CNN, UINT8, stochastic rounding, partial updates (256 samples). */
    static Training smallCnnUint8() {
        return Fqt.train(Models.smallCnn(DATA.shape(), 10, 3)).precision(Precision.UINT8).rounding(Rounding.STOCHASTIC)
                .optimizer(Optimizer.standardizedSgd(0.01f)).batch(16).seed(21).calibration(64).progress(null)
                .partialUpdates(PartialUpdates.lambdaMin(0.1).lambdaMax(1.0).errorBy(PartialUpdates.ErrorBy.SAMPLE_LOSS));
    }

    /** Depthwise and grouped convolutions, average pooling, EMA error ranges, floor rounding, a frozen first layer. */
    static Training groupedUint8() {
        int[] shape = DATA.shape();
        Model m = Models.init(Model.of(shape,
                new Conv2d(1, 4, 3, 2, 1), new ReLU(),
                Conv2d.depthwise(4, 3, 1, 1), new ReLU(),
                new Conv2d(4, 8, 3, 3, 1, 0, 2), new ReLU(), new AvgPool2d(2),
                new Conv2d(8, 8, 1, 1, 0), new MaxPool2d(2, 2, 1), AvgPool2d.global(),
                new Flatten(), new Linear(8, 10)), 8);
        return Fqt.train(m).precision(Precision.UINT8).rounding(Rounding.FLOOR).errorRange(ErrorRange.EMA)
                .optimizer(Optimizer.sgd(0.05f)).batch(4).seed(5).calibration(16).trainLast(4).progress(null)
                .partialUpdates(PartialUpdates.lambdaMin(0.3).lambdaMax(0.8).errorBy(PartialUpdates.ErrorBy.LAYER_MEAN_ERROR));
    }

    /**
     * 3x3 convolutions with stride 1 and padding 1 (the firmware's padded DSP path) that propagate
     * errors: grouped and depthwise, rows of 28, 14 and 7 outputs (quads, a pair, a single), 2x2 max
     * pooling over an odd plane, nearest rounding, partial updates (a subset of each group's outputs).
     */
    static Training paddedGroupsNearest() {
        Model m = Models.init(Model.of(DATA.shape(),
                new Conv2d(1, 4, 3, 1, 1), new ReLU(), new MaxPool2d(2),
                new Conv2d(4, 8, 3, 3, 1, 1, 2), new ReLU(), new MaxPool2d(2),
                Conv2d.depthwise(8, 3, 1, 1), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(72, 10)), 11);
        return Fqt.train(m).precision(Precision.UINT8).rounding(Rounding.NEAREST).optimizer(Optimizer.sgd(0.02f))
                .batch(4).seed(12).calibration(16).progress(null)
                .partialUpdates(PartialUpdates.lambdaMin(0.4).lambdaMax(0.9).errorBy(PartialUpdates.ErrorBy.SAMPLE_LOSS));
    }

    /**
     * Batch 1 (Gradients.IN_PLACE): each layer updates its selected structures inside its backward
     * step, with no gradient buffer, in every precision, with stateful optimizers, partial updates
     * and bias-only layers; the random stream runs through the two-pass uint8 update.
     */
    static Stream<Training> inPlace() {
        PartialUpdates partial = PartialUpdates.lambdaMin(0.3).errorBy(PartialUpdates.ErrorBy.SAMPLE_LOSS);
        return Stream.of(
                Fqt.train(Models.smallCnn(DATA.shape(), 10, 7)).precision(Precision.UINT8).rounding(Rounding.STOCHASTIC)
                        .optimizer(Optimizer.standardizedSgd(0.005f)).batch(1).seed(22).calibration(32).partialUpdates(partial).progress(null),
                Fqt.train(Models.smallCnn(DATA.shape(), 10, 8)).precision(Precision.UINT8).rounding(Rounding.NEAREST)
                        .optimizer(Optimizer.sgd(0.01f)).batch(1).seed(23).calibration(32).biasOnly(true).progress(null),
                Fqt.train(Models.smallCnn(DATA.shape(), 10, 9)).precision(Precision.MIXED).rounding(Rounding.STOCHASTIC)
                        .optimizer(Optimizer.adam(0.001f)).batch(1).seed(24).calibration(32).partialUpdates(partial).progress(null),
                Fqt.train(Models.smallCnn(DATA.shape(), 10, 10)).precision(Precision.FLOAT32)
                        .optimizer(Optimizer.momentum(0.005f, 0.9f)).batch(1).seed(25).progress(null));
    }

    @ParameterizedTest
    @MethodSource("inPlace")
    void inPlaceUpdatesAtBatchOne(Training t) throws Exception {
        assertParity("in_place", t, DATA.train().shuffled(15).take(40), DATA.test().take(20));
    }

    /**
     * The gradients setting given instead of AUTO: float32 sums in a UINT8 batch (the fastest),
     * int8 sums in MIXED and FLOAT32 batches, float32 sums at batch 1 (no in-place update).
     */
    static Stream<Training> gradientsGiven() {
        PartialUpdates partial = PartialUpdates.lambdaMin(0.4).errorBy(PartialUpdates.ErrorBy.SAMPLE_LOSS);
        return Stream.of(
                Fqt.train(Models.smallCnn(DATA.shape(), 10, 11)).precision(Precision.UINT8).gradients(Gradients.FLOAT32)
                        .batch(8).seed(26).calibration(32).partialUpdates(partial).progress(null),
                Fqt.train(Models.smallCnn(DATA.shape(), 10, 12)).precision(Precision.MIXED).gradients(Gradients.INT8)
                        .optimizer(Optimizer.momentum(0.005f, 0.9f)).batch(4).seed(27).calibration(32).progress(null),
                Fqt.train(Models.smallCnn(DATA.shape(), 10, 13)).precision(Precision.FLOAT32).gradients(Gradients.INT8)
                        .batch(6).seed(28).partialUpdates(partial).progress(null),
                Fqt.train(Models.smallCnn(DATA.shape(), 10, 14)).precision(Precision.UINT8).gradients(Gradients.FLOAT32)
                        .optimizer(Optimizer.sgd(0.005f)).batch(1).seed(29).calibration(32).progress(null));
    }

    @ParameterizedTest
    @MethodSource("gradientsGiven")
    void gradientsAsGivenInAnyPrecision(Training t) throws Exception {
        assertParity("gradients_given", t, DATA.train().shuffled(16).take(40), DATA.test().take(20));
    }

    @Test
    void paddedGroupedAndDepthwiseConvolutionsNearest() throws Exception {
        assertParity("padded_groups", paddedGroupsNearest(), DATA.train().shuffled(11).take(24), DATA.test().take(10));
    }

    @Test
    void smallCnnUint8StochasticPartialUpdates() throws Exception {
        HostResult java = assertParity("small_cnn_uint8", smallCnnUint8(), DATA.train().shuffled(5).take(256), DATA.test().take(100));
        assertEquals(256, java.losses.size());
        long selected = 0, available = 0;
        for (int i = 0; i < java.selections.size(); i += 2 + java.selections.get(i + 1)) {
            selected += java.selections.get(i + 1);
            available += Models.smallCnn(DATA.shape(), 10).layer(java.selections.get(i)).weights().structures;
        }
        assertTrue(selected < available, "partial updates must skip structures: " + selected + " of " + available);
    }

    /** MIXED precision (uint8 forward, float32 errors) with Adam and exact error ranges. */
    static Training smallCnnMixedAdam() {
        return Fqt.train(Models.smallCnn(DATA.shape(), 10, 4)).precision(Precision.MIXED).rounding(Rounding.NEAREST)
                .optimizer(Optimizer.adam(0.001f)).batch(8).seed(3).calibration(32).progress(null);
    }

    /** FLOAT32 with momentum and partial updates by the layer mean error. */
    static Training smallCnnFloat32MomentumPartial() {
        return Fqt.train(Models.smallCnn(DATA.shape(), 10, 5)).precision(Precision.FLOAT32)
                .optimizer(Optimizer.momentum(0.01f, 0.9f)).batch(5).seed(4).progress(null)
                .partialUpdates(PartialUpdates.lambdaMin(0.5).errorBy(PartialUpdates.ErrorBy.LAYER_MEAN_ERROR));
    }

    /** The partial-update experiment's setting: the last two layers, lambda 0.1, the head updated in full. */
    static Training fullHeadExperiment() {
        return Fqt.train(Models.smallCnn(DATA.shape(), 10, 6)).precision(Precision.UINT8).optimizer(Optimizer.sgd(0.02f))
                .trainLast(2).batch(16).seed(13).calibration(32).progress(null)
                .partialUpdates(PartialUpdates.lambdaMin(0.1).errorBy(PartialUpdates.ErrorBy.SAMPLE_LOSS).fullHead(true));
    }

    @Test
    void fullHeadIsHonouredBitExact() throws Exception {
        Dataset data = DATA.train().shuffled(14).take(48);
        HostResult full = assertParity("full_head", fullHeadExperiment(), data, DATA.test().take(20));
        int head = Models.smallCnn(DATA.shape(), 10).weightLayers().get(3).index();
        int headRows = 0, headSelections = 0;
        for (int i = 0; i < full.selections.size(); i += 2 + full.selections.get(i + 1)) {
            if (full.selections.get(i) != head) continue;
            headSelections++;
            headRows += full.selections.get(i + 1);
        }
        assertEquals(48, headSelections, "one head selection per sample");
        assertEquals(48 * 10, headRows, "the head updates every row of every sample");
        HostResult selected = JavaRun.run(fullHeadExperiment().partialUpdates(PartialUpdates.lambdaMin(0.1)), data, null);
        assertNotEquals(selected.losses, full.losses, "fullHead must change the training");
    }

    @Test
    void smallCnnMixedAdamExactErrors() throws Exception {
        assertParity("small_cnn_mixed", smallCnnMixedAdam(), DATA.train().shuffled(6).take(40), DATA.test().take(20));
    }

    @Test
    void smallCnnFloat32Momentum() throws Exception {
        assertParity("small_cnn_float32", smallCnnFloat32MomentumPartial(), DATA.train().shuffled(7).take(30), DATA.test().take(20));
    }

    @Test
    void groupedConvAvgPoolUint8EmaFrozen() throws Exception {
        assertParity("grouped_uint8", groupedUint8(), DATA.train().shuffled(8).take(24), DATA.test().take(10));
    }

    /** Bias-only layers (TinyTL) with fixed error ranges and standardized SGD; samples sent as uint8 codes. */
    @Test
    void mlpUint8BiasOnlyFixedErrors() throws Exception {
        Training t = Fqt.train(Models.mlp(DATA.shape(), 10, 6, 32, 16)).precision(Precision.UINT8).rounding(Rounding.STOCHASTIC)
                .errorRange(ErrorRange.FIXED).optimizer(Optimizer.standardizedSgd(0.02f, 0.2f)).biasOnly(true).batch(3)
                .seed(-7).alphaA(0.1f).calibration(16).progress(null);
        assertParity("mlp_bias_only", t, DATA.train().shuffled(9).take(20), null, true);
    }

    /**
     * Layers with weights and no ReLU after them: the backward pass reads their uint8 outputs (the
     * saturation mask), so the arena keeps them (ARENA.md, features) and its size is the plan's.
     */
    @Test
    void linearStackBiasOnlyKeepsOutputs() throws Exception {
        Model m = Models.init(Model.of(DATA.shape(), new Flatten(), new Linear(784, 32), new Linear(32, 16), new Linear(16, 16),
                new Linear(16, 10)), 3);
        Training t = Fqt.train(m).precision(Precision.UINT8).rounding(Rounding.NEAREST).optimizer(Optimizer.sgd(0.05f)).biasOnly(true)
                .batch(4).seed(2).calibration(16).progress(null);
        assertParity("linear_stack", t, DATA.train().shuffled(10).take(40), null, false);
    }

    /**
     * A residual net for 1x28x28: stem conv (8x14x14) and ReLU, a block of two 3x3 convs added to its
     * input, ReLU; a stride-2 conv to 16x7x7 and ReLU (a fan-out: the next conv and the add), a
     * second block, ReLU, global average pooling, Linear 16->10.
     */
    static Model residual(long seed) {
        Graph g = Graph.input(DATA.shape());
        Graph.Node x = g.input().then(new Conv2d(1, 8, 3, 2, 1)).then(new ReLU());
        Graph.Node y = x.then(new Conv2d(8, 8, 3, 1, 1)).then(new ReLU()).then(new Conv2d(8, 8, 3, 1, 1));
        Graph.Node z = x.add(y).then(new ReLU()).then(new Conv2d(8, 16, 3, 2, 1)).then(new ReLU());
        Graph.Node w = z.then(new Conv2d(16, 16, 3, 1, 1));
        return Models.init(g.build(z.add(w).then(new ReLU()).then(AvgPool2d.global()).then(new Flatten()).then(new Linear(16, 10))), seed);
    }

    /** Inverted residual blocks (1x1 expand, ReLU6, 3x3 depthwise, ReLU6, 1x1 project, add), as in MobileNetV2. */
    static Model invertedResidual(long seed) {
        Graph g = Graph.input(DATA.shape());
        Graph.Node x = g.input().then(new Conv2d(1, 8, 3, 2, 1)).then(Clamp.relu6());
        Graph.Node b = x.then(new Conv2d(8, 16, 1, 1, 0)).then(Clamp.relu6()).then(Conv2d.depthwise(16, 3, 1, 1)).then(Clamp.relu6())
                .then(new Conv2d(16, 8, 1, 1, 0));
        Graph.Node z = x.add(b).then(new Conv2d(8, 16, 3, 2, 1)).then(Clamp.relu6());
        Graph.Node c = z.then(new Conv2d(16, 32, 1, 1, 0)).then(Clamp.relu6()).then(Conv2d.depthwise(32, 3, 1, 1)).then(Clamp.relu6())
                .then(new Conv2d(32, 16, 1, 1, 0));
        return Models.init(g.build(z.add(c).then(AvgPool2d.global()).then(new Flatten()).then(new Linear(16, 10))), seed);
    }

    /**
     * Fine-tuning the last blocks of a graph (the last add and its fan-out inside the trained
     * part) in one precision: UINT8 with partial updates and stochastic rounding, MIXED with Adam
     * and nearest rounding, FLOAT32 with momentum.
     */
    static Training fineTune(Model m, Precision p, long seed) {
        Training t = Fqt.train(m).precision(p).trainLast(4).batch(4).seed(seed).calibration(32).progress(null);
        return switch (p) {
            case UINT8 -> t.optimizer(Optimizer.sgd(0.05f)).partialUpdates(PartialUpdates.lambdaMin(0.5));
            case MIXED -> t.optimizer(Optimizer.adam(0.001f)).rounding(Rounding.NEAREST);
            case FLOAT32 -> t.optimizer(Optimizer.momentum(0.01f, 0.9f));
        };
    }

    /** Every layer trains, so both fan-outs sum their shares; EMA error ranges track the sums' ranges. */
    static Training invertedResidualUint8Ema() {
        return Fqt.train(invertedResidual(24)).precision(Precision.UINT8).errorRange(ErrorRange.EMA).optimizer(Optimizer.sgd(0.05f))
                .batch(4).seed(34).calibration(32).progress(null);
    }

    @Test
    void residualAndInvertedResidualFineTuningInEveryPrecision() throws Exception {
        for (Precision p : Precision.values()) {
            assertParity("residual_" + p, fineTune(residual(21), p, 31), DATA.train().shuffled(21).take(24), DATA.test().take(10));
            assertParity("inverted_residual_" + p, fineTune(invertedResidual(22), p, 32), DATA.train().shuffled(22).take(24), DATA.test().take(10));
        }
    }

    @Test
    void residualMixedAdamEveryLayer() throws Exception {
        Training t = Fqt.train(residual(23)).precision(Precision.MIXED).rounding(Rounding.NEAREST).optimizer(Optimizer.adam(0.001f))
                .batch(4).seed(33).calibration(32).progress(null);
        assertParity("residual_mixed_all", t, DATA.train().shuffled(23).take(24), DATA.test().take(10));
    }

    @Test
    void invertedResidualUint8EmaEveryLayer() throws Exception {
        assertParity("inverted_residual_uint8_ema", invertedResidualUint8Ema(), DATA.train().shuffled(24).take(24), DATA.test().take(10));
    }

    /**
     * The memory plan equals the firmware arena for every reference architecture, in every
     * precision, all layers trained and the last two (the run's result holds the arena size), and
     * a few samples train bit-exact.
     */
    @Test
    void referenceArchitecturesPlanTheFirmwareArena() throws Exception {
        for (var e : fqt.memory.ArchitectureMemoryTest.architectures().entrySet()) {
            boolean mse = e.getKey().equals("autoencoder");
            for (Precision p : Precision.values()) {
                for (int last : new int[] {0, 2}) {
                    Training t = Fqt.train(e.getValue()).precision(p).trainLast(last).loss(mse ? Loss.MSE : Loss.CROSS_ENTROPY)
                            .optimizer(Optimizer.sgd(0.01f)).batch(2).seed(40).calibration(8).progress(null);
                    HostResult java = assertParity(e.getKey() + "_" + p + "_last" + last, t, DATA.train().shuffled(40).take(3), null);
                    assertEquals(fqt.memory.Memory.plan(t.prepareModel(DATA.train()), t.config()).ramBytes(), java.arenaBytes, e.getKey());
                }
            }
        }
    }

    /** An autoencoder trained on the MSE of its reconstruction (labels unused). */
    @Test
    void autoencoderUint8Mse() throws Exception {
        Model m = Models.init(Model.of(DATA.shape(), new Flatten(), new Linear(784, 32), new ReLU(), new Linear(32, 784)), 26);
        Training t = Fqt.train(m).precision(Precision.UINT8).loss(Loss.MSE).optimizer(Optimizer.sgd(0.05f)).batch(4).seed(36)
                .calibration(32).progress(null);
        assertParity("autoencoder_uint8", t, DATA.train().shuffled(26).take(24), DATA.test().take(10));
    }

    private HostResult assertParity(String name, Training t, Dataset data, Dataset test) throws Exception {
        return assertParity(name, t, data, test, false);
    }

    private HostResult assertParity(String name, Training t, Dataset data, Dataset test, boolean codes) throws Exception {
        HostResult java = JavaRun.run(t, data, test);
        // The recorded Java run is Training.fit itself: same final model and the same batch losses.
        TrainingRun fit = t.fit(data, null);
        assertArrayEquals(ModelBlob.write(fit.model(), fit.config()), java.blob, name + ": the recorded run differs from Training.fit");
        double[] batchLoss = fit.history().doubleColumn("loss").asDoubleArray();
        for (int s = 0, k = 0; s < batchLoss.length; s++) {
            double sum = 0;
            int n = Math.min(fit.config().batch(), java.losses.size() - k);
            for (int j = 0; j < n; j++) sum += java.losses.get(k++);
            assertEquals(batchLoss[s], sum / n, 0.0, name + ": batch " + s + " loss");
        }
        ParityCase files = ParityCase.of(name, t, data, test, codes, dir);
        byte[] c = HostRunner.train(files.blob(), files.samples(), files.test(), dir.resolve(name + ".result"));
        assertNull(files.firstMismatch(c), name);
        System.out.printf("%s: %d samples bit-exact, arena %d B, blob %d B, losses %.4f -> %.4f%n", name, java.losses.size(),
                java.arenaBytes, java.blob.length, java.losses.get(0), java.losses.get(java.losses.size() - 1));
        assertTrue(Arrays.equals(java.bytes(), c));
        return java;
    }
}
