package fqt.nn;

import fqt.kernels.BiasGradF32;
import fqt.kernels.BiasGradU8;
import fqt.parallel.Parts;
import fqt.quant.QuantParams;
import fqt.quant.Requantizer;
import fqt.quant.Rounding;

/**
 * A layer with {@link Weights} (Linear, Conv2d): the shared part of the forward requantization,
 * range tracking and the backward pass with its structure selection; subclasses call their kernels.
 */
public abstract class WeightLayer extends Layer {
    Weights w; // shared with a twin (Model.twin)
    boolean frozen;
    int[] biasQ;
    int[] sel;

    WeightLayer(int structures, int structureSize) {
        this.w = new Weights(structures, structureSize);
        this.biasQ = new int[structures];
        this.sel = new int[structures];
    }

    @Override public Weights weights() { return w; }
    public boolean frozen() { return frozen; }
    public void freeze(boolean frozen) { this.frozen = frozen; }
    public boolean biasOnly() { return w.biasOnly; }
    /**
     * Bias-only updates (TinyTL): the backward pass still computes the bias gradient and propagates
     * errors through this layer, but skips the weight gradient, and updates leave the weights as they are.
     */
    public void updateBiasOnly(boolean biasOnly) { w.biasOnly = biasOnly; }

    @Override public boolean requantizes() { return true; }

    @Override
    public void calibrateOutput(float min, float max) {
        if (w.q == null) throw new IllegalStateException(name() + ": calibrateOutput needs a quantized model");
        super.calibrateOutput(min, max);
    }

    <T extends WeightLayer> T copyStateTo(T other) {
        other.w.real = w.real == null ? null : w.real.clone();
        other.w.q = w.q == null ? null : w.q.clone();
        other.w.params = w.params;
        System.arraycopy(w.bias, 0, other.w.bias, 0, w.structures);
        other.frozen = frozen;
        other.w.biasOnly = w.biasOnly;
        other.outParams = outParams;
        if (outRange.seen()) other.outRange.set(outRange.min(), outRange.max());
        return other;
    }

    // Kernels of the concrete layer, on flat arrays. Weight gradients add to the selected structures' rows of gw and gb.
    abstract void forwardF32(float[] x, float[] y);
    abstract void forwardU8(byte[] x, int xZp, byte[] y, Requantizer rq);
    abstract void weightGradF32(float[] x, float[] dy, float[] gw, float[] gb, int[] s, int nSel);
    abstract void errorF32(float[] dy, float[] dx, int nSel);
    abstract void weightGradU8F32(byte[] x, QuantParams xp, float[] dy, float[] gw, float[] gb, int[] s, int nSel);
    abstract void errorU8F32(float[] dy, float[] dx, int nSel);
    abstract void weightGradU8(byte[] x, QuantParams xp, byte[] dy, QuantParams ep, float[] gw, float[] gb, int[] s, int nSel);
    /** int32 input errors in units of {@code sW * sE}; the context requantizes them. */
    abstract void errorU8(byte[] dy, int eZp, int[] dxAcc, int nSel);
    /** MACs of one structure's weight gradient (also of its share of the error propagation). */
    abstract long macsPerStructure();

    /** MACs per part below which a loop over structures is not worth a thread. */
    static final long MACS_PER_PART = 16_384;

    /** The parts ({@link Parts}) a kernel loop over n structures is cut into: contiguous runs of the selection. */
    int parts(int n) {
        return Parts.cut(n, macsPerStructure() * n, MACS_PER_PART);
    }

    @Override
    void forward(Tensor x, Tensor y, Context c) {
        c.forwardMacs[index] += forwardMacs();
        if (!c.precision.quantizedFeatures()) {
            forwardF32(x.f, y.f);
            return;
        }
        float accScale = x.params.scale() * w.params.scale();
        for (int o = 0; o < w.structures; o++) biasQ[o] = Requantizer.quantizeBias(w.bias[o], accScale);
        y.params = outParams;
        Requantizer rq = c.requantizer(Requantizer.multiplier(x.params.scale(), w.params.scale(), outParams.scale()),
                outParams.zeroPoint(), reluFollows);
        forwardU8(x.q, x.params.zeroPoint(), y.q, rq);
        if (c.training && c.alphaA > 0f) {
            float lo = (float) rq.accMin() * accScale, hi = (float) rq.accMax() * accScale;
            if (reluFollows) lo = 0f;
            outRange.observe(lo, hi, c.alphaA);
            outParams = outRange.params();
        }
    }

    /**
     * One backward step: the selection, then the gradients as the context's {@link Gradients} keeps
     * them (FLOAT32: added to the layer's sums; INT8: each selected structure's gradient in the
     * scratch row, added to its int8 sums in selection order), then the error propagation with the
     * weights as they are, then (IN_PLACE) the update of the selected structures. The random draws
     * come in that order; the work that takes none (the error sums) runs beside the gradients
     * ({@link Parts}): the same bits.
     */
    @Override
    void backward(Tensor x, Tensor y, Tensor dy, Tensor dx, Context c) {
        if (y.quantized()) zeroSaturatedErrors(y, dy);
        int nSel = frozen ? Selection.ALL.select(index, dy, w.structures, sel) : c.selection.select(index, dy, w.structures, sel);
        if (!frozen) {
            if (c.gradients != Gradients.IN_PLACE) w.markTouched(sel, nSel);
            c.selected[index] += nSel;
            c.available[index] += w.structures;
        }
        boolean weightGrad = !frozen && !w.biasOnly;
        long macs = macsPerStructure() * nSel;
        c.backwardMacs[index] += (weightGrad ? macs : 0) + (dx != null ? macs : 0);
        Runnable errors = dx == null ? null : () -> errorSums(dy, dx, c, nSel);
        Runnable requantizeErrors = dx == null ? null : () -> finishErrors(dy, dx, c);
        if (!frozen && c.gradients == Gradients.IN_PLACE) {
            w.updateInPlace(c.update, sel, nSel, (gw, gb, s, n) -> gradients(x, dy, c, gw, gb, s, n), c.rounding, c.rng, errors, requantizeErrors);
            return;
        }
        // The gradient sums and the error propagation's sums read the same dy and weights and write
        // apart, so they run side by side; the errors are requantized after (their draws come second).
        Runnable sums = frozen ? () -> {} : c.gradients == Gradients.FLOAT32 ? () -> gradients(x, dy, c, w.grad, w.biasGrad, sel, nSel)
                : () -> accumulate(x, dy, c, nSel);
        if (dx == null) {
            sums.run();
            return;
        }
        if (frozen) errors.run();
        else Parts.run(2, p -> (p == 0 ? sums : errors).run());
        requantizeErrors.run();
    }

    /** {@link Gradients#INT8}: this sample's gradients of the selected structures added to their int8 sums. */
    void accumulate(Tensor x, Tensor dy, Context c, int nSel) {
        w.accumulate(sel, nSel, (gw, gb, s, n) -> gradients(x, dy, c, gw, gb, s, n), c.rounding, c.rng);
    }

    /**
     * A guess of the draws this layer's int8 sums will take in the backward pass of the sample whose
     * output is {@code y} (fqt.train.SamplesInFlight): every structure whose sum is not zero yet, or
     * whose output has a code that passes an error back (not dead under the ReLU, not saturated) and,
     * when the errors {@code dy} are known already (or null), a nonzero error there. A guess only:
     * an error that rounds to zero (dy unknown), a gradient that cancels, or partial updates make the
     * true count lower.
     */
    long guessSumDraws(Tensor y, Tensor dy, Context c) {
        if (frozen || w.biasOnly || c.gradients != Gradients.INT8 || c.rounding != Rounding.STOCHASTIC || !y.quantized()) return 0;
        int per = y.size / w.structures, zp = y.params.zeroPoint(), eZp = dy != null && dy.quantized() ? dy.params.zeroPoint() : 0;
        long n = 0;
        for (int o = 0; o < w.structures; o++) {
            boolean passes = w.sumIsNonzero(o);
            for (int i = o * per; !passes && i < (o + 1) * per; i++) {
                int q = y.q[i] & 0xFF;
                passes = q != 255 && !(zp > 0 && q == 0) && !(reluFollows && q <= zp)
                        && (dy == null || (dy.quantized() ? (dy.q[i] & 0xFF) != eZp : dy.f[i] != 0f));
            }
            if (passes) n += w.structureSize;
        }
        return n;
    }

    /** The gradients of structures {@code s[0, n)} added to their rows of gw and gb; bias-only: the bias gradient (no MACs) alone. */
    private void gradients(Tensor x, Tensor dy, Context c, float[] gw, float[] gb, int[] s, int n) {
        int per = dy.size / w.structures;
        switch (c.precision) {
            case FLOAT32 -> {
                if (!w.biasOnly) weightGradF32(x.f, dy.f, gw, gb, s, n);
                else BiasGradF32.backward(dy.f, gb, per, s, n);
            }
            case MIXED -> {
                if (!w.biasOnly) weightGradU8F32(x.q, x.params, dy.f, gw, gb, s, n);
                else BiasGradF32.backward(dy.f, gb, per, s, n);
            }
            case UINT8 -> {
                if (!w.biasOnly) weightGradU8(x.q, x.params, dy.q, dy.params, gw, gb, s, n);
                else BiasGradU8.backward(dy.q, dy.params.zeroPoint(), dy.params.scale(), gb, per, s, n);
            }
        }
    }

    /** The error propagation's sums: float32 errors into dx (FLOAT32, MIXED), int32 errors into the context's scratch (UINT8). */
    private void errorSums(Tensor dy, Tensor dx, Context c, int nSel) {
        switch (c.precision) {
            case FLOAT32 -> errorF32(dy.f, dx.f, nSel);
            case MIXED -> errorU8F32(dy.f, dx.f, nSel);
            case UINT8 -> errorU8(dy.q, dy.params.zeroPoint(), c.accScratch, nSel);
        }
    }

    /** UINT8: the int32 errors {@link #errorSums} made become dx, requantized (or, for a fan-out's share, real values). */
    private void finishErrors(Tensor dy, Tensor dx, Context c) {
        if (c.precision != Precision.UINT8) return;
        float accScale = w.params.scale() * dy.params.scale();
        // A float dx is one share of a fan-out's error: the model sums the shares and requantizes once.
        if (dx.quantized()) c.quantizeErrors(c.accScratch, accScale, errRange, dx);
        else Context.realErrors(c.accScratch, accScale, dx.f, dx.size);
    }
}
