package fqt.board;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fqt.train.TrainingRun;
import fqt.wire.ModelBlob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/**
 * Resume beyond one train call: a call that failed (the board frozen past the stall limit, after it
 * had run the request that timed out) is finished by the next call, and a host process killed
 * mid-run is continued by another process from the checkpoint on disk. Both end with the
 * simulator's model, bit for bit, and each sample once in the log and the CSV.
 */
@Tag("qemu")
class ResumeTest {
    private static byte[] simulatedBlob;

    @TempDir
    Path dir;

    @BeforeAll
    static void simulate() {
        TrainingRun run = DeviceTest.training().fit(DeviceTest.TRAIN, null);
        simulatedBlob = ModelBlob.write(run.model(), run.config());
    }

    @Test
    void aFailedCallIsFinishedByTheNext() throws Exception {
        Path csv = dir.resolve("failed.csv");
        try (Board board = Boards.virtual(CortexM.M4).stallLimit(Duration.ofSeconds(3))) {
            Device dev = board.deploy(DeviceTest.training(), DeviceTest.TRAIN).csv(csv).progress(null).checkpointEvery(40);
            long pid = board.qemuPid();
            boolean[] frozen = {false};
            dev.afterRequest = done -> {
                if (done >= 70 && !frozen[0]) {
                    frozen[0] = true;
                    try {
                        VirtualBoardTest.signal("STOP", pid); // the next request arrives and waits in the UART
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            };
            BoardTimeoutException e = assertThrows(BoardTimeoutException.class, () -> dev.train(DeviceTest.TRAIN, 1));
            assertTrue(e.getMessage().contains("limit 3000 ms"), e.getMessage());
            VirtualBoardTest.signal("CONT", pid); // the board runs the request it holds, then answers nobody
            String wrong = assertThrows(IllegalArgumentException.class, () -> dev.train(DeviceTest.TRAIN, 2)).getMessage();
            assertTrue(wrong.contains("interrupted train call of 120 samples"), wrong);
            Table log = dev.train(DeviceTest.TRAIN, 1);
            DeviceTest.assertOnePerSample(log, csv, DeviceTest.TRAIN.size());
            assertArrayEquals(simulatedBlob, dev.pullBlob(), "the board's model blob after the failed call was finished");
        }
    }

    @Test
    void aKilledHostProcessIsResumedByAnother() throws Exception {
        Path csv = dir.resolve("killed.csv");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g",
                "-cp", System.getProperty("java.class.path"), ResumeChild.class.getName(), csv.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (rows(csv) < 90 && child.isAlive() && System.nanoTime() < deadline) Thread.sleep(50);
            assertTrue(child.isAlive(), "the child trained to the end before it could be killed: " + Files.readString(dir.resolve("child.log")));
            assertTrue(rows(csv) >= 90, "the child did not reach sample 90 in time: " + Files.readString(dir.resolve("child.log")));
        } finally {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // its QEMU goes with it (the watchdog)
        }
        long before = rows(csv);
        try (Board board = Boards.virtual(CortexM.M4)) {
            Device dev = board.resume(csv).progress(null);
            assertEquals(before, dev.log().rowCount(), "the log holds the CSV's rows");
            Table log = dev.train(DeviceTest.TRAIN, 1);
            DeviceTest.assertOnePerSample(log, csv, DeviceTest.TRAIN.size());
            assertArrayEquals(simulatedBlob, dev.pullBlob(), "the resumed board's model blob");
            System.out.printf("killed the host at %d samples logged; a new process resumed from the checkpoint on disk and finished%n", before);
        }
    }

    @Test
    void aDamagedCheckpointIsRefusedNamingTheFile() throws Exception {
        Path csv = dir.resolve("damaged.csv");
        Files.writeString(CheckpointFile.beside(csv), "not a checkpoint at all, but long enough to have a header and a CRC.....");
        try (Board board = Boards.virtual(CortexM.M4)) {
            String msg = assertThrows(IllegalArgumentException.class, () -> board.resume(csv)).getMessage();
            assertTrue(msg.contains(CheckpointFile.beside(csv).toString()) && msg.contains("magic"), msg);
        }
    }

    private static long rows(Path csv) throws Exception {
        if (!Files.exists(csv)) return 0;
        return Math.max(0, Files.readAllLines(csv).size() - 1);
    }
}
