package fqt.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * (firmware/port/mps2/test/golden.c) reads testdata/golden/ over semihosting on QEMU's MPS2
 * boards, so the DSP paths of firmware/core/ (M4, M7) and its plain C loops on an ARMv7-M core
 * without the DSP extension or an FPU (M3) meet the same bytes as the host build.
 */
@Tag("qemu")
class GoldenTargetsTest {
    private static final long TIMEOUT_SECONDS = 120;

    /** A virtual board: QEMU machine and CPU. */
    enum Target {
        M3("mps2-an385", "cortex-m3"),
        M4("mps2-an386", "cortex-m4"),
        M7("mps2-an500", "cortex-m7");

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
    @EnumSource(Target.class)
    void everyCasePasses(Target t) throws Exception {
        int cases = GoldenVectors.cases(Files.readString(GoldenVectorsTest.GOLDEN.resolve("plan.txt"))).size();
        Run r = golden(t, GoldenVectorsTest.GOLDEN);
        System.out.print(t + ": " + r.output());
        assertEquals(0, r.status(), t + ":\n" + r.output());
        assertTrue(r.output().contains(cases + " golden cases, " + cases + " passed, 0 failed"), t + ":\n" + r.output());
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
        Run r = golden(Target.M3, dir);
        assertEquals(1, r.status(), r.output());
        assertTrue(r.output().contains(String.format("FAIL linear_u8/small: y.u8: first mismatch at element 3: expected 0x%x, computed 0x%x",
                y[3] & 0xFF, computed)), r.output());
    }

    private static Run golden(Target t, Path dir) throws Exception {
        Path elf = Path.of("firmware/build", t.machine, "fqt-golden.elf");
        String path = dir.toAbsolutePath().toString();
        assertTrue(!path.contains(",") && !path.contains(" "), "a semihosting argument cannot hold a comma or space: " + path);
        return run(List.of("qemu-system-arm", "-M", t.machine, "-cpu", t.cpu, "-nographic", "-monitor", "none", "-serial", "null",
                "-kernel", elf.toString(), "-semihosting-config", "enable=on,target=native,arg=fqt-golden,arg=" + path), TIMEOUT_SECONDS);
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
