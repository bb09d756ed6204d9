package fqt.nn;

import fqt.kernels.AddU8;
import java.util.Arrays;

/**
 * The sum of two tensors of one shape (a residual connection). In a quantized model it owns its
 * output's parameters and range, like a weight layer: both inputs are requantized to them
 * ({@link AddU8}, one rounding per element). Going back, each input's error is the output's error,
 * zero where the uint8 output saturated.
 */
public final class Add extends Layer {
    @Override public String kind() { return "Add"; }
    @Override int arity() { return 2; }
    @Override public boolean requantizes() { return true; }
    @Override Layer copy() {
        Add a = new Add();
        a.outParams = outParams;
        if (outRange.seen()) a.outRange.set(outRange.min(), outRange.max());
        return a;
    }

    @Override
    protected int[] outputShape(int[] in) { return in.clone(); }

    /** Both inputs must have this shape. */
    void checkSecond(int[] first, int[] second) {
        if (!Arrays.equals(first, second)) {
            throw new IllegalArgumentException(name() + ": both inputs need one shape, got " + Arrays.toString(first) + " and " + Arrays.toString(second));
        }
    }

    @Override
    void forward(Tensor x, Tensor y, Context c) {
        throw new UnsupportedOperationException("Add reads two tensors");
    }

    void forward(Tensor a, Tensor b, Tensor y, Context c) {
        if (!a.quantized()) {
            AddU8.forwardF32(a.f, b.f, y.f, y.size);
            return;
        }
        y.params = outParams;
        float[] v = AddU8.forward(a.q, a.params, b.q, b.params, outParams, reluFollows, c.rounding, c.rng, y.q, y.size);
        if (c.training && c.alphaA > 0f) {
            float s = outParams.scale();
            outRange.observe(reluFollows ? 0f : v[0] * s, v[1] * s, c.alphaA);
            outParams = outRange.params();
        }
    }

    @Override
    void backward(Tensor x, Tensor y, Tensor dy, Tensor dx, Context c) {
        throw new UnsupportedOperationException("Add's backward pass is the model's: each input gets the output's error");
    }
}
