package fqt.quant;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The whole-array rounding loops and the draws made where they are used give the element-wise results and random draws, bit for bit. */
class RoundingLoopsTest {
    @Test
    void jumpIsSegmentSteps() {
        Random r = new Random(3);
        for (int n = 0; n < 1000; n++) {
            int x = r.nextInt() | 1, y = x;
            for (int k = 0; k < Xorshift32.SEGMENT; k++) y = Xorshift32.step(y);
            assertEquals(y, Xorshift32.jump(x));
        }
    }

    /**
     * take, made (whole takes and slices of them, on each path), nextInt, skip and setState mixed at
     * random hand out the serial chain's numbers, and state() follows it.
     */
    @Test
    void drawsMadeWhereTheyAreUsedAreTheSerialChain() {
        Random r = new Random(11);
        Xorshift32 stream = new Xorshift32(42);
        int serial = 42;
        for (int op = 0; op < 3000; op++) {
            int kind = r.nextInt(12);
            if (kind < 6) {
                int n = r.nextInt(8) == 0 ? r.nextInt(40 * Xorshift32.SEGMENT) : r.nextInt(900);
                int[] chain = new int[n];
                for (int k = 0; k < n; k++) chain[k] = serial = Xorshift32.step(serial);
                stream.take(n);
                for (int slice = 0; slice < 3; slice++) { // the whole take, then slices as parts make them
                    int from = slice == 0 ? 0 : r.nextInt(n + 1), count = slice == 0 ? n : r.nextInt(n - from + 1);
                    Xorshift32.Made m = stream.made(from, count);
                    for (int k = 0; k < count; k++) assertEquals(chain[from + k], m.d[m.at + k], "op " + op + " draw " + (from + k) + " of " + n);
                }
                int over = n + 1;
                assertThrows(IllegalArgumentException.class, () -> stream.made(0, over));
            } else if (kind < 9) {
                serial = Xorshift32.step(serial);
                assertEquals(serial, stream.nextInt(), "op " + op);
            } else if (kind < 11) {
                int n = r.nextInt(3 * Xorshift32.SEGMENT);
                for (int k = 0; k < n; k++) serial = Xorshift32.step(serial);
                stream.skip(n);
            } else {
                serial = r.nextInt();
                stream.setState(serial);
                if (serial == 0) serial = Xorshift32.ZERO_SEED_REPLACEMENT;
            }
            assertEquals(serial, stream.state(), "op " + op);
        }
    }

    /** Segments side by side in one vector, any number of them used, are the serial chain after each segment's start. */
    @Test
    void segmentsSideBySideAreTheChain() {
        if (!RoundingLoops.VECTORS) return;
        Random r = new Random(13);
        int lanes = Lanes.SEGMENTS_PER_VECTOR;
        int[] starts = new int[3 + lanes];
        for (int i = 0; i < starts.length; i++) starts[i] = r.nextInt() | 1;
        for (int used = 1; used <= lanes; used++) {
            int[] d = new int[5 + lanes * Xorshift32.SEGMENT + 7];
            java.util.Arrays.fill(d, 77);
            Lanes.segments(starts, 3, used, d, 5, Lanes.tile());
            for (int j = 0; j < lanes; j++) {
                int x = starts[3 + j];
                for (int k = 0; k < Xorshift32.SEGMENT; k++) {
                    x = Xorshift32.step(x);
                    int at = 5 + j * Xorshift32.SEGMENT + k;
                    assertEquals(j < used ? x : 77, d[at], "used " + used + " segment " + j + " draw " + k);
                }
            }
        }
    }

    @Test
    void sameCodesAndDrawsAsElementWise() {
        Random r = new Random(5);
        float[] special = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e20f, -1e20f, 1024f, -1024f, 1023.7f,
                -1024.3f, -0f, 0f, -0.5f, 0.5f, 1.5f, 2.5f, -1.5f, -2.5f, -1e-9f, 1e-9f, 0x1.0p-149f, -0x1.0p-149f, 255.99f, -255.2f,
                2e9f, -2e9f, 127.5f, 0.49999997f, -0.49999997f, 1023.99994f, -1023.99994f};
        for (int len : new int[] {0, 1, 7, 8, 17, 1023, 1024, 1025, 3 * 1024 + 100, 50_176}) {
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
                    float[] input = v.clone();
                    RoundingLoops.round(input, 5, 5 + len, got, 0, zp, lo, mode, b);
                    assertArrayEquals(expected, got, mode + " len " + len + " zp " + zp);
                    assertArrayEquals(v, input, "the input is left as it was");
                    assertEquals(a.state(), b.state(), mode + " len " + len);
                    // Each path on its own: element by element, and lane by lane.
                    for (boolean vectors : RoundingLoops.VECTORS ? new boolean[] {false, true} : new boolean[] {false}) {
                        Xorshift32 c = new Xorshift32(seed);
                        byte[] path = new byte[len];
                        float add = mode == Rounding.NEAREST ? 0.5f : 0f;
                        Xorshift32 drawing = mode == Rounding.STOCHASTIC ? c : null;
                        if (drawing != null) drawing.take(len);
                        Xorshift32.Made made = Xorshift32.made(drawing, 0, len);
                        int[] d = made.d;
                        int at = made.at;
                        RoundingLoops.codes(v, 5, len, 1f, add, d, at, path, 0, zp, lo, vectors);
                        assertArrayEquals(expected, path, mode + " len " + len + " zp " + zp + " vectors " + vectors);
                        // The quotients by a divisor: each path as if the quotient were stored first.
                        float div = 0.37f + r.nextFloat();
                        float[] quotients = new float[v.length];
                        for (int i = 0; i < v.length; i++) quotients[i] = v[i] / div;
                        byte[] stored = new byte[len], fused = new byte[len];
                        RoundingLoops.codes(quotients, 5, len, 1f, add, d, at, stored, 0, zp, lo, vectors);
                        RoundingLoops.codes(v, 5, len, div, add, d, at, fused, 0, zp, lo, vectors);
                        assertArrayEquals(stored, fused, mode + " len " + len + " divided, vectors " + vectors);
                    }
                }
            }
        }
    }

    /** The tests run with the module (pom.xml's vector.module.flag), so the lane-by-lane path is the one they check. */
    @Test
    void vectorPathIsOn() {
        assertTrue(RoundingLoops.VECTORS, "jdk.incubator.vector is not in the boot layer: the tests run without pom.xml's vector.module.flag");
    }
}
