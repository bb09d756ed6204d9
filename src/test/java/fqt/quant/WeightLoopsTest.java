package fqt.quant;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The weight loops lane by lane give the element-by-element values, extremes and NaN handling, bit for bit. */
class WeightLoopsTest {
    private static final float[] SPECIAL = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, 0f, 1e30f, -1e30f, 0x1.0p-149f};

    @Test
    void lanesAreTheScalarLoops() {
        Random r = new Random(17);
        for (int n : new int[] {0, 1, 7, 8, 9, 15, 16, 17, 72, 784, 1153}) {
            for (int trial = 0; trial < 20; trial++) {
                byte[] codes = new byte[n + 6];
                r.nextBytes(codes);
                float[] v = new float[n + 6];
                boolean special = trial % 4 == 3;
                for (int i = 0; i < v.length; i++) {
                    v[i] = special && r.nextInt(16) == 0 ? SPECIAL[r.nextInt(SPECIAL.length)] : (float) r.nextGaussian() * 0.01f;
                }
                int zp = r.nextInt(256);
                float scale = trial == 0 ? 0f : (float) Math.abs(r.nextGaussian()) * 1e-3f;
                float[] expected = v.clone();
                float max = 0f, lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
                for (int i = 3; i < 3 + n; i++) {
                    expected[i] = (float) ((codes[i] & 0xFF) - zp) * scale + expected[i];
                    max = Math.max(max, Math.abs(expected[i]));
                }
                float[] back = v.clone();
                for (int i = 3; i < 3 + n; i++) {
                    back[i] = (float) ((codes[i] & 0xFF) - zp) * scale - back[i];
                    if (back[i] < lo) lo = back[i];
                    if (back[i] > hi) hi = back[i];
                }
                for (boolean vectors : RoundingLoops.VECTORS ? new boolean[] {false, true} : new boolean[] {false}) {
                    String what = "n " + n + " trial " + trial + " vectors " + vectors;
                    float[] a = v.clone();
                    float m = WeightLoops.addCodes(codes, zp, scale, a, 3, n, vectors);
                    assertArrayEquals(expected, a, what);
                    assertEquals(Float.floatToIntBits(max), Float.floatToIntBits(m), what + ": max |v|");
                    float[] b = v.clone(), los = new float[3], his = new float[3];
                    WeightLoops.subtractFromCodes(codes, zp, scale, b, 3, n, los, his, 2, vectors);
                    assertArrayEquals(back, b, what);
                    assertEquals(lo, los[2], 0f, what + ": min"); // equal as floats: a zero extreme may carry either sign
                    assertEquals(hi, his[2], 0f, what + ": max");
                }
            }
        }
    }

    /** A gradient row added as it is made: the floats of clearing the row, adding {@code a * x} to it, then {@link WeightLoops#addCodes}. */
    @Test
    void aRowAddedAsItIsMadeIsTheRowWrittenFirst() {
        Random r = new Random(23);
        for (int n : new int[] {0, 1, 15, 16, 17, 64, 784}) {
            for (int trial = 0; trial < 24; trial++) {
                byte[] codes = new byte[n + 6];
                r.nextBytes(codes);
                float[] x = new float[n];
                for (int i = 0; i < n; i++) x[i] = trial % 4 == 3 && r.nextInt(8) == 0 ? SPECIAL[r.nextInt(SPECIAL.length)] : r.nextInt(256) - r.nextInt(256);
                int zp = r.nextInt(256);
                float scale = trial % 6 == 0 ? 0f : (float) Math.abs(r.nextGaussian()) * 1e-3f;
                float a = trial % 5 == 0 ? 0f : trial % 5 == 1 ? -0f : (float) r.nextGaussian() * 1e-4f; // zero factors make signed zeros
                float[] written = new float[n + 6];
                for (int i = 0; i < n; i++) written[3 + i] += a * x[i];
                float max = WeightLoops.addCodes(codes, zp, scale, written, 3, n, false);
                for (boolean vectors : RoundingLoops.VECTORS ? new boolean[] {false, true} : new boolean[] {false}) {
                    String what = "n " + n + " trial " + trial + " vectors " + vectors;
                    float[] v = new float[n + 6];
                    float m = WeightLoops.addCodesOfRow(codes, zp, scale, a, x, v, 3, n, vectors);
                    for (int i = 3; i < 3 + n; i++) assertEquals(Float.floatToRawIntBits(written[i]), Float.floatToRawIntBits(v[i]), what + " element " + i);
                    assertEquals(Float.floatToIntBits(max), Float.floatToIntBits(m), what + ": max |v|");
                }
            }
        }
    }
}
