package fqt.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The golden vectors on ARM cores: firmware/tests/ built into fqt-golden.elf
 * (firmware/port/mps2/test/golden.c) reads testdata/golden/ over semihosting on QEMU's boards, so
 * the DSP paths of firmware/core/ (M4, M7) and its plain C loops on an ARMv7-M core without the DSP
 * extension or an FPU (M3) meet the same bytes as the host build; so does the Cortex-M0+ build
 * (ARMv6-M) on the microbit's Cortex-M0, for the cases that fit in its 16 KiB of RAM.
 */
@Tag("qemu")
class GoldenTargetsTest {
    private static final long TIMEOUT_SECONDS = 120;
    /** fqt-golden's exit status when a case needs more RAM than the board has. */
    private static final int DOES_NOT_FIT = 4;

    /** A virtual board: QEMU machine (also the image's directory under firmware/build/) and CPU. */
    enum Target {
        M3("mps2-an385", "cortex-m3"),
        M4("mps2-an386", "cortex-m4"),
        M7("mps2-an500", "cortex-m7"),
        M0("microbit", "cortex-m0");

        final String machine, cpu;

        Target(String machine, String cpu) {
            this.machine = machine;
            this.cpu = cpu;
        }
    }

    /** Exit status and output of one run. */
    record Run(int status, String output) {}

    @BeforeAll
    static void buildImages() throws Exception {
        Run make = run(List.of("make", "-s", "-j2", "-C", "firmware", "golden-images"), 600);
        assertEquals(0, make.status(), "make -C firmware golden-images:\n" + make.output());
    }

    @ParameterizedTest
    @EnumSource(names = {"M3", "M4", "M7"})
    void everyCasePasses(Target t) throws Exception {
        int cases = GoldenVectors.cases(plan()).size();
        Run r = golden(t, GoldenVectorsTest.GOLDEN, null);
        System.out.print(t + ": " + r.output());
        assertEquals(0, r.status(), t + ":\n" + r.output());
        assertTrue(r.output().contains(cases + " golden cases, " + cases + " passed, 0 failed"), t + ":\n" + r.output());
    }

    /**
     * On the microbit each case runs alone (a fresh heap of about 8 KiB): it passes, or stops the run
     * because it does not fit; most of the plan must fit.
     */
    @Test
    void everyCaseThatFitsPassesOnTheCortexM0(@TempDir Path dir) throws Exception {
        List<String> tooLarge = new ArrayList<>();
        List<String[]> cases = GoldenVectors.cases(plan());
        Path plan = dir.resolve("plan.txt");
        for (String[] c : cases) {
            String name = c[0] + "/" + c[1];
            Files.writeString(plan, c[0] + " " + c[1] + "\n");
            Run r = golden(Target.M0, GoldenVectorsTest.GOLDEN, plan);
            if (r.status() == DOES_NOT_FIT && r.output().contains("out of RAM")) {
                tooLarge.add(name);
                continue;
            }
            assertEquals(0, r.status(), name + " on the Cortex-M0:\n" + r.output());
            assertTrue(r.output().contains("1 golden cases, 1 passed, 0 failed"), name + " on the Cortex-M0:\n" + r.output());
        }
        System.out.println("M0: " + (cases.size() - tooLarge.size()) + " of " + cases.size() + " golden cases passed; too large for 16 KiB of RAM: "
                + tooLarge);
        assertTrue(cases.size() - tooLarge.size() >= 30, "too few cases fit on the Cortex-M0: " + tooLarge);
    }

    /** A changed expected byte fails the run and is named: case, file, element, expected and computed value. */
    @Test
    void aMismatchIsReportedWithItsPlace(@TempDir Path dir) throws Exception {
        Path from = GoldenVectorsTest.GOLDEN.resolve("linear_u8/small"), to = dir.resolve("linear_u8/small");
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) Files.copy(f, to.resolve(f.getFileName()));
        }
        byte[] y = Files.readAllBytes(to.resolve("y.u8"));
        int computed = y[3] & 0xFF;
        y[3] ^= 0x10;
        Files.write(to.resolve("y.u8"), y);
        Files.writeString(dir.resolve("plan.txt"), "linear_u8 small\n");
        Run r = golden(Target.M3, dir, null);
        assertEquals(1, r.status(), r.output());
        assertTrue(r.output().contains(String.format("FAIL linear_u8/small: y.u8: first mismatch at element 3: expected 0x%x, computed 0x%x",
                y[3] & 0xFF, computed)), r.output());
    }

    private static String plan() throws IOException {
        return Files.readString(GoldenVectorsTest.GOLDEN.resolve("plan.txt"));
    }

    /** Runs the cases of {@code plan} (null: dir/plan.txt) from {@code dir} on {@code t}. */
    private static Run golden(Target t, Path dir, Path plan) throws Exception {
        Path elf = Path.of("firmware/build", t.machine, "fqt-golden.elf");
        String args = "arg=fqt-golden,arg=" + argument(dir) + (plan != null ? ",arg=" + argument(plan) : "");
        return run(List.of("qemu-system-arm", "-M", t.machine, "-cpu", t.cpu, "-nographic", "-monitor", "none", "-serial", "null",
                "-kernel", elf.toString(), "-semihosting-config", "enable=on,target=native," + args), TIMEOUT_SECONDS);
    }

    private static String argument(Path p) {
        String s = p.toAbsolutePath().toString();
        assertTrue(!s.contains(",") && !s.contains(" "), "a semihosting argument cannot hold a comma or space: " + s);
        return s;
    }

    private static Run run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        Path out = Files.createTempFile("fqt-golden", ".out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            assertTrue(p.waitFor(timeoutSeconds, TimeUnit.SECONDS), String.join(" ", command) + " did not exit within "
                    + timeoutSeconds + " s; its output:\n" + Files.readString(out));
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
            Files.delete(out);
        }
    }
}
