package fqt.memory;

import fqt.nn.Clamp;
import fqt.nn.Flatten;
import fqt.nn.Layer;
import fqt.nn.MaxPool2d;
import fqt.nn.Model;
import fqt.nn.Precision;
import fqt.nn.ReLU;
import fqt.train.TrainingConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a sample's features and errors live in the arena's activation region: a buffer per tensor
 * (and per fan-out's summed error and share), each alive from the step that writes it to the last
 * step that reads it, forward and backward; buffers whose lives do not overlap share bytes
 * ({@link LifetimePlanner}). The host plans and the model blob carries the plan; the firmware places
 * its buffers at these offsets ({@code firmware/ARENA.md}, section 2).
 *
 * <p>Steps: 0 loads the input, {@code i + 1} runs layer i forward, {@code n + 1} the loss, and
 * {@code 2n + 1 - l} runs layer l backward.
 */
public final class ActivationPlan {
    /**
     * What a planned buffer holds; the codes are those of the model blob's plan section. The
     * output's error buffer also holds the MIXED logits, from the end of the forward pass.
     */
    public enum Role { FEATURES, ERRORS, ERROR_SUM, ERROR_SHARE, LOSS;
        public int code() { return ordinal() + 1; }
    }

    /** One buffer: its role, the tensor it belongs to, its offset in the region and its bytes. */
    public record Entry(Role role, int tensor, long offset, long bytes, int first, int last) {
        public String name() {
            return switch (role) {
                case FEATURES -> "x" + tensor;
                case ERRORS -> "e" + tensor;
                case ERROR_SUM -> "e" + tensor + ".sum";
                case ERROR_SHARE -> "e" + tensor + ".share";
                case LOSS -> "loss";
            };
        }
    }

    /** 8-byte quantization parameters at the start of every UINT8 error buffer (its own, never borrowed). */
    public static final int ERROR_QPARAMS = 8;

    private final List<Entry> entries;
    private final long bytes;

    private ActivationPlan(List<Entry> entries, long bytes) {
        this.entries = List.copyOf(entries);
        this.bytes = bytes;
    }

    public List<Entry> entries() { return entries; }
    /** Size of the region (a multiple of 4). */
    public long bytes() { return bytes; }

    /**
     * Which layers run backward, by layer, for these roles: the trainable ones (not frozen) and those
     * with an input whose error a trainable layer below needs.
     */
    public static boolean[] runsBackward(Model model, Memory.Role[] roles) {
        boolean[] trains = new boolean[roles.length];
        for (int i = 0; i < roles.length; i++) trains[i] = roles[i] != null && roles[i] != Memory.Role.FROZEN;
        return model.runsBackward(trains);
    }

    /** True when the error of tensor t is computed: its producer runs backward. */
    static boolean needsError(boolean[] runs, int t) { return t > 0 && runs[t - 1]; }

    /** ReLU, Clamp and Flatten write over their input when they are its only reader. */
    static boolean inPlace(Model model, Layer l) {
        return (l instanceof ReLU || l instanceof Clamp || l instanceof Flatten) && model.readers(l.inputs()[0]).length == 1;
    }

    public static ActivationPlan of(Model model, TrainingConfig c) {
        Precision p = c.precision();
        Memory.Role[] roles = Memory.roles(model, c);
        boolean[] runs = runsBackward(model, roles);
        List<Layer> layers = model.layers();
        int n = layers.size();
        int valueBytes = p.quantizedFeatures() ? 1 : 4, errorBytes = p.quantizedErrors() ? 1 : 4;
        int[] first = new int[n + 1], last = new int[n + 1];
        for (int t = 0; t <= n; t++) first[t] = last[t] = t;
        last[n] = n + 1; // the loss reads the output
        if (c.loss() == fqt.nn.Loss.MSE) last[0] = n + 1; // and the input, its target
        for (Layer l : layers) {
            int b = 2 * n + 1 - l.index();
            for (int t : l.inputs()) {
                last[t] = Math.max(last[t], l.index() + 1);
                boolean readsInput = roles[l.index()] == Memory.Role.TRAINABLE || l instanceof ReLU || l instanceof Clamp || l instanceof MaxPool2d;
                if (runs[l.index()] && readsInput) last[t] = Math.max(last[t], b);
            }
            // the requantized output: the backward pass zeroes the errors where it saturated
            if (runs[l.index()] && valueBytes == 1 && l.requantizes()) last[l.index() + 1] = Math.max(last[l.index() + 1], b);
        }
        // in-place layers: the output is the input's buffer, which lives for both
        int[] bufferOf = new int[n + 1];
        for (int t = 0; t <= n; t++) bufferOf[t] = t;
        for (Layer l : layers) if (inPlace(model, l)) bufferOf[l.index() + 1] = bufferOf[l.inputs()[0]];
        for (int t = n; t >= 0; t--) if (bufferOf[t] != t) {
            int b = bufferOf[t];
            first[b] = Math.min(first[b], first[t]);
            last[b] = Math.max(last[b], last[t]);
        }
        List<LifetimePlanner.Request> requests = new ArrayList<>();
        List<Entry> pending = new ArrayList<>();
        for (int t = 0; t <= n; t++) {
            if (bufferOf[t] != t) continue;
            requests.add(new LifetimePlanner.Request(size(model, t) * valueBytes, first[t], last[t]));
            pending.add(new Entry(Role.FEATURES, t, 0, size(model, t) * valueBytes, first[t], last[t]));
        }
        for (int t = 1; t <= n; t++) {
            if (!needsError(runs, t) && t != n) continue;
            int producer = 2 * n + 1 - (t - 1);
            int[] readers = model.readers(t);
            int start = t == n ? n : 2 * n + 1 - readers[readers.length - 1];
            long err = size(model, t) * errorBytes + (p.quantizedErrors() ? ERROR_QPARAMS : 0);
            boolean fanOut = readers.length > 1;
            if (fanOut && p.quantizedErrors()) {
                add(requests, pending, Role.ERROR_SUM, t, 4 * size(model, t), start, producer);
                add(requests, pending, Role.ERRORS, t, err, producer, producer);
            } else {
                add(requests, pending, Role.ERRORS, t, err, start, producer);
            }
            if (fanOut) { // one reader's share at a time, from the first to the last reader going backward
                long share = size(model, t) * 4 + (p.quantizedErrors() ? ERROR_QPARAMS : 0);
                add(requests, pending, Role.ERROR_SHARE, t, share, start, 2 * n + 1 - readers[0]);
            }
        }
        // UINT8: the float32 logits, softmax and loss error (then quantized into the output's error)
        if (p.quantizedErrors()) add(requests, pending, Role.LOSS, n, 4L * model.classes(), n, n + 1);
        LifetimePlanner.Placement placed = LifetimePlanner.place(requests);
        List<Entry> entries = new ArrayList<>();
        for (int k = 0; k < pending.size(); k++) {
            Entry e = pending.get(k);
            entries.add(new Entry(e.role(), e.tensor(), placed.offsets()[k], e.bytes(), e.first(), e.last()));
        }
        // aliased feature tensors: the entry of their buffer's owner, under their own number
        for (int t = 0; t <= n; t++) {
            if (bufferOf[t] == t) continue;
            Entry owner = null;
            for (Entry e : entries) if (e.role() == Role.FEATURES && e.tensor() == bufferOf[t]) owner = e;
            entries.add(new Entry(Role.FEATURES, t, owner.offset(), size(model, t) * valueBytes, owner.first(), owner.last()));
        }
        entries.sort(java.util.Comparator.comparing((Entry e) -> e.role()).thenComparingInt(Entry::tensor));
        return new ActivationPlan(entries, placed.bytes());
    }

    private static void add(List<LifetimePlanner.Request> requests, List<Entry> pending, Role role, int t, long bytes, int first, int last) {
        requests.add(new LifetimePlanner.Request(bytes, first, last));
        pending.add(new Entry(role, t, 0, bytes, first, last));
    }

    private static long size(Model model, int t) {
        return Memory.size(t == 0 ? model.inputShape() : model.layer(t - 1).outputShape());
    }

    /** The entry of this role and tensor, or null. */
    public Entry entry(Role role, int tensor) {
        for (Entry e : entries) if (e.role() == role && e.tensor() == tensor) return e;
        return null;
    }

}
