package fqt.cli;

import fqt.board.Boards;
import fqt.board.Firmware;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./fqt firmware build}: cross-builds the firmware with make. */
@Command(name = "firmware", description = "the firmware: cross-builds with make")
final class FirmwareCommand extends CommandGroup {
    @Command(name = "build", description = {
        "cross-build the firmware and print code sizes and the boards' memory",
        "m4, m7: the virtual boards' images (QEMU mps2-an386, mps2-an500: board application, startup test, training runner) under"
            + " firmware/build/, plus firmware/core/ compiled for that CPU; m0plus: firmware/core/ compiled for the Cortex-M0+;"
            + " a board profile (${bundle:names.boards}): the board application linked for its memory map (firmware/port/boards/),"
            + " with the firmware's own RAM, the arena left, the stack reserve and the Flash model store; all: every one."
            + " With --arena N (a board profile only) it links the application with an arena of at least N bytes instead"
            + " (./fqt memory gives a plan's): it links when that fits, else the linker says by how many bytes RAM overflows.",
        "Needs gcc-arm-none-eabi, libnewlib-arm-none-eabi and make (./fqt setup installs them)."})
    int build(@Option(names = "--board", paramLabel = "BOARD", defaultValue = "all", description = "m4|m7|m0plus|all or a board profile (default: ${DEFAULT-VALUE})") String board,
              @Option(names = "--arena", paramLabel = "BYTES", description = "link a board profile's application with at least this arena") Long arena) {
        if (arena == null) return Firmware.build(board);
        Firmware.LinkCheck c = Firmware.linkCheck(Boards.profile(board), arena);
        System.out.print(c.output());
        return c.exitStatus();
    }
}
