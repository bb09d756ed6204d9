package fqt.kernels;

import fqt.quant.FloatMath;

/**
 * Softmax cross-entropy on float32 logits (the device computes it in float too):
 * {@code loss = log(sum_j exp(z_j - m)) - (z_label - m)}, {@code m = max z}; error {@code softmax(z) - onehot(label)}.
 * Uses {@link FloatMath} so host and device agree to the bit.
 */
public final class SoftmaxCrossEntropy {
    private SoftmaxCrossEntropy() {}

    /** Writes the error into {@code err} and returns the loss. */
    public static float lossAndError(float[] logits, int n, int label, float[] err) {
        float m = logits[argmax(logits, n)];
        float sum = 0f;
        for (int i = 0; i < n; i++) {
            err[i] = FloatMath.exp(logits[i] - m);
            sum += err[i];
        }
        for (int i = 0; i < n; i++) err[i] = err[i] / sum - (i == label ? 1f : 0f);
        return FloatMath.log(sum) - (logits[label] - m);
    }

    /** Index of the largest logit, the first one on ties. */
    public static int argmax(float[] logits, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) if (logits[i] > logits[best]) best = i;
        return best;
    }
}
