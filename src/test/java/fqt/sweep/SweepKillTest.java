package fqt.sweep;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./fqt sweep} killed halfway in a real child process, then rerun: every run once, none redone. */
class SweepKillTest {
    static final int RUNS = 8;

    @Test
    void aKilledSweepResumesWithoutLosingOrRepeatingARun(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("sweep.csv");
        Process first = start(csv);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (rows(csv).size() < 2 && first.isAlive() && System.nanoTime() < deadline) Thread.sleep(20);
        first.destroyForcibly().waitFor();
        List<String> before = rows(csv);
        assertTrue(before.size() >= 2 && before.size() < RUNS, "killed after " + before.size() + " of " + RUNS + " runs");

        Process second = start(csv);
        assertTrue(second.waitFor(60, TimeUnit.SECONDS), "the rerun finished");
        String log = new String(second.getInputStream().readAllBytes());
        assertEquals(0, second.exitValue(), log);
        List<String> after = rows(csv);
        assertEquals(RUNS, after.size(), "every run once: " + after);
        Map<List<String>, Long> perKey = after.stream().collect(Collectors.groupingBy(l -> SweepTest.fields(l).subList(0, 8), Collectors.counting()));
        assertEquals(RUNS, perKey.size(), "no run twice");
        for (String line : before) assertTrue(after.contains(line), "finished run kept as it was (same finish time): " + line);
        assertTrue(log.contains(before.size() + " already in"), log);
        assertEquals(1, Files.readAllLines(csv).stream().filter(l -> l.startsWith("precision,")).count(), "header once");
    }

    private static Process start(Path csv) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), "fqt.cli.Main", "sweep", "--model", "mlp",
                "--precision", "uint8,mixed", "--lambda-min", "1,0.5", "--seeds", "2", "--limit-train", "400", "--limit-test", "100",
                "--threads", "1", "--csv", csv.toString()));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.PIPE).start();
    }

    /** Complete data lines (a half-written last line is not a row). */
    private static List<String> rows(Path csv) throws IOException {
        if (!Files.exists(csv)) return List.of();
        String s = Files.readString(csv);
        List<String> lines = new ArrayList<>(List.of(s.substring(0, s.lastIndexOf('\n') + 1).split("\n")));
        return lines.stream().skip(1).filter(l -> !l.isEmpty()).collect(Collectors.toList());
    }
}
