package fqt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code ./fqt import}: a reconstruction model reports MSE, a classifier accuracy (fixtures of data/fixtures/make_fixtures.py). */
class ImportCommandTest {
    private static final Path FIXTURES = Path.of("src/test/resources/fixtures");

    @Test
    void autoencoderPrintsFloatAndQuantizedMse() throws IOException {
        CliHelpTest.Run r = CliJsonTest.captured("import", FIXTURES.resolve("autoencoder.pt").toString(), "--input-shape", "1,1,28,28",
                "--loss", "mse", "--evaluate", "fashion-mnist", "--ptq", "--json");
        assertEquals(0, r.code(), r.err());
        JsonObject o = JsonParser.parseString(r.out().strip()).getAsJsonObject();
        double pytorch = JsonParser.parseString(Files.readString(FIXTURES.resolve("autoencoder.json"))).getAsJsonObject().get("test_mse").getAsDouble();
        double fp = o.get("float_mse").getAsDouble(), q = o.get("quantized_mse").getAsDouble();
        System.out.println(r.out());
        assertEquals(pytorch, fp, 0.01 * pytorch, "the whole test set, as PyTorch measured it");
        assertTrue(q <= 1.5 * fp, r.out());
        assertFalse(o.has("float_accuracy"), r.out());
        assertFalse(o.has("quantized_accuracy"), r.out());
    }

    @Test
    void classifierKeepsAccuracies() {
        CliHelpTest.Run r = CliJsonTest.captured("import", FIXTURES.resolve("resnet_small.pt").toString(), "--input-shape", "1,1,28,28",
                "--evaluate", "fashion-mnist", "--ptq", "--calibration", "200", "--json");
        assertEquals(0, r.code(), r.err());
        JsonObject o = JsonParser.parseString(r.out().strip()).getAsJsonObject();
        assertTrue(o.get("layers").getAsString().contains("Add"), r.out());
        assertTrue(o.get("float_accuracy").getAsDouble() > 0.8, r.out());
        assertTrue(o.get("quantized_accuracy").getAsDouble() > 0.8, r.out());
        assertFalse(o.has("float_mse"), r.out());
    }

    /** The same model as TorchScript and as ONNX: the same JSON fields, the same figures (both files hold the same weights). */
    @Test
    void anOnnxFileReportsWhatItsTorchScriptTwinReports() throws IOException {
        String[] common = {"--verify", "--evaluate", "fashion-mnist", "--ptq", "--json"}; // the README's command
        CliHelpTest.Run pt = CliJsonTest.captured(concat(new String[] {"import", FIXTURES.resolve("fashion_cnn.pt").toString(), "--input-shape", "1,1,28,28"}, common));
        CliHelpTest.Run onnx = CliJsonTest.captured(concat(new String[] {"import", FIXTURES.resolve("fashion_cnn.onnx").toString()}, common));
        assertEquals(0, onnx.code(), onnx.err());
        JsonObject a = JsonParser.parseString(pt.out().strip()).getAsJsonObject(), b = JsonParser.parseString(onnx.out().strip()).getAsJsonObject();
        System.out.println(onnx.out());
        assertEquals(a.keySet(), b.keySet());
        for (String k : new String[] {"input_shape", "layers", "float_accuracy", "quantized_accuracy", "djl_accuracy"}) assertEquals(a.get(k), b.get(k), k);
        double pytorch = JsonParser.parseString(Files.readString(FIXTURES.resolve("fashion_cnn.json"))).getAsJsonObject().get("test_accuracy").getAsDouble();
        fqt.djl.OnnxImportTest.assertReadmeRow("fashion_cnn.onnx", b.get("verify_samples").getAsInt(), pytorch, b.get("djl_accuracy").getAsDouble(),
                b.get("float_accuracy").getAsDouble(), b.get("quantized_accuracy").getAsDouble());
    }

    /** Bad ONNX input at the command line: one line naming the problem, no stack trace. */
    @Test
    void badOnnxFilesGetOneLine(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path notes = Files.writeString(dir.resolve("notes.onnx"), "not a model\n");
        for (String[] c : new String[][] {
            {notes.toString(), "not a readable ONNX model"},
            {FIXTURES.resolve("unsupported_op.onnx").toString(), "(Sigmoid, opset 13)"},
            {FIXTURES.resolve("fashion_cnn.pt").toString(), "--input-shape"},
        }) {
            CliHelpTest.Run r = CliJsonTest.captured("import", c[0]);
            assertTrue(r.code() != 0, c[0]);
            assertTrue(r.err().contains(c[1]) && r.err().strip().lines().count() == 1 && !r.err().contains("\tat "), r.err());
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Test
    void unknownLossIsNamed() {
        CliHelpTest.Run r = CliJsonTest.captured("import", FIXTURES.resolve("autoencoder.pt").toString(), "--input-shape", "1,1,28,28",
                "--loss", "huber");
        assertTrue(r.code() != 0);
        assertTrue(r.err().contains("huber"), r.err());
    }
}
