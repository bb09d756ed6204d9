package fqt.memory;

import java.util.ArrayList;
import java.util.List;

/**
 * Lays buffers out one after the other in the order they are added (the rule of
 * {@code firmware/ARENA.md}): each offset is the previous end rounded up to the buffer's
 * alignment; empty buffers are left out; the size is the last end rounded up to 4.
 */
final class Arena {
    static final int ALIGN = 4;

    private final Buffer.Region region;
    private final List<Buffer> buffers = new ArrayList<>();
    private long end;

    Arena(Buffer.Region region) {
        this.region = region;
    }

    void add(String name, Kind kind, long bytes, int layer) {
        add(name, kind, bytes, ALIGN, layer);
    }

    void add(String name, Kind kind, long bytes, int align, int layer) {
        if (bytes <= 0) return;
        long offset = roundUp(end, align);
        buffers.add(new Buffer(name, kind, region, bytes, offset, align, layer, false));
        end = offset + bytes;
    }

    /** The planned activation region, at the next 4-aligned offset: its buffers at their planned offsets within it. */
    void addRegion(ActivationPlan plan) {
        if (plan.bytes() == 0) return;
        long start = roundUp(end, ALIGN);
        for (ActivationPlan.Entry e : plan.entries()) {
            Kind kind = e.role() == ActivationPlan.Role.FEATURES ? Kind.FEATURES : Kind.ERRORS;
            buffers.add(new Buffer(e.name(), kind, region, e.bytes(), start + e.offset(), ALIGN, -1, true));
        }
        buffers.add(new Buffer("activations", Kind.ACTIVATIONS, region, plan.bytes(), start, ALIGN, -1, false));
        end = start + plan.bytes();
    }

    List<Buffer> buffers() { return List.copyOf(buffers); }
    long size() { return roundUp(end, ALIGN); }

    static long roundUp(long n, int align) {
        return (n + align - 1) / align * align;
    }
}
