package fqt.djl;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import fqt.nn.Conv2d;
import fqt.nn.Flatten;
import fqt.nn.Linear;
import fqt.nn.MaxPool2d;
import fqt.nn.Model;
import fqt.nn.ReLU;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every way an import can fail is an {@link ImportException} that says what and where; none crashes the JVM. */
class BadInputTest {
    @TempDir
    Path dir;

    @Test
    void truncatedFile() throws IOException {
        byte[] b = Files.readAllBytes(Fixtures.path("cnn_bn.pt"));
        Path f = write("truncated.pt", Arrays.copyOf(b, b.length / 2));
        assertMessage(() -> Import.torchScript(f, Fixtures.MNIST_INPUT), "truncated.pt", "truncated or corrupt");
    }

    @Test
    void corruptFileAndNotAZipAtAll() throws IOException {
        byte[] b = Files.readAllBytes(Fixtures.path("cnn_bn.pt"));
        for (int i = 0; i < b.length; i += 97) b[i] ^= 0x5A;
        Path corrupt = write("corrupt.pt", b);
        assertMessage(() -> Import.torchScript(corrupt, Fixtures.MNIST_INPUT), "corrupt.pt", "not a readable TorchScript file");
        Path text = write("text.pt", "not a model".getBytes(StandardCharsets.UTF_8));
        assertMessage(() -> Import.torchScript(text, Fixtures.MNIST_INPUT), "text.pt", "not a readable TorchScript file");
        assertMessage(() -> Import.torchScript(dir.resolve("missing.pt"), Fixtures.MNIST_INPUT), "missing.pt", "no such file");
    }

    /** One flipped byte inside a tensor's storage: the zip still opens, the entry's CRC names it. */
    @Test
    void oneFlippedByteInATensorIsRefusedNamingTheEntry() throws IOException {
        Path original = Fixtures.path("cnn_bn.pt");
        byte[] b = Files.readAllBytes(original);
        String name;
        byte[] data;
        try (ZipFile zip = new ZipFile(original.toFile())) {
            ZipEntry e = zip.stream().filter(z -> z.getName().matches(".*/data/\\d+") && z.getSize() > 64).findFirst().orElseThrow();
            name = e.getName();
            data = zip.getInputStream(e).readAllBytes();
        }
        int at = indexOf(b, data); // stored uncompressed: the storage's bytes are in the file as they are
        assertTrue(at > 0, "found " + name + " in the file");
        b[at + data.length / 2] ^= 0x01;
        Path f = write("flipped.pt", b);
        assertMessage(() -> Import.torchScript(f, Fixtures.MNIST_INPUT), "flipped.pt", name + " is corrupt");
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }

    @Test
    void truncatedPickleInsideAValidZip() throws IOException {
        Path f = rewrite("bad_pickle.pt", "data.pkl", b -> Arrays.copyOf(b, b.length - 40));
        assertMessage(() -> Import.torchScript(f, Fixtures.MNIST_INPUT), "data.pkl", "truncated");
    }

    @Test
    void codeThatLibtorchRejectsIsAnErrorNotACrash() throws IOException {
        Path f = rewrite("bad_code.pt", "code/__torch__/torch/nn/modules/linear.py",
                b -> new String(b, StandardCharsets.UTF_8).replace("torch.linear(", "torch.no_such_op(").getBytes(StandardCharsets.UTF_8));
        assertMessage(() -> Import.torchScript(f, Fixtures.MNIST_INPUT), "bad_code.pt", "cannot load");
    }

    @Test
    void checkpointWithoutCodeIsNotTorchScript() throws IOException {
        Path f = rewrite("checkpoint.pt", "code/", null);
        assertMessage(() -> Import.torchScript(f, Fixtures.MNIST_INPUT), "checkpoint.pt", "not TorchScript");
    }

    @Test
    void unsupportedOperatorIsNamed() {
        assertMessage(() -> Import.torchScript(Fixtures.path("unsupported_op.pt"), Fixtures.MNIST_INPUT),
                "unsupported operator torch.sigmoid", "'3' Sigmoid", "activation.py");
    }

    @Test
    void missingBatchNormStatisticsSayWhatToExport() {
        assertMessage(() -> Import.torchScript(Fixtures.path("bn_no_stats.pt"), Fixtures.MNIST_INPUT),
                "'1' BatchNorm2d", "without running statistics", "folded");
    }

    @Test
    void declaredArchitectureThatDoesNotFitNamesLayerAndShapes() {
        Path f = Fixtures.path("fashion_cnn.pt");
        assertMessage(() -> Import.torchScript(f, Fixtures.MNIST_INPUT, smallCnn(5)),
                "layer 3 (Conv2d 8->16 5x5 p2)", "expects weight [16, 8, 5, 5]", "'4.weight' is [16, 8, 3, 3]");
        Model tooShort = Model.of(new int[] {1, 28, 28}, new Conv2d(1, 8, 3, 1, 1), new ReLU(), new MaxPool2d(2),
                new Conv2d(8, 16, 3, 1, 1), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(784, 64));
        assertMessage(() -> Import.torchScript(f, Fixtures.MNIST_INPUT, tooShort), "has no layer for", "'12.weight' [10, 64], '12.bias' [10]");
    }

    @Test
    void unsupportedDjlBlockIsNamedWithItsPosition() {
        Torch.engine();
        try (NDManager manager = NDManager.newBaseManager(Torch.ENGINE)) {
            SequentialBlock block = DjlModels.smallCnn(1, 28, 28, 10);
            block.add(new SequentialBlock().add(Activation.sigmoidBlock()));
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 28, 28));
            assertMessage(() -> Import.djl(block, Fixtures.MNIST_INPUT), "block 10.0", "LambdaBlock named 'sigmoid'");
        }
    }

    /** The fashion CNN's layers without its BatchNorms, second convolution {@code kernel} wide. */
    static Model smallCnn(int kernel) {
        return Model.of(new int[] {1, 28, 28}, new Conv2d(1, 8, 3, 1, 1), new ReLU(), new MaxPool2d(2),
                new Conv2d(8, 16, kernel, 1, kernel / 2), new ReLU(), new MaxPool2d(2), new Flatten(),
                new Linear(784, 64), new ReLU(), new Linear(64, 10));
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String... parts) {
        ImportException e = assertThrows(ImportException.class, call);
        System.out.println(e.getMessage());
        for (String p : parts) assertTrue(e.getMessage().contains(p), "'" + p + "' missing in: " + e.getMessage());
    }

    private Path write(String name, byte[] b) throws IOException {
        return Files.write(dir.resolve(name), b);
    }

    /**
     * A copy of cnn_bn.pt with the entries whose name ends in (or, for a folder, contains) {@code entry}
     * changed by {@code change}, or left out when it is null; entries stay uncompressed as libtorch wants.
     */
    private Path rewrite(String name, String entry, UnaryOperator<byte[]> change) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipFile in = new ZipFile(Fixtures.path("cnn_bn.pt").toFile()); ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (ZipEntry e : java.util.Collections.list(in.entries())) {
                byte[] b = in.getInputStream(e).readAllBytes();
                boolean hit = entry.endsWith("/") ? e.getName().contains("/" + entry) : e.getName().endsWith("/" + entry);
                if (hit && change == null) continue;
                if (hit) b = change.apply(b);
                ZipEntry copy = new ZipEntry(e.getName());
                copy.setMethod(ZipEntry.STORED);
                copy.setSize(b.length);
                CRC32 crc = new CRC32();
                crc.update(b);
                copy.setCrc(crc.getValue());
                out.putNextEntry(copy);
                out.write(b);
                out.closeEntry();
            }
        }
        return write(name, bytes.toByteArray());
    }
}
