package fqt.djl;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import fqt.data.DataSplit;
import fqt.data.Dataset;
import fqt.nn.Layer;
import fqt.nn.Model;
import fqt.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TorchScriptImportTest {

    /** Acceptance: the PyTorch-trained CNN's outputs equal DJL's within 1e-4; its accuracy equals PyTorch's to 0.1 point. */
    @Test
    void fashionCnnTrainedInPyTorchArrivesUnchanged() throws IOException {
        JsonObject record = JsonParser.parseString(Files.readString(Fixtures.path("fashion_cnn.json"))).getAsJsonObject();
        DataSplit data = TestData.fashionMnist();
        try (ImportedModel fp = Import.torchScript(Fixtures.path("fashion_cnn.pt"), Fixtures.MNIST_INPUT)) {
            Verification v = fp.verify(data.test());
            double pytorch = record.get("test_accuracy").getAsDouble();
            System.out.println(fp + "verify: " + v + "\nPyTorch's test accuracy (fashion_cnn.json): " + pytorch);
            assertEquals(10_000, v.samples());
            assertTrue(v.maxAbsDiff() <= 1e-4, v.toString());
            assertEquals(pytorch, v.importedAccuracy(), 0.001, "toolkit vs PyTorch test accuracy");
            assertEquals(v.djlAccuracy(), v.importedAccuracy(), 0.001);

            // The logits PyTorch 1.13 itself printed for the first two test images: a check that does not go through DJL.
            JsonArray logits = record.getAsJsonArray("first_test_logits");
            for (int s = 0; s < logits.size(); s++) {
                float[] mine = fp.model().forward(data.test().sample(s), floatContext());
                for (int o = 0; o < mine.length; o++) {
                    // float32 sums in another order: about 1e-6 here, far below the 1e-4 the import promises.
                    assertEquals(logits.get(s).getAsJsonArray().get(o).getAsDouble(), mine[o], 1e-4, "sample " + s + " output " + o);
                }
            }
        }
    }

    @Test
    void scriptedTracedAndFunctionalModelsMatchDjl() {
        Dataset sample = TestData.fashionMnist().test().take(300);
        // kinds of the toolkit layers each fixture must become; BatchNorms are folded away
        String[][] expected = {
            {"cnn_bn.pt", "Conv2d ReLU MaxPool2d Conv2d ReLU MaxPool2d Flatten Linear ReLU Linear"},
            {"dw_separable.pt", "Conv2d ReLU DepthwiseConv2d ReLU Conv2d ReLU GlobalAvgPool2d Flatten Linear"},
            {"mlp.pt", "Flatten Linear ReLU Linear"},
        };
        for (String[] e : expected) {
            try (ImportedModel fp = Import.torchScript(Fixtures.path(e[0]), Fixtures.MNIST_INPUT)) {
                Verification v = fp.verify(sample);
                System.out.println(e[0] + ": " + v);
                assertEquals(e[1], kinds(fp.model()), e[0]);
                assertEquals(sample.size(), v.sameClass(), e[0]);
            }
        }
    }

    @Test
    void depthwiseBlockKeepsStrideAndGroups() {
        try (ImportedModel fp = Import.torchScript(Fixtures.path("dw_separable.pt"), Fixtures.MNIST_INPUT)) {
            fqt.nn.Conv2d dw = (fqt.nn.Conv2d) fp.model().layer(2);
            assertEquals(8, dw.geometry().groups());
            assertEquals(2, dw.geometry().stride());
            assertEquals(1, dw.geometry().pad());
            assertTrue(fp.architecture().stringColumn("source").get(2).contains("'dw_bn' BatchNorm2d"), fp.toString());
        }
    }

    /** Acceptance: PTQ to uint8 stays within 1 point of float on the PyTorch-trained CNN. */
    @Test
    void ptqToUint8StaysWithinOnePointOfFloat() {
        DataSplit data = TestData.fashionMnist();
        try (ImportedModel fp = Import.torchScript(Fixtures.path("fashion_cnn.pt"), Fixtures.MNIST_INPUT)) {
            QuantizedModel q = Quantize.ptq(fp).calibrate(data.train().take(500)).perTensor().build();
            PtqReport r = q.report(data.test());
            System.out.println(r);
            assertTrue(q.model().quantized());
            assertTrue(r.accuracyDropPoints() < 1.0, r.toString());
            assertEquals(r.quantizedAccuracy(), q.evaluate(data.test()), 0.0, "evaluate and report run the same uint8 forward");
            assertEquals(fp.model().layers().size(), r.layers().rowCount());
            // Per-channel ranges can only shrink a tensor's weight error: each channel's range lies inside the tensor's.
            for (int i = 0; i < r.layers().rowCount(); i++) {
                double perTensor = r.layers().doubleColumn("weight_rmse").getDouble(i);
                if (!Double.isNaN(perTensor)) assertTrue(r.layers().doubleColumn("weight_rmse_per_channel").getDouble(i) <= perTensor);
            }
        }
    }

    @Test
    void percentileCalibrationNarrowsTheFeatureRanges() {
        DataSplit data = TestData.fashionMnist();
        try (ImportedModel fp = Import.torchScript(Fixtures.path("fashion_cnn.pt"), Fixtures.MNIST_INPUT)) {
            Dataset calibration = data.train().take(300);
            QuantizedModel minMax = Quantize.ptq(fp).calibrate(calibration).minMax().build();
            QuantizedModel pct = Quantize.ptq(fp).calibrate(calibration).percentile(99.9).build();
            assertTrue(pct.model().layer(0).outputParams().scale() < minMax.model().layer(0).outputParams().scale());
            double a = pct.evaluate(data.test().take(2000)), b = minMax.evaluate(data.test().take(2000));
            System.out.printf("2000 test samples: min/max %.4f, 99.9 percentile %.4f%n", b, a);
            assertTrue(Math.abs(a - b) < 0.02);
        }
    }

    @Test
    void declaredArchitectureTakesTheParametersInOrder() {
        Dataset sample = TestData.fashionMnist().test().take(300);
        try (ImportedModel fp = Import.torchScript(Fixtures.path("fashion_cnn.pt"), Fixtures.MNIST_INPUT, BadInputTest.smallCnn(3))) {
            Verification v = fp.verify(sample);
            assertEquals(sample.size(), v.sameClass());
            assertEquals("'0' + '1' folded", fp.architecture().stringColumn("source").get(0));
        }
    }

    private static String kinds(Model m) {
        return String.join(" ", m.layers().stream().map(Layer::kind).toList());
    }

    private static fqt.nn.Context floatContext() {
        fqt.nn.Context c = new fqt.nn.Context(fqt.nn.Precision.FLOAT32, fqt.quant.Rounding.NEAREST, fqt.nn.ErrorRange.EXACT, 0f, 0f, null);
        c.training = false;
        return c;
    }
}
