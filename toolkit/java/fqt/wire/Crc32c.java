package fqt.wire;

import java.util.zip.CRC32C;

/**
 * CRC-32C (Castagnoli): reflected polynomial 0x82F63B78, initial value and final XOR 0xFFFFFFFF;
 * the CRC of the ASCII bytes "123456789" is {@link #CHECK}, 0xE3069283. Why it was chosen:
 * {@code firmware/proto/crc32c.h}. The JDK's {@link CRC32C} computes it; the firmware has its own
 * ({@code firmware/proto/crc32c.c}), and {@code testdata/wire/vectors.txt} checks both.
 */
public final class Crc32c {
    private Crc32c() {}

    public static final int CHECK = 0xE3069283;

    /** The CRC of {@code b[off, off + len)}, as the 32 bits the frame carries. */
    public static int of(byte[] b, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(b, off, len);
        return (int) crc.getValue();
    }

    public static int of(byte[] b) {
        return of(b, 0, b.length);
    }
}
