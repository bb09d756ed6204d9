package fqt.nn;

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
    int[] inShape;
    int[] outShape;
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

    /** Parameters, or null for layers without any. */
    public Weights weights() { return null; }

    /** int32 scratch this layer needs (accumulator planes, input errors), in elements. */
    int scratchInts(Precision p) { return 0; }

    /** Multiply-accumulates of one full forward pass. */
    public long forwardMacs() { return 0; }

    public int index() { return index; }
    public int[] inputShape() { return inShape.clone(); }
    public int[] outputShape() { return outShape.clone(); }
    public QuantParams outputParams() { return outParams; }
    /** Running range of the uint8 output, where this layer requantizes (its outputParams come from it). */
    public RangeTracker outputRange() { return outRange; }

    /** A name for messages: "layer 3 (Linear 784->64)". */
    public String name() { return "layer " + index + " (" + describe() + ")"; }

    public String describe() { return kind(); }

    static int size(int[] shape) {
        return Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    }

    IllegalArgumentException shapeError(String expected, int[] in) {
        return new IllegalArgumentException(name() + ": expected input " + expected + ", got " + Arrays.toString(in));
    }

    @Override
    public String toString() { return describe(); }
}
