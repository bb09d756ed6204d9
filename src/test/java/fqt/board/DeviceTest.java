package fqt.board;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fqt.data.DataSplit;
import fqt.data.Dataset;
import fqt.nn.Models;
import fqt.nn.Precision;
import fqt.quant.Rounding;
import fqt.select.PartialUpdates;
import fqt.testing.TestData;
import fqt.train.Fqt;
import fqt.train.Optimizer;
import fqt.train.Training;
import fqt.train.TrainingRun;
import fqt.wire.ModelBlob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/**
 * Training on the M4 virtual board over the serial link (issue 6): the board's run is the
 * simulator's run bit for bit, also through a noisy line and across a QEMU killed mid-epoch.
 */
@Tag("qemu")
class DeviceTest {
    static final DataSplit DATA = TestData.fashionMnist();
    /** About 25 samples/s over QEMU's pty: 120 samples keep each run near 5 s. */
    static final Dataset TRAIN = DATA.train().shuffled(11).take(120);
    static final Dataset TEST = DATA.test().take(60);

    @TempDir
    Path dir;
    private static TrainingRun simulated;
    private static byte[] simulatedBlob;

    /** The small CNN, UINT8, stochastic rounding, partial updates, standardized SGD (optimizer state on the board). */
    static Training training() {
        return Fqt.train(Models.smallCnn(DATA.shape(), 10, 3)).precision(Precision.UINT8).rounding(Rounding.STOCHASTIC)
                .optimizer(Optimizer.standardizedSgd(0.01f)).batch(8).seed(21).calibration(64).progress(null)
                .partialUpdates(PartialUpdates.lambdaMin(0.1).lambdaMax(1.0).errorBy(PartialUpdates.ErrorBy.SAMPLE_LOSS));
    }

    @BeforeAll
    static void simulate() {
        simulated = training().fit(TRAIN, null);
        simulatedBlob = ModelBlob.write(simulated.model(), simulated.config());
    }

    @Test
    void trainsBitExactlyAsTheSimulator() throws Exception {
        Path csv = dir.resolve("device.csv");
        long t0 = System.nanoTime();
        try (Board board = Boards.virtual(CortexM.M4)) {
            Device dev = board.deploy(training(), TRAIN).csv(csv).progress(null);
            assertEquals(fqt.memory.Memory.plan(training().prepareModel(TRAIN), training()).ramBytes(), dev.arenaBytes());
            long t1 = System.nanoTime();
            Table log = dev.train(TRAIN, 1);
            double seconds = (System.nanoTime() - t1) / 1e9;
            assertOnePerSample(log, TRAIN.size());
            assertEquals(TRAIN.size(), Files.readAllLines(csv).size() - 1, "CSV rows");
            assertBatchLossesEqual(log);
            assertTrue(log.doubleColumn("update_fraction").min() < 1.0, "partial updates skip structures");
            assertTrue(log.longColumn("forward_instructions").min() > 0, "instructions are counted");

            double simAcc = simulated.model().accuracy(TEST, evalContext());
            assertEquals(simAcc, dev.evaluate(TEST), 0.0, "test accuracy");
            assertArrayEquals(simulatedBlob, dev.pullBlob(), "the board's model blob");
            Compare.Report report = Compare.weights(dev.pullWeights(), simulated.model());
            assertTrue(report.bitExact(), report.toString());
            var stats = dev.stats();
            assertEquals(TRAIN.size(), stats.samples());
            System.out.printf("device: %d samples in %.1f s (%.1f samples/s over the link), %s; whole test %.1f s%n", TRAIN.size(),
                    seconds, TRAIN.size() / seconds, report, (System.nanoTime() - t0) / 1e9);
        }
    }

    @Test
    void aNoisyLineChangesNothing() {
        LineFaults faults = new LineFaults(3, 0.0005, 0.0005, 0.001, 20);
        try (Board board = Boards.virtual(CortexM.M4, faults)) {
            Device dev = board.deploy(training(), TRAIN).csv(dir.resolve("noisy.csv")).progress(null);
            Table log = dev.train(TRAIN, 1);
            assertOnePerSample(log, TRAIN.size());
            assertArrayEquals(simulatedBlob, dev.pullBlob(), "the board's model blob through the faulty line");
            FaultyLine line = (FaultyLine) board.line();
            assertTrue(line.dropped() + line.corrupted() > 0, "faults were injected: " + line);
            System.out.println(line + "; " + board.linkStats());
        }
    }

    @Test
    void qemuKilledMidEpochResumesFromTheCheckpoint() throws Exception {
        Path csv = dir.resolve("killed.csv");
        try (Board board = Boards.virtual(CortexM.M4)) {
            Device dev = board.deploy(training(), TRAIN).csv(csv).progress(System.out).checkpointEvery(40);
            long[] killedPid = {-1};
            dev.afterRequest = done -> {
                if (done >= 65 && killedPid[0] < 0) { // between checkpoints 40 and 80: samples 40..64 run again
                    killedPid[0] = board.qemuPid();
                    ProcessHandle.of(killedPid[0]).ifPresent(ProcessHandle::destroyForcibly);
                }
            };
            Table log = dev.train(TRAIN, 1);
            assertTrue(killedPid[0] > 0 && board.qemuPid() != killedPid[0], "a new QEMU runs");
            assertEquals(1, dev.restarts());
            assertOnePerSample(log, TRAIN.size());
            assertEquals(TRAIN.size(), Files.readAllLines(csv).size() - 1, "CSV rows");
            assertBatchLossesEqual(log);
            assertArrayEquals(simulatedBlob, dev.pullBlob(), "the resumed board's model blob");
        }
    }

    /**
     * A checkpoint whose CRC is right but whose contents training cannot produce (a NaN bias) is
     * refused by the board, which then wants the model loaded again; a sound one is taken back.
     */
    @Test
    void anInconsistentCheckpointIsRefused() {
        Training small = Fqt.train(Models.mlp(DATA.shape(), 10, 1, 16)).precision(Precision.UINT8).batch(4).calibration(16).progress(null);
        try (Board board = Boards.virtual(CortexM.M4)) {
            Device dev = board.deploy(small, TRAIN).progress(null).checkpointEvery(0);
            dev.train(TRAIN.take(6), 1);
            byte[] state = dev.readImage(fqt.wire.Messages.READ_STATE, "read state");
            dev.load(fqt.wire.Messages.WRITE_STATE, state, "write state"); // as read: accepted
            var plan = fqt.memory.Memory.plan(small.prepareModel(TRAIN), small.config());
            int layers = small.model().layers().size();
            int at = 4 * (7 + layers) + (int) plan.buffer("L3.bias").offset(); // the state's header, then the arena
            byte[] bad = state.clone();
            java.nio.ByteBuffer.wrap(bad).order(java.nio.ByteOrder.LITTLE_ENDIAN).putFloat(at, Float.NaN);
            RuntimeException e = assertThrows(RuntimeException.class, () -> dev.load(fqt.wire.Messages.WRITE_STATE, bad, "write state"));
            assertTrue(e.getMessage().contains("write state") && e.getMessage().contains("refused"), e.getMessage());
            assertTrue(board.info().ramBytes() > 0, "the board still answers");
        }
    }

    @Test
    void aModelTooBigForTheBoardIsRefusedBeforeUpload() {
        Training big = Fqt.train(Models.mlp(DATA.shape(), 10, 1, 2048, 1024)).precision(Precision.FLOAT32)
                .optimizer(Optimizer.adam(0.001f)).progress(null);
        try (Board board = Boards.virtual(CortexM.M4)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> board.deploy(big, TRAIN));
            String have = String.format(java.util.Locale.ROOT, "%,d B", board.info().arenaCapacity());
            assertTrue(e.getMessage().contains("B of arena") && e.getMessage().contains(have), e.getMessage());
        }
    }

    private static fqt.nn.Context evalContext() {
        return training().config().evaluationContext();
    }

    /** Samples 0..n-1, each once, in order. */
    static void assertOnePerSample(Table log, int n) {
        assertEquals(n, log.rowCount(), "rows");
        for (int i = 0; i < n; i++) assertEquals(i, log.longColumn("sample").get(i), "row " + i);
    }

    /** Samples 0..n-1 exactly once each, in order, in the log and in its CSV. */
    static void assertOnePerSample(Table log, java.nio.file.Path csv, int n) throws java.io.IOException {
        assertOnePerSample(log, n);
        List<String> lines = java.nio.file.Files.readAllLines(csv);
        assertEquals(n + 1, lines.size(), "CSV header and rows");
        for (int i = 0; i < n; i++) org.junit.jupiter.api.Assertions.assertTrue(lines.get(i + 1).startsWith(i + ","), "CSV row " + i + ": " + lines.get(i + 1));
    }

    /** The board's per-sample losses, averaged per batch, equal the simulator's batch losses exactly. */
    private static void assertBatchLossesEqual(Table log) {
        double[] batchLoss = simulated.history().doubleColumn("loss").asDoubleArray();
        List<Double> losses = log.doubleColumn("loss").asList();
        int batch = simulated.config().batch();
        for (int s = 0, k = 0; s < batchLoss.length; s++) {
            double sum = 0;
            int n = Math.min(batch, losses.size() - k);
            for (int j = 0; j < n; j++) sum += losses.get(k++);
            assertEquals(batchLoss[s], sum / n, 0.0, "batch " + s + " loss");
        }
    }
}
