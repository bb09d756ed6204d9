package fqt.memory;

/**
 * One named buffer of a {@link MemoryPlan}: {@code bytes} at {@code offset} from the start of its
 * region (RAM arena or Flash data), {@code offset} a multiple of {@code align}.
 * {@code layer} is the model layer it belongs to, or -1. A {@code shared} buffer lies inside the
 * {@code activations} region and shares its bytes with buffers alive at other steps
 * ({@link ActivationPlan}): the region, not its buffers, counts toward the total.
 */
public record Buffer(String name, Kind kind, Region region, long bytes, long offset, int align, int layer, boolean shared) {
    /** Where a buffer lives on the device. */
    public enum Region { RAM, FLASH }

    /** One past the last byte. */
    public long end() { return offset + bytes; }
}
