package fqt.quant;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The whole-array rounding loops give the element-wise results and random draws, bit for bit. */
class RoundingLoopsTest {
    @Test
    void jumpIsLaneSteps() {
        Random r = new Random(3);
        for (int n = 0; n < 1000; n++) {
            int x = r.nextInt() | 1, y = x;
            for (int k = 0; k < RoundingLoops.LANE; k++) y = Xorshift32.step(y);
            assertEquals(y, RoundingLoops.jump(x));
        }
    }

    @Test
    void sameCodesAndDrawsAsElementWise() {
        Random r = new Random(5);
        float[] special = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e20f, -1e20f, 1024f, -1024f, 1023.7f,
                -1024.3f, -0f, 0f, -0.5f, 0.5f, -1e-9f, 255.99f, -255.2f, 2e9f, -2e9f};
        for (int len : new int[] {0, 1, 7, 1023, 1024, 1025, 3 * 1024 + 100, 50_176}) {
            float[] v = new float[len + 10];
            for (int i = 0; i < v.length; i++) {
                v[i] = r.nextInt(8) == 0 ? special[r.nextInt(special.length)] : (float) (r.nextGaussian() * 200);
            }
            for (Rounding mode : Rounding.values()) {
                for (int zp : new int[] {0, 37, 255}) {
                    int lo = r.nextBoolean() ? 0 : zp;
                    int seed = r.nextInt();
                    Xorshift32 a = new Xorshift32(seed), b = new Xorshift32(seed);
                    byte[] expected = new byte[len], got = new byte[len];
                    for (int i = 0; i < len; i++) {
                        int q = mode.round(v[i + 5], a) + zp;
                        expected[i] = (byte) (q < lo ? lo : Math.min(q, 255));
                    }
                    RoundingLoops.round(v.clone(), 5, 5 + len, got, 0, zp, lo, mode, b); // round may clamp its input in place
                    assertArrayEquals(expected, got, mode + " len " + len + " zp " + zp);
                    assertEquals(a.state(), b.state(), mode + " len " + len);
                }
            }
        }
    }
}
