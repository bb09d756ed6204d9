package fqt.nn;

import fqt.data.Dataset;
import fqt.kernels.MeanSquaredError;
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
 * A network for one sample of shape {@code inputShape}: a directed acyclic graph of layers in
 * execution order. Tensor 0 is the input, tensor {@code t + 1} the output of layer {@code t}, and
 * each layer reads earlier tensors ({@link Layer#inputs()}): a tensor may feed several layers (a
 * fan-out) and {@link Add} joins two. The last layer's output is the model's: class logits for
 * {@link Loss#CROSS_ENTROPY}, a reconstruction of the input for {@link Loss#MSE}. A sequential
 * model ({@link #of}) is the chain where layer t reads tensor t; {@link Graph} builds the others.
 * It holds float32 weights until {@link #quantize} turns them (and the feature ranges, calibrated on
 * data) into uint8.
 *
 * <p>Going back, the error of a fan-out is the sum of its readers' shares, in backward order
 * (the reader that runs last forward adds first), in float32; in UINT8 a share is the reader's
 * real-valued error before requantization, and the sum is requantized once, with the range of
 * that tensor ({@code docs/method.md}, "Graph models").
 */
public final class Model {
    private final int[] inputShape;
    private final List<Layer> layers;
    private final int classes;
    /** readers[t]: the layers reading tensor t, once per input edge, in layer order. */
    private final int[][] readers;
    private QuantParams inputParams;
    private final RangeTracker lossRange = new RangeTracker();
    // Per-sample buffers: features[t] is tensor t, errors[t] its error.
    private Precision buffersFor;
    private Tensor[] features;
    private Tensor[] errors;
    /** Fan-outs: the float32 sum of the readers' error shares, and the tensors one share is made in. */
    private float[][] sums;
    private Tensor[] sharesF;
    private Tensor[] sharesQ;
    /** Fan-outs, UINT8 with EMA error ranges: the range of the summed error. */
    private final RangeTracker[] sumRanges;
    private float[] logits;
    private float[] lossError;
    private float[] target;
    /** The last backward pass's midway layer (list index), or -1 when it has fewer than two layers with weights. */
    private int midwayLayer = -1;

    public Model(int[] inputShape, List<Layer> layers) { this(inputShape, layers, null); }

    /**
     * A graph: {@code inputs[i]} are the tensors layer i reads (null: the sequential chain). A layer
     * may read only tensors that earlier layers wrote, and every tensor but the output must be read.
     */
    public Model(int[] inputShape, List<Layer> layers, int[][] inputs) {
        if (layers.isEmpty()) throw new IllegalArgumentException("a model needs at least one layer");
        if (inputs != null && inputs.length != layers.size()) {
            throw new IllegalArgumentException("inputs for " + inputs.length + " layers, the model has " + layers.size());
        }
        this.inputShape = inputShape.clone();
        this.layers = List.copyOf(layers);
        int n = this.layers.size();
        int[][] shapes = new int[n + 1][];
        shapes[0] = this.inputShape;
        int[] readCount = new int[n + 1];
        for (int i = 0; i < n; i++) {
            Layer l = this.layers.get(i);
            if (l.inShape != null) throw new IllegalArgumentException(l.name() + " already belongs to a model; use a new layer instance");
            l.index = i;
            int[] in = inputs == null ? new int[] {i} : inputs[i].clone();
            if (in.length != l.arity()) {
                throw new IllegalArgumentException(l.name() + " reads " + l.arity() + " tensor(s), given " + in.length);
            }
            for (int t : in) {
                if (t < 0 || t > i) {
                    throw new IllegalArgumentException(l.name() + " reads tensor " + t + ", which no earlier layer writes"
                            + " (tensor 0 is the input, tensor k + 1 the output of layer k): a cycle or a dangling input");
                }
                readCount[t]++;
            }
            l.inputs = in;
            l.inShape = shapes[in[0]];
            if (l instanceof Add a) a.checkSecond(shapes[in[0]], shapes[in[1]]);
            l.outShape = l.outputShape(l.inShape);
            shapes[i + 1] = l.outShape;
        }
        for (int t = 0; t < n; t++) {
            if (readCount[t] == 0) {
                throw new IllegalArgumentException("tensor " + t + " (" + (t == 0 ? "the input" : "the output of " + this.layers.get(t - 1).name())
                        + ") is read by no layer: a dangling branch");
            }
        }
        readers = new int[n + 1][];
        int[] fill = new int[n + 1];
        for (int t = 0; t <= n; t++) readers[t] = new int[readCount[t]];
        for (Layer l : this.layers) for (int t : l.inputs) readers[t][fill[t]++] = l.index;
        sumRanges = new RangeTracker[n + 1];
        for (int t = 0; t <= n; t++) if (readers[t].length > 1) sumRanges[t] = new RangeTracker();
        for (Layer l : this.layers) {
            int[] r = readers[l.index + 1];
            l.reluFollows = l.requantizes() && r.length == 1 && this.layers.get(r[0]) instanceof ReLU;
        }
        int[] shape = shapes[n];
        if (shape.length != 1) {
            throw new IllegalArgumentException("the last layer must produce a vector (class logits or a flat reconstruction), got " + Arrays.toString(shape));
        }
        this.classes = shape[0];
    }

    public static Model of(int[] inputShape, Layer... layers) { return new Model(inputShape, List.of(layers)); }

    public int[] inputShape() { return inputShape.clone(); }
    /** Size of the output: the classes of a classifier, the values of a reconstruction. */
    public int classes() { return classes; }
    public List<Layer> layers() { return layers; }
    public Layer layer(int i) { return layers.get(i); }
    /** True when every layer reads the tensor just before it (no fan-out, no Add). */
    public boolean sequential() {
        for (Layer l : layers) if (l.inputs.length != 1 || l.inputs[0] != l.index) return false;
        return true;
    }
    /** The layers reading tensor t, once per input edge, in layer order. */
    public int[] readers(int t) { return readers[t].clone(); }
    /** The tensors each layer reads, by layer (the graph's edges). */
    public int[][] inputs() {
        int[][] in = new int[layers.size()][];
        for (Layer l : layers) in[l.index] = l.inputs.clone();
        return in;
    }
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

    /** The layers that own their uint8 output's parameters (weight layers and Add), in order. */
    public List<Layer> requantizingLayers() {
        return layers.stream().filter(Layer::requantizes).toList();
    }

    /** A deep copy: weights, quantization parameters and ranges; no buffers, gradients or optimizer state. */
    public Model copy() {
        List<Layer> copies = new ArrayList<>();
        for (Layer l : layers) copies.add(l.copy());
        Model m = new Model(inputShape, copies, inputs());
        m.inputParams = inputParams;
        if (lossRange.seen()) m.lossRange.set(lossRange.min(), lossRange.max());
        return m;
    }

    /**
     * A second model for a sample in flight beside this one's: copies of the layers, with buffers and
     * scratch of their own, that share this model's {@link Weights} (so, within a batch, the same
     * parameters and gradient sums). The ranges training moves along are handed over between the
     * two with {@link #takeForwardState} and {@link #takeBackwardState}.
     */
    public Model twin() {
        List<Layer> copies = new ArrayList<>();
        for (Layer l : layers) {
            Layer t = l.copy();
            if (l instanceof WeightLayer wl) ((WeightLayer) t).w = wl.w;
            copies.add(t);
        }
        Model m = new Model(inputShape, copies, inputs());
        m.inputParams = inputParams;
        m.takeForwardState(this);
        m.takeBackwardState(this);
        return m;
    }

    /**
     * At the midway point of a {@link #backward} (its {@code midway} hook): a guess of the draws the
     * int8 sums still to come will take ({@link WeightLayer#guessSumDraws}), the midway layer's from
     * its errors, which are known by then, the layers below it from their outputs alone.
     */
    public long guessSumDrawsToCome(Context c) {
        long n = 0;
        for (Layer l : layers) {
            if (!(l instanceof WeightLayer w) || (midwayLayer >= 0 && l.index > midwayLayer)) continue;
            n += w.guessSumDraws(features[l.index + 1], l.index == midwayLayer ? errors[l.index + 1] : null, c);
        }
        return n;
    }

    /** The draws the int8 sums took in the last backward pass after its midway point. */
    public long sumDrawsAfterMidway() {
        long n = 0;
        for (WeightLayer w : weightLayers()) if (!w.frozen && (midwayLayer < 0 || w.index <= midwayLayer)) n += w.w.lastSumDraws;
        return n;
    }

    /** Takes the state a forward pass in training moves on from {@code twin}: each layer's output range and parameters. */
    public void takeForwardState(Model twin) {
        for (int i = 0; i < layers.size(); i++) {
            Layer from = twin.layers.get(i), to = layers.get(i);
            to.outRange.copyFrom(from.outRange);
            to.outParams = from.outParams;
        }
    }

    /** Takes the state a backward pass moves on from {@code twin}: the error ranges of the layers, the loss and the fan-out sums. */
    public void takeBackwardState(Model twin) {
        for (int i = 0; i < layers.size(); i++) layers.get(i).errRange.copyFrom(twin.layers.get(i).errRange);
        lossRange.copyFrom(twin.lossRange);
        for (int t = 0; t < sumRanges.length; t++) if (sumRanges[t] != null) sumRanges[t].copyFrom(twin.sumRanges[t]);
    }

    /** Freezes every layer with weights except the last {@code n} of them (transfer learning). */
    public Model trainLast(int n) {
        List<WeightLayer> w = weightLayers();
        if (n < 1 || n > w.size()) throw new IllegalArgumentException("trainLast(" + n + "): the model has " + w.size() + " layers with weights");
        for (int i = 0; i < w.size(); i++) w.get(i).freeze(i < w.size() - n);
        return this;
    }

    /** Index of the lowest layer that trains. */
    public int lowestTrainable() {
        for (Layer l : layers) if (l instanceof WeightLayer w && !w.frozen) return l.index;
        throw new IllegalStateException("every layer is frozen: nothing to train");
    }

    /**
     * Which layers run backward, by layer: the trainable ones and every layer with an input whose
     * error some trainable layer below needs. Errors stop where no trainable layer lies upstream,
     * through every branch.
     */
    public boolean[] runsBackward() {
        boolean[] trains = new boolean[layers.size()];
        for (Layer l : layers) trains[l.index] = l instanceof WeightLayer w && !w.frozen;
        return runsBackward(trains);
    }

    /** {@link #runsBackward()} for other trainable flags by layer (the memory plan's, from a configuration's trainLast). */
    public boolean[] runsBackward(boolean[] trains) {
        boolean[] runs = new boolean[layers.size()];
        for (Layer l : layers) {
            boolean r = trains[l.index];
            for (int t : l.inputs) r |= t > 0 && runs[t - 1];
            runs[l.index] = r;
        }
        return runs;
    }

    /**
     * Turns the float32 weights into uint8 and calibrates the ranges of the input and of every
     * requantized output on {@code calibration} (their exact min/max in a float32 forward pass;
     * an output read only by a ReLU gets the ReLU's range). Returns this model.
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
        for (Layer l : requantizingLayers()) {
            int t = l.reluFollows ? readers[l.index + 1][0] + 1 : l.index + 1;
            l.outRange.set(lo[t], hi[t]);
            l.outParams = l.outRange.params();
            if (l instanceof WeightLayer w) w.w.quantize();
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
            sums = new float[n + 1][];
            sharesF = new Tensor[n + 1];
            sharesQ = new Tensor[n + 1];
            for (int t = 0; t <= n; t++) {
                int[] shape = t == 0 ? inputShape : layers.get(t - 1).outShape;
                features[t] = c.precision.quantizedFeatures() ? Tensor.uint8(shape) : Tensor.float32(shape);
                errors[t] = c.precision.quantizedErrors() ? Tensor.uint8(shape) : Tensor.float32(shape);
                if (readers[t].length > 1) {
                    sums[t] = new float[errors[t].size];
                    sharesF[t] = Tensor.float32(shape);
                    sharesQ[t] = Tensor.uint8(shape);
                }
            }
            logits = new float[classes];
            lossError = new float[classes];
            target = new float[features[0].size];
            buffersFor = c.precision;
        }
        int scratch = 0;
        for (Layer l : layers) scratch = Math.max(scratch, l.scratchInts(c.precision));
        if (c.forwardMacs.length != layers.size() || c.accScratch.length < scratch) c.allocate(layers.size(), scratch);
    }

    /** Runs one sample forward; returns its output (logits; a view, valid until the next call). */
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
        for (Layer l : layers) {
            if (l instanceof Add a) a.forward(features[l.inputs[0]], features[l.inputs[1]], features[l.index + 1], c);
            else l.forward(features[l.inputs[0]], features[l.index + 1], c);
        }
        Tensor out = features[layers.size()];
        for (int i = 0; i < classes; i++) logits[i] = out.real(i);
        return logits;
    }

    /**
     * Loss of the last {@link #forward} ({@code label} for cross-entropy; the input itself, as the
     * model saw it, for MSE), then the backward pass through the layers that {@link #runsBackward()},
     * adding this sample's gradients to the layers' buffers.
     */
    public float backward(int label, Context c) { return backward(label, c, null); }

    /**
     * {@link #backward(int, Context)} that runs {@code midway} (or null) once on the way: just before
     * the backward step of the second layer with weights from the top, whose errors are then known
     * (or first thing, when there is no such layer). fqt.train.SamplesInFlight starts the next
     * sample's forward pass there, from a guess of the draws still to come.
     */
    public float backward(int label, Context c, Runnable midway) {
        int n = layers.size();
        boolean[] runs = runsBackward();
        midwayLayer = -1;
        for (int l = n - 1, seen = 0; l >= 0 && midwayLayer < 0; l--) if (runs[l] && layers.get(l) instanceof WeightLayer && ++seen == 2) midwayLayer = l;
        if (midway != null && midwayLayer < 0) midway.run();
        float loss = lossAndError(label, c.loss);
        Tensor top = errors[n];
        if (top.quantized()) c.quantizeErrors(lossError, lossRange, top);
        else System.arraycopy(lossError, 0, top.f, 0, classes);
        c.selection.beginSample(loss);
        boolean[] started = new boolean[n + 1]; // a fan-out's sum starts at 0 with its first share, as model.c does
        for (int l = n - 1; l >= 0; l--) {
            if (!runs[l]) continue;
            Layer layer = layers.get(l);
            if (sums[l + 1] != null) finishSum(l + 1, c);
            Tensor dy = errors[l + 1];
            if (layer instanceof Add) {
                if (dy.quantized()) Layer.zeroSaturatedErrors(features[l + 1], dy);
                for (int t : layer.inputs) {
                    if (t == 0 || !runs[t - 1]) continue;
                    Tensor dx = sums[t] != null ? (dy.quantized() ? sharesQ[t] : sharesF[t]) : errors[t];
                    copyError(dy, dx);
                    if (sums[t] != null) addShare(dx, sums[t], started, t);
                }
            } else {
                int t = layer.inputs[0];
                Tensor dx = null;
                if (t > 0 && runs[t - 1]) {
                    boolean realShare = c.precision == Precision.UINT8 && layer instanceof WeightLayer;
                    dx = sums[t] == null ? errors[t] : c.precision == Precision.UINT8 && !realShare ? sharesQ[t] : sharesF[t];
                }
                if (l == midwayLayer && midway != null) midway.run();
                layer.backward(features[t], features[l + 1], dy, dx, c);
                if (dx != null && sums[t] != null) addShare(dx, sums[t], started, t);
            }
        }
        if (c.gradients != Gradients.IN_PLACE) for (WeightLayer w : weightLayers()) if (!w.frozen) w.w.samples++;
        return loss;
    }

    private float lossAndError(int label, Loss loss) {
        if (loss == Loss.CROSS_ENTROPY) return SoftmaxCrossEntropy.lossAndError(logits, classes, label, lossError);
        reconstructionTarget();
        return MeanSquaredError.lossAndError(logits, target, classes, lossError);
    }

    /** The MSE target: the input as the model saw it (dequantized codes in MIXED and UINT8). */
    private void reconstructionTarget() {
        Tensor x0 = features[0];
        if (x0.size != classes) {
            throw new IllegalStateException("MSE compares the output with the input: the model outputs " + classes
                    + " values for inputs of " + x0.size);
        }
        for (int i = 0; i < classes; i++) target[i] = x0.real(i);
    }

    /** The summed error of fan-out t becomes its error: as is in float32, requantized once in UINT8. */
    private void finishSum(int t, Context c) {
        Tensor e = errors[t];
        if (e.quantized()) c.quantizeErrors(sums[t], sumRanges[t], e);
        else System.arraycopy(sums[t], 0, e.f, 0, e.size);
    }

    private static void copyError(Tensor from, Tensor to) {
        if (from.quantized()) {
            System.arraycopy(from.q, 0, to.q, 0, from.size);
            to.params = from.params;
        } else {
            System.arraycopy(from.f, 0, to.f, 0, from.size);
        }
    }

    /** sum += the real values of one share ({@code (q - zp) * scale} for uint8 codes); the first share starts the sum at 0. */
    private static void addShare(Tensor share, float[] sum, boolean[] started, int t) {
        if (!started[t]) {
            Arrays.fill(sum, 0f);
            started[t] = true;
        }
        for (int i = 0; i < sum.length; i++) sum[i] += share.quantized() ? share.params.dequantize(share.q[i] & 0xFF) : share.f[i];
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

    /**
     * The reconstruction error of each sample: the MSE of the output against the input as the
     * model sees it (anomaly scores of an autoencoder). Forward only, ranges untouched.
     */
    public float[] reconstructionErrors(Dataset data, Context c) {
        checkInput(data);
        float[] e = new float[data.size()];
        boolean was = c.training;
        c.training = false;
        try {
            for (int i = 0; i < e.length; i++) {
                forward(data.sample(i), c);
                e[i] = reconstructionError();
            }
        } finally {
            c.training = was;
        }
        return e;
    }

    /** The MSE of the last {@link #forward} against its input (the reconstruction error of that sample). */
    public float reconstructionError() {
        reconstructionTarget();
        return MeanSquaredError.loss(logits, target, classes);
    }

    /** The mean of {@link #reconstructionErrors} over a data set. */
    public double meanSquaredError(Dataset data, Context c) {
        if (data.isEmpty()) throw new IllegalArgumentException(data.name() + " is empty: no error to measure");
        double sum = 0;
        for (float e : reconstructionErrors(data, c)) sum += e;
        return sum / data.size();
    }

    /** Rejects a data set whose sample shape or class count does not fit, naming both. */
    public void checkInput(Dataset data) {
        if (!Arrays.equals(data.shape(), inputShape) && data.sampleSize() != Layer.size(inputShape)) {
            throw new IllegalArgumentException(data.name() + ": samples of shape " + Arrays.toString(data.shape())
                    + " do not fit the model's input " + Arrays.toString(inputShape));
        }
        if (data.classes() > classes && classes != Layer.size(inputShape)) {
            throw new IllegalArgumentException(data.name() + " has " + data.classes() + " classes, the model outputs " + classes);
        }
    }

    /** One row per layer: index, layer, the tensors it reads, output shape, weights, state, forward MACs. */
    public Table summary() {
        Table t = Table.create("model");
        IntColumn idx = IntColumn.create("index");
        StringColumn name = StringColumn.create("layer");
        StringColumn reads = StringColumn.create("inputs");
        StringColumn shape = StringColumn.create("output_shape");
        IntColumn params = IntColumn.create("weights");
        StringColumn state = StringColumn.create("state");
        LongColumn macs = LongColumn.create("forward_macs");
        for (Layer l : layers) {
            idx.append(l.index);
            name.append(l.describe());
            reads.append(Arrays.stream(l.inputs).mapToObj(Integer::toString).collect(java.util.stream.Collectors.joining(", ")));
            shape.append(Arrays.toString(l.outShape));
            params.append(l.weights() == null ? 0 : l.weights().count() + l.weights().structures);
            state.append(l instanceof WeightLayer w ? (w.frozen ? "frozen" : w.w.biasOnly ? "bias only" : "trainable") : "");
            macs.append(l.forwardMacs());
        }
        return t.addColumns(idx, name, reads, shape, params, state, macs);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Model " + Arrays.toString(inputShape) + (quantized() ? " uint8" : " float32") + "\n");
        boolean chain = sequential();
        for (Layer l : layers) sb.append("  ").append(l.index).append(": ").append(l.describe())
                .append(chain ? "" : " " + Arrays.toString(l.inputs)).append(" -> ").append(Arrays.toString(l.outShape)).append('\n');
        return sb.toString();
    }
}
