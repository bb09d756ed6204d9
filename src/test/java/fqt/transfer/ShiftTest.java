package fqt.transfer;

import static org.junit.jupiter.api.Assertions.*;

import fqt.data.Dataset;
import org.junit.jupiter.api.Test;

class ShiftTest {
    static final Dataset THREE = new Dataset("3x3", new int[] {1, 3, 3}, 2,
            new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f}, new int[] {1});

    @Test
    void invertedIsOneMinusThePixel() {
        Dataset d = Shift.INVERTED.apply(THREE, 1);
        for (int i = 0; i < 9; i++) assertEquals(1f - THREE.sample(0)[i], d.sample(0)[i]);
        assertEquals(1, d.label(0));
        assertEquals("3x3-inverted", d.name());
    }

    @Test
    void rotationTurnsClockwiseAndFourTurnsAreNone() {
        // [a b c; d e f; g h i] turned clockwise is [g d a; h e b; i f c].
        assertArrayEquals(new float[] {0.7f, 0.4f, 0.1f, 0.8f, 0.5f, 0.2f, 0.9f, 0.6f, 0.3f}, Shift.ROTATED_90.apply(THREE, 1).sample(0));
        Dataset d = THREE;
        for (int k = 0; k < 4; k++) d = Shift.ROTATED_90.apply(d, 1);
        assertArrayEquals(THREE.sample(0), d.sample(0));
        Dataset wide = new Dataset("wide", new int[] {1, 2, 3}, 2, new float[6], new int[] {0});
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Shift.ROTATED_90.apply(wide, 1)).getMessage().contains("square"));
    }

    @Test
    void noiseIsSeededAndClipped() {
        Dataset a = Shift.NOISY.apply(THREE, 5), b = Shift.NOISY.apply(THREE, 5), c = Shift.NOISY.apply(THREE, 6);
        assertArrayEquals(a.sample(0), b.sample(0));
        assertFalse(java.util.Arrays.equals(a.sample(0), c.sample(0)));
        for (float v : a.sample(0)) assertTrue(v >= 0f && v <= 1f, "clipped to [0, 1]: " + v);
    }
}
