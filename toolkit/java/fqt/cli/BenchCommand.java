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
@Command(name = "bench", description = "benchmarks measured in one run", subcommands = {BenchCommand.Train.class, CurveBenchCommand.class, DeviceBenchCommand.class})
final class BenchCommand extends CommandGroup {
    @Command(name = "train", description = {
        "training throughput per precision next to DJL's PyTorch engine",
        "Training samples per second of the small CNN on Fashion-MNIST at batch 1 and 16, for FLOAT32, MIXED and UINT8 in the"
            + " simulator, for DJL's PyTorch engine training the same float model, and (with python3-torch) for a PyTorch fake-quant"
            + " FQT simulation of it (scripts/torch-fakequant-bench.py), all measured in this run after a warm-up, round-robin, median"
            + " of --rounds; prints the UINT8 ratios to both. The simulator uses every core (-Dfqt.threads=N in FQT_JAVA_OPTS"
            + " says otherwise); each baseline gets one intra-op thread per core it uses."})
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
            // Each baseline gets one intra-op thread per core the simulator uses.
            int threads = fqt.parallel.Parts.COUNT;
            boolean fakeQuant = torchInstalled();
            if (!fakeQuant) System.err.println("bench: no python3-torch here (apt-get install python3-torch): the PyTorch fake-quant baseline is left out");
            for (int round = 0; round < rounds; round++) {
                for (int batch : new int[] {1, 16}) {
                    for (Precision p : Precision.values()) {
                        Optimizer opt = p == Precision.FLOAT32 ? Optimizer.sgd(0.01f) : Optimizer.standardizedSgd(0.002f);
                        var model = Models.smallCnn(data.shape(), 10, 1);
                        Fqt.train(model).precision(p).optimizer(opt).batch(batch).progress(null).fit(warm, null); // JIT warm-up
                        TrainingRun run = Fqt.train(model).precision(p).optimizer(opt).batch(batch).progress(null).fit(timed, null);
                        runs.computeIfAbsent(p + "/" + batch, k -> new double[rounds])[round] = timed.size() / run.seconds();
                    }
                    TorchBaseline.Throughput pt = TorchBaseline.trainSamplesPerSecond(data, batch, samples, 0.01f, threads);
                    runs.computeIfAbsent("pytorch/" + batch, k -> new double[rounds])[round] = pt.samplesPerSecond();
                    if (fakeQuant) runs.computeIfAbsent("fakequant/" + batch, k -> new double[rounds])[round] = fakeQuantSamplesPerSecond(batch, samples, threads);
                }
                System.err.printf("bench: round %d of %d done%n", round + 1, rounds);
            }
            Map<String, Double> rate = new LinkedHashMap<>();
            runs.forEach((k, v) -> rate.put(k, median(v)));
            for (int batch : new int[] {1, 16}) {
                for (Precision p : Precision.values()) add(t, "fqt simulator", p.name(), batch, rate.get(p + "/" + batch));
                add(t, "DJL PyTorch, " + threads + (threads == 1 ? " thread" : " threads"), "FLOAT32", batch, rate.get("pytorch/" + batch));
                if (fakeQuant) add(t, "PyTorch fake-quant FQT, " + threads + (threads == 1 ? " thread" : " threads"), "UINT8 (fake)", batch, rate.get("fakequant/" + batch));
            }
            Map<String, Object> ratios = new LinkedHashMap<>();
            for (int batch : new int[] {1, 16}) {
                if (fakeQuant) ratios.put("uint8_vs_torch_fakequant_b" + batch, rate.get("UINT8/" + batch) / rate.get("fakequant/" + batch));
            }
            for (int batch : new int[] {1, 16}) ratios.put("uint8_vs_torch_float_b" + batch, rate.get("UINT8/" + batch) / rate.get("pytorch/" + batch));
            ratios.put("simulator_threads", fqt.parallel.Parts.COUNT);
            ratios.put("vector_api", fqt.quant.RoundingLoops.vectorized());
            if (json) {
                Json.printRows(t);
                System.out.println(Json.object(ratios));
            } else {
                System.out.println(t.printAll());
                if (fakeQuant) {
                    System.out.printf("UINT8 simulator / PyTorch fake-quant FQT: %.2fx at batch 1, %.2fx at batch 16%n",
                            ratios.get("uint8_vs_torch_fakequant_b1"), ratios.get("uint8_vs_torch_fakequant_b16"));
                }
                System.out.printf("UINT8 simulator / DJL PyTorch float32: %.2fx at batch 1, %.2fx at batch 16 (median of %d rounds, %d timed samples each)%n",
                        ratios.get("uint8_vs_torch_float_b1"), ratios.get("uint8_vs_torch_float_b16"), rounds, timed.size());
                System.out.printf("simulator: %d threads, Vector API %s%n", fqt.parallel.Parts.COUNT, fqt.quant.RoundingLoops.vectorized() ? "on" : "off");
            }
            return 0;
        }

        /** The script's own timing of {@code samples} fake-quant training samples after a warm-up (its start-up is not timed). */
        private static double fakeQuantSamplesPerSecond(int batch, int samples, int threads) {
            String out = python("scripts/torch-fakequant-bench.py", "--batch", Integer.toString(batch), "--samples", Integer.toString(samples),
                    "--warmup", "1000", "--threads", Integer.toString(threads));
            return com.google.gson.JsonParser.parseString(out.strip()).getAsJsonObject().get("samples_per_second").getAsDouble();
        }

        private static boolean torchInstalled() {
            try {
                python("-c", "import torch");
                return true;
            } catch (IllegalStateException e) {
                return false;
            }
        }

        /** Debian's python3 on these arguments, run from the checkout; its standard output. */
        private static String python(String... args) {
            java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("/usr/bin/python3"));
            cmd.addAll(java.util.List.of(args));
            try {
                Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
                String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", cmd) + " exited with " + p.exitValue());
                return out;
            } catch (java.io.IOException e) {
                throw new IllegalStateException(String.join(" ", cmd) + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
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
