package fqt.transfer;

import static org.junit.jupiter.api.Assertions.*;

import fqt.data.DataSplit;
import fqt.nn.Model;
import fqt.nn.Precision;
import fqt.nn.WeightLayer;
import fqt.testing.TestData;
import fqt.train.Optimizer;
import fqt.train.Training;
import fqt.train.TrainingRun;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scenarios on real Fashion-MNIST subsets: splits, the new head, and both accuracies after fine-tuning. */
class ScenarioTest {
    static final DataSplit DATA = new DataSplit(TestData.fashionMnist().train().shuffled(5).take(6000),
            TestData.fashionMnist().test().shuffled(6).take(1000));

    @Test
    void newClassesSplitsTheClassesAndReinitialisesTheHead() {
        Scenario s = Scenario.newClasses(DATA);
        assertTrue(s.newHead());
        assertEquals(5, s.source().classes());
        assertEquals(5, s.target().classes());
        int[] all = DATA.train().classCounts(), src = s.source().train().classCounts(), dst = s.target().train().classCounts();
        assertArrayEquals(Arrays.copyOfRange(all, 0, 5), src, "source: classes 0-4 as they were");
        assertArrayEquals(Arrays.copyOfRange(all, 5, 10), dst, "target: classes 5-9 relabelled 0-4");

        s = s.take(2000, 500, 1);
        TrainingRun pre = s.pretrain(t -> t.epochs(1).seed(2).progress(null));
        assertTrue(pre.testAccuracy() > 0.7, "source accuracy after pretraining " + pre.testAccuracy());
        assertFalse(pre.model().quantized());
        Model start = s.startModel(pre.model());
        List<WeightLayer> a = pre.model().weightLayers(), b = start.weightLayers();
        for (int i = 0; i < 3; i++) assertArrayEquals(a.get(i).weights().toFloat(), b.get(i).weights().toFloat(), "layer " + i + " is kept");
        assertFalse(Arrays.equals(a.get(3).weights().toFloat(), b.get(3).weights().toFloat()), "the head is new");

        // Only the head trains: the shared layers are as pretrained, so the source task keeps its accuracy (up to quantization).
        TransferRun head = s.fineTune(pre, t -> uint8(t).trainLast(1));
        TransferRun two = s.fineTune(pre, t -> uint8(t).trainLast(2));
        System.out.printf("%s%n%s%n", head, two);
        assertTrue(head.targetAccuracy() > 0.55, "features of other classes, one epoch (chance 0.2): " + head);
        assertTrue(two.targetAccuracy() > 0.85, two.toString());
        assertEquals(pre.testAccuracy(), head.sourceAccuracy(), 0.05, head.toString());
        assertEquals(pre.testAccuracy(), head.pretrainedSourceAccuracy());
    }

    static Training uint8(Training t) {
        return t.precision(Precision.UINT8).optimizer(Optimizer.sgd(0.05f)).seed(3).progress(null);
    }

    @Test
    void domainShiftKeepsTheHeadAndFineTuningRecoversTheTarget() {
        Scenario s = Scenario.domainShift(DATA, Shift.INVERTED).take(2000, 500, 1);
        assertFalse(s.newHead());
        assertEquals(10, s.target().classes());
        TrainingRun pre = s.pretrain(t -> t.epochs(1).seed(2).progress(null));
        double before = pre.config().evaluate(pre.model(), s.target().test());
        TransferRun r = s.fineTune(pre, t -> uint8(t).trainLast(2));
        System.out.printf("pretrained on the shifted test set %.4f; %s%n", before, r);
        assertTrue(before < 0.5, "inverted images confuse the pretrained model: " + before);
        assertTrue(r.targetAccuracy() > before + 0.2, r.toString());
        assertTrue(r.sourceAccuracy() < pre.testAccuracy(), "adapting to inverted images costs source accuracy: " + r);
    }
}
