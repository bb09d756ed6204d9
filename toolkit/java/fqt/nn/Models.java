package fqt.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Ready-made float32 models, initialised from a seed (He-uniform weights, zero biases): the paper's
 * small CNN, an MLP, and reference architectures shaped like MLPerf Tiny's and the FQT paper's
 * ({@link #resnet8}, {@link #dsCnn}, {@link #mobileNetV1}, {@link #mobileNetV2}, {@link #autoencoder}),
 * sized to train on a microcontroller at their default widths (tens of thousands of weights).
 * BatchNorm is left out: an imported model's is folded into the conv before it anyway.
 */
public final class Models {
    private Models() {}

    public static final long DEFAULT_SEED = 42;

    /**
     * The paper's kind of small CNN with 4 trainable layers: conv 3x3 (8) - ReLU - maxpool 2 -
     * conv 3x3 (16) - ReLU - maxpool 2 - linear 64 - ReLU - linear classes. For 1x28x28 inputs:
     * 8x28x28, 8x14x14, 16x14x14, 16x7x7, 784, 64, classes. {@code fqt.djl.DjlModels.smallCnn} builds the same in DJL.
     */
    public static Model smallCnn(int[] shape, int classes) { return smallCnn(shape, classes, DEFAULT_SEED); }

    public static Model smallCnn(int[] shape, int classes, long seed) {
        if (shape == null || shape.length != 3 || shape[1] < 4 || shape[2] < 4) {
            throw new IllegalArgumentException("smallCnn takes an input shape {channels, height, width} of at least 4x4, got "
                    + Arrays.toString(shape) + ": pass data.shape(), or e.g. new int[] {1, 28, 28}");
        }
        int h = shape[1] / 4, w = shape[2] / 4;
        return init(Model.of(shape,
                new Conv2d(shape[0], 8, 3, 1, 1), new ReLU(), new MaxPool2d(2),
                new Conv2d(8, 16, 3, 1, 1), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(16 * h * w, 64), new ReLU(), new Linear(64, classes)), seed);
    }

    /** A multilayer perceptron: Flatten, then Linear-ReLU for each hidden size, then Linear to the classes. */
    public static Model mlp(int[] shape, int classes, long seed, int... hidden) {
        List<Layer> layers = new ArrayList<>();
        layers.add(new Flatten());
        int in = Layer.size(shape);
        for (int h : hidden) {
            layers.add(new Linear(in, h));
            layers.add(new ReLU());
            in = h;
        }
        layers.add(new Linear(in, classes));
        return init(new Model(shape, layers), seed);
    }

    // ---- Reference architectures (MLPerf Tiny and the FQT paper), built as graphs ----

    private static void checkImage(String model, int[] shape, int minSide) {
        if (shape == null || shape.length != 3 || shape[1] < minSide || shape[2] < minSide) {
            throw new IllegalArgumentException(model + " takes an input shape {channels, height, width} of at least " + minSide + "x" + minSide
                    + ", got " + Arrays.toString(shape) + ": pass data.shape(), or e.g. new int[] {1, 28, 28}");
        }
    }

    private static void checkWidth(String model, int width) {
        if (width < 1) throw new IllegalArgumentException(model + ": width must be >= 1, got " + width);
    }

    /** 3x3 convolution, padding 1. */
    private static Conv2d conv3(int in, int out, int stride) { return new Conv2d(in, out, 3, stride, 1); }

    /** 1x1 (pointwise) convolution. */
    private static Conv2d conv1(int in, int out, int stride) { return new Conv2d(in, out, 1, stride, 0); }

    /** Global average pool, flatten, linear to the classes. */
    private static Graph.Node head(Graph.Node x, int classes) {
        int channels = x.shape()[0];
        return x.then(AvgPool2d.global()).then(new Flatten()).then(new Linear(channels, classes));
    }

    /** Default width of {@link #resnet8(int[], int)}: 8 (MLPerf Tiny's is 16, 78 k weights at 10 classes). */
    public static final int RESNET8_WIDTH = 8;

    /** {@link #resnet8(int[], int, int)} at width {@link #RESNET8_WIDTH} (19.6 k weights with biases). */
    public static Model resnet8(int[] shape, int classes) { return resnet8(shape, classes, RESNET8_WIDTH); }

    public static Model resnet8(int[] shape, int classes, int width) { return resnet8(shape, classes, width, DEFAULT_SEED); }

    /**
     * MLPerf Tiny's image-classification ResNet-8 (BatchNorm folded away): conv 3x3 (w) - ReLU, then
     * three residual stacks of widths w, 2w, 4w, each conv 3x3 - ReLU - conv 3x3 added to the
     * shortcut, then ReLU; the 2nd and 3rd stacks start with stride 2 and project the shortcut with a
     * 1x1 stride-2 conv. Global average pool, flatten, linear. For 1x28x28 and width w: stem wx28x28;
     * stack 1 wx28x28; stack 2 2wx14x14; stack 3 4wx7x7; pool 4wx1x1; 4w; classes. Weights (with biases) at
     * w 8 and 10 classes: 19.6 k (w 16, MLPerf's: 77 k).
     */
    public static Model resnet8(int[] shape, int classes, int width, long seed) {
        checkImage("resnet8", shape, 4);
        checkWidth("resnet8", width);
        Graph g = Graph.input(shape);
        Graph.Node x = g.input().then(conv3(shape[0], width, 1)).then(new ReLU());
        int in = width;
        int[] widths = {width, 2 * width, 4 * width};
        for (int s = 0; s < 3; s++) {
            int out = widths[s], stride = s == 0 ? 1 : 2;
            Graph.Node y = x.then(conv3(in, out, stride)).then(new ReLU()).then(conv3(out, out, 1));
            Graph.Node shortcut = stride == 1 && in == out ? x : x.then(conv1(in, out, stride));
            x = y.add(shortcut).then(new ReLU());
            in = out;
        }
        return init(g.build(head(x, classes)), seed);
    }

    /** Default width of {@link #dsCnn(int[], int)}: 64, MLPerf Tiny's DS-CNN (small). */
    public static final int DS_CNN_WIDTH = 64;

    /** {@link #dsCnn(int[], int, int)} at width {@link #DS_CNN_WIDTH} (20.5 k weights with biases). */
    public static Model dsCnn(int[] shape, int classes) { return dsCnn(shape, classes, DS_CNN_WIDTH); }

    public static Model dsCnn(int[] shape, int classes, int width) { return dsCnn(shape, classes, width, DEFAULT_SEED); }

    /**
     * MLPerf Tiny's keyword-spotting DS-CNN, for images (a 3x3 stride-2 stem in place of the
     * spectrogram's 10x4): conv 3x3 s2 (w) - ReLU, then 4 depthwise-separable blocks, each depthwise
     * 3x3 (groups = w) - ReLU - pointwise 1x1 (w) - ReLU; global average pool, flatten, linear.
     * For 1x28x28 and width w: wx14x14 throughout the blocks; pool wx1x1; w; classes. Weights (with biases) at
     * w 64 and 10 classes: 20.5 k (3x32x32: 21.6 k).
     */
    public static Model dsCnn(int[] shape, int classes, int width, long seed) {
        checkImage("dsCnn", shape, 2);
        checkWidth("dsCnn", width);
        Graph g = Graph.input(shape);
        Graph.Node x = g.input().then(conv3(shape[0], width, 2)).then(new ReLU());
        for (int b = 0; b < 4; b++) {
            x = x.then(Conv2d.depthwise(width, 3, 1, 1)).then(new ReLU()).then(conv1(width, width, 1)).then(new ReLU());
        }
        return init(g.build(head(x, classes)), seed);
    }

    /** Default width of {@link #mobileNetV1(int[], int)}: 8 (MobileNetV1's 32 times a width multiplier of 0.25, as MLPerf Tiny's VWW). */
    public static final int MOBILENET_V1_WIDTH = 8;

    /** {@link #mobileNetV1(int[], int, int)} at width {@link #MOBILENET_V1_WIDTH} (10.3 k weights with biases). */
    public static Model mobileNetV1(int[] shape, int classes) { return mobileNetV1(shape, classes, MOBILENET_V1_WIDTH); }

    public static Model mobileNetV1(int[] shape, int classes, int width) { return mobileNetV1(shape, classes, width, DEFAULT_SEED); }

    /**
     * A MobileNetV1 cut to small inputs: conv 3x3 s2 (w) - ReLU, then depthwise-separable blocks
     * (depthwise 3x3 - ReLU - pointwise 1x1 - ReLU) to 2w, 4w s2, 4w, 8w s2, 8w (the stride on the
     * depthwise conv); global average pool, flatten, linear. {@code width} is MobileNetV1's 32 times
     * its width multiplier. For 1x28x28 and width w: wx14x14; 2wx14x14; 4wx7x7; 4wx7x7; 8wx4x4;
     * 8wx4x4; pool 8wx1x1; 8w; classes. Weights (with biases) at w 8 and 10 classes: 10.3 k (w 16: 36 k).
     */
    public static Model mobileNetV1(int[] shape, int classes, int width, long seed) {
        checkImage("mobileNetV1", shape, 2);
        checkWidth("mobileNetV1", width);
        Graph g = Graph.input(shape);
        Graph.Node x = g.input().then(conv3(shape[0], width, 2)).then(new ReLU());
        int[][] blocks = {{2, 1}, {4, 2}, {4, 1}, {8, 2}, {8, 1}}; // {channels / width, stride}
        int in = width;
        for (int[] b : blocks) {
            int out = b[0] * width;
            x = x.then(Conv2d.depthwise(in, 3, b[1], 1)).then(new ReLU()).then(conv1(in, out, 1)).then(new ReLU());
            in = out;
        }
        return init(g.build(head(x, classes)), seed);
    }

    /** Default width of {@link #mobileNetV2(int[], int)}: 8. */
    public static final int MOBILENET_V2_WIDTH = 8;
    /** Expansion factor of {@link #mobileNetV2}'s inverted residual blocks (MobileNetV2's is 6). */
    public static final int MOBILENET_V2_EXPANSION = 4;

    /** {@link #mobileNetV2(int[], int, int)} at width {@link #MOBILENET_V2_WIDTH} (21 k weights with biases). */
    public static Model mobileNetV2(int[] shape, int classes) { return mobileNetV2(shape, classes, MOBILENET_V2_WIDTH); }

    public static Model mobileNetV2(int[] shape, int classes, int width) { return mobileNetV2(shape, classes, width, DEFAULT_SEED); }

    /**
     * A MobileNetV2 cut to small inputs, the kind of network the FQT paper fine-tunes: conv 3x3 s2 (w)
     * - ReLU6, then inverted residual blocks (1x1 expand by {@link #MOBILENET_V2_EXPANSION} - ReLU6 -
     * depthwise 3x3 - ReLU6 - 1x1 project, no activation; added to the block's input when the stride
     * is 1 and the channels match) to w, 2w s2, 2w, 4w s2, 4w; then 1x1 conv (8w) - ReLU6, global
     * average pool, flatten, linear. For 1x28x28 and width w: wx14x14; wx14x14 (+); 2wx7x7; 2wx7x7
     * (+); 4wx4x4; 4wx4x4 (+); 8wx4x4; pool 8wx1x1; 8w; classes (expansions 4wx14x14, 4wx14x14 -> 4wx7x7,
     * 8wx7x7, 8wx7x7 -> 8wx4x4, 16wx4x4). Weights (with biases) at w 8 and 10 classes: 21 k.
     */
    public static Model mobileNetV2(int[] shape, int classes, int width, long seed) {
        checkImage("mobileNetV2", shape, 2);
        checkWidth("mobileNetV2", width);
        Graph g = Graph.input(shape);
        Graph.Node x = g.input().then(conv3(shape[0], width, 2)).then(Clamp.relu6());
        int[][] blocks = {{1, 1}, {2, 2}, {2, 1}, {4, 2}, {4, 1}}; // {channels / width, stride}
        int in = width;
        for (int[] b : blocks) {
            int out = b[0] * width, stride = b[1], hidden = in * MOBILENET_V2_EXPANSION;
            Graph.Node y = x.then(conv1(in, hidden, 1)).then(Clamp.relu6())
                    .then(Conv2d.depthwise(hidden, 3, stride, 1)).then(Clamp.relu6())
                    .then(conv1(hidden, out, 1));
            x = stride == 1 && in == out ? y.add(x) : y;
            in = out;
        }
        x = x.then(conv1(in, 8 * width, 1)).then(Clamp.relu6());
        return init(g.build(head(x, classes)), seed);
    }

    /**
     * A fully connected autoencoder for flat inputs of {@code sizes[0]} values (an image of that many
     * pixels fits too): Flatten, then Linear - ReLU down through {@code sizes}, and the mirror image up,
     * with no activation on the last Linear, whose flat output is compared with the input
     * ({@link Loss#MSE}). {@code autoencoder(784, 64, 16)}: 784, 64, 16, 64, 784 (103 k weights with biases;
     * {@code autoencoder(784, 32, 8)}: 51 k).
     */
    public static Model autoencoder(int... sizes) { return autoencoder(DEFAULT_SEED, sizes); }

    public static Model autoencoder(long seed, int... sizes) {
        if (sizes == null || sizes.length < 2) {
            throw new IllegalArgumentException("autoencoder takes the input size and at least one hidden size, e.g. autoencoder(784, 64, 16), got "
                    + Arrays.toString(sizes));
        }
        for (int s : sizes) if (s < 1) throw new IllegalArgumentException("autoencoder: sizes must be >= 1, got " + Arrays.toString(sizes));
        List<Layer> layers = new ArrayList<>();
        layers.add(new Flatten());
        int n = sizes.length;
        for (int i = 1; i < n; i++) {
            layers.add(new Linear(sizes[i - 1], sizes[i]));
            layers.add(new ReLU());
        }
        for (int i = n - 2; i >= 0; i--) {
            layers.add(new Linear(sizes[i + 1], sizes[i]));
            if (i > 0) layers.add(new ReLU());
        }
        return init(new Model(new int[] {sizes[0]}, layers), seed);
    }

    /**
     * The reference architectures by name, for inputs of {@code shape} and {@code classes} classes:
     * small-cnn, resnet8, ds-cnn, mobilenet-v1, mobilenet-v2 and an autoencoder of the flattened
     * input (sizes input, 64, 16), each with its default width and seed. The README's memory table
     * and notebook 07 list these.
     */
    public static Map<String, Model> references(int[] shape, int classes) {
        int pixels = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        var m = new LinkedHashMap<String, Model>();
        m.put("small-cnn", smallCnn(shape, classes));
        m.put("resnet8", resnet8(shape, classes));
        m.put("ds-cnn", dsCnn(shape, classes));
        m.put("mobilenet-v1", mobileNetV1(shape, classes));
        m.put("mobilenet-v2", mobileNetV2(shape, classes));
        m.put("autoencoder", autoencoder(pixels, 64, 16));
        return m;
    }

    /** Fills every layer's weights from the seed: uniform in +-sqrt(6 / fan-in) (He), biases 0. */
    public static Model init(Model model, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        for (WeightLayer l : model.weightLayers()) {
            Weights w = l.weights();
            float bound = (float) Math.sqrt(6.0 / w.structureSize);
            float[] v = new float[w.count()];
            for (int i = 0; i < v.length; i++) v[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
            w.set(v, new float[w.structures], l.name());
        }
        return model;
    }
}
