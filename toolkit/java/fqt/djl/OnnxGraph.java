package fqt.djl;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the node graph of an ONNX file ({@code ModelProto}, parsed by the generated protobuf
 * classes Tribuo maintains) into a {@link SourceGraph}. Nodes are visited in file order (ONNX
 * stores them topologically sorted). A value is either a tensor computed from the input (a node
 * of the graph) or a constant: an initializer, a {@code Constant} node, or the result of a node
 * whose inputs are all constants, which is folded here ({@code Shape}, {@code Gather},
 * {@code Concat}, {@code Unsqueeze}..., the shape arithmetic exporters write for
 * {@code x.reshape(x.size(0), -1)}). Shapes are tracked per sample; where a constant needs the
 * batch size ({@code Shape} of a tensor) it is 1, so a reshape must keep the batch axis first.
 * Default-domain opsets {@value #MIN_OPSET} to {@value #MAX_OPSET}; every node without a toolkit
 * layer is an {@link ImportException} naming the node, its op type and the opset.
 */
final class OnnxGraph {
    static final int MIN_OPSET = 11, MAX_OPSET = 18;

    /** What the importer needs: the graph, one sample's shape, the opset, and where the ops came from. */
    record Read(SourceGraph graph, int[] sampleShape, boolean dynamicBatch, int opset, String producer) {}

    /** A value computed from the input: graph tensor {@code id} (0 the input), one sample's shape. */
    private record Tensor(int id, int[] shape) {}

    /** A constant: its dims, its values (int64 and float alike as doubles: exact for both) and whether it is floating point. */
    private record Const(long[] dims, double[] v, boolean floating) {
        int size() { return v.length; }

        long[] longs() {
            long[] l = new long[v.length];
            for (int i = 0; i < v.length; i++) l[i] = (long) v[i];
            return l;
        }

        float[] floats() {
            float[] f = new float[v.length];
            for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
            return f;
        }
    }

    /** A constant of a type the toolkit does not read: refused when a node reads it (exporters leave unused ones). */
    private record Unreadable(String why) {}

    private final Path file;
    private final int opset;
    private final Map<String, Object> values = new HashMap<>();
    private final Map<String, Integer> consumers = new HashMap<>();
    private final List<SourceOp> ops = new ArrayList<>();
    private final List<int[]> inputs = new ArrayList<>();
    /** Per graph tensor, the ONNX value name it was made as (for "read by" checks). */
    private final List<String> tensorNames = new ArrayList<>();

    private OnnxGraph(Path file, int opset) {
        this.file = file;
        this.opset = opset;
    }

    /** Reads {@code file}; {@code inputShape} (batch first, may be null) gives or checks the input's shape. */
    static Read read(Path file, int[] inputShape) {
        OnnxMl.ModelProto model = parse(file);
        int opset = opset(file, model);
        OnnxMl.GraphProto g = model.getGraph();
        OnnxGraph r = new OnnxGraph(file, opset);
        Set<String> initializers = new HashSet<>();
        for (OnnxMl.TensorProto t : g.getInitializerList()) {
            initializers.add(t.getName());
            r.values.put(t.getName(), r.constant(t, file.getFileName() + ": initializer '" + t.getName() + "'"));
        }
        List<OnnxMl.ValueInfoProto> in = g.getInputList().stream().filter(v -> !initializers.contains(v.getName())).toList();
        if (in.size() != 1) {
            throw new ImportException(file + ": the graph has " + in.size() + " inputs (" + String.join(", ", in.stream().map(OnnxMl.ValueInfoProto::getName).toList())
                    + "); the toolkit imports models of one input");
        }
        if (g.getOutputCount() != 1) throw new ImportException(file + ": the graph has " + g.getOutputCount() + " outputs; the toolkit imports models of one output");
        long[] declared = inputDims(file, in.get(0));
        int[] sample = sampleShape(file, in.get(0).getName(), declared, inputShape);
        r.values.put(in.get(0).getName(), new Tensor(0, sample));
        r.tensorNames.add(in.get(0).getName());
        for (OnnxMl.NodeProto n : g.getNodeList()) for (String i : n.getInputList()) if (!i.isEmpty()) r.consumers.merge(i, 1, Integer::sum);
        String output = g.getOutput(0).getName();
        r.consumers.merge(output, 1, Integer::sum);
        for (int k = 0; k < g.getNodeCount(); k++) r.node(g.getNode(k), k);
        Object out = r.values.get(output);
        if (!(out instanceof Tensor t) || t.id() == 0) {
            throw new ImportException(file + ": the graph's output '" + output + "' is " + (out == null ? "computed by no node" : out instanceof Const ? "a constant" : "its input"));
        }
        if (t.id() != r.ops.size()) {
            throw new ImportException(file + ": the graph's output '" + output + "' is not computed last: " + r.describeStep(t.id()) + " comes before "
                    + (r.ops.size() - t.id()) + " more node(s) that no output needs");
        }
        String producer = (model.getProducerName() + " " + model.getProducerVersion()).trim();
        return new Read(new SourceGraph(r.ops, r.inputs), sample, declared == null || declared[0] <= 0, opset, producer.isEmpty() ? "unknown" : producer);
    }

    private static OnnxMl.ModelProto parse(Path file) {
        byte[] bytes;
        try {
            if (!Files.isRegularFile(file)) throw new ImportException(file + ": no such file");
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ImportException(file + ": cannot be read: " + e.getMessage(), e);
        }
        OnnxMl.ModelProto m;
        try {
            m = OnnxMl.ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new ImportException(file + ": not a readable ONNX model (" + bytes.length + " bytes; the protobuf parser says: " + e.getMessage() + ")", e);
        }
        // Protobuf reads many byte strings as some message: an ONNX model has an IR version, an opset and a graph with nodes.
        if (m.getIrVersion() <= 0 || m.getOpsetImportCount() == 0 || !m.hasGraph() || m.getGraph().getNodeCount() == 0) {
            throw new ImportException(file + ": not an ONNX model (no IR version, opset or graph nodes in its " + bytes.length + " bytes)");
        }
        return m;
    }

    private static int opset(Path file, OnnxMl.ModelProto m) {
        for (OnnxMl.OperatorSetIdProto o : m.getOpsetImportList()) {
            if (!o.getDomain().isEmpty() && !o.getDomain().equals("ai.onnx")) continue;
            long v = o.getVersion();
            if (v < MIN_OPSET || v > MAX_OPSET) {
                throw new ImportException(file + ": opset " + v + "; the toolkit reads opsets " + MIN_OPSET + " to " + MAX_OPSET + " (export with opset_version in that range)");
            }
            return (int) v;
        }
        throw new ImportException(file + ": imports no default-domain (ai.onnx) opset");
    }

    /** The declared input dims, 0 for a dynamic one (a dim_param or none). */
    private static long[] inputDims(Path file, OnnxMl.ValueInfoProto in) {
        OnnxMl.TypeProto.Tensor t = in.getType().getTensorType();
        if (t.getElemType() != OnnxMl.TensorProto.DataType.FLOAT.getNumber()) {
            throw new ImportException(file + ": input '" + in.getName() + "' has element type " + typeName(t.getElemType()) + "; the toolkit takes float32 inputs");
        }
        if (!t.hasShape()) return null;
        long[] d = new long[t.getShape().getDimCount()];
        for (int i = 0; i < d.length; i++) {
            OnnxMl.TensorShapeProto.Dimension dim = t.getShape().getDim(i);
            d[i] = dim.hasDimValue() ? dim.getDimValue() : 0;
        }
        return d;
    }

    private static int[] sampleShape(Path file, String name, long[] declared, int[] given) {
        String shown = declared == null ? "no shape" : "shape " + dimsText(declared);
        if (given == null) {
            if (declared == null || declared.length < 2 || Arrays.stream(declared, 1, declared.length).anyMatch(d -> d <= 0)) {
                throw new ImportException(file + ": input '" + name + "' has " + shown + ", which does not fix one sample's shape;"
                        + " give the input shape (--input-shape 1,1,28,28, or Import.onnx(file, Import.inputShape(1, 1, 28, 28)))");
            }
            int[] s = new int[declared.length - 1];
            for (int i = 0; i < s.length; i++) s[i] = Math.toIntExact(declared[i + 1]);
            return s;
        }
        int[] sample = Arrays.copyOfRange(given, 1, given.length);
        if (declared != null) {
            boolean fits = declared.length == given.length;
            for (int i = 1; fits && i < given.length; i++) fits = declared[i] <= 0 || declared[i] == given[i];
            if (!fits) throw new ImportException(file + ": input '" + name + "' has " + shown + ", the input shape given is " + Arrays.toString(given));
        }
        return sample;
    }

    private static String dimsText(long[] d) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < d.length; i++) sb.append(i == 0 ? "" : ", ").append(d[i] <= 0 ? "?" : Long.toString(d[i]));
        return sb.append(']').toString();
    }

    private static String typeName(int type) {
        OnnxMl.TensorProto.DataType t = OnnxMl.TensorProto.DataType.forNumber(type);
        return t == null ? "#" + type : t.name();
    }

    // ---------------------------------------------------------------- nodes

    private void node(OnnxMl.NodeProto n, int index) {
        String op = n.getOpType();
        String where = file.getFileName() + ": node " + (n.getName().isEmpty() ? "#" + index : "'" + n.getName() + "'") + " (" + op + ", opset " + opset + ")";
        if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
            throw new ImportException(where + " is of domain '" + n.getDomain() + "'; the toolkit reads default-domain operators only");
        }
        List<Object> in = new ArrayList<>();
        boolean allConst = true;
        for (String name : n.getInputList()) {
            if (name.isEmpty()) {
                in.add(null); // an optional input left out
                continue;
            }
            Object v = values.get(name);
            if (v == null) throw new ImportException(where + " reads '" + name + "', which no earlier node, initializer or input makes");
            if (v instanceof Unreadable u) throw new ImportException(where + " reads " + u.why());
            allConst &= v instanceof Const;
            in.add(v);
        }
        Node node = new Node(n, where, in);
        Object result = allConst && !op.equals("Constant") ? folded(node) : op.equals("Constant") ? constantNode(node) : layer(node);
        for (int k = 1; k < n.getOutputCount(); k++) {
            if (!n.getOutput(k).isEmpty() && consumers.containsKey(n.getOutput(k))) {
                throw new ImportException(where + ": its output " + k + " ('" + n.getOutput(k) + "') is read; the toolkit computes only a first output");
            }
        }
        values.put(n.getOutput(0), result);
    }

    /** A node being read: its proto, its description for messages, and its inputs (Tensor, Const or null). */
    private record Node(OnnxMl.NodeProto proto, String where, List<Object> in) {
        String op() { return proto.getOpType(); }

        OnnxMl.AttributeProto attr(String name) {
            for (OnnxMl.AttributeProto a : proto.getAttributeList()) if (a.getName().equals(name)) return a;
            return null;
        }

        long i(String name, long otherwise) {
            OnnxMl.AttributeProto a = attr(name);
            return a == null ? otherwise : a.getI();
        }

        float f(String name, float otherwise) {
            OnnxMl.AttributeProto a = attr(name);
            return a == null ? otherwise : a.getF();
        }

        long[] ints(String name, long... otherwise) {
            OnnxMl.AttributeProto a = attr(name);
            return a == null ? otherwise : a.getIntsList().stream().mapToLong(Long::longValue).toArray();
        }

        String s(String name, String otherwise) {
            OnnxMl.AttributeProto a = attr(name);
            return a == null ? otherwise : a.getS().toStringUtf8();
        }

        Object input(int k) { return k < in.size() ? in.get(k) : null; }

        Tensor tensor(int k) {
            if (!(input(k) instanceof Tensor t)) throw new ImportException(where + ": input " + k + " must be computed from the model's input, it is " + (input(k) == null ? "missing" : "a constant"));
            return t;
        }

        Const constant(int k, String what) {
            if (!(input(k) instanceof Const c)) {
                throw new ImportException(where + ": its " + what + " (input " + k + ") must be a constant (an initializer), it is " + (input(k) == null ? "missing" : "computed from the model's input"));
            }
            return c;
        }

        Const optionalConstant(int k, String what) {
            return input(k) == null ? null : constant(k, what);
        }

        ImportException unsupported(String why) {
            return new ImportException(where + ": " + why);
        }
    }

    /** Appends a graph step; its output is a new tensor of {@code shape}. */
    private Tensor step(Node n, SourceOp op, int[] shape, Tensor... from) {
        ops.add(op);
        inputs.add(Arrays.stream(from).mapToInt(Tensor::id).toArray());
        tensorNames.add(n.proto().getOutput(0));
        return new Tensor(ops.size(), shape);
    }

    private String describeStep(int id) { return ops.get(id - 1).source(); }

    private Object layer(Node n) {
        String src = n.where();
        switch (n.op()) {
            case "Identity", "Dropout":
                return n.tensor(0);
            case "Pad": {
                Const pads = n.constant(1, "pads");
                if (Arrays.stream(pads.v()).anyMatch(p -> p != 0)) {
                    throw n.unsupported("pads the model's values by " + Arrays.toString(pads.longs()) + "; the toolkit pads inside a convolution only");
                }
                return n.tensor(0); // PyTorch writes a Pad of zeros before some average pools
            }
            case "Relu":
                return step(n, new SourceOp.Relu(src), n.tensor(0).shape(), n.tensor(0));
            case "Clip":
                return clip(n);
            case "Conv":
                return conv(n);
            case "BatchNormalization": {
                Tensor x = n.tensor(0);
                if (n.i("training_mode", 0) != 0) throw n.unsupported("training_mode 1: only inference BatchNorm can be folded");
                SourceOp.BatchNorm bn = new SourceOp.BatchNorm(src, param(n, 1, "scale"), param(n, 2, "bias"), param(n, 3, "mean"), param(n, 4, "var"),
                        n.f("epsilon", 1e-5f));
                return step(n, bn, x.shape(), x);
            }
            case "MaxPool", "AveragePool":
                return pool(n);
            case "GlobalAveragePool":
                return step(n, new SourceOp.GlobalAvgPool(src), new int[] {n.tensor(0).shape()[0], 1, 1}, n.tensor(0));
            case "ReduceMean":
                return reduceMean(n);
            case "Flatten": {
                Tensor x = n.tensor(0);
                long axis = n.i("axis", 1);
                if (axis != 1 && axis != -x.shape().length) throw n.unsupported("flattens from axis " + axis + "; the toolkit flattens all but the batch axis (axis 1)");
                return flatten(n, x, -1);
            }
            case "Reshape":
                return reshape(n);
            case "Squeeze":
                return squeeze(n);
            case "Gemm":
                return gemm(n);
            case "MatMul":
                return matMul(n);
            case "Add":
                return add(n);
            case "Cast": {
                if (n.i("to", 0) != OnnxMl.TensorProto.DataType.FLOAT.getNumber()) throw n.unsupported("casts the model's values to " + typeName((int) n.i("to", 0)));
                return n.tensor(0);
            }
            case "Shape": {
                int[] s = n.tensor(0).shape();
                double[] v = new double[s.length + 1];
                v[0] = 1; // the batch: see the class comment
                for (int i = 0; i < s.length; i++) v[i + 1] = s[i];
                return slice1d(new Const(new long[] {v.length}, v, false), n.i("start", 0), n.i("end", v.length));
            }
            default:
                throw n.unsupported("no toolkit layer computes " + n.op() + " on the model's values (supported: Conv, Gemm, MatMul+Add, BatchNormalization,"
                        + " Relu, Clip, MaxPool, AveragePool, GlobalAveragePool, ReduceMean over H and W, Flatten, Reshape, Add, Identity, Dropout)");
        }
    }

    private SourceOp.Param param(Node n, int k, String what) {
        Const c = n.constant(k, what);
        String name = n.proto().getInput(k);
        try {
            return new SourceOp.Param(name, c.dims(), c.floats());
        } catch (ImportException e) {
            throw n.unsupported(e.getMessage());
        }
    }

    private Object clip(Node n) {
        Tensor x = n.tensor(0);
        Const a = n.optionalConstant(1, "min"), b = n.optionalConstant(2, "max"); // inputs since opset 11
        float lo = a == null ? Float.NEGATIVE_INFINITY : scalar(n, a, "min");
        float hi = b == null ? Float.POSITIVE_INFINITY : scalar(n, b, "max");
        if (lo == 0f && hi == Float.POSITIVE_INFINITY) return step(n, new SourceOp.Relu(n.where()), x.shape(), x);
        if (Float.isInfinite(lo) || Float.isInfinite(hi)) throw n.unsupported("clips to [" + lo + ", " + hi + "]; the toolkit clamps to a finite range (or [0, inf): ReLU)");
        return step(n, new SourceOp.Clamp(n.where(), lo, hi), x.shape(), x);
    }

    private static float scalar(Node n, Const c, String what) {
        if (c.size() != 1) throw n.unsupported("its " + what + " has " + c.size() + " values, not one");
        return (float) c.v()[0];
    }

    private Object conv(Node n) {
        Tensor x = n.tensor(0);
        SourceOp.Param w = param(n, 1, "weight");
        SourceOp.Param b = n.input(2) == null ? null : param(n, 2, "bias");
        if (w.shape().length != 4 || x.shape().length != 3) throw n.unsupported("a convolution of a " + Arrays.toString(x.shape()) + " input with weight " + w + "; the toolkit's is 2-D");
        long[] k = n.ints("kernel_shape", w.shape()[2], w.shape()[3]);
        if (k[0] != w.shape()[2] || k[1] != w.shape()[3]) throw n.unsupported("kernel_shape " + Arrays.toString(k) + " but weight " + w);
        int[] stride = pair(n, n.ints("strides", 1, 1), "strides");
        int[] dilation = pair(n, n.ints("dilations", 1, 1), "dilations");
        int[] pad = pads(n, x.shape(), (int) k[0], (int) k[1], stride);
        SourceOp.Conv c = new SourceOp.Conv(n.where(), w, b, stride, pad, dilation, (int) n.i("group", 1));
        return step(n, c, Layers.convShape(c, x.shape()), x);
    }

    private Object pool(Node n) {
        Tensor x = n.tensor(0);
        if (x.shape().length != 3) throw n.unsupported("pools a " + Arrays.toString(x.shape()) + " input; the toolkit pools {C, H, W}");
        int[] k = pair(n, n.ints("kernel_shape"), "kernel_shape");
        int[] stride = pair(n, n.ints("strides", 1, 1), "strides"); // ONNX's default stride is 1, not the window
        int[] dilation = pair(n, n.ints("dilations", 1, 1), "dilations");
        if (dilation[0] != 1 || dilation[1] != 1) throw n.unsupported("dilations " + Arrays.toString(dilation) + " are not supported (only 1)");
        int[] pad = pads(n, x.shape(), k[0], k[1], stride);
        SourceOp.Pool p = new SourceOp.Pool(n.where(), n.op().equals("MaxPool"), k, stride, pad, n.i("ceil_mode", 0) != 0);
        int[] s = x.shape();
        return step(n, p, new int[] {s[0], Layers.poolOut(s[1], k[0], stride[0]), Layers.poolOut(s[2], k[1], stride[1])}, x);
    }

    /** {@code pads} as {height, width}; the toolkit pads both sides alike. */
    private static int[] pads(Node n, int[] in, int kH, int kW, int[] stride) {
        String auto = n.s("auto_pad", "NOTSET");
        long[] p;
        switch (auto) {
            case "NOTSET" -> p = n.ints("pads", 0, 0, 0, 0);
            case "VALID" -> p = new long[4];
            case "SAME_UPPER", "SAME_LOWER" -> {
                p = new long[4];
                int[] k = {kH, kW};
                for (int a = 0; a < 2; a++) {
                    int out = (in[a + 1] + stride[a] - 1) / stride[a];
                    int total = Math.max(0, (out - 1) * stride[a] + k[a] - in[a + 1]);
                    p[a] = auto.equals("SAME_UPPER") ? total / 2 : total - total / 2;
                    p[a + 2] = total - p[a];
                }
            }
            default -> throw n.unsupported("auto_pad " + auto);
        }
        if (p.length != 4) throw n.unsupported("pads " + Arrays.toString(p) + " are not 2-D (begin H, W, end H, W)");
        if (p[0] != p[2] || p[1] != p[3]) throw n.unsupported("pads " + Arrays.toString(p) + " differ at the start and end of an axis; the toolkit pads both sides alike");
        return new int[] {(int) p[0], (int) p[1]};
    }

    private static int[] pair(Node n, long[] v, String what) {
        if (v.length != 2) throw n.unsupported(what + " " + Arrays.toString(v) + " are not 2-D");
        return new int[] {(int) v[0], (int) v[1]};
    }

    private Object reduceMean(Node n) {
        Tensor x = n.tensor(0);
        long[] axes = opset >= 18 ? (n.input(1) == null ? new long[0] : n.constant(1, "axes").longs()) : n.ints("axes");
        Set<Long> a = new HashSet<>();
        for (long v : axes) a.add(v < 0 ? v + x.shape().length + 1 : v);
        if (x.shape().length != 3 || !a.equals(Set.of(2L, 3L))) {
            throw n.unsupported("averages a " + Arrays.toString(x.shape()) + " input over axes " + Arrays.toString(axes) + "; the toolkit averages {C, H, W} over H and W (axes 2, 3)");
        }
        Tensor pooled = step(n, new SourceOp.GlobalAvgPool(n.where()), new int[] {x.shape()[0], 1, 1}, x);
        return n.i("keepdims", 1) != 0 ? pooled : flatten(n, pooled, -1);
    }

    /** All but the batch axis into one; a flat input stays as it is. */
    private Tensor flatten(Node n, Tensor x, int size) {
        if (x.shape().length == 1) return x;
        return step(n, new SourceOp.Flatten(n.where(), size), new int[] {Layers.size(x.shape())}, x);
    }

    private Object reshape(Node n) {
        Tensor x = n.tensor(0);
        long[] target = n.constant(1, "shape").longs();
        long[] full = batchFirst(x.shape());
        long[] r = resolve(n, full, target, n.i("allowzero", 0) != 0);
        if (Arrays.equals(r, full)) return x;
        if (r.length == 2 && r[0] == 1) return flatten(n, x, (int) r[1]);
        throw n.unsupported("reshapes " + Arrays.toString(full) + " (batch first) to " + Arrays.toString(r) + "; the toolkit reshapes to [batch, features] only");
    }

    private Object squeeze(Node n) {
        Tensor x = n.tensor(0);
        long[] axes = opset >= 13 ? (n.input(1) == null ? null : n.constant(1, "axes").longs()) : n.ints("axes", (long[]) null);
        long[] full = batchFirst(x.shape());
        List<Long> kept = new ArrayList<>();
        for (int i = 0; i < full.length; i++) {
            boolean named = axes == null ? full[i] == 1 && i > 0 : contains(axes, i, full.length);
            if (named && i == 0) throw n.unsupported("squeezes the batch axis");
            if (!named) kept.add(full[i]);
            else if (full[i] != 1) throw n.unsupported("squeezes axis " + i + " of " + Arrays.toString(full) + ", which is not 1");
        }
        if (kept.size() == full.length) return x;
        if (kept.size() == 2) return flatten(n, x, kept.get(1).intValue());
        throw n.unsupported("squeezes " + Arrays.toString(full) + " to " + kept + "; the toolkit reshapes to [batch, features] only");
    }

    private static boolean contains(long[] axes, int i, int rank) {
        for (long a : axes) if ((a < 0 ? a + rank : a) == i) return true;
        return false;
    }

    private Object gemm(Node n) {
        Tensor x = n.tensor(0);
        if (n.i("transA", 0) != 0) throw n.unsupported("transA 1: the toolkit's linear layer reads its input as it is");
        Const b = n.constant(1, "weight");
        if (b.dims().length != 2) throw n.unsupported("its weight has dims " + Arrays.toString(b.dims()) + ", not 2");
        boolean transB = n.i("transB", 0) != 0;
        int out = (int) b.dims()[transB ? 0 : 1], in = (int) b.dims()[transB ? 1 : 0];
        float alpha = n.f("alpha", 1f), beta = n.f("beta", 1f);
        float[] w = transB ? b.floats() : transposed(b);
        if (alpha != 1f) for (int i = 0; i < w.length; i++) w[i] *= alpha;
        SourceOp.Param bias = null;
        Const c = n.optionalConstant(2, "bias");
        if (c != null) {
            float[] bv = broadcastBias(n, c, out);
            for (int i = 0; i < out; i++) bv[i] *= beta;
            bias = new SourceOp.Param(n.proto().getInput(2), new long[] {out}, bv);
        }
        SourceOp.Dense d = new SourceOp.Dense(n.where(), new SourceOp.Param(n.proto().getInput(1), new long[] {out, in}, w), bias);
        return step(n, d, new int[] {out}, x);
    }

    private Object matMul(Node n) {
        Tensor x = n.tensor(0);
        Const b = n.constant(1, "weight");
        if (b.dims().length != 2) throw n.unsupported("multiplies by a constant of dims " + Arrays.toString(b.dims()) + "; the toolkit's linear layer takes [in, out]");
        int in = (int) b.dims()[0], out = (int) b.dims()[1];
        SourceOp.Dense d = new SourceOp.Dense(n.where(), new SourceOp.Param(n.proto().getInput(1), new long[] {out, in}, transposed(b)), null);
        return step(n, d, new int[] {out}, x);
    }

    private Object add(Node n) {
        if (n.input(0) instanceof Tensor a && n.input(1) instanceof Tensor b) {
            if (!Arrays.equals(a.shape(), b.shape())) {
                throw n.unsupported("adds a " + Arrays.toString(a.shape()) + " and a " + Arrays.toString(b.shape()) + " tensor; the toolkit adds tensors of one shape only (no broadcasting)");
            }
            return step(n, new SourceOp.Add(n.where()), a.shape(), a, b);
        }
        Tensor x = n.input(0) instanceof Tensor t ? t : n.tensor(1);
        Const c = n.constant(n.input(0) instanceof Tensor ? 1 : 0, "addend");
        // MatMul + Add: the constant is the bias of the linear layer (or convolution) without one whose output only this node reads.
        SourceOp producer = x.id() == 0 ? null : ops.get(x.id() - 1);
        boolean onlyReader = x.id() > 0 && consumers.getOrDefault(tensorNames.get(x.id()), 0) == 1;
        if (onlyReader && producer instanceof SourceOp.Dense d && d.bias() == null) {
            int out = d.weight().dim(0);
            ops.set(x.id() - 1, new SourceOp.Dense(d.source() + " + " + n.where(), d.weight(), new SourceOp.Param(nameOfConst(n), new long[] {out}, broadcastBias(n, c, out))));
            return x;
        }
        if (onlyReader && producer instanceof SourceOp.Conv cv && cv.bias() == null) {
            int out = cv.weight().dim(0);
            ops.set(x.id() - 1, new SourceOp.Conv(cv.source() + " + " + n.where(), cv.weight(), new SourceOp.Param(nameOfConst(n), new long[] {out}, broadcastBias(n, c, out)),
                    cv.stride(), cv.padding(), cv.dilation(), cv.groups()));
            return x;
        }
        throw n.unsupported("adds a constant to the model's values; the toolkit adds two tensors (a residual) or a linear layer's or convolution's bias");
    }

    private static String nameOfConst(Node n) {
        return n.in().get(0) instanceof Const ? n.proto().getInput(0) : n.proto().getInput(1);
    }

    /** A bias of {@code out} values from a constant of {@code out} values in any dims ([out], [1, out], [out, 1, 1]...). */
    private static float[] broadcastBias(Node n, Const c, int out) {
        if (c.size() == out) return c.floats();
        if (c.size() == 1) {
            float[] b = new float[out];
            Arrays.fill(b, (float) c.v()[0]);
            return b;
        }
        throw n.unsupported("its bias has dims " + Arrays.toString(c.dims()) + ", not " + out + " values");
    }

    private static float[] transposed(Const b) {
        int rows = (int) b.dims()[0], cols = (int) b.dims()[1];
        float[] t = new float[rows * cols];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) t[c * rows + r] = (float) b.v()[r * cols + c];
        return t;
    }

    private static long[] batchFirst(int[] sample) {
        long[] full = new long[sample.length + 1];
        full[0] = 1;
        for (int i = 0; i < sample.length; i++) full[i + 1] = sample[i];
        return full;
    }

    /** A reshape target with its 0s (copy the input's dim, unless allowzero) and its -1 (the rest) resolved. */
    private static long[] resolve(Node n, long[] from, long[] target, boolean allowZero) {
        long[] r = target.clone();
        long known = 1, total = 1;
        int free = -1;
        for (long d : from) total *= d;
        for (int i = 0; i < r.length; i++) {
            if (r[i] == 0 && !allowZero) {
                if (i >= from.length) throw n.unsupported("copies dim " + i + " of a " + from.length + "-D input");
                r[i] = from[i];
            }
            if (r[i] == -1) {
                if (free >= 0) throw n.unsupported("reshape target " + Arrays.toString(target) + " has two -1");
                free = i;
            } else {
                known *= r[i];
            }
        }
        if (free >= 0) {
            if (known == 0 || total % known != 0) throw n.unsupported("cannot reshape " + Arrays.toString(from) + " to " + Arrays.toString(target));
            r[free] = total / known;
        } else if (known != total) {
            throw n.unsupported("reshapes " + Arrays.toString(from) + " (" + total + " values) to " + Arrays.toString(target));
        }
        return r;
    }

    // ---------------------------------------------------------------- constants

    private Object constantNode(Node n) {
        OnnxMl.AttributeProto a = n.proto().getAttributeCount() == 1 ? n.proto().getAttribute(0) : null;
        if (a == null) throw n.unsupported("a Constant needs exactly one attribute");
        return switch (a.getName()) {
            case "value" -> constant(a.getT(), n.where());
            case "value_float" -> new Const(new long[0], new double[] {a.getF()}, true);
            case "value_floats" -> new Const(new long[] {a.getFloatsCount()}, a.getFloatsList().stream().mapToDouble(Float::doubleValue).toArray(), true);
            case "value_int" -> new Const(new long[0], new double[] {a.getI()}, false);
            case "value_ints" -> new Const(new long[] {a.getIntsCount()}, a.getIntsList().stream().mapToDouble(Long::doubleValue).toArray(), false);
            default -> throw n.unsupported("a Constant of attribute '" + a.getName() + "' is not supported");
        };
    }

    /** The values of a TensorProto (typed fields or little-endian raw_data); float, double, int32 and int64. */
    /** {@code where} names the tensor in messages. */
    private Object constant(OnnxMl.TensorProto t, String where) {
        if (t.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL) {
            throw new ImportException(where + " is stored in an external file; the toolkit reads models whose weights are inside the .onnx file");
        }
        long n = 1;
        for (long d : t.getDimsList()) n *= d;
        if (n > Integer.MAX_VALUE || n < 0) throw new ImportException(where + " has dims " + t.getDimsList());
        double[] v = new double[(int) n];
        ByteString raw = t.getRawData();
        ByteBuffer b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        int type = t.getDataType();
        // Per type: bytes per value in raw_data, floating point or not, and the typed field's count and values.
        int width, typedCount;
        boolean floating;
        java.util.function.IntToDoubleFunction typed;
        java.util.function.ToDoubleFunction<ByteBuffer> fromRaw;
        if (type == OnnxMl.TensorProto.DataType.FLOAT.getNumber()) {
            width = 4; floating = true; typedCount = t.getFloatDataCount(); typed = t::getFloatData; fromRaw = ByteBuffer::getFloat;
        } else if (type == OnnxMl.TensorProto.DataType.DOUBLE.getNumber()) {
            width = 8; floating = true; typedCount = t.getDoubleDataCount(); typed = t::getDoubleData; fromRaw = ByteBuffer::getDouble;
        } else if (type == OnnxMl.TensorProto.DataType.INT64.getNumber()) {
            width = 8; floating = false; typedCount = t.getInt64DataCount(); typed = t::getInt64Data; fromRaw = ByteBuffer::getLong;
        } else if (type == OnnxMl.TensorProto.DataType.INT32.getNumber()) {
            width = 4; floating = false; typedCount = t.getInt32DataCount(); typed = t::getInt32Data; fromRaw = ByteBuffer::getInt;
        } else {
            return new Unreadable(where + " is of element type " + typeName(type) + "; the toolkit reads float, double, int32 and int64 constants");
        }
        int count = raw.isEmpty() ? typedCount : raw.size() / width;
        if (count != v.length || raw.size() % width != 0) throw new ImportException(where + " holds " + count + " values, its dims say " + v.length);
        for (int i = 0; i < v.length; i++) v[i] = raw.isEmpty() ? typed.applyAsDouble(i) : fromRaw.applyAsDouble(b);
        return new Const(t.getDimsList().stream().mapToLong(Long::longValue).toArray(), v, floating);
    }

    /** A node whose inputs are all constants, evaluated here: the shape arithmetic of exporters. */
    private Object folded(Node n) {
        List<Const> c = new ArrayList<>();
        for (Object o : n.in()) c.add((Const) o);
        Const a = c.isEmpty() ? null : c.get(0);
        switch (n.op()) {
            case "Identity", "Cast":
                return n.op().equals("Cast") ? new Const(a.dims(), a.v(), isFloatType((int) n.i("to", 1))) : a;
            case "Unsqueeze", "Squeeze": {
                long[] axes = opset >= 13 && c.size() > 1 && c.get(1) != null ? c.get(1).longs() : n.ints("axes");
                return new Const(n.op().equals("Unsqueeze") ? unsqueezed(a.dims(), axes) : squeezed(a.dims(), axes), a.v(), a.floating());
            }
            case "Concat": {
                if (n.i("axis", 0) != 0 && n.i("axis", 0) != -1) throw n.unsupported("concatenates constants along axis " + n.i("axis", 0));
                double[] all = c.stream().flatMapToDouble(x -> Arrays.stream(x.v())).toArray();
                return new Const(new long[] {all.length}, all, c.stream().anyMatch(Const::floating));
            }
            case "Gather": {
                if (a.dims().length > 1) throw n.unsupported("gathers from a constant of dims " + Arrays.toString(a.dims()));
                Const idx = c.get(1);
                double[] v = new double[idx.size()];
                for (int i = 0; i < v.length; i++) {
                    long k = (long) idx.v()[i];
                    v[i] = a.v()[(int) (k < 0 ? k + a.size() : k)];
                }
                return new Const(idx.dims(), v, a.floating());
            }
            case "Slice": {
                if (a.dims().length != 1) throw n.unsupported("slices a constant of dims " + Arrays.toString(a.dims()));
                if (c.size() > 4 && c.get(4) != null && c.get(4).v()[0] != 1) throw n.unsupported("slices constants with a step");
                return slice1d(a, (long) c.get(1).v()[0], (long) c.get(2).v()[0]);
            }
            case "Shape":
                return new Const(new long[] {a.dims().length}, Arrays.stream(a.dims()).asDoubleStream().toArray(), false);
            case "Reshape": {
                long[] r = resolve(n, a.dims(), c.get(1).longs(), n.i("allowzero", 0) != 0);
                return new Const(r, a.v(), a.floating());
            }
            case "Transpose": {
                if (a.dims().length != 2) throw n.unsupported("transposes a constant of dims " + Arrays.toString(a.dims()));
                float[] t = transposed(a);
                return new Const(new long[] {a.dims()[1], a.dims()[0]}, floatsToDoubles(t), a.floating());
            }
            case "Add", "Sub", "Mul", "Div":
                return arithmetic(n, a, c.get(1));
            default:
                throw n.unsupported("no toolkit layer computes " + n.op() + " and its inputs are constants the toolkit does not fold");
        }
    }

    private static boolean isFloatType(int t) {
        return t == OnnxMl.TensorProto.DataType.FLOAT.getNumber() || t == OnnxMl.TensorProto.DataType.DOUBLE.getNumber();
    }

    private static double[] floatsToDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    private static Const slice1d(Const a, long start, long end) {
        int n = a.size();
        int s = (int) Math.max(0, Math.min(n, start < 0 ? start + n : start));
        int e = (int) Math.max(0, Math.min(n, end < 0 ? end + n : end));
        double[] v = Arrays.copyOfRange(a.v(), s, Math.max(s, e));
        return new Const(new long[] {v.length}, v, a.floating());
    }

    private static long[] unsqueezed(long[] dims, long[] axes) {
        int rank = dims.length + axes.length;
        long[] out = new long[rank];
        boolean[] added = new boolean[rank];
        for (long a : axes) added[(int) (a < 0 ? a + rank : a)] = true;
        for (int i = 0, k = 0; i < rank; i++) out[i] = added[i] ? 1 : dims[k++];
        return out;
    }

    private static long[] squeezed(long[] dims, long[] axes) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < dims.length; i++) if (!(axes.length == 0 ? dims[i] == 1 : contains(axes, i, dims.length))) out.add(dims[i]);
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    private static Const arithmetic(Node n, Const a, Const b) {
        if (a.size() != b.size() && a.size() != 1 && b.size() != 1) {
            throw n.unsupported("broadcasts constants of dims " + Arrays.toString(a.dims()) + " and " + Arrays.toString(b.dims()));
        }
        Const big = a.size() >= b.size() ? a : b;
        boolean floating = a.floating() || b.floating();
        double[] v = new double[big.size()];
        for (int i = 0; i < v.length; i++) {
            double x = a.v()[a.size() == 1 ? 0 : i], y = b.v()[b.size() == 1 ? 0 : i];
            double r = switch (n.op()) {
                case "Add" -> x + y;
                case "Sub" -> x - y;
                case "Mul" -> x * y;
                default -> floating ? x / y : (double) ((long) x / (long) y); // integer division truncates, as in ONNX
            };
            v[i] = floating ? (float) r : r;
        }
        return new Const(big.dims(), v, floating);
    }
}
