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
import fqt.train.Training;
import java.nio.file.Path;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code ./fqt board ...}: the boards the toolkit can talk to. */
final class BoardCommand {
    static final String HELP = """
            ./fqt board list              serial ports that may have a board (pseudo-terminals are never listed)
            ./fqt board info [--board m4|m7 | --port PATH] [--json]
              --board m4|m7   start that QEMU virtual board (default m4), ask it, stop it
              --port PATH     a real board running firmware/app, e.g. /dev/ttyACM0
            ./fqt board train [--board m4|m7 | --port PATH] [--limit-train N] [--epochs E] [--limit-test N]
                              [--checkpoint-every N] [--csv PATH] [--json]
              trains the benchmark's small CNN (UINT8, stochastic rounding, partial updates) on N
              Fashion-MNIST samples (default 100) on the board, evaluates it, reads its weights back and
              compares them with the simulator's run; per-sample rows go to the CSV (default under out/)
            """;

    static int run(String[] argv) {
        String sub = argv.length < 2 ? "" : argv[1];
        return switch (sub) {
            case "list" -> list();
            case "info" -> info(new Args(argv, 2, Set.of("board", "port"), Set.of("json")));
            case "train" -> train(new Args(argv, 2, Set.of("board", "port", "limit-train", "epochs", "limit-test", "checkpoint-every", "csv"),
                    Set.of("json")));
            default -> throw new IllegalArgumentException("usage: ./fqt board list | info | train (./fqt help)");
        };
    }

    private static int list() {
        List<SerialPortInfo> ports = Boards.list();
        if (ports.isEmpty()) System.out.println("no serial ports found");
        ports.forEach(System.out::println);
        System.out.println("(virtual boards: ./fqt board info --board m4|m7)");
        return 0;
    }

    private static Board open(Args a) {
        String port = a.get("port", null);
        if (port != null && a.get("board", null) != null) throw new IllegalArgumentException("give --board or --port, not both");
        return port != null ? Boards.serial(port) : Boards.virtual(CortexM.of(a.get("board", "m4")));
    }

    private static int info(Args a) {
        try (Board board = open(a)) {
            BoardInfo info = board.info();
            if (a.flag("json")) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("board", board.toString());
                m.put("core", info.core());
                m.put("clock_hz", info.clockHz());
                m.put("ram_bytes", info.ramBytes());
                m.put("firmware_version", info.firmwareVersion());
                m.put("build_id", info.buildId());
                System.out.println(Json.object(m));
            } else {
                System.out.println(board);
                System.out.println(info);
            }
        }
        return 0;
    }

    private static int train(Args a) {
        int n = a.getInt("limit-train", 100), epochs = a.getInt("epochs", 1), nTest = a.getInt("limit-test", 100);
        DataSplit data = FashionMnist.load();
        Dataset train = data.train().shuffled(5).take(n), test = data.test().take(nTest);
        Training training = DeviceBenchCommand.smallCnn(train, true).epochs(epochs);
        try (Board board = open(a)) {
            Device dev = board.deploy(training, train).checkpointEvery(a.getInt("checkpoint-every", Device.DEFAULT_CHECKPOINT_EVERY))
                    .progress(a.flag("json") ? null : System.err);
            if (a.get("csv", null) != null) dev.csv(Path.of(a.get("csv", null)));
            long t0 = System.nanoTime();
            Table log = dev.train(train, epochs);
            double seconds = (System.nanoTime() - t0) / 1e9;
            double testAcc = dev.evaluate(test);
            Compare.Report report = Compare.weights(dev.pullWeights(), training.fit(train, null).model());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("board", board.toString());
            m.put("samples", log.rowCount());
            m.put("seconds", Math.round(seconds * 10) / 10.0);
            m.put("samples_per_s", Math.round(log.rowCount() / seconds * 10) / 10.0);
            m.put("loss", log.doubleColumn("loss").mean());
            m.put("train_acc", log.intColumn("correct").mean());
            m.put("test_acc", testAcc);
            for (String phase : new String[] {"forward", "backward", "update", "selection"}) {
                m.put(phase + "_instructions_per_sample", Math.round(log.longColumn(phase + "_instructions").mean()));
            }
            m.put("update_fraction", log.doubleColumn("update_fraction").mean());
            m.put("arena_bytes", dev.arenaBytes());
            m.put("restarts", dev.restarts());
            m.put("bit_exact", report.bitExact());
            m.put("csv", String.valueOf(dev.csvPath()));
            if (a.flag("json")) {
                System.out.println(Json.object(m));
            } else {
                m.forEach((k, v) -> System.out.println(k + ": " + v));
                System.out.println(report);
            }
            return report.bitExact() ? 0 : 1;
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
