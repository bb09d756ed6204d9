package fqt.cli;

import fqt.board.Firmware;
import java.util.Set;

/** {@code ./fqt firmware build}: cross-builds the firmware with make. */
final class FirmwareCommand {
    static final String HELP = """
            ./fqt firmware build [--board m4|m7|m0plus|all]   (default all)
              m4, m7   the virtual boards' images (QEMU mps2-an386, mps2-an500: board application,
                       startup test, training runner) under firmware/build/, plus firmware/core/
                       compiled for that CPU, with code sizes (arm-none-eabi-size)
              m0plus   firmware/core/ compiled for the Cortex-M0+, with its code size
              needs gcc-arm-none-eabi, libnewlib-arm-none-eabi and make (./fqt setup installs them)
            """;

    static int run(String[] argv) {
        if (argv.length < 2 || !argv[1].equals("build")) throw new IllegalArgumentException("usage: ./fqt firmware build [--board m4|m7|m0plus|all]");
        Args a = new Args(argv, 2, Set.of("board"), Set.of());
        return Firmware.build(a.get("board", "all"));
    }
}
