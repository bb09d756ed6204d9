package fqt.nn;

import fqt.quant.QuantParams;
import fqt.quant.RangeTracker;
import fqt.quant.Requantizer;
import fqt.quant.Rounding;
import fqt.quant.Xorshift32;

/**
 * Settings and scratch shared by the layers of one model while it runs: precision, rounding and its
 * random stream, how feature and error ranges are tracked, and the operation counters.
 */
public final class Context {
    public final Precision precision;
    public final Rounding rounding;
    public final ErrorRange errorRange;
    /** Moving-average rates of feature and error ranges (0 freezes a range). */
    public final float alphaA;
    public final float alphaE;
    public Xorshift32 rng;
    /** False during evaluation: ranges are not updated. */
    public boolean training = true;
    public Selection selection = Selection.ALL;
    /** What {@link Model#backward} minimizes. */
    public Loss loss = Loss.CROSS_ENTROPY;
    /** Where the layers keep their gradients ({@link Gradients#of}); FLOAT32 buffers unless a training says otherwise. */
    public Gradients gradients = Gradients.FLOAT32;
    /** The update rule that {@link Gradients#IN_PLACE} applies inside the backward pass. */
    public UpdateRule<?> update;
    final Requantizer rq = new Requantizer();
    int[] accScratch = new int[0];
    /** Multiply-accumulates executed, per layer, since the last {@link #resetCounters()}. */
    public long[] forwardMacs = new long[0];
    public long[] backwardMacs = new long[0];
    /** Structures updated and available, per layer, since the last reset (partial-update ratio). */
    public long[] selected = new long[0];
    public long[] available = new long[0];

    public Context(Precision precision, Rounding rounding, ErrorRange errorRange, float alphaA, float alphaE, Xorshift32 rng) {
        this.precision = precision;
        this.rounding = rounding;
        this.errorRange = errorRange;
        this.alphaA = alphaA;
        this.alphaE = alphaE;
        this.rng = rng;
    }

    void allocate(int layers, int maxScratch) {
        accScratch = new int[maxScratch];
        forwardMacs = new long[layers];
        backwardMacs = new long[layers];
        selected = new long[layers];
        available = new long[layers];
    }

    public void resetCounters() {
        java.util.Arrays.fill(forwardMacs, 0);
        java.util.Arrays.fill(backwardMacs, 0);
        java.util.Arrays.fill(selected, 0);
        java.util.Arrays.fill(available, 0);
    }

    /** Adds {@code other}'s counters to this context's and clears them (a twin's stage, fqt.train.SamplesInFlight). */
    public void takeCounters(Context other) {
        if (forwardMacs.length != other.forwardMacs.length) allocate(other.forwardMacs.length, accScratch.length);
        for (int i = 0; i < other.forwardMacs.length; i++) {
            forwardMacs[i] += other.forwardMacs[i];
            backwardMacs[i] += other.backwardMacs[i];
            selected[i] += other.selected[i];
            available[i] += other.available[i];
        }
        other.resetCounters();
    }

    /** Requantizer for a forward output or a uint8 error, with this context's rounding. */
    Requantizer requantizer(float multiplier, int zeroPoint, boolean reluClamp) {
        return rq.reset(multiplier, zeroPoint, reluClamp, rounding, rng);
    }

    /**
     * Turns int32 input errors (real value {@code acc * accScale}) into uint8 errors in {@code dx},
     * with parameters from the configured {@link ErrorRange}; the tracker records the exact range.
     */
    void quantizeErrors(int[] acc, float accScale, RangeTracker tracker, Tensor dx) {
        int lo = Integer.MAX_VALUE, hi = Integer.MIN_VALUE;
        for (int i = 0; i < dx.size; i++) {
            if (acc[i] < lo) lo = acc[i];
            if (acc[i] > hi) hi = acc[i];
        }
        float realMin = (float) lo * accScale, realMax = (float) hi * accScale;
        QuantParams p = errorParams(tracker, realMin, realMax);
        requantizer(accScale / p.scale(), p.zeroPoint(), false).applyRows(acc, 0, dx.size, 1, dx.size, dx.q, 0);
        dx.params = p;
    }

    /** Real values of int32 errors: {@code dx[i] = float(acc[i]) * accScale}, the share of one reader of a fan-out. */
    static void realErrors(int[] acc, float accScale, float[] dx, int n) {
        for (int i = 0; i < n; i++) dx[i] = (float) acc[i] * accScale;
    }

    /** Quantizes float errors (the loss gradient, or a fan-out's summed error) into uint8 with the configured range policy. */
    void quantizeErrors(float[] err, RangeTracker tracker, Tensor dx) {
        float lo = err[0], hi = err[0];
        for (int i = 1; i < dx.size; i++) {
            if (err[i] < lo) lo = err[i];
            if (err[i] > hi) hi = err[i];
        }
        QuantParams p = errorParams(tracker, lo, hi);
        for (int i = 0; i < dx.size; i++) dx.q[i] = (byte) p.quantize(err[i], rounding, rng);
        dx.params = p;
    }

    private QuantParams errorParams(RangeTracker tracker, float realMin, float realMax) {
        QuantParams p = switch (errorRange) {
            case FIXED -> QuantParams.UNIT_RANGE;
            case EXACT -> QuantParams.fromRange(realMin, realMax);
            case EMA -> tracker.seen() ? tracker.params() : QuantParams.fromRange(realMin, realMax);
        };
        tracker.observe(realMin, realMax, alphaE);
        return p;
    }
}
