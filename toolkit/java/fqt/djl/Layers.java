package fqt.djl;

import fqt.nn.Add;
import fqt.nn.AvgPool2d;
import fqt.nn.Clamp;
import fqt.nn.Conv2d;
import fqt.nn.Flatten;
import fqt.nn.Layer;
import fqt.nn.Linear;
import fqt.nn.MaxPool2d;
import fqt.nn.Model;
import fqt.nn.ReLU;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns a chain or graph of {@link SourceOp}s ({@link SourceGraph}) into a float32 toolkit
 * {@link Model}: one toolkit layer per step, reading the same tensors, a BatchNorm folded into the
 * convolution or linear layer whose output it reads ({@link BatchNormFold}). Every step the
 * toolkit cannot compute exactly as the source does is an
 * {@link ImportException} naming the step.
 */
final class Layers {
    private Layers() {}

    /** The model and, per toolkit layer, where it came from. */
    record Built(Model model, List<String> sources) {}

    /** {@code sampleShape} is one sample's shape without the batch axis, e.g. {1, 28, 28}. */
    static Built build(int[] sampleShape, List<SourceOp> ops) {
        return build(sampleShape, SourceGraph.chain(ops));
    }

    /**
     * A graph of steps (fan-outs, additions) into a toolkit model with the same edges. A
     * BatchNorm is folded into the convolution or linear step whose output it reads, which requires
     * that no other step reads that output (folding would change it for them too).
     */
    static Built build(int[] sampleShape, SourceGraph g) {
        List<SourceOp> ops = g.ops();
        int n = ops.size();
        if (n == 0) throw new ImportException("the model has no layers: its forward returns its input");
        int[] reads = g.readCounts();
        // fold[k]: the BatchNorm folded into weight step k; folded[i]: step i is that BatchNorm.
        SourceOp.BatchNorm[] fold = new SourceOp.BatchNorm[n];
        boolean[] folded = new boolean[n];
        for (int i = 0; i < n; i++) {
            if (!(ops.get(i) instanceof SourceOp.BatchNorm b)) continue;
            int t = g.inputs().get(i)[0];
            SourceOp producer = t == 0 ? null : ops.get(t - 1);
            if (!(producer instanceof SourceOp.Conv || producer instanceof SourceOp.Dense)) {
                throw new ImportException(b.source() + ": BatchNorm after " + (producer == null ? "the input" : producer.source())
                        + " is not preceded by a convolution or linear layer, so it cannot be folded");
            }
            if (reads[t] != 1 || fold[t - 1] != null) {
                throw new ImportException(b.source() + ": BatchNorm of " + producer.source() + ", whose output " + (reads[t] - 1)
                        + " other step(s) also read: folding it would change their input too, so it cannot be folded");
            }
            fold[t - 1] = b;
            folded[i] = true;
        }
        List<Layer> layers = new ArrayList<>();
        List<int[]> inputs = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        int[][] shapes = new int[n + 1][];
        int[] tensorOf = new int[n + 1]; // source tensor -> toolkit tensor (folded and no-op steps alias their input)
        shapes[0] = sampleShape.clone();
        for (int i = 0; i < n; i++) {
            SourceOp op = ops.get(i);
            int[] in = g.inputs().get(i);
            int[] shape = shapes[in[0]];
            SourceOp.BatchNorm bn = fold[i];
            String source = op.source() + (bn != null ? " + " + bn.source() + " folded" : "");
            Layer layer;
            if (folded[i]) {
                shapes[i + 1] = shape;
                tensorOf[i + 1] = tensorOf[in[0]];
                continue;
            } else if (op instanceof SourceOp.Conv c) {
                layer = conv(c, shape, bn);
                shape = convShape(c, shape);
            } else if (op instanceof SourceOp.Dense d) {
                layer = dense(d, shape, bn);
                shape = new int[] {d.weight().dim(0)};
            } else if (op instanceof SourceOp.Relu) {
                layer = new ReLU();
            } else if (op instanceof SourceOp.Clamp c) {
                if (!(c.lo() < c.hi())) throw new ImportException(c.source() + ": clamp to [" + c.lo() + ", " + c.hi() + "] is empty");
                layer = new Clamp(c.lo(), c.hi());
            } else if (op instanceof SourceOp.Add a) {
                if (!Arrays.equals(shape, shapes[in[1]])) {
                    throw new ImportException(a.source() + ": adds a " + Arrays.toString(shape) + " and a " + Arrays.toString(shapes[in[1]])
                            + " tensor; the toolkit adds tensors of one shape only (no broadcasting)");
                }
                layer = new Add();
            } else if (op instanceof SourceOp.Pool p) {
                layer = pool(p, shape);
                shape = new int[] {shape[0], poolOut(shape[1], p.kernel()[0], stride(p)[0]), poolOut(shape[2], p.kernel()[1], stride(p)[1])};
            } else if (op instanceof SourceOp.GlobalAvgPool gap) {
                requireImage(gap.source(), shape);
                layer = AvgPool2d.global();
                shape = new int[] {shape[0], 1, 1};
            } else if (op instanceof SourceOp.Flatten fl) {
                if (fl.size() >= 0 && fl.size() != size(shape)) {
                    throw new ImportException(fl.source() + ": reshapes a " + Arrays.toString(shape) + " tensor (" + size(shape)
                            + " values per sample) to " + fl.size() + " per sample");
                }
                if (shape.length == 1) { // already flat: nothing to do
                    shapes[i + 1] = shape;
                    tensorOf[i + 1] = tensorOf[in[0]];
                    continue;
                }
                layer = new Flatten();
                shape = new int[] {size(shape)};
            } else {
                throw new IllegalStateException("unknown step " + op);
            }
            int[] mapped = new int[in.length];
            for (int k = 0; k < in.length; k++) mapped[k] = tensorOf[in[k]];
            layers.add(layer);
            inputs.add(mapped);
            sources.add(source);
            shapes[i + 1] = shape;
            tensorOf[i + 1] = layers.size();
        }
        int[] shape = shapes[n];
        if (shape.length != 1) {
            throw new ImportException("the model ends in shape " + Arrays.toString(shape) + "; the toolkit needs class logits {classes}"
                    + " or a flat reconstruction (add a flatten, and a linear layer)");
        }
        if (layers.isEmpty()) throw new ImportException("the model has no layer the toolkit computes: its output is its input");
        try {
            return new Built(new Model(sampleShape, layers, inputs.toArray(new int[0][])), List.copyOf(sources));
        } catch (IllegalArgumentException e) {
            throw new ImportException("the imported layers do not fit together: " + e.getMessage(), e);
        }
    }

    private static Conv2d conv(SourceOp.Conv c, int[] shape, SourceOp.BatchNorm bn) {
        requireImage(c.source(), shape);
        SourceOp.Param w = c.weight();
        if (w.shape().length != 4) throw new ImportException(c.source() + ": weight " + w + " is not [out, in/groups, kH, kW]");
        int groups = c.groups(), out = w.dim(0), in = w.dim(1) * groups;
        if (in != shape[0]) {
            throw new ImportException(c.source() + ": weight " + w + " with " + groups + " group(s) reads " + in
                    + " channels, the input has " + shape[0]);
        }
        if (c.dilation()[0] != 1 || c.dilation()[1] != 1) {
            throw new ImportException(c.source() + ": dilation " + Arrays.toString(c.dilation()) + " is not supported (only 1)");
        }
        if (c.stride()[0] != c.stride()[1] || c.padding()[0] != c.padding()[1]) {
            throw new ImportException(c.source() + ": stride " + Arrays.toString(c.stride()) + " and padding " + Arrays.toString(c.padding())
                    + " must be the same in height and width");
        }
        Conv2d layer = new Conv2d(in, out, w.dim(2), w.dim(3), c.stride()[0], c.padding()[0], groups);
        setWeights(layer, c.source(), w, c.bias(), bn);
        return layer;
    }

    static int[] convShape(SourceOp.Conv c, int[] shape) {
        int h = (shape[1] + 2 * c.padding()[0] - c.weight().dim(2)) / c.stride()[0] + 1;
        int w = (shape[2] + 2 * c.padding()[1] - c.weight().dim(3)) / c.stride()[1] + 1;
        return new int[] {c.weight().dim(0), h, w};
    }

    private static Linear dense(SourceOp.Dense d, int[] shape, SourceOp.BatchNorm bn) {
        SourceOp.Param w = d.weight();
        if (w.shape().length != 2) throw new ImportException(d.source() + ": weight " + w + " is not [out, in]");
        if (shape.length != 1) {
            throw new ImportException(d.source() + ": a linear layer on a " + Arrays.toString(shape)
                    + " input acts on its last axis in PyTorch and DJL; the toolkit's needs a flattened input (flatten before it)");
        }
        if (w.dim(1) != shape[0]) {
            throw new ImportException(d.source() + ": weight " + w + " expects " + w.dim(1) + " inputs, the input has " + shape[0]);
        }
        Linear layer = new Linear(w.dim(1), w.dim(0));
        setWeights(layer, d.source(), w, d.bias(), bn);
        return layer;
    }

    private static void setWeights(Layer layer, String source, SourceOp.Param w, SourceOp.Param b, SourceOp.BatchNorm bn) {
        int out = w.dim(0);
        float[] weights = w.values().clone();
        float[] biases = new float[out];
        if (b != null) {
            if (b.values().length != out) throw new ImportException(source + ": bias " + b + " does not match weight " + w);
            System.arraycopy(b.values(), 0, biases, 0, out);
        }
        if (bn != null) BatchNormFold.fold(weights, biases, bn, source);
        try {
            layer.weights().set(weights, biases, source);
        } catch (ArithmeticException e) {
            throw new ImportException(e.getMessage(), e);
        }
    }

    private static Layer pool(SourceOp.Pool p, int[] shape) {
        requireImage(p.source(), shape);
        int[] k = p.kernel(), s = stride(p);
        if (p.padding()[0] != 0 || p.padding()[1] != 0) {
            throw new ImportException(p.source() + ": pooling with padding " + Arrays.toString(p.padding()) + " is not supported");
        }
        if (k[0] > shape[1] || k[1] > shape[2]) {
            throw new ImportException(p.source() + ": pooling window " + Arrays.toString(k) + " is larger than the input " + Arrays.toString(shape));
        }
        for (int a = 0; a < 2; a++) {
            // Ceil mode only matters when a last, partial window exists.
            if (p.ceilMode() && (shape[a + 1] - k[a]) % s[a] != 0) {
                throw new ImportException(p.source() + ": ceil_mode adds a partial window on " + Arrays.toString(shape) + "; not supported");
            }
        }
        if (!p.max() && k[0] == shape[1] && k[1] == shape[2]) return AvgPool2d.global();
        if (s[0] != s[1]) throw new ImportException(p.source() + ": stride " + Arrays.toString(s) + " must be the same in height and width");
        if (p.max()) return new MaxPool2d(k[0], k[1], s[0]);
        if (k[0] != k[1] || s[0] != k[0]) {
            throw new ImportException(p.source() + ": average pooling " + Arrays.toString(k) + " stride " + Arrays.toString(s)
                    + " is not supported (square windows with stride = window, or the whole input)");
        }
        return new AvgPool2d(k[0]);
    }

    /** PyTorch's empty stride means stride = kernel. */
    private static int[] stride(SourceOp.Pool p) {
        return p.stride().length == 0 ? p.kernel() : p.stride();
    }

    static int poolOut(int in, int k, int s) {
        return (in - k) / s + 1;
    }

    private static void requireImage(String source, int[] shape) {
        if (shape.length != 3) throw new ImportException(source + ": needs a {C, H, W} input, got " + Arrays.toString(shape));
    }

    static int size(int[] shape) {
        int n = 1;
        for (int d : shape) n *= d;
        return n;
    }
}
