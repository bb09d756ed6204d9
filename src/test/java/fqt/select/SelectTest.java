package fqt.select;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** The pure rules of {@link Select} on hand-made values. */
class SelectTest {
    @Test
    void budgetFollowsTheFormulaInFloat32() {
        // k = max(1, floor((lambdaMin + r * (lambdaMax - lambdaMin)) * N)), clipped to N, r = e / eMax.
        assertEquals(10, Select.budget(0.1f, 1f, 4f, 4f, 10), "the largest error so far: r = 1, every structure");
        assertEquals(1, Select.budget(0.1f, 1f, 0f, 4f, 10), "r = 0: lambdaMin * N = 1");
        assertEquals(5, Select.budget(0.1f, 1f, 2f, 4f, 10), "r = 0.5: (0.1 + 0.45) * 10 = 5.5, floored");
        assertEquals(25, Select.budget(0.5f, 1f, 1f, 4f, 40), "(0.5 + 0.25 * 0.5) * 40 = 25 exactly");
        assertEquals(1, Select.budget(0.1f, 1f, 0f, 4f, 5), "0.1 * 5 = 0.5 floors to 0: at least one structure");
        assertEquals(1, Select.budget(0f, 0f, 3f, 3f, 64), "lambda 0 still keeps one");
        assertEquals(3, Select.budget(0.1f, 0.5f, 9f, 9f, 7), "lambdaMax caps the budget: 0.5 * 7 = 3.5");
        assertEquals(7, Select.budget(1f, 1f, 0f, 0f, 7), "lambdaMin 1: every structure");
        assertEquals(1, Select.budget(0.2f, 1f, 5f, 0f, 4), "eMax 0 counts as r = 0: 0.2 * 4 = 0.8 -> 1");
        // The float32 steps, one rounding each: 0.3f + (1/3f) * 0.4f = 0.43333334f, times 30 = 13.0000002 -> 13.
        float r = 1f / 3f, lambda = 0.3f + r * (0.7f - 0.3f);
        assertEquals((int) (lambda * 30f), Select.budget(0.3f, 0.7f, 1f, 3f, 30));
        assertEquals(13, Select.budget(0.3f, 0.7f, 1f, 3f, 30));
    }

    @Test
    void topKKeepsTheLargestAndBreaksTiesByLowerIndex() {
        int[] key = {3, 7, 7, 1, 7, 0};
        int[] sel = new int[6];
        long[] scratch = new long[6];
        assertEquals(2, Select.topK(key, 6, 2, scratch, sel));
        assertArrayEquals(new int[] {1, 2}, java.util.Arrays.copyOf(sel, 2), "three 7s tie: the lower indices win");
        assertEquals(4, Select.topK(key, 6, 4, scratch, sel));
        assertArrayEquals(new int[] {0, 1, 2, 4}, java.util.Arrays.copyOf(sel, 4), "written ascending");
        assertEquals(6, Select.topK(key, 6, 9, scratch, sel));
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, sel);
        int[] zeros = new int[5];
        assertEquals(1, Select.topK(zeros, 5, 1, new long[5], sel));
        assertEquals(0, sel[0], "all equal: index 0");
    }

    @Test
    void floatKeysOrderLikeTheFloats() {
        float[] mag = {0.5f, 1e-30f, 3.25f, 0f, 3.2499998f, Float.MIN_VALUE};
        int[] key = new int[6];
        for (int s = 0; s < 6; s++) key[s] = Float.floatToRawIntBits(mag[s]);
        int[] sel = new int[6];
        Select.topK(key, 6, 3, new long[6], sel);
        assertArrayEquals(new int[] {0, 2, 4}, java.util.Arrays.copyOf(sel, 3));
    }

    @Test
    void magnitudesSumPerStructure() {
        // 3 structures of 2 elements; uint8 codes around zero point 100.
        byte[] q = {(byte) 100, (byte) 103, (byte) 90, (byte) 110, (byte) 255, (byte) 0};
        int[] mag = new int[3];
        Select.magnitudesU8(q, 100, 3, 2, mag);
        assertArrayEquals(new int[] {3, 20, 255}, mag);
        assertEquals((3 + 20 + 255) * 0.5f / 6f, Select.meanU8(mag, 3, 0.5f, 6));

        float[] f = {-1f, 0.5f, 0f, -0f, 2f, -2f};
        float[] magF = new float[3];
        Select.magnitudesF32(f, 3, 2, magF);
        assertArrayEquals(new float[] {1.5f, 0f, 4f}, magF);
        assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(magF[1]), "|-0| adds as +0: keys stay non-negative");
        assertEquals(5.5f / 6f, Select.meanF32(magF, 3, 6));
    }
}
