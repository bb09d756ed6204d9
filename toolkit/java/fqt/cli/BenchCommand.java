package fqt.cli;

/** {@code ./fqt bench ...}: benchmarks that print figures measured in one run. */
final class BenchCommand {
    static final String HELP = """
            ./fqt bench train [--samples N] [--json]
              training samples per second at batch 1 and 16 for FLOAT32, MIXED and UINT8, and DJL's
              PyTorch engine training the same float model, measured in the same run
            """;

    static int run(String[] argv) {
        throw new IllegalArgumentException("bench: not yet available");
    }
}
