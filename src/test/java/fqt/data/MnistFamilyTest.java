package fqt.data;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistFamilyTest {
    @TempDir Path dir;

    /** Writes the four files {@code prefix + train-images-idx3-ubyte} etc. */
    static void writeSet(Path dir, String prefix, String test, int rows, int cols, int[] trainLabels, int[] testLabels, boolean gzip)
            throws Exception {
        String gz = gzip ? ".gz" : "";
        int n = trainLabels.length, m = testLabels.length;
        IdxFiles.write(dir.resolve(prefix + "train-images-idx3-ubyte" + gz), IdxFiles.images(n, rows, cols, IdxFiles.pattern(n, rows, cols)), gzip);
        IdxFiles.write(dir.resolve(prefix + "train-labels-idx1-ubyte" + gz), IdxFiles.labels(trainLabels), gzip);
        IdxFiles.write(dir.resolve(prefix + test + "-images-idx3-ubyte" + gz), IdxFiles.images(m, rows, cols, IdxFiles.pattern(m, rows, cols)), gzip);
        IdxFiles.write(dir.resolve(prefix + test + "-labels-idx1-ubyte" + gz), IdxFiles.labels(testLabels), gzip);
    }

    @Test
    void mnistFromPlainFiles() throws Exception {
        writeSet(dir, "", "t10k", 28, 28, new int[] {5, 0, 4}, new int[] {7, 2}, false);
        DataSplit s = MnistFamily.mnist(dir);
        assertEquals(3, s.train().size());
        assertEquals(2, s.test().size());
        assertArrayEquals(new int[] {1, 28, 28}, s.shape());
        assertEquals(10, s.classes());
        assertEquals(5, s.train().label(0));
        assertEquals(2, s.test().label(1));
        assertEquals("mnist-train", s.train().name());
    }

    @Test
    void kmnistFromGzipFiles() throws Exception {
        writeSet(dir, "", "t10k", 28, 28, new int[] {9}, new int[] {1}, true);
        DataSplit s = MnistFamily.kmnist(dir);
        assertEquals(9, s.train().label(0));
        assertEquals("kmnist-test", s.test().name());
    }

    @Test
    void emnistLettersShiftsLabelsAndTransposesImages() throws Exception {
        // Non-square stored images (2 rows x 3 cols) make a wrong transposition visible.
        writeSet(dir, "emnist-letters-", "test", 2, 3, new int[] {1, 26}, new int[] {13}, true);
        DataSplit s = MnistFamily.emnistLetters(dir);
        assertEquals(26, s.classes());
        assertArrayEquals(new int[] {1, 3, 2}, s.shape());
        assertEquals(0, s.train().label(0));
        assertEquals(25, s.train().label(1));
        assertEquals(12, s.test().label(0));
        float[] x = s.train().sample(1);
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 2; c++) {
                int stored = (1 * 31 + c * 7 + r) & 0xff; // stored[row c][col r]
                assertEquals(stored / 255f, x[r * 2 + c], "out[" + r + "][" + c + "]");
            }
    }

    @Test
    void emnistLettersRejectsLabelZero() throws Exception {
        writeSet(dir, "emnist-letters-", "test", 28, 28, new int[] {0}, new int[] {1}, false);
        var e = assertThrows(IllegalArgumentException.class, () -> MnistFamily.emnistLetters(dir));
        assertTrue(e.getMessage().contains("label 0 at index 0 is outside [1, 27)"), e.getMessage());
    }

    @Test
    void emnistDigits() throws Exception {
        writeSet(dir, "emnist-digits-", "test", 28, 28, new int[] {0, 9}, new int[] {3}, true);
        DataSplit s = MnistFamily.emnistDigits(dir);
        assertEquals(10, s.classes());
        assertEquals(9, s.train().label(1));
    }

    @Test
    void missingFilesAreAllNamed() throws Exception {
        writeSet(dir, "", "t10k", 28, 28, new int[] {1}, new int[] {1}, true);
        Files.delete(dir.resolve("t10k-images-idx3-ubyte.gz"));
        Files.delete(dir.resolve("train-labels-idx1-ubyte.gz"));
        var e = assertThrows(IllegalArgumentException.class, () -> MnistFamily.mnist(dir));
        assertEquals("mnist: " + dir + " lacks train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz]", e.getMessage());

        var e2 = assertThrows(IllegalArgumentException.class, () -> MnistFamily.mnist(dir.resolve("absent")));
        assertTrue(e2.getMessage().contains("does not exist"), e2.getMessage());
    }
}
