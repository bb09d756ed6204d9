package fqt.board;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;

/**
 * A device's resume point on disk, beside its CSV ({@code device.csv.checkpoint}): the model blob
 * it was deployed with (its settings and input quantization), the last checkpoint (samples done,
 * the board's model blob and state image at that moment) and the training call under way. Written
 * to a temporary file, forced to disk and renamed over the last one, so a crash at any moment
 * leaves either checkpoint whole. Little-endian: magic {@code FQTC}, version u32, then the fields
 * of {@link Saved} (byte arrays as a u32 length, -1 for none, and the bytes), then a CRC-32 of all
 * before it.
 */
final class CheckpointFile {
    private CheckpointFile() {}

    private static final int MAGIC = 0x43545146; // "FQTC" read as a little-endian word
    private static final int VERSION = 1;
    /** magic, version, done, epochsDone, callBase, callSamples, callDataSize. */
    private static final int FIXED_BYTES = 2 * Integer.BYTES + Long.BYTES + Integer.BYTES + 2 * Long.BYTES + Integer.BYTES;
    private static final int ARRAYS = 3;
    /** The fields, the arrays' lengths and the CRC: a checkpoint with empty arrays. */
    private static final int MIN_BYTES = FIXED_BYTES + ARRAYS * Integer.BYTES + Integer.BYTES;

    /**
     * What resumes a run: the deployed blob; the checkpoint (samples done, blob, state or null for
     * the deployed state); epochs of finished train calls; the call under way (its first sample,
     * its samples in all, the samples of its data set per epoch; callSamples 0: none).
     */
    record Saved(byte[] startBlob, long done, byte[] blob, byte[] state, int epochsDone, long callBase, long callSamples, int callDataSize) {}

    /** The checkpoint file beside {@code csv}. */
    static Path beside(Path csv) {
        return csv.resolveSibling(csv.getFileName() + ".checkpoint");
    }

    static void write(Path file, Saved s) {
        byte[][] arrays = {s.startBlob(), s.blob(), s.state()};
        int size = MIN_BYTES;
        for (byte[] a : arrays) size += a == null ? 0 : a.length;
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC).putInt(VERSION).putLong(s.done()).putInt(s.epochsDone()).putLong(s.callBase()).putLong(s.callSamples())
                .putInt(s.callDataSize());
        for (byte[] a : arrays) {
            b.putInt(a == null ? -1 : a.length);
            if (a != null) b.put(a);
        }
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            if (file.getParent() != null) Files.createDirectories(file.getParent());
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                b.flip();
                while (b.hasRemaining()) out.write(b);
                out.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a checkpoint file; a missing, truncated or altered one is refused naming the file and what is wrong. */
    static Saved read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("no checkpoint to resume from: cannot read " + file + " (" + e.getMessage() + ")", e);
        }
        if (bytes.length < MIN_BYTES) throw bad(file, bytes.length + " bytes, shorter than any checkpoint");
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt() != MAGIC) throw bad(file, "bytes 0-3 are not the magic FQTC");
        int version = b.getInt();
        if (version != VERSION) throw bad(file, "version " + version + " at byte 4, this toolkit reads version " + VERSION);
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 4);
        int stored = ByteBuffer.wrap(bytes, bytes.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (stored != (int) crc.getValue()) throw bad(file, "its CRC-32 (last 4 bytes) does not match its contents: the file is damaged");
        long done = b.getLong();
        int epochsDone = b.getInt();
        long callBase = b.getLong(), callSamples = b.getLong();
        int callDataSize = b.getInt();
        byte[][] arrays = new byte[ARRAYS][];
        for (int i = 0; i < ARRAYS; i++) {
            int at = b.position(), n = b.getInt();
            if (n < -1 || n > b.remaining() - 4) throw bad(file, "the length " + n + " at byte " + at + " runs past the end");
            if (n >= 0) {
                arrays[i] = new byte[n];
                b.get(arrays[i]);
            }
        }
        if (b.remaining() != 4) throw bad(file, (b.remaining() - 4) + " bytes after the last field");
        if (arrays[0] == null || arrays[1] == null) throw bad(file, "it holds no model blob");
        return new Saved(arrays[0], done, arrays[1], arrays[2], epochsDone, callBase, callSamples, callDataSize);
    }

    private static IllegalArgumentException bad(Path file, String what) {
        return new IllegalArgumentException("not a checkpoint this toolkit wrote: " + file + ": " + what);
    }
}
