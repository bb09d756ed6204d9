package fqt.data;

import java.nio.file.Path;
import java.util.List;

/**
 * Fashion-MNIST (Zalando): 60000 training and 10000 test images of 1 x 28 x 28, 10 classes
 * ({@link #CLASS_NAMES}). {@link #load()} looks in the directory named by the environment
 * variable {@value #ENV} if it is set, otherwise where Debian's package
 * {@code dataset-fashion-mnist} installs the files ({@link #DEBIAN_DIR}).
 */
public final class FashionMnist {
    /** Where {@code apt-get install dataset-fashion-mnist} puts the four IDX files. */
    public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    /** Environment variable that may name a directory holding the four IDX files. */
    public static final String ENV = "FQT_FASHION_MNIST";
    /** Class names, indexed by label. */
    public static final List<String> CLASS_NAMES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private static final String[] FILES = {
        "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};
    private static final String HOW_TO_GET =
            "; install the Debian package dataset-fashion-mnist (apt-get install dataset-fashion-mnist), "
            + "pass the directory to FashionMnist.load(Path), or set " + ENV + " to it";

    private FashionMnist() {}

    /** Class names, indexed by label (same as {@link #CLASS_NAMES}). */
    public static List<String> classNames() {
        return CLASS_NAMES;
    }

    /** Loads from {@code $FQT_FASHION_MNIST} if set, else from {@link #DEBIAN_DIR}. */
    public static DataSplit load() {
        String env = System.getenv(ENV);
        Path dir = defaultDir(env);
        if (dir != DEBIAN_DIR && !java.nio.file.Files.isDirectory(dir)) {
            throw new IllegalArgumentException(ENV + "=" + env + " is not a directory" + HOW_TO_GET);
        }
        return load(dir);
    }

    /** Loads the four IDX files (each {@code .gz} or plain) from {@code dir}. */
    public static DataSplit load(Path dir) {
        Path[] f = MnistFamily.find("fashion-mnist", dir, FILES, HOW_TO_GET);
        return new DataSplit(
                Idx.dataset("fashion-mnist-train", f[0], f[1], 10),
                Idx.dataset("fashion-mnist-test", f[2], f[3], 10));
    }

    /** The directory {@link #load()} uses, given the value of {@value #ENV} (null or blank when unset). */
    static Path defaultDir(String env) {
        // An explicit setting wins over the system-wide copy, so a user can point at another version.
        return env == null || env.isBlank() ? DEBIAN_DIR : Path.of(env.trim());
    }
}
