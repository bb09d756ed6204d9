package fqt.spark;

import fqt.data.DataSplit;
import fqt.nn.Model;
import fqt.nn.Precision;
import fqt.sweep.SweepRunner;
import fqt.sweep.SweepTask;
import fqt.train.Fqt;
import fqt.wire.ModelBlob;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * A sweep's runs as Apache Spark tasks: {@code Sweep.over(model, data)...on(SparkRunner.local()).run()}.
 * One run is one task (one partition); the task carries its {@link SweepTask} (the training
 * options), the model travels once per sweep as its model image ({@link ModelBlob}, float32) and
 * the data split as a broadcast variable (the data itself: workers need no file). Each row comes
 * back to the driver as its task finishes (Spark's job result handler), and the sweep appends it
 * to the CSV then, so a killed driver loses only runs under way. A run that throws is retried by
 * Spark ({@code spark.task.maxFailures}: 4 on a cluster; in local mode {@code local[N,F]} sets F,
 * and plain {@code local[N]} tries once); on its last attempt the error becomes the run's row
 * (status "failed: ..."), never a lost row. A worker lost mid-run costs its task a rerun elsewhere.
 *
 * <p>Workers run the toolkit's code: by default {@code spark.executor.extraClassPath} is this JVM's
 * class path, which serves workers on this machine or on machines with the same paths; otherwise set
 * {@code conf("spark.jars", ...)}. Spark 4 on Java 17 needs module flags on the driver (./fqt and
 * the tests set pom.xml's spark.module.flags) and on executors (the driver's, {@link #moduleFlags},
 * unless given).
 */
public final class SparkRunner implements SweepRunner {
    /**
     * The module flags this JVM was started with (pom.xml's spark.module.flags and vector.module.flag,
     * which ./fqt and the tests pass): what executors and other Spark processes need on Java 17 (and
     * the simulator's Vector API module), written once, in the pom.
     */
    public static List<String> moduleFlags() {
        return java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("--add-modules") || a.startsWith("--add-exports") || a.equals("-XX:+IgnoreUnrecognizedVMOptions")
                        || a.startsWith("-Djdk.reflect.") || a.startsWith("-Dio.netty."))
                .toList();
    }

    private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\*|\\d+)(?:,(\\d+))?])?");

    private final String master;
    private final Map<String, String> conf = new LinkedHashMap<>();

    private SparkRunner(String master) {
        this.master = master;
        conf.put("spark.ui.enabled", "false");
    }

    /** Spark in this JVM, one task per core, each run tried twice ({@code local[*,2]}). */
    public static SparkRunner local() {
        return master("local[*,2]");
    }

    /** Spark in this JVM with {@code threads} tasks at once, each run tried twice. */
    public static SparkRunner local(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        return master("local[" + threads + ",2]");
    }

    /** Any Spark master URL: {@code local[2]}, {@code spark://host:7077}, ... */
    public static SparkRunner master(String url) {
        if (url == null || url.isBlank()) throw new IllegalArgumentException("a Spark master URL, e.g. local[2] or spark://host:7077");
        return new SparkRunner(url.strip());
    }

    /** A Spark setting for the sweep's application (e.g. {@code spark.executor.memory}). Returns this. */
    public SparkRunner conf(String key, String value) {
        conf.put(key, value);
        return this;
    }

    @Override
    public String describe() { return "Spark " + master; }

    @Override
    public void run(List<SweepTask> tasks, Model model, DataSplit data, Consumer<Map<String, String>> done) {
        if (tasks.isEmpty()) return;
        SparkConf c = new SparkConf().setMaster(master).setAppName("fqt sweep: " + tasks.size() + " runs");
        conf.forEach(c::set);
        if (!LOCAL.matcher(master).matches()) {
            c.setIfMissing("spark.executor.extraClassPath", System.getProperty("java.class.path"));
            c.setIfMissing("spark.executor.extraJavaOptions", String.join(" ", moduleFlags()));
        }
        byte[] blob = ModelBlob.write(model, Fqt.train(model).precision(Precision.FLOAT32).config());
        try (JavaSparkContext sc = new JavaSparkContext(c)) {
            sc.setLogLevel("ERROR");
            Broadcast<Shipment> shipment = sc.broadcast(new Shipment(blob, data));
            JavaRDD<SweepTask> rdd = sc.parallelize(tasks, tasks.size());
            AbstractFunction2<Object, ArrayList<LinkedHashMap<String, String>>, BoxedUnit> onResult = new AbstractFunction2<>() {
                @Override
                public BoxedUnit apply(Object partition, ArrayList<LinkedHashMap<String, String>> rows) {
                    rows.forEach(done); // Spark calls this on the driver, one result at a time
                    return BoxedUnit.UNIT;
                }
            };
            sc.sc().runJob(rdd.rdd(), new RunTasks(shipment, maxFailures(c)), onResult, ClassTag$.MODULE$.apply(ArrayList.class));
        }
    }

    /** Attempts per task: Spark's rule (local[N,F]: F; local[N]: 1; a cluster: spark.task.maxFailures, 4). */
    private int maxFailures(SparkConf c) {
        Matcher m = LOCAL.matcher(master);
        if (m.matches()) return m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
        return c.getInt("spark.task.maxFailures", 4);
    }

    /** What every task needs, sent once: the model image and the data. */
    private record Shipment(byte[] blob, DataSplit data) implements Serializable {}

    /** A task: the runs of its partition (one), each on the shipped model and data. */
    private static final class RunTasks extends AbstractFunction2<TaskContext, scala.collection.Iterator<SweepTask>, ArrayList<LinkedHashMap<String, String>>>
            implements Serializable {
        private final Broadcast<Shipment> shipment;
        private final int maxFailures;

        RunTasks(Broadcast<Shipment> shipment, int maxFailures) {
            this.shipment = shipment;
            this.maxFailures = maxFailures;
        }

        @Override
        public ArrayList<LinkedHashMap<String, String>> apply(TaskContext task, scala.collection.Iterator<SweepTask> runs) {
            Shipment s = shipment.value();
            Model model = ModelBlob.read(s.blob());
            ArrayList<LinkedHashMap<String, String>> rows = new ArrayList<>();
            while (runs.hasNext()) {
                SweepTask t = runs.next();
                try {
                    rows.add(new LinkedHashMap<>(t.run(model, s.data())));
                } catch (RuntimeException e) {
                    if (task.attemptNumber() + 1 < maxFailures) throw e; // Spark tries it again
                    rows.add(new LinkedHashMap<>(t.failed(model, e)));
                }
            }
            return rows;
        }
    }
}
