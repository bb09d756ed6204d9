package fqt.board;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fqt.data.DataSplit;
import fqt.data.Dataset;
import fqt.memory.Memory;
import fqt.memory.MemoryPlan;
import fqt.nn.Model;
import fqt.nn.Models;
import fqt.nn.Precision;
import fqt.testing.TestData;
import fqt.train.Fqt;
import fqt.train.Training;
import fqt.train.TrainingRun;
import fqt.wire.ModelBlob;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Virtual boards with a profile's memory (nrf52840: 256 KB of RAM, 1 MB of Flash, the image
 * linked for it on QEMU's mps2-an386; rp2040, stm32f746, stm32l4r5 with their sizes and Flash at
 * 0x0): each reports that memory and trains what fits bit for bit as the simulator; what does not
 * fit is refused with the numbers, by the host before anything is sent and by the board itself.
 */
@Tag("qemu")
class ProfileBoardTest {
    static final DataSplit DATA = TestData.fashionMnist();
    /** Two batches of 16: a few seconds per board. */
    static final Dataset TRAIN = DATA.train().shuffled(5).take(32);
    static final BoardProfile NRF = Boards.profile("nrf52840");

    /** The small CNN, UINT8, all four layers trained, the reference paper's setting: int8 sums at batch 16, in place at batch 1. */
    static Training fits(int batch) {
        return Fqt.train(Models.smallCnn(DATA.shape(), 10, 3)).precision(Precision.UINT8).batch(batch).seed(9).calibration(24)
                .progress(null);
    }

    /** Each profile with a virtual board: nrf52840 as linked, the others with Flash at 0x0 (rp2040's M0+ code on an M3). */
    @ParameterizedTest
    @ValueSource(strings = {"nrf52840", "rp2040", "stm32f746", "stm32l4r5"})
    void reportsTheProfilesMemoryAndTrainsBitExactly(String name) throws Exception {
        trainsBitExactly(Boards.profile(name), 16);
    }

    /** Batch 1 on "a 256 KB board": no gradient buffer at all. */
    @Test
    void trainsInPlaceOnTheNrf52840() throws Exception {
        trainsBitExactly(NRF, 1);
    }

    private static void trainsBitExactly(BoardProfile profile, int batch) throws Exception {
        String name = profile.name();
        MemoryPlan plan = Memory.plan(fits(batch).prepareModel(TRAIN), fits(batch).config());
        assertTrue(plan.fits(profile), plan.ramBytes() + " B of arena in " + profile.arenaBytes());
        try (Board board = Boards.virtual(profile)) {
            BoardInfo info = board.info();
            assertEquals(name, info.board());
            assertTrue(info.core().startsWith("cortex-" + profile.core().key()), info.core());
            assertEquals(profile.ramBytes(), info.ramBytes());
            assertEquals(profile.arenaBytes(), info.arenaCapacity());
            assertEquals(profile.memory().modelStoreBytes(), info.blobCapacity());
            assertEquals(VirtualBoardTest.buildIdOf(Firmware.virtualAppElf(profile)), info.buildId());

            Device dev = board.deploy(fits(batch), TRAIN).progress(null).checkpointEvery(0);
            assertEquals(plan.ramBytes(), dev.arenaBytes(), "the board's arena is the plan's, to the byte");
            dev.train(TRAIN, 1);
            TrainingRun simulated = SIMULATED.computeIfAbsent(batch, b -> fits(b).fit(TRAIN, null));
            assertArrayEquals(ModelBlob.write(simulated.model(), simulated.config()), dev.pullBlob(), "the trained model, bit for bit");
            long stack = board.info().stackUsed();
            System.out.printf("%s virtual board: %,d B of its %,d B stack reserve used by training%n", name, stack, profile.memory().stackReserve());
            assertTrue(stack > 0 && stack < profile.memory().stackReserve(), stack + " B of stack used");
        }
    }

    /** The simulator's run of each batch size, once. */
    private static final java.util.Map<Integer, TrainingRun> SIMULATED = new java.util.concurrent.ConcurrentHashMap<>();

    @Test
    void whatDoesNotFitIsRefusedWithTheNumbers() {
        Training all = Fqt.train(Models.smallCnn(DATA.shape(), 10, 3)).precision(Precision.FLOAT32).progress(null);
        Model model = all.prepareModel(TRAIN);
        long need = Memory.plan(model, all.config()).ramBytes();
        try (Board board = Boards.virtual(NRF)) {
            long before = board.linkStats().requests();
            String msg = assertThrows(IllegalArgumentException.class, () -> board.deploy(model, all)).getMessage();
            assertEquals(before + 1, board.linkStats().requests(), "only INFO was sent: " + msg);
            for (long n : new long[] {need, NRF.arenaBytes(), need - NRF.arenaBytes()}) {
                assertTrue(msg.contains(String.format(Locale.ROOT, "%,d B", n)), n + " in: " + msg);
            }
            assertTrue(msg.contains("nrf52840 profile") && msg.contains("256 KiB RAM") && msg.contains("short"), msg);

            // The board's own check, should a host skip the plan: its arena capacity in the answer.
            var e = assertThrows(IllegalArgumentException.class, () -> new Device(board, model, all.config(), ModelBlob.write(model, all.config())));
            assertTrue(e.getCause() instanceof BoardStatusException s && s.detail() == NRF.arenaBytes(), e.getMessage());
        }
    }
}
