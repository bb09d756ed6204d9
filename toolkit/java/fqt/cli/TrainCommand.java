package fqt.cli;

import fqt.data.DataSplit;
import fqt.nn.Precision;
import fqt.train.Training;
import fqt.train.TrainingRun;
import fqt.wire.SavedModel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tech.tablesaw.api.Row;

/** {@code ./fqt train}: trains a model on a data set in one or all precision modes and prints the metrics. */
@Command(name = "train", description = "train a model in FLOAT32, MIXED or UINT8 and print its metrics (one line per epoch, then the result)")
final class TrainCommand implements Callable<Integer> {
    @Mixin DataMixin data;
    @Mixin TrainingMixin training;

    @Option(names = "--json", description = "one JSON object per epoch, the last line the result with test_accuracy")
    boolean json;

    @Option(names = "--quiet", description = "no progress bar")
    boolean quiet;

    @Option(names = "--save", paramLabel = "FILE", description = "save the trained model with its settings as a model image (fqt.wire.SavedModel;"
            + " ./fqt export --c FILE makes C of it); with several precisions one file each, the mode before the extension: model-uint8.bin")
    Path save;

    @Override
    public Integer call() {
        List<Precision> modes = training.precisions();
        DataSplit full = data.load();
        DataSplit split = data.limited(full, training.seed());
        for (Precision p : modes) {
            Training t = training.training(data.model(full, training.seed()), p).progress(quiet ? null : System.err);
            TrainingRun run = t.fit(split.train(), split.test());
            // a classifier reports accuracy, a reconstruction (--loss mse) its mean squared error
            String metric = t.config().loss().metric(), name = metric.equals("acc") ? "accuracy" : metric;
            for (Row r : run.epochs()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("precision", p.name());
                m.put("epoch", r.getInt("epoch"));
                m.put("loss", r.getDouble("loss"));
                m.put("train_" + name, r.getDouble("train_" + metric));
                m.put("test_" + name, r.getDouble("test_" + metric));
                m.put("seconds", r.getDouble("seconds"));
                System.out.println(json ? Json.object(m) : m.toString());
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("result", true);
            result.put("precision", p.name());
            result.put("model", data.model);
            result.put("data", full.train().name());
            result.put("train_samples", split.train().size());
            result.put("test_samples", split.test().size());
            result.put("optimizer", training.optimizer().describe());
            result.put("lr", training.lr());
            result.put("rounding", training.rounding().name());
            result.put("batch", training.batch());
            result.put("epochs", training.epochs());
            result.put("seed", training.seed());
            result.put("partial_updates", training.partialUpdates().toString());
            result.put("loss_function", CliEnum.name(t.config().loss()));
            result.put("gradients", CliEnum.name(t.config().gradientsUsed()));
            result.put("test_" + name, run.testMetric());
            result.put("train_" + name, run.trainMetric());
            result.put("seconds", run.seconds());
            Path saved = save == null ? null : SavedModel.of(run).save(modes.size() == 1 ? save : perMode(save, p));
            if (saved != null) result.put("saved", saved.toString());
            System.out.println(json ? Json.object(result) : run + (saved != null ? "; saved to " + saved : ""));
        }
        return 0;
    }

    /** {@code dir/model.bin} for UINT8: {@code dir/model-uint8.bin}. */
    private static Path perMode(Path file, Precision p) {
        String name = file.getFileName().toString(), mode = "-" + p.name().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return file.resolveSibling(dot > 0 ? name.substring(0, dot) + mode + name.substring(dot) : name + mode);
    }
}
