package fqt.board;

/**
 * What a board says about itself.
 *
 * @param core            the CPU the firmware was built for, e.g. {@code cortex-m4f}
 * @param clockHz         the core clock; on a virtual board QEMU's nominal SYSCLK (its time is instructions)
 * @param ramBytes        RAM the firmware's linker script has (data, bss and stack)
 * @param firmwareVersion the board application's version
 * @param buildId         hex GNU build-id of the running image: equal to {@code readelf -n} of the ELF
 */
public record BoardInfo(String core, long clockHz, long ramBytes, String firmwareVersion, String buildId) {
    @Override
    public String toString() {
        return String.format("%s, %.1f MHz, %d KiB RAM, firmware %s, build %s",
                core, clockHz / 1e6, ramBytes / 1024, firmwareVersion, buildId);
    }
}
