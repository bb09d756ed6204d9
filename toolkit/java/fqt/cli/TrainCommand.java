package fqt.cli;

import fqt.data.DataSplit;
import fqt.data.Dataset;
import fqt.data.FashionMnist;
import fqt.data.MnistFamily;
import fqt.nn.ErrorRange;
import fqt.nn.Model;
import fqt.nn.Models;
import fqt.nn.Precision;
import fqt.quant.Rounding;
import fqt.train.Fqt;
import fqt.train.Optimizer;
import fqt.train.Training;
import fqt.train.TrainingRun;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tech.tablesaw.api.Row;

/** {@code ./fqt train}: trains a model on a data set in one or all precision modes and prints the metrics. */
final class TrainCommand {
    static final Set<String> VALUED = Set.of("data", "data-dir", "model", "precision", "optimizer", "lr", "rounding", "batch",
            "epochs", "seed", "limit-train", "limit-test", "error-range", "alpha-a", "alpha-e", "calibration", "train-last");
    static final Set<String> FLAGS = Set.of("json", "quiet");

    static final String HELP = """
            ./fqt train [options]   train and print metrics (one line per epoch, then the result)
              --data fashion-mnist|mnist|kmnist|emnist-letters|emnist-digits   (default fashion-mnist)
              --data-dir DIR          where the IDX files are (default: Debian's /usr/share/datasets/...)
              --model small-cnn|mlp   (default small-cnn)
              --precision float32|mixed|uint8|all   (default uint8)
              --optimizer sgd|standardized|momentum|adam   --lr X   (default sgd 0.05; see README)
              --rounding floor|nearest|stochastic   (default stochastic)
              --error-range exact|ema|fixed   --alpha-a X   --alpha-e X   --calibration N
              --batch N (16)  --epochs N (1)  --seed N (1)  --train-last N
              --limit-train N  --limit-test N   use the first N samples of a seeded shuffle
              --json                  one JSON object per epoch, the last line the result with test_accuracy
            """;

    static int run(String[] argv) {
        Args a = new Args(argv, 1, VALUED, FLAGS);
        DataSplit data = loadData(a.get("data", "fashion-mnist"), a.get("data-dir", null));
        long seed = a.getInt("seed", 1);
        Dataset train = limit(data.train(), a.getInt("limit-train", 0), seed);
        Dataset test = limit(data.test(), a.getInt("limit-test", 0), seed + 1);
        List<Precision> modes = a.get("precision", "uint8").equalsIgnoreCase("all")
                ? List.of(Precision.FLOAT32, Precision.MIXED, Precision.UINT8)
                : List.of(Precision.valueOf(a.get("precision", "uint8").toUpperCase(Locale.ROOT)));
        boolean json = a.flag("json");
        for (Precision p : modes) {
            Model model = model(a.get("model", "small-cnn"), data, seed);
            String optName = a.get("optimizer", DEFAULT_OPTIMIZER);
            float lr = a.getFloat("lr", defaultLearningRate(optName));
            Training t = Fqt.train(model).precision(p).optimizer(Optimizer.named(optName, lr))
                    .rounding(Rounding.valueOf(a.get("rounding", "stochastic").toUpperCase(Locale.ROOT)))
                    .errorRange(ErrorRange.valueOf(a.get("error-range", "exact").toUpperCase(Locale.ROOT)))
                    .alphaA(a.getFloat("alpha-a", 0.01f)).alphaE(a.getFloat("alpha-e", 0.1f))
                    .calibration(a.getInt("calibration", 512))
                    .batch(a.getInt("batch", 16)).epochs(a.getInt("epochs", 1)).seed(seed)
                    .progress(a.flag("quiet") ? null : System.err);
            int last = a.getInt("train-last", 0);
            if (last > 0) t.trainLast(last);
            TrainingRun run = t.fit(train, test);
            for (Row r : run.epochs()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("precision", p.name());
                m.put("epoch", r.getInt("epoch"));
                m.put("loss", r.getDouble("loss"));
                m.put("train_accuracy", r.getDouble("train_acc"));
                m.put("test_accuracy", r.getDouble("test_acc"));
                m.put("seconds", r.getDouble("seconds"));
                System.out.println(json ? Json.object(m) : m.toString());
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("result", true);
            result.put("precision", p.name());
            result.put("model", a.get("model", "small-cnn"));
            result.put("data", data.train().name());
            result.put("train_samples", train.size());
            result.put("test_samples", test.size());
            result.put("optimizer", run.config().optimizer().describe());
            result.put("rounding", run.config().rounding().name());
            result.put("batch", run.config().batch());
            result.put("epochs", run.config().epochs());
            result.put("seed", seed);
            result.put("test_accuracy", run.testAccuracy());
            result.put("train_accuracy", run.trainAccuracy());
            result.put("seconds", run.seconds());
            System.out.println(json ? Json.object(result) : run.toString());
        }
        return 0;
    }

    /** Learning rates that train the small CNN on Fashion-MNIST (see README); standardized steps are in weight units. */
    static float defaultLearningRate(String optimizer) {
        return switch (optimizer) {
            case "standardized", "standardized-sgd", "std-sgd" -> 0.002f;
            case "adam" -> 0.001f;
            case "momentum" -> 0.01f;
            default -> 0.05f;
        };
    }

    /** Plain SGD with stochastic rounding trains all three modes; see README for the standardized optimizer. */
    static final String DEFAULT_OPTIMIZER = "sgd";

    static Model model(String name, DataSplit data, long seed) {
        return switch (name) {
            case "small-cnn" -> Models.smallCnn(data.shape(), data.classes(), seed);
            case "mlp" -> Models.mlp(data.shape(), data.classes(), seed, 128, 64);
            default -> throw new IllegalArgumentException("unknown model '" + name + "': use small-cnn or mlp");
        };
    }

    static DataSplit loadData(String name, String dir) {
        Path p = dir == null ? null : Path.of(dir);
        return switch (name) {
            case "fashion-mnist" -> p == null ? FashionMnist.load() : FashionMnist.load(p);
            case "mnist" -> MnistFamily.mnist(require(p, name));
            case "kmnist" -> MnistFamily.kmnist(require(p, name));
            case "emnist-letters" -> MnistFamily.emnistLetters(require(p, name));
            case "emnist-digits" -> MnistFamily.emnistDigits(require(p, name));
            default -> throw new IllegalArgumentException("unknown data set '" + name + "': use fashion-mnist, mnist, kmnist, emnist-letters or emnist-digits");
        };
    }

    private static Path require(Path p, String name) {
        if (p == null) throw new IllegalArgumentException("--data " + name + " needs --data-dir DIR with its IDX files");
        return p;
    }

    static Dataset limit(Dataset d, int n, long seed) {
        return n > 0 && n < d.size() ? d.shuffled(seed).take(n) : d;
    }
}
