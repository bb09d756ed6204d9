package fqt.board;

import java.util.Locale;

/**
 * What a board says about itself.
 *
 * @param core            the CPU the firmware was built for, e.g. {@code cortex-m4f}
 * @param clockHz         the core clock; on a virtual board QEMU's nominal SYSCLK (its time is instructions)
 * @param ramBytes        RAM the firmware's linker script has (firmware state, arena and stack; every RAM region)
 * @param firmwareVersion the board application's version
 * @param buildId         hex GNU build-id of the running image: equal to {@code readelf -n} of the ELF
 * @param arenaCapacity   the largest training arena ({@code Memory.plan(...).ramBytes()}) it holds
 * @param blobCapacity    the largest model blob it holds (its Flash model store)
 * @param board           the board profile the firmware was linked for ({@link Boards#profile}), or the QEMU machine
 * @param stackUsed       the deepest the board's stack has gone since reset (its painted reserve), in bytes
 */
public record BoardInfo(String core, long clockHz, long ramBytes, String firmwareVersion, String buildId, long arenaCapacity,
        long blobCapacity, String board, long stackUsed) {
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s (%s), %.1f MHz, %d KiB RAM (arena %,d B, stack used %,d B), blobs up to %,d B,"
                + " firmware %s, build %s", board, core, clockHz / 1e6, ramBytes / 1024, arenaCapacity, stackUsed, blobCapacity, firmwareVersion, buildId);
    }
}
