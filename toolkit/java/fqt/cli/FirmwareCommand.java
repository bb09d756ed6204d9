package fqt.cli;

import fqt.board.Firmware;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./fqt firmware build}: cross-builds the firmware with make. */
@Command(name = "firmware", description = "the firmware: cross-builds with make")
final class FirmwareCommand extends CommandGroup {
    @Command(name = "build", description = {
        "cross-build the firmware and print code sizes (arm-none-eabi-size)",
        "m4, m7: the virtual boards' images (QEMU mps2-an386, mps2-an500: board application, startup test, training runner) under"
            + " firmware/build/, plus firmware/core/ compiled for that CPU; m0plus: firmware/core/ compiled for the Cortex-M0+;"
            + " a board profile (${bundle:names.boards}): the board application linked for its memory map (firmware/port/boards/),"
            + " with the firmware's own RAM, the arena left, the stack reserve and the Flash model store; all: every one.",
        "Needs gcc-arm-none-eabi, libnewlib-arm-none-eabi and make (./fqt setup installs them)."})
    int build(@Option(names = "--board", paramLabel = "BOARD", defaultValue = "all", description = "m4|m7|m0plus|all or a board profile (default: ${DEFAULT-VALUE})") String board) {
        return Firmware.build(board);
    }
}
