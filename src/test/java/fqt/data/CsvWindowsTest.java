package fqt.data;

import static org.junit.jupiter.api.Assertions.*;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvWindowsTest {
    @TempDir Path dir;

    Path csv(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    /** 6 rows: a = 0..5, b = 10*a, label 0,0,1,1,2,2 (label last). */
    Path sixRows() throws Exception {
        return csv("six.csv", "a,b,label\n0,0,0\n1,10,0\n2,20,1\n3,30,1\n4,40,2\n5,50,2\n");
    }

    @Test
    void windowsAreChannelsByTimeLabelledByTheirLastRow() throws Exception {
        Dataset d = CsvWindows.of(3, 2).read(sixRows());
        assertEquals(2, d.size()); // starts 0 and 2; start 4 would need row 6
        assertArrayEquals(new int[] {2, 1, 3}, d.shape());
        assertEquals(3, d.classes());
        assertArrayEquals(new float[] {0, 1, 2, 0, 10, 20}, d.sample(0));
        assertArrayEquals(new float[] {2, 3, 4, 20, 30, 40}, d.sample(1));
        assertEquals(1, d.label(0)); // row 2
        assertEquals(2, d.label(1)); // row 4
        assertEquals("six.csv", d.name());
    }

    @Test
    void strideOneAndStrideLargerThanWindow() throws Exception {
        assertEquals(4, CsvWindows.of(3, 1).read(sixRows()).size());
        Dataset sparse = CsvWindows.of(2, 4).read(sixRows());
        assertEquals(2, sparse.size()); // rows 0-1 and 4-5
        assertArrayEquals(new float[] {4, 5, 40, 50}, sparse.sample(1));
    }

    @Test
    void labelColumnByNameOrIndexWithoutHeader() throws Exception {
        Path named = csv("named.csv", "x, fault ,y\n1, 3 ,2\n4,\"3\",5\n");
        Dataset d = CsvWindows.of(2, 1).labelColumn("fault").classes(4).read(named);
        assertEquals(4, d.classes());
        assertEquals(3, d.label(0));
        assertArrayEquals(new float[] {1, 4, 2, 5}, d.sample(0));

        Path bare = csv("bare.csv", "1,7,2\n4,6,5\n\n");
        Dataset b = CsvWindows.of(2, 1).header(false).labelColumn(1).classes(8).read(bare);
        assertEquals(6, b.label(0));
        assertArrayEquals(new float[] {1, 4, 2, 5}, b.sample(0));
    }

    @Test
    void textLabelsAndOtherDelimiter() throws Exception {
        Path f = csv("act.tsv", "ax\tay\tactivity\n1\t2\twalk\n3\t4\trun\n5\t6\tsit\n");
        Dataset d = CsvWindows.of(1, 1).delimiter('\t').labelNames("sit", "walk", "run").read(f);
        assertEquals(3, d.classes());
        assertArrayEquals(new int[] {1, 2, 0}, new int[] {d.label(0), d.label(1), d.label(2)});
        var e = assertThrows(IllegalArgumentException.class, () -> CsvWindows.of(1, 1).delimiter('\t').labelNames("sit", "walk").read(f));
        assertTrue(e.getMessage().contains("line 3, label column 'activity': 'run' is not one of [sit, walk]"), e.getMessage());
    }

    @Test
    void windowsNeverSpanTwoFiles() throws Exception {
        Path a = csv("a.csv", "v,l\n1,0\n2,0\n3,1\n");
        Path b = csv("b.csv", "v,l\n7,1\n8,1\n");
        Dataset d = CsvWindows.of(2, 1).read(a, b);
        assertEquals(3, d.size()); // 2 from a, 1 from b, none made of 3 and 7
        assertArrayEquals(new float[] {7, 8}, d.sample(2));
        assertEquals("a.csv +1 files", d.name());

        Path other = csv("c.csv", "w,l\n1,0\n2,0\n");
        var e = assertThrows(IllegalArgumentException.class, () -> CsvWindows.of(2, 1).read(a, other));
        assertTrue(e.getMessage().contains("channels [w] differ from [v]"), e.getMessage());
    }

    @Test
    void standardizationUsesTrainStatisticsForTest() throws Exception {
        // a: 0..5 mean 2.5, population std sqrt(35/12); b: constant 7, std recorded as 1
        Path train = csv("train.csv", "a,b,l\n0,7,0\n1,7,0\n2,7,0\n3,7,1\n4,7,1\n5,7,1\n");
        CsvWindows w = CsvWindows.of(3, 3).classes(2);
        CsvWindows.Standardized s = w.readStandardized(train);
        float std = (float) Math.sqrt(35.0 / 12);
        assertArrayEquals(new float[] {2.5f, 7f}, s.standardization().mean());
        assertEquals(std, s.standardization().std()[0], 1e-6);
        assertEquals(1f, s.standardization().std()[1]);
        float[] x = s.dataset().sample(1);
        assertEquals((3 - 2.5f) / std, x[0], 1e-6);
        assertEquals((5 - 2.5f) / std, x[2], 1e-6);
        assertEquals(0f, x[3]);

        Path test = csv("test.csv", "a,b,l\n10,8,1\n10,8,1\n10,8,1\n");
        Dataset t = w.read(s.standardization(), test);
        assertEquals((10 - 2.5f) / std, t.sample(0)[0], 1e-6);
        assertEquals(1f, t.sample(0)[3], 1e-6);
        assertEquals(2, new DataSplit(s.dataset(), t).classes());

        Path threeChannels = csv("three.csv", "a,b,c,l\n1,2,3,0\n1,2,3,0\n1,2,3,0\n");
        var e = assertThrows(IllegalArgumentException.class, () -> w.read(s.standardization(), threeChannels));
        assertTrue(e.getMessage().contains("3 channels, but the standardization is for 2"), e.getMessage());
    }

    @Test
    void nonNumericCellNamesLineAndColumn() throws Exception {
        Path f = csv("bad.csv", "a,b,label\n1,2,0\n3,x,0\n");
        var e = assertThrows(IllegalArgumentException.class, () -> CsvWindows.of(1, 1).read(f));
        assertEquals(f + ": line 3, column 'b': 'x' is not a number", e.getMessage());

        Path empty = csv("empty-cell.csv", "a,b,label\n1,,0\n");
        e = assertThrows(IllegalArgumentException.class, () -> CsvWindows.of(1, 1).read(empty));
        assertTrue(e.getMessage().contains("line 2, column 'b': '' is not a number"), e.getMessage());

        Path noHeader = csv("nh.csv", "1,2,0\n3,?,0\n");
        e = assertThrows(IllegalArgumentException.class, () -> CsvWindows.of(1, 1).header(false).read(noHeader));
        assertTrue(e.getMessage().contains("line 2, column 'column 1'"), e.getMessage());
    }

    @Test
    void nanAndInfinityAreRejected() throws Exception {
        for (String v : new String[] {"NaN", "Infinity", "-Infinity", "1e400", "1e39"}) {
            Path f = csv("nf.csv", "a,label\n1,0\n" + v + ",0\n");
            var e = assertThrows(IllegalArgumentException.class, () -> CsvWindows.of(1, 1).read(f));
            assertTrue(e.getMessage().contains("line 3, column 'a': " + v + " is not a finite float"), e.getMessage());
        }
    }

    @Test
    void quotedCellsMayHoldTheDelimiterAndAnOpenQuoteIsAnError() throws Exception {
        Path f = csv("quoted.csv", "\uFEFF\"x, left\",\"say \"\"hi\"\"\"\n1,walk\n2,\"say \"\"hi\"\"\"\n");
        Dataset d = CsvWindows.of(1, 1).labelNames("walk", "say \"hi\"").read(f);
        assertEquals(2, d.size());
        assertEquals(1, d.label(1));
        assertArrayEquals(new float[] {2}, d.sample(1));

        Path open = csv("open.csv", "a,label\n1,0\n\"2,0\n");
        var e = assertThrows(IllegalArgumentException.class, () -> CsvWindows.of(1, 1).read(open));
        assertTrue(e.getMessage().startsWith(open + ": "), e.getMessage());
    }

    @Test
    void raggedRowsAreRejected() throws Exception {
        Path f = csv("ragged.csv", "a,b,label\n1,2,0\n3,0\n");
        var e = assertThrows(IllegalArgumentException.class, () -> CsvWindows.of(1, 1).read(f));
        assertEquals(f + ": line 3 has 2 cells, expected 3 as in the header", e.getMessage());
    }

    @Test
    void fewerRowsThanAWindowIsAnError() throws Exception {
        var e = assertThrows(IllegalArgumentException.class, () -> CsvWindows.of(7, 1).read(sixRows()));
        assertTrue(e.getMessage().endsWith("six.csv: 6 data rows, fewer than one window of 7"), e.getMessage());
        Path headerOnly = csv("h.csv", "a,label\n");
        assertThrows(IllegalArgumentException.class, () -> CsvWindows.of(1, 1).read(headerOnly));
    }

    @Test
    void badLabelsAndColumnsAreRejected() throws Exception {
        var e = assertThrows(IllegalArgumentException.class, () -> CsvWindows.of(1, 1).classes(2).read(sixRows()));
        assertTrue(e.getMessage().contains("line 6, label column 'label': 2 is not a class in [0, 2)"), e.getMessage());

        Path frac = csv("frac.csv", "a,label\n1,0.5\n");
        e = assertThrows(IllegalArgumentException.class, () -> CsvWindows.of(1, 1).read(frac));
        assertTrue(e.getMessage().contains("0.5 is not a class"), e.getMessage());

        Path floatLabel = csv("fl.csv", "a,label\n1,3.0\n");
        assertEquals(3, CsvWindows.of(1, 1).read(floatLabel).label(0));

        e = assertThrows(IllegalArgumentException.class, () -> CsvWindows.of(1, 1).labelColumn("fault").read(sixRows()));
        assertTrue(e.getMessage().contains("no label column 'fault' in the header [a, b, label]"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> CsvWindows.of(1, 1).labelColumn(3).read(sixRows()));
        assertTrue(e.getMessage().contains("label column index 3, but rows have 3 cells"), e.getMessage());

        assertThrows(IllegalArgumentException.class, () -> CsvWindows.of(0, 1));
        assertThrows(IllegalArgumentException.class, () -> CsvWindows.of(2, 0));
        assertThrows(IllegalArgumentException.class, () -> CsvWindows.of(2, 1).labelColumn("x").header(false));
    }

    @Test
    void missingFileIsReported() {
        Path none = dir.resolve("none.csv");
        var e = assertThrows(UncheckedIOException.class, () -> CsvWindows.of(1, 1).read(none));
        assertEquals("CSV file not found: " + none, e.getMessage());
    }
}
