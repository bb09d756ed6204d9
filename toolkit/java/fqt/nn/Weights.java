package fqt.nn;

import fqt.quant.QuantParams;
import fqt.quant.Rounding;
import fqt.quant.RoundingLoops;
import fqt.quant.Xorshift32;
import java.util.Arrays;

/**
 * The trainable parameters of one layer: a weight tensor of {@code structures x structureSize}
 * (a structure is a conv filter or a fully connected row: the unit of partial updates) stored as
 * float32 or as uint8 with one scale and zero point, a float32 bias per structure, and float32
 * gradient buffers that sum the samples of a batch.
 */
public final class Weights {
    public final int structures;
    public final int structureSize;
    float[] real;
    byte[] q;
    QuantParams params;
    final float[] bias;
    final float[] grad;
    final float[] biasGrad;
    final boolean[] touched;
    /** New real values, then values in the new scale, during a requantization (host working memory). */
    private float[] work;
    /** The real value of each code in the current parameters, during a requantization (host working memory). */
    private final float[] dequantized = new float[256];
    /** Counts the changes of the weights or their parameters (caches of derived host copies compare it). */
    int version;
    /** Samples summed in the gradient buffers since the last update. */
    int samples;
    /** Only the biases train (see {@link WeightLayer#updateBiasOnly}): the weight gradient stays zero and updates skip the weights. */
    boolean biasOnly;
    /** The state {@link #stateRule} keeps for this layer (momentum, Adam moments, running mean/std). */
    private Object state;
    private UpdateRule<?> stateRule;

    Weights(int structures, int structureSize) {
        this.structures = structures;
        this.structureSize = structureSize;
        this.real = new float[structures * structureSize];
        this.bias = new float[structures];
        this.grad = new float[structures * structureSize];
        this.biasGrad = new float[structures];
        this.touched = new boolean[structures];
    }

    Weights copy() {
        Weights w = new Weights(structures, structureSize);
        w.real = real == null ? null : real.clone();
        w.q = q == null ? null : q.clone();
        w.params = params;
        System.arraycopy(bias, 0, w.bias, 0, bias.length);
        return w;
    }

    public int count() { return structures * structureSize; }
    public boolean quantized() { return q != null; }
    public QuantParams params() { return params; }
    public float[] bias() { return bias; }
    /** Gradient (before an update) or update delta (during one) of each weight; the optimizer's working buffer. */
    public float[] grad() { return grad; }
    public float[] biasGrad() { return biasGrad; }
    public boolean touched(int structure) { return touched[structure]; }
    public int samples() { return samples; }

    /** Real value of weight i. */
    public float weight(int i) {
        return q != null ? params.dequantize(q[i] & 0xFF) : real[i];
    }

    /** All weights as float32 (a copy). */
    public float[] toFloat() {
        float[] out = new float[count()];
        for (int i = 0; i < out.length; i++) out[i] = weight(i);
        return out;
    }

    /** The uint8 codes (a copy), for bit-exact comparisons; null for float32 weights. */
    public byte[] codes() { return q == null ? null : q.clone(); }

    /** Replaces the float32 weights (import, initialisation); rejects NaN/Inf naming the position. */
    public void set(float[] weights, float[] biases, String layer) {
        if (weights.length != count() || biases.length != structures) {
            throw new IllegalArgumentException(layer + ": expected " + count() + " weights and " + structures + " biases, got "
                    + weights.length + " and " + biases.length);
        }
        checkFinite(weights, layer + " weights");
        checkFinite(biases, layer + " bias");
        real = weights.clone();
        q = null;
        params = null;
        version++;
        System.arraycopy(biases, 0, bias, 0, structures);
    }

    /** Replaces the weights by uint8 codes with their parameters, and the biases: a trained state read back (fqt.wire.ModelBlob.read). */
    public void setQuantized(byte[] codes, QuantParams params, float[] biases, String layer) {
        if (codes.length != count() || biases.length != structures) {
            throw new IllegalArgumentException(layer + ": expected " + count() + " weights and " + structures + " biases, got "
                    + codes.length + " and " + biases.length);
        }
        checkFinite(biases, layer + " bias");
        real = null;
        q = codes.clone();
        this.params = params;
        version++;
        System.arraycopy(biases, 0, bias, 0, structures);
    }

    static void checkFinite(float[] v, String what) {
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) throw new ArithmeticException(what + ": element " + i + " is " + v[i]);
        }
    }

    /** Float32 to uint8 per tensor from the weights' min/max, rounding to nearest. */
    void quantize() {
        if (q != null) return;
        float lo = real[0], hi = real[0];
        for (float v : real) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        params = QuantParams.fromRange(lo, hi);
        q = new byte[real.length];
        params.quantize(real, q, Rounding.NEAREST, null);
        real = null;
        version++;
    }

    void markTouched(int[] sel, int nSel) {
        for (int k = 0; k < nSel; k++) touched[sel[k]] = true;
    }

    /**
     * Ends a batch: the rule turns each touched structure's gradient into a delta, then the deltas
     * are applied ({@link #applyDeltas}). Nothing happens when no sample was accumulated.
     */
    public <S> void update(UpdateRule<S> rule, Rounding rounding, Xorshift32 rng) {
        if (samples == 0) return;
        rule.deltas(this, state(rule));
        applyDeltas(rounding, rng);
    }

    /** The state of {@code rule} for this layer; another rule starts from a fresh state. */
    @SuppressWarnings("unchecked") // state was made by rule.newState, and rule's class fixes S
    private <S> S state(UpdateRule<S> rule) {
        if (!rule.equals(stateRule)) {
            state = rule.newState(this);
            stateRule = rule;
        }
        return (S) state;
    }

    /**
     * Applies the deltas the optimizer left in {@link #grad} / {@link #biasGrad} for the touched
     * structures ({@code w -= delta}; the biases only when {@link #biasOnly}), then clears the
     * buffers. uint8 weights: the new real values set a new min/max, scale and zero point; if those
     * are unchanged only the touched structures are requantized, otherwise all of them (untouched
     * ones from their old real value), in index order, each with the given rounding (one random draw
     * per requantized weight when stochastic).
     */
    void applyDeltas(Rounding rounding, Xorshift32 rng) {
        for (int o = 0; o < structures; o++) if (touched[o]) bias[o] -= biasGrad[o];
        if (biasOnly) {
            // The optimizer may still leave weight deltas (standardization shifts zeros): they are dropped.
        } else if (q == null) {
            for (int o = 0; o < structures; o++) {
                if (!touched[o]) continue;
                for (int i = o * structureSize; i < (o + 1) * structureSize; i++) real[i] -= grad[i];
            }
        } else {
            float s = params.scale();
            int z = params.zeroPoint();
            float[] v = work();
            float[] real = dequantized;
            for (int c = 0; c < 256; c++) real[c] = (float) (c - z) * s;
            // The new real values of the touched structures (kept for the requantization) and the new range.
            float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
            for (int o = 0; o < structures; o++) {
                int from = o * structureSize, to = from + structureSize;
                if (touched[o]) {
                    for (int i = from; i < to; i++) v[i] = real[q[i] & 0xFF] - grad[i];
                    // Min/max of floats: neither the order of the comparisons nor the sign of a zero
                    // extreme changes the parameters fromRange makes; a NaN (which Math.min would
                    // return) is skipped, as the comparison loop skips it.
                    float mn = Float.POSITIVE_INFINITY, mx = Float.NEGATIVE_INFINITY;
                    for (int i = from; i < to; i++) {
                        mn = Math.min(mn, v[i]);
                        mx = Math.max(mx, v[i]);
                    }
                    if (mn != mn || mx != mx) {
                        mn = Float.POSITIVE_INFINITY;
                        mx = Float.NEGATIVE_INFINITY;
                        for (int i = from; i < to; i++) {
                            if (v[i] < mn) mn = v[i];
                            if (v[i] > mx) mx = v[i];
                        }
                    }
                    if (mn < lo) lo = mn;
                    if (mx > hi) hi = mx;
                } else { // dequantization is monotonic: the extreme codes give the extreme values
                    int cMin = 255, cMax = 0;
                    for (int i = from; i < to; i++) {
                        int c = q[i] & 0xFF;
                        if (c < cMin) cMin = c;
                        if (c > cMax) cMax = c;
                    }
                    float vMin = params.dequantize(cMin), vMax = params.dequantize(cMax);
                    if (vMin < lo) lo = vMin;
                    if (vMax > hi) hi = vMax;
                }
            }
            QuantParams next = QuantParams.fromRange(lo, hi);
            boolean rescale = !next.equals(params);
            requantize(next, rescale, rounding, rng);
            params = next;
        }
        Arrays.fill(grad, 0f);
        Arrays.fill(biasGrad, 0f);
        Arrays.fill(touched, false);
        samples = 0;
        version++;
    }

    /** Host working memory of {@link #applyDeltas}: one float per weight. */
    private float[] work() {
        if (work == null) work = new float[count()];
        return work;
    }

    /**
     * New codes in {@code next}: {@code quantize(scale * (q - zeroPoint) - delta)} per weight (no
     * delta when untouched), for the touched structures or, when {@code rescale}, for all of them,
     * in index order: exactly {@link QuantParams#quantize} weight by weight (one random draw per
     * requantized weight when stochastic). {@link #work} holds the touched structures' new real values.
     */
    private void requantize(QuantParams next, boolean rescale, Rounding rounding, Xorshift32 rng) {
        float s = params.scale(), ns = next.scale();
        int z = params.zeroPoint(), nz = next.zeroPoint();
        float[] t = work;
        for (int o = 0; o < structures; o++) {
            int from = o * structureSize, to = from + structureSize;
            if (touched[o]) {
                for (int i = from; i < to; i++) t[i] = t[i] / ns;
            } else if (rescale) {
                for (int i = from; i < to; i++) t[i] = ((float) ((q[i] & 0xFF) - z) * s) / ns;
            }
        }
        // Runs of consecutive structures to requantize, rounded in index order.
        for (int o = 0; o < structures; ) {
            if (!(touched[o] || rescale)) {
                o++;
                continue;
            }
            int end = o + 1;
            while (end < structures && (touched[end] || rescale)) end++;
            RoundingLoops.round(t, o * structureSize, end * structureSize, q, o * structureSize, nz, QuantParams.QMIN, rounding, rng);
            o = end;
        }
    }

    /**
     * Refuses a NaN or infinite weight or bias, naming the layer and the element: the arrays are
     * public ({@link #bias()}), so a value written into them is checked before a run or an image uses it.
     */
    public void checkFinite(String layer) {
        if (q == null) checkFinite(real, layer + " weights");
        checkFinite(bias, layer + " bias");
    }
}
