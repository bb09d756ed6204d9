package fqt.sweep;

import fqt.data.DataSplit;
import fqt.memory.Memory;
import fqt.memory.MemoryPlan;
import fqt.nn.Model;
import fqt.train.Fqt;
import fqt.train.Training;
import fqt.train.TrainingRun;
import java.io.Serializable;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.Table;

/**
 * One run of a sweep, independent of the others: its training options in (names to text values,
 * in column order), one result row out ({@link #run}). Serializable, so the same tasks can be
 * shipped to other executors (Spark) that hold the model and data.
 */
public record SweepTask(Map<String, String> options) implements Serializable {
    /** Result columns after the options, in order. */
    public static final List<String> RESULT_COLUMNS = List.of("test_acc", "train_acc", "loss", "seconds", "forward_macs",
            "backward_macs", "update_fraction", "ram_bytes", "flash_bytes", "status", "finished_at");
    /** The result columns that hold numbers (NaN for a diverged run): a resumed file must have them there. */
    static final java.util.Set<String> NUMERIC_RESULT_COLUMNS = java.util.Set.copyOf(RESULT_COLUMNS.subList(0, RESULT_COLUMNS.size() - 2));

    public SweepTask {
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /** The run's identity in a results CSV: its option values in column order. */
    public List<String> key() { return List.copyOf(options.values()); }

    /** A training of {@code model} configured with these options (no progress output). */
    public Training training(Model model) {
        return TrainingOptions.configure(Fqt.train(model), options).progress(null);
    }

    /**
     * Trains and returns the row: the options, then {@link #RESULT_COLUMNS}. A run whose loss
     * diverges is a result too (status "diverged: ...", metrics NaN); other failures are thrown.
     */
    public Map<String, String> run(Model model, DataSplit data) {
        Training t = training(model);
        MemoryPlan plan = Memory.plan(model, t);
        double[] metrics = new double[7];
        String status = "ok";
        try {
            TrainingRun r = t.fit(data.train(), data.test());
            Table h = r.history();
            double samples = h.longColumn("samples").getLong(h.rowCount() - 1);
            metrics = new double[] {r.testAccuracy(), r.trainAccuracy(), r.loss(), r.seconds(),
                h.longColumn("forward_macs").sum() / samples, h.longColumn("backward_macs").sum() / samples, updateFraction(h)};
        } catch (ArithmeticException diverged) {
            java.util.Arrays.fill(metrics, Double.NaN);
            status = "diverged: " + diverged.getMessage();
        }
        return row(metrics, status, plan);
    }

    /**
     * The row of a run that failed every attempt a runner gave it (a cluster's retries): metrics
     * NaN, status "failed: " and the error, so the sweep loses no row.
     */
    public Map<String, String> failed(Model model, Throwable error) {
        double[] metrics = new double[7];
        java.util.Arrays.fill(metrics, Double.NaN);
        return row(metrics, "failed: " + error, Memory.plan(model, training(model)));
    }

    private Map<String, String> row(double[] metrics, String status, MemoryPlan plan) {
        Map<String, String> row = new LinkedHashMap<>(options);
        for (int i = 0; i < metrics.length; i++) row.put(RESULT_COLUMNS.get(i), Double.toString(metrics[i]));
        row.put("ram_bytes", Long.toString(plan.ramBytes()));
        row.put("flash_bytes", Long.toString(plan.flashBytes()));
        row.put("status", status);
        row.put("finished_at", Instant.now().toString());
        return row;
    }

    /** Structures updated over structures available, over all samples: steps weighted by their samples. */
    private static double updateFraction(Table h) {
        double sum = 0, prev = 0;
        for (int i = 0; i < h.rowCount(); i++) {
            double n = h.longColumn("samples").getLong(i) - prev;
            sum += n * h.doubleColumn("update_fraction").getDouble(i);
            prev += n;
        }
        return sum / prev;
    }
}
