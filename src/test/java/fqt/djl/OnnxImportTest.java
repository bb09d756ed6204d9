package fqt.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
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
public class OnnxImportTest {
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
                assertReadmeRow(name + ".onnx", test.size(), pytorch, v.djlAccuracy(), v.importedAccuracy(), r.quantizedAccuracy());
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

    /**
     * A graph in the shape of opset 18 (ReduceMean's axes as an input), written here since
     * PyTorch 1.13 exports up to 17: Conv without bias plus a bias Add, Clip to [0, 6] from Constant
     * nodes, the mean over H and W without kept dims, MatMul plus Add, Gemm with transB 0 and alpha.
     * ONNX Runtime runs it and the toolkit matches it; the same graph as opset 19 or 10 is refused by name.
     */
    @Test
    void anOpset18GraphWrittenByHandImportsAndOtherOpsetsAreRefused(@TempDir Path dir) throws IOException {
        java.util.Random rng = new java.util.Random(5);
        var g = OnnxMl.GraphProto.newBuilder().setName("hand")
                .addInput(valueInfo("x", 0, 1, 6, 6))
                .addOutput(valueInfo("y", 0, 3))
                .addInitializer(floats("w", rng, 4, 1, 3, 3)).addInitializer(floats("cb", rng, 1, 4, 1, 1))
                .addInitializer(longs("axes", 2, 3))
                .addInitializer(floats("m", rng, 4, 5)).addInitializer(floats("mb", rng, 5))
                .addInitializer(floats("g", rng, 5, 3)).addInitializer(floats("gb", rng, 3));
        g.addNode(node("Conv", List.of("x", "w"), "c").addAttribute(ints("pads", 1, 1, 1, 1)));
        g.addNode(node("Add", List.of("c", "cb"), "cbias"));
        g.addNode(node("Constant", List.of(), "lo").addAttribute(OnnxMl.AttributeProto.newBuilder().setName("value_float").setF(0f)
                .setType(OnnxMl.AttributeProto.AttributeType.FLOAT)));
        g.addNode(node("Constant", List.of(), "hi").addAttribute(OnnxMl.AttributeProto.newBuilder().setName("value_float").setF(6f)
                .setType(OnnxMl.AttributeProto.AttributeType.FLOAT)));
        g.addNode(node("Clip", List.of("cbias", "lo", "hi"), "r"));
        g.addNode(node("ReduceMean", List.of("r", "axes"), "p").addAttribute(OnnxMl.AttributeProto.newBuilder().setName("keepdims").setI(0)
                .setType(OnnxMl.AttributeProto.AttributeType.INT)));
        g.addNode(node("MatMul", List.of("p", "m"), "h"));
        g.addNode(node("Add", List.of("h", "mb"), "hb"));
        g.addNode(node("Relu", List.of("hb"), "hr"));
        g.addNode(node("Gemm", List.of("hr", "g", "gb"), "y").addAttribute(OnnxMl.AttributeProto.newBuilder().setName("alpha").setF(0.5f)
                .setType(OnnxMl.AttributeProto.AttributeType.FLOAT)));
        Path file = write(dir.resolve("hand18.onnx"), g, 18);
        float[] x = new float[2 * 36];
        for (int i = 0; i < x.length; i++) x[i] = rng.nextFloat();
        try (ImportedModel fp = Import.onnx(file)) {
            assertEquals("Conv2d Clamp GlobalAvgPool2d Flatten Linear ReLU Linear", kinds(fp.model()));
            Dataset random = new Dataset("random", new int[] {1, 6, 6}, 3, x, new int[2]);
            fqt.nn.Context c = new fqt.nn.Context(fqt.nn.Precision.FLOAT32, fqt.quant.Rounding.NEAREST, fqt.nn.ErrorRange.EXACT, 0f, 0f, null);
            float[] logits = fp.model().logits(random, c)[0];
            assertTrue(Arrays.stream(new double[] {logits[0], logits[1], logits[2]}).anyMatch(l -> Math.abs(l) > 0.01), Arrays.toString(logits));
            Verification v = fp.verify(random);
            System.out.println("hand-written opset 18: logits " + Arrays.toString(logits) + "; " + v);
            assertTrue(v.passed(), v.toString());
        }
        for (int opset : new int[] {19, 10}) {
            Path other = write(dir.resolve("hand" + opset + ".onnx"), g, opset);
            ImportException e = assertThrows(ImportException.class, () -> Import.onnx(other).close());
            assertTrue(e.getMessage().contains("opset " + opset) && e.getMessage().contains("11 to 18"), e.getMessage());
        }
    }

    /** A model whose input leaves H and W open needs the shape given; a given shape that contradicts the file is refused. */
    @Test
    void anOpenInputShapeMustBeGiven(@TempDir Path dir) throws IOException {
        var g = OnnxMl.GraphProto.newBuilder().setName("open").addInput(valueInfo("x", 0, 1, 0, 0)).addOutput(valueInfo("y", 0, 4))
                .addInitializer(floats("w", new java.util.Random(1), 4, 1, 1, 1));
        g.addNode(node("Conv", List.of("x", "w"), "c"));
        g.addNode(node("ReduceMean", List.of("c"), "p").addAttribute(ints("axes", 2, 3)).addAttribute(OnnxMl.AttributeProto.newBuilder()
                .setName("keepdims").setI(0).setType(OnnxMl.AttributeProto.AttributeType.INT)));
        g.addNode(node("Identity", List.of("p"), "y"));
        Path file = write(dir.resolve("open.onnx"), g, 13);
        ImportException e = assertThrows(ImportException.class, () -> Import.onnx(file).close());
        assertTrue(e.getMessage().contains("[?, 1, ?, ?]") && e.getMessage().contains("--input-shape"), e.getMessage());
        try (ImportedModel fp = Import.onnx(file, Import.inputShape(1, 1, 8, 8))) {
            assertEquals("[1, 8, 8]", Arrays.toString(fp.model().inputShape()));
        }
        ImportException wrong = assertThrows(ImportException.class, () -> Import.onnx(file, Import.inputShape(1, 3, 8, 8)).close());
        assertTrue(wrong.getMessage().contains("[1, 3, 8, 8]"), wrong.getMessage());
    }

    private static OnnxMl.ValueInfoProto valueInfo(String name, long... dims) {
        var shape = OnnxMl.TensorShapeProto.newBuilder();
        for (long d : dims) shape.addDim(d == 0 ? OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("n") : OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder().setTensorType(
                OnnxMl.TypeProto.Tensor.newBuilder().setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).setShape(shape))).build();
    }

    private static OnnxMl.TensorProto floats(String name, java.util.Random rng, long... dims) {
        var t = OnnxMl.TensorProto.newBuilder().setName(name).setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber());
        long n = 1;
        for (long d : dims) {
            t.addDims(d);
            n *= d;
        }
        for (long i = 0; i < n; i++) t.addFloatData((float) rng.nextGaussian() * 0.5f);
        return t.build();
    }

    private static OnnxMl.TensorProto longs(String name, long... values) {
        var t = OnnxMl.TensorProto.newBuilder().setName(name).setDataType(OnnxMl.TensorProto.DataType.INT64.getNumber()).addDims(values.length);
        for (long v : values) t.addInt64Data(v);
        return t.build();
    }

    private static OnnxMl.NodeProto.Builder node(String op, List<String> in, String out) {
        return OnnxMl.NodeProto.newBuilder().setOpType(op).setName(out + "_" + op).addAllInput(in).addOutput(out);
    }

    private static OnnxMl.AttributeProto ints(String name, long... v) {
        var a = OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INTS);
        for (long x : v) a.addInts(x);
        return a.build();
    }

    private static Path write(Path file, OnnxMl.GraphProto.Builder g, int opset) throws IOException {
        OnnxMl.ModelProto m = OnnxMl.ModelProto.newBuilder().setIrVersion(8).setProducerName("OnnxImportTest")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).setGraph(g).build();
        Files.write(file, m.toByteArray());
        return file;
    }

    /** The README's ONNX table holds this row, as computed. */
    public static void assertReadmeRow(String file, int samples, double... accuracies) throws IOException {
        StringBuilder row = new StringBuilder(String.format(java.util.Locale.ROOT, "| `%s` (%,d%s) |", file, samples, samples == 10_000 ? " images" : ""));
        for (double a : accuracies) row.append(String.format(java.util.Locale.ROOT, " %.2f %% |", 100 * a));
        String readme = Files.readString(Path.of("README.md"));
        assertTrue(readme.contains(row.toString() + "\n"), "README.md's ONNX table lacks the row as measured: " + row);
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
