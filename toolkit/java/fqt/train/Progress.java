package fqt.train;

import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * A text progress bar that works in a terminal and in a notebook's output (carriage return
 * redraws the line): {@code [#####.....] 50% 30000/60000 samples, 12.3 s, loss 0.41}.
 * Redraws at most every 200 ms.
 */
public final class Progress {
    private final PrintStream out;
    private final String label;
    private final long total;
    private final long start = System.nanoTime();
    private long lastDraw;

    public Progress(PrintStream out, String label, long total) {
        this.out = out;
        this.label = label;
        this.total = total;
    }

    /**
     * The stream new trainings, sweeps and devices draw their bars on, read when each is made:
     * standard error (the command line keeps standard output for results), or standard output
     * where the JVM runs with {@code -Dfqt.progress=stdout}, as the notebook kernel does, so a bar
     * redraws in place in the cell's output instead of showing as an error stream.
     */
    public static PrintStream defaultStream() { return "stdout".equals(System.getProperty("fqt.progress")) ? System.out : System.err; }

    /** A bar that prints nothing. */
    public static Progress none() { return new Progress(null, "", 1); }

    public void update(long done, String detail) {
        update(done, () -> detail);
    }

    /** {@link #update(long, String)} with the detail made only when the bar is drawn (at most every 200 ms): a training step's cost stays its own. */
    public void update(long done, Supplier<String> details) {
        if (out == null) return;
        long now = System.nanoTime();
        if (done < total && now - lastDraw < 200_000_000L) return;
        String detail = details.get();
        lastDraw = now;
        int width = 24;
        int filled = (int) (width * Math.min(done, total) / Math.max(total, 1));
        String bar = "#".repeat(filled) + ".".repeat(width - filled);
        out.print(String.format("\r%s [%s] %3d%% %d/%d, %.1f s%s", label, bar, 100 * done / Math.max(total, 1), done, total,
                (now - start) / 1e9, detail.isEmpty() ? "" : ", " + detail));
        if (done >= total) out.println();
        out.flush();
    }

    public double seconds() { return (System.nanoTime() - start) / 1e9; }
}
