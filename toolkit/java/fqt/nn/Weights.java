package fqt.nn;

import fqt.quant.QuantParams;
import fqt.quant.Rounding;
import fqt.quant.RoundingLoops;
import fqt.quant.Xorshift32;
import java.util.Arrays;

/**
 * The trainable parameters of one layer: a weight tensor of {@code structures x structureSize}
 * (a structure is a conv filter or a fully connected row: the unit of partial updates) stored as
 * float32 or as uint8 with one scale and zero point, a float32 bias per structure, and the
 * gradients of a batch as {@link Gradients} says: float32 sums, int8 sums with a scale per
 * structure, or none (each structure updated in its backward step, from one structure's scratch row).
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
    /** {@link Gradients#INT8}: the sums' codes (zero point 128) and one scale per structure; allocated on first use. */
    private byte[] gradCodes;
    private float[] gradScale;
    /** One structure's gradient (weights, then its bias in {@link #rowBias}): the scratch of INT8 and IN_PLACE. */
    final float[] row;
    final float[] rowBias = new float[1];
    /** New real values, then values in the new scale, during a requantization (host working memory). */
    private float[] work, workBias;
    /** The real value of each code in the current parameters, during a requantization (host working memory). */
    private final float[] dequantized = new float[256];
    /** The min and max {@link #range} found (host working memory). */
    private final float[] range = new float[2];
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
        this.row = new float[structureSize];
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
     * Ends a batch of samples summed as {@code gradients} says: FLOAT32, the rule turns each touched
     * structure's sum into its delta in place, then {@link #applyDeltas}; INT8, each touched
     * structure's sum is dequantized into the scratch row for {@link #updateRows}. Nothing happens
     * when no sample was summed ({@link Gradients#IN_PLACE} sums none).
     */
    public <S> void update(UpdateRule<S> rule, Gradients gradients, Rounding rounding, Xorshift32 rng) {
        if (samples == 0) return;
        S st = state(rule);
        if (gradients == Gradients.INT8) {
            int[] list = new int[structures];
            int n = 0;
            for (int o = 0; o < structures; o++) if (touched[o]) list[n++] = o;
            updateRows(rule, list, n, samples, this::dequantizeSum, rounding, rng);
            if (gradCodes != null) Arrays.fill(gradCodes, (byte) GRAD_ZERO_POINT);
            if (gradScale != null) Arrays.fill(gradScale, 0f);
            Arrays.fill(biasGrad, 0f);
            Arrays.fill(touched, false);
            samples = 0;
            return;
        }
        for (int o = 0; o < structures; o++) {
            if (touched[o]) biasGrad[o] = rule.delta(this, st, o, grad, o * structureSize, biasGrad[o], samples, true);
        }
        applyDeltas(rounding, rng);
    }

    /** Zero point of the INT8 gradient codes: codes 1..255 hold -127..127 steps of the structure's scale. */
    static final int GRAD_ZERO_POINT = 128;
    /** Largest step count of an INT8 gradient sum: its scale is the largest magnitude / 127. */
    static final float GRAD_STEPS = 127f;

    /** Where {@link #updateRows} takes structure o's gradient sum: it leaves it in {@link #row} and {@link #rowBias}. */
    interface RowSource { void load(int o); }

    /**
     * {@link Gradients#INT8}: adds the gradient in {@link #row} and {@link #rowBias} to structure
     * o's sums. The weights' sum {@code v = (code - 128) * scale + g} sets the new scale
     * {@code max |v| / 127} (0 when every v is 0), and the codes are {@code round(v / scale) + 128} with
     * the training's rounding, in index order (one draw per weight when stochastic); the bias sum is float32.
     */
    void accumulate(int o, Rounding rounding, Xorshift32 rng) {
        biasGrad[o] += rowBias[0];
        if (biasOnly) return; // no weight sums
        if (gradCodes == null) {
            gradCodes = new byte[count()];
            gradScale = new float[structures];
            Arrays.fill(gradCodes, (byte) GRAD_ZERO_POINT);
        }
        int from = o * structureSize;
        float s = gradScale[o];
        for (int j = 0; j < structureSize; j++) row[j] = (float) ((gradCodes[from + j] & 0xFF) - GRAD_ZERO_POINT) * s + row[j];
        float m = maxAbs(row, structureSize);
        if (!Float.isFinite(m)) throw new ArithmeticException("gradient of structure " + o + " became " + m);
        float ns = m / GRAD_STEPS;
        gradScale[o] = ns;
        if (ns == 0f) {
            Arrays.fill(gradCodes, from, from + structureSize, (byte) GRAD_ZERO_POINT);
        } else {
            for (int j = 0; j < structureSize; j++) row[j] = row[j] / ns;
            RoundingLoops.round(row, 0, structureSize, gradCodes, from, GRAD_ZERO_POINT, QuantParams.QMIN, rounding, rng);
        }
    }

    /**
     * {@code max |v[j]|} over the first n values, NaN if one is NaN (as Math.max makes it): four
     * running maxima side by side (Math.max is associative and commutative, NaN included), the
     * value of one serial loop without its long dependency chain.
     */
    private static float maxAbs(float[] v, int n) {
        float m0 = 0f, m1 = 0f, m2 = 0f, m3 = 0f;
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            m0 = Math.max(m0, Math.abs(v[j]));
            m1 = Math.max(m1, Math.abs(v[j + 1]));
            m2 = Math.max(m2, Math.abs(v[j + 2]));
            m3 = Math.max(m3, Math.abs(v[j + 3]));
        }
        for (; j < n; j++) m0 = Math.max(m0, Math.abs(v[j]));
        return Math.max(Math.max(m0, m1), Math.max(m2, m3));
    }

    /** {@link RowSource} of INT8 sums: structure o's codes times its scale, and its bias sum. */
    private void dequantizeSum(int o) {
        float s = gradScale == null ? 0f : gradScale[o];
        if (gradCodes == null) Arrays.fill(row, 0f);
        else for (int j = 0, i = o * structureSize; j < structureSize; j++, i++) row[j] = (float) ((gradCodes[i] & 0xFF) - GRAD_ZERO_POINT) * s;
        rowBias[0] = biasGrad[o];
    }

    /** Clears the scratch row before a gradient kernel adds one structure's gradient to it. */
    void clearRow() {
        Arrays.fill(row, 0f);
        rowBias[0] = 0f;
    }

    /**
     * {@link Gradients#IN_PLACE}: the update of one sample inside the backward step, for the
     * structures {@code sel[0, n)} (ascending); {@code source} computes a structure's gradient.
     */
    <S> void updateInPlace(UpdateRule<S> rule, int[] sel, int n, RowSource source, Rounding rounding, Xorshift32 rng) {
        updateRows(rule, sel, n, 1, source, rounding, rng);
    }

    /**
     * The update of the structures {@code list[0, n)} (ascending) whose gradient sums over
     * {@code samples} samples {@code source} puts in the scratch row, one structure at a time, without a
     * buffer of the layer's gradients. Float32 weights (or bias-only): one pass, delta and
     * {@code w -= delta} per structure. uint8 weights take two passes in index order, because the new
     * scale and zero point depend on every structure's new values: the first computes each listed
     * structure's delta (state left as it was) for the new range, which untouched structures join
     * with their extreme codes; the second computes each delta again (state committed) and quantizes
     * the new values with the new parameters, requantizing untouched structures too when the
     * parameters changed, with the rounding of {@link #applyDeltas}. (The device computes each
     * gradient and delta twice, committing the rule's state in the second pass; the host computes
     * them once, committing in the first pass, and keeps the deltas for the second in working
     * memory: a rule reads only the gradient and the structure's own state, so the values are the same.)
     */
    private <S> void updateRows(UpdateRule<S> rule, int[] list, int n, int samples, RowSource source, Rounding rounding, Xorshift32 rng) {
        S st = state(rule);
        if (q == null || biasOnly) {
            for (int k = 0; k < n; k++) {
                int o = list[k];
                source.load(o);
                bias[o] -= rule.delta(this, st, o, row, 0, rowBias[0], samples, true);
                if (biasOnly) continue; // the weights stay: a standardization's weight deltas are dropped
                for (int j = 0, i = o * structureSize; j < structureSize; j++, i++) real[i] -= row[j];
            }
            version++;
            return;
        }
        float s = params.scale();
        int z = params.zeroPoint();
        float[] real = dequantized;
        for (int c = 0; c < 256; c++) real[c] = (float) (c - z) * s;
        int[] pos = {0}; // the position in list of the next structure to update
        float[] kept = work(); // each delta as the first pass made it, for the second (host working memory)
        float[] keptBias = workBias();
        QuantParams next = paramsAfter(row, o -> {
            if (pos[0] >= n || list[pos[0]] != o) return -1;
            pos[0]++;
            source.load(o);
            keptBias[o] = rule.delta(this, st, o, row, 0, rowBias[0], samples, true);
            System.arraycopy(row, 0, kept, o * structureSize, structureSize);
            for (int j = 0, from = o * structureSize; j < structureSize; j++) row[j] = real[q[from + j] & 0xFF] - row[j];
            return 0;
        });
        boolean rescale = !next.equals(params);
        float ns = next.scale();
        for (int o = 0, k = 0; o < structures; o++) {
            int from = o * structureSize;
            if (k < n && list[k] == o) {
                k++;
                bias[o] -= keptBias[o];
                for (int j = 0; j < structureSize; j++) row[j] = (real[q[from + j] & 0xFF] - kept[from + j]) / ns;
            } else if (rescale) {
                for (int j = 0; j < structureSize; j++) row[j] = real[q[from + j] & 0xFF] / ns;
            } else {
                continue;
            }
            RoundingLoops.round(row, 0, structureSize, q, from, next.zeroPoint(), QuantParams.QMIN, rounding, rng);
        }
        params = next;
        version++;
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
            // The new real values of the touched structures are kept in v for the requantization.
            QuantParams next = paramsAfter(v, o -> {
                if (!touched[o]) return -1;
                int from = o * structureSize;
                for (int i = from; i < from + structureSize; i++) v[i] = real[q[i] & 0xFF] - grad[i];
                return from;
            });
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

    /**
     * The parameters of the range after an update, visiting the structures in index order:
     * {@code newValues} puts an updated structure's new real values into {@code values} and
     * returns where they start, or returns -1 for a structure that keeps its codes (whose extreme
     * codes then stand for it).
     */
    private QuantParams paramsAfter(float[] values, java.util.function.IntUnaryOperator newValues) {
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        for (int o = 0; o < structures; o++) {
            int at = newValues.applyAsInt(o);
            if (at >= 0) range(values, at, at + structureSize);
            float mn = at < 0 ? extremeValue(o * structureSize, false) : range[0];
            float mx = at < 0 ? extremeValue(o * structureSize, true) : range[1];
            if (mn < lo) lo = mn;
            if (mx > hi) hi = mx;
        }
        return QuantParams.fromRange(lo, hi);
    }

    /**
     * Min and max of {@code v[from, to)} into {@link #range}, by comparisons (a NaN is skipped, as
     * the firmware's comparison loop skips it), two running pairs side by side: neither the order
     * of the comparisons nor the sign of a zero extreme changes the parameters fromRange makes.
     */
    private void range(float[] v, int from, int to) {
        float lo0 = Float.POSITIVE_INFINITY, lo1 = lo0, hi0 = Float.NEGATIVE_INFINITY, hi1 = hi0;
        int i = from;
        for (; i + 2 <= to; i += 2) {
            float a = v[i], b = v[i + 1];
            if (a < lo0) lo0 = a;
            if (a > hi0) hi0 = a;
            if (b < lo1) lo1 = b;
            if (b > hi1) hi1 = b;
        }
        if (i < to) {
            if (v[i] < lo0) lo0 = v[i];
            if (v[i] > hi0) hi0 = v[i];
        }
        range[0] = lo1 < lo0 ? lo1 : lo0;
        range[1] = hi1 > hi0 ? hi1 : hi0;
    }

    /** The real value of the largest (smallest) code of the structure at {@code from}: dequantization is monotonic. */
    private float extremeValue(int from, boolean largest) {
        int c = largest ? 0 : 255;
        for (int i = from; i < from + structureSize; i++) c = largest ? Math.max(c, q[i] & 0xFF) : Math.min(c, q[i] & 0xFF);
        return params.dequantize(c);
    }

    /** Host working memory of {@link #applyDeltas} and {@link #updateRows}: one float per weight. */
    private float[] work() {
        if (work == null) work = new float[count()];
        return work;
    }

    /** Host working memory of {@link #updateRows}: one float per structure. */
    private float[] workBias() {
        if (workBias == null) workBias = new float[structures];
        return workBias;
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
