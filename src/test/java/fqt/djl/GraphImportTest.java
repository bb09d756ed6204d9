package fqt.djl;

import ai.djl.basicmodelzoo.cv.classification.ResNetV1;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import fqt.data.DataSplit;
import fqt.data.Dataset;
import fqt.nn.Layer;
import fqt.nn.Model;
import fqt.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TorchScript graphs: residual adds, inverted residuals with ReLU6, an autoencoder (make_fixtures.py, "Graph fixtures"). */
class GraphImportTest {

    /** Acceptance: the ResNet-style and MobileNetV2-style nets import; float accuracy = PyTorch's (0.2 point), PTQ within 1 point. */
    @Test
    void residualClassifiersMatchPyTorchAndSurvivePtq() throws IOException {
        DataSplit data = TestData.fashionMnist();
        String[][] expected = {
            {"resnet_small", "Conv2d ReLU Conv2d ReLU Conv2d Add ReLU Conv2d ReLU Conv2d Conv2d Add ReLU Conv2d ReLU Conv2d Conv2d Add ReLU"
                    + " GlobalAvgPool2d Flatten Linear"},
            {"mobilenet_v2_small", null},
        };
        for (String[] e : expected) {
            JsonObject record = record(e[0]);
            int n = record.get("subset_samples").getAsInt();
            Dataset test = data.test().take(n);
            try (ImportedModel fp = Import.torchScript(Fixtures.path(e[0] + ".pt"), Fixtures.MNIST_INPUT)) {
                Model m = fp.model();
                assertFalse(m.sequential(), e[0]);
                if (e[1] != null) assertEquals(e[1], kinds(m), e[0]);
                Verification v = fp.verify(test);
                double pytorch = record.get("subset_accuracy").getAsDouble();
                QuantizedModel q = Quantize.ptq(fp).calibrate(data.train().take(500)).perTensor().build();
                PtqReport r = q.report(test);
                System.out.printf("%s%sverify: %s%nPyTorch %.4f, toolkit float %.4f, uint8 %.4f%n", fp, "", v, pytorch, v.importedAccuracy(),
                        r.quantizedAccuracy());
                assertTrue(v.maxAbsDiff() <= 1e-4, v.toString());
                assertEquals(pytorch, v.importedAccuracy(), 0.002, e[0] + ": toolkit vs PyTorch float accuracy");
                assertEquals(v.importedAccuracy(), r.floatAccuracy(), 0.0);
                assertTrue(r.accuracyDropPoints() < 1.0, e[0] + ": " + r);
                assertEquals(r.quantizedAccuracy(), q.evaluate(test), 0.0);
            }
        }
    }

    @Test
    void mobileNetBlocksBecomeClampsAndAddsWithEveryBatchNormFolded() {
        try (ImportedModel fp = Import.torchScript(Fixtures.path("mobilenet_v2_small.pt"), Fixtures.MNIST_INPUT)) {
            Model m = fp.model();
            String k = kinds(m);
            assertEquals(3, count(m, "Add"), k);
            assertTrue(k.startsWith("Conv2d Clamp Conv2d Clamp DepthwiseConv2d Clamp Conv2d Add"), k);
            assertTrue(k.endsWith("Conv2d Clamp GlobalAvgPool2d Flatten Linear"), k);
            assertTrue(fp.toString().contains("ReLU6"), fp.toString());
            // The first block's add reads the stem's ReLU6 (a fan-out) and the project conv.
            Layer add = m.layers().stream().filter(l -> l.kind().equals("Add")).findFirst().orElseThrow();
            assertEquals(2, m.readers(add.inputs()[0]).length, Arrays.toString(add.inputs()));
            // 17 BatchNorms in the source, none left: every convolution carries one folded.
            long folded = fp.architecture().stringColumn("source").asList().stream().filter(s -> s.contains("folded")).count();
            assertEquals(17, folded);
        }
    }

    /**
     * torch.jit.trace writes other code than script (the batch size as ops.prim.NumToTensor, then
     * int); traced graphs import to the same layers as the scripted ones and match DJL's forward pass.
     */
    @Test
    void tracedGraphsImportLikeScriptedOnes() {
        Dataset sample = TestData.fashionMnist().test().take(100);
        for (String name : new String[] {"resnet_small", "mobilenet_v2_small"}) {
            try (ImportedModel traced = Import.torchScript(Fixtures.path(name + "_traced.pt"), Fixtures.MNIST_INPUT);
                 ImportedModel scripted = Import.torchScript(Fixtures.path(name + ".pt"), Fixtures.MNIST_INPUT)) {
                assertEquals(kinds(scripted.model()), kinds(traced.model()), name);
                assertEquals(Arrays.deepToString(scripted.model().inputs()), Arrays.deepToString(traced.model().inputs()), name + ": the same graph");
                Verification v = traced.verify(sample);
                assertTrue(v.passed(), name + ": " + v);
            }
        }
    }

    /** Acceptance: the autoencoder's float MSE equals PyTorch's within 1 %; PTQ's is at most 1.5x the float one. */
    @Test
    void autoencoderReconstructsAsInPyTorch() throws IOException {
        DataSplit data = TestData.fashionMnist();
        JsonObject record = record("autoencoder");
        Dataset test = data.test().take(record.get("subset_samples").getAsInt());
        try (ImportedModel fp = Import.torchScript(Fixtures.path("autoencoder.pt"), Fixtures.MNIST_INPUT)) {
            assertEquals("Flatten Linear ReLU Linear ReLU Linear ReLU Linear", kinds(fp.model()));
            assertEquals(784, fp.model().classes());
            Verification v = fp.verify(test);
            double pytorch = record.get("subset_mse").getAsDouble(), mse = fp.meanSquaredError(test);
            QuantizedModel q = Quantize.ptq(fp).calibrate(data.train().take(500)).build();
            double qmse = q.meanSquaredError(test);
            System.out.printf("autoencoder: %s%nMSE PyTorch %.6f, toolkit float %.6f, uint8 %.6f%n", v, pytorch, mse, qmse);
            assertTrue(v.maxAbsDiff() <= 1e-4, v.toString());
            assertEquals(pytorch, mse, 0.01 * pytorch);
            assertTrue(qmse <= 1.5 * mse, qmse + " vs float " + mse);
        }
    }

    @Test
    void percentileCalibrationCoversTheAdds() {
        DataSplit data = TestData.fashionMnist();
        try (ImportedModel fp = Import.torchScript(Fixtures.path("resnet_small.pt"), Fixtures.MNIST_INPUT)) {
            Dataset calibration = data.train().take(100);
            QuantizedModel minMax = Quantize.ptq(fp).calibrate(calibration).build();
            QuantizedModel pct = Quantize.ptq(fp).calibrate(calibration).percentile(99.9).build();
            for (Layer l : pct.model().requantizingLayers()) {
                if (!l.kind().equals("Add")) continue;
                double narrow = pct.model().layer(l.index()).outputParams().scale(), wide = minMax.model().layer(l.index()).outputParams().scale();
                assertTrue(narrow < wide, l.name() + ": " + narrow + " vs " + wide);
            }
        }
    }

    @Test
    void unsupportedGraphsAreNamed() {
        ImportException mul = assertThrows(ImportException.class,
                () -> Import.torchScript(Fixtures.path("graph_unsupported_op.pt"), Fixtures.MNIST_INPUT).close());
        assertTrue(mul.getMessage().contains("unsupported operator torch.mul"), mul.getMessage());
        ImportException alpha = assertThrows(ImportException.class,
                () -> Import.torchScript(Fixtures.path("graph_add_alpha.pt"), Fixtures.MNIST_INPUT).close());
        assertTrue(alpha.getMessage().contains("torch.add with alpha=2"), alpha.getMessage());
        ImportException bn = assertThrows(ImportException.class,
                () -> Import.torchScript(Fixtures.path("graph_bn_after_add.pt"), Fixtures.MNIST_INPUT).close());
        assertTrue(bn.getMessage().contains("BatchNorm after") && bn.getMessage().contains("torch.add")
                && bn.getMessage().contains("cannot be folded"), bn.getMessage());
        System.out.println(mul.getMessage() + "\n" + alpha.getMessage() + "\n" + bn.getMessage());
    }

    /** Acceptance: DJL's own ResNet (residual units are ParallelBlocks joined by add then ReLU) imports as a graph and verifies. */
    @Test
    void djlResNetV1ImportsWithAdds() {
        DataSplit data = TestData.fashionMnist();
        Dataset test = data.test().take(300);
        ai.djl.nn.Block resnet = ResNetV1.builder().setImageShape(new Shape(1, 28, 28)).setNumLayers(8).setOutSize(10).build();
        try (TorchBaseline baseline = TorchBaseline.create(resnet, data.shape(), 10, 0.05f, 3)) {
            baseline.fit(data.train(), 32, 30, 5); // a few steps: BatchNorm statistics worth folding
            try (ImportedModel fp = Import.djl(baseline.model())) {
                Verification v = fp.verify(test);
                System.out.println(fp + "verify: " + v);
                assertEquals(3, count(fp.model(), "Add"), fp.toString());
                assertEquals(test.size(), v.sameClass());
                assertTrue(v.maxAbsDiff() <= 1e-4, v.toString());
            }
        }
    }

    @Test
    void djlParallelBlockThatIsNotAnAddIsNamed() {
        Torch.engine();
        try (NDManager manager = NDManager.newBaseManager(Torch.ENGINE)) {
            SequentialBlock block = new SequentialBlock()
                    .add(new ParallelBlock(l -> new NDList(NDArrays.concat(new NDList(l.get(0).singletonOrThrow(), l.get(1).singletonOrThrow()), 1)),
                            List.of(Conv2d.builder().setFilters(2).setKernelShape(new Shape(3, 3)).build(),
                                    Conv2d.builder().setFilters(2).setKernelShape(new Shape(3, 3)).build())))
                    .add(Blocks.batchFlattenBlock())
                    .add(Linear.builder().setUnits(10).build());
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 28, 28));
            ImportException e = assertThrows(ImportException.class, () -> Import.djl(block, Fixtures.MNIST_INPUT).close());
            System.out.println(e.getMessage());
            assertTrue(e.getMessage().contains("block 0 (ParallelBlock)") && e.getMessage().contains("join"), e.getMessage());
        }
    }

    static JsonObject record(String name) throws IOException {
        return JsonParser.parseString(Files.readString(Fixtures.path(name + ".json"))).getAsJsonObject();
    }

    private static long count(Model m, String kind) {
        return m.layers().stream().filter(l -> l.kind().equals(kind)).count();
    }

    private static String kinds(Model m) {
        return String.join(" ", m.layers().stream().map(Layer::kind).toList());
    }
}
