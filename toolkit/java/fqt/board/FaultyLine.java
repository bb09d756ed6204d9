package fqt.board;

import java.io.ByteArrayOutputStream;
import java.util.Random;

/**
 * An in-process relay between the host's {@link Link} and a real line that drops, corrupts and
 * delays bytes as {@link LineFaults} says. Each direction draws from its own stream, seeded from
 * the faults' seed, so the faults hitting the n-th byte each way repeat run after run.
 */
final class FaultyLine implements Line {
    private final Line line;
    private final LineFaults faults;
    private final Random toBoard;
    private final Random fromBoard;
    private long dropped;
    private long corrupted;
    private long delayed;

    FaultyLine(Line line, LineFaults faults) {
        this.line = line;
        this.faults = faults;
        toBoard = new Random(faults.seed());
        fromBoard = new Random(~faults.seed());
    }

    @Override
    public int read(byte[] b, int off, int len) {
        int n = line.read(b, off, len);
        int kept = 0;
        for (int i = 0; i < n; i++) {
            if (stalls(fromBoard)) stall(fromBoard); // holds this byte and all after it
            int v = fault(fromBoard, b[off + i]);
            if (v >= 0) b[off + kept++] = (byte) v;
        }
        return kept;
    }

    @Override
    public void write(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length);
        for (byte x : b) {
            if (stalls(toBoard)) {
                line.write(out.toByteArray()); // what came before the stall goes out first
                out.reset();
                stall(toBoard);
            }
            int v = fault(toBoard, x);
            if (v >= 0) out.write(v);
        }
        line.write(out.toByteArray());
    }

    private boolean stalls(Random r) {
        return faults.delayRate() > 0 && r.nextDouble() < faults.delayRate();
    }

    /** The byte as it arrives, or -1 when dropped. */
    private int fault(Random r, byte x) {
        double p = r.nextDouble();
        if (p < faults.dropRate()) {
            dropped++;
            return -1;
        }
        if (p < faults.dropRate() + faults.corruptRate()) {
            corrupted++;
            return (x ^ (1 + r.nextInt(255))) & 0xFF; // any other value, 0x00 included
        }
        return x & 0xFF;
    }

    private void stall(Random r) {
        delayed++;
        try {
            Thread.sleep(1 + r.nextInt(faults.maxDelayMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String path() {
        return line.path();
    }

    @Override
    public void close() {
        line.close();
    }

    long dropped() {
        return dropped;
    }

    long corrupted() {
        return corrupted;
    }

    long delayed() {
        return delayed;
    }

    @Override
    public String toString() {
        return "relay (" + faults + ") on " + line.path() + ": " + dropped + " bytes dropped, " + corrupted + " corrupted, "
                + delayed + " stalls";
    }
}
