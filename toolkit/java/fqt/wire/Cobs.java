package fqt.wire;

import java.io.ByteArrayOutputStream;

/**
 * COBS, Consistent Overhead Byte Stuffing (Cheshire and Baker, 1999): rewrites a block of bytes
 * so it holds no 0x00, which is then free to end a frame on the line. The data is cut into runs
 * at each zero and after 254 non-zero bytes; each run is sent as a code byte (1 + its length)
 * followed by its bytes; a code below 0xFF stands for a zero after its run, except at the end.
 * Mirrors {@code firmware/proto/cobs.c}.
 */
public final class Cobs {
    private Cobs() {}

    /** Largest encoding of {@code n} bytes: one code byte per started run of 254, at least one. */
    public static int encodedMax(int n) {
        return n + n / 254 + 1;
    }

    public static byte[] encode(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(encodedMax(in.length));
        int at = 0;
        for (;;) {
            // One run: the non-zero bytes up to the next zero, the end, or 254 bytes.
            int run = 0;
            while (at + run < in.length && in[at + run] != 0 && run < 254) run++;
            out.write(run + 1);
            out.write(in, at, run);
            at += run;
            if (run < 254) {
                if (at == in.length) return out.toByteArray(); // the run ended at the end of the data
                at++; // the zero this run's code stands for
            } else if (at == in.length) {
                out.write(1); // a full run at the very end still takes an empty run after it (strict COBS)
                return out.toByteArray();
            }
        }
    }

    /** Decodes {@code in[off, off + len)}; fails with {@link WireException.Kind#COBS}. */
    public static byte[] decode(byte[] in, int off, int len) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(len);
        int at = off;
        int end = off + len;
        while (at < end) {
            int code = in[at++] & 0xFF;
            if (code == 0) throw new WireException(WireException.Kind.COBS, "COBS: 0x00 at byte " + (at - 1 - off));
            int run = code - 1;
            if (run > end - at) {
                throw new WireException(WireException.Kind.COBS, "COBS: code at byte " + (at - 1 - off) + " promises "
                        + run + " bytes, " + (end - at) + " left");
            }
            for (int i = 0; i < run; i++) {
                if (in[at] == 0) throw new WireException(WireException.Kind.COBS, "COBS: 0x00 at byte " + (at - off));
                out.write(in[at++]);
            }
            if (code < 0xFF && at < end) out.write(0);
        }
        return out.toByteArray();
    }
}
