package fqt.nn;

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
        FiniteDifferences.checkWeights(m, x, 1, Loss.CROSS_ENTROPY);
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
