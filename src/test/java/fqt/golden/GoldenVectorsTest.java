package fqt.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The checked-in golden vectors are what the Java kernels compute today (so the C tests check the
 * current specification), and the host build of firmware/core/ reproduces every one of them.
 */
class GoldenVectorsTest {
    static final Path GOLDEN = Path.of("testdata/golden");

    @Test
    void checkedInVectorsMatchTheJavaKernels() throws IOException {
        Map<String, byte[]> now = GoldenVectors.generate(Files.readString(GOLDEN.resolve("plan.txt")));
        TreeSet<String> onDisk;
        try (Stream<Path> files = Files.walk(GOLDEN)) {
            onDisk = files.filter(Files::isRegularFile).map(p -> GOLDEN.relativize(p).toString().replace('\\', '/'))
                    .filter(p -> !p.equals("plan.txt")).collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(new TreeSet<>(now.keySet()), onDisk, "files of the plan; regenerate with fqt.golden.GoldenVectors");
        for (Map.Entry<String, byte[]> f : now.entrySet()) {
            byte[] disk = Files.readAllBytes(GOLDEN.resolve(f.getKey()));
            int i = 0;
            while (i < Math.min(disk.length, f.getValue().length) && disk[i] == f.getValue()[i]) i++;
            assertTrue(i == disk.length && i == f.getValue().length,
                    f.getKey() + ": the Java kernels now give other bytes from byte " + i + "; regenerate with fqt.golden.GoldenVectors");
        }
    }

    /** Cases with unclamped=F in the plan keep at least that share of their outputs off the clamp. */
    @Test
    void fittedCasesLeaveTheirOutputsUnclamped() throws IOException {
        List<GoldenVectors.Case> cases = GoldenVectors.run(Files.readString(GOLDEN.resolve("plan.txt")));
        System.out.print(GoldenVectors.unclampedTable(cases));
        int bounded = 0;
        for (GoldenVectors.Case c : cases) {
            String min = c.plan.get("unclamped");
            if (min == null) continue;
            bounded++;
            assertTrue(c.unclampedFraction() >= Double.parseDouble(min),
                    c.kernel + "/" + c.name + ": only " + c.unclampedFraction() + " of its outputs are not clamped");
        }
        assertTrue(bounded >= 7, "the plan's fitted cases lost their unclamped bounds: " + bounded);
    }

    @Test
    void hostBuildReproducesEveryVector() throws Exception {
        Process p = new ProcessBuilder("make", "-s", "-C", "firmware", "test-host").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), "make test-host timed out");
        System.out.print(out);
        assertEquals(0, p.exitValue(), "make -C firmware test-host:\n" + out);
    }
}
