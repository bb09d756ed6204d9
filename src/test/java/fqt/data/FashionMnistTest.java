package fqt.data;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {
    @TempDir Path dir;

    @Test
    void loadsFromAGivenDirectory() throws Exception {
        MnistFamilyTest.writeSet(dir, "", "t10k", 28, 28, new int[] {9, 0, 3}, new int[] {1}, true);
        DataSplit s = FashionMnist.load(dir);
        assertEquals(3, s.train().size());
        assertEquals(1, s.test().size());
        assertEquals(9, s.train().label(0));
        assertEquals("fashion-mnist-train", s.train().name());
    }

    @Test
    void missingDataNamesTheDebianPackage() {
        Path absent = dir.resolve("absent");
        var e = assertThrows(IllegalArgumentException.class, () -> FashionMnist.load(absent));
        assertTrue(e.getMessage().contains(absent.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
        assertTrue(e.getMessage().contains(FashionMnist.ENV), e.getMessage());

        // an existing but empty directory: every file is named, and the hint is there too
        e = assertThrows(IllegalArgumentException.class, () -> FashionMnist.load(dir));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], "
                + "t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]"), e.getMessage());
        assertTrue(e.getMessage().contains("Debian package dataset-fashion-mnist"), e.getMessage());
    }

    @Test
    void environmentVariableOverridesTheDebianDirectory() {
        assertEquals(FashionMnist.DEBIAN_DIR, FashionMnist.defaultDir(null));
        assertEquals(FashionMnist.DEBIAN_DIR, FashionMnist.defaultDir("  "));
        assertEquals(Path.of("/data/fm"), FashionMnist.defaultDir("/data/fm"));
    }

    @Test
    void classNames() {
        assertEquals(10, FashionMnist.CLASS_NAMES.size());
        assertEquals("T-shirt/top", FashionMnist.classNames().get(0));
        assertEquals("Sneaker", FashionMnist.classNames().get(7));
        assertEquals("Ankle boot", FashionMnist.classNames().get(9));
    }

    /** The real data from Debian's dataset-fashion-mnist, when installed. */
    @Test
    void realDebianFashionMnist() {
        Assumptions.assumeTrue(Files.isDirectory(FashionMnist.DEBIAN_DIR), "dataset-fashion-mnist is not installed");
        DataSplit s = FashionMnist.load(FashionMnist.DEBIAN_DIR);
        assertEquals(60000, s.train().size());
        assertEquals(10000, s.test().size());
        assertArrayEquals(new int[] {1, 28, 28}, s.shape());
        assertEquals(10, s.classes());
        for (int c : s.train().classCounts()) assertEquals(6000, c);
        for (int c : s.test().classCounts()) assertEquals(1000, c);
        assertEquals(9, s.train().label(0)); // the first training image is an ankle boot
        float min = 1, max = 0;
        double sum = 0;
        for (int i = 0; i < 1000; i++) {
            for (float v : s.train().sample(i)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
                sum += v;
            }
        }
        assertEquals(0f, min);
        assertEquals(1f, max);
        double mean = sum / (1000 * 784);
        assertTrue(mean > 0.2 && mean < 0.4, "Fashion-MNIST mean pixel is about 0.29, got " + mean);
    }
}
