package fqt.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Ready-made float32 models, initialised from a seed (He-uniform weights, zero biases). */
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
                    + java.util.Arrays.toString(shape) + ": pass data.shape(), or e.g. new int[] {1, 28, 28}");
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
