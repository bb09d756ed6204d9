package fqt.board;

import java.util.Locale;

/** The Cortex-M cores the firmware is built for. {@link #M4} and {@link #M7} also exist as QEMU virtual boards. */
public enum CortexM {
    /** Cortex-M0+ (Raspberry Pi Pico): no FPU, no DSP extension; no virtual board. */
    M0PLUS,
    /** Cortex-M4F: QEMU's {@code mps2-an386}. */
    M4,
    /** Cortex-M7: QEMU's {@code mps2-an500}. */
    M7;

    /** The short name used on the command line and in make targets: {@code m0plus}, {@code m4}, {@code m7}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The core named by {@link #key()}; the message lists the valid names. */
    public static CortexM of(String key) {
        for (CortexM c : values()) {
            if (c.key().equalsIgnoreCase(key)) return c;
        }
        throw new IllegalArgumentException("unknown core '" + key + "': use m0plus, m4 or m7");
    }
}
