package fqt.transfer;

import static org.junit.jupiter.api.Assertions.*;

import fqt.data.Dataset;
import fqt.nn.Context;
import fqt.nn.ErrorRange;
import fqt.nn.Model;
import fqt.nn.Models;
import fqt.nn.Precision;
import fqt.nn.WeightLayer;
import fqt.nn.Weights;
import fqt.quant.Rounding;
import fqt.quant.Xorshift32;
import fqt.testing.TestData;
import fqt.train.Fqt;
import fqt.train.Optimizer;
import fqt.train.TrainingRun;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Bias-only updates (TinyTL): weights below the head never change, biases do, and no weight-gradient work is done. */
class BiasOnlyTest {
    static final Dataset DATA = TestData.fashionMnist().train().shuffled(8).take(200);

    @ParameterizedTest
    @EnumSource(Precision.class)
    void onlyBiasesAndTheHeadChange(Precision p) {
        Model start = Models.smallCnn(DATA.shape(), 10, 3);
        TrainingRun run = Fqt.train(start).precision(p).optimizer(Optimizer.sgd(0.05f)).biasOnly(true).seed(1).progress(null).fit(DATA, null);
        List<WeightLayer> w = run.model().weightLayers();
        Model reference = p.quantizedFeatures() ? start.copy().quantize(DATA.shuffled(1).take(512)) : start; // as fit() quantized it
        for (int i = 0; i < 3; i++) {
            Weights before = reference.weightLayers().get(i).weights(), after = w.get(i).weights();
            assertTrue(w.get(i).biasOnly());
            assertArrayEquals(before.toFloat(), after.toFloat(), p + " layer " + i + " weights");
            assertEquals(before.params(), after.params());
            assertFalse(Arrays.equals(before.bias(), after.bias()), p + " layer " + i + " biases train");
        }
        assertFalse(w.get(3).biasOnly());
        assertFalse(Arrays.equals(reference.weightLayers().get(3).weights().toFloat(), w.get(3).weights().toFloat()), "the head trains fully");
        // Per sample: the head's weight gradient and error, then only the error of the Linear and the second conv.
        long perSample = 2 * 640 + 784 * 64 + start.weightLayers().get(1).forwardMacs();
        assertEquals(DATA.size() * perSample, (long) run.history().longColumn("backward_macs").sum());
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void theBiasGradientIsTheSameBitsAsWithWeights(Precision p) {
        Model full = Models.smallCnn(DATA.shape(), 10, 3);
        if (p.quantizedFeatures()) full.quantize(DATA.take(64));
        Model biasOnly = full.copy();
        for (WeightLayer l : biasOnly.weightLayers()) l.updateBiasOnly(true);
        for (Model m : List.of(full, biasOnly)) {
            Context c = new Context(p, Rounding.NEAREST, ErrorRange.EXACT, 0f, 0f, new Xorshift32(1));
            for (int s = 0; s < 3; s++) {
                m.forward(DATA.sample(s), c);
                m.backward(DATA.label(s), c);
            }
        }
        for (int i = 0; i < 4; i++) {
            Weights a = full.weightLayers().get(i).weights(), b = biasOnly.weightLayers().get(i).weights();
            for (int o = 0; o < a.structures; o++) {
                assertEquals(Float.floatToRawIntBits(a.biasGrad()[o]), Float.floatToRawIntBits(b.biasGrad()[o]), p + " layer " + i + " bias " + o);
            }
            for (float g : b.grad()) assertEquals(0f, g, "no weight gradient");
        }
    }
}
