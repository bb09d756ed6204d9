package fqt.sweep;

import static org.junit.jupiter.api.Assertions.*;

import fqt.data.DataSplit;
import fqt.memory.Memory;
import fqt.memory.MemoryPlan;
import fqt.nn.Model;
import fqt.nn.Models;
import fqt.nn.Precision;
import fqt.select.PartialUpdates;
import fqt.testing.TestData;
import fqt.train.Defaults;
import fqt.train.Fqt;
import fqt.train.Optimizer;
import fqt.train.Training;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class SweepTest {
    static final DataSplit FASHION = TestData.fashionMnist();
    static final DataSplit DATA = new DataSplit(FASHION.train().shuffled(3).take(200), FASHION.test().shuffled(4).take(100));
    static final Model MLP = Models.mlp(DATA.shape(), 10, 7, 32);

    /** One CSV line's fields, parsed by Commons CSV as any reader of the results would. */
    static List<String> fields(String line) {
        try {
            return CSVFormat.DEFAULT.parse(new StringReader(line)).getRecords().get(0).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Sweep sweep(Path csv) {
        return Sweep.over(MLP, DATA).precision(Precision.UINT8, Precision.MIXED).optimizer("sgd").lr(0.05).lambdaMin(1.0, 0.5).seeds(2)
                .threads(2).csv(csv).progress(null);
    }

    @Test
    void tableHasTheOptionsThenTheResultsOfEveryRun(@TempDir Path dir) {
        Table t = sweep(dir.resolve("s.csv")).run().table();
        assertEquals(8, t.rowCount());
        assertEquals(List.of("precision", "optimizer", "lr", "rounding", "batch", "epochs", "lambda_min", "seed", "test_acc", "train_acc",
                "loss", "seconds", "forward_macs", "backward_macs", "update_fraction", "ram_bytes", "flash_bytes", "status", "finished_at"),
                t.columnNames());
        for (int i = 0; i < t.rowCount(); i++) {
            boolean full = t.doubleColumn("lambda_min").getDouble(i) == 1.0;
            assertEquals("ok", t.stringColumn("status").get(i));
            assertTrue(t.doubleColumn("test_acc").getDouble(i) > 0.1, "better than chance");
            assertEquals(full, t.doubleColumn("update_fraction").getDouble(i) == 1.0);
            // The memory plan of this row's configuration, built here without the sweep's option parsing.
            Training config = Fqt.train(MLP).precision(Precision.valueOf(t.stringColumn("precision").get(i))).optimizer(Optimizer.sgd(0.05f))
                    .batch(16).partialUpdates(PartialUpdates.lambdaMin(t.doubleColumn("lambda_min").getDouble(i)));
            MemoryPlan plan = Memory.plan(MLP, config);
            assertEquals(plan.ramBytes(), t.longColumn("ram_bytes").getLong(i), "row " + i);
            assertEquals(plan.flashBytes(), t.longColumn("flash_bytes").getLong(i), "row " + i);
        }
        assertNotEquals(t.longColumn("ram_bytes").getLong(0), t.longColumn("ram_bytes").getLong(7), "UINT8 and MIXED need different RAM");
        assertEquals("UINT8", t.stringColumn("precision").get(0), "grid order, whatever finished first");
        assertEquals("MIXED", t.stringColumn("precision").get(7));
    }

    @Test
    void aRerunSkipsFinishedRunsAndDropsAHalfWrittenLine(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("s.csv");
        Sweep first = Sweep.over(MLP, DATA).precision(Precision.UINT8).optimizer("sgd").lr(0.05).lambdaMin(1.0, 0.5).threads(2).csv(csv).progress(null);
        first.run();
        List<String> lines = Files.readAllLines(csv);
        assertEquals(3, lines.size());
        // As if killed while writing the second run's line: keep half of it.
        String half = lines.get(2).substring(0, lines.get(2).length() / 2);
        Files.writeString(csv, lines.get(0) + "\n" + lines.get(1) + "\n" + half, StandardCharsets.UTF_8);
        Table t = sweep(csv).run().table();
        List<String> after = Files.readAllLines(csv);
        assertEquals(1 + 8, after.size(), "header once, every run once");
        assertEquals(lines.get(1), after.get(1), "the finished run was kept, not redone");
        assertEquals(8, t.rowCount());
        assertEquals(8, after.stream().skip(1).map(l -> fields(l).subList(0, 8)).distinct().count());
        // Everything done: a third run trains nothing and changes nothing.
        sweep(csv).run();
        assertEquals(after, Files.readAllLines(csv));
    }

    @Test
    void badOptionsAreRejectedBeforeAnyRun(@TempDir Path dir) {
        var unknown = assertThrows(IllegalArgumentException.class, () -> sweep(dir.resolve("a.csv")).option("learning_rate", 0.1));
        assertTrue(unknown.getMessage().contains("alpha_a"), unknown.getMessage());
        var bad = assertThrows(IllegalArgumentException.class, () -> sweep(dir.resolve("b.csv")).option("error_range", "SOMETIMES").run());
        assertTrue(bad.getMessage().contains("error_range"), bad.getMessage());
        assertFalse(Files.exists(dir.resolve("b.csv")));
        Path other = dir.resolve("c.csv");
        sweep(other).seeds(1).precision(Precision.UINT8).lambdaMin(1.0).run();
        var header = assertThrows(IllegalArgumentException.class, () -> sweep(other).option("alpha_a", 0.1).run());
        assertTrue(header.getMessage().contains("use another file"), header.getMessage());
    }

    @Test
    void unsetOptionsAreTheDefaultsAndEachOptimizerHasItsOwnLearningRate() {
        SweepTask only = Sweep.over(MLP, DATA).tasks().get(0);
        assertEquals(List.of(Defaults.PRECISION.name(), TrainingOptions.DEFAULT_OPTIMIZER, Float.toString(Defaults.SGD_LR),
                Defaults.ROUNDING.name(), Integer.toString(Defaults.BATCH), Integer.toString(Defaults.EPOCHS),
                Float.toString(Defaults.PARTIAL_UPDATES.lambdaMin()), Long.toString(Defaults.SEED)), only.key());
        assertEquals(Defaults.OPTIMIZER.describe(), only.training(MLP).config().optimizer().describe());

        List<String> lrs = Sweep.over(MLP, DATA).optimizer("sgd", "standardized", "adam").tasks().stream().map(t -> t.options().get("lr")).toList();
        assertEquals(List.of(Float.toString(Defaults.SGD_LR), Float.toString(Defaults.STANDARDIZED_LR), Float.toString(Defaults.ADAM_LR)), lrs);
        List<String> given = Sweep.over(MLP, DATA).optimizer("sgd", "adam").lr(0.01).tasks().stream().map(t -> t.options().get("lr")).toList();
        assertEquals(List.of("0.01", "0.01"), given);
    }

    @Test
    void aTaskIsSerializable() throws Exception {
        SweepTask t = sweep(null).tasks().get(5);
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(t);
        }
        try (var in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            SweepTask back = (SweepTask) in.readObject();
            assertEquals(t, back);
            assertEquals(List.of("MIXED", "sgd", "0.05", "STOCHASTIC", "16", "1", "1.0", "2"), back.key());
        }
    }
}
