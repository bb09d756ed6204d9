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

    @Test
    void unknownLossIsNamed() {
        CliHelpTest.Run r = CliJsonTest.captured("import", FIXTURES.resolve("autoencoder.pt").toString(), "--input-shape", "1,1,28,28",
                "--loss", "huber");
        assertTrue(r.code() != 0);
        assertTrue(r.err().contains("huber"), r.err());
    }
}
