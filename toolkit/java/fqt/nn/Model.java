package fqt.nn;

import fqt.data.Dataset;
import fqt.kernels.SoftmaxCrossEntropy;
import fqt.quant.QuantParams;
import fqt.quant.RangeTracker;
import fqt.quant.Rounding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A sequential network for one sample of shape {@code inputShape}, ending in class logits that a
 * softmax cross-entropy loss turns into errors. It holds float32 weights until {@link #quantize}
 * turns them (and the feature ranges, calibrated on data) into uint8.
 */
public final class Model {
    private final int[] inputShape;
    private final List<Layer> layers;
    private final int classes;
    private QuantParams inputParams;
    private final RangeTracker lossRange = new RangeTracker();
    // Per-sample buffers: features[l] is layer l's input, errors[l] the error of features[l].
    private Precision buffersFor;
    private Tensor[] features;
    private Tensor[] errors;
    private float[] logits;
    private float[] lossError;

    public Model(int[] inputShape, List<Layer> layers) {
        if (layers.isEmpty()) throw new IllegalArgumentException("a model needs at least one layer");
        this.inputShape = inputShape.clone();
        this.layers = List.copyOf(layers);
        int[] shape = this.inputShape;
        for (int i = 0; i < this.layers.size(); i++) {
            Layer l = this.layers.get(i);
            if (l.inShape != null) throw new IllegalArgumentException(l.name() + " already belongs to a model; use a new layer instance");
            l.index = i;
            l.inShape = shape;
            l.outShape = l.outputShape(shape);
            shape = l.outShape;
            if (l instanceof WeightLayer wl) wl.reluFollows = i + 1 < this.layers.size() && this.layers.get(i + 1) instanceof ReLU;
        }
        if (shape.length != 1) {
            throw new IllegalArgumentException("the last layer must produce class logits {classes}, got " + Arrays.toString(shape));
        }
        this.classes = shape[0];
    }

    public static Model of(int[] inputShape, Layer... layers) { return new Model(inputShape, List.of(layers)); }

    public int[] inputShape() { return inputShape.clone(); }
    public int classes() { return classes; }
    public List<Layer> layers() { return layers; }
    public Layer layer(int i) { return layers.get(i); }
    public boolean quantized() { return inputParams != null; }
    public QuantParams inputParams() { return inputParams; }
    /**
     * Makes this model quantized with these input parameters, for a quantized state that is read
     * rather than calibrated (fqt.wire.ModelBlob.read): its layers' codes and ranges are set next.
     */
    public void setInputParams(QuantParams inputParams) {
        if (inputParams == null) throw new IllegalArgumentException("a quantized model needs input parameters");
        this.inputParams = inputParams;
        buffersFor = null;
    }
    /** Range of the uint8 loss errors (UINT8), tracked over training; part of the model's state. */
    public RangeTracker lossRange() { return lossRange; }

    /** The layers with weights, in order. */
    public List<WeightLayer> weightLayers() {
        return layers.stream().filter(l -> l instanceof WeightLayer).map(l -> (WeightLayer) l).toList();
    }

    /** A deep copy: weights, quantization parameters and ranges; no buffers, gradients or optimizer state. */
    public Model copy() {
        List<Layer> copies = new ArrayList<>();
        for (Layer l : layers) copies.add(l.copy());
        Model m = new Model(inputShape, copies);
        m.inputParams = inputParams;
        if (lossRange.seen()) m.lossRange.set(lossRange.min(), lossRange.max());
        return m;
    }

    /** Freezes every layer with weights except the last {@code n} of them (transfer learning). */
    public Model trainLast(int n) {
        List<WeightLayer> w = weightLayers();
        if (n < 1 || n > w.size()) throw new IllegalArgumentException("trainLast(" + n + "): the model has " + w.size() + " layers with weights");
        for (int i = 0; i < w.size(); i++) w.get(i).freeze(i < w.size() - n);
        return this;
    }

    /** Index of the lowest layer that trains; errors are propagated down to it and no further. */
    public int lowestTrainable() {
        for (Layer l : layers) if (l instanceof WeightLayer w && !w.frozen) return l.index;
        throw new IllegalStateException("every layer is frozen: nothing to train");
    }

    /**
     * Turns the float32 weights into uint8 and calibrates the ranges of the input and of every
     * requantized output on {@code calibration} (their exact min/max in a float32 forward pass;
     * an output followed by ReLU gets the ReLU's range). Returns this model.
     */
    public Model quantize(Dataset calibration) {
        if (quantized()) return this;
        if (calibration.isEmpty()) throw new IllegalArgumentException("calibration needs at least one sample");
        checkInput(calibration);
        Context c = new Context(Precision.FLOAT32, Rounding.NEAREST, ErrorRange.EXACT, 0f, 0f, null);
        c.training = false;
        int n = layers.size();
        float[] lo = new float[n + 1], hi = new float[n + 1];
        Arrays.fill(lo, Float.POSITIVE_INFINITY);
        Arrays.fill(hi, Float.NEGATIVE_INFINITY);
        float[] x = new float[calibration.sampleSize()];
        for (int s = 0; s < calibration.size(); s++) {
            calibration.copySample(s, x);
            forward(x, c);
            for (int t = 0; t <= n; t++) {
                for (float v : features[t].f) {
                    if (v < lo[t]) lo[t] = v;
                    if (v > hi[t]) hi[t] = v;
                }
            }
        }
        inputParams = QuantParams.fromRange(lo[0], hi[0]);
        for (Layer l : layers) {
            if (!(l instanceof WeightLayer w)) continue;
            int t = w.reluFollows ? l.index + 2 : l.index + 1;
            w.outRange.set(lo[t], hi[t]);
            w.outParams = w.outRange.params();
            w.w.quantize();
        }
        buffersFor = null;
        return this;
    }

    /** Buffers for the context's precision, and its scratch and counters sized for this model. */
    private void prepare(Context c) {
        if (buffersFor != c.precision) {
            if (c.precision.quantizedFeatures() != quantized()) {
                throw new IllegalStateException(c.precision + " needs a " + (quantized() ? "float32" : "quantized") + " model; "
                        + (quantized() ? "train a float copy instead" : "call quantize(calibrationData) first"));
            }
            int n = layers.size();
            features = new Tensor[n + 1];
            errors = new Tensor[n + 1];
            for (int t = 0; t <= n; t++) {
                int[] shape = t == 0 ? inputShape : layers.get(t - 1).outShape;
                features[t] = c.precision.quantizedFeatures() ? Tensor.uint8(shape) : Tensor.float32(shape);
                errors[t] = c.precision.quantizedErrors() ? Tensor.uint8(shape) : Tensor.float32(shape);
            }
            logits = new float[classes];
            lossError = new float[classes];
            buffersFor = c.precision;
        }
        int scratch = 0;
        for (Layer l : layers) scratch = Math.max(scratch, l.scratchInts(c.precision));
        if (c.forwardMacs.length != layers.size() || c.accScratch.length < scratch) c.allocate(layers.size(), scratch);
    }

    /** Runs one sample forward; returns its logits (a view, valid until the next call). */
    public float[] forward(float[] input, Context c) {
        prepare(c);
        if (input.length != features[0].size) {
            throw new IllegalArgumentException("input has " + input.length + " values, the model expects " + Arrays.toString(inputShape));
        }
        Tensor x0 = features[0];
        if (x0.quantized()) {
            x0.params = inputParams;
            inputParams.quantize(input, x0.q, Rounding.NEAREST, null); // inputs are data, not training arithmetic
        } else {
            System.arraycopy(input, 0, x0.f, 0, input.length);
        }
        for (Layer l : layers) l.forward(features[l.index], features[l.index + 1], c);
        Tensor out = features[layers.size()];
        for (int i = 0; i < classes; i++) logits[i] = out.real(i);
        return logits;
    }

    /**
     * Loss of the last {@link #forward} for {@code label}, then the backward pass down to the
     * lowest trainable layer, adding this sample's gradients to the layers' buffers.
     */
    public float backward(int label, Context c) {
        float loss = SoftmaxCrossEntropy.lossAndError(logits, classes, label, lossError);
        int n = layers.size();
        Tensor top = errors[n];
        if (top.quantized()) c.quantizeErrors(lossError, lossRange, top);
        else System.arraycopy(lossError, 0, top.f, 0, classes);
        c.selection.beginSample(loss);
        int lowest = lowestTrainable();
        for (int l = n - 1; l >= lowest; l--) {
            layers.get(l).backward(features[l], features[l + 1], errors[l + 1], l > lowest ? errors[l] : null, c);
        }
        for (WeightLayer w : weightLayers()) if (!w.frozen) w.w.samples++;
        return loss;
    }

    /** The features entering layer {@code t} (t = number of layers: the logits) after the last forward. */
    public Tensor features(int t) { return features[t]; }
    /** The error of {@link #features(int)} after the last backward. */
    public Tensor errors(int t) { return errors[t]; }

    /** Accuracy on a data set (forward only, ranges untouched). */
    public double accuracy(Dataset data, Context c) {
        if (data.isEmpty()) throw new IllegalArgumentException(data.name() + " is empty: no accuracy to measure");
        int[] predicted = predict(data, c);
        int correct = 0;
        for (int i = 0; i < predicted.length; i++) if (predicted[i] == data.label(i)) correct++;
        return (double) correct / data.size();
    }

    /**
     * The class of each sample: the index of its largest logit, in the context's precision (the
     * model's own: float32, or uint8 features for MIXED and UINT8). Forward only, ranges untouched.
     */
    public int[] predict(Dataset data, Context c) {
        float[][] z = logits(data, c);
        int[] predicted = new int[z.length];
        for (int i = 0; i < z.length; i++) predicted[i] = SoftmaxCrossEntropy.argmax(z[i], classes);
        return predicted;
    }

    /** The class of one sample ({@link #predict(Dataset, Context)}). */
    public int predict(float[] sample, Context c) {
        return SoftmaxCrossEntropy.argmax(logits(sample, c), classes);
    }

    /** The logits of each sample, one row per sample ({@link #predict(Dataset, Context)}). */
    public float[][] logits(Dataset data, Context c) {
        checkInput(data);
        float[][] z = new float[data.size()][];
        for (int i = 0; i < z.length; i++) z[i] = logits(data.sample(i), c);
        return z;
    }

    /** The logits of one sample (a copy), forward only: the context does not train while it runs. */
    public float[] logits(float[] sample, Context c) {
        boolean was = c.training;
        c.training = false;
        try {
            return forward(sample, c).clone();
        } finally {
            c.training = was;
        }
    }

    /** Rejects a data set whose sample shape or class count does not fit, naming both. */
    public void checkInput(Dataset data) {
        if (!Arrays.equals(data.shape(), inputShape) && data.sampleSize() != Layer.size(inputShape)) {
            throw new IllegalArgumentException(data.name() + ": samples of shape " + Arrays.toString(data.shape())
                    + " do not fit the model's input " + Arrays.toString(inputShape));
        }
        if (data.classes() > classes) {
            throw new IllegalArgumentException(data.name() + " has " + data.classes() + " classes, the model outputs " + classes);
        }
    }

    /** One row per layer: index, layer, output shape, weights, forward MACs. */
    public Table summary() {
        Table t = Table.create("model");
        IntColumn idx = IntColumn.create("index");
        StringColumn name = StringColumn.create("layer");
        StringColumn shape = StringColumn.create("output_shape");
        IntColumn params = IntColumn.create("weights");
        StringColumn state = StringColumn.create("state");
        LongColumn macs = LongColumn.create("forward_macs");
        for (Layer l : layers) {
            idx.append(l.index);
            name.append(l.describe());
            shape.append(Arrays.toString(l.outShape));
            params.append(l.weights() == null ? 0 : l.weights().count() + l.weights().structures);
            state.append(l instanceof WeightLayer w ? (w.frozen ? "frozen" : w.w.biasOnly ? "bias only" : "trainable") : "");
            macs.append(l.forwardMacs());
        }
        return t.addColumns(idx, name, shape, params, state, macs);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Model " + Arrays.toString(inputShape) + (quantized() ? " uint8" : " float32") + "\n");
        for (Layer l : layers) sb.append("  ").append(l.index).append(": ").append(l.describe()).append(" -> ").append(Arrays.toString(l.outShape)).append('\n');
        return sb.toString();
    }
}
