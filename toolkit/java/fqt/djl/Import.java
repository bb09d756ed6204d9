package fqt.djl;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import fqt.nn.Conv2d;
import fqt.nn.Linear;
import fqt.nn.Model;
import fqt.nn.WeightLayer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Brings a float model from DJL, a TorchScript file or an ONNX file into the toolkit as an
 * {@link ImportedModel}: a float32 {@link Model} with every BatchNorm folded into the convolution
 * or linear layer before it, plus the DJL model to {@link ImportedModel#verify verify} it against.
 *
 * <pre>{@code
 * try (var fp = Import.torchScript(Path.of("cnn.pt"), Import.inputShape(1, 1, 28, 28))) {
 *     fp.verify(data.test());                      // DJL vs toolkit, max |diff| <= 1e-4
 *     var q = Quantize.ptq(fp).calibrate(data.train().take(500)).perTensor().build();
 *     q.evaluate(data.test());
 * }
 * }</pre>
 *
 * Input shapes are PyTorch's, batch first ({@code {1, 1, 28, 28}}); the batch size is ignored.
 * Supported layers: 2-D convolution (stride and padding equal in height and width, groups,
 * depthwise; no dilation), linear (on a flattened input), BatchNorm in inference mode (folded
 * into the convolution or linear layer whose output only it reads), ReLU, ReLU6 / hardtanh / clamp
 * ({@link fqt.nn.Clamp}), max pooling, average pooling (window = stride, or global; also
 * {@code torch.mean} over height and width), flatten (and reshape or view to {@code [batch, -1]}),
 * dropout (dropped). Graphs: a tensor may feed several layers, and {@code torch.add} of two
 * tensors of one shape (DJL: a ParallelBlock joined by an add) becomes {@link fqt.nn.Add}.
 */
public final class Import {
    private Import() {}

    /** A PyTorch input shape, batch first: {@code inputShape(1, 1, 28, 28)}. */
    public static int[] inputShape(int... dims) {
        if (dims.length < 2 || Arrays.stream(dims).anyMatch(d -> d < 1)) {
            throw new IllegalArgumentException("an input shape is batch first with at least one more axis, all positive; got "
                    + Arrays.toString(dims));
        }
        return dims.clone();
    }

    /** A DJL model with an initialized block; the input shape is the one it was initialized with. */
    public static ImportedModel djl(ai.djl.Model model) {
        Block block = model.getBlock();
        if (block == null) throw new ImportException("DJL model '" + model.getName() + "' has no block");
        if (!block.isInitialized()) {
            throw new ImportException("DJL model '" + model.getName() + "': its block is not initialized; initialize or train it first");
        }
        long[] shape = block.getInputShapes()[0].getShape();
        int[] dims = new int[shape.length];
        for (int i = 0; i < shape.length; i++) dims[i] = (int) shape[i];
        return djl(block, model.getName(), dims);
    }

    /** A DJL block tree (initialized) for inputs of {@code inputShape} (batch first). */
    public static ImportedModel djl(Block block, int[] inputShape) {
        return djl(block, "DJL block", inputShape);
    }

    private static ImportedModel djl(Block block, String name, int[] inputShape) {
        int[] sample = sampleShape(inputShape);
        Torch.engine();
        Layers.Built built;
        try (NDManager probes = NDManager.newBaseManager(Device.cpu(), Torch.ENGINE)) {
            built = Layers.build(sample, DjlBlocks.ops(block, batchOne(inputShape), probes));
        }
        return new ImportedModel(name, built.model(), built.sources(), List.of(), new DjlRunner(block, null, sample));
    }

    /**
     * A TorchScript file ({@code torch.jit.script} or {@code torch.jit.trace}, then {@code save}):
     * DJL's PyTorch engine loads it and supplies the named parameters; the layer chain comes from
     * the file's TorchScript code and BatchNorm's running statistics from its {@code data.pkl}
     * (DJL exposes neither).
     */
    public static ImportedModel torchScript(Path file, int[] inputShape) {
        int[] sample = sampleShape(inputShape);
        TorchScriptArchive archive = TorchScriptArchive.read(file);
        ai.djl.Model djl = load(file);
        try {
            Map<String, SourceOp.Param> params = parameters(djl, file);
            List<String> used = new ArrayList<>();
            SourceGraph ops = TorchScriptGraph.ofRoot(archive, (n, stored) -> {
                used.add(n);
                return resolve(archive, params, n, stored);
            });
            Layers.Built built = Layers.build(sample, ops);
            List<String> notes = new ArrayList<>();
            for (String n : params.keySet()) if (!used.contains(n)) notes.add("parameter '" + n + "' is not used by forward");
            return new ImportedModel(file.getFileName().toString(), built.model(), built.sources(), notes,
                    new DjlRunner(djl.getBlock(), djl, sample));
        } catch (RuntimeException e) {
            djl.close();
            throw e;
        }
    }

    /**
     * A model file by its kind: {@code .onnx} through {@link #onnx(Path, int[])} (the shape may then
     * be null when the file fixes it), anything else as TorchScript ({@link #torchScript(Path, int[])},
     * which needs the shape).
     */
    public static ImportedModel file(Path file, int[] inputShape) {
        if (isOnnx(file)) return onnx(file, inputShape);
        if (inputShape == null) throw new ImportException(file + ": a TorchScript file does not say its input shape; give it (--input-shape 1,1,28,28)");
        return torchScript(file, inputShape);
    }

    /** Whether {@link #file} reads {@code file} as ONNX: its name ends in {@code .onnx}. */
    public static boolean isOnnx(Path file) {
        return file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".onnx");
    }

    /** DJL's name of the ONNX Runtime engine, which {@link #onnx} files are verified against. */
    public static final String ONNX_ENGINE = "OnnxRuntime";

    /** An ONNX file whose input has a fixed shape (batch axis aside): {@link #onnx(Path, int[])} with that shape. */
    public static ImportedModel onnx(Path file) {
        return onnx(file, null);
    }

    /**
     * An ONNX file ({@code torch.onnx.export}, tf2onnx, ...): the node graph from the file
     * ({@link OnnxGraph}: opsets 11 to 18, shape arithmetic folded), weights from its
     * initializers, and DJL's ONNX Runtime engine loaded beside it for {@link ImportedModel#verify}.
     * {@code inputShape} (batch first) may be null when the file fixes one sample's shape; given,
     * it must agree with the file's fixed dims.
     */
    public static ImportedModel onnx(Path file, int[] inputShape) {
        if (inputShape != null) inputShape(inputShape);
        OnnxGraph.Read read = OnnxGraph.read(file, inputShape);
        Layers.Built built = Layers.build(read.sampleShape(), read.graph());
        ai.djl.Model ort = ai.djl.Model.newInstance(file.getFileName().toString(), Device.cpu(), ONNX_ENGINE);
        try {
            ort.load(file);
        } catch (IOException | MalformedModelException | EngineException e) {
            ort.close();
            throw new ImportException(file + ": DJL's ONNX Runtime engine cannot load it: " + e.getMessage(), e);
        }
        List<String> notes = List.of("ONNX opset " + read.opset() + ", written by " + read.producer());
        return new ImportedModel(file.getFileName().toString(), built.model(), built.sources(), notes,
                new DjlRunner(ort.getBlock(), ort, read.sampleShape(), ONNX_ENGINE, read.dynamicBatch() ? DjlRunner.BATCH : 1));
    }

    /**
     * A TorchScript file whose architecture is declared instead of derived: the declared float
     * model's layers with weights (in order) take the file's parameter groups in DJL's order
     * ({@code 0.weight, 0.bias}, then {@code 1.weight}...). A group that belongs to a BatchNorm
     * module is folded into the layer before it, with its statistics from the archive. Weights in
     * {@code declared} are replaced (in a copy); its other layers are used as declared, so
     * {@link ImportedModel#verify} is what shows whether they match the file.
     *
     * @throws ImportException naming the layer and both shapes when a parameter does not fit, or
     *                         listing the parameters left over
     */
    public static ImportedModel torchScript(Path file, int[] inputShape, Model declared) {
        int[] sample = sampleShape(inputShape);
        if (declared.quantized()) throw new IllegalArgumentException("the declared model must be float32");
        if (Layers.size(declared.inputShape()) != Layers.size(sample)) {
            throw new ImportException("the declared model takes " + Arrays.toString(declared.inputShape()) + ", the input shape is "
                    + Arrays.toString(inputShape));
        }
        TorchScriptArchive archive = TorchScriptArchive.read(file);
        ai.djl.Model djl = load(file);
        try {
            Map<String, SourceOp.Param> params = parameters(djl, file);
            Map<String, Map<String, SourceOp.Param>> groups = new LinkedHashMap<>();
            for (Map.Entry<String, SourceOp.Param> e : params.entrySet()) {
                int dot = e.getKey().lastIndexOf('.');
                groups.computeIfAbsent(dot < 0 ? "" : e.getKey().substring(0, dot), k -> new LinkedHashMap<>())
                        .put(e.getKey().substring(dot + 1), e.getValue());
            }
            Model model = declared.copy();
            List<String> sources = new ArrayList<>();
            Iterator<Map.Entry<String, Map<String, SourceOp.Param>>> it = groups.entrySet().iterator();
            Map.Entry<String, Map<String, SourceOp.Param>> next = it.hasNext() ? it.next() : null;
            for (fqt.nn.Layer layer : model.layers()) {
                if (!(layer instanceof WeightLayer w)) {
                    sources.add("declared");
                    continue;
                }
                if (next == null) throw new ImportException(file.getFileName() + ": declared " + w.name() + " has no parameters left in the file");
                String module = next.getKey();
                if (isBatchNorm(archive, module)) {
                    throw new ImportException(file.getFileName() + ": declared " + w.name() + " expects weights, the file's next parameters belong to"
                            + " BatchNorm '" + module + "'");
                }
                SourceOp.Param weight = next.getValue().get("weight"), bias = next.getValue().get("bias");
                long[] expected = expectedWeightShape(w);
                String declaredLayer = file.getFileName() + ": declared " + w.name();
                if (weight == null) throw new ImportException(declaredLayer + " expects a weight, module '" + module + "' has none");
                if (!Arrays.equals(weight.shape(), expected)) {
                    throw new ImportException(declaredLayer + " expects weight " + Arrays.toString(expected) + ", the file's '" + weight.name()
                            + "' is " + Arrays.toString(weight.shape()));
                }
                if (bias != null && !Arrays.equals(bias.shape(), new long[] {expected[0]})) {
                    throw new ImportException(declaredLayer + " expects bias [" + expected[0] + "], the file's '" + bias.name() + "' is "
                            + Arrays.toString(bias.shape()));
                }
                next = it.hasNext() ? it.next() : null;
                SourceOp.BatchNorm bn = null;
                String source = "'" + module + "'";
                if (next != null && isBatchNorm(archive, next.getKey())) {
                    List<SourceOp> bnOps = TorchScriptGraph.of(archive, (n, stored) -> resolve(archive, params, n, stored), next.getKey()).ops();
                    if (bnOps.size() != 1 || !(bnOps.get(0) instanceof SourceOp.BatchNorm b)) {
                        throw new ImportException(file.getFileName() + ": module '" + next.getKey() + "' is not a plain BatchNorm");
                    }
                    bn = b;
                    source += " + '" + next.getKey() + "' folded";
                    next = it.hasNext() ? it.next() : null;
                }
                float[] wv = weight.values().clone(), bv = bias == null ? new float[(int) expected[0]] : bias.values().clone();
                if (bn != null) BatchNormFold.fold(wv, bv, bn, w.name());
                w.weights().set(wv, bv, w.name());
                sources.add(source);
            }
            if (next != null) {
                List<String> left = new ArrayList<>();
                for (Map.Entry<String, Map<String, SourceOp.Param>> e = next; e != null; e = it.hasNext() ? it.next() : null) {
                    e.getValue().values().forEach(p -> left.add(p.toString()));
                }
                throw new ImportException(file.getFileName() + ": the declared architecture has no layer for the file's parameters "
                        + String.join(", ", left));
            }
            return new ImportedModel(file.getFileName() + " (declared)", model, sources, List.of(), new DjlRunner(djl.getBlock(), djl, sample));
        } catch (RuntimeException e) {
            djl.close();
            throw e;
        }
    }

    private static long[] expectedWeightShape(WeightLayer w) {
        if (w instanceof Linear l) return new long[] {l.out(), l.in()};
        var g = ((Conv2d) w).geometry();
        return new long[] {g.outC(), g.inPerGroup(), g.kH(), g.kW()};
    }

    private static boolean isBatchNorm(TorchScriptArchive archive, String module) {
        Pickle.Obj m = archive.module(module);
        return m != null && m.type.name().startsWith("BatchNorm");
    }

    /** Parameters from DJL, buffers (which DJL does not expose) from the archive; shapes must agree. */
    private static SourceOp.Param resolve(TorchScriptArchive archive, Map<String, SourceOp.Param> params, String name, Pickle.TensorRef stored) {
        SourceOp.Param p = params.get(name);
        if (p == null) return new SourceOp.Param(name, stored.shape(), archive.floats(stored, "'" + name + "'"));
        if (!Arrays.equals(p.shape(), stored.shape())) {
            throw new ImportException(archive.file.getFileName() + ": DJL's '" + name + "' is " + Arrays.toString(p.shape())
                    + ", the archive's " + Arrays.toString(stored.shape()));
        }
        return p;
    }

    private static ai.djl.Model load(Path file) {
        Torch.engine();
        ai.djl.Model model = ai.djl.Model.newInstance(file.getFileName().toString(), Device.cpu(), Torch.ENGINE);
        try {
            model.load(file);
            return model;
        } catch (IOException | MalformedModelException | EngineException e) {
            model.close();
            throw new ImportException(file + ": DJL's PyTorch engine cannot load it: " + e.getMessage(), e);
        }
    }

    /** DJL's named parameters, in its order (PyTorch's named_parameters). */
    private static Map<String, SourceOp.Param> parameters(ai.djl.Model model, Path file) {
        Map<String, SourceOp.Param> out = new LinkedHashMap<>();
        for (var pair : model.getBlock().getParameters()) {
            Parameter p = pair.getValue();
            out.put(pair.getKey(), DjlBlocks.toParam(pair.getKey(), p.getArray()));
        }
        return out;
    }

    private static int[] sampleShape(int[] inputShape) {
        inputShape(inputShape);
        return Arrays.copyOfRange(inputShape, 1, inputShape.length);
    }

    private static Shape batchOne(int[] inputShape) {
        long[] s = Arrays.stream(inputShape).asLongStream().toArray();
        s[0] = 1;
        return new Shape(s);
    }
}
