package fqt.board;

import fqt.nn.Layer;
import fqt.nn.Model;
import fqt.nn.Weights;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Bit-exact comparisons of a board's trained model with the simulator's. */
public final class Compare {
    /** Differences listed at most. */
    private static final int MAX_DIFFERENCES = 10;

    private Compare() {}

    /**
     * Every weight (uint8 code or float32 bits), bias, weight and output quantization parameter,
     * output range and the loss range of {@code device} against {@code simulated}, layer by layer.
     */
    public static Report weights(Model device, Model simulated) {
        List<String> diffs = new ArrayList<>();
        long compared = 0;
        if (device.layers().size() != simulated.layers().size()) {
            diffs.add(device.layers().size() + " layers against " + simulated.layers().size());
            return new Report(0, diffs);
        }
        differ(diffs, "loss range", range(device.lossRange()), range(simulated.lossRange()));
        for (int l = 0; l < device.layers().size(); l++) {
            Layer a = device.layer(l), b = simulated.layer(l);
            Weights wa = a.weights(), wb = b.weights();
            if (wa == null || wb == null) continue;
            String name = a.name();
            differ(diffs, name + " weight parameters", wa.params(), wb.params());
            differ(diffs, name + " output parameters", a.outputParams(), b.outputParams());
            differ(diffs, name + " output range", range(a.outputRange()), range(b.outputRange()));
            byte[] ca = wa.codes(), cb = wb.codes();
            for (int i = 0; i < wa.count(); i++, compared++) {
                if (ca != null && cb != null) {
                    if (ca[i] != cb[i]) diffs.add(name + " weight " + i + ": code " + (ca[i] & 0xFF) + " against " + (cb[i] & 0xFF));
                } else if (Float.floatToRawIntBits(wa.weight(i)) != Float.floatToRawIntBits(wb.weight(i))) {
                    diffs.add(name + " weight " + i + ": " + wa.weight(i) + " against " + wb.weight(i));
                }
            }
            for (int s = 0; s < wa.structures; s++, compared++) {
                if (Float.floatToRawIntBits(wa.bias()[s]) != Float.floatToRawIntBits(wb.bias()[s])) {
                    diffs.add(name + " bias " + s + ": " + wa.bias()[s] + " against " + wb.bias()[s]);
                }
            }
        }
        return new Report(compared, diffs);
    }

    private static void differ(List<String> diffs, String what, Object a, Object b) {
        if (!Objects.equals(a, b)) diffs.add(what + ": " + a + " against " + b);
    }

    private static String range(fqt.quant.RangeTracker r) {
        return r.seen() ? "[" + Float.floatToRawIntBits(r.min()) + ", " + Float.floatToRawIntBits(r.max()) + "] (bits)" : "unseen";
    }

    /** Weights and biases compared, and every difference found (the first ones in the text). */
    public record Report(long compared, List<String> differences) {
        public boolean bitExact() {
            return differences.isEmpty();
        }

        @Override
        public String toString() {
            if (bitExact()) return "bit-exact: " + compared + " weights and biases, parameters and ranges equal";
            return differences.size() + " differences in " + compared + " weights and biases; first: "
                    + String.join("; ", differences.subList(0, Math.min(MAX_DIFFERENCES, differences.size())));
        }
    }
}
