package fqt.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    @Test
    void hostBuildReproducesEveryVector() throws Exception {
        Process p = new ProcessBuilder("make", "-s", "-C", "firmware", "test-host").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), "make test-host timed out");
        System.out.print(out);
        assertEquals(0, p.exitValue(), "make -C firmware test-host:\n" + out);
    }
}
