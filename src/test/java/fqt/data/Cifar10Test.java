package fqt.data;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10Test {
    @TempDir Path dir;

    /** Records whose pixel at (channel, row, col) of record k is (k + 3*ch + 5*row + col) mod 256. */
    static byte[] records(int... labels) {
        byte[] b = new byte[labels.length * Cifar10.RECORD];
        for (int k = 0; k < labels.length; k++) {
            int off = k * Cifar10.RECORD;
            b[off] = (byte) labels[k];
            for (int ch = 0; ch < 3; ch++)
                for (int r = 0; r < 32; r++)
                    for (int c = 0; c < 32; c++) b[off + 1 + ch * 1024 + r * 32 + c] = (byte) (k + 3 * ch + 5 * r + c);
        }
        return b;
    }

    static void writeAll(Path dir) throws Exception {
        Files.createDirectories(dir);
        for (int i = 1; i <= 5; i++) Files.write(dir.resolve("data_batch_" + i + ".bin"), records(i, i - 1));
        Files.write(dir.resolve("test_batch.bin"), records(9));
    }

    @Test
    void loadsBatchesInOrderAsChannelHeightWidth() throws Exception {
        writeAll(dir);
        DataSplit s = Cifar10.load(dir);
        assertEquals(10, s.train().size());
        assertEquals(1, s.test().size());
        assertArrayEquals(new int[] {3, 32, 32}, s.shape());
        assertEquals(10, s.classes());
        int[] labels = new int[10];
        for (int i = 0; i < 10; i++) labels[i] = s.train().label(i);
        assertArrayEquals(new int[] {1, 0, 2, 1, 3, 2, 4, 3, 5, 4}, labels);
        assertEquals(9, s.test().label(0));
        // record 1 of data_batch_3 is sample 5; its blue pixel at row 4, col 7:
        float[] x = s.train().sample(5);
        assertEquals(((1 + 3 * 2 + 5 * 4 + 7) & 0xff) / 255f, x[2 * 1024 + 4 * 32 + 7]);
        assertEquals("truck", Cifar10.CLASS_NAMES.get(9));
    }

    @Test
    void findsTheUnpackedArchiveSubdirectory() throws Exception {
        writeAll(dir.resolve("cifar-10-batches-bin"));
        assertEquals(10, Cifar10.load(dir).train().size());
    }

    @Test
    void truncatedRecordNamesFileAndSizes() throws Exception {
        byte[] two = records(1, 2);
        Path f = Files.write(dir.resolve("data_batch_1.bin"), Arrays.copyOf(two, two.length - 5));
        var e = assertThrows(IllegalArgumentException.class, () -> Cifar10.read("t", f));
        assertEquals(f + ": 6141 bytes is not a whole number of 3073-byte records: record 1 is truncated, expected 6146 bytes, got 6141",
                e.getMessage());
    }

    @Test
    void labelAboveNineIsRejected() throws Exception {
        Path f = Files.write(dir.resolve("test_batch.bin"), records(3, 10));
        var e = assertThrows(IllegalArgumentException.class, () -> Cifar10.read("t", f));
        assertTrue(e.getMessage().startsWith(f + ": record 1 has label 10"), e.getMessage());
    }

    @Test
    void missingBatchesAreNamed() throws Exception {
        writeAll(dir);
        Files.delete(dir.resolve("data_batch_4.bin"));
        var e = assertThrows(IllegalArgumentException.class, () -> Cifar10.load(dir));
        assertTrue(e.getMessage().contains("lacks data_batch_4.bin;"), e.getMessage());
        assertTrue(e.getMessage().contains("cifar-10-binary.tar.gz"), e.getMessage());
    }
}
