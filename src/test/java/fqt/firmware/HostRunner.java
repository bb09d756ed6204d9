package fqt.firmware;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Builds the host runner once per JVM ({@code make -C firmware host}) and runs it. */
final class HostRunner {
    private HostRunner() {}

    static final Path FIRMWARE = Path.of("firmware").toAbsolutePath();
    static final Path EXE = FIRMWARE.resolve("build/host/fqt_host");
    private static boolean built;

    static synchronized void build() throws IOException, InterruptedException {
        if (built) return;
        run(List.of("make", "-s", "-C", FIRMWARE.toString(), "host"), 300);
        built = true;
    }

    /** Trains the blob on the samples (and evaluates on test, if not null); returns the result file's bytes. */
    static byte[] train(Path blob, Path samples, Path test, Path result) throws IOException, InterruptedException {
        build();
        List<String> cmd = new ArrayList<>(List.of(EXE.toString(), blob.toString(), samples.toString(), result.toString()));
        if (test != null) cmd.addAll(List.of("--eval", test.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(600, TimeUnit.SECONDS)) throw new IOException("fqt_host timed out");
        if (!Files.exists(result)) throw new IOException("fqt_host wrote no result (exit " + p.exitValue() + "): " + out);
        return Files.readAllBytes(result);
    }

    private static void run(List<String> cmd, int seconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(seconds, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException(String.join(" ", cmd) + " failed:\n" + out);
    }
}
