package fqt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./fqt sweep --spark local[2]}: the rows of {@code --threads 2}, timing aside. */
class SweepSparkCommandTest {
    @Test
    void sweepOnSparkPrintsTheThreadPoolsRows(@TempDir Path dir) {
        String[] grid = {"sweep", "--model", "mlp", "--precision", "uint8,mixed", "--lambda-min", "1,0.5", "--limit-train", "200", "--limit-test", "100",
            "--json", "--quiet"};
        CliHelpTest.Run spark = CliJsonTest.captured(with(grid, "--spark", "local[2]", "--csv", dir.resolve("spark.csv").toString()));
        CliHelpTest.Run threads = CliJsonTest.captured(with(grid, "--threads", "2", "--csv", dir.resolve("threads.csv").toString()));
        assertEquals(0, spark.code(), spark.err());
        List<JsonObject> a = rows(spark.out()), b = rows(threads.out());
        assertEquals(4, a.size(), spark.out());
        for (int i = 0; i < a.size(); i++) {
            for (String k : List.of("seconds", "finished_at")) {
                a.get(i).remove(k);
                b.get(i).remove(k);
            }
            assertEquals(b.get(i), a.get(i), "row " + i);
        }
        CliHelpTest.Run both = CliJsonTest.captured(with(grid, "--spark", "local[2]", "--threads", "2"));
        assertEquals(2, both.code());
        assertTrue(both.err().contains("--threads and --spark"), both.err());
    }

    private static List<JsonObject> rows(String out) {
        return out.lines().map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
    }

    private static String[] with(String[] a, String... more) {
        String[] r = java.util.Arrays.copyOf(a, a.length + more.length);
        System.arraycopy(more, 0, r, a.length, more.length);
        return r;
    }
}
