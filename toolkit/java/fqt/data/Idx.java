package fqt.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reader for the IDX files of the MNIST family (MNIST, Fashion-MNIST, KMNIST, EMNIST), plain or
 * gzip-compressed; compression is detected from the gzip magic bytes {@code 1f 8b}, not from the
 * file name. Only the two layouts these data sets use are accepted: unsigned-byte images
 * ({@code 0x00000803}: count, rows, cols) and unsigned-byte labels ({@code 0x00000801}: count).
 * Every size is checked against the header, so a truncated or padded download fails loudly
 * instead of producing a silently short data set.
 */
public final class Idx {
    /** Magic number of a file of unsigned-byte images: type 0x08, three dimensions. */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of a file of unsigned-byte labels: type 0x08, one dimension. */
    public static final int LABELS_MAGIC = 0x00000801;

    private Idx() {}

    /** Images as stored: {@code count} row-major {@code rows x cols} images of unsigned bytes. */
    public record Images(Path file, int count, int rows, int cols, byte[] pixels) {
        /** Pixel value 0..255 at row {@code r}, column {@code c} of image {@code i}. */
        public int pixel(int i, int r, int c) {
            return pixels[(i * rows + r) * cols + c] & 0xff;
        }
    }

    /** Reads an image file ({@link #IMAGES_MAGIC}). */
    public static Images readImages(Path file) {
        requireFile(file);
        try (InputStream in = open(file)) {
            int magic = readInt(in, file, "magic number");
            checkMagic(file, magic, IMAGES_MAGIC, "images");
            int count = readDim(in, file, "image count");
            int rows = readDim(in, file, "rows");
            int cols = readDim(in, file, "cols");
            if (rows == 0 || cols == 0) {
                throw new IllegalArgumentException(file + ": images of " + rows + "x" + cols + " pixels hold nothing");
            }
            long body = (long) count * rows * cols;
            if (body > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException(file + ": " + count + " images of " + rows + "x" + cols
                        + " = " + body + " bytes is too large to hold in one array");
            }
            byte[] pixels = readBody(in, file, 16, (int) body);
            return new Images(file, count, rows, cols, pixels);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read IDX images: " + e.getMessage(), e);
        }
    }

    /** Reads a label file ({@link #LABELS_MAGIC}); values are returned as stored, 0..255. */
    public static int[] readLabels(Path file) {
        requireFile(file);
        try (InputStream in = open(file)) {
            int magic = readInt(in, file, "magic number");
            checkMagic(file, magic, LABELS_MAGIC, "labels");
            int count = readDim(in, file, "label count");
            byte[] raw = readBody(in, file, 8, count);
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) labels[i] = raw[i] & 0xff;
            return labels;
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read IDX labels: " + e.getMessage(), e);
        }
    }

    /**
     * An image file and its label file as one data set of shape {@code {1, rows, cols}},
     * pixels scaled from 0..255 to [0, 1]. Labels must lie in {@code [0, classes)}.
     */
    public static Dataset dataset(String name, Path images, Path labels, int classes) {
        return dataset(name, images, labels, classes, 0, false);
    }

    /**
     * As {@link #dataset(String, Path, Path, int)}, for files that deviate from MNIST's conventions:
     * stored labels are {@code labelOffset .. labelOffset + classes - 1} and are shifted to start
     * at 0 (EMNIST letters store 1..26); {@code transpose} swaps rows and columns of every image
     * (EMNIST stores its images transposed).
     */
    static Dataset dataset(String name, Path images, Path labels, int classes, int labelOffset, boolean transpose) {
        Images img = readImages(images);
        int[] lab = readLabels(labels);
        if (img.count() != lab.length) {
            throw new IllegalArgumentException(name + ": " + images + " holds " + img.count() + " images but "
                    + labels + " holds " + lab.length + " labels");
        }
        for (int i = 0; i < lab.length; i++) {
            int l = lab[i] - labelOffset;
            if (l < 0 || l >= classes) {
                throw new IllegalArgumentException(labels + ": label " + lab[i] + " at index " + i + " is outside ["
                        + labelOffset + ", " + (labelOffset + classes) + ") expected for " + classes + " classes");
            }
            lab[i] = l;
        }
        int rows = img.rows(), cols = img.cols(), n = rows * cols;
        byte[] px = img.pixels();
        float[] f = new float[px.length];
        for (int i = 0; i < img.count(); i++) {
            int base = i * n;
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    // A transposed image of rows x cols becomes cols x rows: out[c][r] = stored[r][c].
                    int dst = transpose ? base + c * rows + r : base + r * cols + c;
                    f[dst] = (px[base + r * cols + c] & 0xff) / 255f;
                }
            }
        }
        int[] shape = transpose ? new int[] {1, cols, rows} : new int[] {1, rows, cols};
        return new Dataset(name, shape, classes, f, lab);
    }

    /** Opens {@code file}, decompressing it if it starts with the gzip magic bytes. */
    private static void requireFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UncheckedIOException("IDX file not found: " + file, new NoSuchFileException(file.toString()));
        }
    }

    private static InputStream open(Path file) throws IOException {
        BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        int b0 = in.read(), b1 = in.read();
        in.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            return new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
        }
        return in;
    }

    private static void checkMagic(Path file, int magic, int expected, String what) {
        if (magic == expected) return;
        String hint = (magic >>> 16) == 0 && ((magic >>> 8) & 0xff) == 0x08
                ? " (an IDX file of unsigned bytes with " + (magic & 0xff) + " dimensions)"
                : " (not an IDX file of unsigned bytes)";
        throw new IllegalArgumentException(String.format("%s: magic number 0x%08x%s, expected 0x%08x for IDX %s",
                file, magic, hint, expected, what));
    }

    /** A dimension is an unsigned 32-bit count; anything that does not fit an int is rejected. */
    private static int readDim(InputStream in, Path file, String what) throws IOException {
        int d = readInt(in, file, what);
        if (d < 0) {
            throw new IllegalArgumentException(file + ": " + what + " " + Integer.toUnsignedString(d) + " in the header is too large");
        }
        return d;
    }

    private static int readInt(InputStream in, Path file, String what) throws IOException {
        byte[] b = new byte[4];
        int got = readUpTo(in, b);
        if (got < 4) {
            throw new IllegalArgumentException(file + ": file ends inside the header while reading the " + what);
        }
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    /** Reads exactly {@code length} body bytes after a header of {@code header} bytes, and no more. */
    private static byte[] readBody(InputStream in, Path file, int header, int length) throws IOException {
        byte[] body = new byte[length];
        int got = readUpTo(in, body);
        if (got < length) {
            throw new IllegalArgumentException(file + ": truncated: header promises " + ((long) header + length)
                    + " bytes" + (isGzip(file) ? " (uncompressed)" : "")
                    + " but the file holds " + ((long) header + got));
        }
        // A plain read, not readUpTo: a gzip stream missing its trailer must fail, not pass unchecked.
        if (in.read() >= 0) {
            // Trailing data means the header does not describe the file: most likely the wrong file.
            throw new IllegalArgumentException(file + ": header promises " + ((long) header + length)
                    + " bytes but the file holds more");
        }
        return body;
    }

    /**
     * Reads until {@code dst} is full or the data ends. A gzip stream cut short ends with an
     * {@link EOFException}; that is treated as the end of the data so the caller can report
     * how many bytes there were.
     */
    private static int readUpTo(InputStream in, byte[] dst) throws IOException {
        int got = 0;
        try {
            while (got < dst.length) {
                int n = in.read(dst, got, dst.length - got);
                if (n < 0) break;
                got += n;
            }
        } catch (EOFException e) {
            // truncated gzip: report what was decompressed
        }
        return got;
    }

    private static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }
}
