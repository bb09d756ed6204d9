package fqt.nn;

import static org.junit.jupiter.api.Assertions.*;

import fqt.data.Dataset;
import fqt.testing.TestData;
import fqt.train.Fqt;
import fqt.train.Optimizer;
import fqt.train.Training;
import fqt.train.TrainingRun;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The reference architectures of {@link Models}: shapes, sizes, and a short UINT8 training run each. */
class ModelsTest {
    static final Dataset TRAIN = TestData.fashionMnist().train().shuffled(21).take(300);
    static final Dataset TEST = TestData.fashionMnist().test().shuffled(22).take(200);

    /** Fashion-MNIST as 3x32x32: each image padded by 2 and repeated in the 3 channels. */
    static Dataset colour(Dataset d) {
        float[] f = new float[d.size() * 3 * 32 * 32];
        int[] labels = new int[d.size()];
        for (int s = 0; s < d.size(); s++) {
            float[] x = d.sample(s);
            labels[s] = d.label(s);
            for (int ch = 0; ch < 3; ch++)
                for (int r = 0; r < 28; r++)
                    System.arraycopy(x, r * 28, f, s * 3072 + ch * 1024 + (r + 2) * 32 + 2, 28);
        }
        return new Dataset(d.name() + " 3x32x32", new int[] {3, 32, 32}, d.classes(), f, labels);
    }

    static long weights(Model m) {
        return m.weightLayers().stream().mapToLong(l -> l.weights().count() + l.weights().structures).sum();
    }

    /** Name, builder at a small test width, and builder at the default width. */
    static Stream<Arguments> architectures() {
        return Stream.of(
                Arguments.of("resnet8", (BiFunction<int[], Integer, Model>) (s, w) -> w == 0 ? Models.resnet8(s, 10) : Models.resnet8(s, 10, w), 4),
                Arguments.of("dsCnn", (BiFunction<int[], Integer, Model>) (s, w) -> w == 0 ? Models.dsCnn(s, 10) : Models.dsCnn(s, 10, w), 16),
                Arguments.of("mobileNetV1", (BiFunction<int[], Integer, Model>) (s, w) -> w == 0 ? Models.mobileNetV1(s, 10) : Models.mobileNetV1(s, 10, w), 4),
                Arguments.of("mobileNetV2", (BiFunction<int[], Integer, Model>) (s, w) -> w == 0 ? Models.mobileNetV2(s, 10) : Models.mobileNetV2(s, 10, w), 4));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("architectures")
    void buildsForGreyAndColourAndTrainsInUint8WithoutNaN(String name, BiFunction<int[], Integer, Model> build, int width) {
        for (int[] shape : new int[][] {{1, 28, 28}, {3, 32, 32}}) {
            Model m = build.apply(shape, 0);
            System.out.printf("%s %s default width: %d weights (with biases)%n%s", name, Arrays.toString(shape), weights(m), m);
            assertArrayEquals(shape, m.inputShape());
            assertEquals(10, m.classes());
            assertTrue(weights(m) >= 5_000 && weights(m) <= 100_000, name + ": " + weights(m) + " weights at the default width");
        }
        for (int[] shape : new int[][] {{1, 28, 28}, {3, 32, 32}}) {
            Dataset train = shape[0] == 1 ? TRAIN : colour(TRAIN), test = shape[0] == 1 ? TEST : colour(TEST);
            Model m = build.apply(shape, width);
            TrainingRun run = Fqt.train(m).precision(Precision.UINT8).optimizer(Optimizer.sgd(0.05f)).batch(16).epochs(1).seed(3)
                    .progress(null).fit(train, test);
            double[] loss = run.history().doubleColumn("loss").asDoubleArray();
            System.out.printf("%s %s width %d UINT8: loss %.3f -> %.3f, test accuracy %.3f (%.1f s)%n", name, Arrays.toString(shape), width,
                    loss[0], loss[loss.length - 1], run.testAccuracy(), run.seconds());
            for (double l : loss) assertTrue(Double.isFinite(l), name + ": loss " + l);
            for (WeightLayer l : run.model().weightLayers()) {
                for (float v : l.weights().toFloat()) assertTrue(Float.isFinite(v), l.name());
                for (float v : l.weights().bias()) assertTrue(Float.isFinite(v), l.name());
            }
            for (float[] z : run.model().logits(test.take(20), run.config().evaluationContext())) for (float v : z) assertTrue(Float.isFinite(v));
            // 19 steps are too few for these deeper nets to beat chance reliably; the loss must fall, though.
            double first = Arrays.stream(loss, 0, 5).average().orElseThrow(), last = Arrays.stream(loss, loss.length - 5, loss.length).average().orElseThrow();
            assertTrue(last < first, name + ": loss rose from " + first + " to " + last);
        }
    }

    @Test
    void architecturesHaveTheDocumentedShapes() {
        int[] grey = {1, 28, 28};
        Model r = Models.resnet8(grey, 10, 8);
        assertFalse(r.sequential());
        assertEquals(3, r.layers().stream().filter(l -> l instanceof Add).count());
        assertArrayEquals(new int[] {32, 7, 7}, outputOfLast(r, Add.class));
        Model ds = Models.dsCnn(grey, 10, 64);
        assertEquals(4, ds.layers().stream().filter(l -> l.kind().equals("DepthwiseConv2d")).count());
        assertArrayEquals(new int[] {64, 14, 14}, outputOfLast(ds, ReLU.class));
        Model v1 = Models.mobileNetV1(grey, 10, 8);
        assertEquals(5, v1.layers().stream().filter(l -> l.kind().equals("DepthwiseConv2d")).count());
        assertArrayEquals(new int[] {64, 4, 4}, outputOfLast(v1, ReLU.class));
        Model v2 = Models.mobileNetV2(grey, 10, 8);
        assertEquals(3, v2.layers().stream().filter(l -> l instanceof Add).count());
        assertArrayEquals(new int[] {64, 4, 4}, outputOfLast(v2, Clamp.class));
        Model ae = Models.autoencoder(784, 64, 16);
        assertEquals("[Flatten, Linear 784->64, ReLU, Linear 64->16, ReLU, Linear 16->64, ReLU, Linear 64->784]",
                ae.layers().stream().map(Layer::describe).toList().toString());
        assertEquals(784, ae.classes());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Models.resnet8(new int[] {28, 28}, 10)).getMessage().contains("data.shape()"));
        assertThrows(IllegalArgumentException.class, () -> Models.autoencoder(784));
    }

    private static int[] outputOfLast(Model m, Class<?> kind) {
        int[] s = null;
        for (Layer l : m.layers()) if (kind.isInstance(l)) s = l.outputShape();
        return s;
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void autoencoderMseFalls(Precision p) {
        // The MSE's error is 2 (y - x) / 784 per pixel: plain SGD at the classifiers' rate barely moves; Adam's steps do not scale with it.
        Training t = Fqt.train(Models.autoencoder(784, 64, 16)).precision(p).loss(Loss.MSE).optimizer(Optimizer.adam(0.003f))
                .batch(16).epochs(4).seed(4).progress(null);
        double start = t.config().evaluate(t.prepareModel(TRAIN), TEST); // the untrained model, quantized as the run quantizes it
        TrainingRun run = t.fit(TRAIN, TEST);
        double end = run.testMse();
        double constant = constantImageMse(TEST);
        System.out.printf("autoencoder %s: test MSE %.4f -> %.4f (one grey level for every pixel: %.4f), test MSE per epoch %s%n", p, start, end,
                constant, Arrays.toString(run.epochs().doubleColumn("test_mse").asDoubleArray()));
        assertTrue(end < 0.7 * start, p + ": MSE fell only from " + start + " to " + end);
        assertTrue(end < constant, p + ": MSE " + end + " is no better than one grey level for every pixel, " + constant);
        float[] scores = run.reconstructionErrors(TEST);
        assertEquals(TEST.size(), scores.length);
        assertEquals(end, Arrays.stream(toDouble(scores)).average().orElseThrow(), 1e-5);
    }

    /** The MSE of predicting every pixel as the data's mean grey level: the bar a trained autoencoder must clear. */
    private static double constantImageMse(Dataset d) {
        double sum = 0, sq = 0;
        long n = 0;
        for (int i = 0; i < d.size(); i++) for (float v : d.sample(i)) { sum += v; sq += (double) v * v; n++; }
        double mean = sum / n;
        return sq / n - mean * mean;
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    @Test
    void mseRunsReportMseAndClassifiersKeepTheirColumns() {
        java.io.ByteArrayOutputStream bar = new java.io.ByteArrayOutputStream();
        TrainingRun ae = Fqt.train(Models.autoencoder(784, 16)).precision(Precision.UINT8).loss(Loss.MSE).epochs(1).seed(1)
                .progress(new java.io.PrintStream(bar, true)).fit(TRAIN.take(64), TEST.take(32));
        assertEquals(List.of("epoch", "step", "samples", "loss", "train_mse", "test_mse", "seconds", "forward_macs", "backward_macs",
                "update_fraction", "backward_seconds"), ae.history().columnNames());
        assertEquals(List.of("epoch", "loss", "train_mse", "test_mse", "seconds"), ae.epochs().columnNames());
        assertTrue(bar.toString().contains("mse ") && !bar.toString().contains("acc"), bar.toString());
        assertEquals(ae.loss(), ae.trainMse(), 1e-12, "train_mse is the epoch's mean loss");
        assertEquals(ae.config().evaluate(ae.model(), TEST.take(32)), ae.testMse(), 1e-9);
        assertEquals(ae.testMse(), ae.testMetric());
        assertTrue(ae.toString().contains("test_mse"), ae.toString());
        String acc = assertThrows(IllegalStateException.class, ae::testAccuracy).getMessage();
        assertTrue(acc.contains("MSE") && acc.contains("testMse()"), acc);
        String eval = assertThrows(IllegalArgumentException.class, () -> ae.evaluate(TEST)).getMessage();
        assertTrue(eval.contains("MSE") && eval.contains("reconstructionErrors"), eval);
        assertThrows(IllegalStateException.class, () -> ae.predict(TEST));

        TrainingRun cls = Fqt.train(Models.smallCnn(TRAIN.shape(), 10, 1)).precision(Precision.UINT8).epochs(1).seed(1).progress(null)
                .fit(TRAIN.take(64), TEST.take(32));
        assertEquals(List.of("epoch", "step", "samples", "loss", "train_acc", "test_acc", "seconds", "forward_macs", "backward_macs",
                "update_fraction", "backward_seconds"), cls.history().columnNames());
        assertEquals(List.of("epoch", "loss", "train_acc", "test_acc", "seconds"), cls.epochs().columnNames());
        assertEquals(cls.testAccuracy(), cls.testMetric());
        assertEquals(cls.testAccuracy(), cls.evaluate(TEST.take(32)).accuracy(), 1e-12);
        assertThrows(IllegalStateException.class, cls::testMse);
    }
}
