package fqt.djl;

/**
 * Folds an inference-mode BatchNorm into the convolution or linear layer before it, so the toolkit
 * (and the device) never sees the BatchNorm. Per output channel c, with
 * {@code s[c] = gamma[c] / sqrt(var[c] + eps)}:
 * <pre>
 *   w'[c][...] = w[c][...] * s[c]
 *   b'[c]      = (b[c] - mean[c]) * s[c] + beta[c]      (b = 0 when the layer has no bias)
 * </pre>
 * which is {@code BN(conv(x))} rewritten as one convolution. All arithmetic is float32 in exactly
 * this order: {@code v = var + eps}, {@code sd = sqrt(v)} (correctly rounded), {@code s = gamma / sd},
 * then the products above; so the folded weights are reproducible to the bit. They differ from the
 * unfolded computation by float32 rounding only (about 1e-7 relative per weight).
 */
final class BatchNormFold {
    private BatchNormFold() {}

    /** Weights {@code [channels][perChannel]} (flat) and biases are rewritten in place. */
    static void fold(float[] weights, float[] biases, SourceOp.BatchNorm bn, String layer) {
        int channels = biases.length;
        float[] mean = bn.mean().values(), var = bn.var().values();
        if (mean.length != channels || var.length != channels
                || (bn.gamma() != null && bn.gamma().values().length != channels)
                || (bn.beta() != null && bn.beta().values().length != channels)) {
            throw new ImportException(bn.source() + ": BatchNorm over " + mean.length + " channels follows " + layer
                    + " with " + channels + " output channels");
        }
        int per = weights.length / channels;
        for (int c = 0; c < channels; c++) {
            if (!(var[c] >= 0f)) throw new ImportException(bn.source() + ": running_var[" + c + "] is " + var[c]);
            float v = var[c] + bn.eps();
            float sd = (float) Math.sqrt(v);
            float gamma = bn.gamma() == null ? 1f : bn.gamma().values()[c];
            float beta = bn.beta() == null ? 0f : bn.beta().values()[c];
            float s = gamma / sd;
            for (int i = c * per; i < (c + 1) * per; i++) weights[i] = weights[i] * s;
            biases[c] = (biases[c] - mean[c]) * s + beta;
        }
    }
}
