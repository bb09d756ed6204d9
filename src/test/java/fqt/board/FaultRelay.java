package fqt.board;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code scripts/fault-relay.py} as a test fixture: an independent process between a board's port
 * and the host that drops and flips bytes, stalls the line or drops everything for a while. The
 * host opens {@link #pty()} with {@link Boards#serial}.
 */
final class FaultRelay implements AutoCloseable {
    private final Process process;
    private final BufferedReader out;
    private final PrintWriter in;
    private final String pty;

    FaultRelay(String port, double drop, double flip, long seed) {
        try {
            process = new ProcessBuilder("python3", Path.of("scripts", "fault-relay.py").toString(), "--port", port,
                    "--drop", Double.toString(drop), "--flip", Double.toString(flip), "--seed", Long.toString(seed))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
            pty = out.readLine();
            if (pty == null || !pty.startsWith("/dev/")) throw new IllegalStateException("fault-relay.py did not start: " + pty);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The relay's pseudo-terminal for the host. */
    String pty() {
        return pty;
    }

    /** One command (stall S, gone S, rates D F, stats) and its one-line answer. */
    String command(String line) {
        in.println(line);
        try {
            String answer = out.readLine();
            if (answer == null || answer.startsWith("error")) throw new IllegalStateException("fault-relay.py: " + line + " -> " + answer);
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The relay's counters: dropped, flipped, held, lost, relayed (bytes). */
    Map<String, Long> stats() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String kv : command("stats").substring("stats ".length()).split(" ")) {
            String[] p = kv.split("=");
            m.put(p[0], Long.parseLong(p[1]));
        }
        return m;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "fault-relay.py on %s", pty);
    }

    @Override
    public void close() {
        in.close();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
