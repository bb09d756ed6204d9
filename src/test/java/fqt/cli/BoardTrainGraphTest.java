package fqt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code ./fqt board train --model FILE.onnx}: an imported MobileNetV2-style graph (its ONNX file) fine-tuned on the
 * virtual M7 with partial updates; the last JSON line says bit_exact with both accuracies, and
 * {@code --loss mse} reports the reconstruction error of both instead.
 */
@Tag("qemu")
class BoardTrainGraphTest {
    @Test
    void anImportedGraphFineTunesBitExactOnTheBoard() {
        CliHelpTest.Run r = CliJsonTest.captured("board", "train", "--board", "m7", "--model", "src/test/resources/fixtures/mobilenet_v2_small.onnx",
                "--train-last", "4", "--precision", "uint8", "--lambda-min", "0.5", "--limit-train", "24",
                "--limit-test", "20", "--json");
        assertEquals(0, r.code(), r.err());
        JsonObject last = JsonParser.parseString(r.out().lines().reduce((a, b) -> b).orElseThrow()).getAsJsonObject();
        assertTrue(last.get("bit_exact").getAsBoolean(), r.out());
        assertEquals(last.get("sim_accuracy").getAsDouble(), last.get("device_accuracy").getAsDouble(), 0.0, r.out());

        CliHelpTest.Run ae = CliJsonTest.captured("board", "train", "--model", "autoencoder", "--loss", "mse", "--precision", "mixed",
                "--limit-train", "16", "--limit-test", "10", "--json");
        assertEquals(0, ae.code(), ae.err());
        JsonObject mse = JsonParser.parseString(ae.out().lines().reduce((a, b) -> b).orElseThrow()).getAsJsonObject();
        assertTrue(mse.get("bit_exact").getAsBoolean(), ae.out());
        assertEquals(mse.get("sim_mse").getAsDouble(), mse.get("device_mse").getAsDouble(), 0.0, ae.out());
    }
}
