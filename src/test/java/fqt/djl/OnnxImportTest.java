package fqt.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import fqt.data.DataSplit;
import fqt.data.Dataset;
import fqt.nn.Layer;
import fqt.nn.Model;
import fqt.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ONNX files: the twins make_fixtures.py exported from the committed TorchScript fixtures, verified by DJL's ONNX Runtime engine. */
class OnnxImportTest {
    /** Every .pt fixture that has an ONNX twin and imports, by the name both share. */
    private static final List<String> TWINS = List.of("cnn_bn", "dw_separable", "mlp", "fashion_cnn", "resnet_small", "resnet_small_traced",
            "mobilenet_v2_small", "mobilenet_v2_small_traced", "autoencoder");

    /**
     * Both paths give the same toolkit model: the same layers on the same tensors, and the same
     * weights. Where a BatchNorm is folded (by the exporter into an ONNX Conv, by the toolkit on
     * the TorchScript path) the two computed the product in their own order: a few ulps apart;
     * every other weight is equal to the bit.
     */
    @Test
    void everyTorchScriptFixtureAndItsOnnxTwinGiveTheSameModel() {
        Dataset sample = TestData.fashionMnist().test().take(200);
        for (String name : TWINS) {
            try (ImportedModel pt = Import.torchScript(Fixtures.path(name + ".pt"), Fixtures.MNIST_INPUT);
                 ImportedModel onnx = Import.onnx(Fixtures.path(name + ".onnx"))) {
                Model a = pt.model(), b = onnx.model();
                assertEquals(kinds(a), kinds(b), name);
                assertEquals(Arrays.deepToString(a.inputs()), Arrays.deepToString(b.inputs()), name + ": the same edges");
                double worst = 0;
                for (int i = 0; i < a.layers().size(); i++) {
                    Layer la = a.layers().get(i), lb = b.layers().get(i);
                    assertEquals(Arrays.toString(la.outputShape()), Arrays.toString(lb.outputShape()), name + " layer " + i);
                    if (la.weights() == null) continue;
                    boolean folded = pt.architecture().stringColumn("source").get(i).contains("folded");
                    worst = Math.max(worst, compare(name + " layer " + i, la.weights().toFloat(), lb.weights().toFloat(), folded));
                    worst = Math.max(worst, compare(name + " layer " + i + " bias", la.weights().bias(), lb.weights().bias(), folded));
                }
                Verification v = onnx.verify(sample);
                System.out.printf("%s: %d layers alike, largest relative weight difference %.2g; ONNX Runtime vs toolkit: %s%n", name,
                        a.layers().size(), worst, v);
                assertTrue(v.passed(), name + ": " + v);
            }
        }
    }

    /** Acceptance: float accuracy = PyTorch's (0.2 point) and PTQ within 1 point, from the ONNX files of the graph fixtures. */
    @Test
    void graphModelsFromOnnxMatchPyTorchAndSurvivePtq() throws IOException {
        DataSplit data = TestData.fashionMnist();
        for (String name : new String[] {"resnet_small", "mobilenet_v2_small"}) {
            JsonObject record = GraphImportTest.record(name);
            Dataset test = data.test().take(record.get("subset_samples").getAsInt());
            try (ImportedModel fp = Import.onnx(Fixtures.path(name + ".onnx"))) {
                Verification v = fp.verify(test);
                PtqReport r = Quantize.ptq(fp).calibrate(data.train().take(500)).perTensor().build().report(test);
                double pytorch = record.get("subset_accuracy").getAsDouble();
                System.out.printf("%s.onnx: PyTorch %.4f, ONNX Runtime %.4f, toolkit float %.4f, uint8 %.4f%n", name, pytorch, v.djlAccuracy(),
                        v.importedAccuracy(), r.quantizedAccuracy());
                assertEquals(pytorch, v.importedAccuracy(), 0.002, name);
                assertTrue(r.accuracyDropPoints() < 1.0, name + ": " + r);
            }
        }
        JsonObject record = GraphImportTest.record("autoencoder");
        Dataset test = data.test().take(record.get("subset_samples").getAsInt());
        try (ImportedModel fp = Import.onnx(Fixtures.path("autoencoder.onnx"))) {
            assertTrue(fp.verify(test).passed());
            assertEquals(record.get("subset_mse").getAsDouble(), fp.meanSquaredError(test), 0.01 * record.get("subset_mse").getAsDouble());
        }
    }

    @Test
    void unsupportedNodesAreNamedWithOpTypeAndOpset() {
        String[][] cases = {
            {"unsupported_op", "(Sigmoid, opset 13)"},
            {"graph_unsupported_op", "(Mul, opset 13)"},
            {"graph_add_alpha", "(Mul, opset 13)"},
            {"graph_bn_after_add", "cannot be folded"},
        };
        for (String[] c : cases) {
            ImportException e = assertThrows(ImportException.class, () -> Import.onnx(Fixtures.path(c[0] + ".onnx")).close(), c[0]);
            System.out.println(c[0] + ": " + e.getMessage());
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
        }
    }

    @Test
    void corruptTruncatedAndForeignFilesAreRefusedNamingTheFile(@TempDir Path dir) throws IOException {
        byte[] good = Files.readAllBytes(Fixtures.path("dw_separable.onnx"));
        Path truncated = dir.resolve("truncated.onnx");
        Files.write(truncated, Arrays.copyOf(good, good.length / 2));
        Path text = dir.resolve("notes.onnx");
        Files.writeString(text, "these are my notes, not a model\n");
        Path torch = Fixtures.path("dw_separable.pt");
        for (Path p : new Path[] {truncated, text, torch, dir.resolve("missing.onnx")}) {
            ImportException e = assertThrows(ImportException.class, () -> Import.onnx(p).close(), p.toString());
            System.out.println(e.getMessage());
            assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        }
    }

    private static double compare(String what, float[] a, float[] b, boolean folded) {
        assertEquals(a.length, b.length, what);
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            if (!folded) {
                assertEquals(Float.floatToIntBits(a[i]), Float.floatToIntBits(b[i]), what + "[" + i + "]: " + a[i] + " vs " + b[i]);
                continue;
            }
            double rel = Math.abs(a[i] - b[i]) / Math.max(Math.abs(a[i]), 1e-6);
            worst = Math.max(worst, rel);
            assertTrue(rel < 1e-5, what + "[" + i + "]: " + a[i] + " vs " + b[i]);
        }
        return worst;
    }

    private static String kinds(Model m) {
        return String.join(" ", m.layers().stream().map(Layer::kind).toList());
    }
}
