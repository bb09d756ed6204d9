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
import java.util.Set;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** {@code ./fqt bench ...}: benchmarks that print figures measured in one run. */
final class BenchCommand {
    static final String HELP = """
            ./fqt bench train [--samples N] [--rounds N] [--json]
              training samples per second of the small CNN on Fashion-MNIST at batch 1 and 16, for
              FLOAT32, MIXED and UINT8 in the simulator and for DJL's PyTorch engine training the same
              float model, all measured in this run after a warm-up, round-robin, median of --rounds (3);
              prints the UINT8 / PyTorch ratio
            """ + DeviceBenchCommand.HELP;

    static int run(String[] argv) {
        if (argv.length >= 2 && argv[1].equals("device")) return DeviceBenchCommand.run(argv);
        if (argv.length < 2 || !argv[1].equals("train")) {
            throw new IllegalArgumentException("usage: ./fqt bench train [--samples N] [--json] | ./fqt bench device [--board m4|m7|all] [--samples N] [--json]");
        }
        Args a = new Args(argv, 2, Set.of("samples", "rounds"), Set.of("json"));
        int samples = a.getInt("samples", 4000);
        Dataset data = FashionMnist.load().train().shuffled(1).take(samples + 1000);
        Dataset warm = data.take(1000);
        Dataset timed = data.select(java.util.stream.IntStream.range(1000, data.size()).toArray());
        Table t = Table.create("training throughput").addColumns(StringColumn.create("engine"), StringColumn.create("precision"),
                IntColumn.create("batch"), DoubleColumn.create("samples_per_second"));
        int rounds = a.getInt("rounds", 3);
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
        if (a.flag("json")) {
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
