package fqt.cli;

import fqt.board.CortexM;
import fqt.board.Runner;
import fqt.board.SampleFile;
import fqt.data.Dataset;
import fqt.data.FashionMnist;
import fqt.nn.Gradients;
import fqt.nn.Model;
import fqt.nn.Models;
import fqt.nn.Precision;
import fqt.quant.Rounding;
import fqt.select.PartialUpdates;
import fqt.train.Fqt;
import fqt.train.Optimizer;
import fqt.train.Training;
import fqt.wire.ModelBlob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * {@code ./fqt bench device}: the firmware's training cost on the virtual boards, one table per
 * kind of measurement (today: training; each is a method returning a Table, printed by run).
 */
@Command(name = "device", description = {
    "instructions per training sample, phase and MAC on the QEMU virtual boards",
    "Trains a fixed model on each QEMU virtual board (firmware/port/mps2/test/runner.c): the small CNN on Fashion-MNIST, UINT8,"
        + " stochastic rounding, standardized SGD, batch 16, with partial updates (lambda 0.1..1 by sample loss) and with full"
        + " updates, each with int8 gradient sums (the default) and with float32 sums; prints instructions per training sample, per phase (forward, backward, update, selection) and per executed MAC,"
        + " then the serial link's training throughput. Instructions, not cycles: SysTick under QEMU's -icount shift=0 counts"
        + " executed instructions."})
final class DeviceBenchCommand implements Callable<Integer> {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    @Option(names = "--board", paramLabel = "BOARD", defaultValue = "all", description = "m4|m7|all (default: ${DEFAULT-VALUE})")
    String board;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "64", description = "training samples (default: ${DEFAULT-VALUE})")
    int samples;

    @Option(names = "--json", description = "one JSON object per row")
    boolean json;

    @Override
    public Integer call() {
        List<CortexM> boards = board.equals("all") ? List.of(CortexM.M4, CortexM.M7) : List.of(CortexM.of(board));
        Table runner = training(boards, samples);
        // The serial link's throughput (issue 6): the same training streamed sample by sample by fqt.board.Device.
        Table link = BoardCommand.linkThroughput(boards, samples);
        for (Table t : List.of(runner, link)) {
            if (json) {
                Json.printRows(t);
            } else {
                System.out.println(t.printAll());
            }
        }
        return 0;
    }

    /** The fixed training of the benchmark: the acceptance run of issue 5, or the same with full updates. */
    static Training smallCnn(Dataset data, boolean partial) {
        Training t = Fqt.train(Models.smallCnn(data.shape(), 10, 3)).precision(Precision.UINT8).rounding(Rounding.STOCHASTIC)
                .optimizer(Optimizer.standardizedSgd(0.01f)).batch(16).seed(21).calibration(64).progress(null);
        return partial ? t.partialUpdates(PartialUpdates.lambdaMin(0.1).lambdaMax(1.0).errorBy(PartialUpdates.ErrorBy.SAMPLE_LOSS)) : t;
    }

    /** One row per board and update rule: the runner's figures per trained sample. */
    static Table training(List<CortexM> boards, int samples) {
        if (samples <= 0) throw new IllegalArgumentException("--samples must be positive, got " + samples);
        Dataset data = FashionMnist.load().train().shuffled(5).take(samples);
        Table t = Table.create("training on the virtual boards (instructions, SysTick under -icount shift=0)").addColumns(
                StringColumn.create("board"), StringColumn.create("updates"), StringColumn.create("gradients"), IntColumn.create("samples"),
                LongColumn.create("instructions_per_sample"), LongColumn.create("forward"), LongColumn.create("backward"),
                LongColumn.create("update"), LongColumn.create("selection"), LongColumn.create("macs_per_sample"),
                DoubleColumn.create("instructions_per_mac"));
        try {
            Path dir = Files.createTempDirectory("fqt-bench-device");
            for (boolean partial : new boolean[] {true, false}) for (Gradients g : List.of(Gradients.INT8, Gradients.FLOAT32)) {
                Training training = smallCnn(data, partial).gradients(g);
                Model start = training.prepareModel(data);
                Path blob = Files.write(dir.resolve("model.blob"), ModelBlob.write(start, training.config()));
                Path train = dir.resolve("train.samples");
                SampleFile.write(train, data, start.inputParams());
                for (CortexM core : boards) {
                    Runner.Result r = Runner.train(core, blob, train, null, dir.resolve("out.result"), TIMEOUT);
                    if (r.exitStatus() != 0) throw new IllegalStateException("the runner failed on " + core.key() + ":\n" + r.output());
                    Runner.Figures f = r.figures();
                    t.stringColumn("board").append(core.key() + " (" + f.core() + ")");
                    t.stringColumn("updates").append(partial ? "partial" : "full");
                    t.stringColumn("gradients").append(CliEnum.name(g));
                    t.intColumn("samples").append((int) f.samples());
                    t.longColumn("instructions_per_sample").append(Math.round(f.perSample(f.instructions())));
                    t.longColumn("forward").append(Math.round(f.perSample(f.forwardInstructions())));
                    t.longColumn("backward").append(Math.round(f.perSample(f.backwardInstructions())));
                    t.longColumn("update").append(Math.round(f.perSample(f.updateInstructions())));
                    t.longColumn("selection").append(Math.round(f.perSample(f.selectionInstructions())));
                    t.longColumn("macs_per_sample").append(Math.round(f.perSample(f.macs())));
                    t.doubleColumn("instructions_per_mac").append(Math.round(f.instructionsPerMac() * 100) / 100.0);
                }
            }
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) Files.delete(p);
            }
            Files.delete(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("bench device: " + e.getMessage(), e);
        }
        return t;
    }
}
