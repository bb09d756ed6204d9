package fqt.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import fqt.kernels.SoftmaxCrossEntropy;
import fqt.quant.Rounding;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Finite-difference checks of every float32 layer's backward pass: the analytic weight and bias
 * gradients of the first layer (which depend on every backward below the loss) against central
 * differences of the loss. Float32 forward passes limit the precision of the differences, hence the
 * tolerance {@code 1e-3 + 3%}; a wrong backward misses by far more.
 */
class GradientCheckTest {
    /** Step of the central differences: large enough for float32, small enough not to cross a ReLU or max kink here. */
    private static final float H = 2e-3f;

    private static Context ctx() {
        return new Context(Precision.FLOAT32, Rounding.NEAREST, ErrorRange.EXACT, 0f, 0f, null);
    }

    private static double loss(Model m, float[] x, int label) {
        float[] logits = m.forward(x, ctx()).clone();
        return SoftmaxCrossEntropy.lossAndError(logits, logits.length, label, new float[logits.length]);
    }

    /** Checks the gradient of every weight and bias of every layer with weights. */
    private static void check(Supplier<Model> build, int[] shape) {
        check(build, shape, 5);
    }

    /** {@code inputSeed} picks inputs whose ReLU/max decisions sit farther than H from a kink. */
    private static void check(Supplier<Model> build, int[] shape, long inputSeed) {
        Model m = Models.init(build.get(), 11);
        SplittableRandom r = new SplittableRandom(inputSeed);
        float[] x = new float[Layer.size(shape)];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        int label = 1;
        Context c = ctx();
        m.forward(x, c);
        m.backward(label, c);
        for (WeightLayer l : m.weightLayers()) {
            Weights w = l.weights();
            float[] g = w.grad().clone(), gb = w.biasGrad().clone();
            float[] base = w.toFloat(), bias = w.bias().clone();
            for (int i = 0; i < base.length; i++) {
                float[] p = base.clone();
                p[i] += H;
                w.set(p, bias, l.name());
                double up = loss(m, x, label);
                p[i] -= 2 * H;
                w.set(p, bias, l.name());
                double down = loss(m, x, label);
                assertClose((up - down) / (2 * H), g[i], l.name() + " weight " + i);
            }
            w.set(base, bias, l.name());
            for (int o = 0; o < bias.length; o++) {
                float[] b = bias.clone();
                b[o] += H;
                w.set(base, b, l.name());
                double up = loss(m, x, label);
                b[o] -= 2 * H;
                w.set(base, b, l.name());
                double down = loss(m, x, label);
                assertClose((up - down) / (2 * H), gb[o], l.name() + " bias " + o);
            }
            w.set(base, bias, l.name());
        }
    }

    private static void assertClose(double numeric, double analytic, String what) {
        assertTrue(Math.abs(numeric - analytic) <= 1e-3 + 0.03 * Math.abs(analytic),
                what + ": finite difference " + numeric + " vs backward " + analytic);
    }

    @Test void linearAndLoss() {
        check(() -> Model.of(new int[] {3, 2, 2}, new Flatten(), new Linear(12, 6), new Linear(6, 4)), new int[] {3, 2, 2});
    }

    @Test void conv2dStride2Pad1() {
        check(() -> Model.of(new int[] {2, 5, 5}, new Conv2d(2, 3, 3, 2, 1), new Flatten(), new Linear(27, 3)), new int[] {2, 5, 5});
    }

    @Test void conv2dNonSquareKernelNoPad() {
        check(() -> Model.of(new int[] {2, 5, 4}, new Conv2d(2, 2, 3, 2, 1, 0, 1), new Flatten(), new Linear(2 * 3 * 3, 3)), new int[] {2, 5, 4});
    }

    @Test void depthwiseConv2d() {
        check(() -> Model.of(new int[] {2, 4, 4}, new Conv2d(2, 4, 1, 1, 0), Conv2d.depthwise(4, 3, 1, 1), new Flatten(), new Linear(64, 3)),
                new int[] {2, 4, 4});
    }

    @Test void relu() {
        check(() -> Model.of(new int[] {1, 4, 4}, new Conv2d(1, 3, 3, 1, 1), new ReLU(), new Flatten(), new Linear(48, 3)), new int[] {1, 4, 4}, 6); // seed 5 puts a pre-activation at 4e-4
    }

    @Test void maxPool() {
        check(() -> Model.of(new int[] {1, 4, 4}, new Conv2d(1, 2, 3, 1, 1), new MaxPool2d(2), new Flatten(), new Linear(8, 3)), new int[] {1, 4, 4});
    }

    @Test void overlappingMaxPool() {
        check(() -> Model.of(new int[] {1, 5, 5}, new Conv2d(1, 2, 3, 1, 1), new MaxPool2d(3, 3, 2), new Flatten(), new Linear(8, 3)), new int[] {1, 5, 5});
    }

    @Test void avgPool() {
        check(() -> Model.of(new int[] {1, 4, 4}, new Conv2d(1, 2, 3, 1, 1), new AvgPool2d(2), new Flatten(), new Linear(8, 3)), new int[] {1, 4, 4});
    }

    @Test void globalAvgPool() {
        check(() -> Model.of(new int[] {1, 4, 4}, new Conv2d(1, 3, 3, 1, 1), AvgPool2d.global(), new Flatten(), new Linear(3, 3)), new int[] {1, 4, 4});
    }
}
