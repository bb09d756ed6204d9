package fqt.quant;

/**
 * A tensor's real range, followed over training. Each observation is the exact min/max of one
 * output, gathered while it was produced; the tracker blends it in with rate alpha:
 * {@code min = min + alpha * (observed - min)}. The first observation is taken as it is.
 * Alpha 0 freezes the range (e.g. after calibration); alpha 1 follows the last sample exactly.
 */
public final class RangeTracker {
    private float min;
    private float max;
    private boolean seen;

    public void observe(float observedMin, float observedMax, float alpha) {
        if (!seen) {
            min = observedMin;
            max = observedMax;
            seen = true;
        } else {
            min = min + alpha * (observedMin - min);
            max = max + alpha * (observedMax - max);
        }
    }

    public boolean seen() { return seen; }
    public float min() { return min; }
    public float max() { return max; }

    public QuantParams params() {
        if (!seen) throw new IllegalStateException("range used before any observation");
        return QuantParams.fromRange(min, max);
    }

    public void set(float min, float max) {
        this.min = min;
        this.max = max;
        this.seen = true;
    }

    /** Takes {@code other}'s state, unseen included. */
    public void copyFrom(RangeTracker other) {
        min = other.min;
        max = other.max;
        seen = other.seen;
    }
}
