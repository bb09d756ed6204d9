package fqt.wire;

/**
 * CRC-32C (Castagnoli): reflected polynomial 0x82F63B78, initial value and final XOR 0xFFFFFFFF;
 * the CRC of the ASCII bytes "123456789" is {@link #CHECK}, 0xE3069283. Why it was chosen:
 * {@code firmware/proto/crc32c.h}. Mirrors {@code firmware/proto/crc32c.c} bit by bit; equal to
 * {@link java.util.zip.CRC32C}.
 */
public final class Crc32c {
    private Crc32c() {}

    public static final int CHECK = 0xE3069283;

    /** Continues {@code crc} (0 for a fresh start) over {@code b[off, off + len)}. */
    public static int update(int crc, byte[] b, int off, int len) {
        crc = ~crc;
        for (int i = off; i < off + len; i++) {
            crc ^= b[i] & 0xFF;
            for (int k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0x82F63B78 & -(crc & 1));
        }
        return ~crc;
    }

    public static int of(byte[] b) {
        return update(0, b, 0, b.length);
    }
}
