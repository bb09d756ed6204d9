package fqt.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A fresh notebook written from the README's first Java block ("From Java"), with no imports of
 * its own, runs as written in the "fqt-java" kernel: one cell per line group, every cell without
 * an error.
 */
@Tag("notebooks")
class ReadmeSnippetsTest {
    @Test
    void theReadmesJavaBlockRunsAsWrittenInAFreshNotebook() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String section = readme.substring(readme.indexOf("## From Java"));
        Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(section);
        assertTrue(m.find(), "README has a Java block under 'From Java'");
        String code = m.group(1);
        assertFalse(code.contains("import "), "the block needs no imports in a notebook");

        JsonArray cells = new JsonArray();
        for (String statement : statements(code)) {
            JsonObject cell = new JsonObject();
            cell.addProperty("cell_type", "code");
            cell.addProperty("execution_count", (String) null);
            cell.add("metadata", new JsonObject());
            cell.add("outputs", new JsonArray());
            cell.addProperty("source", statement);
            cells.add(cell);
        }
        JsonObject nb = new JsonObject();
        nb.add("cells", cells);
        nb.add("metadata", new Gson().toJsonTree(Map.of("kernelspec", Map.of("name", "fqt-java", "display_name", "Java (fqt-toolkit)",
                "language", "java"))));
        nb.addProperty("nbformat", 4);
        nb.addProperty("nbformat_minor", 5);
        Path dir = Files.createDirectories(Path.of("out", "notebooks"));
        Path fresh = dir.resolve("readme-snippets.ipynb");
        Files.writeString(fresh, nb.toString(), StandardCharsets.UTF_8);

        Process p = new ProcessBuilder("jupyter", "nbconvert", "--to", "notebook", "--execute", "--inplace",
                "--ExecutePreprocessor.kernel_name=fqt-java", fresh.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "nbconvert did not finish");
        assertEquals(0, p.exitValue(), log.length() > 3000 ? log.substring(log.length() - 3000) : log);
        JsonObject done = new Gson().fromJson(Files.readString(fresh), JsonObject.class);
        int results = 0;
        for (JsonElement c : done.getAsJsonArray("cells")) {
            for (JsonElement o : c.getAsJsonObject().getAsJsonArray("outputs")) {
                String type = o.getAsJsonObject().get("output_type").getAsString();
                assertFalse(type.equals("error"), "a README statement failed: " + o);
                if (type.equals("execute_result")) results++;
            }
        }
        assertEquals(4, results, "run.history(), run.epochs(), run.config() and run.model() each show their value");
    }

    /** The block's statements: a new one starts at a line that does not continue the last (indented or after a '.'). */
    static List<String> statements(String code) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : code.split("\n")) {
            String bare = line.replaceAll("\\s*//.*$", "");
            if (bare.isBlank()) continue;
            boolean continues = Character.isWhitespace(bare.charAt(0));
            if (!continues && cur.length() > 0) {
                out.add(cur.toString());
                cur.setLength(0);
            }
            cur.append(cur.length() > 0 ? "\n" : "").append(bare);
        }
        if (cur.length() > 0) out.add(cur.toString());
        return out;
    }
}
