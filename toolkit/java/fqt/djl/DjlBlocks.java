package fqt.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Walks a DJL block tree into a {@link SourceGraph}: SequentialBlock (nested too), Conv2d, Linear,
 * BatchNorm, Dropout (inference: nothing) and the LambdaBlocks DJL's factories make, recognised by
 * their names: {@code ReLU} (Activation.reluBlock), {@code batchFlatten}, {@code identity},
 * {@code maxPool2d}, {@code avgPool2d}, {@code globalAvgPool2d}, {@code globalMaxPool2d}. A
 * pooling LambdaBlock keeps its window in a lambda, so its window and stride are found by running
 * it once on a random probe and matching the padding-free candidates; an unnamed LambdaBlock
 * ({@code add(Activation::relu)}, as DJL's ResNet writes) is probed the same way for identity or
 * ReLU. A ParallelBlock of two branches whose join function adds them (optionally then ReLU, as
 * {@code ResNetV1.residualUnit}) becomes an Add over both branches, each walked from the block's
 * input. Any other block is an {@link ImportException} naming it and its position
 * ({@code block 2.1}: child 1 of child 2).
 */
final class DjlBlocks {
    private DjlBlocks() {}

    /** {@code input} is the block's input shape with the batch axis first. */
    static SourceGraph ops(Block root, Shape input, NDManager manager) {
        SourceGraph.Builder out = new SourceGraph.Builder();
        Walked w = walk(root, "", new Walked(0, input), out, manager);
        if (w.tensor() != out.last()) throw new ImportException("block (root): its output is its input; nothing to import");
        return out.build();
    }

    /** A tensor of the graph being built and its shape (batch axis first). */
    private record Walked(int tensor, Shape shape) {}

    private static Walked walk(Block b, String position, Walked in, SourceGraph.Builder out, NDManager manager) {
        String source = "block " + (position.isEmpty() ? "(root)" : position) + " (" + describe(b) + ")";
        if (b instanceof SequentialBlock s) {
            if (s.isReturnIntermediate()) throw new ImportException(source + ": returns intermediate outputs; not supported");
            int i = 0;
            Walked x = in;
            for (Block child : s.getChildren().values()) {
                x = walk(child, child(position, i), x, out, manager);
                i++;
            }
            return x;
        }
        if (b instanceof ParallelBlock p) return parallel(p, position, source, in, out, manager);
        int t = in.tensor();
        Shape shape = in.shape();
        if (b instanceof Conv2d c) {
            out.step(new SourceOp.Conv(source, param(c, "weight", source), c.isIncludeBias() ? param(c, "bias", source) : null,
                    pair(c.getStride()), pair(c.getPadding()), pair(c.getDilation()), c.getGroups()), t);
        } else if (b instanceof Linear l) {
            boolean bias = l.getDirectParameters().keys().contains("bias");
            out.step(new SourceOp.Dense(source, param(l, "weight", source), bias ? param(l, "bias", source) : null), t);
        } else if (b instanceof BatchNorm bn) {
            // DJL has no getters for these; its fields are the only place they are kept.
            int axis = (int) field(bn, "axis", source);
            if (axis != 1) throw new ImportException(source + ": BatchNorm over axis " + axis + "; only channels (axis 1) can be folded");
            boolean scale = (boolean) field(bn, "scale", source), center = (boolean) field(bn, "center", source);
            out.step(new SourceOp.BatchNorm(source, scale ? param(bn, "gamma", source) : null, center ? param(bn, "beta", source) : null,
                    param(bn, "runningMean", source), param(bn, "runningVar", source), (float) field(bn, "epsilon", source)), t);
        } else if (b instanceof Dropout) {
            return in; // identity at inference
        } else if (b instanceof LambdaBlock l) {
            switch (l.getName()) {
                case "ReLU" -> out.step(new SourceOp.Relu(source), t);
                case "batchFlatten" -> out.step(new SourceOp.Flatten(source), t);
                case "identity" -> {
                    return in;
                }
                case LambdaBlock.DEFAULT_NAME -> {
                    if (probeElementwise(b, source, shape, manager)) return in; // identity
                    out.step(new SourceOp.Relu(source), t);
                }
                case "maxPool2d", "avgPool2d" ->
                        out.step(probePool(b, source, l.getName().startsWith("max"), shape, b.getOutputShapes(new Shape[] {shape})[0], manager), t);
                case "globalAvgPool2d" -> // DJL's global pooling returns {N, C}
                        out.step(new SourceOp.Flatten(source), out.step(new SourceOp.GlobalAvgPool(source), t));
                case "globalMaxPool2d" -> {
                    int[] whole = {(int) shape.get(2), (int) shape.get(3)};
                    out.step(new SourceOp.Flatten(source), out.step(new SourceOp.Pool(source, true, whole, whole, new int[] {0, 0}, false), t));
                }
                default -> throw new ImportException(source + ": unsupported block (a LambdaBlock named '" + l.getName() + "')");
            }
        } else {
            throw new ImportException(source + ": unsupported block " + b.getClass().getName());
        }
        return new Walked(out.last(), b.getOutputShapes(new Shape[] {shape})[0]);
    }

    private static String child(String position, int i) {
        return position.isEmpty() ? String.valueOf(i) : position + "." + i;
    }

    /**
     * Two branches from the block's input, joined by the block's function, which must be their
     * sum or the ReLU of their sum (found by running it on random probes, as it is a lambda).
     */
    private static Walked parallel(ParallelBlock p, String position, String source, Walked in, SourceGraph.Builder out, NDManager manager) {
        List<Block> branches = new ArrayList<>(p.getChildren().values());
        if (branches.size() != 2) {
            throw new ImportException(source + ": " + branches.size() + " parallel branches; only two joined by an add (a residual unit) are supported");
        }
        Walked a = walk(branches.get(0), child(position, 0), in, out, manager);
        Walked b = walk(branches.get(1), child(position, 1), in, out, manager);
        if (!a.shape().equals(b.shape())) {
            throw new ImportException(source + ": its branches end in shapes " + a.shape() + " and " + b.shape() + "; an add needs one shape");
        }
        boolean relu = probeJoin(p, source, a.shape(), manager);
        int sum = out.step(new SourceOp.Add(source + " join"), a.tensor(), b.tensor());
        if (relu) sum = out.step(new SourceOp.Relu(source + " join"), sum);
        return new Walked(sum, a.shape());
    }

    /** False when the join is {@code a + b}, true for {@code relu(a + b)}; anything else is refused. */
    @SuppressWarnings("unchecked")
    private static boolean probeJoin(ParallelBlock p, String source, Shape shape, NDManager manager) {
        Function<List<NDList>, NDList> join;
        try {
            // DJL keeps the join function in a private field and offers no getter.
            Field f = ParallelBlock.class.getDeclaredField("function");
            f.setAccessible(true);
            join = (Function<List<NDList>, NDList>) f.get(p);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ImportException(source + ": cannot read ParallelBlock's join function from this DJL version: " + e, e);
        }
        float[] x = probe(shape, 1), y = probe(shape, 2);
        float[] z;
        try (NDManager m = manager.newSubManager()) {
            NDList r = join.apply(List.of(new NDList(m.create(x, shape)), new NDList(m.create(y, shape))));
            if (r.size() != 1 || !r.get(0).getShape().equals(shape)) {
                throw new ImportException(source + ": its join function returns " + r.getShapes().length + " array(s) of shape "
                        + (r.isEmpty() ? "none" : r.get(0).getShape()) + " from two " + shape + " branches; only an add (a residual unit)"
                        + " is supported");
            }
            z = r.get(0).toFloatArray();
        }
        boolean sum = true, reluSum = true;
        for (int i = 0; i < z.length; i++) {
            float s = x[i] + y[i];
            sum &= Math.abs(z[i] - s) <= 1e-6f;
            reluSum &= Math.abs(z[i] - Math.max(0f, s)) <= 1e-6f;
        }
        if (sum) return false;
        if (reluSum) return true;
        throw new ImportException(source + ": its join function is neither the sum of its two branches nor the ReLU of the sum;"
                + " only residual adds are supported");
    }

    /** An unnamed LambdaBlock: true if it is the identity, false if ReLU; anything else is refused. */
    private static boolean probeElementwise(Block b, String source, Shape shape, NDManager manager) {
        float[] x = probe(shape, 3);
        float[] y;
        try (NDManager m = manager.newSubManager()) {
            NDList r = b.forward(new ParameterStore(m, false), new NDList(m.create(x, shape)), false);
            if (r.size() != 1 || !r.get(0).getShape().equals(shape)) {
                throw new ImportException(source + ": an unnamed LambdaBlock that changes the shape " + shape + "; not supported");
            }
            y = r.get(0).toFloatArray();
        }
        boolean identity = true, relu = true;
        for (int i = 0; i < x.length; i++) {
            identity &= y[i] == x[i];
            relu &= y[i] == Math.max(0f, x[i]);
        }
        if (identity) return true;
        if (relu) return false;
        throw new ImportException(source + ": an unnamed LambdaBlock that is neither the identity nor ReLU (on a random probe); not supported");
    }

    /** Distinct values in [-1, 1): negatives show a ReLU. */
    private static float[] probe(Shape shape, int seed) {
        float[] x = new float[(int) shape.size()];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < x.length; i++) x[i] = (float) (2 * rng.nextDouble() - 1);
        return x;
    }

    private static String describe(Block b) {
        return b instanceof LambdaBlock l ? "LambdaBlock '" + l.getName() + "'" : b.getClass().getSimpleName();
    }

    private static SourceOp.Param param(Block b, String name, String source) {
        Parameter p = b.getDirectParameters().get(name);
        if (p == null) throw new ImportException(source + ": has no parameter '" + name + "'");
        if (!p.isInitialized()) {
            throw new ImportException(source + ": parameter '" + name + "' is not initialized; initialize or train the block first");
        }
        return toParam(source + " " + name, p.getArray());
    }

    static SourceOp.Param toParam(String name, NDArray a) {
        if (a.getDataType() != DataType.FLOAT32) throw new ImportException(name + " is " + a.getDataType() + ", expected float32");
        return new SourceOp.Param(name, a.getShape().getShape(), a.toFloatArray());
    }

    private static Object field(BatchNorm bn, String name, String source) {
        try {
            Field f = BatchNorm.class.getDeclaredField(name);
            f.setAccessible(true);
            return f.get(bn);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ImportException(source + ": cannot read BatchNorm's '" + name + "' from this DJL version: " + e, e);
        }
    }

    private static int[] pair(Shape s) {
        if (s.dimension() != 2) throw new ImportException("expected a 2-D window, got " + s);
        return new int[] {(int) s.get(0), (int) s.get(1)};
    }

    /**
     * The padding-free window and stride that reproduce a pooling block's output on a random probe
     * (first match, smallest window first). Distinct random values make a wrong window show.
     */
    private static SourceOp.Pool probePool(Block b, String source, boolean max, Shape in, Shape out, NDManager manager) {
        if (in.dimension() != 4) throw new ImportException(source + ": expected an {N, C, H, W} input, got " + in);
        int c = (int) in.get(1), h = (int) in.get(2), w = (int) in.get(3), oh = (int) out.get(2), ow = (int) out.get(3);
        float[] x = new float[c * h * w];
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextDouble();
        float[] y;
        try (NDManager m = manager.newSubManager()) {
            NDArray probe = m.create(x, new Shape(1, c, h, w));
            y = b.forward(new ParameterStore(m, false), new NDList(probe), false).singletonOrThrow().toFloatArray();
        }
        for (int kh = 1; kh <= h; kh++) {
            for (int sh = 1; sh <= h; sh++) {
                if ((h - kh) / sh + 1 != oh) continue;
                for (int kw = 1; kw <= w; kw++) {
                    for (int sw = 1; sw <= w; sw++) {
                        if ((w - kw) / sw + 1 != ow) continue;
                        if (matches(x, y, max, c, h, w, kh, kw, sh, sw, oh, ow)) {
                            return new SourceOp.Pool(source, max, new int[] {kh, kw}, new int[] {sh, sw}, new int[] {0, 0}, false);
                        }
                    }
                }
            }
        }
        throw new ImportException(source + ": no padding-free window and stride reproduce this pooling's output "
                + in + " -> " + out + " (padding and ceil mode are not supported)");
    }

    private static boolean matches(float[] x, float[] y, boolean max, int c, int h, int w, int kh, int kw, int sh, int sw, int oh, int ow) {
        for (int ch = 0; ch < c; ch++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    float acc = max ? Float.NEGATIVE_INFINITY : 0f;
                    for (int ky = 0; ky < kh; ky++) {
                        for (int kx = 0; kx < kw; kx++) {
                            float v = x[(ch * h + oy * sh + ky) * w + ox * sw + kx];
                            acc = max ? Math.max(acc, v) : acc + v;
                        }
                    }
                    float expected = max ? acc : acc / (kh * kw);
                    if (Math.abs(expected - y[(ch * oh + oy) * ow + ox]) > 1e-5f) return false;
                }
            }
        }
        return true;
    }
}
