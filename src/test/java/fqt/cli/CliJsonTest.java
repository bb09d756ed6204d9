package fqt.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CliJsonTest {
    @Test
    void floatsPrintAsTypedDoublesAsTheyAreNonFiniteAsNull() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lr", 0.05f);
        m.put("small", 1e-4f);
        m.put("acc", 0.8234);
        m.put("nan", Double.NaN);
        m.put("fnan", Float.NaN);
        m.put("inf", Double.POSITIVE_INFINITY);
        m.put("n", 16);
        m.put("big", 123456789012L);
        m.put("ok", true);
        m.put("text", "a \"quoted\"\nline");
        m.put("layer", "Linear 784->64 <&>");
        m.put("none", null);
        assertEquals("{\"lr\": 0.05, \"small\": 1.0E-4, \"acc\": 0.8234, \"nan\": null, \"fnan\": null, \"inf\": null, \"n\": 16, "
                + "\"big\": 123456789012, \"ok\": true, \"text\": \"a \\\"quoted\\\"\\nline\", \"layer\": \"Linear 784->64 <&>\", \"none\": null}", Json.object(m));
        JsonObject back = JsonParser.parseString(Json.object(m)).getAsJsonObject();
        assertEquals(0.05f, back.get("lr").getAsFloat());
        assertEquals("a \"quoted\"\nline", back.get("text").getAsString());
    }

    /** {@code --model FILE.pt}: an imported graph trains from the command line (quantized first, its last layers only). */
    @Test
    void trainTakesAnImportedGraph() {
        CliHelpTest.Run r = captured("train", "--model", "src/test/resources/fixtures/resnet_small.pt", "--input-shape", "1,1,28,28",
                "--train-last", "2", "--limit-train", "64", "--limit-test", "100", "--json", "--quiet");
        assertEquals(0, r.code(), r.err());
        JsonObject result = JsonParser.parseString(r.out().lines().reduce((a, b) -> b).orElseThrow()).getAsJsonObject();
        assertTrue(result.get("test_accuracy").getAsDouble() > 0.6, r.out()); // the pretrained graph's features serve at once
        CliHelpTest.Run mse = captured("train", "--model", "autoencoder", "--loss", "mse", "--limit-train", "64", "--limit-test", "32", "--json", "--quiet");
        assertEquals(0, mse.code(), mse.err());
        assertTrue(mse.out().contains("\"test_mse\"") && !mse.out().contains("test_accuracy"), mse.out());
        CliHelpTest.Run missing = captured("train", "--model", "nothing.pt", "--json", "--quiet");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("nothing.pt: no such file"), missing.err());
    }

    /** {@code bench curve}: one row per network and batch, its size from the model's summary, and the plot as a PNG. */
    @Test
    void benchCurvePrintsARowPerNetworkAndBatchAndSavesItsPlot(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path png = dir.resolve("curve.png");
        CliHelpTest.Run r = captured("bench", "curve", "--models", "small-cnn,ds-cnn", "--batch", "1,4", "--samples", "40", "--warmup", "8",
                "--plot", png.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        List<JsonObject> rows = r.out().lines().map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
        assertEquals(4, rows.size(), r.out());
        assertEquals(List.of("small-cnn/1", "small-cnn/4", "ds-cnn/1", "ds-cnn/4"),
                rows.stream().map(o -> o.get("model").getAsString() + "/" + o.get("batch").getAsInt()).toList());
        long cnnMacs = (long) fqt.nn.Models.smallCnn(new int[] {1, 28, 28}, 10).summary().longColumn("forward_macs").sum();
        assertEquals(cnnMacs, rows.get(0).get("forward_macs").getAsLong());
        for (JsonObject o : rows) assertTrue(o.get("samples_per_second").getAsDouble() > 0, o.toString());
        byte[] head = java.util.Arrays.copyOf(java.nio.file.Files.readAllBytes(png), 4);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, head, "a PNG image");
        CliErrorsTest.assertOneLineError(CliHelpTest.run("bench", "curve", "--models", "vgg"), "no reference architecture 'vgg'");
    }

    @Test
    void trainPrintsOneJsonObjectPerEpochThenTheResult() {
        CliHelpTest.Run r = captured("train", "--model", "mlp", "--limit-train", "64", "--limit-test", "32", "--epochs", "2", "--lr", "0.02",
                "--json", "--quiet");
        assertEquals(0, r.code(), r.err());
        List<JsonObject> lines = r.out().lines().map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
        assertEquals(3, lines.size(), r.out());
        assertEquals(2, lines.get(1).get("epoch").getAsInt());
        JsonObject result = lines.get(2);
        assertTrue(result.get("result").getAsBoolean());
        assertTrue(r.out().lines().toList().get(2).contains("\"lr\": 0.02,"), r.out());
        assertEquals("sgd(0.02)", result.get("optimizer").getAsString());
        assertEquals(64, result.get("train_samples").getAsInt());
        double acc = result.get("test_accuracy").getAsDouble();
        assertTrue(acc >= 0 && acc <= 1, r.out());
    }

    /** The commands print with System.out (as ./fqt does): capture it for one run. */
    static CliHelpTest.Run captured(String... args) {
        var before = System.out;
        var bytes = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(bytes, true));
        try {
            CliHelpTest.Run r = CliHelpTest.run(args);
            return new CliHelpTest.Run(r.code(), bytes.toString(), r.err());
        } finally {
            System.setOut(before);
        }
    }
}
