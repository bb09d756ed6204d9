package fqt.nn;

import fqt.kernels.ClampU8;
import fqt.quant.QuantParams;
import fqt.quant.RangeTracker;
import java.util.Arrays;

/**
 * One step of a {@link Model}: shapes are per sample, {channels, height, width} or {features}.
 * A layer computes its output from its input (forward) and, going back, the input's error from the
 * output's error (backward), in the model's {@link Precision}.
 */
public abstract class Layer {
    int index;
    /** The tensors this layer reads: tensor 0 is the model's input, tensor t + 1 the output of layer t. */
    int[] inputs;
    int[] inShape;
    int[] outShape;
    /** Requantizing layers (weight layers, Add): the sole reader of the output is a ReLU, fused into the clamp. */
    boolean reluFollows;
    /** Range and parameters of this layer's uint8 output features (a layer that requantizes owns them). */
    final RangeTracker outRange = new RangeTracker();
    QuantParams outParams;
    /** Range of the uint8 errors this layer propagates to its input (ErrorRange.EMA). */
    final RangeTracker errRange = new RangeTracker();

    /** Short type name, as in a printed architecture ("Conv2d", "ReLU"). */
    public abstract String kind();

    /** Output shape for the given input shape; throws naming the layer when the input does not fit. */
    protected abstract int[] outputShape(int[] in);

    abstract void forward(Tensor x, Tensor y, Context c);

    /** {@code dx} is null when no layer below needs the error (transfer learning, first layer). */
    abstract void backward(Tensor x, Tensor y, Tensor dy, Tensor dx, Context c);

    abstract Layer copy();

    /** Tensors read (1; {@link Add}: 2). */
    int arity() { return 1; }

    /**
     * True for layers that compute new uint8 values and so own their output's parameters and range
     * (weight layers, Add); the others pass their input's parameters on.
     */
    public boolean requantizes() { return false; }

    /**
     * Replaces the calibrated range of this layer's uint8 output in a quantized model: post-training
     * calibration rules other than {@link Model#quantize}'s exact min/max (percentiles, fqt.djl.Quantize).
     */
    public void calibrateOutput(float min, float max) {
        if (!requantizes()) throw new IllegalStateException(name() + ": only a layer that requantizes its output has an output range to calibrate");
        outRange.set(min, max);
        outParams = outRange.params();
    }

    /** Parameters, or null for layers without any. */
    public Weights weights() { return null; }

    /** int32 scratch this layer needs (accumulator planes, input errors), in elements. */
    int scratchInts(Precision p) { return 0; }

    /** Multiply-accumulates of one full forward pass. */
    public long forwardMacs() { return 0; }

    public int index() { return index; }
    /** The tensors this layer reads (tensor 0: the model input; t + 1: the output of layer t). */
    public int[] inputs() { return inputs.clone(); }
    public int[] inputShape() { return inShape.clone(); }
    public int[] outputShape() { return outShape.clone(); }
    public QuantParams outputParams() { return outParams; }
    /** Running range of the uint8 output, where this layer requantizes (its outputParams come from it). */
    public RangeTracker outputRange() { return outRange; }

    /** A name for messages: "layer 3 (Linear 784->64)". */
    public String name() { return "layer " + index + " (" + describe() + ")"; }

    public String describe() { return kind(); }

    /**
     * Outputs the requantization clamped at 255 (or at 0 above a positive zero point) did not
     * follow their input, so their error is zero: the clamp's true derivative. Passing it through
     * instead lets weights grow unseen by the loss until training collapses.
     */
    static void zeroSaturatedErrors(Tensor y, Tensor dy) {
        boolean low = y.params.zeroPoint() > 0;
        if (dy.quantized()) { // the clamp's error rule, bounds 0 (or none) and 255
            ClampU8.backward(y.q, low ? 0 : -1, 255, dy.q, dy.params.zeroPoint(), dy.q, y.size);
            return;
        }
        for (int i = 0; i < y.size; i++) {
            int q = y.q[i] & 0xFF;
            if (q == 255 || (low && q == 0)) dy.f[i] = 0f;
        }
    }

    static int size(int[] shape) {
        int n = 1; // a loop, not a stream: the element-wise layers ask for it in every pass
        for (int d : shape) n *= d;
        return n;
    }

    IllegalArgumentException shapeError(String expected, int[] in) {
        return new IllegalArgumentException(name() + ": expected input " + expected + ", got " + Arrays.toString(in));
    }

    @Override
    public String toString() { return describe(); }
}
