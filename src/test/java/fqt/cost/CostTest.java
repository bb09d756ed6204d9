package fqt.cost;

import static org.junit.jupiter.api.Assertions.*;

import fqt.data.Dataset;
import fqt.nn.Model;
import fqt.nn.Models;
import fqt.nn.Precision;
import fqt.testing.TestData;
import fqt.train.Fqt;
import fqt.train.Optimizer;
import fqt.train.Training;
import fqt.train.TrainingRun;
import java.util.List;
import org.junit.jupiter.api.Test;

class CostTest {
    static final Model CNN = Models.smallCnn(new int[] {1, 28, 28}, 10);

    static OpCounts ops(Precision p) {
        return OpCounts.of(CNN, Fqt.train(CNN).precision(p).batch(16));
    }

    @Test
    void smallCnnCountsByHand() {
        OpCounts u8 = ops(Precision.UINT8);
        // conv 1->8: 8 filters x 9 taps minus padding = 53,792; conv 8->16 on 14x14: 204,800; 784*64; 64*10
        assertEquals(53_792 + 204_800 + 50_176 + 640, u8.forwardMacs());
        // weight gradients of all four layers, error propagation of all but the first
        assertEquals(2 * u8.forwardMacs() - 53_792, u8.backwardMacs());
        // outputs 6272 + 3136 + 64 + 10; propagated errors 1568 + 784 + 64; loss 10; weights 52,040 / 16 = 3252
        assertEquals(9482 + 2416 + 10 + 3252, u8.requantElements());
        assertEquals(0, ops(Precision.FLOAT32).requantElements());
    }

    @Test
    void paperBoardsReproduceThePapersSmallCnnLatencyAndEnergy() {
        double[][] paper = {{817.1, 0.67}, {897.6, 23.95}, {35.4, 0.17}}; // ms, mJ per sample, UINT8
        List<McuProfile> boards = McuProfile.paperBoards();
        for (int i = 0; i < boards.size(); i++) {
            CostEstimate e = boards.get(i).estimate(Precision.UINT8, ops(Precision.UINT8));
            System.out.println(e);
            assertEquals(paper[i][0], e.estimatedLatencyMillis(), 0.01 * paper[i][0], e.toString());
            assertEquals(paper[i][1], e.estimatedEnergyMillijoules(), 0.02 * paper[i][1], e.toString());
            assertTrue(e.toString().startsWith("ESTIMATE"));
        }
        McuProfile m7 = McuProfile.imxrt1062();
        assertEquals(35.0, m7.estimate(Precision.MIXED, ops(Precision.MIXED)).estimatedLatencyMillis(), 0.35);
        assertEquals(36.1, m7.estimate(Precision.FLOAT32, ops(Precision.FLOAT32)).estimatedLatencyMillis(), 0.36);
    }

    @Test
    void calibrationFitsTheMeasuredCyclesOfOnePrecision() {
        McuProfile m4 = McuProfile.nrf52840();
        OpCounts ops = ops(Precision.UINT8);
        double estimated = m4.estimate(Precision.UINT8, ops).estimatedCycles();
        McuProfile fitted = m4.calibrate(Precision.UINT8, ops, 1.9 * estimated, 2.1 * estimated);
        assertEquals(2 * estimated, fitted.estimate(Precision.UINT8, ops).estimatedCycles(), 1e-6 * estimated);
        assertEquals(m4.cyclesPerMacMixed(), fitted.cyclesPerMacMixed());
        assertTrue(fitted.name().endsWith("(calibrated)"));
        assertThrows(IllegalArgumentException.class, () -> m4.calibrate(Precision.UINT8, ops, 100));
    }

    @Test
    void aRunsCountedMacsMatchTheModelsWithFullUpdates() {
        Dataset few = TestData.fashionMnist().train().take(64);
        Model mlp = Models.mlp(few.shape(), 10, 3, 32);
        Training t = Fqt.train(mlp).precision(Precision.UINT8).optimizer(Optimizer.sgd(0.05f)).trainLast(1).progress(null);
        TrainingRun run = t.fit(few, null);
        OpCounts fromModel = OpCounts.of(mlp, t), fromRun = OpCounts.of(run);
        assertEquals(fromModel, fromRun);
        assertEquals(32 * 10, fromRun.backwardMacs(), "only the last layer's weight gradient");
        assertTrue(McuProfile.rp2040().estimate(run).fits(fqt.memory.Memory.plan(mlp, t)));
    }
}
