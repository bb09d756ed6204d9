package fqt.djl;

import fqt.data.Dataset;
import fqt.nn.Clamp;
import fqt.nn.Context;
import fqt.nn.ErrorRange;
import fqt.nn.Layer;
import fqt.nn.Model;
import fqt.nn.Precision;
import fqt.nn.ReLU;
import fqt.quant.Rounding;
import java.util.Arrays;
import java.util.List;

/**
 * Post-training quantization of a float model to the method's uint8 scheme:
 * {@code Quantize.ptq(fp).calibrate(data.train().take(500)).perTensor().build()}.
 *
 * <p>Weights: uint8 affine, one scale and zero point per tensor from the tensor's min/max (the
 * engine's only weight scheme; {@link QuantizedModel#report} shows what per-channel ranges would
 * gain, as an analysis). Features: the input and every requantized output get their range from the
 * calibration samples, run through the float model: exact min/max ({@link Builder#minMax}, the
 * default, as {@link Model#quantize}) or percentiles ({@link Builder#percentile}), which clip rare
 * outliers for a finer scale. Requantized outputs are those of the weight layers and of
 * {@link fqt.nn.Add} ({@link Model#requantizingLayers}). A ReLU or Clamp (ReLU6) that is the only
 * reader of such an output is fused into its requantization: that layer's range is taken after
 * it, as the saturation of the uint8 output then clips as it does (Model.quantize fuses ReLU only;
 * taking ReLU6's range halves the step of an output that spans [-6, 6] before it). The input keeps
 * its exact min/max in both rules.
 */
public final class Quantize {
    private Quantize() {}

    public static Builder ptq(ImportedModel fp) { return new Builder(fp.model()); }

    public static Builder ptq(Model fp) { return new Builder(fp); }

    /** Calibration settings; {@link #calibrate} is required. */
    public static final class Builder {
        private final Model fp;
        private Dataset calibration;
        private double percentile = 100;
        private Rounding rounding = Rounding.NEAREST;

        private Builder(Model fp) {
            if (fp.quantized()) throw new IllegalArgumentException("ptq needs a float32 model; this one is already quantized");
            this.fp = fp;
        }

        /** The samples whose float32 features set the ranges (a few hundred training samples). */
        public Builder calibrate(Dataset samples) { this.calibration = samples; return this; }

        /** Ranges are the exact min/max over the calibration samples (default). */
        public Builder minMax() { this.percentile = 100; return this; }

        /**
         * Ranges from the {@code 100 - p} and {@code p} percentiles of each tensor's calibration
         * values (nearest rank), e.g. 99.99; {@code p = 100} is {@link #minMax()}.
         */
        public Builder percentile(double p) {
            if (!(p > 50 && p <= 100)) throw new IllegalArgumentException("percentile must be in (50, 100], got " + p);
            this.percentile = p;
            return this;
        }

        /** One scale and zero point per weight tensor: the engine's scheme, stated explicitly. */
        public Builder perTensor() { return this; }

        /** Rounding of the requantization in {@link QuantizedModel#evaluate} (default NEAREST). */
        public Builder rounding(Rounding r) { this.rounding = r; return this; }

        public QuantizedModel build() {
            if (calibration == null || calibration.isEmpty()) throw new IllegalArgumentException("ptq: calibrate(samples) needs at least one sample");
            fp.checkInput(calibration);
            float[][] ranges = ranges(fp, calibration, percentile);
            Model q = fp.copy().quantize(calibration);
            for (Layer l : q.requantizingLayers()) l.calibrateOutput(ranges[l.index()][0], ranges[l.index()][1]);
            String rule = percentile < 100 ? percentile + " percentile" : "min/max";
            return new QuantizedModel(fp, q, "uint8 per tensor, " + rule + " ranges on " + calibration.size() + " samples", rounding);
        }
    }

    /**
     * The ReLU or Clamp fused into {@code l}'s requantization: the only reader of the output of a
     * layer that requantizes; null if none.
     */
    static Layer fusedActivation(Model m, Layer l) {
        if (!l.requantizes()) return null;
        int[] r = m.readers(l.index() + 1);
        return r.length == 1 && (m.layer(r[0]) instanceof ReLU || m.layer(r[0]) instanceof Clamp) ? m.layer(r[0]) : null;
    }

    /**
     * Per layer that requantizes, {lo, hi} of its output (after a fused activation) over the
     * calibration samples: exact min/max for {@code p = 100}, else the percentiles.
     */
    private static float[][] ranges(Model fp, Dataset calibration, double p) {
        List<Layer> layers = fp.layers();
        float[][] values = new float[layers.size()][];
        float[][] minMax = new float[layers.size()][];
        int[] tensor = new int[layers.size()];
        for (Layer l : fp.requantizingLayers()) {
            Layer act = fusedActivation(fp, l);
            tensor[l.index()] = act != null ? act.index() + 1 : l.index() + 1;
            minMax[l.index()] = new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
            // Percentiles need every value; min/max only the extremes.
            if (p < 100) values[l.index()] = new float[calibration.size() * Layers.size(l.outputShape())];
        }
        Context c = new Context(Precision.FLOAT32, Rounding.NEAREST, ErrorRange.EXACT, 0f, 0f, null);
        c.training = false;
        float[] x = new float[calibration.sampleSize()];
        for (int s = 0; s < calibration.size(); s++) {
            calibration.copySample(s, x);
            fp.forward(x, c);
            for (int i = 0; i < layers.size(); i++) {
                if (minMax[i] == null) continue;
                float[] f = fp.features(tensor[i]).f;
                if (values[i] != null) System.arraycopy(f, 0, values[i], s * f.length, f.length);
                for (float v : f) {
                    if (v < minMax[i][0]) minMax[i][0] = v;
                    if (v > minMax[i][1]) minMax[i][1] = v;
                }
            }
        }
        float[][] ranges = new float[layers.size()][];
        for (int i = 0; i < layers.size(); i++) {
            if (values[i] == null) {
                ranges[i] = minMax[i];
                continue;
            }
            float[] v = values[i];
            Arrays.sort(v);
            int last = v.length - 1;
            ranges[i] = new float[] {v[(int) Math.round((1 - p / 100) * last)], v[(int) Math.round(p / 100 * last)]};
        }
        return ranges;
    }
}
