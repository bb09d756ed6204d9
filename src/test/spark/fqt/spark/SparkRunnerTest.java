package fqt.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fqt.data.DataSplit;
import fqt.nn.Model;
import fqt.nn.Models;
import fqt.nn.Precision;
import fqt.sweep.Sweep;
import fqt.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/** A real Spark in local mode runs the same grid as the thread pool and gets the same table, row for row. */
class SparkRunnerTest {
    static final DataSplit FASHION = TestData.fashionMnist();
    static final DataSplit DATA = new DataSplit(FASHION.train().shuffled(3).take(200), FASHION.test().shuffled(4).take(100));
    static final Model MLP = Models.mlp(DATA.shape(), 10, 7, 32);
    /** Columns that say when and how fast a run went, not what it computed. */
    static final List<String> TIMING = List.of("seconds", "finished_at");

    static Sweep grid(Path csv) {
        return Sweep.over(MLP, DATA).precision(Precision.UINT8, Precision.MIXED).lambdaMin(1.0, 0.5).seeds(2).csv(csv).progress(System.out);
    }

    @Test
    void localSparkGivesTheThreadPoolsTableBitForBit(@TempDir Path dir) throws Exception {
        Table threads = grid(dir.resolve("threads.csv")).threads(2).run().table();
        Table spark = grid(dir.resolve("spark.csv")).on(SparkRunner.local(2)).run().table();
        assertSameRuns(threads, spark);
        assertEquals(9, Files.readAllLines(dir.resolve("spark.csv")).size(), "header and 8 rows");
        // Resuming skips what the CSV holds: a second run of the same sweep starts no Spark job and gives the same table.
        Table again = grid(dir.resolve("spark.csv")).on(SparkRunner.local(2)).run().table();
        assertEquals(spark.toString(), again.toString());
    }

    /**
     * A standalone cluster (master and one worker, separate processes on 127.0.0.1) runs a grid;
     * the worker is killed mid-sweep and a new one started: every run ends in the CSV exactly once,
     * and the table is the thread pool's.
     */
    @Test
    void aClusterThatLosesItsWorkerMidSweepEndsWithEveryRunOnce(@TempDir Path dir) throws Exception {
        DataSplit bigger = new DataSplit(FASHION.train().shuffled(5).take(3000), FASHION.test().shuffled(6).take(200));
        java.util.function.Function<Path, Sweep> sweep = csv -> Sweep.over(MLP, bigger).precision(Precision.UINT8, Precision.MIXED)
                .lambdaMin(1.0, 0.5, 0.25).seeds(2).csv(csv).progress(System.out);
        Path csv = dir.resolve("cluster.csv");
        try (StandaloneCluster cluster = new StandaloneCluster(dir.resolve("cluster"))) {
            Process worker = cluster.startWorker(2);
            var runner = SparkRunner.master(cluster.url()).conf("spark.driver.host", "127.0.0.1").conf("spark.executor.memory", "2g");
            var result = java.util.concurrent.CompletableFuture.supplyAsync(() -> sweep.apply(csv).on(runner).run().table());
            while (rows(csv) < 3) {
                assertTrue(!result.isDone(), "the sweep ended before the worker could be killed: " + (result.isDone() ? result.join() : ""));
                Thread.sleep(100);
            }
            int before = rows(csv);
            assertTrue(before < 12 && !result.isDone(), "killed mid-sweep");
            cluster.kill(worker);
            System.out.println("killed the worker after " + before + " of 12 runs; starting another");
            cluster.startWorker(2);
            Table t = result.get(5, java.util.concurrent.TimeUnit.MINUTES);
            List<String> lines = Files.readAllLines(csv);
            assertEquals(13, lines.size(), "header and 12 rows, none twice: " + lines);
            assertEquals(12, lines.stream().skip(1).map(l -> l.substring(0, l.indexOf(",ok,") < 0 ? l.length() : l.indexOf(",ok,")))
                    .map(l -> String.join(",", java.util.Arrays.copyOf(l.split(","), 8))).distinct().count(), "12 distinct runs");
            assertTrue(cluster.log("master").contains("Removing worker"), "the master saw the worker go");
            assertTrue(cluster.log("worker1").contains("Asked to launch executor"), "the new worker ran the rest");
            assertSameRuns(sweep.apply(dir.resolve("threads.csv")).threads(2).run().table(), t);
        }
    }

    private static int rows(Path csv) throws java.io.IOException {
        return Files.exists(csv) ? Math.max(0, Files.readAllLines(csv).size() - 1) : 0;
    }

    /** The same rows (in grid order), every column equal to the last digit except the timing ones. */
    static void assertSameRuns(Table expected, Table actual) {
        assertEquals(expected.rowCount(), actual.rowCount(), "rows");
        assertEquals(expected.columnNames(), actual.columnNames());
        for (String c : expected.columnNames()) {
            if (TIMING.contains(c)) continue;
            for (int i = 0; i < expected.rowCount(); i++) {
                assertEquals(expected.column(c).getString(i), actual.column(c).getString(i), c + " of row " + i);
            }
        }
        assertTrue(actual.stringColumn("status").asList().stream().allMatch("ok"::equals), actual.stringColumn("status").asList().toString());
    }
}
