package fqt.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import fqt.kernels.MeanSquaredError;
import fqt.kernels.SoftmaxCrossEntropy;
import fqt.quant.Rounding;

/** Central differences of a FLOAT32 model's loss against its backward pass (GradientCheckTest, GraphModelTest). */
final class FiniteDifferences {
    private FiniteDifferences() {}

    /** Step of the central differences: large enough for float32, small enough not to cross a ReLU or max kink in these tests. */
    static final float H = 2e-3f;

    static Context ctx(Loss loss) {
        Context c = new Context(Precision.FLOAT32, Rounding.NEAREST, ErrorRange.EXACT, 0f, 0f, null);
        c.loss = loss;
        return c;
    }

    static double loss(Model m, float[] x, int label, Loss loss) {
        float[] out = m.forward(x, ctx(loss)).clone();
        return loss == Loss.MSE ? MeanSquaredError.loss(out, x, out.length)
                : SoftmaxCrossEntropy.lossAndError(out, out.length, label, new float[out.length]);
    }

    /** Largest |numeric - analytic| seen, and the largest relative error where |analytic| > 1e-2. */
    static double maxAbs, maxRel;

    /**
     * Tolerance of every check here, as in GradientCheckTest had it: {@code 1e-3 + 3%} of the
     * analytic value. Float32 forward passes limit the central differences to about 1e-4 absolute
     * at this step; a wrong backward (a missing share, a mask in the wrong place) misses by far more.
     */
    static void assertClose(double numeric, double analytic, String what) {
        double d = Math.abs(numeric - analytic);
        maxAbs = Math.max(maxAbs, d);
        if (Math.abs(analytic) > 1e-2) maxRel = Math.max(maxRel, d / Math.abs(analytic));
        assertTrue(d <= 1e-3 + 0.03 * Math.abs(analytic), what + ": finite difference " + numeric + " vs backward " + analytic);
    }

    /** Every weight and bias gradient of every layer with weights against central differences of the loss. */
    static void checkWeights(Model model, float[] x, int label, Loss loss) {
        Model m = model.copy(); // fresh gradient buffers: backward adds to them
        Context c = ctx(loss);
        m.forward(x, c);
        m.backward(label, c);
        for (WeightLayer l : m.weightLayers()) {
            Weights w = l.weights();
            float[] g = w.grad().clone(), gb = w.biasGrad().clone();
            float[] base = w.toFloat(), bias = w.bias().clone();
            for (int i = 0; i < base.length + bias.length; i++) {
                boolean weight = i < base.length;
                int k = weight ? i : i - base.length;
                double[] at = new double[2];
                for (int side = 0; side < 2; side++) {
                    float[] p = base.clone(), b = bias.clone();
                    (weight ? p : b)[k] += side == 0 ? H : -H;
                    w.set(p, b, l.name());
                    at[side] = loss(m, x, label, loss);
                }
                assertClose((at[0] - at[1]) / (2 * H), weight ? g[k] : gb[k], l.name() + (weight ? " weight " : " bias ") + k);
            }
            w.set(base, bias, l.name());
        }
    }
}
