package fqt.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * Executes every notebook under notebooks/ headless with a real Jupyter (Debian's nbconvert) and the
 * "fqt-java" kernel that scripts/setup.sh installs; a failing cell fails the test. The executed
 * copy and its HTML export go to out/notebooks/ (ignored by git).
 */
@Tag("notebooks")
class NotebooksTest {
    static final Path NOTEBOOKS = Path.of("notebooks");
    static final Path OUT = Path.of("out", "notebooks");

    @TestFactory
    Stream<DynamicTest> everyNotebookRunsTopToBottom() throws IOException {
        List<Path> books;
        try (Stream<Path> s = Files.list(NOTEBOOKS)) {
            books = s.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
        }
        assertTrue(!books.isEmpty(), "no notebooks under " + NOTEBOOKS.toAbsolutePath());
        Files.createDirectories(OUT);
        return books.stream().map(nb -> DynamicTest.dynamicTest(nb.getFileName().toString(), () -> execute(nb)));
    }

    /**
     * Runs nbconvert on one notebook, once, with its default kernel start timeout (60 s; the
     * kernel's launcher, toolkit/kernel, removed the start-up races that once needed retries), then
     * exports the executed copy to HTML.
     */
    static void execute(Path notebook) throws Exception {
        Path executed = OUT.resolve(notebook.getFileName());
        runNbconvert(notebook);
        run("jupyter", "nbconvert", "--to", "html", "--output-dir", OUT.toString(), executed.toString());
        String json = Files.readString(executed, StandardCharsets.UTF_8);
        assertTrue(!json.contains("\"output_type\": \"error\""), notebook + " has a cell that failed; see " + executed);
    }

    static void runNbconvert(Path notebook) throws Exception {
        run("jupyter", "nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.kernel_name=fqt-java",
                "--ExecutePreprocessor.timeout=1200",
                "--output-dir", OUT.toString(), notebook.toString());
    }

    static void run(String... command) throws Exception {
        Path log = Files.createTempFile("nbconvert", ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in 30 minutes");
        }
        String out = Files.readString(log);
        Files.deleteIfExists(log);
        assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n" + tail(out));
    }

    private static String tail(String s) {
        return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    }
}
