package fqt.data;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DatasetTest {
    /** n samples of shape 1x1x2; sample i holds {i, -i} and label i mod classes. */
    static Dataset numbered(int n, int classes) {
        float[] f = new float[2 * n];
        int[] l = new int[n];
        for (int i = 0; i < n; i++) {
            f[2 * i] = i;
            f[2 * i + 1] = -i;
            l[i] = i % classes;
        }
        return new Dataset("numbered", new int[] {1, 1, 2}, classes, f, l);
    }

    static int id(Dataset d, int i) {
        return (int) d.sample(i)[0];
    }

    @Test
    void shuffledIsDeterministicPerSeedAndAPermutation() {
        Dataset d = numbered(100, 10);
        Dataset a = d.shuffled(42), b = d.shuffled(42), c = d.shuffled(43);
        int[] ia = new int[100], ib = new int[100], ic = new int[100];
        for (int i = 0; i < 100; i++) {
            ia[i] = id(a, i);
            ib[i] = id(b, i);
            ic[i] = id(c, i);
            assertEquals(-ia[i], a.sample(i)[1], "a sample moves as a whole");
            assertEquals(ia[i] % 10, a.label(i), "its label moves with it");
        }
        assertArrayEquals(ia, ib);
        assertFalse(Arrays.equals(ia, ic), "another seed gives another order");
        int[] identity = new int[100];
        Arrays.setAll(identity, i -> i);
        assertFalse(Arrays.equals(ia, identity), "the order actually changes");
        int[] sorted = ia.clone();
        Arrays.sort(sorted);
        assertArrayEquals(identity, sorted, "every sample exactly once");
        assertEquals(0, id(d, 0), "the original is untouched");
    }

    @Test
    void classesKeepsAndRelabelsInTheGivenOrder() {
        Dataset d = numbered(30, 10);
        Dataset upper = d.classes(5, 6, 7, 8, 9);
        assertEquals(5, upper.classes());
        assertEquals(15, upper.size());
        for (int i = 0; i < upper.size(); i++) {
            assertEquals(id(upper, i) % 10 - 5, upper.label(i));
            assertTrue(id(upper, i) % 10 >= 5);
        }
        assertArrayEquals(new int[] {3, 3, 3, 3, 3}, upper.classCounts());

        Dataset swapped = d.classes(9, 2);
        assertEquals(2, swapped.classes());
        for (int i = 0; i < swapped.size(); i++) assertEquals(id(swapped, i) % 10 == 9 ? 0 : 1, swapped.label(i));

        assertThrows(IllegalArgumentException.class, () -> d.classes(10));
        assertThrows(IllegalArgumentException.class, () -> d.classes(-1));
        assertThrows(IllegalArgumentException.class, () -> d.classes(3, 3));
    }

    @Test
    void takeReturnsAPrefix() {
        Dataset d = numbered(10, 3);
        Dataset t = d.take(4);
        assertEquals(4, t.size());
        for (int i = 0; i < 4; i++) assertEquals(i, id(t, i));
        assertEquals(10, d.take(1000).size());
        assertTrue(d.take(0).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> d.take(-1));
    }

    @Test
    void emptyDatasetIsAllowedAndBehaves() {
        Dataset e = new Dataset("empty", new int[] {3, 32, 32}, 10, new float[0], new int[0]);
        assertEquals(0, e.size());
        assertTrue(e.isEmpty());
        assertEquals(3072, e.sampleSize());
        assertTrue(e.shuffled(1).isEmpty());
        assertTrue(e.take(5).isEmpty());
        Dataset sub = e.classes(1, 2);
        assertTrue(sub.isEmpty());
        assertEquals(2, sub.classes());
        assertArrayEquals(new int[10], e.classCounts());
        assertEquals("empty: 0 samples of 3x32x32, 10 classes", e.toString());
        assertEquals(0, Dataset.permutation(0, 7).length);
    }

    @Test
    void constructorRejectsInconsistentData() {
        assertThrows(IllegalArgumentException.class, () -> new Dataset("x", new int[] {1, 2}, 2, new float[2], new int[1]));
        assertThrows(IllegalArgumentException.class, () -> new Dataset("x", new int[] {1, 1, 2}, 2, new float[3], new int[1]));
        assertThrows(IllegalArgumentException.class, () -> new Dataset("x", new int[] {1, 1, 2}, 2, new float[2], new int[] {2}));
        assertThrows(IllegalArgumentException.class, () -> new Dataset("x", new int[] {1, 1, 2}, 2, new float[] {0, Float.NaN}, new int[] {0}));
    }

    @Test
    void selectionsShareNothingMutable() {
        Dataset d = numbered(3, 2);
        float[] s = d.sample(1);
        s[0] = 99;
        assertEquals(1, id(d, 1));
        int[] shape = d.shape();
        shape[0] = 7;
        assertEquals(1, d.shape()[0]);
    }

    @Test
    void splitRequiresMatchingShapeAndClasses() {
        Dataset a = numbered(4, 2);
        assertEquals(2, new DataSplit(a, a.take(1)).classes());
        assertThrows(IllegalArgumentException.class, () -> new DataSplit(a, numbered(4, 3)));
        Dataset other = new Dataset("o", new int[] {2, 1, 1}, 2, new float[2], new int[] {0});
        assertThrows(IllegalArgumentException.class, () -> new DataSplit(a, other));
    }
}
