package fqt.cli;

import fqt.data.DataSplit;
import fqt.data.Dataset;
import fqt.data.FashionMnist;
import fqt.data.MnistFamily;
import fqt.nn.Model;
import fqt.nn.Models;
import fqt.djl.Import;
import fqt.djl.ImportedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.IntStream;
import picocli.CommandLine.Option;

/** The data set and model of {@code ./fqt train} and {@code ./fqt sweep}. */
final class DataMixin {
    @Option(names = "--data", paramLabel = "NAME", defaultValue = "fashion-mnist",
            description = "fashion-mnist|mnist|kmnist|emnist-letters|emnist-digits (default: ${DEFAULT-VALUE})")
    String data;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "where the IDX files are (default: Debian's /usr/share/datasets/...)")
    Path dataDir;

    @Option(names = "--model", paramLabel = "NAME|FILE", defaultValue = "small-cnn",
            description = MODELS + ", or a TorchScript (.pt) or ONNX (.onnx) file to import (default: ${DEFAULT-VALUE})")
    String model;

    /** The ready-made models by name ({@code autoencoder}: 784-64-16, for {@code --loss mse}). */
    static final String MODELS = "small-cnn|mlp|resnet8|ds-cnn|mobilenet-v1|mobilenet-v2|autoencoder";

    @Option(names = "--input-shape", paramLabel = "N,C,H,W", split = ",", hideParamSyntax = true,
            description = "an imported model's input, batch first (default: 1 and the data's sample shape)")
    int[] inputShape;

    @Option(names = "--limit-train", paramLabel = "N", description = "use the first N training samples of a seeded shuffle (default: all)")
    int limitTrain;

    @Option(names = "--limit-test", paramLabel = "N", description = "the same for the test samples")
    int limitTest;

    DataSplit load() {
        return load(data, dataDir);
    }

    /** The training and test sets, each cut to its limit after a shuffle with {@code seed} and {@code seed + 1}. */
    DataSplit limited(DataSplit full, long seed) {
        return new DataSplit(limit(full.train(), limitTrain, seed), limit(full.test(), limitTest, seed + 1));
    }

    Model model(DataSplit data, long seed) {
        return model(model, inputShape, data, seed);
    }

    /**
     * A ready-made model by name, initialised from {@code seed}, or the float model of a TorchScript
     * or ONNX file (imported with {@code inputShape}, or 1 and the data's sample shape).
     */
    static Model model(String name, int[] inputShape, DataSplit data, long seed) {
        if (name.endsWith(".pt") || name.endsWith(".onnx")) {
            Path file = Path.of(name);
            if (!Files.isRegularFile(file)) throw new IllegalArgumentException("--model " + name + ": no such file");
            int[] shape = inputShape != null ? inputShape : IntStream.concat(IntStream.of(1), IntStream.of(data.shape())).toArray();
            try (ImportedModel fp = Import.file(file, Import.inputShape(shape))) {
                return fp.model();
            }
        }
        return switch (name) {
            case "small-cnn" -> Models.smallCnn(data.shape(), data.classes(), seed);
            case "mlp" -> Models.mlp(data.shape(), data.classes(), seed, 128, 64);
            case "resnet8" -> Models.resnet8(data.shape(), data.classes(), Models.RESNET8_WIDTH, seed);
            case "ds-cnn" -> Models.dsCnn(data.shape(), data.classes(), Models.DS_CNN_WIDTH, seed);
            case "mobilenet-v1" -> Models.mobileNetV1(data.shape(), data.classes(), Models.MOBILENET_V1_WIDTH, seed);
            case "mobilenet-v2" -> Models.mobileNetV2(data.shape(), data.classes(), Models.MOBILENET_V2_WIDTH, seed);
            case "autoencoder" -> Models.autoencoder(seed, Arrays.stream(data.shape()).reduce(1, (a, b) -> a * b), 64, 16);
            default -> throw new IllegalArgumentException("unknown model '" + name + "': use " + MODELS.replace("|", ", ") + ", a TorchScript file (.pt) or an ONNX file (.onnx)");
        };
    }

    static DataSplit load(String name, Path dir) {
        return switch (name) {
            case "fashion-mnist" -> dir == null ? FashionMnist.load() : FashionMnist.load(dir);
            case "mnist" -> MnistFamily.mnist(require(dir, name));
            case "kmnist" -> MnistFamily.kmnist(require(dir, name));
            case "emnist-letters" -> MnistFamily.emnistLetters(require(dir, name));
            case "emnist-digits" -> MnistFamily.emnistDigits(require(dir, name));
            default -> throw new IllegalArgumentException("unknown data set '" + name + "': use fashion-mnist, mnist, kmnist, emnist-letters or emnist-digits");
        };
    }

    private static Path require(Path p, String name) {
        if (p == null) throw new IllegalArgumentException("--data " + name + " needs --data-dir DIR with its IDX files");
        return p;
    }

    private static Dataset limit(Dataset d, int n, long seed) {
        if (n < 0) throw new IllegalArgumentException("--limit-train and --limit-test take a number of samples >= 0 (0: all), got " + n);
        return n > 0 && n < d.size() ? d.shuffled(seed).take(n) : d;
    }
}
