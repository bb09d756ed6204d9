package fqt.firmware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import fqt.board.CortexM;
import fqt.board.Runner;
import fqt.data.DataSplit;
import fqt.nn.Precision;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The virtual boards train exactly as Java: the runner image (firmware/port/mps2/test/runner.c,
 * the DSP kernels of firmware/core/ on the M4 and M7) writes the host runner's result file, and it
 * must equal Java's byte for byte; the MACs it counts must equal Java's Context counters. UINT8 on
 * both boards, MIXED on the M4 and FLOAT32 on the M7.
 */
@Tag("qemu")
class BoardParityTest {
    static final DataSplit DATA = HostParityTest.DATA;
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    static Path dir;
    private static ParityCase smallCnn;

    @BeforeAll
    static void writeFiles() throws IOException {
        smallCnn = ParityCase.of("small_cnn_uint8", HostParityTest.smallCnnUint8(), DATA.train().shuffled(5).take(256),
                DATA.test().take(100), true, dir);
    }

    /** The acceptance run of issue 5 on both boards: small CNN, UINT8, stochastic rounding, partial updates, 256 samples. */
    @ParameterizedTest
    @EnumSource(names = {"M4", "M7"})
    void smallCnnUint8StochasticPartialUpdates(CortexM core) {
        Runner.Result r = assertParity(core, smallCnn);
        System.out.println(r.figures());
    }

    /**
     * The DSP kernels' edges: padding 0 and 1, groups, a depthwise layer, a stride-2 and a 1x1
     * convolution that keep the plain loops, rows of 12 and 14 outputs.
     */
    @Test
    void groupedConvOnM4() throws IOException {
        ParityCase c = ParityCase.of("grouped_uint8", HostParityTest.groupedUint8(), DATA.train().shuffled(8).take(24),
                DATA.test().take(10), false, dir);
        assertParity(CortexM.M4, c);
    }

    /** The padded 3x3 kernels with groups and error propagation, and nearest rounding, on the Cortex-M7. */
    @Test
    void paddedGroupedConvolutionsOnM7() throws IOException {
        ParityCase c = ParityCase.of("padded_groups", HostParityTest.paddedGroupsNearest(), DATA.train().shuffled(11).take(24),
                DATA.test().take(10), false, dir);
        assertParity(CortexM.M7, c);
    }

    /** MIXED precision (float32 errors through the uint8 kernels) with Adam, as HostParityTest runs it, on the Cortex-M4F. */
    @Test
    void smallCnnMixedAdamOnM4() throws IOException {
        ParityCase c = ParityCase.of("small_cnn_mixed", HostParityTest.smallCnnMixedAdam(), DATA.train().shuffled(6).take(40),
                DATA.test().take(20), false, dir);
        assertParity(CortexM.M4, c);
    }

    /** FLOAT32 with momentum and partial updates, as HostParityTest runs it, on the Cortex-M7. */
    @Test
    void smallCnnFloat32MomentumOnM7() throws IOException {
        ParityCase c = ParityCase.of("small_cnn_float32", HostParityTest.smallCnnFloat32MomentumPartial(), DATA.train().shuffled(7).take(30),
                DATA.test().take(20), false, dir);
        assertParity(CortexM.M7, c);
    }

    /** The partial-update experiment's setting (the head updated in full, PartialUpdates.fullHead) on both boards. */
    @ParameterizedTest
    @EnumSource(names = {"M4", "M7"})
    void fullHeadOnBothBoards(CortexM core) throws IOException {
        ParityCase c = ParityCase.of("full_head", HostParityTest.fullHeadExperiment(), DATA.train().shuffled(14).take(48),
                DATA.test().take(20), true, dir);
        assertParity(core, c);
    }

    /** Fine-tuning the last blocks of a residual and an inverted-residual net, adds inside the trained part, in every precision. */
    @ParameterizedTest
    @EnumSource(names = {"M4", "M7"})
    void graphFineTuningInEveryPrecision(CortexM core) throws IOException {
        for (Precision p : Precision.values()) {
            ParityCase r = ParityCase.of("residual_" + p, HostParityTest.fineTune(HostParityTest.residual(21), p, 31),
                    DATA.train().shuffled(21).take(24), DATA.test().take(10), false, dir);
            assertParity(core, r);
            ParityCase v = ParityCase.of("inverted_residual_" + p, HostParityTest.fineTune(HostParityTest.invertedResidual(22), p, 32),
                    DATA.train().shuffled(22).take(24), DATA.test().take(10), false, dir);
            assertParity(core, v);
        }
    }

    /** Every layer of an inverted-residual net trains: the fan-outs' summed errors and their EMA ranges on the Cortex-M4F. */
    @Test
    void invertedResidualEmaEveryLayerOnM4() throws IOException {
        ParityCase c = ParityCase.of("inverted_residual_uint8_ema", HostParityTest.invertedResidualUint8Ema(), DATA.train().shuffled(24).take(24),
                DATA.test().take(10), true, dir);
        assertParity(CortexM.M4, c);
    }

    private static Runner.Result assertParity(CortexM core, ParityCase c) {
        Runner.Result r = Runner.train(core, c.blob(), c.samples(), c.test(), dir.resolve(c.name() + "." + core.key() + ".result"), TIMEOUT);
        assertNull(c.firstMismatch(r.resultFile()), c.name() + " on " + core.key() + "; QEMU output:\n" + r.output());
        assertEquals(0, r.exitStatus(), r.output());
        assertEquals(c.java().losses.size(), r.figures().samples());
        assertEquals(c.java().forwardMacs, r.figures().forwardMacs(), "forward MACs");
        assertEquals(c.java().backwardMacs, r.figures().backwardMacs(), "backward MACs");
        return r;
    }
}
