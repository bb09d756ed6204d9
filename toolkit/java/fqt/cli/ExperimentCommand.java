package fqt.cli;

import fqt.data.FashionMnist;
import fqt.nn.Gradients;
import fqt.nn.Precision;
import fqt.select.PartialUpdates;
import fqt.select.PartialUpdates.ErrorBy;
import fqt.train.Defaults;
import fqt.train.Optimizer;
import fqt.train.Training;
import fqt.train.TrainingRun;
import fqt.transfer.Scenario;
import fqt.transfer.TransferRun;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** {@code ./fqt experiment ...}: the paper's experiments, reproduced in the simulator. */
@Command(name = "experiment", description = "the paper's experiments, reproduced in the simulator", subcommands = ExperimentCommand.PartialUpdatesExperiment.class)
final class ExperimentCommand extends CommandGroup {
    static final double[] LAMBDAS = {1.0, 0.5, 0.1};
    static final Precision[] PRECISIONS = {Precision.UINT8, Precision.MIXED};

    @Command(name = "partial-updates", description = {
        "the paper's partial-update experiment (transfer learning)",
        "Fashion-MNIST transfer (pretrain float32 on classes 0-4, fine-tune a quantized copy with a new head on 5-9) for lambda_min"
            + " 1.0, 0.5, 0.1 in UINT8 and MIXED. Prints target and source accuracy, backward MACs per sample, the MAC reduction and"
            + " the measured backward-pass speedup of the simulator against lambda_min 1.0 (same process, after a warm-up; the median"
            + " over steps of the wall time per sample, so other load on the machine still shows in it).",
        "The default takes about 3 minutes on 2 cores; the paper's length: --epochs 20 --limit-train 0 (hours)."})
    static final class PartialUpdatesExperiment implements Callable<Integer> {
        @Option(names = "--epochs", paramLabel = "N", defaultValue = "3", description = "fine-tuning epochs, the paper: 20 (default: ${DEFAULT-VALUE})")
        int epochs;

        @Option(names = "--pretrain-epochs", paramLabel = "N", defaultValue = "2", description = "float32 epochs on the source task (default: ${DEFAULT-VALUE})")
        int pretrainEpochs;

        @Option(names = "--limit-train", paramLabel = "N", defaultValue = "10000", description = "samples per task, seeded; 0: all, 30000 per task (default: ${DEFAULT-VALUE})")
        int trainN;

        @Option(names = "--limit-test", paramLabel = "N", defaultValue = "0", description = "test samples per task; 0: all, 5000 per task (default: ${DEFAULT-VALUE})")
        int testN;

        @Option(names = "--train-last", paramLabel = "N", defaultValue = "2", description = "layers with weights that fine-tune (default: ${DEFAULT-VALUE})")
        int trainLast;

        @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "sgd", description = "${bundle:names.optimizer} (default: ${DEFAULT-VALUE})")
        String optimizer;

        @Option(names = "--lr", paramLabel = "X", defaultValue = "0.02", description = "learning rate of the fine-tuning (default: ${DEFAULT-VALUE})")
        float lr;

        @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "of the data sets, the models and the rounding (default: ${DEFAULT-VALUE})")
        long seed;

        @Option(names = "--error-by", paramLabel = "E", defaultValue = "sample-loss", description = "${bundle:names.error-by}: what drives the budget (default: ${DEFAULT-VALUE})")
        ErrorBy errorBy;

        @Option(names = "--select-head", description = "apply the top-k rule to the classifier head too (the method's letter; with 5 rows and k = 1"
                + " only the true logit is ever raised: accuracy suffers and larger learning rates diverge)")
        boolean selectHead;

        @Option(names = "--gradients", paramLabel = "G", description = "${bundle:names.gradients}: where gradients wait for the update"
                + " (default: ${bundle:default.gradients}; float32 gives the run before UINT8's int8 sums)")
        Gradients gradients = Defaults.GRADIENTS;

        @Option(names = "--json", description = "JSON lines: the setting, one object per row, the verdicts")
        boolean json;

        @Option(names = "--quiet", description = "no progress bars")
        boolean quiet;

        @Override
        public Integer call() {
            Optimizer opt = Optimizer.named(optimizer, lr);
            boolean fullHead = !selectHead;
            PrintStream progress = quiet ? null : System.err;
            Scenario s = Scenario.newClasses(FashionMnist.load()).take(trainN > 0 ? trainN : Integer.MAX_VALUE, testN > 0 ? testN : Integer.MAX_VALUE, seed);
            TrainingRun pre = s.pretrain(t -> t.epochs(pretrainEpochs).seed(seed).progress(progress));

            Table t = Table.create("partial updates").addColumns(StringColumn.create("precision"), DoubleColumn.create("lambda_min"),
                    DoubleColumn.create("target_acc"), DoubleColumn.create("source_acc"), DoubleColumn.create("update_fraction"),
                    DoubleColumn.create("backward_macs_per_sample"), DoubleColumn.create("mac_reduction"),
                    DoubleColumn.create("backward_us_per_sample"), DoubleColumn.create("backward_speedup"));
            List<String> verdicts = new ArrayList<>();
            for (Precision p : PRECISIONS) {
                UnaryOperator<Training> base = tr -> fineTuning(tr, p, opt);
                for (double lambda : new double[] {1.0, 0.1}) { // JIT warm-up of both paths, untimed
                    s.take(1000, 1, seed).fineTune(pre, tr -> base.apply(tr).progress(null).partialUpdates(partial(lambda, errorBy, fullHead)));
                }
                double fullAcc = 0, fullMacs = 0, fullMicros = 0;
                for (double lambda : LAMBDAS) {
                    TransferRun r = s.fineTune(pre, tr -> base.apply(tr).epochs(epochs).progress(progress).partialUpdates(partial(lambda, errorBy, fullHead)));
                    Table h = r.run().history();
                    double samples = h.longColumn("samples").get(h.rowCount() - 1);
                    double macs = h.longColumn("backward_macs").sum() / samples;
                    double micros = medianMicrosPerSample(h);
                    if (lambda == 1.0) {
                        fullAcc = r.targetAccuracy();
                        fullMacs = macs;
                        fullMicros = micros;
                    }
                    Row row = t.appendRow();
                    row.setString("precision", p.name());
                    row.setDouble("lambda_min", lambda);
                    row.setDouble("target_acc", round(r.targetAccuracy(), 4));
                    row.setDouble("source_acc", round(r.sourceAccuracy(), 4));
                    row.setDouble("update_fraction", round(h.doubleColumn("update_fraction").mean(), 3));
                    row.setDouble("backward_macs_per_sample", Math.round(macs));
                    row.setDouble("mac_reduction", round(fullMacs / macs, 2));
                    row.setDouble("backward_us_per_sample", round(micros, 1));
                    row.setDouble("backward_speedup", round(fullMicros / micros, 2));
                    if (lambda == 0.1) verdicts.add(verdict(p, fullMacs / macs, fullMicros / micros, 100 * (fullAcc - r.targetAccuracy()), json));
                }
            }
            String setting = String.format("%s; %d + %d training samples per epoch (source + target); pretrained float32 source accuracy %.4f; "
                            + "fine-tuning: trainLast(%d), %s, %d epochs, errors by %s, head %s, gradients %s",
                    s.name(), s.source().train().size(), s.target().train().size(), pre.testAccuracy(), trainLast, opt.describe(), epochs,
                    errorBy, fullHead ? "updated fully" : "selected too", CliEnum.name(gradients));
            if (json) {
                System.out.println(Json.object(Map.of("setting", setting)));
                for (Row r : t) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    for (String c : t.columnNames()) m.put(c, c.equals("precision") ? r.getString(c) : (Object) r.getDouble(c));
                    System.out.println(Json.object(m));
                }
            } else {
                System.out.println(setting);
                System.out.println(t.printAll());
            }
            verdicts.forEach(System.out::println);
            return 0;
        }

        /** The fine-tuning's settings of this command line in precision p, without the budget and the epochs (which each run sets). */
        Training fineTuning(Training tr, Precision p, Optimizer opt) {
            return tr.precision(p).trainLast(trainLast).optimizer(opt).gradients(gradients).seed(seed);
        }

        /** Whether lambda 0.1 meets the paper's mark: at least 5x fewer backward MACs for at most 1.5 accuracy points. */
        private static String verdict(Precision p, double macReduction, double speedup, double pointsLost, boolean json) {
            boolean met = macReduction >= 5 && pointsLost <= 1.5;
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("precision", p.name());
                m.put("mac_reduction", macReduction);
                m.put("backward_speedup", speedup);
                m.put("accuracy_points_lost", pointsLost);
                m.put("meets_target", met);
                return Json.object(m);
            }
            return String.format("%s lambda_min 0.1: %.1fx fewer backward MACs, %.1fx faster backward pass, %.2f accuracy points lost: %s the paper's mark (>= 5x, <= 1.5 points)",
                    p, macReduction, speedup, pointsLost, met ? "meets" : "misses");
        }

        /** Median over steps of the backward wall time per sample: robust to bursts of other load on a shared machine. */
        static double medianMicrosPerSample(Table history) {
            double[] perStep = new double[history.rowCount()];
            long before = 0;
            for (int i = 0; i < perStep.length; i++) {
                long samples = history.longColumn("samples").get(i);
                perStep[i] = history.doubleColumn("backward_seconds").get(i) * 1e6 / (samples - before);
                before = samples;
            }
            java.util.Arrays.sort(perStep);
            return perStep[perStep.length / 2];
        }

        private static double round(double v, int decimals) {
            double f = Math.pow(10, decimals);
            return Math.round(v * f) / f;
        }

        private static PartialUpdates partial(double lambda, ErrorBy errorBy, boolean fullHead) {
            return PartialUpdates.lambdaMin(lambda).errorBy(errorBy).fullHead(fullHead);
        }
    }
}
