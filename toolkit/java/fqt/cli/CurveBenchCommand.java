package fqt.cli;

import fqt.data.Dataset;
import fqt.data.FashionMnist;
import fqt.nn.Loss;
import fqt.nn.Model;
import fqt.nn.Models;
import fqt.nn.Precision;
import fqt.parallel.Parts;
import fqt.plot.Charts;
import fqt.plot.Plots;
import fqt.train.Fqt;
import fqt.train.Optimizer;
import fqt.train.Training;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** {@code ./fqt bench curve}: the simulator's UINT8 training throughput against network size and batch size. */
@Command(name = "curve", description = {
    "UINT8 training samples per second of the reference architectures at several batch sizes",
    "Trains each reference architecture (Models.references: small-cnn, resnet8, ds-cnn, mobilenet-v1, mobilenet-v2, and the"
        + " autoencoder with MSE) in UINT8 on Fashion-MNIST, all layers, standardized SGD, after a warm-up of every network and one per"
        + " point, at each batch size, and"
        + " prints samples per second beside the network's size (weights, forward MACs per sample); --plot draws the curve."})
final class CurveBenchCommand implements Callable<Integer> {
    @Option(names = "--samples", paramLabel = "N", defaultValue = "1000", description = "timed training samples per point (default: ${DEFAULT-VALUE})")
    int samples;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "1000", description = "untimed samples first, per point (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--batch", paramLabel = "LIST", split = ",", defaultValue = "1,4,16,64", description = "batch sizes (default: ${DEFAULT-VALUE})")
    List<Integer> batches;

    @Option(names = "--models", paramLabel = "LIST", split = ",", description = "reference architectures to measure (default: all)")
    List<String> models;

    @Option(names = "--plot", paramLabel = "FILE", description = "also save the curve as a PNG image")
    Path plot;

    @Option(names = "--json", description = "one JSON object per row")
    boolean json;

    @Override
    public Integer call() {
        Dataset data = FashionMnist.load().train().shuffled(1).take(samples + warmup);
        Dataset warm = data.take(warmup);
        Dataset timed = data.select(java.util.stream.IntStream.range(warmup, data.size()).toArray());
        Map<String, Model> refs = new LinkedHashMap<>(Models.references(data.shape(), 10));
        if (models != null) {
            for (String m : models) if (!refs.containsKey(m)) throw new IllegalArgumentException("no reference architecture '" + m + "'; known: " + refs.keySet());
            refs.keySet().retainAll(models);
        }
        Table t = Table.create("UINT8 training throughput by network and batch").addColumns(StringColumn.create("model"),
                LongColumn.create("weights"), LongColumn.create("forward_macs"), IntColumn.create("batch"), DoubleColumn.create("samples_per_second"),
                IntColumn.create("threads"));
        // The JIT compiles the kernels of every network first: a point measured early would pay for it.
        for (Map.Entry<String, Model> e : refs.entrySet()) training(e.getKey(), e.getValue(), batches.get(batches.size() - 1)).fit(warm, null);
        for (Map.Entry<String, Model> e : refs.entrySet()) {
            Table summary = e.getValue().summary();
            long weights = (long) summary.intColumn("weights").sum(), macs = (long) summary.longColumn("forward_macs").sum();
            for (int batch : batches) {
                Training training = training(e.getKey(), e.getValue(), batch);
                training.fit(warm, null);
                double sps = timed.size() / training.fit(timed, null).seconds();
                t.stringColumn("model").append(e.getKey());
                t.longColumn("weights").append(weights);
                t.longColumn("forward_macs").append(macs);
                t.intColumn("batch").append(batch);
                t.doubleColumn("samples_per_second").append(Math.round(sps * 10) / 10.0);
                t.intColumn("threads").append(Parts.COUNT);
                System.err.printf("bench curve: %s batch %d: %.0f samples/s%n", e.getKey(), batch, sps);
            }
        }
        if (plot != null) Plots.save(Charts.throughputCurve(t, Parts.COUNT), plot);
        if (json) {
            Json.printRows(t);
        } else {
            System.out.println(t.printAll());
            if (plot != null) System.out.println("plot: " + plot);
        }
        return 0;
    }

    private static Training training(String name, Model model, int batch) {
        return Fqt.train(model).precision(Precision.UINT8).optimizer(Optimizer.standardizedSgd(0.002f)).batch(batch)
                .loss(name.equals("autoencoder") ? Loss.MSE : Loss.CROSS_ENTROPY).progress(null);
    }
}
