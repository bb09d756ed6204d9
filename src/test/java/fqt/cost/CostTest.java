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
        // outputs 6272 + 3136 + 64 + 10; propagated errors 1568 + 784 + 64; loss 10
        assertEquals(9482 + 2416 + 10, u8.requantElements());
        // weights 72 + 1152 + 50,176 + 640 (biases are not counted), once per batch of 16
        assertEquals(52_040 / 16.0, u8.weightUpdates());
        OpCounts f32 = ops(Precision.FLOAT32);
        assertEquals(0, f32.requantElements());
        assertEquals(u8.weightUpdates(), f32.weightUpdates());
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
        McuProfile truth = profile(new McuProfile.Costs(6.5, 11.5, 33.5), new McuProfile.Costs(2.25, 11.25, 61.75), new McuProfile.Costs(2.75, 2.25, 61.5));
        McuProfile.Costs one = new McuProfile.Costs(1, 1, 1);
        McuProfile start = profile(one, one, one);
        List<Measurement> synthetic = new ArrayList<>();
        for (Precision p : Precision.values()) {
            for (int batch : new int[] {1, 16}) {
                for (int trainLast : new int[] {0, 2}) {
                    OpCounts ops = OpCounts.of(CNN, Fqt.train(CNN).precision(p).optimizer(Optimizer.sgd(0.05f)).batch(batch).trainLast(trainLast));
                    synthetic.add(new Measurement("synthetic", p, batch, trainLast, 16, truth.estimate(p, ops).estimatedInstructions(), ops));
                }
            }
        }
        McuProfile fitted = start.calibrate(synthetic);
        for (Precision p : Precision.values()) assertCosts(truth.costs(p), fitted.costs(p), p.toString());
        assertEquals(start.name(), fitted.name());

        // Only UINT8 measured: its costs are fitted, the other precisions' stay.
        List<Measurement> uint8 = synthetic.stream().filter(m -> m.precision() == Precision.UINT8).toList();
        McuProfile partly = start.calibrate(uint8);
        assertCosts(truth.uint8(), partly.uint8(), "UINT8 alone");
        assertEquals(one, partly.mixed());

        // All layers trained, at two batch sizes: forward and backward MACs always come in the same ratio.
        assertThrows(IllegalArgumentException.class, () -> start.calibrate(List.of(uint8.get(0), uint8.get(2))));
    }

    private static void assertCosts(McuProfile.Costs expected, McuProfile.Costs actual, String what) {
        assertEquals(expected.perForwardMac(), actual.perForwardMac(), 1e-9, what + " per forward MAC");
        assertEquals(expected.perBackwardMac(), actual.perBackwardMac(), 1e-9, what + " per backward MAC");
        assertEquals(expected.perWeightUpdate(), actual.perWeightUpdate(), 1e-7, what + " per weight update");
    }

    private static McuProfile profile(McuProfile.Costs float32, McuProfile.Costs mixed, McuProfile.Costs uint8) {
        return new McuProfile("test", 64e6, float32, mixed, uint8, 1.3, 1e-10, 256 * 1024, 1024 * 1024);
    }

    @Test
    void builtInProfilesPriceTheirStoredMeasurementsAndSayWhatIsEstimated() {
        McuProfile m4 = McuProfile.nrf52840();
        for (Measurement m : Measurement.stored("m4")) {
            // The MACs the firmware counted are the model's, counted in Java from its shapes.
            OpCounts counted = OpCounts.of(CNN, Fqt.train(CNN).precision(m.precision()).optimizer(Optimizer.sgd(0.05f)).batch(m.batch())
                    .trainLast(m.trainLast()));
            assertEquals(counted.forwardMacs(), m.ops().forwardMacs(), m.toString());
            assertEquals(counted.backwardMacs(), m.ops().backwardMacs(), m.toString());
            CostEstimate e = m4.estimate(m.precision(), m.ops());
            assertEquals(m.instructionsPerSample(), e.estimatedInstructions(), 1e-6 * m.instructionsPerSample(), m.toString());
            assertEquals(e.estimatedInstructions() * m4.cyclesPerInstruction() / m4.clockHz() * 1e3, e.estimatedLatencyMillis(), 1e-9 * e.estimatedLatencyMillis());
        }
        // On every board a backward MAC in UINT8 costs less than in float (MIXED's backward pass is float), and
        // software float (M0+) costs more than the FPU's.
        for (McuProfile p : McuProfile.paperBoards()) {
            System.out.println(p);
            assertTrue(p.uint8().perBackwardMac() < p.mixed().perBackwardMac(), p.toString());
            assertTrue(p.uint8().perBackwardMac() < p.float32().perBackwardMac(), p.toString());
        }
        assertTrue(McuProfile.rp2040().float32().perBackwardMac() > 3 * m4.float32().perBackwardMac());
        String text = m4.estimate(Precision.UINT8, ops(Precision.UINT8)).toString();
        assertTrue(text.startsWith("ESTIMATE") && text.contains("measured on QEMU") && text.contains("estimated"), text);
    }

    /**
     * A configuration the profiles were not fitted to (partial updates, batch 8), trained on the
     * virtual M4: the firmware executes exactly the MACs the Java simulation of the same training
     * counted, the full-update counts are the model's, and the estimate of the built-in nRF52840
     * profile is within 15 % of the instructions QEMU counted. About two seconds of QEMU.
     */
    @Test
    @Tag("qemu")
    void estimateOfAnUnfittedConfigurationAgreesWithTheInstructionsMeasuredOnQemu() {
        Dataset data = TestData.fashionMnist().train().shuffled(7).take(16);
        Training partial = Measurement.smallCnn(data, Precision.UINT8, 8)
                .partialUpdates(PartialUpdates.lambdaMin(0.1).lambdaMax(1.0).errorBy(PartialUpdates.ErrorBy.SAMPLE_LOSS));
        TrainingRun simulated = partial.fit(data, null);
        // fit visits epoch 1 in this order (Training, Device); the calibration takes all 16 samples in any order
        Dataset epochOrder = data.select(Dataset.permutation(data.size(), simulated.config().seed() * 1_000_003L + 1));
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
        // 15 %: the UINT8 batch's int8 gradient sums are requantized per sample and per selected weight,
        // a cost the model's three terms (forward MACs, backward MACs, weight updates) only approximate:
        // measured +12.5 % on the int8 sums' firmware, -4 % with float32 sums before.
        assertEquals(measured.instructionsPerSample(), estimate.estimatedInstructions(), 0.15 * measured.instructionsPerSample(), estimate.toString());
    }
}
