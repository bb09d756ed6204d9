package fqt.nn;

import fqt.kernels.LinearF32;
import fqt.kernels.LinearU8;
import fqt.kernels.LinearU8F32;
import fqt.parallel.Parts;
import fqt.quant.QuantParams;
import fqt.quant.Requantizer;

/** Fully connected layer, {@code in -> out}; its input is flattened. Structures are its rows (output neurons). */
public final class Linear extends WeightLayer {
    final int in;
    final int out;
    /** Host working memory of the uint8 kernels: the input without its zero point, as int and float, and the output's accumulators. */
    private final int[] centered, accumulators;
    private final float[] inputF32;
    /** Host working memory of the int8 sums: each output's gradient row factor and bias gradient ({@link Weights#accumulateRows}). */
    private final float[] rowFactors, biasGradients;

    public Linear(int in, int out) {
        super(out, in);
        if (in <= 0 || out <= 0) throw new IllegalArgumentException("Linear needs positive sizes, got " + in + " -> " + out);
        this.in = in;
        this.out = out;
        this.centered = new int[in];
        this.accumulators = new int[out];
        this.inputF32 = new float[in];
        this.rowFactors = new float[out];
        this.biasGradients = new float[out];
    }

    @Override public String kind() { return "Linear"; }
    @Override public String describe() { return "Linear " + in + "->" + out; }
    public int in() { return in; }
    public int out() { return out; }

    @Override
    protected int[] outputShape(int[] shape) {
        if (size(shape) != in) throw shapeError(in + " values", shape);
        return new int[] {out};
    }

    @Override Layer copy() { return copyStateTo(new Linear(in, out)); }
    @Override public long forwardMacs() { return (long) in * out; }
    @Override long macsPerStructure() { return in; }
    @Override int scratchInts(Precision p) { return p == Precision.UINT8 ? in : 0; }

    @Override void forwardF32(float[] x, float[] y) { LinearF32.forward(x, w.real, w.bias, y, in, out); }

    @Override
    void forwardU8(byte[] x, int xZp, byte[] y, Requantizer rq) {
        int sumX = LinearU8.prepareForward(x, xZp, in, centered), wZp = w.params.zeroPoint(), parts = parts(out);
        Parts.run(parts, p -> LinearU8.accumulators(centered, sumX, w.q, wZp, biasQ, accumulators, in, p * out / parts, (p + 1) * out / parts));
        rq.applyRows(accumulators, 0, out, 1, out, y, 0);
    }

    @Override void weightGradF32(float[] x, float[] dy, float[] gw, float[] gb, int[] s, int nSel) { LinearF32.backwardWeight(x, dy, gw, gb, in, s, nSel); }
    @Override void errorF32(float[] dy, float[] dx, int nSel) { LinearF32.backwardError(dy, w.real, dx, in, sel, nSel); }

    @Override
    void weightGradU8F32(byte[] x, QuantParams xp, float[] dy, float[] gw, float[] gb, int[] s, int nSel) {
        LinearU8F32.backwardWeight(x, xp.zeroPoint(), xp.scale(), dy, gw, gb, in, s, nSel);
    }

    @Override
    void errorU8F32(float[] dy, float[] dx, int nSel) {
        LinearU8F32.backwardError(dy, w.q, w.params.zeroPoint(), w.params.scale(), dx, in, sel, nSel);
    }

    @Override
    void weightGradU8(byte[] x, QuantParams xp, byte[] dy, QuantParams ep, float[] gw, float[] gb, int[] s, int nSel) {
        LinearU8.prepareWeightGrad(x, xp.zeroPoint(), in, inputF32);
        int parts = parts(nSel), dyZp = ep.zeroPoint();
        float sE = ep.scale(), gradScale = xp.scale() * ep.scale();
        Parts.run(parts, p -> LinearU8.weightGradRows(dy, dyZp, sE, gradScale, gw, gb, in, s, p * nSel / parts, (p + 1) * nSel / parts, inputF32));
    }

    /** UINT8: a row's gradient is its error times the input, so the int8 sums take it row by row as it is made. */
    @Override
    void accumulate(Tensor x, Tensor dy, Context c, int nSel) {
        if (c.precision != Precision.UINT8 || w.biasOnly) {
            super.accumulate(x, dy, c, nSel);
            return;
        }
        LinearU8.prepareWeightGrad(x.q, x.params.zeroPoint(), in, inputF32);
        LinearU8.rowFactors(dy.q, dy.params.zeroPoint(), dy.params.scale(), x.params.scale() * dy.params.scale(), rowFactors, biasGradients, sel, nSel);
        w.accumulateRows(sel, nSel, rowFactors, biasGradients, inputF32, c.rounding, c.rng);
    }

    @Override
    void errorU8(byte[] dy, int eZp, int[] dxAcc, int nSel) {
        LinearU8.backwardError(dy, eZp, w.q, w.params.zeroPoint(), dxAcc, in, sel, nSel);
    }
}
