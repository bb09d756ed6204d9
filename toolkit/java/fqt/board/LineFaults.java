package fqt.board;

/**
 * Faults a relay injects between host and board, per byte and in both directions, drawn from
 * {@code seed}: a byte is dropped with {@code dropRate}, else replaced by another value with
 * {@code corruptRate}; with {@code delayRate} the stream stalls before it for up to
 * {@code maxDelayMillis}. {@link Boards#virtual(CortexM, LineFaults)} puts the relay in place; the
 * protocol's CRC and retries must carry every request through.
 */
public record LineFaults(long seed, double dropRate, double corruptRate, double delayRate, int maxDelayMillis) {
    public LineFaults {
        if (dropRate < 0 || corruptRate < 0 || delayRate < 0 || dropRate + corruptRate > 1 || delayRate > 1) {
            throw new IllegalArgumentException("rates must be in [0, 1] with drop + corrupt <= 1: " + this);
        }
        if (maxDelayMillis < 1) throw new IllegalArgumentException("maxDelayMillis must be at least 1: " + maxDelayMillis);
    }

    @Override
    public String toString() {
        return String.format("seed %d: drop %.2f%%, corrupt %.2f%%, delay %.2f%% (up to %d ms) of the bytes",
                seed, 100 * dropRate, 100 * corruptRate, 100 * delayRate, maxDelayMillis);
    }
}
