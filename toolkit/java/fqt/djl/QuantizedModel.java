package fqt.djl;

import fqt.data.Dataset;
import fqt.kernels.SoftmaxCrossEntropy;
import fqt.nn.Clamp;
import fqt.nn.Context;
import fqt.nn.ErrorRange;
import fqt.nn.Layer;
import fqt.nn.Model;
import fqt.nn.Precision;
import fqt.nn.WeightLayer;
import fqt.nn.Weights;
import fqt.quant.QuantParams;
import fqt.quant.Rounding;
import fqt.quant.Xorshift32;
import fqt.train.TrainingConfig;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The result of {@link Quantize#ptq}: the uint8 toolkit model next to the float model it came from.
 * {@link #evaluate} runs the uint8 forward pass of {@code fqt.nn} (int32 accumulation,
 * requantization); {@link #report} compares it with the float model layer by layer.
 */
public final class QuantizedModel {
    private final Model floatModel;
    private final Model model;
    private final String calibration;
    private final Rounding rounding;

    QuantizedModel(Model floatModel, Model model, String calibration, Rounding rounding) {
        this.floatModel = floatModel;
        this.model = model;
        this.calibration = calibration;
        this.rounding = rounding;
    }

    /** The uint8 model (train it further with {@code Fqt.train(model).precision(UINT8)}). */
    public Model model() { return model; }

    /** How it was calibrated: "uint8 per tensor, min/max ranges on 500 samples". */
    public String calibration() { return calibration; }

    /** uint8 test accuracy. */
    public double evaluate(Dataset data) {
        return model.accuracy(data, context(Precision.UINT8));
    }

    /** uint8 reconstruction error of an autoencoder: the mean over samples of the MSE against the input (as the model sees it). */
    public double meanSquaredError(Dataset data) {
        return model.meanSquaredError(data, context(Precision.UINT8));
    }

    /**
     * Float and uint8 accuracy on {@code data}, and per layer: the weights' quantization error
     * (RMS of dequantized minus float weights, per tensor as used, and per output channel as an
     * analysis of what per-channel ranges would give), the output's scale and zero point, and the
     * output's error against the float model over all samples (RMS and signal-to-quantization-noise
     * ratio in dB; errors accumulate from the layers below). A layer whose only reader is a ReLU or
     * Clamp is compared after it, as its requantization includes it ({@link Quantize}).
     */
    public PtqReport report(Dataset data) {
        floatModel.checkInput(data);
        if (data.isEmpty()) throw new IllegalArgumentException("report needs at least one sample");
        int n = model.layers().size();
        double[] signal = new double[n], noise = new double[n];
        long[] count = new long[n];
        int floatCorrect = 0, quantCorrect = 0;
        Context fc = context(Precision.FLOAT32), qc = context(Precision.UINT8);
        float[] x = new float[data.sampleSize()];
        for (int s = 0; s < data.size(); s++) {
            data.copySample(s, x);
            if (SoftmaxCrossEntropy.argmax(floatModel.forward(x, fc), floatModel.classes()) == data.label(s)) floatCorrect++;
            if (SoftmaxCrossEntropy.argmax(model.forward(x, qc), model.classes()) == data.label(s)) quantCorrect++;
            for (Layer l : model.layers()) {
                int t = l.index() + 1;
                Layer act = Quantize.fusedActivation(model, l);
                float lo = act instanceof Clamp c ? c.lo() : act != null ? 0f : Float.NEGATIVE_INFINITY;
                float hi = act instanceof Clamp c ? c.hi() : Float.POSITIVE_INFINITY;
                float[] ref = floatModel.features(t).f;
                var out = model.features(t);
                for (int i = 0; i < ref.length; i++) {
                    double r = Math.min(hi, Math.max(lo, ref[i]));
                    double d = out.real(i) - r;
                    signal[l.index()] += r * r;
                    noise[l.index()] += d * d;
                }
                count[l.index()] += ref.length;
            }
        }
        IntColumn index = IntColumn.create("index");
        StringColumn layer = StringColumn.create("layer");
        DoubleColumn wScale = DoubleColumn.create("weight_scale");
        IntColumn wZp = IntColumn.create("weight_zero_point");
        DoubleColumn wRmse = DoubleColumn.create("weight_rmse");
        DoubleColumn wRmseChannel = DoubleColumn.create("weight_rmse_per_channel");
        DoubleColumn oScale = DoubleColumn.create("output_scale");
        IntColumn oZp = IntColumn.create("output_zero_point");
        DoubleColumn oRmse = DoubleColumn.create("output_rmse");
        DoubleColumn sqnr = DoubleColumn.create("output_sqnr_db");
        for (Layer l : model.layers()) {
            int i = l.index();
            index.append(i);
            layer.append(l.describe());
            if (l instanceof WeightLayer w) {
                Weights q = w.weights();
                float[] real = floatModel.layer(i).weights().toFloat();
                wScale.append(q.params().scale());
                wZp.append(q.params().zeroPoint());
                wRmse.append(rmse(real, q.toFloat()));
                wRmseChannel.append(rmse(real, perChannel(real, q.structures)));
            } else {
                wScale.appendMissing();
                wZp.appendMissing();
                wRmse.appendMissing();
                wRmseChannel.appendMissing();
            }
            if (l.requantizes()) { // weight layers and Add own their output's parameters
                oScale.append(l.outputParams().scale());
                oZp.append(l.outputParams().zeroPoint());
            } else {
                oScale.appendMissing();
                oZp.appendMissing();
            }
            oRmse.append(Math.sqrt(noise[i] / count[i]));
            sqnr.append(10 * Math.log10(signal[i] / noise[i]));
        }
        Table layers = Table.create("ptq").addColumns(index, layer, wScale, wZp, wRmse, wRmseChannel, oScale, oZp, oRmse, sqnr);
        return new PtqReport((double) floatCorrect / data.size(), (double) quantCorrect / data.size(), data.size(), calibration, layers);
    }

    /** The weights as per-channel min/max quantization would store them (nearest rounding). */
    private static float[] perChannel(float[] real, int channels) {
        int per = real.length / channels;
        float[] out = new float[real.length];
        for (int c = 0; c < channels; c++) {
            float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
            for (int i = c * per; i < (c + 1) * per; i++) {
                lo = Math.min(lo, real[i]);
                hi = Math.max(hi, real[i]);
            }
            QuantParams p = QuantParams.fromRange(lo, hi);
            for (int i = c * per; i < (c + 1) * per; i++) out[i] = p.dequantize(p.quantize(real[i], Rounding.NEAREST, null));
        }
        return out;
    }

    private static double rmse(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (double) a[i] - b[i];
            sum += d * d;
        }
        return Math.sqrt(sum / a.length);
    }

    private Context context(Precision p) {
        Context c = new Context(p, rounding, ErrorRange.EXACT, 0f, 0f, new Xorshift32(TrainingConfig.EVAL_SEED));
        c.training = false;
        return c;
    }

    @Override
    public String toString() {
        return "QuantizedModel (" + calibration + ", rounding " + rounding + ")\n" + model;
    }
}
