package fqt.djl;

import java.util.Arrays;

/**
 * One step of a source model (a DJL block, a TorchScript operator) as the importers read it, before
 * {@link Layers} turns the chain into toolkit layers. Shapes follow PyTorch: convolution weights
 * {@code [out, in/groups, kH, kW]}, linear weights {@code [out, in]}; pairs are {height, width}.
 * {@code source} says where the step came from, for messages ("module 'features.0' (Conv2d)").
 */
sealed interface SourceOp {
    String source();

    /** A named float32 tensor of the source model. */
    record Param(String name, long[] shape, float[] values) {
        public Param {
            long n = 1;
            for (long d : shape) n *= d;
            if (n != values.length) throw new ImportException(name + ": shape " + Arrays.toString(shape) + " but " + values.length + " values");
        }

        int dim(int i) { return (int) shape[i]; }

        @Override
        public String toString() { return "'" + name + "' " + Arrays.toString(shape); }
    }

    /** 2-D convolution; {@code bias} may be null. */
    record Conv(String source, Param weight, Param bias, int[] stride, int[] padding, int[] dilation, int groups) implements SourceOp {}

    /** Fully connected layer on the last axis; {@code bias} may be null. */
    record Dense(String source, Param weight, Param bias) implements SourceOp {}

    /**
     * Batch normalization in inference form, per channel c:
     * {@code y = (x - mean[c]) / sqrt(var[c] + eps) * gamma[c] + beta[c]}; gamma and beta may be null (1 and 0).
     */
    record BatchNorm(String source, Param gamma, Param beta, Param mean, Param var, float eps) implements SourceOp {}

    record Relu(String source) implements SourceOp {}

    /** Max or average pooling over {@code kernel} windows. */
    record Pool(String source, boolean max, int[] kernel, int[] stride, int[] padding, boolean ceilMode) implements SourceOp {}

    /** Average of each whole channel: {C, H, W} to {C, 1, 1}. */
    record GlobalAvgPool(String source) implements SourceOp {}

    /**
     * Everything but the batch axis into one axis; {@code size} is the size the source states
     * ({@code reshape(x, [-1, 784])}), checked against the input, or -1 when it states none.
     */
    record Flatten(String source, int size) implements SourceOp {
        Flatten(String source) { this(source, -1); }
    }

    /** The sum of two tensors of one shape (a residual connection); no broadcasting, no scale. */
    record Add(String source) implements SourceOp {}

    /** {@code min(max(x, lo), hi)}: hardtanh, relu6 (0, 6), clamp. */
    record Clamp(String source, float lo, float hi) implements SourceOp {}
}
