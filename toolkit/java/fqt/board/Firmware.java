package fqt.board;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The firmware images under {@code firmware/build/}, built with make from
 * {@code firmware/port/mps2/board.mk}. The {@code firmware/} directory is {@value #ENV} when set,
 * else the nearest {@code firmware/} at or above the working directory (the repository root for
 * {@code ./fqt}, the tests and notebooks in {@code notebooks/}).
 */
public final class Firmware {
    /** Environment variable that may name the {@code firmware/} directory. */
    public static final String ENV = "FQT_FIRMWARE";
    private static final String BOARD_MK = "port/mps2/board.mk";

    private Firmware() {}

    /** The {@code firmware/} directory. */
    public static Path dir() {
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env.trim()).toAbsolutePath();
            if (!Files.isRegularFile(p.resolve(BOARD_MK))) throw new IllegalArgumentException(ENV + "=" + env + " has no " + BOARD_MK);
            return p;
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("firmware").resolve(BOARD_MK))) return d.resolve("firmware");
        }
        throw new IllegalStateException("no firmware/" + BOARD_MK + " at or above " + Path.of("").toAbsolutePath()
                + ": run from the fqt-toolkit checkout or set " + ENV);
    }

    /** The board application for a virtual board, built (or rebuilt after source changes) first. */
    public static Path appElf(CortexM core) {
        return built(core, "fqt-app.elf");
    }

    /** The training runner image for a virtual board ({@code firmware/port/mps2/test/runner.c}), built first. */
    static Path runnerElf(CortexM core) {
        return built(core, "fqt-runner.elf");
    }

    /** The semihosting startup test image for a virtual board, built first. */
    static Path startupTestElf(CortexM core) {
        return built(core, "startup-test.elf");
    }

    /**
     * Runs the board make target for {@code board} ({@code m4}, {@code m7}, {@code m0plus} or
     * {@code all}) with make's output on this process's console; returns make's exit status.
     */
    public static int build(String board) {
        String target = switch (board) {
            case "all" -> "boards";
            case "m4", "m7", "m0plus" -> "board-" + board;
            default -> throw new IllegalArgumentException("unknown board '" + board + "': use m4, m7, m0plus or all");
        };
        try {
            return make(List.of(target)).inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run make: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building the firmware", e);
        }
    }

    private static Path built(CortexM core, String image) {
        Path elf = dir().resolve("build").resolve(Qemu.machine(core)).resolve(image);
        // make does nothing when the image is up to date, so edited sources are never run stale.
        ProcessBuilder pb = make(List.of("-s", elf.toString())).redirectErrorStream(true);
        try {
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) throw new IllegalStateException("building " + elf + " failed:\n" + out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run make: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building " + elf, e);
        }
        return elf;
    }

    private static ProcessBuilder make(List<String> args) {
        Qemu.requireOnPath("make", "make");
        Qemu.requireOnPath("arm-none-eabi-gcc", "gcc-arm-none-eabi libnewlib-arm-none-eabi");
        List<String> argv = new ArrayList<>(List.of("make", "-f", dir().resolve(BOARD_MK).toString()));
        argv.addAll(args);
        return new ProcessBuilder(argv);
    }
}
