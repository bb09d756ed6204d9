package fqt.board;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Training on a virtual board without the serial link: the runner image
 * ({@code firmware/port/mps2/test/runner.c}) reads a model blob and a samples file
 * ({@link SampleFile}) from the host over semihosting, trains exactly as the host runner
 * {@code firmware/host/fqt_host.c} does, writes the same result file and reports the time of each
 * training phase in instructions (SysTick under QEMU's {@code -icount shift=0}: instructions, not
 * cycles) with the multiply-accumulates it executed.
 */
public final class Runner {
    private static final String FIGURES_LINE = "fqt-runner ";

    private Runner() {}

    /**
     * Trains the blob on {@code samples} in file order (and then evaluates on {@code test}, if not
     * null) on the virtual board of {@code core}; the result file goes to {@code result}. Paths
     * must not contain spaces or commas (they travel in QEMU's semihosting command line).
     */
    public static Result train(CortexM core, Path blob, Path samples, Path test, Path result, Duration timeout) {
        List<String> argv = new ArrayList<>(List.of("fqt-runner", path(blob), path(samples), path(result)));
        if (test != null) argv.addAll(List.of("--eval", path(test)));
        String args = String.join(",", argv.stream().map(a -> "arg=" + a).toList());
        try {
            Files.deleteIfExists(result);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot replace " + result + ": " + e.getMessage(), e);
        }
        Qemu.Run run = Qemu.runToExit(core, Firmware.runnerElf(core), timeout, "-semihosting-config", args);
        if (run.exitStatus() == 2 || !Files.exists(result)) {
            throw new IllegalStateException("the runner on the virtual " + core.key() + " board failed (exit " + run.exitStatus()
                    + "); its output:\n" + run.output());
        }
        try {
            return new Result(run.exitStatus(), Files.readAllBytes(result), Figures.parse(run.output()), run.output());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + result + ": " + e.getMessage(), e);
        }
    }

    private static String path(Path p) {
        String s = p.toAbsolutePath().toString();
        if (s.contains(" ") || s.contains(",")) throw new IllegalArgumentException("the runner cannot take a path with a space or comma: " + s);
        return s;
    }

    /**
     * A runner's outcome: exit status (0, or 1 when the core failed: the result file holds its
     * status), the result file's bytes, the figures and QEMU's last output lines.
     */
    public record Result(int exitStatus, byte[] resultFile, Figures figures, String output) {}

    /**
     * Time per training phase in instructions, summed over the trained samples, and the executed
     * multiply-accumulates counted as Java's {@code Context} counts them. Selection is the ranking
     * of structures for partial updates; backward excludes it; update is the optimizer steps with
     * the requantization of the weights at the end of each batch.
     */
    public record Figures(String core, long samples, long forwardInstructions, long backwardInstructions, long updateInstructions,
                          long selectionInstructions, long forwardMacs, long backwardMacs) {
        public long instructions() {
            return forwardInstructions + backwardInstructions + updateInstructions + selectionInstructions;
        }

        public long macs() {
            return forwardMacs + backwardMacs;
        }

        /** Instructions per executed MAC over whole training steps (all phases over all MACs). */
        public double instructionsPerMac() {
            return (double) instructions() / macs();
        }

        /** {@code total} per trained sample. */
        public double perSample(long total) {
            return (double) total / samples;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s: %d samples, %.0f instructions per sample (forward %.0f, backward %.0f, update %.0f, "
                    + "selection %.0f), %.0f MACs per sample, %.2f instructions per MAC", core, samples, perSample(instructions()),
                    perSample(forwardInstructions), perSample(backwardInstructions), perSample(updateInstructions),
                    perSample(selectionInstructions), perSample(macs()), instructionsPerMac());
        }

        /** The runner's figures line ("fqt-runner CORE key=value ..."). */
        static Figures parse(String output) {
            for (String line : output.split("\n")) {
                if (!line.startsWith(FIGURES_LINE)) continue;
                String[] words = line.trim().split(" ");
                Map<String, Long> v = new HashMap<>();
                for (int i = 2; i < words.length; i++) {
                    String[] kv = words[i].split("=", 2);
                    v.put(kv[0], Long.parseLong(kv[1]));
                }
                return new Figures(words[1], v.get("samples"), v.get("forward_instructions"), v.get("backward_instructions"),
                        v.get("update_instructions"), v.get("selection_instructions"), v.get("forward_macs"), v.get("backward_macs"));
            }
            throw new IllegalStateException("no figures line in the runner's output:\n" + output);
        }
    }
}
