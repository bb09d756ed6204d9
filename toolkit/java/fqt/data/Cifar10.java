package fqt.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CIFAR-10 in its binary version ({@code cifar-10-binary.tar.gz} from
 * https://www.cs.toronto.edu/~kriz/cifar.html): files {@code data_batch_1.bin} ..
 * {@code data_batch_5.bin} and {@code test_batch.bin}, each a sequence of 3073-byte records:
 * one label byte 0..9, then 3 x 32 x 32 pixel bytes, red plane, green plane, blue plane, each
 * row-major. That is already channel-height-width order, so samples are {@code 3 x 32 x 32},
 * scaled to [0, 1]. Note the float32 training set takes 50000 x 3072 x 4 bytes = 614 MB of heap.
 */
public final class Cifar10 {
    /** Bytes per record: label byte plus 3 x 32 x 32 pixels. */
    public static final int RECORD = 1 + 3 * 32 * 32;
    /** Class names, indexed by label. */
    public static final List<String> CLASS_NAMES = List.of(
            "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

    private static final String[] TRAIN = {
        "data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"};
    private static final String TEST = "test_batch.bin";

    private Cifar10() {}

    /**
     * Loads the five training batches and the test batch from {@code dir}, or from its
     * subdirectory {@code cifar-10-batches-bin} (what the archive unpacks to) if the files are there.
     */
    public static DataSplit load(Path dir) {
        Path sub = dir.resolve("cifar-10-batches-bin");
        if (!Files.isRegularFile(dir.resolve(TEST)) && Files.isDirectory(sub)) dir = sub;
        List<String> missing = new ArrayList<>();
        Path[] train = new Path[TRAIN.length];
        for (int i = 0; i < TRAIN.length; i++) {
            train[i] = dir.resolve(TRAIN[i]);
            if (!Files.isRegularFile(train[i])) missing.add(TRAIN[i]);
        }
        Path test = dir.resolve(TEST);
        if (!Files.isRegularFile(test)) missing.add(TEST);
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("cifar-10: " + dir + " lacks " + String.join(", ", missing)
                    + "; unpack cifar-10-binary.tar.gz from https://www.cs.toronto.edu/~kriz/cifar.html there");
        }
        return new DataSplit(read("cifar-10-train", train), read("cifar-10-test", test));
    }

    /** Reads and concatenates the records of the given batch files, in order. */
    public static Dataset read(String name, Path... files) {
        long total = 0;
        for (Path f : files) {
            long size = size(f);
            if (size % RECORD != 0) {
                long whole = size / RECORD;
                throw new IllegalArgumentException(f + ": " + size + " bytes is not a whole number of " + RECORD
                        + "-byte records: record " + whole + " is truncated, expected " + (whole + 1) * RECORD
                        + " bytes, got " + size);
            }
            total += size / RECORD;
        }
        if (total * (RECORD - 1) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + ": " + total + " records are too many to hold in one array");
        }
        int n = (int) total, px = RECORD - 1;
        float[] features = new float[n * px];
        int[] labels = new int[n];
        int k = 0;
        for (Path f : files) {
            byte[] b = readAll(f);
            for (int off = 0; off < b.length; off += RECORD, k++) {
                int label = b[off] & 0xff;
                if (label >= CLASS_NAMES.size()) {
                    throw new IllegalArgumentException(f + ": record " + off / RECORD + " has label " + label
                            + ", expected 0..9 (is this the CIFAR-100 file?)");
                }
                labels[k] = label;
                int dst = k * px;
                for (int i = 0; i < px; i++) features[dst + i] = (b[off + 1 + i] & 0xff) / 255f;
            }
        }
        return new Dataset(name, new int[] {3, 32, 32}, CLASS_NAMES.size(), features, labels);
    }

    private static long size(Path f) {
        if (!Files.isRegularFile(f)) {
            throw new UncheckedIOException("cifar-10: batch file not found: " + f, new java.nio.file.NoSuchFileException(f.toString()));
        }
        try {
            return Files.size(f);
        } catch (IOException e) {
            throw new UncheckedIOException("cifar-10: cannot read " + f + ": " + e, e);
        }
    }

    private static byte[] readAll(Path f) {
        try {
            return Files.readAllBytes(f);
        } catch (IOException e) {
            throw new UncheckedIOException("cifar-10: cannot read " + f + ": " + e, e);
        }
    }
}
