package fqt.board;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fqt.data.Dataset;
import fqt.train.TrainingRun;
import fqt.wire.ModelBlob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tech.tablesaw.api.Table;

/**
 * Training on the M4 virtual board through an independent process between QEMU's port and the
 * host ({@code scripts/fault-relay.py}): drops or flips bytes at up to 1 %, stalls the line for
 * 30 s, drops everything for 20 s. The run stays the simulator's, bit for bit, with every sample
 * exactly once in the log and the CSV. At 1 % a checkpoint (the blob and the whole arena, about
 * 200 KB in frames of 32-64 bytes) takes most of a minute, so these runs take one every 120
 * samples; the rates between run with {@code -Dgroups=slow} and print the samples/s per rate.
 */
@Tag("qemu")
class RelayTest {
    static final Dataset TRAIN = DeviceTest.DATA.train().shuffled(12).take(240);
    private static byte[] simulatedBlob;

    @TempDir
    Path dir;

    @BeforeAll
    static void simulate() {
        TrainingRun run = DeviceTest.training().fit(TRAIN, null);
        simulatedBlob = ModelBlob.write(run.model(), run.config());
    }

    /** The board's QEMU and the relay on its port; the host on the relay's pty as on a real board's. */
    private record Rig(Qemu qemu, FaultRelay relay, Board board) implements AutoCloseable {
        static Rig start(double drop, double flip) {
            Qemu qemu = Qemu.startWithPty(Qemu.machine(CortexM.M4), Firmware.appElf(CortexM.M4), Duration.ofSeconds(10));
            FaultRelay relay = null;
            try {
                relay = new FaultRelay(qemu.ptyPath(), drop, flip, 7);
                return new Rig(qemu, relay, Boards.serial(relay.pty()));
            } catch (RuntimeException e) {
                if (relay != null) relay.close();
                qemu.close();
                throw e;
            }
        }

        @Override
        public void close() {
            try {
                board.close();
            } finally {
                relay.close();
                qemu.close();
            }
        }
    }

    @ParameterizedTest(name = "drops {0}, flips {1}")
    @CsvSource({"0.01, 0", "0, 0.01"})
    void trainsBitExactThroughANoisyRelay(double drop, double flip) throws Exception {
        trainThrough(drop, flip);
    }

    /** The samples/s at the rates between (and the rate 0): figures for the README. */
    @ParameterizedTest(name = "drops {0}")
    @CsvSource({"0", "0.001", "0.003"})
    @Tag("slow")
    void throughputByDropRate(double drop) throws Exception {
        trainThrough(drop, 0);
    }

    private void trainThrough(double drop, double flip) throws Exception {
        Path csv = dir.resolve("relay.csv");
        try (Rig rig = Rig.start(drop, flip)) {
            Device dev = rig.board().deploy(DeviceTest.training(), TRAIN).csv(csv).progress(null).checkpointEvery(120);
            long t0 = System.nanoTime();
            Table log = dev.train(TRAIN, 1);
            double seconds = (System.nanoTime() - t0) / 1e9;
            DeviceTest.assertOnePerSample(log, csv, TRAIN.size());
            assertArrayEquals(simulatedBlob, dev.pullBlob(), "the board's model blob through the relay");
            Map<String, Long> faults = rig.relay().stats();
            if (drop > 0) assertTrue(faults.get("dropped") > 0, faults.toString());
            if (flip > 0) assertTrue(faults.get("flipped") > 0, faults.toString());
            System.out.printf("relay drops %.1f %%, flips %.1f %%: %d samples in %.1f s = %.1f samples/s, requests of %d B at the end; %s; relay %s%n",
                    100 * drop, 100 * flip, log.rowCount(), seconds, log.rowCount() / seconds, dev.requestBytes(), rig.board().linkStats(), faults);
        }
    }

    @Test
    void aStalledLineAndABoardGoneFor20SecondsAreWaitedOut() throws Exception {
        Path csv = dir.resolve("stalls.csv");
        try (Rig rig = Rig.start(0, 0)) {
            Device dev = rig.board().deploy(DeviceTest.training(), TRAIN).csv(csv).progress(null);
            boolean[] stalled = {false}, gone = {false};
            dev.afterRequest = done -> {
                if (done >= 60 && !stalled[0]) stalled[0] = rig.relay().command("stall 30").startsWith("ok");
                if (done >= 150 && !gone[0]) gone[0] = rig.relay().command("gone 20").startsWith("ok");
            };
            long t0 = System.nanoTime();
            Table log = dev.train(TRAIN, 1);
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(stalled[0] && gone[0], "both faults were injected");
            assertTrue(seconds >= 50, "the run waited out 30 s and 20 s: " + seconds + " s");
            assertEquals(0, dev.restarts(), "no restart was needed");
            DeviceTest.assertOnePerSample(log, csv, TRAIN.size());
            assertArrayEquals(simulatedBlob, dev.pullBlob(), "the board's model blob after the stall and the outage");
            System.out.printf("stall 30 s and gone 20 s: %d samples in %.1f s; %s; relay %s%n", log.rowCount(), seconds,
                    rig.board().linkStats(), rig.relay().stats());
        }
    }
}
