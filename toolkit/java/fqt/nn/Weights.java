package fqt.nn;

import fqt.quant.QuantParams;
import fqt.quant.Rounding;
import fqt.quant.RoundingLoops;
import fqt.quant.WeightLoops;
import fqt.quant.Xorshift32;
import fqt.parallel.Parts;
import java.util.Arrays;

/**
 * The trainable parameters of one layer: a weight tensor of {@code structures x structureSize}
 * (a structure is a conv filter or a fully connected row: the unit of partial updates) stored as
 * float32 or as uint8 with one scale and zero point, a float32 bias per structure, and the
 * gradients of a batch as {@link Gradients} says: float32 sums, int8 sums with a scale per
 * structure, or none (each structure updated in its backward step).
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
    /** New real values, or gradients and their sums, during an update (host working memory, see {@link #workingMemory}). */
    private float[] work, workBias, perStructure, perStructureToo;
    private int[] drawsAt, listed, requantized;
    private boolean[] updatedFlags;
    /** The real value of each code in the current parameters, during a requantization (host working memory). */
    private final float[] dequantized = new float[256];
    /** Draws the last {@link #accumulate} took (fqt.train.SamplesInFlight guesses the stream's position from them). */
    long lastSumDraws;
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
    }

    void markTouched(int[] sel, int nSel) {
        for (int k = 0; k < nSel; k++) touched[sel[k]] = true;
    }

    /**
     * Ends a batch of samples summed as {@code gradients} says: FLOAT32, the rule turns each touched
     * structure's sum into its delta in place, then {@link #applyDeltas}; INT8, the touched
     * structures' sums, dequantized, go through {@link #updateRows}. Nothing happens when no sample
     * was summed ({@link Gradients#IN_PLACE} sums none).
     */
    public <S> void update(UpdateRule<S> rule, Gradients gradients, Rounding rounding, Xorshift32 rng) {
        if (samples == 0) return;
        S st = state(rule);
        if (gradients == Gradients.INT8) {
            workingMemory();
            int[] list = listed;
            int n = 0;
            for (int o = 0; o < structures; o++) if (touched[o]) list[n++] = o;
            updateRows(rule, list, n, samples, this::dequantizeSums, rounding, rng);
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

    /**
     * Adds the gradients of the structures {@code sel[0, n)} to their rows of {@code gw} (one row of
     * {@link #structureSize} per structure) and of {@code gb}: the layer's kernels, or the INT8 sums.
     */
    interface Gradient { void into(float[] gw, float[] gb, int[] sel, int n); }

    /**
     * {@link Gradients#INT8}: adds one sample's gradients of the structures {@code sel[0, n)}
     * ({@code gradient}) to their sums. A structure's weight sum {@code v = (code - 128) * scale + g}
     * sets its new scale {@code max |v| / 127} (0 when every v is 0), and its codes are
     * {@code round(v / scale) + 128} with the training's rounding, in index order within the
     * structure and structure after structure in selection order (one draw per weight when
     * stochastic, none for a structure whose scale is 0); the bias sums are float32. A non-finite
     * sum is refused, naming the first such structure in selection order.
     */
    void accumulate(int[] sel, int n, Gradient gradient, Rounding rounding, Xorshift32 rng) {
        workingMemory();
        float[] v = work, vb = workBias;
        clearRows(sel, n, v, vb);
        gradient.into(v, vb, sel, n);
        for (int k = 0; k < n; k++) biasGrad[sel[k]] += vb[sel[k]];
        lastSumDraws = 0;
        if (biasOnly) return; // no weight sums
        gradSums();
        float[] next = perStructure;
        int parts = parts(n);
        Parts.run(parts, p -> {
            for (int k = p * n / parts, end = (p + 1) * n / parts; k < end; k++) {
                int o = sel[k], from = o * structureSize;
                next[o] = WeightLoops.addCodes(gradCodes, GRAD_ZERO_POINT, gradScale[o], v, from, structureSize);
            }
        });
        roundSums(sel, n, rounding, rng);
    }

    /**
     * {@link #accumulate} of a gradient whose structure o's row is {@code a[o] * x} and whose bias
     * gradient is {@code 0f + ab[o]} (a linear layer's: an output's error times the input), the row
     * added to the sum as it is made instead of written first: the same floats and draws. Not for
     * bias-only training, which has no weight sums.
     */
    void accumulateRows(int[] sel, int n, float[] a, float[] ab, float[] x, Rounding rounding, Xorshift32 rng) {
        workingMemory();
        for (int k = 0; k < n; k++) biasGrad[sel[k]] += 0f + ab[sel[k]];
        lastSumDraws = 0;
        gradSums();
        float[] v = work, next = perStructure;
        int parts = parts(n);
        Parts.run(parts, p -> {
            for (int k = p * n / parts, end = (p + 1) * n / parts; k < end; k++) {
                int o = sel[k];
                next[o] = WeightLoops.addCodesOfRow(gradCodes, GRAD_ZERO_POINT, gradScale[o], a[o], x, v, o * structureSize, structureSize);
            }
        });
        roundSums(sel, n, rounding, rng);
    }

    /** The int8 sums, made on first use: every code at the zero point, every scale 0. */
    private void gradSums() {
        if (gradCodes != null) return;
        gradCodes = new byte[count()];
        gradScale = new float[structures];
        Arrays.fill(gradCodes, (byte) GRAD_ZERO_POINT);
    }

    /** The second half of {@link #accumulate}: each structure's new scale from its max |v| (in {@link #perStructure}), then its codes. */
    private void roundSums(int[] sel, int n, Rounding rounding, Xorshift32 rng) {
        float[] v = work, next = perStructure;
        int parts = parts(n);
        int[] at = drawsAt;
        int draws = 0;
        for (int k = 0; k < n; k++) {
            int o = sel[k];
            if (!Float.isFinite(next[o])) throw new ArithmeticException("gradient of structure " + o + " became " + next[o]);
            next[o] = next[o] / GRAD_STEPS;
            at[o] = draws;
            if (next[o] != 0f) draws += structureSize;
        }
        Xorshift32 s = Xorshift32.taken(rounding, rng, draws);
        if (s != null) lastSumDraws = draws;
        int total = draws;
        Parts.run(parts, p -> {
            int first = p * n / parts, end = (p + 1) * n / parts, from0 = first < n ? at[sel[first]] : total; // a part's draws are contiguous
            Xorshift32.Made m = Xorshift32.made(s, from0, (end < n ? at[sel[end]] : total) - from0);
            for (int k = first; k < end; k++) {
                int o = sel[k], from = o * structureSize;
                float ns = next[o];
                gradScale[o] = ns;
                if (ns == 0f) {
                    Arrays.fill(gradCodes, from, from + structureSize, (byte) GRAD_ZERO_POINT);
                    continue;
                }
                RoundingLoops.round(v, from, from + structureSize, ns, gradCodes, from, GRAD_ZERO_POINT, QuantParams.QMIN, rounding, m.d, m.at + at[o] - from0);
            }
        });
    }

    /** {@link Gradients#INT8}: whether structure o's weight sum is not zero (it takes draws whatever the next sample adds). */
    boolean sumIsNonzero(int o) { return gradScale != null && gradScale[o] != 0f; }

    /** {@link Gradient} of the INT8 sums: each structure's codes times its scale, and its bias sum. */
    private void dequantizeSums(float[] gw, float[] gb, int[] sel, int n) {
        for (int k = 0; k < n; k++) {
            int o = sel[k];
            gb[o] += biasGrad[o];
            if (gradCodes == null) continue;
            float s = gradScale[o];
            for (int i = o * structureSize; i < (o + 1) * structureSize; i++) gw[i] += (float) ((gradCodes[i] & 0xFF) - GRAD_ZERO_POINT) * s;
        }
    }

    /** Zeroes the rows of the structures {@code sel[0, n)} in gw and gb. */
    private void clearRows(int[] sel, int n, float[] gw, float[] gb) {
        for (int k = 0; k < n; k++) {
            int o = sel[k];
            Arrays.fill(gw, o * structureSize, (o + 1) * structureSize, 0f);
            gb[o] = 0f;
        }
    }

    /** Weights per part below which a loop over structures is not worth a thread. */
    private static final int WEIGHTS_PER_PART = 4096;

    /** The parts a loop over n structures is cut into (contiguous runs of structures, {@link Parts}). */
    private int parts(int n) {
        return Parts.cut(n, (long) n * structureSize, WEIGHTS_PER_PART);
    }

    /**
     * {@link Gradients#IN_PLACE}: the update of one sample inside the backward step, for the
     * structures {@code sel[0, n)} (ascending), whose gradients {@code gradient} computes.
     * {@code alongside} (or null) runs at the same time as the new values are made, on another
     * thread when one is free: it may read the weights, which are written only after it is done;
     * {@code before} (or null) runs just before they are written (its random draws come before the update's).
     */
    <S> void updateInPlace(UpdateRule<S> rule, int[] sel, int n, Gradient gradient, Rounding rounding, Xorshift32 rng,
                           Runnable alongside, Runnable before) {
        if (alongside == null) {
            newValues(rule, sel, n, 1, gradient);
        } else {
            Parts.run(2, p -> {
                if (p == 0) newValues(rule, sel, n, 1, gradient);
                else alongside.run();
            });
        }
        if (before != null) before.run();
        writeValues(sel, n, rounding, rng);
    }

    /**
     * The update of the structures {@code list[0, n)} (ascending) whose gradient sums over
     * {@code samples} samples {@code source} gives, without a buffer of the layer's gradients on the
     * device: {@link #newValues}, then {@link #writeValues}.
     */
    private <S> void updateRows(UpdateRule<S> rule, int[] list, int n, int samples, Gradient source, Rounding rounding, Xorshift32 rng) {
        newValues(rule, list, n, samples, source);
        writeValues(list, n, rounding, rng);
    }

    /**
     * The first half of an update, which reads the weights and writes only the working memory and
     * the rule's state: each listed structure's delta (state committed), and for uint8 weights its
     * new values and their range. (The device has no room for the new values: it computes each
     * gradient and delta twice, once for the range without committing the rule's state and once to
     * apply it; a rule reads only the gradient and the structure's own state, so the values are the same.)
     * A rule's deltas of different structures may be made on different threads ({@link Parts}).
     */
    private <S> void newValues(UpdateRule<S> rule, int[] list, int n, int samples, Gradient source) {
        S st = state(rule);
        workingMemory();
        float[] v = work, vb = workBias;
        clearRows(list, n, v, vb);
        source.into(v, vb, list, n);
        int parts = parts(n);
        float[] lo = perStructure, hi = perStructureToo;
        boolean codes = q != null && !biasOnly;
        float scale = codes ? params.scale() : 0f;
        int zp = codes ? params.zeroPoint() : 0;
        Parts.run(parts, p -> {
            int first = p * n / parts, end = (p + 1) * n / parts;
            rule.deltas(this, st, list, first, end, v, vb, samples, true);
            if (!codes) return;
            for (int k = first; k < end; k++) {
                int o = list[k];
                WeightLoops.subtractFromCodes(q, zp, scale, v, o * structureSize, structureSize, lo, hi, o);
            }
        });
    }

    /**
     * The second half: the biases and weights take the values {@link #newValues} made. Float32
     * weights (or bias-only): {@code w -= delta} per structure (bias-only keeps the weights: a
     * standardization's weight deltas are dropped). uint8 weights: the new scale and zero point
     * depend on every structure's new values, so the new range is found (untouched structures join
     * with their extreme codes), then the new values quantized with the new parameters, untouched
     * structures requantized too when the parameters changed, as {@link #requantize} says.
     */
    private void writeValues(int[] list, int n, Rounding rounding, Xorshift32 rng) {
        float[] v = work, vb = workBias;
        for (int k = 0; k < n; k++) bias[list[k]] -= vb[list[k]];
        if (biasOnly) return;
        if (q == null) {
            for (int k = 0; k < n; k++) {
                int from = list[k] * structureSize;
                for (int i = from; i < from + structureSize; i++) real[i] -= v[i];
            }
            return;
        }
        boolean[] updated = updatedFlags;
        Arrays.fill(updated, false);
        for (int k = 0; k < n; k++) updated[list[k]] = true;
        requantize(updated, perStructure, perStructureToo, rounding, rng);
    }

    /** The real value of each code in the current parameters (host working memory, made for one update). */
    private float[] dequantizedCodes() {
        float s = params.scale();
        int z = params.zeroPoint();
        for (int c = 0; c < 256; c++) dequantized[c] = (float) (c - z) * s;
        return dequantized;
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
     * buffers; uint8 weights are requantized as {@link #requantize} says.
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
            workingMemory();
            float[] v = work, lo = perStructure, hi = perStructureToo;
            for (int o = 0; o < structures; o++) {
                if (!touched[o]) continue;
                int from = o * structureSize;
                System.arraycopy(grad, from, v, from, structureSize);
                WeightLoops.subtractFromCodes(q, params.zeroPoint(), params.scale(), v, from, structureSize, lo, hi, o);
            }
            requantize(touched, lo, hi, rounding, rng);
        }
        Arrays.fill(grad, 0f);
        Arrays.fill(biasGrad, 0f);
        Arrays.fill(touched, false);
        samples = 0;
    }

    /**
     * uint8 weights after an update: {@link #work} holds the new real values of the {@code updated}
     * structures, and {@code lo}, {@code hi} their min and max. The range over all structures in
     * index order (an untouched one joins with its extreme codes) gives the new scale and zero
     * point; if those are unchanged only the updated structures are quantized, otherwise all of
     * them (untouched ones from their old real value), in index order, each with the given rounding
     * (one random draw per requantized weight when stochastic): exactly {@link QuantParams#quantize}
     * weight by weight. The structures are cut into {@link Parts}, each with its slice of the draws.
     */
    private void requantize(boolean[] updated, float[] lo, float[] hi, Rounding rounding, Xorshift32 rng) {
        float low = Float.POSITIVE_INFINITY, high = Float.NEGATIVE_INFINITY;
        for (int o = 0; o < structures; o++) {
            float mn = updated[o] ? lo[o] : extremeValue(o * structureSize, false);
            float mx = updated[o] ? hi[o] : extremeValue(o * structureSize, true);
            if (mn < low) low = mn;
            if (mx > high) high = mx;
        }
        QuantParams next = QuantParams.fromRange(low, high);
        boolean rescale = !next.equals(params);
        int[] list = requantized, at = drawsAt;
        int n = 0;
        for (int o = 0; o < structures; o++) {
            if (!(updated[o] || rescale)) continue;
            at[o] = n * structureSize;
            list[n++] = o;
        }
        Xorshift32 s = Xorshift32.taken(rounding, rng, n * structureSize);
        float[] v = work, table = rescale ? dequantizedCodes() : null;
        float ns = next.scale();
        int nz = next.zeroPoint(), parts = parts(n), count = n;
        Parts.run(parts, p -> {
            int first = p * count / parts, end = (p + 1) * count / parts;
            Xorshift32.Made m = Xorshift32.made(s, first * structureSize, (end - first) * structureSize);
            for (int k = first; k < end; k++) {
                int o = list[k], from = o * structureSize, to = from + structureSize;
                if (!updated[o]) for (int i = from; i < to; i++) v[i] = table[q[i] & 0xFF];
                RoundingLoops.round(v, from, to, ns, q, from, nz, QuantParams.QMIN, rounding, m.d, m.at + at[o] - first * structureSize);
            }
        });
        params = next;
    }

    /** The real value of the largest (smallest) code of the structure at {@code from}: dequantization is monotonic. */
    private float extremeValue(int from, boolean largest) {
        int c = largest ? 0 : 255;
        for (int i = from; i < from + structureSize; i++) c = largest ? Math.max(c, q[i] & 0xFF) : Math.min(c, q[i] & 0xFF);
        return params.dequantize(c);
    }

    /** Makes the host working memory of the updates on first use: one float per weight, and per structure floats, ints and flags. */
    private void workingMemory() {
        if (work != null) return;
        work = new float[count()];
        workBias = new float[structures];
        perStructure = new float[structures];
        perStructureToo = new float[structures];
        drawsAt = new int[structures];
        listed = new int[structures];
        requantized = new int[structures];
        updatedFlags = new boolean[structures];
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
