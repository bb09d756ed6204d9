package fqt.train;

import static org.junit.jupiter.api.Assertions.*;

import fqt.data.DataSplit;
import fqt.data.Dataset;
import fqt.nn.Model;
import fqt.nn.Models;
import fqt.nn.Precision;
import fqt.nn.WeightLayer;
import fqt.quant.Rounding;
import fqt.testing.TestData;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

class TrainingTest {
    static final DataSplit DATA = TestData.fashionMnist();
    static final Dataset TRAIN = DATA.train().shuffled(11).take(3000);
    static final Dataset TEST = DATA.test().shuffled(12).take(1000);

    static Training small(Precision p) {
        return Fqt.train(Models.smallCnn(DATA.shape(), 10, 5)).precision(p)
                .optimizer(Optimizer.sgd(0.05f))
                .batch(16).epochs(1).seed(9).progress(null);
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void lossFallsAndAccuracyBeatsChance(Precision p) {
        TrainingRun run = small(p).fit(TRAIN, TEST);
        double[] loss = run.history().doubleColumn("loss").asDoubleArray();
        double first = Arrays.stream(loss, 0, 10).average().orElseThrow();
        double last = Arrays.stream(loss, loss.length - 10, loss.length).average().orElseThrow();
        System.out.printf("%s: loss %.3f -> %.3f, test accuracy %.3f%n", p, first, last, run.testAccuracy());
        assertTrue(last < 0.6 * first, p + ": loss fell only from " + first + " to " + last);
        assertTrue(run.testAccuracy() > 0.6, p + ": test accuracy " + run.testAccuracy() + " (chance is 0.1)");
        assertEquals((TRAIN.size() + 15) / 16, run.history().rowCount(), "one history row per optimizer step");
        assertEquals(Precision.FLOAT32 == p, !run.model().quantized());
    }

    @Test
    void aSeedReproducesARunToTheBitAndAnotherSeedDoesNot() {
        Dataset few = TRAIN.take(400);
        TrainingRun a = small(Precision.UINT8).rounding(Rounding.STOCHASTIC).fit(few, null);
        TrainingRun b = small(Precision.UINT8).rounding(Rounding.STOCHASTIC).fit(few, null);
        TrainingRun c = small(Precision.UINT8).rounding(Rounding.STOCHASTIC).seed(10).fit(few, null);
        for (int i = 0; i < a.model().weightLayers().size(); i++) {
            assertArrayEquals(codes(a, i), codes(b, i), "layer " + i);
            assertEquals(a.model().weightLayers().get(i).weights().params(), b.model().weightLayers().get(i).weights().params());
        }
        assertArrayEquals(a.history().doubleColumn("loss").asDoubleArray(), b.history().doubleColumn("loss").asDoubleArray());
        assertFalse(Arrays.equals(codes(a, 0), codes(c, 0)));
    }

    private static byte[] codes(TrainingRun r, int layer) {
        return r.model().weightLayers().get(layer).weights().codes();
    }

    @Test
    void frozenLayersDoNotChangeAndCostNoBackwardWork() {
        Model start = Models.smallCnn(DATA.shape(), 10, 5);
        TrainingRun run = Fqt.train(start).precision(Precision.FLOAT32).optimizer(Optimizer.sgd(0.05f)).trainLast(1)
                .epochs(1).seed(2).progress(null).fit(TRAIN.take(200), null);
        var before = start.weightLayers();
        var after = run.model().weightLayers();
        for (int i = 0; i < 3; i++) assertArrayEquals(before.get(i).weights().toFloat(), after.get(i).weights().toFloat());
        assertFalse(Arrays.equals(before.get(3).weights().toFloat(), after.get(3).weights().toFloat()));
        // Only the last Linear's weight gradient: 64 MACs per row, 10 rows, per sample; no error propagation.
        Table h = run.history();
        assertEquals(16L * 64 * 10, h.longColumn("backward_macs").get(0));
        WeightLayer last = after.get(3);
        assertFalse(last.frozen());
        assertTrue(after.get(0).frozen());
    }

    @Test
    void badInputGetsClearErrors() {
        Training t = small(Precision.UINT8);
        Dataset empty = TRAIN.take(0);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> t.fit(empty, null)).getMessage().contains("empty"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> t.fit(TRAIN.take(20), empty)).getMessage().contains("test set is empty"));
        Dataset wrong = new Dataset("wrong", new int[] {1, 10, 10}, 10, new float[100], new int[] {0});
        String msg = assertThrows(IllegalArgumentException.class, () -> t.fit(wrong, null)).getMessage();
        assertTrue(msg.contains("[1, 10, 10]") && msg.contains("[1, 28, 28]"), msg);
        assertThrows(IllegalArgumentException.class, () -> small(Precision.FLOAT32).batch(0).fit(TRAIN, null));
        String shape = assertThrows(IllegalArgumentException.class, () -> Models.smallCnn(new int[] {28, 28}, 10)).getMessage();
        assertTrue(shape.contains("[28, 28]") && shape.contains("data.shape()"), shape);
        Model q = Models.smallCnn(DATA.shape(), 10, 1).quantize(TRAIN.take(10));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Fqt.train(q).precision(Precision.FLOAT32).fit(TRAIN, null))
                .getMessage().contains("quantized"));
        float[] nan = new float[784];
        nan[5] = Float.NaN;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Dataset("d", new int[] {1, 28, 28}, 10, nan, new int[] {0}))
                .getMessage().contains("non-finite"));
        WeightLayer first = Models.smallCnn(DATA.shape(), 10, 1).weightLayers().get(0);
        float[] w = first.weights().toFloat();
        w[3] = Float.POSITIVE_INFINITY;
        String wmsg = assertThrows(ArithmeticException.class, () -> first.weights().set(w, first.weights().bias(), first.name())).getMessage();
        assertTrue(wmsg.contains("layer 0") && wmsg.contains("element 3"), wmsg);
        // A NaN written into the public bias array is refused before training and before an image is written, naming it.
        Model poisoned = Models.smallCnn(DATA.shape(), 10, 1);
        poisoned.weightLayers().get(2).weights().bias()[7] = Float.NaN;
        String bias = assertThrows(ArithmeticException.class, () -> Fqt.train(poisoned).precision(Precision.FLOAT32).fit(TRAIN.take(10), null)).getMessage();
        assertTrue(bias.contains("Linear") && bias.contains("bias") && bias.contains("element 7 is NaN"), bias);
        assertThrows(ArithmeticException.class, () -> fqt.wire.ModelBlob.write(poisoned, Fqt.train(poisoned).precision(Precision.FLOAT32).config()));
        String div = assertThrows(ArithmeticException.class,
                () -> small(Precision.FLOAT32).optimizer(Optimizer.sgd(1e30f)).fit(TRAIN.take(200), null)).getMessage();
        assertTrue(div.contains("learning rate"), div);
    }

    @Test
    void reusingTheBuilderChangesNoEarlierRun() {
        Training t = small(Precision.UINT8);
        TrainingRun first = t.fit(TRAIN.take(64), null);
        TrainingConfig frozen = first.config();
        String before = first.toString();
        t.precision(Precision.MIXED).optimizer(Optimizer.adam(0.001f)).batch(3).seed(99);
        assertEquals(frozen, first.config(), "the run keeps the settings it was trained with");
        assertEquals(Precision.UINT8, first.precision());
        assertEquals(Optimizer.sgd(0.05f), first.config().optimizer());
        assertEquals(before, first.toString());
        assertEquals(Precision.MIXED, t.config().precision(), "the builder itself did change");
        // Retraining from a run's frozen settings reproduces it to the bit.
        TrainingRun again = Fqt.train(t.model()).config(frozen).progress(null).fit(TRAIN.take(64), null);
        assertEquals(fqt.wire.ModelBlob.write(first.model(), frozen).length, fqt.wire.ModelBlob.write(again.model(), frozen).length);
        assertArrayEquals(fqt.wire.ModelBlob.write(first.model(), frozen), fqt.wire.ModelBlob.write(again.model(), frozen));
    }

    @Test
    void unsetSettingsAreTheDefaultsTable() {
        assertEquals(TrainingConfig.DEFAULTS, Fqt.train(Models.smallCnn(DATA.shape(), 10, 5)).config());
        assertEquals(Optimizer.sgd(Defaults.SGD_LR), TrainingConfig.DEFAULTS.optimizer());
        for (String name : new String[] {"sgd", "standardized", "momentum", "adam"}) {
            Optimizer o = Optimizer.named(name);
            assertEquals(name, o.name());
            assertEquals(Optimizer.defaultLearningRate(name), o.lr());
        }
        assertThrows(IllegalArgumentException.class, () -> Optimizer.named("rmsprop"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Optimizer.momentum(0.01f, 1f)).getMessage().contains("mu"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Optimizer.sgd(Float.NaN)).getMessage().contains("learning rate"));
    }
}
