package fqt.select;

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
import fqt.train.Training;
import fqt.train.TrainingRun;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/** Structures a selection leaves out cost no work and keep zero gradients and unchanged weights. */
class SkippedWorkTest {
    static final Dataset DATA = TestData.fashionMnist().train().shuffled(3).take(300);

    static Model model(Precision p) {
        Model m = Models.smallCnn(DATA.shape(), 10, 7);
        return p.quantizedFeatures() ? m.quantize(DATA.take(64)) : m;
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void backwardMacsFollowTheSelectedStructuresAndSkippedOnesStayZero(Precision p) {
        Model m = model(p);
        Context c = new Context(p, Rounding.STOCHASTIC, ErrorRange.EXACT, 0f, 0f, new Xorshift32(1));
        c.selection = PartialUpdates.lambdaMin(0.25).selector(m);
        int lowest = m.lowestTrainable();
        long partialSelected = 0, partialAvailable = 0;
        for (int s = 0; s < 8; s++) {
            c.resetCounters();
            m.forward(DATA.sample(s), c);
            m.backward(DATA.label(s), c);
            for (WeightLayer l : m.weightLayers()) {
                int i = l.index();
                long perStructure = l.forwardMacs() / l.weights().structures;
                long passes = i > lowest ? 2 : 1; // weight gradient, plus error propagation above the lowest layer
                assertEquals(perStructure * c.selected[i] * passes, c.backwardMacs[i], p + " layer " + i + " sample " + s);
                partialSelected += c.selected[i];
                partialAvailable += c.available[i];
            }
            assertTouchedOnlyHoldGradients(m, p + " sample " + s);
        }
        assertTrue(partialSelected < 0.9 * partialAvailable, "the budget left structures out: " + partialSelected + " of " + partialAvailable);
    }

    /** Gradient buffers of structures no sample selected are exactly zero. */
    static void assertTouchedOnlyHoldGradients(Model m, String what) {
        for (WeightLayer l : m.weightLayers()) {
            Weights w = l.weights();
            for (int o = 0; o < w.structures; o++) {
                if (w.touched(o)) continue;
                for (int i = o * w.structureSize; i < (o + 1) * w.structureSize; i++) {
                    assertEquals(0, Float.floatToRawIntBits(w.grad()[i]), what + ": " + l.name() + " structure " + o);
                }
                assertEquals(0, Float.floatToRawIntBits(w.biasGrad()[o]), what + ": " + l.name() + " bias " + o);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void anUpdateLeavesUnselectedStructuresAsTheyWere(Precision p) {
        Model m = model(p);
        Context c = new Context(p, Rounding.STOCHASTIC, ErrorRange.EXACT, 0f, 0f, new Xorshift32(2));
        c.selection = PartialUpdates.lambdaMin(0.1).lambdaMax(0.1).selector(m); // a fixed budget: 1 of 8, 1 of 16, 6 of 64, 1 of 10
        m.forward(DATA.sample(0), c);
        m.backward(DATA.label(0), c);
        for (WeightLayer l : m.weightLayers()) {
            Weights w = l.weights();
            float[] before = w.toFloat(), biasBefore = w.bias().clone();
            boolean[] touched = new boolean[w.structures];
            for (int o = 0; o < w.structures; o++) touched[o] = w.touched(o);
            var oldParams = w.params();
            w.update(Optimizer.sgd(0.5f), c.gradients, Rounding.STOCHASTIC, c.rng);
            float[] after = w.toFloat();
            int changed = 0;
            for (int o = 0; o < w.structures; o++) {
                if (touched[o]) {
                    changed++;
                    continue;
                }
                assertEquals(biasBefore[o], w.bias()[o], l.name() + " bias " + o);
                for (int i = o * w.structureSize; i < (o + 1) * w.structureSize; i++) {
                    if (!w.quantized() || w.params().equals(oldParams)) {
                        assertEquals(before[i], after[i], l.name() + " weight " + i);
                    } else {
                        // A new range requantizes the whole tensor: an untouched weight keeps its real value within one new step.
                        assertEquals(before[i], after[i], w.params().scale(), l.name() + " weight " + i);
                    }
                }
            }
            assertTrue(changed < w.structures, l.name() + ": every structure was selected");
        }
    }

    @Test
    void trainingCountsTheSelectedWorkAndAFreshSelectorMakesRunsReproducible() {
        Model start = Models.smallCnn(DATA.shape(), 10, 7);
        // A fixed budget of 10 %: 1 of 8 and 1 of 16 filters, 6 of 64 rows; the head's 10 rows in full.
        Training partial = Fqt.train(start).precision(Precision.UINT8).optimizer(Optimizer.sgd(0.05f)).seed(4).progress(null)
                .partialUpdates(PartialUpdates.lambdaMin(0.1).lambdaMax(0.1).fullHead(true));
        TrainingRun a = partial.fit(DATA, null);
        List<WeightLayer> w = start.weightLayers();
        long perSample = w.get(0).forwardMacs() / 8 + 2 * w.get(1).forwardMacs() / 16 + 2 * 6 * 784 + 2 * 10 * 64;
        Table h = a.history();
        assertEquals(DATA.size() * perSample, (long) h.longColumn("backward_macs").sum());
        assertEquals((1 + 1 + 6 + 10) / 98.0, h.doubleColumn("update_fraction").max(), 1e-12);
        assertTrue(h.doubleColumn("backward_seconds").sum() > 0, "backward time is measured per step");

        // The dynamic budget depends on the largest loss so far: a selector carried over would change the second run.
        Training dynamic = Fqt.train(start).precision(Precision.UINT8).optimizer(Optimizer.sgd(0.05f)).seed(4).progress(null)
                .partialUpdates(PartialUpdates.lambdaMin(0.1));
        TrainingRun c = dynamic.fit(DATA.take(100), null), d = dynamic.fit(DATA.take(100), null);
        List<WeightLayer> wc = c.model().weightLayers(), wd = d.model().weightLayers();
        for (int i = 0; i < wc.size(); i++) assertArrayEquals(wc.get(i).weights().codes(), wd.get(i).weights().codes(), "layer " + i);
        assertArrayEquals(c.history().doubleColumn("update_fraction").asDoubleArray(), d.history().doubleColumn("update_fraction").asDoubleArray());
    }
}
