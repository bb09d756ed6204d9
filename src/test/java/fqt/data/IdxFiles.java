package fqt.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for the tests. */
final class IdxFiles {
    private IdxFiles() {}

    /** Bytes of an image file: header (magic, n, rows, cols) followed by the pixels. */
    static byte[] images(int n, int rows, int cols, byte[] pixels) {
        return ByteBuffer.allocate(16 + pixels.length).putInt(Idx.IMAGES_MAGIC).putInt(n).putInt(rows).putInt(cols)
                .put(pixels).array();
    }

    static byte[] labels(int... labels) {
        ByteBuffer b = ByteBuffer.allocate(8 + labels.length).putInt(Idx.LABELS_MAGIC).putInt(labels.length);
        for (int l : labels) b.put((byte) l);
        return b.array();
    }

    /** Pixels i*rows*cols + r*cols + c set to (i*31 + r*7 + c) mod 256, so every position is distinguishable. */
    static byte[] pattern(int n, int rows, int cols) {
        byte[] p = new byte[n * rows * cols];
        for (int i = 0; i < n; i++)
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < cols; c++) p[(i * rows + r) * cols + c] = (byte) (i * 31 + r * 7 + c);
        return p;
    }

    static Path write(Path file, byte[] bytes, boolean gzip) throws IOException {
        if (!gzip) return Files.write(file, bytes);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(buf)) {
            out.write(bytes);
        }
        return Files.write(file, buf.toByteArray());
    }
}
