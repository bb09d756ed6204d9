package fqt.cli;

import fqt.board.Board;
import fqt.board.BoardInfo;
import fqt.board.Boards;
import fqt.board.CortexM;
import fqt.board.SerialPortInfo;
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
            """;

    static int run(String[] argv) {
        String sub = argv.length < 2 ? "" : argv[1];
        return switch (sub) {
            case "list" -> list();
            case "info" -> info(new Args(argv, 2, Set.of("board", "port"), Set.of("json")));
            default -> throw new IllegalArgumentException("usage: ./fqt board list | ./fqt board info [--board m4|m7 | --port PATH] [--json]");
        };
    }

    private static int list() {
        List<SerialPortInfo> ports = Boards.list();
        if (ports.isEmpty()) System.out.println("no serial ports found");
        ports.forEach(System.out::println);
        System.out.println("(virtual boards: ./fqt board info --board m4|m7)");
        return 0;
    }

    private static int info(Args a) {
        String port = a.get("port", null);
        if (port != null && a.get("board", null) != null) throw new IllegalArgumentException("give --board or --port, not both");
        try (Board board = port != null ? Boards.serial(port) : Boards.virtual(CortexM.of(a.get("board", "m4")))) {
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
}
