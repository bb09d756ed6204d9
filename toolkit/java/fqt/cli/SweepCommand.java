package fqt.cli;

import fqt.data.DataSplit;
import fqt.nn.Precision;
import fqt.quant.Rounding;
import fqt.sweep.Sweep;
import fqt.sweep.SweepRunner;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

/**
 * {@code ./fqt sweep}: a grid of training runs, results appended to a CSV; a rerun resumes. An
 * option not given is left to {@link Sweep}, whose defaults are {@code fqt.train.Defaults}.
 */
@Command(name = "sweep", description = "a grid of training runs: every combination, one CSV line per finished run; a rerun resumes")
final class SweepCommand implements Callable<Integer> {
    @Mixin DataMixin data;

    @Option(names = "--precision", paramLabel = "MODE[,MODE...]", split = ",", hideParamSyntax = true, description = "e.g. uint8,mixed,float32 (default: ${bundle:default.precision})")
    List<Precision> precision;

    @Option(names = "--optimizer", paramLabel = "NAME[,NAME...]", split = ",", hideParamSyntax = true, description = "of ${bundle:names.optimizer} (default: ${bundle:default.optimizer})")
    List<String> optimizer;

    @Option(names = "--lr", paramLabel = "X[,X...]", split = ",", hideParamSyntax = true, description = "learning rates (default: each optimizer's: ${bundle:default.lr})")
    double[] lr;

    @Option(names = "--rounding", paramLabel = "R[,R...]", split = ",", hideParamSyntax = true, description = "of ${bundle:names.rounding} (default: ${bundle:default.rounding})")
    List<Rounding> rounding;

    @Option(names = "--batch", paramLabel = "N[,N...]", split = ",", hideParamSyntax = true, description = "(default: ${bundle:default.batch})")
    int[] batch;

    @Option(names = "--epochs", paramLabel = "N[,N...]", split = ",", hideParamSyntax = true, description = "(default: ${bundle:default.epochs})")
    int[] epochs;

    @Option(names = "--lambda-min", paramLabel = "X[,X...]", split = ",", hideParamSyntax = true, description = "e.g. 1,0.5,0.1 (default: ${bundle:default.lambda-min}, full updates)")
    double[] lambdaMin;

    @Option(names = "--option", paramLabel = "NAME=V1,V2",
            description = "any other training option (error_range, alpha_a, train_last, ...); repeatable")
    Map<String, String> options = new LinkedHashMap<>();

    @Option(names = "--seeds", paramLabel = "N", defaultValue = "1", description = "seeds 1..N per combination (default: ${DEFAULT-VALUE})")
    int seeds;

    @Option(names = "--threads", paramLabel = "N", description = "runs at once (default: the available processors)")
    Integer threads;

    @Option(names = "--spark", paramLabel = "MASTER", description = "run on Apache Spark: local[2], spark://host:7077 (./fqt builds the spark"
            + " profile for it; workers need the toolkit's class path, see the README)")
    String spark;

    @Option(names = "--csv", paramLabel = "FILE", defaultValue = "sweep.csv", description = "results; runs already in FILE are skipped (default: ${DEFAULT-VALUE})")
    Path csv;

    @Option(names = "--json", description = "print the rows as JSON lines instead of a table")
    boolean json;

    @Option(names = "--quiet", description = "no progress bar")
    boolean quiet;

    @Override
    public Integer call() {
        DataSplit full = data.load();
        Sweep s = Sweep.over(data.model(full, 1), data.limited(full, 1)).seeds(seeds).csv(csv).progress(quiet ? null : System.err);
        if (precision != null) s.precision(precision.toArray(Precision[]::new));
        if (optimizer != null) s.optimizer(optimizer.toArray(String[]::new));
        if (lr != null) s.lr(lr);
        if (rounding != null) s.rounding(rounding.toArray(Rounding[]::new));
        if (batch != null) s.batch(batch);
        if (epochs != null) s.epochs(epochs);
        if (lambdaMin != null) s.lambdaMin(lambdaMin);
        options.forEach((name, values) -> s.option(name, (Object[]) values.split(",")));
        if (threads != null && spark != null) throw new IllegalArgumentException("--threads and --spark: give one (Spark's local[N] sets its threads)");
        if (threads != null) s.threads(threads);
        if (spark != null) s.on(sparkRunner(spark));
        Table t = s.run().table();
        if (json) {
            for (Row r : t) {
                Map<String, Object> m = new LinkedHashMap<>();
                for (String c : t.columnNames()) m.put(c, r.getObject(c));
                System.out.println(Json.object(m));
            }
        } else {
            System.out.println(t.printAll());
        }
        return 0;
    }

    /**
     * {@code fqt.spark.SparkRunner.master(url)}, found at run time: it is built only with the spark
     * profile (./fqt does that when --spark is given), so the rest of the toolkit never links Spark.
     */
    private static SweepRunner sparkRunner(String master) {
        try {
            return (SweepRunner) Class.forName("fqt.spark.SparkRunner").getMethod("master", String.class).invoke(null, master);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("--spark " + master + ": Spark is not on the class path; run through ./fqt, which builds the spark"
                    + " profile for --spark (mvn -Pspark compile, classpath in target/classpath-spark.txt)");
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("fqt.spark.SparkRunner.master(String) cannot be called: " + e, e);
        }
    }
}
