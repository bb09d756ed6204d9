package fqt.cli;

import fqt.data.DataSplit;
import fqt.nn.Precision;
import fqt.quant.Rounding;
import fqt.sweep.Sweep;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

/** {@code ./fqt sweep}: a grid of training runs, results appended to a CSV; a rerun resumes. */
final class SweepCommand {
    static final Set<String> VALUED = Set.of("data", "data-dir", "model", "precision", "optimizer", "lr", "rounding", "batch", "epochs",
            "lambda-min", "seeds", "limit-train", "limit-test", "threads", "csv", "option");
    static final Set<String> FLAGS = Set.of("json", "quiet");

    static final String HELP = """
            ./fqt sweep [options]   train every combination, append one CSV line per finished run
              --precision uint8,mixed,float32   --optimizer sgd,standardized,momentum,adam   --lr X,Y
              --rounding floor,nearest,stochastic   --batch N,M   --epochs N,M   --lambda-min 1,0.5,0.1
              --option NAME=V1,V2     any other training option (error_range, alpha_a, train_last, ...)
              --seeds N (1)           seeds 1..N per combination
              --data ... --data-dir DIR --model small-cnn|mlp --limit-train N --limit-test N   as for train
              --threads N             runs at once (default: the available processors)
              --csv FILE              results; runs already in FILE are skipped (default sweep.csv)
              --json                  print the rows as JSON lines instead of a table; --quiet: no progress bar
            """;

    static int run(String[] argv) {
        Args a = new Args(argv, 1, VALUED, FLAGS);
        DataSplit full = TrainCommand.loadData(a.get("data", "fashion-mnist"), a.get("data-dir", null));
        DataSplit data = new DataSplit(TrainCommand.limit(full.train(), a.getInt("limit-train", 0), 1),
                TrainCommand.limit(full.test(), a.getInt("limit-test", 0), 2));
        String[] optimizers = list(a, "optimizer", TrainCommand.DEFAULT_OPTIMIZER);
        Sweep s = Sweep.over(TrainCommand.model(a.get("model", "small-cnn"), full, 1), data)
                .precision(Arrays.stream(list(a, "precision", "uint8")).map(v -> Precision.valueOf(v.toUpperCase(Locale.ROOT))).toArray(Precision[]::new))
                .optimizer(optimizers)
                .lr(Arrays.stream(list(a, "lr", Float.toString(TrainCommand.defaultLearningRate(optimizers[0])))).mapToDouble(Double::parseDouble).toArray())
                .rounding(Arrays.stream(list(a, "rounding", "stochastic")).map(v -> Rounding.valueOf(v.toUpperCase(Locale.ROOT))).toArray(Rounding[]::new))
                .batch(ints(list(a, "batch", "16")))
                .epochs(ints(list(a, "epochs", "1")))
                .lambdaMin(Arrays.stream(list(a, "lambda-min", "1")).mapToDouble(Double::parseDouble).toArray())
                .seeds(a.getInt("seeds", 1))
                .csv(Path.of(a.get("csv", "sweep.csv")))
                .progress(a.flag("quiet") ? null : System.err);
        if (a.get("option", null) != null) {
            String[] kv = a.get("option", null).split("=", 2);
            if (kv.length != 2) throw new IllegalArgumentException("--option needs NAME=V1,V2, got '" + a.get("option", null) + "'");
            s.option(kv[0], (Object[]) kv[1].split(","));
        }
        if (a.get("threads", null) != null) s.threads(a.getInt("threads", 1));
        Table t = s.run().table();
        if (a.flag("json")) {
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

    private static String[] list(Args a, String name, String dflt) {
        return a.get(name, dflt).split(",");
    }

    private static int[] ints(String[] v) {
        try {
            return Arrays.stream(v).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected whole numbers, got " + String.join(",", v));
        }
    }
}
