package fqt.train;

/** The range check the optimizer records share: a bad hyper-parameter fails when the optimizer is made, by name. */
final class HyperParameters {
    private HyperParameters() {}

    /** {@code v}, if finite and in [lo, hi] (or (lo, hi] when {@code openLow}). */
    static float check(String what, float v, float lo, float hi, boolean openLow) {
        if (!(v >= lo && v <= hi) || (openLow && v == lo)) {
            throw new IllegalArgumentException(what + " must be in " + (openLow ? "(" : "[") + lo + ", " + hi + "], got " + v);
        }
        return v;
    }
}
