package fqt.sweep;

import fqt.data.DataSplit;
import fqt.nn.Model;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Where a sweep's runs execute: {@link #threads(int)} on this machine (the default), or a cluster
 * engine ({@code fqt.spark.SparkRunner}, in the optional {@code spark} build profile). Every
 * runner runs each task once on {@code model} and {@code data} and hands back its row; the sweep
 * writes rows to the CSV and the table, so results are the same whichever runner ran them.
 */
public interface SweepRunner {
    /**
     * Runs every task; {@code done} receives each result row as it arrives, one call at a time,
     * in any order. Returns when all rows are in.
     */
    void run(List<SweepTask> tasks, Model model, DataSplit data, Consumer<Map<String, String>> done);

    /** Where the runs go, for the progress line: "4 threads", "Spark local[2]". */
    String describe();

    /** A fixed pool of {@code n} threads in this JVM. */
    static SweepRunner threads(int n) {
        if (n < 1) throw new IllegalArgumentException("threads must be >= 1, got " + n);
        return new ThreadRunner(n);
    }
}
