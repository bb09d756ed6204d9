package fqt.cli;

import fqt.board.Board;
import fqt.board.BoardInfo;
import fqt.board.Boards;
import fqt.board.CortexM;
import fqt.board.Compare;
import fqt.board.Device;
import fqt.board.SerialPortInfo;
import fqt.data.DataSplit;
import fqt.data.Dataset;
import fqt.data.FashionMnist;
import fqt.nn.Precision;
import fqt.train.Training;
import java.nio.file.Path;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./fqt board ...}: the boards the toolkit can talk to. */
@Command(name = "board", description = "the boards the toolkit can talk to: QEMU virtual boards and real ones on a serial port",
        subcommands = {BoardCommand.ListPorts.class, BoardCommand.Info.class, BoardCommand.Train.class})
final class BoardCommand extends CommandGroup {
    /** Which board: a virtual one (default m4) or a real one on a serial port. */
    static final class Choice {
        @Option(names = "--board", paramLabel = "m4|m7|nrf52840",
                description = "start that QEMU virtual board (default: m4; nrf52840: the firmware linked for its 256 KB of RAM), use it, stop it")
        String board;

        @Option(names = "--port", paramLabel = "PATH", description = "a real board running firmware/app, e.g. /dev/ttyACM0")
        String port;

        Board open() {
            if (port != null && board != null) throw new IllegalArgumentException("give --board or --port, not both");
            if (port != null) return Boards.serial(port);
            if (board == null) return Boards.virtual(CortexM.M4);
            if (board.equalsIgnoreCase("m4") || board.equalsIgnoreCase("m7")) return Boards.virtual(CortexM.of(board));
            try {
                return Boards.virtual(Boards.profile(board));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--board " + board + ": " + e.getMessage() + "; the virtual boards are m4, m7 and nrf52840", e);
            }
        }
    }

    @Command(name = "list", description = "serial ports that may have a board (pseudo-terminals are never listed)")
    static final class ListPorts implements Callable<Integer> {
        @Override
        public Integer call() {
            List<SerialPortInfo> ports = Boards.list();
            if (ports.isEmpty()) System.out.println("no serial ports found");
            ports.forEach(System.out::println);
            System.out.println("(virtual boards: ./fqt board info --board m4|m7)");
            return 0;
        }
    }

    @Command(name = "info", description = "ask a board for its core, clock, RAM, firmware version, build id, profile, arena and blob capacity")
    static final class Info implements Callable<Integer> {
        @Mixin Choice choice;

        @Option(names = "--json", description = "one JSON object")
        boolean json;

        @Override
        public Integer call() {
            try (Board board = choice.open()) {
                BoardInfo info = board.info();
                if (json) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("board", board.toString());
                    m.put("core", info.core());
                    m.put("clock_hz", info.clockHz());
                    m.put("ram_bytes", info.ramBytes());
                    m.put("firmware_version", info.firmwareVersion());
                    m.put("build_id", info.buildId());
                    m.put("profile", info.board());
                    m.put("arena_capacity", info.arenaCapacity());
                    m.put("blob_capacity", info.blobCapacity());
                    m.put("stack_used", info.stackUsed());
                    System.out.println(Json.object(m));
                } else {
                    System.out.println(board);
                    System.out.println(info);
                }
            }
            return 0;
        }
    }

    @Command(name = "train", description = {
        "train on a board and check it against the simulator, bit for bit",
        "Trains a model (the small CNN, or --model NAME|FILE.pt|FILE.onnx) on N Fashion-MNIST samples on the board with the training options of ./fqt train (the same"
            + " defaults), evaluates it, reads its weights back and compares them with the simulator's run (exit 1 if they differ);"
            + " per-sample rows go to the CSV. With --json the last line has bit_exact."})
    static final class Train implements Callable<Integer> {
        @Mixin Choice choice;
        @Mixin TrainingMixin training;

        @Option(names = "--limit-train", paramLabel = "N", defaultValue = "100", description = "training samples, seeded (default: ${DEFAULT-VALUE})")
        int limitTrain;

        @Option(names = "--limit-test", paramLabel = "N", defaultValue = "100", description = "test samples (default: ${DEFAULT-VALUE})")
        int limitTest;

        @Option(names = "--checkpoint-every", paramLabel = "N", description = "samples between checkpoints on the board (default: ${DEFAULT-VALUE})")
        int checkpointEvery = Device.DEFAULT_CHECKPOINT_EVERY;

        @Option(names = "--csv", paramLabel = "PATH", description = "the per-sample rows (default: out/device-<time>.csv)")
        Path csv;

        @Option(names = "--json", description = "one JSON object with the figures and bit_exact")
        boolean json;

        @Option(names = "--model", paramLabel = "NAME|FILE", defaultValue = "small-cnn",
                description = DataMixin.MODELS + ", or a TorchScript (.pt) or ONNX (.onnx) file to import (default: ${DEFAULT-VALUE})")
        String model;

        @Option(names = "--input-shape", paramLabel = "N,C,H,W", split = ",", hideParamSyntax = true,
                description = "an imported model's input, batch first (default: 1,1,28,28)")
        int[] inputShape;

        @Override
        public Integer call() {
            Precision precision = training.precision();
            DataSplit data = FashionMnist.load();
            Dataset train = data.train().shuffled(5).take(limitTrain), test = data.test().take(limitTest);
            Training sim = training.training(DataMixin.model(model, inputShape, data, training.seed()), precision).progress(null);
            try (Board board = choice.open()) {
                Device dev = board.deploy(sim, train).checkpointEvery(checkpointEvery).progress(json ? null : System.err);
                if (csv != null) dev.csv(csv);
                long t0 = System.nanoTime();
                Table log = dev.train(train, training.epochs());
                double seconds = (System.nanoTime() - t0) / 1e9;
                double testAcc = dev.evaluate(test);
                var simRun = sim.fit(train, null);
                Compare.Report report = Compare.weights(dev.pullWeights(), simRun.model());
                double simMetric = simRun.config().evaluate(simRun.model(), test);
                String metric = training.loss() == fqt.nn.Loss.MSE ? "mse" : "accuracy";
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("board", board.toString());
                m.put("samples", log.rowCount());
                m.put("seconds", Math.round(seconds * 10) / 10.0);
                m.put("samples_per_s", Math.round(log.rowCount() / seconds * 10) / 10.0);
                m.put("loss", log.doubleColumn("loss").mean());
                if (training.loss() != fqt.nn.Loss.MSE) m.put("train_acc", log.intColumn("correct").mean());
                m.put(training.loss() == fqt.nn.Loss.MSE ? "test_mse" : "test_acc", testAcc);
                m.put("model", model);
                for (String phase : new String[] {"forward", "backward", "update", "selection"}) {
                    m.put(phase + "_instructions_per_sample", Math.round(log.longColumn(phase + "_instructions").mean()));
                }
                m.put("update_fraction", log.doubleColumn("update_fraction").mean());
                m.put("arena_bytes", dev.arenaBytes());
                m.put("restarts", dev.restarts());
                m.put("optimizer", training.optimizer().describe());
                m.put("partial_updates", training.partialUpdates().toString());
                m.put("bit_exact", report.bitExact());
                m.put("device_" + metric, testAcc);
                m.put("sim_" + metric, simMetric);
                m.put("csv", String.valueOf(dev.csvPath()));
                if (json) {
                    System.out.println(Json.object(m));
                } else {
                    m.forEach((k, v) -> System.out.println(k + ": " + v));
                    System.out.println(report);
                }
                return report.bitExact() ? 0 : 1;
            }
        }
    }

    /**
     * The link's training throughput on a virtual board: {@code samples} of the benchmark's training
     * streamed over the serial line, in samples per second (line, board and host together).
     */
    static Table linkThroughput(List<CortexM> boards, int samples) {
        Dataset train = FashionMnist.load().train().shuffled(5).take(samples);
        Training training = DeviceBenchCommand.smallCnn(train, true);
        Table t = Table.create("training over the serial link (virtual boards, no checkpoints)").addColumns(StringColumn.create("board"),
                IntColumn.create("samples"), DoubleColumn.create("seconds"), DoubleColumn.create("samples_per_s"));
        for (CortexM core : boards) {
            try (Board board = Boards.virtual(core)) {
                Device dev = board.deploy(training, train).checkpointEvery(0).progress(null)
                        .csv(Path.of("out", "bench-link-" + core.key() + ".csv"));
                long t0 = System.nanoTime();
                dev.train(train, 1);
                double seconds = (System.nanoTime() - t0) / 1e9;
                t.stringColumn("board").append(core.key());
                t.intColumn("samples").append(samples);
                t.doubleColumn("seconds").append(Math.round(seconds * 100) / 100.0);
                t.doubleColumn("samples_per_s").append(Math.round(samples / seconds * 10) / 10.0);
            }
        }
        return t;
    }
}
