package fqt.cost;

import static org.junit.jupiter.api.Assertions.*;

import fqt.board.CortexM;
import fqt.data.Dataset;
import fqt.nn.Model;
import fqt.nn.Models;
import fqt.nn.Precision;
import fqt.select.PartialUpdates;
import fqt.testing.TestData;
import fqt.train.Fqt;
import fqt.train.Optimizer;
import fqt.train.Training;
import fqt.train.TrainingRun;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class CostTest {
    static final Model CNN = Models.smallCnn(new int[] {1, 28, 28}, 10);

    static OpCounts ops(Precision p) {
        return OpCounts.of(CNN, Fqt.train(CNN).precision(p).optimizer(Optimizer.sgd(0.05f)).batch(16));
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
    void aRunsCountedMacsMatchTheModelsWithFullUpdates() {
        Dataset few = TestData.fashionMnist().train().take(64);
        Model mlp = Models.mlp(few.shape(), 10, 3, 32);
        Training t = Fqt.train(mlp).precision(Precision.UINT8).optimizer(Optimizer.sgd(0.05f)).trainLast(1).progress(null);
        TrainingRun run = t.fit(few, null);
        OpCounts fromModel = OpCounts.of(mlp, t), fromRun = OpCounts.of(run);
        assertEquals(fromModel, fromRun);
        assertEquals(32 * 10, fromRun.backwardMacs(), "only the last layer's weight gradient");
    }

    /** Known costs priced into synthetic measurements of different configurations come back out of calibrate. */
    @Test
    void calibrationRecoversKnownCostsFromSyntheticMeasurements() {
        McuProfile truth = new McuProfile("truth", 64e6, 9.5, 7.75, 2.25, 41, 1.3, 1e-10, 256 * 1024, 1024 * 1024);
        McuProfile start = new McuProfile("start", 64e6, 1, 1, 1, 1, 1.3, 1e-10, 256 * 1024, 1024 * 1024);
        Model mlp = Models.mlp(new int[] {1, 28, 28}, 10, 3, 32);
        List<Measurement> synthetic = new ArrayList<>();
        for (Precision p : Precision.values()) {
            for (int batch : new int[] {1, 16}) {
                for (Model m : List.of(CNN, mlp)) synthetic.add(priced(truth, p, batch, OpCounts.of(m, Fqt.train(m).precision(p).batch(batch))));
            }
        }
        McuProfile fitted = start.calibrate(synthetic);
        assertEquals(truth.instructionsPerMacFloat32(), fitted.instructionsPerMacFloat32(), 1e-9);
        assertEquals(truth.instructionsPerMacMixed(), fitted.instructionsPerMacMixed(), 1e-9);
        assertEquals(truth.instructionsPerMacUint8(), fitted.instructionsPerMacUint8(), 1e-9);
        assertEquals(truth.instructionsPerRequant(), fitted.instructionsPerRequant(), 1e-7);
        assertEquals(start.name(), fitted.name());

        // Only UINT8 measured, at two batch sizes: its MAC and requantization costs are fitted, the others stay.
        List<Measurement> uint8 = synthetic.stream().filter(m -> m.precision() == Precision.UINT8 && m.ops().forwardMacs() > 1e5).toList();
        McuProfile partly = start.calibrate(uint8);
        assertEquals(truth.instructionsPerMacUint8(), partly.instructionsPerMacUint8(), 1e-9);
        assertEquals(truth.instructionsPerRequant(), partly.instructionsPerRequant(), 1e-7);
        assertEquals(start.instructionsPerMacMixed(), partly.instructionsPerMacMixed());

        // One configuration cannot tell MACs from requantizations.
        assertThrows(IllegalArgumentException.class, () -> start.calibrate(uint8.subList(0, 1)));
    }

    private static Measurement priced(McuProfile truth, Precision p, int batch, OpCounts ops) {
        return new Measurement("synthetic", p, batch, 16, truth.estimate(p, ops).estimatedInstructions(), ops);
    }

    @Test
    void builtInProfilesPriceTheirStoredMeasurementsAndSayWhatIsEstimated() {
        McuProfile m4 = McuProfile.nrf52840();
        for (Measurement m : Measurement.stored("m4")) {
            CostEstimate e = m4.estimate(m.precision(), m.ops());
            assertEquals(m.instructionsPerSample(), e.estimatedInstructions(), 1e-6 * m.instructionsPerSample(), m.toString());
            assertEquals(e.estimatedInstructions() * 1.3 / 64e6 * 1e3, e.estimatedLatencyMillis(), 1e-9 * e.estimatedLatencyMillis());
        }
        // A MAC in UINT8 costs less than in float on every board; software float (M0+) costs more than the FPU's.
        for (McuProfile p : McuProfile.paperBoards()) {
            System.out.println(p);
            assertTrue(p.instructionsPerMacUint8() < p.instructionsPerMacMixed() && p.instructionsPerMacMixed() < p.instructionsPerMacFloat32(), p.toString());
        }
        assertTrue(McuProfile.rp2040().instructionsPerMacFloat32() > 3 * m4.instructionsPerMacFloat32());
        String text = m4.estimate(Precision.UINT8, ops(Precision.UINT8)).toString();
        assertTrue(text.startsWith("ESTIMATE") && text.contains("measured on QEMU") && text.contains("estimated"), text);
    }

    /**
     * A configuration the profiles were not fitted to (partial updates, batch 8), trained on the
     * virtual M4: the firmware executes exactly the MACs the Java simulation of the same training
     * counted, the full-update counts are the model's, and the estimate of the built-in nRF52840
     * profile is within 10 % of the instructions QEMU counted. About two seconds of QEMU.
     */
    @Test
    @Tag("qemu")
    void estimateOfAnUnfittedConfigurationAgreesWithTheInstructionsMeasuredOnQemu() {
        Dataset data = TestData.fashionMnist().train().shuffled(7).take(16);
        Training partial = Measurement.smallCnn(data, Precision.UINT8, 8)
                .partialUpdates(PartialUpdates.lambdaMin(0.1).lambdaMax(1.0).errorBy(PartialUpdates.ErrorBy.SAMPLE_LOSS));
        TrainingRun simulated = partial.fit(data, null);
        // fit visits epoch 1 in this order (Training, Device); the calibration takes all 16 samples in any order
        Dataset epochOrder = data.select(Dataset.permutation(data.size(), partial.seed() * 1_000_003L + 1));
        Measurement measured = Measurement.onVirtualBoard("m4", CortexM.M4, partial, epochOrder);
        CostEstimate estimate = McuProfile.nrf52840().estimate(simulated);
        System.out.printf("partial updates, batch 8: measured %.0f instructions per sample, estimated %.0f (%+.1f %%)%n",
                measured.instructionsPerSample(), estimate.estimatedInstructions(),
                100 * (estimate.estimatedInstructions() / measured.instructionsPerSample() - 1));

        assertEquals(16, measured.samples());
        assertEquals(OpCounts.of(simulated), measured.ops(), "the firmware's MACs are the simulation's");
        OpCounts full = OpCounts.of(simulated.model(), partial);
        assertTrue(measured.ops().backwardMacs() < 0.9 * full.backwardMacs(), "partial updates skip backward work: " + measured.ops());
        assertEquals(full.forwardMacs(), measured.ops().forwardMacs());
        assertEquals(measured.instructionsPerSample(), estimate.estimatedInstructions(), 0.10 * measured.instructionsPerSample(), estimate.toString());
    }
}
