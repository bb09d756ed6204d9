package fqt.notebook;

/**
 * Preformatted text as a notebook cell's value: a cell ending in {@code text(s)} shows {@code s}
 * with its line breaks and alignment kept (the "Java (fqt-toolkit)" kernel renders it through
 * {@link KernelDisplay}; other kernels print {@link #toString()}, which is {@code s}).
 */
public record Text(String value) {
    public Text {
        if (value == null) throw new IllegalArgumentException("text(null)");
    }

    public static Text text(String value) { return new Text(value); }

    /** {@code text(String.format(format, args))}. */
    public static Text text(String format, Object... args) { return new Text(String.format(format, args)); }

    @Override public String toString() { return value; }
}
