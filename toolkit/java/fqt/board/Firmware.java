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

    /** The board application linked for {@code profile}'s memory map ({@code firmware/port/boards/NAME.ld}), built first. */
    public static Path appElf(BoardProfile profile) {
        return built(dir().resolve("build").resolve(profile.name()).resolve("fqt-app.elf"));
    }

    /**
     * What {@code profile}'s virtual board runs: {@link #appElf(BoardProfile)} when its Flash starts
     * at 0x0 as the MPS2 machines' code memory does, else the same link with Flash at 0x0
     * ({@code fqt-app-virtual.elf}: the profile's sizes, the MPS2 origins), built first.
     */
    public static Path virtualAppElf(BoardProfile profile) {
        if (profile.memory().flashOrigin() == 0) return appElf(profile);
        return built(dir().resolve("build").resolve(profile.name()).resolve("fqt-app-virtual.elf"));
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
     * Runs the board make target for {@code board} ({@code m4}, {@code m7}, {@code m0plus}, a board
     * profile such as {@code nrf52840}, which prints its linked memory, or {@code all}: every one)
     * with make's output on this process's console; returns make's exit status.
     */
    public static int build(String board) {
        String target = switch (board) {
            case "all" -> "boards board-profiles";
            case "m4", "m7", "m0plus" -> "board-" + board;
            default -> {
                try {
                    yield "board-" + Boards.profile(board).name();
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown board '" + board + "': use m4, m7, m0plus, all or a board profile: " + Boards.names());
                }
            }
        };
        return run(make(List.of(target.split(" "))).inheritIO());
    }

    /**
     * Links the board application for {@code profile} with an arena of at least {@code arenaBytes}
     * (ld {@code --defsym=__arena_min}): exit status 0 when it fits next to the firmware's state and
     * the stack reserve, else the linker's "region `RAM' overflowed by N bytes", N being the bytes
     * short. Returns make's exit status and output.
     */
    public static LinkCheck linkCheck(BoardProfile profile, long arenaBytes) {
        appElf(profile); // the objects, built as for the board
        ProcessBuilder pb = make(List.of("-s", "board-" + profile.name() + "-arena", "MPS2_ARENA_MIN=" + arenaBytes)).redirectErrorStream(true);
        try {
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new LinkCheck(p.waitFor(), out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run make: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while linking for " + profile.name(), e);
        }
    }

    /** Exit status and output of {@link #linkCheck}. */
    public record LinkCheck(int exitStatus, String output) {}

    private static int run(ProcessBuilder pb) {
        try {
            return pb.start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run make: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building the firmware", e);
        }
    }

    private static Path built(CortexM core, String image) {
        return built(dir().resolve("build").resolve(Qemu.machine(core)).resolve(image));
    }

    private static Path built(Path elf) {
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
