package fqt.sweep;

import fqt.data.DataSplit;
import fqt.results.ResultsCsv;
import fqt.nn.Model;
import fqt.nn.Precision;
import fqt.quant.Rounding;
import fqt.train.Progress;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * A grid of training runs of one model on one data split:
 * {@code Sweep.over(model, data).precision(UINT8, MIXED).lambdaMin(1.0, 0.5, 0.1).seeds(3).csv(path).run().table()}.
 * Every combination of the options set is one {@link SweepTask}; tasks run in parallel on a fixed
 * thread pool, each result is appended to the CSV as it finishes, and a rerun with the same CSV
 * skips the runs already there (keyed by their options), so an interrupted sweep resumes.
 * Options not set keep their defaults, those of {@link fqt.train.Defaults} (UINT8, sgd, STOCHASTIC, batch
 * 16, 1 epoch, lambdaMin 1: full updates, seed 1); without {@link #lr} each optimizer has its own default learning rate.
 */
public final class Sweep {
    private final Model model;
    private final DataSplit data;
    /** Option name to its values, in column order; seed is added last. No values: the option's default depends on the others (lr). */
    private final Map<String, List<String>> grid = new LinkedHashMap<>();
    private List<String> seeds = List.of("1");
    private SweepRunner runner = SweepRunner.threads(Runtime.getRuntime().availableProcessors());
    private Path csv;
    private PrintStream progress = Progress.defaultStream();
    private List<Map<String, String>> results = List.of();

    private Sweep(Model model, DataSplit data) {
        this.model = model;
        this.data = data;
        TrainingOptions.DEFAULTS.forEach((k, v) -> grid.put(k, v == null ? List.of() : List.of(v)));
    }

    public static Sweep over(Model model, DataSplit data) { return new Sweep(model, data); }

    public Sweep precision(Precision... v) { return set("precision", (Object[]) v); }
    public Sweep optimizer(String... names) { return set("optimizer", (Object[]) names); }
    public Sweep lr(double... v) { return set("lr", Arrays.stream(v).boxed().toArray()); }
    public Sweep rounding(Rounding... v) { return set("rounding", (Object[]) v); }
    public Sweep batch(int... v) { return set("batch", Arrays.stream(v).boxed().toArray()); }
    public Sweep epochs(int... v) { return set("epochs", Arrays.stream(v).boxed().toArray()); }
    /** Partial updates' lambda_min per run: 1 is full updates ({@code fqt.select.PartialUpdates}). */
    public Sweep lambdaMin(double... v) { return set("lambda_min", Arrays.stream(v).boxed().toArray()); }
    /** Seeds 1..n: each combination runs n times. */
    public Sweep seeds(int n) {
        if (n < 1) throw new IllegalArgumentException("seeds must be >= 1, got " + n);
        seeds = java.util.stream.IntStream.rangeClosed(1, n).mapToObj(Integer::toString).toList();
        return this;
    }

    /**
     * Any other training option by name, e.g. {@code option("error_range", "EXACT", "EMA")}: error_range,
     * alpha_a, alpha_e, calibration, train_last, bias_only, lambda_max, error_by (enum values by name).
     */
    public Sweep option(String name, Object... values) {
        if (name.equals("seed")) throw new IllegalArgumentException("use seeds(n) for seeds");
        if (!TrainingOptions.known(name)) {
            throw new IllegalArgumentException("unknown training option '" + name + "' (known: " + TrainingOptions.knownNames() + ")");
        }
        return set(name, values);
    }

    /** Runs at once on this machine's thread pool (default: the available processors). */
    public Sweep threads(int n) {
        return on(SweepRunner.threads(n));
    }

    /** Where the runs execute: {@link SweepRunner#threads}, or a cluster ({@code SparkRunner.local()}, {@code SparkRunner.master(url)}). */
    public Sweep on(SweepRunner runner) {
        this.runner = java.util.Objects.requireNonNull(runner, "runner");
        return this;
    }

    /** Where results go, one line per run as it finishes; runs already in the file are not redone. */
    public Sweep csv(Path file) { this.csv = file; return this; }

    /** Where the progress bar goes (null: nowhere). */
    public Sweep progress(PrintStream out) { this.progress = out; return this; }

    private Sweep set(String name, Object... values) {
        if (values.length == 0) throw new IllegalArgumentException(name + " needs at least one value");
        grid.put(name, Arrays.stream(values).map(v -> v instanceof Enum<?> e ? e.name() : String.valueOf(v)).distinct().toList());
        return this;
    }

    /** Every run of the grid, in order (the last option, seed, varies fastest). */
    public List<SweepTask> tasks() {
        List<Map<String, String>> combos = new ArrayList<>(List.of(new LinkedHashMap<>()));
        Map<String, List<String>> all = new LinkedHashMap<>(grid);
        all.put("seed", seeds);
        for (Map.Entry<String, List<String>> dim : all.entrySet()) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> c : combos) {
                for (String v : dim.getValue().isEmpty() ? List.of(TrainingOptions.defaultLearningRate(c)) : dim.getValue()) {
                    Map<String, String> m = new LinkedHashMap<>(c);
                    m.put(dim.getKey(), v);
                    next.add(m);
                }
            }
            combos = next;
        }
        return combos.stream().map(SweepTask::new).toList();
    }

    /** The CSV columns: the options, then {@link SweepTask#RESULT_COLUMNS}. */
    public List<String> columns() {
        List<String> c = new ArrayList<>(grid.keySet());
        c.add("seed");
        c.addAll(SweepTask.RESULT_COLUMNS);
        return c;
    }

    /** Runs the tasks not yet in the CSV; returns this, with every run's row in {@link #table()}. */
    public Sweep run() {
        List<SweepTask> tasks = tasks();
        for (SweepTask t : tasks) t.training(model); // rejects a bad option value before any run starts
        Map<List<String>, Map<String, String>> done = new HashMap<>();
        ResultsCsv file = csv == null ? null : new ResultsCsv(csv, "sweep results", columns(), SweepTask.NUMERIC_RESULT_COLUMNS);
        try {
            if (file != null) for (Map<String, String> r : file.rows()) done.put(key(r), r);
            List<SweepTask> todo = tasks.stream().filter(t -> !done.containsKey(t.key())).toList();
            if (progress != null) {
                String found = file == null ? "no CSV" : (tasks.size() - todo.size()) + " already in " + csv
                        + (file.repaired() ? " (cut a half-written last line)" : "");
                progress.printf("sweep: %d runs, %s, %d to run on %s%n", tasks.size(), found, todo.size(), runner.describe());
            }
            execute(todo, file, done);
        } finally {
            if (file != null) file.close();
        }
        results = tasks.stream().map(t -> done.get(t.key())).toList();
        return this;
    }

    private void execute(List<SweepTask> todo, ResultsCsv file, Map<List<String>, Map<String, String>> done) {
        if (todo.isEmpty()) return;
        Progress bar = new Progress(progress, "sweep", todo.size());
        int[] finished = {0};
        runner.run(todo, model, data, row -> {
            if (file != null) file.append(row);
            done.put(key(row), row);
            bar.update(++finished[0], String.format(Locale.ROOT, "last: %s test_acc %s", summary(row), row.get("test_acc")));
        });
    }

    /** A row's option values in column order: the same as its task's {@link SweepTask#key()}. */
    private List<String> key(Map<String, String> row) {
        List<String> c = columns();
        return c.subList(0, c.size() - SweepTask.RESULT_COLUMNS.size()).stream().map(row::get).toList();
    }

    /** The options that vary in this sweep, for the progress line. */
    private String summary(Map<String, String> row) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, List<String>> dim : grid.entrySet()) {
            if (dim.getValue().size() > 1) sb.append(dim.getKey()).append('=').append(row.get(dim.getKey())).append(' ');
        }
        if (seeds.size() > 1) sb.append("seed=").append(row.get("seed")).append(' ');
        return sb.toString().trim();
    }

    /**
     * Every run of the last {@link #run()}, in grid order: the options as columns (numbers as
     * numeric columns), then test_acc, train_acc, loss, seconds, forward_macs and backward_macs per
     * sample, update_fraction, ram_bytes, flash_bytes, status, finished_at.
     */
    public Table table() {
        Table t = Table.create("sweep");
        for (String c : columns()) t.addColumns(column(c, results.stream().map(r -> r.get(c)).toList()));
        return t;
    }

    /** Whole numbers become a LongColumn, other numbers a DoubleColumn, the rest text. */
    private static Column<?> column(String name, List<String> values) {
        if (values.stream().allMatch(Sweep::isLong)) return LongColumn.create(name, values.stream().mapToLong(Long::parseLong).toArray());
        if (values.stream().allMatch(Sweep::isDouble)) {
            return DoubleColumn.create(name, values.stream().mapToDouble(Double::parseDouble).toArray());
        }
        return StringColumn.create(name, values);
    }

    private static boolean isLong(String s) {
        try {
            Long.parseLong(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean isDouble(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
