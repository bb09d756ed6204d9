package fqt.memory;

import static org.junit.jupiter.api.Assertions.*;

import fqt.nn.Conv2d;
import fqt.nn.Flatten;
import fqt.nn.Linear;
import fqt.nn.MaxPool2d;
import fqt.nn.Model;
import fqt.nn.Models;
import fqt.nn.Precision;
import fqt.nn.ReLU;
import fqt.select.PartialUpdates;
import fqt.train.Fqt;
import fqt.train.Optimizer;
import fqt.train.Training;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Plans checked against the layout of firmware/ARENA.md worked out by hand. */
class MemoryPlanTest {
    /** {1,4,4}: 0 Flatten, 1 Linear 16->8, 2 ReLU, 3 Linear 8->4. */
    static Model mlp() {
        return Models.init(Model.of(new int[] {1, 4, 4}, new Flatten(), new Linear(16, 8), new ReLU(), new Linear(8, 4)), 1);
    }

    /** {1,6,6}: 0 Conv2d 1->2 3x3 p1 (2x6x6), 1 ReLU, 2 MaxPool2d 2 (2x3x3), 3 Flatten, 4 Linear 18->3. */
    static Model cnn() {
        return Models.init(Model.of(new int[] {1, 6, 6}, new Conv2d(1, 2, 3, 1, 1), new ReLU(), new MaxPool2d(2), new Flatten(),
                new Linear(18, 3)), 1);
    }

    @Test
    void mlpUint8FullTrainingByHand() {
        Training t = Fqt.train(mlp()).precision(Precision.UINT8).optimizer(Optimizer.sgd(0.1f)); // batch 16: int8 sums
        MemoryPlan plan = Memory.plan(mlp(), t);
        // name, offset, bytes: offsets are the previous end rounded up to 4
        assertLayout(plan.ramBuffers(), new Object[][] {
                {"L1.weights", 0, 16 * 8},          // uint8
                {"L1.bias", 128, 8 * 4},            // float32 per structure
                {"L1.weights.qparams", 160, 8},
                {"L1.grad", 168, 16 * 8},           // int8 sums, one per weight
                {"L1.grad.scale", 296, 8 * 4},      // their float32 scale per structure
                {"L1.bias_grad", 328, 8 * 4},       // (plain SGD: no optimizer state)
                {"L1.out.qparams", 360, 16},        // scale, zero point, running min, max
                {"L3.weights", 376, 8 * 4},
                {"L3.bias", 408, 4 * 4},
                {"L3.weights.qparams", 424, 8},
                {"L3.grad", 432, 8 * 4},
                {"L3.grad.scale", 464, 4 * 4},
                {"L3.bias_grad", 480, 4 * 4},
                {"L3.out.qparams", 496, 16},
                // The activation region (ActivationPlan; steps: 0 input, i + 1 layer i forward, 5 loss,
                // 9 - l layer l backward). Flatten and ReLU run in place: buffers {t0,t1} 16 B alive
                // 0..8 (L1's weight gradient reads t1 at 8), {t2,t3} 8 B 2..8 (ReLU's mask at 7, L1's
                // saturation mask at 8), t4 4 B 4..6. Errors with their 8 B qparams: e2 16 B 7..8,
                // e3 16 B 6..7, e4 12 B 4..6; the float loss 16 B 4..5. Largest first, lowest free offset:
                // x0 at 0, loss 16, e3 16 (not alive with loss), e2 32, e4 32 (not alive with e2),
                // x2 48, x4 44 (fits between e4 and x2).
                {"x0", 512, 16},
                {"x1", 512, 16},
                {"x2", 512 + 48, 8},
                {"x3", 512 + 48, 8},
                {"x4", 512 + 44, 4},
                {"e2", 512 + 32, 16},
                {"e3", 512 + 16, 16},
                {"e4", 512 + 32, 12},
                {"loss", 512 + 16, 16},
                {"activations", 512, 56},
                // max(L1 forward: 8 biases; L3 forward: 4; L3 error propagation: 8 inputs; L1 weight
                // gradient: its 16 inputs as float32) int32
                {"scratch_i32", 568, 16 * 4},
                {"grad_row", 632, (16 + 1) * 4},    // one structure's float32 gradient: L1's rows, and a bias
                {"select_idx", 700, 8 * 4},         // most structures going backward: L1's 8
        });
        assertEquals(732, plan.ramBytes(), "float32 sums took 1096, and the old sequential layout 1116");
        assertLayout(plan.flashBuffers(), new Object[][] {{"input.qparams", 0, 8}});
        assertEquals(8, plan.flashBytes());
        assertBreakdownSums(plan);
    }

    /** Batch 1: each structure is updated in its backward step, so no layer keeps gradient sums. */
    @Test
    void mlpUint8InPlaceByHand() {
        Training t = Fqt.train(mlp()).precision(Precision.UINT8).optimizer(Optimizer.sgd(0.1f)).batch(1);
        MemoryPlan plan = Memory.plan(mlp(), t);
        assertLayout(plan.ramBuffers(), new Object[][] {
                {"L1.weights", 0, 16 * 8},
                {"L1.bias", 128, 8 * 4},
                {"L1.weights.qparams", 160, 8},
                {"L1.out.qparams", 168, 16},
                {"L3.weights", 184, 8 * 4},
                {"L3.bias", 216, 4 * 4},
                {"L3.weights.qparams", 232, 8},
                {"L3.out.qparams", 240, 16},
                {"x0", 256, 16},                    // the same region as at batch 16
                {"x1", 256, 16},
                {"x2", 256 + 48, 8},
                {"x3", 256 + 48, 8},
                {"x4", 256 + 44, 4},
                {"e2", 256 + 32, 16},
                {"e3", 256 + 16, 16},
                {"e4", 256 + 32, 12},
                {"loss", 256 + 16, 16},
                {"activations", 256, 56},
                {"scratch_i32", 312, 16 * 4},
                {"grad_row", 376, (16 + 1) * 4},
                {"select_idx", 444, 8 * 4},
        });
        assertEquals(476, plan.ramBytes());
        assertBreakdownSums(plan);
    }

    @Test
    void cnnMixedLastLayerWithMomentumByHand() {
        Training t = Fqt.train(cnn()).precision(Precision.MIXED).optimizer(Optimizer.momentum(0.01f, 0.9f)).trainLast(1);
        MemoryPlan plan = Memory.plan(cnn(), t);
        assertLayout(plan.flashBuffers(), new Object[][] {
                {"input.qparams", 0, 8},
                {"L0.weights", 8, 2 * 1 * 3 * 3},   // frozen conv: uint8 in Flash
                {"L0.bias", 28, 2 * 4},             // 26 rounded up to 28
                {"L0.weights.qparams", 36, 8},
        });
        assertEquals(44, plan.flashBytes());
        assertPrefix(plan.ramBuffers(), new Object[][] {
                {"L0.out.qparams", 0, 16},          // its output range still moves
                {"L4.weights", 16, 18 * 3},
                {"L4.bias", 72, 3 * 4},             // 70 rounded up to 72
                {"L4.weights.qparams", 84, 8},
                {"L4.grad", 92, 18 * 3 * 4},
                {"L4.bias_grad", 308, 3 * 4},
                {"L4.optimizer", 320, 18 * 3 * 4 + 3 * 4}, // momentum: 4 B per weight and per structure
                {"L4.out.qparams", 548, 16},
        });
        // Only L4 runs backward: the MIXED error of the logits (3 float32) is the only error buffer.
        ActivationPlan region = ActivationPlan.of(cnn(), t.config());
        assertEquals(List.of("e5"), region.entries().stream().filter(e -> e.role() == ActivationPlan.Role.ERRORS).map(ActivationPlan.Entry::name).toList());
        assertEquals(12, region.entry(ActivationPlan.Role.ERRORS, 5).bytes());
        assertLifetimesHold(region);
        long scratch = 564 + region.bytes();
        assertEquals(scratch, plan.buffer("scratch_i32").offset());
        assertEquals((2 + 36) * 4, plan.buffer("scratch_i32").bytes(), "L0 forward: 2 biases + a 6x6 plane");
        assertEquals(8 * 8 * 2, plan.buffer("scratch_i16").bytes(), "L0's input plane padded to 8x8, int16");
        assertEquals(scratch + 152 + 128 + 12, plan.ramBytes());
        assertBreakdownSums(plan);
    }

    /**
     * {1,4,4}: 0 Flatten, 1 Linear 16->8, 2 Linear 8->8, 3 Linear 8->4, bias-only below the last:
     * the uint8 outputs of layers 1 and 2 are kept for the saturation mask of the backward pass.
     */
    @Test
    void weightLayerOutputsAreKeptForTheSaturationMask() {
        Model m = Models.init(Model.of(new int[] {1, 4, 4}, new Flatten(), new Linear(16, 8), new Linear(8, 8), new Linear(8, 4)), 1);
        MemoryPlan plan = Memory.plan(m, Fqt.train(m).precision(Precision.UINT8).optimizer(Optimizer.sgd(0.1f)).biasOnly(true));
        assertPrefix(plan.ramBuffers(), new Object[][] {
                {"L1.bias", 0, 8 * 4},              // bias-only: weights stay in Flash, no weight gradient
                {"L1.bias_grad", 32, 8 * 4},
                {"L1.out.qparams", 64, 16},
                {"L2.bias", 80, 8 * 4},
                {"L2.bias_grad", 112, 8 * 4},
                {"L2.out.qparams", 144, 16},
                {"L3.weights", 160, 8 * 4},
                {"L3.bias", 192, 4 * 4},
                {"L3.weights.qparams", 208, 8},
                {"L3.grad", 216, 8 * 4},            // int8 sums (batch 16)
                {"L3.grad.scale", 248, 4 * 4},
                {"L3.bias_grad", 264, 4 * 4},
                {"L3.out.qparams", 280, 16},
        });
        // lowest = 1; steps 2n + 1 - l = 9 - l going backward. t2 and t3 are the outputs of L1 and
        // L2: the saturation mask keeps them until those layers run backward (8 and 7).
        ActivationPlan region = ActivationPlan.of(m, Fqt.train(m).precision(Precision.UINT8).optimizer(Optimizer.sgd(0.1f)).biasOnly(true).config());
        assertEquals(8, region.entry(ActivationPlan.Role.FEATURES, 2).last());
        assertEquals(7, region.entry(ActivationPlan.Role.FEATURES, 3).last());
        assertLifetimesHold(region);
        // input.qparams 8, L1.weights 128 + qparams 8, L2.weights 64 + qparams 8
        assertEquals(8 + 128 + 8 + 64 + 8, plan.flashBytes());
        assertBreakdownSums(plan);
    }

    @Test
    void partialUpdatesAddTheRankingBuffers() {
        Model m = mlp();
        MemoryPlan full = Memory.plan(m, Fqt.train(m).precision(Precision.UINT8).optimizer(Optimizer.sgd(0.1f)));
        MemoryPlan half = Memory.plan(m, Fqt.train(m).precision(Precision.UINT8).optimizer(Optimizer.sgd(0.1f))
                .partialUpdates(PartialUpdates.lambdaMin(0.5)));
        assertEquals(8, half.buffer("L1.touched").bytes());
        assertEquals(4, half.buffer("L3.touched").bytes());
        assertEquals(8 * 4, half.buffer("select_key").bytes());
        assertFalse(half.has("select_mag"), "uint8 errors rank by int32 keys only");
        assertEquals(8 * 8, half.buffer("select_sort").bytes());
        assertEquals(0, half.buffer("select_sort").offset() % 8);
        assertEquals(8, half.buffer("select_state").bytes()); // loss and largest loss
        // touched flags: 8 + 4 (L1.touched ends on a multiple of 4, so no padding); key 32, sort 64, state 8
        long extra = 8 + 4 + 32 + 64 + 8;
        long sortPadding = half.ramByKind().get(Kind.PADDING) - full.ramByKind().get(Kind.PADDING);
        assertEquals(full.ramBytes() + extra + sortPadding, half.ramBytes());
        MemoryPlan fullAgain = Memory.plan(m, Fqt.train(m).precision(Precision.UINT8).optimizer(Optimizer.sgd(0.1f))
                .partialUpdates(PartialUpdates.full()));
        assertEquals(full.ramBytes(), fullAgain.ramBytes(), "lambdaMin 1 ranks nothing");
    }

    @Test
    void smallCnnPlansAreConsistentAcrossPrecisions() {
        Model m = Models.smallCnn(new int[] {1, 28, 28}, 10);
        Map<Precision, MemoryPlan> plans = new java.util.EnumMap<>(Precision.class);
        for (Precision p : Precision.values()) plans.put(p, Memory.plan(m, fqt.train.Fqt.train(m).precision(p).optimizer(Optimizer.sgd(0.01f))));
        MemoryPlan u8 = plans.get(Precision.UINT8), mixed = plans.get(Precision.MIXED), f32 = plans.get(Precision.FLOAT32);
        // 8*9 + 16*72 + 784*64 + 64*10 weights
        long weights = 72 + 1152 + 50176 + 640;
        assertEquals(weights, u8.ramByKind().get(Kind.WEIGHTS));
        assertEquals(4 * weights, f32.ramByKind().get(Kind.WEIGHTS));
        long structures = 8 + 16 + 64 + 10, largestRow = 784 + 1;
        // UINT8 batch 16: int8 sums, a scale and a float32 bias sum per structure, one float32 row
        assertEquals(weights + 4 * structures + 4 * structures + 4 * largestRow, u8.ramByKind().get(Kind.GRADIENTS));
        assertEquals(4 * (weights + structures), mixed.ramByKind().get(Kind.GRADIENTS));
        assertEquals(4 * (u8.buffer("e10").bytes() - 8), mixed.buffer("e10").bytes(), "float32 errors are 4x uint8 ones (without their qparams)");
        assertEquals(4 * u8.buffer("x1").bytes(), f32.buffer("x1").bytes());
        assertTrue(u8.ramBytes() < mixed.ramBytes() && mixed.ramBytes() < f32.ramBytes());
        assertEquals(0, f32.ramByKind().get(Kind.QPARAMS));
        for (MemoryPlan p : plans.values()) assertBreakdownSums(p);
        System.out.println(u8);
    }

    @Test
    void everyLayerFrozenIsAnError() {
        Model m = mlp();
        m.weightLayers().forEach(l -> l.freeze(true));
        var e = assertThrows(IllegalArgumentException.class, () -> Memory.plan(m, fqt.train.Fqt.train(m).precision(Precision.UINT8).optimizer(Optimizer.sgd(0.1f))));
        assertTrue(e.getMessage().contains("frozen"), e.getMessage());
    }

    /** No two buffers alive at one step share a byte, and each lies inside the region. */
    static void assertLifetimesHold(ActivationPlan plan) {
        List<ActivationPlan.Entry> e = plan.entries();
        for (int i = 0; i < e.size(); i++) {
            ActivationPlan.Entry a = e.get(i);
            assertTrue(a.offset() % 4 == 0 && a.offset() + a.bytes() <= plan.bytes(), a.name());
            for (int j = i + 1; j < e.size(); j++) {
                ActivationPlan.Entry b = e.get(j);
                boolean alias = a.role() == ActivationPlan.Role.FEATURES && b.role() == a.role() && a.offset() == b.offset() && a.first() == b.first();
                boolean sameTime = a.first() <= b.last() && b.first() <= a.last();
                boolean sameBytes = a.offset() < b.offset() + b.bytes() && b.offset() < a.offset() + a.bytes();
                assertFalse(sameTime && sameBytes && !alias, a.name() + " and " + b.name() + " overlap while both are alive");
            }
        }
    }

    /** The first buffers (those before the activation region), as listed. */
    private static void assertPrefix(List<Buffer> buffers, Object[][] expected) {
        assertLayout(buffers.subList(0, expected.length), expected);
    }

    private static void assertLayout(List<Buffer> buffers, Object[][] expected) {
        StringBuilder actual = new StringBuilder();
        for (Buffer b : buffers) actual.append(b.name()).append(' ').append(b.offset()).append(' ').append(b.bytes()).append('\n');
        StringBuilder want = new StringBuilder();
        for (Object[] e : expected) want.append(e[0]).append(' ').append(e[1]).append(' ').append(e[2]).append('\n');
        assertEquals(want.toString(), actual.toString());
    }

    private static void assertBreakdownSums(MemoryPlan p) {
        assertEquals(p.ramBytes(), p.ramByKind().values().stream().mapToLong(Long::longValue).sum());
        assertEquals(p.flashBytes(), p.flashByKind().values().stream().mapToLong(Long::longValue).sum());
        assertTrue(p.toString().contains(String.format(java.util.Locale.ROOT, "%,d B", p.ramBytes())));
    }
}
