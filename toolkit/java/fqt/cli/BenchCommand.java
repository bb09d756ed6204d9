package fqt.cli;

import fqt.data.Dataset;
import fqt.data.FashionMnist;
import fqt.djl.TorchBaseline;
import fqt.nn.Models;
import fqt.nn.Precision;
import fqt.train.Fqt;
import fqt.train.Optimizer;
import fqt.train.TrainingRun;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** {@code ./fqt bench ...}: benchmarks that print figures measured in one run. */
@Command(name = "bench", description = "benchmarks measured in one run", subcommands = {BenchCommand.Train.class, DeviceBenchCommand.class})
final class BenchCommand extends CommandGroup {
    @Command(name = "train", description = {
        "training throughput per precision next to DJL's PyTorch engine",
        "Training samples per second of the small CNN on Fashion-MNIST at batch 1 and 16, for FLOAT32, MIXED and UINT8 in the"
            + " simulator and for DJL's PyTorch engine training the same float model, all measured in this run after a warm-up,"
            + " round-robin, median of --rounds; prints the UINT8 / PyTorch ratio."})
    static final class Train implements Callable<Integer> {
        @Option(names = "--samples", paramLabel = "N", defaultValue = "4000", description = "timed training samples (default: ${DEFAULT-VALUE})")
        int samples;

        @Option(names = "--rounds", paramLabel = "N", defaultValue = "3", description = "rounds, the median kept (default: ${DEFAULT-VALUE})")
        int rounds;

        @Option(names = "--json", description = "one JSON object per row, then the ratios")
        boolean json;

        @Override
        public Integer call() {
            Dataset data = FashionMnist.load().train().shuffled(1).take(samples + 1000);
            Dataset warm = data.take(1000);
            Dataset timed = data.select(java.util.stream.IntStream.range(1000, data.size()).toArray());
            Table t = Table.create("training throughput").addColumns(StringColumn.create("engine"), StringColumn.create("precision"),
                    IntColumn.create("batch"), DoubleColumn.create("samples_per_second"));
            // Configurations are measured round-robin and the median kept, so a load spike on a shared
            // machine hits every engine alike instead of one.
            Map<String, double[]> runs = new LinkedHashMap<>();
            for (int round = 0; round < rounds; round++) {
                for (int batch : new int[] {1, 16}) {
                    for (Precision p : Precision.values()) {
                        Optimizer opt = p == Precision.FLOAT32 ? Optimizer.sgd(0.01f) : Optimizer.standardizedSgd(0.002f);
                        var model = Models.smallCnn(data.shape(), 10, 1);
                        Fqt.train(model).precision(p).optimizer(opt).batch(batch).progress(null).fit(warm, null); // JIT warm-up
                        TrainingRun run = Fqt.train(model).precision(p).optimizer(opt).batch(batch).progress(null).fit(timed, null);
                        runs.computeIfAbsent(p + "/" + batch, k -> new double[rounds])[round] = timed.size() / run.seconds();
                    }
                    TorchBaseline.Throughput pt = TorchBaseline.trainSamplesPerSecond(data, batch, samples, 0.01f, 1);
                    runs.computeIfAbsent("pytorch/" + batch, k -> new double[rounds])[round] = pt.samplesPerSecond();
                }
                System.err.printf("bench: round %d of %d done%n", round + 1, rounds);
            }
            Map<String, Double> rate = new LinkedHashMap<>();
            runs.forEach((k, v) -> rate.put(k, median(v)));
            for (int batch : new int[] {1, 16}) {
                for (Precision p : Precision.values()) add(t, "fqt simulator", p.name(), batch, rate.get(p + "/" + batch));
                add(t, "DJL PyTorch, " + fqt.djl.Torch.intraOpThreads() + " thread", "FLOAT32", batch, rate.get("pytorch/" + batch));
            }
            double ratio1 = rate.get("UINT8/1") / rate.get("pytorch/1");
            double ratio16 = rate.get("UINT8/16") / rate.get("pytorch/16");
            if (json) {
                for (var row : t) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("engine", row.getString("engine"));
                    m.put("precision", row.getString("precision"));
                    m.put("batch", row.getInt("batch"));
                    m.put("samples_per_second", row.getDouble("samples_per_second"));
                    System.out.println(Json.object(m));
                }
                System.out.println(Json.object(Map.of("uint8_vs_pytorch_batch1", ratio1, "uint8_vs_pytorch_batch16", ratio16)));
            } else {
                System.out.println(t.printAll());
                System.out.printf("UINT8 simulator / PyTorch: %.2fx at batch 1, %.2fx at batch 16 (median of %d rounds, %d timed samples each)%n",
                        ratio1, ratio16, rounds, timed.size());
            }
            return 0;
        }

        private static double median(double[] v) {
            double[] s = v.clone();
            java.util.Arrays.sort(s);
            return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        }

        private static void add(Table t, String engine, String precision, int batch, double sps) {
            t.stringColumn("engine").append(engine);
            t.stringColumn("precision").append(precision);
            t.intColumn("batch").append(batch);
            t.doubleColumn("samples_per_second").append(Math.round(sps * 10) / 10.0);
        }
    }
}
