package fqt.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
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

/**
 * Walks a DJL block tree into {@link SourceOp}s: SequentialBlock (nested too), Conv2d, Linear,
 * BatchNorm, Dropout (inference: nothing) and the LambdaBlocks DJL's factories make, recognised by
 * their names: {@code ReLU} (Activation.reluBlock), {@code batchFlatten}, {@code identity},
 * {@code maxPool2d}, {@code avgPool2d}, {@code globalAvgPool2d}, {@code globalMaxPool2d}. A
 * pooling LambdaBlock keeps its window in a lambda, so its window and stride are found by running
 * it once on a random probe and matching the padding-free candidates. Any other block is an
 * {@link ImportException} naming it and its position ({@code block 2.1}: child 1 of child 2).
 */
final class DjlBlocks {
    private DjlBlocks() {}

    /** {@code input} is the block's input shape with the batch axis first. */
    static List<SourceOp> ops(Block root, Shape input, NDManager manager) {
        List<SourceOp> out = new ArrayList<>();
        walk(root, "", input, out, manager);
        return out;
    }

    private static Shape walk(Block b, String position, Shape in, List<SourceOp> out, NDManager manager) {
        String source = "block " + (position.isEmpty() ? "(root)" : position) + " (" + describe(b) + ")";
        if (b instanceof SequentialBlock s) {
            if (s.isReturnIntermediate()) throw new ImportException(source + ": returns intermediate outputs; not supported");
            int i = 0;
            Shape shape = in;
            for (Block child : s.getChildren().values()) {
                shape = walk(child, position.isEmpty() ? String.valueOf(i) : position + "." + i, shape, out, manager);
                i++;
            }
            return shape;
        }
        if (b instanceof Conv2d c) {
            out.add(new SourceOp.Conv(source, param(c, "weight", source), c.isIncludeBias() ? param(c, "bias", source) : null,
                    pair(c.getStride()), pair(c.getPadding()), pair(c.getDilation()), c.getGroups()));
        } else if (b instanceof Linear l) {
            boolean bias = l.getDirectParameters().keys().contains("bias");
            out.add(new SourceOp.Dense(source, param(l, "weight", source), bias ? param(l, "bias", source) : null));
        } else if (b instanceof BatchNorm bn) {
            // DJL has no getters for these; its fields are the only place they are kept.
            int axis = (int) field(bn, "axis", source);
            if (axis != 1) throw new ImportException(source + ": BatchNorm over axis " + axis + "; only channels (axis 1) can be folded");
            boolean scale = (boolean) field(bn, "scale", source), center = (boolean) field(bn, "center", source);
            out.add(new SourceOp.BatchNorm(source, scale ? param(bn, "gamma", source) : null, center ? param(bn, "beta", source) : null,
                    param(bn, "runningMean", source), param(bn, "runningVar", source), (float) field(bn, "epsilon", source)));
        } else if (b instanceof Dropout) {
            return in; // identity at inference
        } else if (b instanceof LambdaBlock l) {
            switch (l.getName()) {
                case "ReLU" -> out.add(new SourceOp.Relu(source));
                case "batchFlatten" -> out.add(new SourceOp.Flatten(source));
                case "identity" -> { }
                case "maxPool2d", "avgPool2d" ->
                        out.add(probePool(b, source, l.getName().startsWith("max"), in, b.getOutputShapes(new Shape[] {in})[0], manager));
                case "globalAvgPool2d" -> {
                    out.add(new SourceOp.GlobalAvgPool(source));
                    out.add(new SourceOp.Flatten(source)); // DJL's global pooling returns {N, C}
                }
                case "globalMaxPool2d" -> {
                    int[] whole = {(int) in.get(2), (int) in.get(3)};
                    out.add(new SourceOp.Pool(source, true, whole, whole, new int[] {0, 0}, false));
                    out.add(new SourceOp.Flatten(source));
                }
                default -> throw new ImportException(source + ": unsupported block (a LambdaBlock named '" + l.getName() + "')");
            }
        } else {
            throw new ImportException(source + ": unsupported block " + b.getClass().getName());
        }
        return b.getOutputShapes(new Shape[] {in})[0];
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
