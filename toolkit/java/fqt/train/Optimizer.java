package fqt.train;

import fqt.nn.UpdateRule;
import fqt.nn.Weights;

/**
 * Optimizers, in order of increasing memory: plain SGD, the paper's standardized SGD, SGD with
 * momentum, Adam. Each turns a structure's gradient sum over the batch into an update delta, in
 * float32 with a fixed operation order (the firmware mirrors them in {@code optimizer.c}).
 */
public interface Optimizer extends UpdateRule {
    float EPS = 1e-8f;

    String describe();

    /** Bytes of optimizer state per trainable weight (for the memory plan), and per structure. */
    int stateBytesPerWeight();
    int stateBytesPerStructure();

    /** {@code delta = g * (lr / samples)}: the batch mean gradient times the learning rate. */
    static Optimizer sgd(float lr) {
        return new Optimizer() {
            public void delta(Weights w, int o) {
                float k = lr / (float) w.samples();
                float[] g = w.grad();
                for (int i = o * w.structureSize; i < (o + 1) * w.structureSize; i++) g[i] = g[i] * k;
                w.biasGrad()[o] = w.biasGrad()[o] * k;
            }
            public String describe() { return "sgd(" + lr + ")"; }
            public int stateBytesPerWeight() { return 0; }
            public int stateBytesPerStructure() { return 0; }
        };
    }

    /**
     * The paper's per-structure gradient standardization: {@code g' = (g - mean) / std} with mean
     * and std of the structure's gradient smoothed by a moving average of rate {@code alphaNorm}
     * (the first batch sets them), then {@code delta = lr * g'}; the bias counts as one more element of its structure.
     */
    static Optimizer standardizedSgd(float lr) { return standardizedSgd(lr, 0.1f); }

    static Optimizer standardizedSgd(float lr, float alphaNorm) { return new StandardizedSgd(lr, alphaNorm); }

    /** {@code v = mu * v + g / samples; delta = lr * v}. */
    static Optimizer momentum(float lr, float mu) { return new Momentum(lr, mu); }

    /** Adam with bias correction (beta1 0.9, beta2 0.999, eps 1e-8): the memory-hungry reference. */
    static Optimizer adam(float lr) { return new Adam(lr, 0.9f, 0.999f); }

    /** By name, for the command line and sweeps: sgd, standardized, momentum, adam; the other hyper-parameters are {@link Defaults}. */
    static Optimizer named(String name, float lr) {
        return switch (canonicalName(name)) {
            case "sgd" -> sgd(lr);
            case "standardized" -> standardizedSgd(lr, Defaults.ALPHA_NORM);
            case "momentum" -> momentum(lr, Defaults.MOMENTUM_MU);
            default -> adam(lr);
        };
    }

    /** {@link #named(String, float)} with the optimizer's default learning rate. */
    static Optimizer named(String name) { return named(name, defaultLearningRate(name)); }

    /** The default learning rate of an optimizer named as {@link #named} takes it ({@link Defaults}). */
    static float defaultLearningRate(String name) {
        return switch (canonicalName(name)) {
            case "sgd" -> Defaults.SGD_LR;
            case "standardized" -> Defaults.STANDARDIZED_LR;
            case "momentum" -> Defaults.MOMENTUM_LR;
            default -> Defaults.ADAM_LR;
        };
    }

    /** sgd, standardized, momentum or adam; also accepts standardized-sgd and std-sgd. */
    static String canonicalName(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "sgd" -> "sgd";
            case "standardized", "standardized-sgd", "std-sgd" -> "standardized";
            case "momentum" -> "momentum";
            case "adam" -> "adam";
            default -> throw new IllegalArgumentException("unknown optimizer '" + name + "': use sgd, standardized, momentum or adam");
        };
    }
}
