package fqt.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loaders for the data sets stored like MNIST: four IDX files (train/test images and labels) in
 * one directory. Each file may be plain or gzip-compressed; a name is found with or without the
 * {@code .gz} suffix. Images become {@code 1 x 28 x 28} samples scaled to [0, 1].
 *
 * <ul>
 *   <li>{@link #mnist(Path)}, {@link #kmnist(Path)}: {@code train-images-idx3-ubyte[.gz]},
 *       {@code train-labels-idx1-ubyte[.gz]}, {@code t10k-images-idx3-ubyte[.gz]},
 *       {@code t10k-labels-idx1-ubyte[.gz]}, 10 classes.</li>
 *   <li>{@link #emnistLetters(Path)}, {@link #emnistDigits(Path)}: NIST's file names
 *       {@code emnist-letters-train-images-idx3-ubyte[.gz]} and so on. EMNIST stores images
 *       transposed (they are transposed back) and letters as labels 1..26 (shifted to 0..25).</li>
 * </ul>
 *
 * Fashion-MNIST has its own entry point, {@link FashionMnist}.
 */
public final class MnistFamily {
    private MnistFamily() {}

    /** MNIST handwritten digits, 10 classes. */
    public static DataSplit mnist(Path dir) {
        return load("mnist", dir, "", 10, 0, false);
    }

    /** Kuzushiji-MNIST (KMNIST) in its MNIST-format files, 10 classes. */
    public static DataSplit kmnist(Path dir) {
        return load("kmnist", dir, "", 10, 0, false);
    }

    /** EMNIST letters: 26 classes a..z (case merged), stored labels 1..26 mapped to 0..25. */
    public static DataSplit emnistLetters(Path dir) {
        return load("emnist-letters", dir, "emnist-letters-", 26, 1, true);
    }

    /** EMNIST digits, 10 classes. */
    public static DataSplit emnistDigits(Path dir) {
        return load("emnist-digits", dir, "emnist-digits-", 10, 0, true);
    }

    /**
     * The generic loader. File names are {@code prefix + "train-images-idx3-ubyte"} etc.; the test
     * files are called {@code t10k-*} for an empty prefix (MNIST's convention) and {@code test-*}
     * otherwise (EMNIST's). Stored labels are {@code labelOffset .. labelOffset + classes - 1};
     * {@code transpose} swaps rows and columns of every image.
     */
    public static DataSplit load(String name, Path dir, String prefix, int classes, int labelOffset, boolean transpose) {
        String test = prefix.isEmpty() ? "t10k" : "test";
        String[] names = {
            prefix + "train-images-idx3-ubyte", prefix + "train-labels-idx1-ubyte",
            prefix + test + "-images-idx3-ubyte", prefix + test + "-labels-idx1-ubyte"};
        Path[] files = find(name, dir, names, "");
        return new DataSplit(
                Idx.dataset(name + "-train", files[0], files[1], classes, labelOffset, transpose),
                Idx.dataset(name + "-test", files[2], files[3], classes, labelOffset, transpose));
    }

    /**
     * Resolves each base name in {@code dir} to {@code name} or {@code name.gz}; if any is missing,
     * fails naming every missing file, with {@code hint} appended (how to get the data).
     */
    static Path[] find(String dataset, Path dir, String[] names, String hint) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dataset + ": directory " + dir + " does not exist" + hint);
        }
        Path[] found = new Path[names.length];
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            Path plain = dir.resolve(names[i]), gz = dir.resolve(names[i] + ".gz");
            found[i] = Files.isRegularFile(gz) ? gz : Files.isRegularFile(plain) ? plain : null;
            if (found[i] == null) missing.add(names[i] + "[.gz]");
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(dataset + ": " + dir + " lacks " + String.join(", ", missing) + hint);
        }
        return found;
    }
}
