package fqt.train;

import fqt.nn.Gradients;
import fqt.nn.UpdateRule;
import fqt.nn.Weights;
import fqt.quant.Rounding;
import fqt.quant.Xorshift32;

/**
 * Optimizers, in order of increasing memory: plain SGD, the paper's standardized SGD, SGD with
 * momentum, Adam; one record each, holding its hyper-parameters, and owning the type of the state it
 * keeps per layer. Each turns a structure's gradient sum over the batch into an update delta, in
 * float32 with a fixed operation order (the firmware mirrors them in {@code optimizer.c}).
 */
public sealed interface Optimizer permits Sgd, StandardizedSgd, Momentum, Adam {
    float EPS = 1e-8f;

    float lr();

    /** sgd, standardized, momentum or adam: the name {@link #named} takes. */
    String name();

    /** The optimizer with its hyper-parameters, e.g. {@code sgd(0.05)}. */
    String describe();

    /** Bytes of optimizer state per trainable weight (for the memory plan), and per structure. */
    int stateBytesPerWeight();
    int stateBytesPerStructure();

    /** This optimizer as the update rule of {@link Weights#update}: each permitted record is one. */
    default UpdateRule<?> rule() { return (UpdateRule<?>) this; }

    /** Ends a batch of {@code w}: deltas from the summed gradients, then the update. */
    default void update(Weights w, Gradients gradients, Rounding rounding, Xorshift32 rng) { w.update(rule(), gradients, rounding, rng); }

    /** {@code delta = g * (lr / samples)}: the batch mean gradient times the learning rate. */
    static Sgd sgd(float lr) { return new Sgd(lr); }

    /**
     * The paper's per-structure gradient standardization: {@code g' = (g - mean) / std} with mean
     * and std of the structure's gradient smoothed by a moving average of rate {@code alphaNorm}
     * (the first batch sets them), then {@code delta = lr * g'}; the bias counts as one more element
     * of its structure. {@code alphaNorm} is {@link Defaults#ALPHA_NORM}.
     */
    static StandardizedSgd standardizedSgd(float lr) { return standardizedSgd(lr, Defaults.ALPHA_NORM); }

    static StandardizedSgd standardizedSgd(float lr, float alphaNorm) { return new StandardizedSgd(lr, alphaNorm); }

    /** {@code v = mu * v + g / samples; delta = lr * v}. */
    static Momentum momentum(float lr, float mu) { return new Momentum(lr, mu); }

    /** Adam with bias correction, betas {@link Defaults#ADAM_BETA1} and {@link Defaults#ADAM_BETA2}, eps 1e-8: the memory-hungry reference. */
    static Adam adam(float lr) { return adam(lr, Defaults.ADAM_BETA1, Defaults.ADAM_BETA2); }

    static Adam adam(float lr, float beta1, float beta2) { return new Adam(lr, beta1, beta2); }

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
