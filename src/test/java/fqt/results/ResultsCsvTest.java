package fqt.results;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsCsvTest {
    /** A file that is not a results file of these columns is refused and left byte for byte as it was. */
    @Test
    void aFileOfAnotherKindIsRefusedAndLeftAsItWas(@TempDir Path dir) throws IOException {
        List<String> header = List.of("precision", "test_acc");
        java.util.Set<String> numeric = java.util.Set.of("test_acc");
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("notes.txt", "line 1\nimportant last line");
        cases.put("r.json", "{\"test_acc\": 0.9}\n");
        cases.put("cr.csv", "precision,test_acc\rUINT8,0.9\rMIXED,0.8\r");
        cases.put("garbage.csv", "precision,test_acc\nUINT8,0.9\nMIXED,abc\n");
        cases.put("short.csv", "precision,test_acc\nUINT8\n");
        cases.put("tail.csv", "precision,test_acc\nUINT8,0.9\nMIXED,0.8,extra,fields");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Path f = dir.resolve(c.getKey());
            Files.writeString(f, c.getValue());
            byte[] before = Files.readAllBytes(f);
            String msg = assertThrows(IllegalArgumentException.class, () -> new ResultsCsv(f, "sweep results", header, numeric), c.getKey()).getMessage();
            assertTrue(msg.contains(f.toString()) && msg.contains("left as it was"), msg);
            assertArrayEquals(before, Files.readAllBytes(f), c.getKey() + " was changed");
        }
        // A torn last row of its own format is the one repair.
        Path torn = dir.resolve("torn.csv");
        Files.writeString(torn, "precision,test_acc\nUINT8,0.9\nMIX");
        try (ResultsCsv r = new ResultsCsv(torn, "sweep results", header, numeric)) {
            assertTrue(r.repaired());
            assertEquals(List.of(Map.of("precision", "UINT8", "test_acc", "0.9")), r.rows());
        }
        assertEquals("precision,test_acc\nUINT8,0.9\n", Files.readString(torn));
    }

    @Test
    void fieldsWithCommasQuotesAndLineBreaksRoundTripOneLinePerRow(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("r.csv");
        List<String> header = List.of("precision", "status");
        try (ResultsCsv out = new ResultsCsv(csv, "sweep results", header, java.util.Set.of())) {
            out.append(Map.of("precision", "UINT8", "status", "diverged: loss \"NaN\", step 3\nafter 48 samples"));
            out.append(Map.of("precision", "MIXED", "status", ""));
        }
        List<String> lines = Files.readAllLines(csv);
        assertEquals(List.of("precision,status", "UINT8,\"diverged: loss \"\"NaN\"\", step 3 after 48 samples\"", "MIXED,"), lines);
        try (ResultsCsv in = new ResultsCsv(csv, "sweep results", header, java.util.Set.of())) {
            assertEquals(List.of(Map.of("precision", "UINT8", "status", "diverged: loss \"NaN\", step 3 after 48 samples"),
                    Map.of("precision", "MIXED", "status", "")), in.rows());
        }
    }

    @Test
    void rowsAppendedInABatchAreReadBackInOrder(@TempDir Path dir) {
        Path csv = dir.resolve("d.csv");
        List<String> header = List.of("sample", "loss");
        try (ResultsCsv out = new ResultsCsv(csv, "device CSV", header, java.util.Set.copyOf(header))) {
            out.append(List.of(Map.of("sample", "0", "loss", "2.3"), Map.of("sample", "1", "loss", "2.1")));
            out.append(Map.of("sample", "2", "loss", "1.9"));
        }
        try (ResultsCsv in = new ResultsCsv(csv, "device CSV", header, java.util.Set.copyOf(header))) {
            assertEquals(List.of("0", "1", "2"), in.rows().stream().map(r -> r.get("sample")).toList());
            assertEquals(false, in.repaired());
        }
    }
}
