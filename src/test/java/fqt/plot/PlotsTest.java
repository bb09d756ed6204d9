package fqt.plot;

import static org.junit.jupiter.api.Assertions.*;

import fqt.data.DataSplit;
import fqt.memory.Memory;
import fqt.memory.MemoryPlan;
import fqt.nn.Model;
import fqt.nn.Models;
import fqt.nn.Precision;
import fqt.select.PartialUpdates;
import fqt.sweep.Sweep;
import fqt.testing.TestData;
import fqt.train.Fqt;
import fqt.train.Optimizer;
import fqt.train.Training;
import fqt.train.TrainingRun;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/** Every figure renders to a PNG that is not blank; charts also export as SVG. */
class PlotsTest {
    static final DataSplit FASHION = TestData.fashionMnist();
    static final DataSplit DATA = new DataSplit(FASHION.train().shuffled(5).take(320), FASHION.test().shuffled(6).take(100));
    static final Model MLP = Models.mlp(DATA.shape(), 10, 3, 32);
    static Map<String, TrainingRun> runs;
    static Table sweep;

    @BeforeAll
    static void train() {
        runs = new LinkedHashMap<>();
        for (Precision p : new Precision[] {Precision.UINT8, Precision.MIXED}) {
            runs.put(p.name(), Fqt.train(MLP).precision(p).optimizer(Optimizer.sgd(0.05f)).epochs(2).progress(null).fit(DATA.train(), DATA.test()));
        }
        sweep = Sweep.over(MLP, DATA).precision(Precision.UINT8, Precision.MIXED).lambdaMin(1.0, 0.5, 0.1).threads(2).progress(null).run().table();
    }

    @Test
    void trainingCurves(@TempDir Path dir) {
        check(Plots.lossCurves(runs), dir.resolve("loss.png"));
        check(Plots.accuracyCurves(runs), dir.resolve("accuracy.png"));
    }

    @Test
    void sweepFigures(@TempDir Path dir) {
        check(Plots.accuracyVsUpdateRatio(sweep), dir.resolve("ratio.png"));
        check(Plots.backwardSpeedup(sweep), dir.resolve("speedup.png"));
        var chart = Charts.backwardSpeedup(sweep, "lambda_min");
        double speedup01 = chart.getSeriesMap().get("UINT8").getYData().stream().skip(2).findFirst().orElseThrow().doubleValue();
        assertTrue(speedup01 > 1.5, "lambda_min 0.1 does much less backward work: " + speedup01);
    }

    /** The device log here is the simulator's own per-sample record in the board's columns (the board test renders the real one in the quickstart). */
    @Test
    void simulationVersusDevice(@TempDir Path dir) {
        TrainingRun run = runs.get("UINT8");
        int n = DATA.train().size();
        Table log = Table.create("device").addColumns(tech.tablesaw.api.LongColumn.create("sample"), tech.tablesaw.api.IntColumn.create("epoch"),
                tech.tablesaw.api.DoubleColumn.create("loss"), tech.tablesaw.api.IntColumn.create("correct"));
        for (String phase : new String[] {"forward", "backward", "update", "selection"}) log.addColumns(tech.tablesaw.api.LongColumn.create(phase + "_instructions"));
        java.util.Random r = new java.util.Random(1);
        for (int epoch = 1; epoch <= 2; epoch++) {
            for (int i = 0; i < n; i++) {
                log.longColumn("sample").append((long) (epoch - 1) * n + i);
                log.intColumn("epoch").append(epoch);
                log.doubleColumn("loss").append(2.3 * Math.exp(-i / 100.0) + 0.2 * r.nextDouble());
                log.intColumn("correct").append(r.nextDouble() < 0.5 + 0.4 * i / n ? 1 : 0);
                log.longColumn("forward_instructions").append(1_580_000L);
                log.longColumn("backward_instructions").append(1_600_000L + r.nextInt(100_000));
                log.longColumn("update_instructions").append(i % 16 == 15 ? 4_500_000L : 0L);
                log.longColumn("selection_instructions").append(90_000L);
            }
        }
        check(Plots.simVsDevice(run, log), dir.resolve("sim-vs-device.png"));
    }

    /**
     * A board log that repeats a batch-1 simulation sample for sample: the titles say the curves
     * are equal, and give the difference once one loss differs; accuracy is over a trailing window
     * (no jump to a fresh epoch's first samples) with the epoch boundary marked; x ticks are round.
     */
    @Test
    void boardEqualToTheSimulatorIsSaidSoAndEpochsAreMarked() {
        DataSplit small = new DataSplit(DATA.train().take(96), DATA.test());
        TrainingRun run = Fqt.train(MLP).precision(Precision.UINT8).batch(1).epochs(2).progress(null).fit(small.train(), small.test());
        Table h = run.history();
        Table log = Table.create("device").addColumns(tech.tablesaw.api.IntColumn.create("epoch"), tech.tablesaw.api.DoubleColumn.create("loss"),
                tech.tablesaw.api.IntColumn.create("correct"));
        long correctBefore = 0;
        for (int i = 0; i < h.rowCount(); i++) {
            int epoch = h.intColumn("epoch").getInt(i);
            long inEpoch = h.longColumn("samples").get(i) - (epoch - 1) * 96L;
            if (inEpoch == 1) correctBefore = 0;
            long correct = Math.round(h.doubleColumn("train_acc").get(i) * inEpoch);
            log.intColumn("epoch").append(epoch);
            log.doubleColumn("loss").append(h.doubleColumn("loss").get(i));
            log.intColumn("correct").append((int) (correct - correctBefore));
            correctBefore = correct;
        }
        assertTrue(Charts.simVsDeviceLoss(run, log).getTitle().contains("equal at every step"), Charts.simVsDeviceLoss(run, log).getTitle());
        var accuracy = Charts.simVsDeviceAccuracy(run, log);
        assertTrue(accuracy.getTitle().contains("equal at every step"), accuracy.getTitle());
        var boundary = accuracy.getSeriesMap().get("epoch boundary");
        assertNotNull(boundary, accuracy.getSeriesMap().keySet().toString());
        assertEquals(96.0, boundary.getXData()[0]);
        double[] sim = accuracy.getSeriesMap().get("simulator").getYData();
        assertTrue(Math.abs(sim[96] - sim[95]) <= 100.0 / 64 + 1e-9, "one sample moves a window of 64 by at most 1/64: " + sim[95] + " -> " + sim[96]);

        log.doubleColumn("loss").set(10, log.doubleColumn("loss").get(10) + 0.25);
        String title = Charts.simVsDeviceLoss(run, log).getTitle();
        assertTrue(title.contains("largest difference 0.250"), title);

        var loss = Charts.lossCurves(Map.of("run", run));
        double[] x = loss.getSeriesMap().values().stream().flatMapToDouble(s -> java.util.Arrays.stream(s.getXData())).sorted().toArray();
        assertNotEquals(x[1] - x[0], x[2] - x[1], "a point off the grid of equally spaced samples, so XChart picks round ticks");
        assertEquals(1, loss.getSeriesMap().values().stream().filter(s -> s.isShowInLegend()).count(), "the hidden point has no legend entry");
    }

    @Test
    void memoryAndOperations(@TempDir Path dir) throws Exception {
        Training full = Fqt.train(MLP).precision(Precision.UINT8);
        Map<String, MemoryPlan> plans = new LinkedHashMap<>();
        plans.put("UINT8", Memory.plan(MLP, full));
        plans.put("UINT8 lambda 0.1", Memory.plan(MLP, Fqt.train(MLP).precision(Precision.UINT8).partialUpdates(PartialUpdates.lambdaMin(0.1))));
        plans.put("MIXED", Memory.plan(MLP, Fqt.train(MLP).precision(Precision.MIXED)));
        plans.put("FLOAT32 adam", Memory.plan(MLP, Fqt.train(MLP).precision(Precision.FLOAT32).optimizer(Optimizer.adam(1e-3f))));
        check(Plots.memoryBreakdown(plans), dir.resolve("memory.png"));
        check(Plots.layerOps(Models.smallCnn(new int[] {1, 28, 28}, 10), full), dir.resolve("ops.png"));
        Path svg = Plots.save(Charts.memoryBreakdown(plans), dir.resolve("memory.svg"));
        String text = Files.readString(svg);
        // XChart draws text as glyph outlines: many paths, no <text>
        assertTrue(text.contains("<svg") && text.split("<path").length > 20, "an SVG drawing");
    }

    /** Saved as PNG, read back: many colours and a good share of non-white pixels. */
    private static void check(BufferedImage image, Path png) {
        try {
            BufferedImage back = javax.imageio.ImageIO.read(Plots.save(image, png).toFile());
            Set<Integer> colours = new HashSet<>();
            long inked = 0;
            for (int y = 0; y < back.getHeight(); y++) {
                for (int x = 0; x < back.getWidth(); x++) {
                    int rgb = back.getRGB(x, y) & 0xFFFFFF;
                    colours.add(rgb);
                    if (rgb != 0xFFFFFF) inked++;
                }
            }
            double share = (double) inked / (back.getWidth() * back.getHeight());
            assertTrue(colours.size() >= 8, png + ": only " + colours.size() + " colours");
            assertTrue(share > 0.02, png + ": " + share + " of the pixels drawn");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
