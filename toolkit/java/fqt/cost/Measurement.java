package fqt.cost;

import fqt.board.CortexM;
import fqt.board.Runner;
import fqt.board.SampleFile;
import fqt.data.Dataset;
import fqt.data.FashionMnist;
import fqt.nn.Model;
import fqt.nn.Models;
import fqt.nn.Precision;
import fqt.quant.Rounding;
import fqt.train.Fqt;
import fqt.train.Optimizer;
import fqt.train.Training;
import fqt.train.TrainingConfig;
import fqt.wire.ModelBlob;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One training configuration MEASURED on a QEMU virtual board: the firmware's runner image
 * ({@link Runner}) trains it and reports the instructions it executed (SysTick under QEMU's
 * {@code -icount shift=0}: instructions, not cycles) and the multiply-accumulates it counted. The
 * requantized elements and weight updates are counted from the model and settings
 * ({@link OpCounts#of(Model, Training)}): the firmware does not report them.
 *
 * @param board                the virtual board the image ran on and the code it ran: {@code m4}, {@code m7}, or
 *                             {@code m0plus-on-m4} (firmware/core/ compiled for the Cortex-M0+, run on the M4 board)
 * @param trainLast            layers trained (0: all)
 * @param instructionsPerSample all phases (forward, backward, update, selection) over the trained samples
 * @param ops                  per sample: the firmware's forward and backward MACs, the counted requantizations and weight updates
 */
public record Measurement(String board, Precision precision, int batch, int trainLast, int samples, double instructionsPerSample,
                          OpCounts ops) {

    /** The stored measurements behind the built-in profiles ({@code qemu-instructions.csv} beside this class). */
    static final String RESOURCE = "qemu-instructions.csv";
    private static final String HEADER = "board,precision,batch,train_last,samples,instructions_per_sample,forward_macs,backward_macs,"
            + "requant_elements,weight_updates";
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    /**
     * The small CNN on Fashion-MNIST as {@code ./fqt bench device} trains it (stochastic rounding,
     * standardized SGD, seed 21), with full updates, in {@code precision} and {@code batch}.
     */
    public static Training smallCnn(Dataset data, Precision precision, int batch) {
        return Fqt.train(Models.smallCnn(data.shape(), 10, 3)).precision(precision).rounding(Rounding.STOCHASTIC)
                .optimizer(Optimizer.standardizedSgd(0.01f)).batch(batch).seed(21).calibration(64).progress(null);
    }

    /** Trains {@code data} in order with {@code training} on the virtual board of {@code core} and reads its counters. */
    public static Measurement onVirtualBoard(String board, CortexM core, Training training, Dataset data) {
        try {
            Path dir = Files.createTempDirectory("fqt-measure");
            try {
                TrainingConfig c = training.config();
                Model start = Training.prepareModel(training.model(), c, data);
                Path blob = Files.write(dir.resolve("model.blob"), ModelBlob.write(start, c));
                Path samples = dir.resolve("train.samples");
                SampleFile.write(samples, data, start.inputParams());
                Runner.Result r = Runner.train(core, blob, samples, null, dir.resolve("out.result"), TIMEOUT);
                if (r.exitStatus() != 0) throw new IllegalStateException("the runner failed on " + board + ":\n" + r.output());
                Runner.Figures f = r.figures();
                OpCounts counted = OpCounts.of(start, training);
                OpCounts ops = new OpCounts(f.perSample(f.forwardMacs()), f.perSample(f.backwardMacs()), counted.requantElements(),
                        counted.weightUpdates());
                return new Measurement(board, c.precision(), c.batch(), c.trainLast(), (int) f.samples(),
                        f.perSample(f.instructions()), ops);
            } finally {
                try (var files = Files.list(dir)) {
                    for (Path p : files.toList()) Files.delete(p);
                }
                Files.delete(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("measuring on " + board + ": " + e.getMessage(), e);
        }
    }

    /** The stored measurements of {@code board}. */
    static List<Measurement> stored(String board) {
        List<Measurement> all = new ArrayList<>();
        try (InputStream in = Measurement.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("missing resource fqt/cost/" + RESOURCE);
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#") || line.equals(HEADER)) continue;
                Measurement m = parse(line);
                if (m.board.equals(board)) all.add(m);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading fqt/cost/" + RESOURCE + ": " + e.getMessage(), e);
        }
        if (all.isEmpty()) throw new IllegalStateException("no stored measurement of " + board + " in fqt/cost/" + RESOURCE);
        return all;
    }

    private static Measurement parse(String line) {
        String[] v = line.split(",");
        if (v.length != 10) throw new IllegalStateException("fqt/cost/" + RESOURCE + ": not " + HEADER + ": " + line);
        return new Measurement(v[0], Precision.valueOf(v[1]), Integer.parseInt(v[2]), Integer.parseInt(v[3]), Integer.parseInt(v[4]),
                Double.parseDouble(v[5]), new OpCounts(Double.parseDouble(v[6]), Double.parseDouble(v[7]), Double.parseDouble(v[8]),
                Double.parseDouble(v[9])));
    }

    /** This measurement as a line of the stored CSV. */
    String csvLine() {
        return String.format(Locale.ROOT, "%s,%s,%d,%d,%d,%.1f,%.1f,%.1f,%.1f,%.1f", board, precision, batch, trainLast, samples,
                instructionsPerSample, ops.forwardMacs(), ops.backwardMacs(), ops.requantElements(), ops.weightUpdates());
    }

    /**
     * Prints the stored CSV's rows for the virtual board of {@code args[0]} ({@code m4} or {@code m7})
     * named {@code args[1]} (default: the key), with {@code args[2]} samples (default 32): the small
     * CNN in each precision with batch 16, with batch 1 (sixteen times the weight updates per
     * sample) and with the last two layers trained (a tenth of the backward MACs, the same forward
     * pass): what tells the costs apart.
     */
    public static void main(String[] args) {
        CortexM core = CortexM.of(args[0]);
        String board = args.length > 1 ? args[1] : core.key();
        int samples = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        Dataset data = FashionMnist.load().train().shuffled(5).take(samples);
        List<Training> runs = new ArrayList<>();
        for (Precision p : Precision.values()) {
            runs.add(smallCnn(data, p, 16));
            runs.add(smallCnn(data, p, 1));
            runs.add(smallCnn(data, p, 16).trainLast(2));
        }
        System.out.println(HEADER);
        for (Training t : runs) System.out.println(onVirtualBoard(board, core, t, data).csvLine());
    }
}
