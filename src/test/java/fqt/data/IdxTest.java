package fqt.data;

import static org.junit.jupiter.api.Assertions.*;

import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxTest {
    @TempDir Path dir;

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void readsImagesAndLabelsPlainOrGzip(boolean gzip) throws Exception {
        byte[] px = IdxFiles.pattern(3, 2, 4);
        px[0] = (byte) 255; // unsigned: must become 1.0, not negative
        Path img = IdxFiles.write(dir.resolve("img"), IdxFiles.images(3, 2, 4, px), gzip);
        Path lab = IdxFiles.write(dir.resolve("lab"), IdxFiles.labels(2, 0, 9), gzip);

        Idx.Images images = Idx.readImages(img);
        assertEquals(3, images.count());
        assertEquals(2, images.rows());
        assertEquals(4, images.cols());
        assertEquals(255, images.pixel(0, 0, 0));
        assertEquals((2 * 31 + 1 * 7 + 3) & 0xff, images.pixel(2, 1, 3));
        assertArrayEquals(new int[] {2, 0, 9}, Idx.readLabels(lab));

        Dataset d = Idx.dataset("t", img, lab, 10);
        assertEquals(3, d.size());
        assertArrayEquals(new int[] {1, 2, 4}, d.shape());
        assertEquals(1f, d.sample(0)[0]);
        assertEquals(((2 * 31 + 7 + 3) & 0xff) / 255f, d.sample(2)[1 * 4 + 3]);
        assertEquals(9, d.label(2));
        for (int i = 0; i < d.size(); i++)
            for (float v : d.sample(i)) assertTrue(v >= 0 && v <= 1, "scaled to [0,1]: " + v);
    }

    @Test
    void gzipIsDetectedByMagicBytesNotByName() throws Exception {
        byte[] bytes = IdxFiles.labels(1, 2, 3);
        Path gzNoSuffix = IdxFiles.write(dir.resolve("labels"), bytes, true);
        Path plainWithGzSuffix = IdxFiles.write(dir.resolve("labels.gz"), bytes, false);
        assertArrayEquals(new int[] {1, 2, 3}, Idx.readLabels(gzNoSuffix));
        assertArrayEquals(new int[] {1, 2, 3}, Idx.readLabels(plainWithGzSuffix));
    }

    @Test
    void zeroImagesGiveAnEmptyDataset() throws Exception {
        Path img = IdxFiles.write(dir.resolve("img"), IdxFiles.images(0, 28, 28, new byte[0]), false);
        Path lab = IdxFiles.write(dir.resolve("lab"), IdxFiles.labels(), false);
        Dataset d = Idx.dataset("empty", img, lab, 10);
        assertTrue(d.isEmpty());
        assertArrayEquals(new int[] {1, 28, 28}, d.shape());
    }

    @Test
    void truncatedPlainFileNamesFileAndExpectedVersusActualBytes() throws Exception {
        byte[] full = IdxFiles.images(3, 2, 2, IdxFiles.pattern(3, 2, 2)); // 16 + 12 = 28 bytes
        Path img = Files.write(dir.resolve("short-images"), Arrays.copyOf(full, 26));
        var e = assertThrows(IllegalArgumentException.class, () -> Idx.readImages(img));
        assertTrue(e.getMessage().contains(img.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertTrue(e.getMessage().contains("28 bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("holds 26"), e.getMessage());
    }

    @Test
    void truncatedGzipContentNamesExpectedVersusActualUncompressedBytes() throws Exception {
        byte[] full = IdxFiles.labels(1, 2, 3, 4, 5); // 13 bytes
        Path lab = IdxFiles.write(dir.resolve("short-labels.gz"), Arrays.copyOf(full, 11), true);
        var e = assertThrows(IllegalArgumentException.class, () -> Idx.readLabels(lab));
        assertEquals(lab + ": truncated: header promises 13 bytes (uncompressed) but the file holds 11", e.getMessage());
    }

    @Test
    void cutGzipStreamFailsNamingTheFile() throws Exception {
        Path whole = IdxFiles.write(dir.resolve("whole.gz"), IdxFiles.images(50, 28, 28, IdxFiles.pattern(50, 28, 28)), true);
        byte[] gz = Files.readAllBytes(whole);
        for (int keep : new int[] {gz.length / 2, gz.length - 4}) { // cut in the data, cut in the CRC trailer
            Path cut = Files.write(dir.resolve("cut" + keep + ".gz"), Arrays.copyOf(gz, keep));
            RuntimeException e = assertThrows(RuntimeException.class, () -> Idx.readImages(cut));
            assertTrue(e instanceof IllegalArgumentException || e instanceof UncheckedIOException, e.toString());
            assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());
        }
    }

    @Test
    void trailingBytesAreRejected() throws Exception {
        byte[] full = IdxFiles.labels(1, 2);
        Path lab = Files.write(dir.resolve("long"), Arrays.copyOf(full, full.length + 1));
        var e = assertThrows(IllegalArgumentException.class, () -> Idx.readLabels(lab));
        assertTrue(e.getMessage().contains("promises 10 bytes but the file holds more"), e.getMessage());
    }

    @Test
    void badMagicNamesFileAndBothNumbers() throws Exception {
        Path lab = IdxFiles.write(dir.resolve("labels"), IdxFiles.labels(1, 2), false);
        var e = assertThrows(IllegalArgumentException.class, () -> Idx.readImages(lab));
        assertTrue(e.getMessage().startsWith(lab + ": magic number 0x00000801"), e.getMessage());
        assertTrue(e.getMessage().contains("1 dimensions"), e.getMessage());
        assertTrue(e.getMessage().contains("expected 0x00000803"), e.getMessage());

        Path text = Files.writeString(dir.resolve("text"), "hello world, not IDX");
        e = assertThrows(IllegalArgumentException.class, () -> Idx.readLabels(text));
        assertTrue(e.getMessage().contains("not an IDX file"), e.getMessage());
    }

    @Test
    void headerCutShortAndImpossibleDimensionsAreRejected() throws Exception {
        Path tiny = Files.write(dir.resolve("tiny"), new byte[] {0, 0, 8, 3, 0, 0});
        var e = assertThrows(IllegalArgumentException.class, () -> Idx.readImages(tiny));
        assertTrue(e.getMessage().contains("ends inside the header"), e.getMessage());

        Path huge = Files.write(dir.resolve("huge"), ByteBuffer.allocate(16).putInt(Idx.IMAGES_MAGIC).putInt(-1).putInt(28).putInt(28).array());
        e = assertThrows(IllegalArgumentException.class, () -> Idx.readImages(huge));
        assertTrue(e.getMessage().contains("4294967295"), e.getMessage());

        Path zero = Files.write(dir.resolve("zero"), ByteBuffer.allocate(16).putInt(Idx.IMAGES_MAGIC).putInt(1).putInt(0).putInt(28).array());
        e = assertThrows(IllegalArgumentException.class, () -> Idx.readImages(zero));
        assertTrue(e.getMessage().contains("0x28"), e.getMessage());
    }

    @Test
    void imageAndLabelCountsMustAgree() throws Exception {
        Path img = IdxFiles.write(dir.resolve("img"), IdxFiles.images(3, 2, 2, IdxFiles.pattern(3, 2, 2)), false);
        Path lab = IdxFiles.write(dir.resolve("lab"), IdxFiles.labels(1, 2), false);
        var e = assertThrows(IllegalArgumentException.class, () -> Idx.dataset("t", img, lab, 10));
        assertTrue(e.getMessage().contains(img + " holds 3 images but " + lab + " holds 2 labels"), e.getMessage());
    }

    @Test
    void labelsMustBeBelowClasses() throws Exception {
        Path img = IdxFiles.write(dir.resolve("img"), IdxFiles.images(3, 2, 2, IdxFiles.pattern(3, 2, 2)), false);
        Path lab = IdxFiles.write(dir.resolve("lab"), IdxFiles.labels(1, 10, 2), false);
        var e = assertThrows(IllegalArgumentException.class, () -> Idx.dataset("t", img, lab, 10));
        assertEquals(lab + ": label 10 at index 1 is outside [0, 10) expected for 10 classes", e.getMessage());
    }

    @Test
    void missingFileIsReportedClearly() {
        Path none = dir.resolve("nope-idx3-ubyte.gz");
        var e = assertThrows(UncheckedIOException.class, () -> Idx.readImages(none));
        assertEquals("IDX file not found: " + none, e.getMessage());
        e = assertThrows(UncheckedIOException.class, () -> Idx.readLabels(none));
        assertEquals("IDX file not found: " + none, e.getMessage());
    }
}
