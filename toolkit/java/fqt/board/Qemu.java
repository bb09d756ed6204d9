package fqt.board;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One qemu-system-arm process running an MPS2 virtual board. Time in the guest is deterministic
 * (-icount shift=0,align=off,sleep=off: one instruction is one nanosecond of virtual time).
 *
 * <p>No QEMU outlives the JVM: {@link #close()} stops QEMU and its watchdog, a shutdown hook closes
 * what is still open, and the watchdog, a shell reading a pipe from the JVM, stops QEMU when that
 * pipe closes, which also happens when the JVM is killed outright and no hook runs. The JVM is the
 * parent of both, so neither is left a zombie.
 */
final class Qemu implements AutoCloseable {
    /** Run as {@code sh -c WATCHDOG fqt-qemu-watchdog PID}: waits for the end of its input, then stops PID. */
    private static final String WATCHDOG = "while read -r line; do :; done; kill \"$1\"";
    private static final String PTY_LINE = "char device redirected to ";
    private static final int OUTPUT_LINES_KEPT = 20;
    private static final Set<Qemu> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> List.copyOf(RUNNING).forEach(Qemu::close), "fqt-qemu-shutdown"));
    }

    private final Process process;
    private final Process watchdog;
    private final ArrayDeque<String> lastLines = new ArrayDeque<>();
    private final CompletableFuture<String> pty = new CompletableFuture<>();
    private final CompletableFuture<Void> outputEnded = new CompletableFuture<>();

    private Qemu(List<String> command) {
        requireOnPath("qemu-system-arm", "qemu-system-arm");
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start QEMU: " + e.getMessage(), e);
        }
        try {
            watchdog = new ProcessBuilder("sh", "-c", WATCHDOG, "fqt-qemu-watchdog", Long.toString(process.pid()))
                    .redirectOutput(Redirect.DISCARD).redirectError(Redirect.DISCARD).start();
        } catch (IOException e) {
            process.destroyForcibly();
            throw new UncheckedIOException("cannot start QEMU's watchdog: " + e.getMessage(), e);
        }
        // Once QEMU has ended its pid may be reused: the watchdog must not signal it any more.
        process.onExit().thenRun(watchdog::destroy);
        RUNNING.add(this);
        Thread reader = new Thread(this::readOutput, "fqt-qemu-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** The QEMU machine of a virtual board. */
    static String machine(CortexM core) {
        return switch (core) {
            case M4 -> "mps2-an386";
            case M7 -> "mps2-an500";
            case M0PLUS -> throw new IllegalArgumentException(
                    "QEMU has no Cortex-M0+ board: use m4 or m7, or the rp2040 profile's virtual board (Boards.virtual(Boards.profile(\"rp2040\")))");
        };
    }

    /** The CPU of an MPS2 machine. mps2-an385's Cortex-M3 also runs Cortex-M0+ code (ARMv6-M is a subset of ARMv7-M). */
    static String cpu(String machine) {
        return switch (machine) {
            case "mps2-an385" -> "cortex-m3";
            case "mps2-an386" -> "cortex-m4";
            case "mps2-an500" -> "cortex-m7";
            default -> throw new IllegalArgumentException("no virtual board on QEMU machine '" + machine + "': use mps2-an385, mps2-an386 or mps2-an500");
        };
    }

    private static List<String> baseCommand(String machine, Path elf) {
        return List.of("qemu-system-arm", "-M", machine, "-cpu", cpu(machine), "-nographic", "-monitor", "none",
                "-icount", "shift=0,align=off,sleep=off", "-kernel", elf.toString());
    }

    /** Starts {@code elf} on {@code machine} with UART0 on a new pseudo-terminal and waits until QEMU names it. */
    static Qemu startWithPty(String machine, Path elf, Duration timeout) {
        List<String> command = new ArrayList<>(baseCommand(machine, elf));
        command.addAll(List.of("-serial", "pty"));
        Qemu q = new Qemu(command);
        try {
            q.pty.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return q;
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            q.close();
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            throw new IllegalStateException("QEMU " + machine + " did not report its serial pseudo-terminal within "
                    + timeout.toMillis() + " ms; its output:\n" + q.outputAfterExit());
        }
    }

    /**
     * Runs a test image that ends with a semihosting exit, UART0 unconnected, and returns QEMU's
     * exit status (the image's) and output. {@code extraArgs} go to QEMU as they are.
     */
    static Run runToExit(CortexM core, Path elf, Duration timeout, String... extraArgs) {
        List<String> command = new ArrayList<>(baseCommand(machine(core), elf));
        command.addAll(List.of("-serial", "null", "-semihosting-config", "enable=on,target=native"));
        command.addAll(List.of(extraArgs));
        try (Qemu q = new Qemu(command)) {
            if (!q.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(elf + " did not exit within " + timeout.toMillis() + " ms; QEMU output:\n" + q.output());
            }
            return new Run(q.process.exitValue(), q.outputAfterExit());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + elf, e);
        }
    }

    /** Exit status and output of {@link #runToExit}. */
    record Run(int exitStatus, String output) {}

    String ptyPath() {
        return pty.join();
    }

    long pid() {
        return process.pid();
    }

    /** Empty while QEMU runs, else why the board cannot answer: for error messages. */
    String diagnosis() {
        if (process.isAlive()) return "";
        return "; QEMU (pid " + process.pid() + ") has exited with status " + process.exitValue() + ", its output:\n" + outputAfterExit();
    }

    /** Whether QEMU has exited, waiting up to {@code millis} for it (a killed process is not reaped at once). */
    boolean exited(long millis) {
        try {
            return process.waitFor(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /** Stops QEMU and its watchdog; waits until both are gone. */
    @Override
    public void close() {
        RUNNING.remove(this);
        watchdog.destroy();
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            watchdog.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void readOutput() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (lastLines) {
                    if (lastLines.size() == OUTPUT_LINES_KEPT) lastLines.removeFirst();
                    lastLines.addLast(line);
                }
                int at = line.indexOf(PTY_LINE);
                if (at >= 0) {
                    // "char device redirected to /dev/pts/3 (label serial0)"
                    pty.complete(line.substring(at + PTY_LINE.length()).split(" ")[0]);
                }
            }
        } catch (IOException e) {
            // The pipe breaks when QEMU is killed; there is nothing more to read either way.
        }
        pty.completeExceptionally(new IllegalStateException("QEMU ended"));
        outputEnded.complete(null);
    }

    /** The output once the reader has seen its end (waiting at most a second for the last lines). */
    private String outputAfterExit() {
        outputEnded.completeOnTimeout(null, 1, TimeUnit.SECONDS).join();
        return output();
    }

    private String output() {
        synchronized (lastLines) {
            return String.join("\n", lastLines);
        }
    }

    /** Fails with the Debian package to install when {@code program} is not on PATH. */
    static void requireOnPath(String program, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) return;
        }
        throw new IllegalStateException(program + " is not on PATH: install it (Debian: apt-get install " + debianPackage
                + ", or ./fqt setup)");
    }
}
